// Issue 21: a sync request whose whole state is its workload, its client and its start is sent direct (no
// request slot), and a warm direct invocation is recorded once, in a histogram that is both its handler
// duration and its request's end-to-end latency (Platform.shareLatency). Asking for per-request records
// turns the direct path off, so the same scenario and seed run the general path (a slot per request, two
// records per invocation) on the same draws: every figure must come out the same, for a scenario built to
// meet every case and for random mixes of the features around the direct path.
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../src/engine/rng.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

/** Cold starts (short keep-alive, a burst), errors, function timeouts, client timeouts (some direct requests
 * outlast theirs and take a slot after all), throttles with retries, a warm-up and requests open at the end. */
const SCENARIO = `
name: direct
seed: 5
duration: 120s
warmup: 10s
account: { concurrency: 150 }
functions:
  f:
    duration: { lognormal: { median: 120ms, p99: 900ms } }
    timeout: 1s
    errors: 0.02
    keepAlive: 20s
  g:
    duration: { exponential: 80ms }
workloads:
  - name: timeouts
    function: f
    arrivals:
      - { poisson: 300/s }
      - { at: 60s, for: 5s, poisson: 900/s }
    client: { timeout: 400ms, retries: none }
  - name: retrying
    function: g
    arrivals: { poisson: 100/s }
`;

