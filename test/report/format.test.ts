// The number formats of the text reports (src/format.ts) print what Intl.NumberFormat('en-US') prints:
// they are written out so that a run's start-up never loads ICU's data (issue 21), and Intl is the oracle.
import { describe, expect, it } from 'vitest';
import { int, money, num } from '../../src/format.js';

/** Values where rounding, grouping and signs are decided: ties, carries, -0, exponents, the extremes. */
const EDGES = [
  0, -0, 0.4, 0.5, -0.5, 0.05, 0.15, 0.25, -0.04, 1.005, 1.125, 2.675, 9.995, 99.95, 999.5, 999_999.5, -999.995, 1234.96,
  123_456_789.125, 0.001, 0.009, 1.5e-7, 5e-324, 1e21, 1.2345e25, 2 ** 53 + 2, 2 ** 70, Number.MAX_VALUE, -Number.MAX_VALUE,
  Infinity, -Infinity, NaN, 0.1 + 0.2, 1 / 3, -2 / 3, 1e-5, 4.35, 1.45, 8.345,
];

/** Many more: a fixed-seed linear congruential generator, spread over magnitudes from 1e-6 to 1e12, both signs. */
function sample(count: number): number[] {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const xs: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = next() * 10 ** Math.floor(next() * 18 - 6);
    // Every third one cut to 3 or 4 decimals, so ties at the rounding digit come up often.
    const cut = i % 3 === 0 ? Math.round(x * 1000) / 1000 : i % 3 === 1 ? Math.round(x * 10_000) / 10_000 : x;
    xs.push(next() < 0.5 ? -cut : cut);
  }
  return xs;
}

const VALUES = [...EDGES, ...sample(20_000)];

describe('number formats match Intl.NumberFormat en-US', () => {
  it('int: rounded, grouped by thousands', () => {
    const f = new Intl.NumberFormat('en-US');
    for (const x of VALUES) expect([x, int(x)]).toEqual([x, f.format(Math.round(x))]);
  });

  it('num: up to 0–3 decimals', () => {
    for (const digits of [0, 1, 2, 3]) {
      const f = new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
      for (const x of VALUES) expect([x, digits, num(x, digits)]).toEqual([x, digits, f.format(x)]);
    }
  });

  it('money: two decimals from a cent up', () => {
    const f = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    for (const x of VALUES.filter((v) => Math.abs(v) >= 0.01)) expect([x, money(x)]).toEqual([x, `$${f.format(x)}`]);
  });
});
