import { describe, expect, it } from 'vitest';
import { RngStreams, type Rng } from '../../src/engine/rng.js';
import type { DistributionSpec } from '../../src/scenario/types.js';
import { makeSampler, normalCdf, normalQuantile, type Sampler } from '../../src/workload/distributions.js';

const N = 200_000;

function draw(sampler: Sampler, n = N, name = 'x'): Float64Array {
  const rng = new RngStreams('test-seed').stream(name);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = sampler.sample(rng);
  return xs;
}

/** Sample mean, variance and fourth central moment. */
function moments(xs: Float64Array): { mean: number; variance: number; m4: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let s2 = 0;
  let s4 = 0;
  for (const x of xs) {
    const d2 = (x - mean) ** 2;
    s2 += d2;
    s4 += d2 * d2;
  }
  return { mean, variance: s2 / (xs.length - 1), m4: s4 / xs.length };
}

/**
 * The sample mean within 5 standard errors of the exact mean, and the sample
 * variance within 5 standard errors (√((μ₄ − σ⁴)/n), μ₄ estimated) of the exact variance.
 */
function expectMoments(sampler: Sampler, name = 'x'): Float64Array {
  const xs = draw(sampler, N, name);
  const m = moments(xs);
  const seMean = Math.sqrt(sampler.variance / xs.length);
  expect(Math.abs(m.mean - sampler.mean)).toBeLessThanOrEqual(5 * seMean);
  const seVar = Math.sqrt(Math.max(0, m.m4 - m.variance ** 2) / xs.length);
  expect(Math.abs(m.variance - sampler.variance)).toBeLessThanOrEqual(5 * seVar);
  return xs;
}

/** The empirical p-quantile of sorted data (smallest x with at least p·n values ≤ x). */
function sortedQuantile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** A Rng that counts its calls. */
function counting(rng: Rng): Rng & { calls: number } {
  const c = {
    calls: 0,
    next: () => (c.calls++, rng.next()),
    double: () => (c.calls++, rng.double()),
  };
  return c;
}

describe('normalQuantile and normalCdf', () => {
  // Reference values from mpmath at 40 digits.
  const cdf: [number, number][] = [
    [-37, 5.725571222524577e-300],
    [-20, 2.7536241186062337e-89],
    [-8, 6.220960574271784e-16],
    [-5, 2.866515718791939e-7],
    [-3, 0.0013498980316300946],
    [-1, 0.15865525393145705],
    [-0.5, 0.3085375387259869],
    [0, 0.5],
    [1, 0.8413447460685429],
    [3, 0.9986501019683699],
  ];
  const quantile: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798407],
    [1e-5, -4.264890793922825],
    [0.02, -2.053748910631823],
    [0.3, -0.5244005127080408],
    [0.5, 0],
    [0.9, 1.2815515655446006],
    [0.99, 2.3263478740408408],
    [0.999999, 4.753424308817087],
  ];

  it('match reference values to 1e-14 relative error', () => {
    for (const [x, v] of cdf) expect(Math.abs(normalCdf(x) - v)).toBeLessThanOrEqual(1e-14 * v);
    for (const [p, v] of quantile) expect(Math.abs(normalQuantile(p) - v)).toBeLessThanOrEqual(1e-14 * Math.abs(v));
  });

  it('invert each other', () => {
    for (let i = 1; i < 1000; i++) {
      const p = i / 1000;
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThanOrEqual(1e-14 * Math.min(p, 1 - p));
    }
  });

  it('handle the ends of their domains', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(NaN)).toBeNaN();
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });
});

