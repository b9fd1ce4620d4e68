import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../src/engine/rng.js';
import type { ArrivalSegment, RateShape } from '../../src/scenario/types.js';
import { ArrivalStream, expectedArrivals, segmentRatePerS } from '../../src/workload/arrivals.js';

function rngs(seed = 'test-seed'): (i: number) => ReturnType<RngStreams['stream']> {
  const streams = new RngStreams(seed);
  return (i) => streams.stream(`x/${i}`);
}

function collect(segments: ArrivalSegment[], seed = 'test-seed'): number[] {
  const stream = new ArrivalStream(segments, rngs(seed));
  const out: number[] = [];
  for (let t = stream.next(); t !== Infinity; t = stream.next()) out.push(t);
  return out;
}

function seg(process: 'poisson' | 'constant', shape: RateShape, startMs: number, endMs: number): ArrivalSegment {
  return { process, shape, startMs, endMs };
}

/** Counts of arrivals in consecutive windows of `windowMs` over [0, endMs). */
function windowCounts(times: number[], windowMs: number, endMs: number): number[] {
  const counts = new Array<number>(Math.ceil(endMs / windowMs)).fill(0);
  for (const t of times) counts[Math.floor(t / windowMs)]++;
  return counts;
}

const diurnal: RateShape = { kind: 'diurnal', meanPerS: 40, amplitude: 0.8, periodMs: 60_000, peakAtMs: 15_000 };
const ramp: RateShape = { kind: 'ramp', fromPerS: 10, toPerS: 200 };

describe('constant process', () => {
  it('gives exactly rate × duration arrivals at exact instants', () => {
    const times = collect([seg('constant', { kind: 'constant', ratePerS: 200 }, 0, 1000)]);
    expect(times).toEqual(Array.from({ length: 200 }, (_, k) => 5 * k));
  });

  it('places the k-th arrival where the cumulative intensity reaches k (ramp and diurnal)', () => {
    for (const shape of [ramp, { kind: 'ramp', fromPerS: 300, toPerS: 0 } as RateShape, diurnal]) {
      const s = seg('constant', shape, 1000, 121_000);
      const times = collect([s]);
      expect(times.length).toBe(Math.ceil(expectedArrivals(s, 0, Infinity)));
      times.forEach((t, k) => expect(Math.abs(expectedArrivals(s, 0, t) - k)).toBeLessThanOrEqual(1e-9 * (k + 1)));
    }
  });

  it('gives no arrivals at rate 0', () => {
    expect(collect([seg('constant', { kind: 'constant', ratePerS: 0 }, 0, 1000)])).toEqual([]);
    expect(collect([seg('poisson', { kind: 'constant', ratePerS: 0 }, 0, 1000)])).toEqual([]);
    expect(collect([seg('constant', { kind: 'ramp', fromPerS: 0, toPerS: 0 }, 0, 1000)])).toEqual([]);
    expect(collect([seg('poisson', { ...diurnal, meanPerS: 0 } as RateShape, 0, 1000)])).toEqual([]);
  });
});

