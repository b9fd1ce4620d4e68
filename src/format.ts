/** Number and table formatting shared by the text reports. */

/** 1234567 → "1,234,567". */
export function int(n: number): string {
  return grouped(Math.round(n), 0, 0);
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
  return grouped(x, 0, digits);
}

/**
 * Lays out rows as columns: the first column left-aligned, the others right-aligned,
 * two spaces apart.
 */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => all.reduce((w, r) => Math.max(w, (r[c] ?? '').length), 0));
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
  if (Math.abs(usd) >= 0.01) return `$${grouped(usd, 2, 2)}`;
  return `$${usd.toPrecision(4)}`;
}

/**
 * `x` as `new Intl.NumberFormat('en-US', { minimumFractionDigits: minFrac, maximumFractionDigits: maxFrac })`
 * formats it, written out (issue 21, start-up): a process's first Intl.NumberFormat loads ICU's data, about
 * 18 ms, the largest single cost of a short run's text report. As ICU does, it rounds half away from zero
 * the shortest decimal that reads back as `x` (so 1.005 → "1.01", where toFixed gives "1.00"), groups the
 * integer part by thousands and keeps the sign of a negative number that rounds to zero ("-0").
 * test/report/format.test.ts compares it with Intl.NumberFormat.
 */
function grouped(x: number, minFrac: number, maxFrac: number): string {
  if (Number.isNaN(x)) return 'NaN';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (!Number.isFinite(x)) return `${sign}∞`;
  // The shortest digits (String's, plain or with an exponent) and where the decimal point falls among them.
  const [mantissa, exponent = '0'] = String(Math.abs(x)).split('e');
  const [whole, fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let point = whole.length + Number(exponent);
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  digits = digits.padEnd(point, '0');
  let kept = digits.slice(0, point + maxFrac);
  if (digits.length > kept.length && digits[kept.length] >= '5') {
    const carried = roundUp(kept);
    point += carried.length - kept.length;
    kept = carried;
  }
  const integer = kept.slice(0, point).replace(/^0+/, '') || '0';
  let decimals = kept.slice(point).padEnd(minFrac, '0');
  while (decimals.length > minFrac && decimals.endsWith('0')) decimals = decimals.slice(0, -1);
  return `${sign}${integer.replace(/\B(?=(\d{3})+$)/g, ',')}${decimals ? `.${decimals}` : ''}`;
}

/** A string of decimal digits plus one in its last place: "129" → "130", "99" → "100", "" → "1". */
function roundUp(digits: string): string {
  const last = digits.search(/9*$/) - 1;
  return last < 0 ? `1${'0'.repeat(digits.length)}` : `${digits.slice(0, last)}${Number(digits[last]) + 1}${'0'.repeat(digits.length - last - 1)}`;
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