describe('makeSampler', () => {
  const specs: DistributionSpec[] = [
    { kind: 'fixed', valueMs: 42 },
    { kind: 'exponential', meanMs: 120 },
    { kind: 'uniform', minMs: 10, maxMs: 30 },
    { kind: 'normal', meanMs: 100, sdMs: 50, minMs: 0, maxMs: Infinity },
    { kind: 'lognormal', mu: Math.log(100), sigma: 0.5 },
    { kind: 'empirical', valuesMs: [5, 10, 10, 40] },
    { kind: 'empirical', valuesMs: [1, 2, 3], weights: [1, 2, 7] },
    { kind: 'cdf', pointsMs: [180, 240, 300, 360, 420], cumulative: [0, 0.003, 0.003, 0.406, 1] },
  ];

  it('draws exactly one uniform per sample, deterministically', () => {
    for (const spec of specs) {
      const sampler = makeSampler(spec);
      const a = counting(new RngStreams('test-seed').stream('x'));
      const b = counting(new RngStreams('test-seed').stream('x'));
      for (let i = 0; i < 1000; i++) expect(sampler.sample(a)).toBe(sampler.sample(b));
      expect(a.calls).toBe(1000);
    }
  });

  it('matches exact means and variances within 5 standard errors', () => {
    for (const spec of specs) expectMoments(makeSampler(spec));
  });

  it('has the textbook closed forms', () => {
    expect(makeSampler({ kind: 'exponential', meanMs: 120 })).toMatchObject({ mean: 120, variance: 14400 });
    expect(makeSampler({ kind: 'uniform', minMs: 10, maxMs: 30 })).toMatchObject({ mean: 20, variance: 400 / 12 });
    const ln = makeSampler({ kind: 'lognormal', mu: 1, sigma: 0.5 });
    expect(ln.mean).toBeCloseTo(Math.exp(1.125), 12);
    expect(ln.variance).toBeCloseTo((Math.exp(0.25) - 1) * Math.exp(2.25), 12);
    const emp = makeSampler({ kind: 'empirical', valuesMs: [1, 2, 3], weights: [1, 2, 7] });
    expect(emp.mean).toBeCloseTo(2.6, 14);
    expect(emp.variance).toBeCloseTo(0.1 * 1.6 ** 2 + 0.2 * 0.6 ** 2 + 0.7 * 0.4 ** 2, 14);
  });
});

describe('lognormal', () => {
  const mu = Math.log(200);
  const sigma = 0.8;
  const sampler = makeSampler({ kind: 'lognormal', mu, sigma });

  it('has closed-form quantiles', () => {
    expect(sampler.quantile(0.5)).toBeCloseTo(200, 10);
    expect(sampler.quantile(0.99) / Math.exp(mu + sigma * 2.3263478740408408)).toBeCloseTo(1, 14);
  });

  it('sample quantiles match the closed form within 5 standard errors', () => {
    const xs = draw(sampler).sort();
    for (const p of [0.01, 0.1, 0.5, 0.9, 0.99, 0.999]) {
      const q = sampler.quantile(p);
      const z = normalQuantile(p);
      const density = Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * sigma * q);
      const se = Math.sqrt((p * (1 - p)) / xs.length) / density;
      expect(Math.abs(sortedQuantile(xs, p) - q)).toBeLessThanOrEqual(5 * se);
    }
  });
});

describe('truncated normal', () => {
  // [meanMs, sdMs, minMs, maxMs] → exact mean, variance, median (scipy.stats.truncnorm).
  const cases: [number, number, number, number, number, number, number][] = [
    [100, 50, 0, Infinity, 102.7623931339495, 2216.129870778559, 101.42584632954588],
    [10, 20, 0, 30, 14.132624361230661, 69.10930363459724, 13.779364644115496],
    [0, 1, 3, Infinity, 3.28309865493044, 0.07055918678525586, 3.2051549205989334],
    [10, 1, 0, 6, 5.7743928555105235, 0.04667283839739844, 5.838895721402119],
    [5, 1, 13, 14, 13.121188992979867, 0.014148542782169593, 13.08488889901817],
    [200, 30, 150, 250, 200, 570.0297993661035, 200],
  ];

  it('has the closed-form truncated mean, variance and quantiles', () => {
    for (const [meanMs, sdMs, minMs, maxMs, mean, variance, median] of cases) {
      const s = makeSampler({ kind: 'normal', meanMs, sdMs, minMs, maxMs });
      expect(Math.abs(s.mean - mean)).toBeLessThanOrEqual(1e-9 * Math.abs(mean));
      expect(Math.abs(s.variance - variance)).toBeLessThanOrEqual(1e-6 * variance);
      expect(Math.abs(s.quantile(0.5) - median)).toBeLessThanOrEqual(1e-9 * Math.abs(median));
      expect(s.quantile(0)).toBeCloseTo(minMs, 9);
      if (Number.isFinite(maxMs)) expect(s.quantile(1)).toBeCloseTo(maxMs, 9);
      else expect(s.quantile(1)).toBe(Infinity);
    }
  });

  it('samples stay in range and match the truncated moments within 5 standard errors', () => {
    cases.forEach(([meanMs, sdMs, minMs, maxMs], i) => {
      const s = makeSampler({ kind: 'normal', meanMs, sdMs, minMs, maxMs });
      const xs = expectMoments(s, `tn${i}`);
      const sorted = xs.sort();
      expect(sorted[0]).toBeGreaterThanOrEqual(minMs);
      expect(sorted[sorted.length - 1]).toBeLessThanOrEqual(maxMs);
    });
  });

  it('degenerates to a point mass when sd is 0', () => {
    const s = makeSampler({ kind: 'normal', meanMs: 50, sdMs: 0, minMs: 0, maxMs: Infinity });
    expect(s).toMatchObject({ mean: 50, variance: 0 });
    expect(s.sample(new RngStreams('test-seed').stream('x'))).toBe(50);
  });
});