describe('direct sync requests (issue 21)', () => {
  it('give the figures the general path gives on the same draws', () => {
    const direct = simulate(parseScenario(SCENARIO, 'direct.yaml'));
    const general = simulate(parseScenario(SCENARIO, 'direct.yaml'), { onRecord: () => {} });
    // The scenario exercises what it says (else the comparison would prove little).
    const [f] = direct.functions;
    expect(f.coldStarts).toBeGreaterThan(100);
    expect(f.errors).toBeGreaterThan(100);
    expect(f.timeouts).toBeGreaterThan(10);
    expect(f.throttles.total).toBeGreaterThan(100);
    expect(direct.workloads[0]).toMatchObject({ invoke: 'sync' });
    expect((direct.workloads[0] as { clientTimeouts: number }).clientTimeouts).toBeGreaterThan(100);
    expect(direct.functions).toEqual(general.functions);
    expect(direct.workloads).toEqual(general.workloads);
    expect(direct.timeSeries).toEqual(general.timeSeries);
  });

  it('give the figures the general path gives on random mixes of the features around them', () => {
    // Each scenario draws a mix of what decides whether a request goes direct, or changes what a direct
    // request meets: keep-alives fixed and drawn, lifetimes and proactive replacement, reserved and
    // provisioned concurrency, init overruns and failed inits, SnapStart, errors, timeouts, client timeouts, retries and
    // several clients, arrival shapes, scaling rules, billing granularity, parts of the month, a warm-up.
    const rng = new Xoshiro128(21, 2, 3, 4);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
    const maybe = (p: number, line: string): string[] => (rng.next() < p ? [line] : []);
    // The variants of a feature's parameters come from their own generator, so adding one leaves the mixes' features as they were.
    const variants = new Xoshiro128(22, 2, 3, 4);
    const variant = <T>(xs: readonly T[]): T => xs[Math.floor(variants.next() * xs.length)];
    let exercised = 0;
    let restoreTimeouts = 0;
    for (let i = 0; i < 24; i++) {
      const functions = ['f0', 'f1'].map((name) => {
        const reserved = rng.next() < 0.3 ? pick([5, 20, 60]) : 0;
        const snap = rng.next() < 0.15;
        const pc = !snap && rng.next() < 0.3 ? Math.min(pick([2, 10]), reserved || 10) : 0;
        return [
          `  ${name}:`,
          `    duration: ${pick(['{ lognormal: { median: 120ms, p99: 900ms } }', '{ exponential: 80ms }', '{ uniform: { min: 10ms, max: 3s } }', '50ms'])}`,
          `    timeout: ${pick(['1s', '3s', '900s'])}`,
          ...maybe(0.4, `    errors: ${pick(['0.05', '{ rate: 0.01, windows: [{ at: 20s, for: 10s, rate: 0.5 }] }'])}`),
          ...maybe(0.5, `    keepAlive: ${pick(['5s', '20s', 'shilkov-5-7min-2021', '{ uniform: { min: 2s, max: 30s } }'])}`),
          ...maybe(0.4, `    maxLifetime: ${pick(['30s', 'off', '{ uniform: { min: 10s, max: 40s } }'])}`),
          ...maybe(0.3, `    proactiveReplacement: ${pick(['off', '0s', '20s'])}`),
          ...(reserved > 0 ? [`    reservedConcurrency: ${reserved}`] : []),
          ...(pc > 0 ? [`    provisionedConcurrency: ${pc}`] : []),
          ...maybe(0.2, '    reuse: lru'),
          ...maybe(0.2, `    init: ${variant(['{ exponential: 12s }', '{ empirical: [1s, 200s] }'])}`),
          ...(snap ? [`    snapStart: { restore: 200ms, hooks: ${variant(['0ms', '{ uniform: { min: 5s, max: 15s } }'])}, runtime: java }`] : []),
        ].join('\n');
      });
      const workloads = [0, 1, 2].slice(0, pick([1, 2, 3])).map((w) =>
        [
          `  - name: w${w}`,
          `    function: ${pick(['f0', 'f1'])}`,
          `    arrivals: ${pick(['{ poisson: 200/s }', '{ constant: 50/s }', '[{ poisson: 100/s }, { at: 30s, for: 5s, poisson: 1500/s }]', '{ ramp: { from: 10/s, to: 800/s } }', '{ diurnal: { mean: 300/s, amplitude: 0.8, period: 30s } }'])}`,
          `    client: ${pick(['{ retries: none }', '{ retries: none, timeout: 400ms }', '{}', '{ timeout: 700ms }', '{ retries: standard, maxAttempts: 5 }', '{ retries: none, clients: 3 }', '{ retries: legacy }', '{ retries: adaptive }'])}`,
        ].join('\n'),
      );
      const warmup = pick(['0s', '10s']);
      const billing = [
        ...maybe(0.3, 'granularity: 100ms'),
        ...maybe(0.25, `month: { parts: [{ name: a, at: ${warmup === '0s' ? '5s' : '10s'}, for: 10s, times: 100/month }, { name: b, at: 45s, for: 10s, times: 50/month }] }`),
      ];
      const text = [
        `name: mix${i}`,
        `seed: ${i}`,
        'duration: 60s',
        `warmup: ${warmup}`,
        `account: { concurrency: ${pick([200, 1000])}, scaling: ${pick(['per-function-2023', '{ model: per-function-2023, step: 30, window: 10s }', 'regional-burst-legacy'])} }`,
        ...(billing.length > 0 ? [`billing: { ${billing.join(', ')} }`] : []),
        'functions:',
        ...functions,
        'workloads:',
        ...workloads,
      ].join('\n');
      const direct = simulate(parseScenario(text, `mix${i}.yaml`));
      const general = simulate(parseScenario(text, `mix${i}.yaml`), { onRecord: () => {} });
      expect({ i, functions: direct.functions, workloads: direct.workloads, series: direct.timeSeries, account: direct.account }).toEqual({
        i,
        functions: general.functions,
        workloads: general.workloads,
        series: general.timeSeries,
        account: general.account,
      });
      if (direct.functions.some((f) => f.coldStarts > 0 && f.throttles.total > 0)) exercised++;
      for (const f of direct.functions) restoreTimeouts += f.snapStartTimeouts;
    }
    // Most mixes meet both cold starts and throttles, where the two paths part.
    expect(exercised).toBeGreaterThan(12);
    // And some meet SnapStart restores that time out.
    expect(restoreTimeouts).toBeGreaterThan(0);
  });
});
