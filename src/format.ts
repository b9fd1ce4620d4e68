/** Number and table formatting shared by the text reports. */

// Number formats are made once and kept (issue 21, start-up): `toLocaleString(locale, options)`
// builds a new Intl.NumberFormat on every call (tens of µs each, a report makes hundreds), and
// `format` of one made with the same locale and options gives the same text by definition (ECMA-402).
// Each is made on first use: making one loads ICU's data, which a run that prints no text never needs.
let intFormat: Intl.NumberFormat | undefined;
const NUM_FORMATS: Intl.NumberFormat[] = [];
let moneyFormat: Intl.NumberFormat | undefined;

/** 1234567 → "1,234,567". */
export function int(n: number): string {
  return (intFormat ??= new Intl.NumberFormat('en-US')).format(Math.round(n));
}

/** A share as a percentage with sensible precision: 0.0123 → "1.23%". */
export function pct(x: number): string {
  if (x === 0) return '0%';
  const p = x * 100;
  if (p >= 10) return `${p.toFixed(1)}%`;
  if (p >= 0.01) return `${p.toFixed(2)}%`;
  return `${p.toPrecision(2)}%`;
}

/** A duration in ms for humans: "850 µs", "12.3 ms", "1.25 s", "3.0 min", "2.5 h". */
export function dur(ms: number): string {
  if (ms === 0) return '0';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(2)} h`;
}

/** A number with up to `digits` decimals and thousands separators. */
export function num(x: number, digits = 1): string {
  const f = (NUM_FORMATS[digits] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }));
  return f.format(x);
}

/**
 * Lays out rows as columns: the first column left-aligned, the others right-aligned,
 * two spaces apart.
 */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  return all.map(line).join('\n');
}

/** Dollars: cents from one cent up, four significant digits below ($0.000123). */
export function money(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 0.01) return `$${(moneyFormat ??= new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })).format(usd)}`;
  return `$${usd.toPrecision(4)}`;
}

/** Breaks `line` at spaces into lines of at most `width` columns; continuation lines start with `indent` spaces. */
export function wrap(line: string, indent: number, width = 100): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= indent) break;
    out.push(rest.slice(0, cut));
    rest = ' '.repeat(indent) + rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

/**
 * Control characters a scenario's text (names, descriptions, values quoted in messages) could carry to
 * a terminal (issue 22 item 9): C0 controls but the line break (ESC starts escape sequences that move
 * the cursor, set the window title or write the clipboard), DEL, C1 controls, the line and paragraph
 * separators and the bidirectional overrides and isolates (they reorder what is shown).
 */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: each control character (see CONTROL) becomes a visible escape, `\x1b` or `\u202e`,
 * so text from a scenario shows as what it is and never acts on the terminal. Line breaks are kept.
 */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** A cell a spreadsheet would run as a formula: it starts with =, +, -, @, a tab or a carriage return (after any quotes). */
const FORMULA = /^'*[=+\-@\t\r]/;
/** A number as CSV writes one (a negative number starts with "-" and is data, not a formula). */
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A CSV text cell, neutralised against formula injection (issue 22 item 9): a cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return — after any single quotes — gets one more leading
 * single quote, so a spreadsheet shows it as text. Numbers (`-12.5`, `+3e-4`) are left as they are.
 * Reversible: {@link csvCellValue} removes the one quote.
 */
export function csvCell(s: string): string {
  return FORMULA.test(s) && !NUMBER.test(s) ? `'${s}` : s;
}

/** The text {@link csvCell} was given: a neutralised cell loses its added quote. */
export function csvCellValue(cell: string): string {
  return cell.startsWith("'") && FORMULA.test(cell) ? cell.slice(1) : cell;
}
