// Colour in the terminal report: only escape codes are added, so the layout is unchanged.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { colorize } from '../../src/report/color.js';
import { int, pct } from '../../src/format.js';

const strip = (s: string) => s.replace(/\x1b\[\d+m/g, '');
const burst = readFileSync('reports/burst.txt', 'utf8');
const result = JSON.parse(readFileSync('reports/burst.json', 'utf8'));
/** A function's throttle cell as the text report prints it. */
const throttleCell = (i: number) => `${int(result.functions[i].throttles.total)} (${pct(result.functions[i].throttleRate)})`;

describe('colorize', () => {
  const c = colorize(burst);
  it('adds only escape codes', () => {
    expect(strip(c)).toBe(burst);
  });
  it('makes the title and section headings bold and throttle cells red, leaving zeros plain', () => {
    expect(c.split('\n')[0]).toBe(`\x1b[1m${burst.split('\n')[0]}\x1b[0m`);
    expect(c).toContain('\x1b[1mFunctions\x1b[0m');
    expect(c).toContain(`\x1b[31m${throttleCell(0)}\x1b[0m`);
    const reportsRow = c.split('\n').find((l) => strip(l).startsWith('reports ') && strip(l).includes(throttleCell(1)))!;
    expect(reportsRow).toContain(`\x1b[31m${throttleCell(1)}\x1b[0m`);
    // The errors column of `reports` is 0: not coloured.
    expect(reportsRow).not.toMatch(/\x1b\[31m0\x1b/);
  });
});