describe('poisson process', () => {
  it('has counts per window with mean λT and dispersion 1 (constant rate, 5 SE)', () => {
    const rate = 50;
    const windows = 4000;
    const times = collect([seg('poisson', { kind: 'constant', ratePerS: rate }, 0, windows * 1000)]);
    const counts = windowCounts(times, 1000, windows * 1000);
    const mean = counts.reduce((a, b) => a + b, 0) / windows;
    const variance = counts.reduce((a, c) => a + (c - mean) ** 2, 0) / (windows - 1);
    expect(Math.abs(mean - rate)).toBeLessThanOrEqual(5 * Math.sqrt(rate / windows));
    // The index of dispersion of Poisson counts has standard error ≈ √(2/(W−1)).
    expect(Math.abs(variance / mean - 1)).toBeLessThanOrEqual(5 * Math.sqrt(2 / (windows - 1)));
  });

  it('follows ramp and diurnal intensities: totals within 5 SE, windows by χ²', () => {
    for (const shape of [ramp, diurnal]) {
      const s = seg('poisson', shape, 0, 600_000);
      const times = collect([s]);
      const total = expectedArrivals(s, 0, Infinity);
      expect(Math.abs(times.length - total)).toBeLessThanOrEqual(5 * Math.sqrt(total));
      const windowMs = 10_000;
      const counts = windowCounts(times, windowMs, 600_000);
      const chi2 = counts.reduce((a, c, i) => {
        const e = expectedArrivals(s, i * windowMs, (i + 1) * windowMs);
        return a + (c - e) ** 2 / e;
      }, 0);
      // χ² with k = 60 degrees of freedom: mean k, sd √(2k).
      expect(chi2).toBeLessThanOrEqual(60 + 5 * Math.sqrt(120));
    }
  });

  it('keeps arrivals in [startMs, endMs), non-decreasing, and is deterministic', () => {
    const s = seg('poisson', diurnal, 2000, 30_000);
    const times = collect([s]);
    expect(times[0]).toBeGreaterThanOrEqual(2000);
    expect(times[times.length - 1]).toBeLessThan(30_000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
    expect(collect([s])).toEqual(times);
    expect(collect([s], 'other-seed')).not.toEqual(times);
  });

  it('handles a diurnal rate that touches zero', () => {
    const s = seg('poisson', { ...diurnal, amplitude: 1 } as RateShape, 0, 600_000);
    const times = collect([s]);
    const total = expectedArrivals(s, 0, Infinity);
    expect(Math.abs(times.length - total)).toBeLessThanOrEqual(5 * Math.sqrt(total));
  });
});

describe('superposition', () => {
  it('merges independent segments in time order', () => {
    const base = seg('poisson', { kind: 'constant', ratePerS: 20 }, 0, 60_000);
    const burst = seg('poisson', { kind: 'constant', ratePerS: 300 }, 20_000, 25_000);
    const tick = seg('constant', { kind: 'constant', ratePerS: 1 }, 0, 60_000);
    const merged = collect([base, burst, tick]);
    // Each segment draws from its own stream, named by its index.
    const streams = new RngStreams('test-seed');
    const alone = [base, burst, tick].flatMap((s, i) => {
      const one = new ArrivalStream([s], () => streams.stream(`x/${i}`));
      const out: number[] = [];
      for (let t = one.next(); t !== Infinity; t = one.next()) out.push(t);
      return out;
    });
    expect(merged).toEqual(alone.sort((a, b) => a - b));
    const inBurst = merged.filter((t) => t >= 20_000 && t < 25_000).length;
    const expected = expectedArrivals(base, 20_000, 25_000) + expectedArrivals(burst, 20_000, 25_000) + 5;
    expect(Math.abs(inBurst - expected)).toBeLessThanOrEqual(5 * Math.sqrt(expected));
  });

  it('returns Infinity forever once exhausted, and for no segments', () => {
    const stream = new ArrivalStream([seg('constant', { kind: 'constant', ratePerS: 1 }, 0, 2000)], rngs());
    expect([stream.next(), stream.next(), stream.next(), stream.next()]).toEqual([0, 1000, Infinity, Infinity]);
    expect(new ArrivalStream([], rngs()).next()).toBe(Infinity);
  });
});

describe('expectedArrivals and segmentRatePerS', () => {
  it('integrate the rate in closed form', () => {
    expect(expectedArrivals(seg('poisson', { kind: 'constant', ratePerS: 200 }, 0, 1000), -5, 500)).toBe(100);
    const r = seg('poisson', ramp, 0, 10_000);
    expect(expectedArrivals(r, 0, 10_000)).toBeCloseTo(1050, 9); // (10 + 200)/2 × 10 s
    expect(expectedArrivals(r, 0, 5000)).toBeCloseTo(287.5, 9); // (10 + 105)/2 × 5 s
    const d = seg('poisson', diurnal, 0, 600_000);
    expect(expectedArrivals(d, 0, 600_000)).toBeCloseTo(40 * 600, 6); // whole periods
    // Peak at 15 s: the half period centred on it gets mean × (T/2 + A·T/π).
    expect(expectedArrivals(d, 0, 30_000)).toBeCloseTo(40 * (30 + (0.8 * 60) / Math.PI), 9);
  });

  it('gives the instantaneous rate, 0 outside the segment', () => {
    const r = seg('poisson', ramp, 1000, 11_000);
    expect(segmentRatePerS(r, 1000)).toBeCloseTo(10, 12);
    expect(segmentRatePerS(r, 6000)).toBeCloseTo(105, 12);
    expect(segmentRatePerS(r, 11_000)).toBe(0);
    expect(segmentRatePerS(r, 999)).toBe(0);
    const d = seg('poisson', diurnal, 0, 600_000);
    expect(segmentRatePerS(d, 15_000)).toBeCloseTo(72, 12);
    expect(segmentRatePerS(d, 45_000)).toBeCloseTo(8, 12);
  });

  it('rejects invalid shapes', () => {
    const stream = (shape: RateShape) => () => new ArrivalStream([seg('poisson', shape, 0, 1000)], rngs());
    expect(stream({ kind: 'constant', ratePerS: -1 })).toThrow(RangeError);
    expect(stream({ ...diurnal, amplitude: 1.5 } as RateShape)).toThrow(RangeError);
    expect(stream({ ...diurnal, periodMs: 0 } as RateShape)).toThrow(RangeError);
  });
});
