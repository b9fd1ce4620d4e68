// The scaling-rate rules (docs/sources.md §1, §9) as timelines a reader can check.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

describe('per-function-2023 scaling rule', () => {
  // A step from 0 to 5,000 requests/s of 1 s work needs 5,000 environments.
  // The rule allows 1,000 at once, then 1,000 per 10 s refilled continuously
  // (100/s), so 1,000 + 100·t environments exist at t seconds: 2,000 at 10 s,
  // 3,000 at 20 s, 4,000 at 30 s and all 5,000 from 40 s.
  const r = run(`
name: step
seed: 1
duration: 60s
account: { concurrency: 10000 }
functions:
  f:
    duration: 1s
    init: 0ms
    timeout: 5s
workloads:
  - function: f
    arrivals: { constant: 5000/s }
    client: { retries: none }
report: { interval: 1s }
`);
  const envs = r.timeSeries.functions.f.environments;
  // environments[i] is the count at the end of interval i, i.e. at (i+1) s.
  it.each([
    [10, 2000],
    [20, 3000],
    [30, 4000],
    [40, 5000],
    [50, 5000],
  ])('at %i s: %i environments', (t, expected) => {
    // ±1 for floating-point accumulation in the continuous refill.
    expect(Math.abs(envs[t - 1] - expected)).toBeLessThanOrEqual(1);
  });
  it('throttles the rest with the scaling-rate reason only', () => {
    const f = r.functions[0];
    expect(f.throttles['scaling-rate']).toBe(f.throttles.total);
    // Each environment, once created at c seconds, starts one invocation per
    // second until the end: ceil(60 − c) invocations. 1,000 are created at 0 s
    // and the k-th of the next 4,000 at k/100 s.
    let expected = 1000 * 60;
    for (let k = 1; k <= 4000; k++) expected += Math.ceil(60 - k / 100);
    expect(Math.abs(f.invocations - expected) / expected).toBeLessThan(0.001);
  });
});

describe('regional-burst-legacy rule: the AWS Operator Guide example', () => {
  // 10,000 requests against a 10,000 quota (us-east-1: burst 3,000, then +500/min),
  // arriving "all at the same time in the minute they are scheduled", 2 s of work each.
  const scenario = (perMinute: number[]) => `
name: legacy
seed: 1
duration: ${perMinute.length + 1}m
account: { concurrency: 10000, region: us-east-1, scaling: regional-burst-legacy }
functions:
  f:
    duration: 2s
    init: 0ms
    timeout: 10s
workloads:
  - function: f
    arrivals: [${perMinute.map((n, i) => `{ at: ${i}m, for: 1ms, constant: ${n * 1000}/s }`).join(', ')}]
    client: { retries: none }
report: { interval: 1m }
`;
  it('all at once: 3,000 served, 7,000 throttled', () => {
    const f = run(scenario([10000])).functions[0];
    expect(f.invocations).toBe(3000);
    expect(f.throttles.total).toBe(7000);
  });
  it('over 2 minutes: minute 1 serves 3,000 and throttles 2,000; minute 2 adds 500 and throttles 1,500', () => {
    const r = run(scenario([5000, 5000]));
    expect(r.timeSeries.functions.f.invocations.slice(0, 2)).toEqual([3000, 3500]);
    expect(r.timeSeries.functions.f.throttles.slice(0, 2)).toEqual([2000, 1500]);
  });
  it('over 3 minutes: 333 throttled in minute 1, none after', () => {
    const r = run(scenario([3333, 3333, 3334]));
    expect(r.timeSeries.functions.f.throttles.slice(0, 3)).toEqual([333, 0, 0]);
  });
  it('over 4 minutes: nothing throttled', () => {
    expect(run(scenario([2500, 2500, 2500, 2500])).functions[0].throttles.total).toBe(0);
  });
  it('the burst is shared by every function in the account', () => {
    const r = run(`
name: shared
seed: 1
duration: 1m
account: { concurrency: 10000, scaling: regional-burst-legacy }
functions:
  a: { duration: 2s, init: 0ms }
  b: { duration: 2s, init: 0ms }
workloads:
  - { function: a, arrivals: { at: 0s, for: 1ms, constant: 2000000/s }, client: { retries: none } }
  - { function: b, arrivals: { at: 0s, for: 1ms, constant: 2000000/s }, client: { retries: none } }
`);
    expect(r.functions[0].invocations + r.functions[1].invocations).toBe(3000);
  });
});

describe('per-function-2023: functions scale independently', () => {
  it('two functions hit at once each get their own 1,000 environments', () => {
    // 2,000 requests each within 1 ms, 2 s of work: each function creates 1,000 environments
    // from its own bucket (the legacy rule would share one burst between them).
    const r = run(`
name: independent
seed: 1
duration: 1m
account: { concurrency: 10000 }
functions:
  a: { duration: 2s, init: 0ms }
  b: { duration: 2s, init: 0ms }
workloads:
  - { function: a, arrivals: { at: 0s, for: 1ms, constant: 2000000/s }, client: { retries: none } }
  - { function: b, arrivals: { at: 0s, for: 1ms, constant: 2000000/s }, client: { retries: none } }
`);
    expect(r.functions.map((f) => f.invocations)).toEqual([1000, 1000]);
    expect(r.functions.map((f) => f.throttles['scaling-rate'])).toEqual([1000, 1000]);
  });
});
