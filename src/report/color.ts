/**
 * Colour for the terminal report, added only when stdout is a terminal (never
 * in files or pipes). It works on the finished text, so every report section —
 * including those of invocation models added later — gets the same treatment:
 * section headings bold, table headers dim, and non-zero cells of columns about
 * throttles, errors, timeouts and failures red. ANSI codes take no columns, so
 * the layout (≤ 100 columns) is unchanged.
 */

const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

/** Column headers whose non-zero values are bad news. */
const BAD = /throttl|error|timeout|t\/o|failed|dropped|rejected|dlq|scaling rate|reserved conc|account conc|request rate/i;

/** Cells of a line: runs of text separated by two or more spaces, with where they end. */
function cells(line: string): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  for (const m of line.matchAll(/\S+(?: \S+)*/g)) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

export function colorize(text: string): string {
  const lines = text.split('\n');
  let header: { text: string; start: number; end: number }[] | null = null;
  return lines
    .map((line, i) => {
      if (line === '') {
        header = null;
        return line;
      }
      const prevBlank = i > 0 && lines[i - 1] === '';
      if (i === 0) return BOLD + line + RESET;
      if (prevBlank && lines[i + 1]?.startsWith('name ')) return BOLD + line + RESET;
      if (line.startsWith('name ') && lines[i - 1] !== undefined && (i < 2 || lines[i - 2] === '')) {
        header = cells(line);
        return DIM + line + RESET;
      }
      if (!header) return line;
      const bad = header.filter((h, c) => c > 0 && BAD.test(h.text));
      if (bad.length === 0) return line;
      // Right-aligned columns: a cell ends where its header ends.
      let out = '';
      let pos = 0;
      for (const cell of cells(line)) {
        const h = bad.find((b) => b.end === cell.end);
        if (h && /^[1-9]|^0\.\d*[1-9]/.test(cell.text)) {
          out += line.slice(pos, cell.start) + RED + cell.text + RESET;
          pos = cell.end;
        }
      }
      return out + line.slice(pos);
    })
    .join('\n');
}
