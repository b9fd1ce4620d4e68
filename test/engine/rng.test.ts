import { describe, expect, it } from 'vitest';
import { RngStreams, Xoshiro128 } from '../../src/engine/rng.js';

describe('xoshiro128**', () => {
  it('gives the reference outputs for the state (1, 2, 3, 4)', () => {
    // Worked from the reference C code (prng.di.unimi.it/xoshiro128starstar.c): 11520, 0, 5927040, …
    const g = new Xoshiro128(1, 2, 3, 4);
    expect([g.uint32(), g.uint32(), g.uint32()]).toEqual([11520, 0, 5927040]);
  });

  it('refuses the all-zero state, which would stay zero', () => {
    expect(() => new Xoshiro128(0, 0, 0, 0)).toThrow(RangeError);
  });

  it('draws uniforms in [0, 1) whose mean and variance are 1/2 and 1/12 (10^6 draws, 5 standard errors)', () => {
    const g = new RngStreams('1').stream('test/uniform');
    const n = 1_000_000;
    let sum = 0;
    let sq = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = i % 2 === 0 ? g.double() : g.next();
      sum += u;
      sq += u * u;
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // Var(U) = 1/12, so the mean's standard error is √(1/12/n); Var(U²) = 4/45, likewise.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sq / n - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / 45 / n));
  });

  it('fills the 20 deciles evenly (χ² with 19 degrees of freedom below its 99.9th percentile, 43.8)', () => {
    const g = new RngStreams('7').stream('test/chi2');
    const counts = new Array(20).fill(0);
    const n = 200_000;
    for (let i = 0; i < n; i++) counts[Math.floor(g.double() * 20)]++;
    const chi2 = counts.reduce((a, c) => a + (c - n / 20) ** 2 / (n / 20), 0);
    expect(chi2).toBeLessThan(43.8);
  });
});

describe('named streams', () => {
  it('depend on the seed and the name only, not on which other streams exist or were drawn from', () => {
    const a = new RngStreams('42');
    const b = new RngStreams('42');
    b.stream('other').double();
    b.stream('another').next();
    const x = a.stream('fn/f/duration');
    const y = b.stream('fn/f/duration');
    for (let i = 0; i < 100; i++) expect(y.double()).toBe(x.double());
  });

  it('differ between names and between seeds', () => {
    const first = (seed: string, name: string) => new RngStreams(seed).stream(name).double();
    expect(first('42', 'fn/f/duration')).not.toBe(first('42', 'fn/f/init'));
    expect(first('42', 'fn/f/duration')).not.toBe(first('43', 'fn/f/duration'));
  });
});