describe('empirical', () => {
  it('draws each value with its weight (5 standard errors)', () => {
    const weights = [3, 1, 0.5, 5.5];
    const values = [10, 20, 30, 40];
    const xs = draw(makeSampler({ kind: 'empirical', valuesMs: values, weights }));
    values.forEach((v, i) => {
      const p = weights[i] / 10;
      const freq = xs.filter((x) => x === v).length / xs.length;
      expect(Math.abs(freq - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / xs.length));
    });
  });

  it('has step quantiles', () => {
    const s = makeSampler({ kind: 'empirical', valuesMs: [30, 10, 20, 40] });
    expect([0, 0.25, 0.26, 0.5, 0.75, 0.76, 1].map((p) => s.quantile(p))).toEqual([10, 10, 20, 20, 30, 40, 40]);
  });
});

describe('cdf (piecewise-linear cumulative curve)', () => {
  // Shilkov's 2021 idle-reclaim curve in minutes: uniform density on each segment.
  const spec: DistributionSpec = { kind: 'cdf', pointsMs: [3, 4, 5, 6, 7], cumulative: [0, 0.003, 0.003, 0.406, 1] };
  const s = makeSampler(spec);

  it('has the closed-form moments: sums over segments of Δc·(a+b)/2 and Δc·(a²+ab+b²)/3', () => {
    // Segments [3,4] 0.003, [4,5] 0, [5,6] 0.403, [6,7] 0.594.
    const mean = 0.003 * 3.5 + 0.403 * 5.5 + 0.594 * 6.5;
    const m2 = (0.003 * (9 + 12 + 16) + 0.403 * (25 + 30 + 36) + 0.594 * (36 + 42 + 49)) / 3;
    expect(s.mean).toBeCloseTo(mean, 12);
    expect(s.variance).toBeCloseTo(m2 - mean * mean, 12);
  });

  it('interpolates its quantiles linearly between the points and skips flat segments', () => {
    expect([0, 0.0015, 0.003, 0.2045, 0.406, 0.703, 1].map((p) => s.quantile(p))).toEqual([3, 3.5, 4, 5.5, 6, 6.5, 7].map((x) => expect.closeTo(x, 12)));
    // No mass between 4 and 5: every draw lies in [3, 4] or [5, 7].
    const xs = draw(s);
    expect(xs.filter((x) => x > 4 && x < 5).length).toBe(0);
  });

  it('reproduces the curve at each point within 5 standard errors', () => {
    const xs = draw(s, N, 'cdf');
    for (const [x, p] of [[3.5, 0.0015], [4, 0.003], [5.5, 0.2045], [6, 0.406], [6.5, 0.703]]) {
      const share = xs.filter((v) => v <= x).length / xs.length;
      expect(Math.abs(share - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / xs.length));
    }
  });
});

describe('invalid parameters', () => {
  it('throw a RangeError', () => {
    const bad: DistributionSpec[] = [
      { kind: 'fixed', valueMs: -1 },
      { kind: 'exponential', meanMs: NaN },
      { kind: 'uniform', minMs: 5, maxMs: 1 },
      { kind: 'normal', meanMs: 0, sdMs: 1, minMs: 2, maxMs: 1 },
      { kind: 'normal', meanMs: 0, sdMs: 1, minMs: -1, maxMs: 1 },
      { kind: 'normal', meanMs: 0, sdMs: 1, minMs: 40, maxMs: Infinity },
      { kind: 'lognormal', mu: 0, sigma: -1 },
      { kind: 'empirical', valuesMs: [] },
      { kind: 'empirical', valuesMs: [1, 2], weights: [1, 0] },
      { kind: 'cdf', pointsMs: [1], cumulative: [1] },
      { kind: 'cdf', pointsMs: [1, 1], cumulative: [0, 1] },
      { kind: 'cdf', pointsMs: [1, 2, 3], cumulative: [0, 0.5, 0.4] },
      { kind: 'cdf', pointsMs: [1, 2], cumulative: [0.1, 1] },
      { kind: 'cdf', pointsMs: [1, 2], cumulative: [0, 0.9] },
    ];
    for (const spec of bad) expect(() => makeSampler(spec), JSON.stringify(spec)).toThrow(RangeError);
  });
});
