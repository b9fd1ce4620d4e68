import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../src/engine/rng.js';
import { LogHistogram } from '../../src/metrics/histogram.js';

const PS = [0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999];

/** The exact p-quantile of sorted data: the smallest value with at least p·n values ≤ it. */
function exactQuantile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length - 1e-9) - 1)];
}

function dataSets(): [string, Float64Array][] {
  const rng = new RngStreams('test-seed').stream('x');
  const make = (n: number, f: () => number) => Float64Array.from({ length: n }, f);
  return [
    ['lognormal', make(100_000, () => Math.exp(4 + 1.5 * Math.sqrt(-2 * Math.log(rng.double())) * Math.cos(2 * Math.PI * rng.double())))],
    ['exponential', make(50_000, () => -250 * Math.log(1 - rng.double()))],
    ['log-uniform 1e-3..1e9', make(50_000, () => 10 ** (-3 + 12 * rng.double()))],
    ['few distinct', make(10_000, () => [1, 2, 3, 100, 1e6][Math.floor(rng.next() * 5)])],
    ['tiny', make(7, () => 1 + 1000 * rng.double())],
  ];
}

describe('LogHistogram', () => {
  it('reports quantiles within 0.2% (in fact 0.1%) of exact sample quantiles', () => {
    for (const [name, xs] of dataSets()) {
      const h = new LogHistogram();
      for (const x of xs) h.record(x);
      const sorted = Float64Array.from(xs).sort();
      for (const p of PS) {
        const exact = exactQuantile(sorted, p);
        const rel = Math.abs(h.quantile(p) - exact) / exact;
        expect(rel, `${name} p=${p}`).toBeLessThanOrEqual(LogHistogram.relativeError * (1 + 1e-9));
      }
    }
  });

  it('keeps exact count, sum, mean, min and max', () => {
    for (const [, xs] of dataSets()) {
      const h = new LogHistogram();
      let sum = 0;
      for (const x of xs) {
        h.record(x);
        sum += x;
      }
      const sorted = Float64Array.from(xs).sort();
      expect(h.count).toBe(xs.length);
      expect(h.sum).toBe(sum);
      expect(h.mean).toBe(sum / xs.length);
      expect(h.min).toBe(sorted[0]);
      expect(h.max).toBe(sorted[sorted.length - 1]);
      expect(h.quantile(0)).toBe(sorted[0]);
      expect(h.quantile(1)).toBe(sorted[sorted.length - 1]);
    }
  });

  it('uses the smallest value with at least p·count values at or below it', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 10; v++) h.record(v);
    // 0.7 × 10 is 7.000000000000001 in floating point; the 7th value is still the answer.
    expect(Math.abs(h.quantile(0.7) - 7)).toBeLessThanOrEqual(7 * LogHistogram.relativeError);
    expect(Math.abs(h.quantile(0.71) - 8)).toBeLessThanOrEqual(8 * LogHistogram.relativeError);
    expect(h.quantile(0.05)).toBe(1);
  });

  it('reports the minimum for underflow and clamps overflow to the maximum', () => {
    const h = new LogHistogram();
    h.recordN(0, 10);
    h.record(1e-5);
    h.record(50);
    h.record(1e12);
    expect(h.quantile(0.5)).toBe(0);
    expect(h.quantile(10 / 13)).toBe(0);
    expect(h.quantile(11 / 13)).toBe(0);
    expect(Math.abs(h.quantile(12 / 13) - 50)).toBeLessThanOrEqual(0.05);
    expect(h.quantile(0.99)).toBe(1e12);
    expect(h.max).toBe(1e12);
  });

  it('is empty-safe and rejects negative, NaN and infinite values', () => {
    const h = new LogHistogram();
    expect([h.count, h.sum, h.mean, h.min, h.max, h.quantile(0.5)]).toEqual([0, 0, 0, 0, 0, 0]);
    for (const bad of [-1, NaN, Infinity]) expect(() => h.record(bad)).toThrow(RangeError);
    expect(() => h.recordN(1, -1)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });

  it('quantiles(ps) in one scan gives quantile(p) of each, at the ends, in underflow and overflow too', () => {
    const ps = [0, 1e-9, ...PS, 1 - 1e-12, 1, 2];
    for (const [name, xs] of dataSets()) {
      const h = new LogHistogram();
      for (const x of xs) h.record(x);
      expect(h.quantiles(ps), name).toEqual(ps.map((p) => h.quantile(p)));
    }
    const edges = new LogHistogram();
    for (const v of [0, 0, 1e-9, 3, 7, 1e300]) edges.record(v); // underflow, a bucket, overflow
    expect(edges.quantiles(ps)).toEqual(ps.map((p) => edges.quantile(p)));
    // 0 and 1e-9 are below the tracked range (reported as the minimum), 3 is a bucket's value within 0.1%, 1e300 above.
    const [low, under, three, over] = edges.quantiles([0.1, 0.5, 0.6, 0.99]);
    expect([low, under, over]).toEqual([0, 0, 1e300]);
    expect(Math.abs(three / 3 - 1)).toBeLessThan(1e-3);
    expect(new LogHistogram().quantiles([0.5, 1])).toEqual([0, 0]);
  });

  it('recordN(v, n) equals n records, and merge equals recording everything in one', () => {
    const [, xs] = dataSets()[0];
    const all = new LogHistogram();
    const a = new LogHistogram();
    const b = new LogHistogram();
    xs.forEach((x, i) => {
      all.record(x);
      (i % 3 === 0 ? a : b).record(x);
    });
    a.merge(b);
    a.merge(new LogHistogram());
    expect(a.count).toBe(all.count);
    expect(a.min).toBe(all.min);
    expect(a.max).toBe(all.max);
    expect(a.sum).toBeCloseTo(all.sum, 6);
    for (const p of PS) expect(a.quantile(p)).toBe(all.quantile(p));

    const once = new LogHistogram();
    const many = new LogHistogram();
    once.recordN(12.5, 4);
    for (let i = 0; i < 4; i++) many.record(12.5);
    expect([0, ...PS, 1].map((p) => once.quantile(p))).toEqual([0, ...PS, 1].map((p) => many.quantile(p)));
    expect([once.count, once.sum]).toEqual([many.count, many.sum]);
  });
});
