// Environment lifetime and proactive replacement (docs/model.md "Maximum lifetime", docs/sources.md §2).
// Each expectation is derived in its comment; seeds are fixed and tolerances are stated from the
// number of trials.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

describe('a steady run has no periodic cold-start spike', () => {
  // 100 requests/s, evenly spaced, of 995 ms with no init: the pool is exactly 100 environments, each
  // used again within 10 ms, so (with replacement off) every lifetime end is one retirement followed
  // by exactly one cold start at the next arrival, and the new environment keeps the same cadence.
  // Cold starts after the first interval are then the retirements of 100 environments, each renewed
  // every L ~ U(2 h, 6 h) from about t = 0. The renewal density of U(2 h, 6 h) is at most 0.375 per
  // hour (1/4 h⁻¹ from the first lifetimes plus (t − 4 h)/16 h⁻² from the second, reached at 6 h), so
  // a 10-minute interval expects at most 100 × 0.375 / 6 = 6.25 retirements; no environment retires
  // twice in one interval, so the count is a sum of independent Bernoullis (variance ≤ mean) and
  // 6.25 + 4·√6.25 = 16.25 bounds every interval. A fixed 4 h lifetime retires all 100 in the interval
  // holding 4 h (and again at 8 h, ...).
  const steady = (fn: string) =>
    run(`
name: steady-lifetime
seed: 5
duration: 24h
report: { interval: 10m }
functions:
  f: { duration: 995ms, init: 0ms, timeout: 10s, ${fn} }
workloads:
  - { function: f, arrivals: { constant: 100/s }, client: { retries: none } }
`);

  it('lifetimes drawn from U(2 h, 6 h): every interval within the bound, one cold start per retirement', () => {
    const r = steady('proactiveReplacement: off');
    const f = r.functions[0];
    const cold = r.timeSeries.functions.f.coldStarts;
    expect(cold[0]).toBe(100);
    expect(Math.max(...cold.slice(1))).toBeLessThanOrEqual(16);
    expect(f.coldStarts - 100).toBe(f.environments.retired);
    // 100 renewal processes over 24 h: about 100 × (24 h / 4 h − 1 + (σ² + μ²)/2μ²) = 554 retirements, sd ≈ √(100 × 24 × (4/3) / 64) ≈ 7.
    expect(Math.abs(f.environments.retired - 554)).toBeLessThanOrEqual(28);
    expect(f.environments.mean.alive).toBeCloseTo(100, 0);
  });

  it('the old fixed 4 h lifetime: all 100 environments retire together, a spike every 4 h', () => {
    const r = steady('proactiveReplacement: off, maxLifetime: 4h');
    const cold = r.timeSeries.functions.f.coldStarts;
    // Created in the first second, retired in the first second after 4 h, 8 h, ... (intervals 24, 48, ...).
    for (const i of [24, 48, 72, 96, 120]) expect(cold[i]).toBe(100);
    expect(cold.reduce((a, b) => a + b, 0)).toBe(600);
  });

  it('with proactive replacement (the default) no request pays for a lifetime end', () => {
    // Every environment is in use at its lifetime end, so each is replaced at its retirement: the only
    // cold starts are the first 100, and the replacements are the retirements, counted apart.
    const f = steady('').functions[0];
    expect(f.coldStarts).toBe(100);
    expect(f.environments.proactiveInits).toBe(f.environments.retired);
    expect(Math.abs(f.environments.retired - 554)).toBeLessThanOrEqual(28);
    expect(f.environments.created).toBe(100 + f.environments.proactiveInits);
  });
});

describe('a function called every few minutes', () => {
  // One request every X minutes (constant arrivals) of 100 ms for 60 days, keep-alive 10 min: idle
  // reclaim explains no cold start after the first (every gap is shorter than the keep-alive), so any
  // other cold start would come from lifetime ends.
  const sparse = (everyMin: number, fn = '') =>
    run(`
name: sparse-lifetime
seed: 11
duration: 60d
functions:
  f: { duration: 100ms, init: 200ms, keepAlive: 10m, ${fn} }
workloads:
  - { function: f, arrivals: { constant: ${60 / everyMin}/h }, client: { retries: none } }
`).functions[0];
  // Lifetimes L ~ U(2 h, 6 h) renewed back to back over D = 1,440 h: E[count] ≈ D/μ + (σ² + μ²)/2μ² − 1
  // = 359.5, sd ≈ √(D σ² / μ³) = √(1440 × (4/3) / 64) = 5.5; tolerance 4 sd.
  const renewals = 359.5;
  const sd = 5.5;

  it('every 3 min: every lifetime end is replaced (used within 6 min), so no request is cold after the first', () => {
    const f = sparse(3);
    expect(f.coldStarts).toBe(1);
    expect(f.environments.reclaimed).toBe(0);
    expect(f.environments.proactiveInits).toBe(f.environments.retired);
    expect(Math.abs(f.environments.retired - renewals)).toBeLessThanOrEqual(4 * sd);
  });

  it('every 3 min with proactive replacement off: one cold start per lifetime end', () => {
    // Each retirement leaves the next request (on average 1.5 min later) to create the next environment:
    // cycles of L + 1.5 min, E[count] ≈ 1440 / 4.025 + 0.54 − 1 = 357.3.
    const f = sparse(3, 'proactiveReplacement: off');
    expect(f.coldStarts).toBe(1 + f.environments.retired);
    expect(Math.abs(f.environments.retired - 357.3)).toBeLessThanOrEqual(4 * sd);
  });

  it('every 8 min: a lifetime end finds the environment idle for U(0, 8 min), replaced when at most 6 min', () => {
    // The lifetime phase is random against the 8-minute cadence, so 3/4 of the R lifetime ends are
    // replaced and 1/4 cost a cold start: cold − 1 ~ Binomial(R, 1/4), tolerance 4·√(R·(1/4)·(3/4)).
    const f = sparse(8);
    const retired = f.environments.retired;
    expect(f.environments.proactiveInits + (f.coldStarts - 1)).toBe(retired);
    expect(Math.abs(f.coldStarts - 1 - retired / 4)).toBeLessThanOrEqual(4 * Math.sqrt((retired * 3) / 16));
  });
});
