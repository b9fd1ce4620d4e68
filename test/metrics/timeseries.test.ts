import { describe, expect, it } from 'vitest';
import { RngStreams } from '../../src/engine/rng.js';
import { BucketCounter, LevelTracker } from '../../src/metrics/timeseries.js';

describe('BucketCounter', () => {
  it('counts events per interval, with a partial last bucket, ignoring events outside [0, duration)', () => {
    const c = new BucketCounter(10, 35);
    for (const t of [0, 9.999, 10, 25, 34.999, 35, 100, -1]) c.add(t);
    c.add(31, 5);
    expect(Array.from(c.values)).toEqual([2, 1, 1, 6]);
  });
});

/** The double `steps` units in the last place from v (v ≥ 0). */
function ulps(v: number, steps: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, v);
  view.setBigUint64(0, view.getBigUint64(0) + BigInt(steps));
  return view.getFloat64(0);
}

describe('BucketCounter fast path (issue 21)', () => {
  it('puts every instant in bucket ⌊t / interval⌋, at the bounds, an ulp from them and in any order', () => {
    const rng = new RngStreams('bucket-counter').stream('t');
    for (const [intervalMs, durationMs] of [[1000, 60_000], [1000 / 3, 10_000], [0.1, 7.3], [7, 1e6]]) {
      const c = new BucketCounter(intervalMs, durationMs);
      const n = c.values.length;
      const expected = new Float64Array(n);
      const add = (t: number): void => {
        c.add(t);
        if (t >= 0 && t < durationMs) expected[Math.min(Math.floor(t / intervalMs), n - 1)]++;
      };
      // Each bound and its neighbours, in time order (the fast path's case), then the same again backwards.
      const bounds = Array.from({ length: Math.min(n, 2000) + 1 }, (_, k) => k * intervalMs);
      for (const order of [1, -1]) {
        for (const b of order === 1 ? bounds : [...bounds].reverse()) for (let s = -3; s <= 3; s++) if (b > 0 || s >= 0) add(ulps(b, s));
      }
      // Random instants, sorted and not.
      const ts = Array.from({ length: 20_000 }, () => rng.double() * durationMs * 1.01);
      for (const t of ts) add(t);
      for (const t of ts.sort((a, b) => a - b)) add(t);
      expect(Array.from(c.values)).toEqual(Array.from(expected));
    }
  });
});

describe('LevelTracker', () => {
  /**
   * Buckets of 10 ms over [0, 35), warm-up until 5 ms. The level is
   *   [0,1) 2 · [1,3) 8 · [3,4) 2 · [4,12) 5 · [12,25) 3 with a zero-length 9 at 22 · [25,31) 0 · [31,35) 4.
   */
  function example(): LevelTracker {
    const lt = new LevelTracker(10, 35, 5);
    const steps: [number, number][] = [[0, 2], [1, 8], [3, 2], [4, 5], [12, 3], [22, 9], [22, 3], [25, 0], [31, 4]];
    for (const [t, level] of steps) lt.set(t, level);
    lt.finish(35);
    return lt;
  }

  it('integrates each bucket exactly', () => {
    const lt = example();
    // [0,10): 2·1 + 8·2 + 2·1 + 5·6 = 50; [10,20): 5·2 + 3·8 = 34; [20,30): 3·5 + 0·5 = 15; [30,35): 0·1 + 4·4 = 16 over 5 ms.
    expect([0, 1, 2, 3].map((i) => lt.bucketMean(i))).toEqual([5, 3.4, 1.5, 3.2]);
    // Maxima include the zero-length 9 and the level carried into a bucket.
    expect([0, 1, 2, 3].map((i) => lt.bucketMax(i))).toEqual([8, 5, 9, 4]);
  });

  it('ignores the warm-up in the overall mean and max', () => {
    const lt = example();
    // Over [5, 35]: 5·7 + 3·13 + 0·6 + 4·4 = 90 over 30 ms; the 8 at [1,3) is before the warm-up ends.
    expect(lt.mean).toBe(3);
    expect(lt.max).toBe(9);
  });

  it('counts a level carried across the warm-up boundary and across many empty buckets', () => {
    const lt = new LevelTracker(1, 100_000, 50_000);
    lt.set(0, 7);
    lt.set(10, 1);
    lt.finish(100_000);
    expect(lt.mean).toBe(1);
    expect(lt.max).toBe(1);
    expect(lt.bucketMean(5)).toBe(7);
    expect(lt.bucketMean(99_999)).toBe(1);
    expect(lt.bucketMax(70_000)).toBe(1);
  });

  it('is 0 with no time observed, and rejects time going back or negative levels', () => {
    const lt = new LevelTracker(10, 100, 50);
    lt.set(20, 4);
    expect([lt.mean, lt.max]).toEqual([0, 0]);
    expect(() => lt.set(10, 1)).toThrow(RangeError);
    expect(() => lt.set(30, -1)).toThrow(RangeError);
    expect(() => lt.finish(19)).toThrow(RangeError);
  });
});
