// Tiny runs a reader can check by hand: each expectation follows from the rule
// stated next to it, not from a previous run.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';

const base = (fn: string, arrivals: string, extra = '') => `
name: trace
seed: 1
duration: 1h
functions:
  f:
    memory: 1024MB
    timeout: 30s
${fn}
workloads:
  - function: f
    arrivals: ${arrivals}
    client: { retries: none }
${extra}`;

describe('hand-checkable traces', () => {
  it('an environment freed at t serves a request arriving at t (completions before arrivals)', () => {
    // Arrivals at 0 and 100 ms; init 50 ms + duration 50 ms: the first completes at exactly 100 ms.
    const r = run(base('    reservedConcurrency: 1\n    duration: 50ms\n    init: 50ms', '{ constant: 10/s, for: 200ms }'));
    const f = r.functions[0];
    expect(f.invocations).toBe(2);
    expect(f.throttles.total).toBe(0);
    expect(f.coldStarts).toBe(1);
    expect(r.workloads[0].latencyMs.max).toBeCloseTo(100, 1);
  });

  it('one environment, two overlapping requests: the second is throttled by reserved concurrency', () => {
    const r = run(base('    reservedConcurrency: 1\n    duration: 150ms\n    init: 50ms', '{ constant: 10/s, for: 200ms }'));
    const f = r.functions[0];
    expect(f.invocations).toBe(1);
    expect(f.throttles['reserved-concurrency']).toBe(1);
    expect(r.workloads[0].throttled).toBe(1);
    expect(r.workloads[0].succeeded).toBe(1);
    // The one that ran: 50 ms init + 150 ms handler.
    expect(r.workloads[0].latencyMs.max).toBeCloseTo(200, 1);
  });

  it('keep-alive: a request after 9 idle minutes is warm, after 11 it is cold', () => {
    const fn = '    duration: 100ms\n    init: 200ms\n    keepAlive: 10m';
    const warm = run(base(fn, '[{ constant: 1/s, for: 1s }, { constant: 1/s, at: 9m, for: 1s }]'));
    expect(warm.functions[0].coldStarts).toBe(1);
    expect(warm.functions[0].environments.reclaimed).toBe(1); // reclaimed 10 min after its last use, within the hour
    const cold = run(base(fn, '[{ constant: 1/s, for: 1s }, { constant: 1/s, at: 11m, for: 1s }]'));
    expect(cold.functions[0].coldStarts).toBe(2);
    expect(cold.functions[0].environments.created).toBe(2);
    expect(cold.functions[0].environments.reclaimed).toBe(2);
  });

  it('a timeout is billed to the timeout and resets the environment (next request re-runs init)', () => {
    const r = run(
      base('    duration: 5s\n    init: 200ms', '{ constant: 1/s, for: 2s }', 'billing: { granularity: 1ms, init: billed-2025 }').replace(
        'timeout: 30s',
        'timeout: 3s',
      ),
    );
    const f = r.functions[0];
    expect(f.timeouts).toBe(2);
    // Two requests at 0 s and 1 s: the first env is busy until 3.2 s, so the second gets its own cold env.
    expect(f.coldStarts).toBe(2);
    // Billed: 2 × (200 ms init + 3,000 ms to the timeout).
    expect(f.billing.billedDurationMs).toBe(6400);
    expect(r.workloads[0].functionTimeouts).toBe(2);
  });

  it('100 ms granularity rounds each invocation up; init unbilled under the legacy rule', () => {
    const r = run(base('    duration: 27.4ms\n    init: 200ms', '{ constant: 1/s, for: 3s }', 'billing: { granularity: 100ms, init: unbilled-zip-managed-legacy }'));
    expect(r.functions[0].billing.billedDurationMs).toBe(300);
    expect(r.functions[0].billing.gbSeconds).toBeCloseTo(0.3, 6);
  });

  it('under the legacy rule only a ZIP on a managed runtime has its init free (docs/sources.md §7)', () => {
    // One cold call: 200 ms init + 27.4 ms handler. Custom runtimes and container images paid for INIT before 2025-08-01.
    const billed = (fn: string) =>
      run(base(fn, '{ constant: 1/s, for: 1s }', 'billing: { init: unbilled-zip-managed-legacy }')).functions[0].billing.billedDurationMs;
    const fn = '    duration: 27.4ms\n    init: 200ms';
    expect(billed(fn)).toBe(28);
    expect(billed(`${fn}\n    package: zip`)).toBe(28);
    expect(billed(`${fn}\n    package: zip-custom-runtime`)).toBe(228);
    expect(billed(`${fn}\n    package: image`)).toBe(228);
    // The container init preset is an image unless the scenario says otherwise.
    const image = billed('    duration: 27.4ms\n    init: container\n    package: image');
    expect(image).toBeGreaterThan(28);
    expect(billed('    duration: 27.4ms\n    init: container')).toBe(image);
    expect(billed('    duration: 27.4ms\n    init: container\n    package: zip')).toBe(28);
  });

  it('an init past the 10 s limit is cut at 10 s and re-run inside the invoke phase, and reported as such', () => {
    // docs/sources.md §2: 10 s of init, then the 12 s re-run and the 100 ms handler in the invoke, under the 30 s timeout.
    const fn = '    duration: 100ms\n    init: 12s';
    const r = run(base(fn, '{ constant: 1/s, for: 1s }'));
    const f = r.functions[0];
    expect(f.coldStarts).toBe(1);
    expect(f.initOverruns).toBe(1);
    expect(f.initMs.max).toBe(10_000); // the init phase, cut at the limit
    expect(f.initRerunMs).toMatchObject({ count: 1, max: 12_000 });
    expect(f.durationMs.max).toBe(100); // the handler alone
    expect(f.timeouts).toBe(0);
    expect(r.workloads[0].latencyMs.max).toBe(22_100);
    // billed-2025 bills the 10 s init phase with the invoke (12.1 s); the legacy rule only the invoke.
    expect(f.billing.billedDurationMs).toBe(22_100);
    const legacy = run(base(fn, '{ constant: 1/s, for: 1s }', 'billing: { init: unbilled-zip-managed-legacy }'));
    expect(legacy.functions[0].billing.billedDurationMs).toBe(12_100);
  });

  it('a provisioned environment re-initializing after a timeout has no 10 s init limit (docs/sources.md §2)', () => {
    // PC 1, initialized before the run. 0 s: 6 s handler, cut at the 5 s timeout, the environment must
    // re-initialize. 10 s: its 12 s init runs whole (PC inits are not cut at 10 s), then 5 s to the timeout.
    const r = run(
      base('    duration: 6s\n    init: 12s\n    provisionedConcurrency: 1', '[{ constant: 1/s, at: 0s, for: 1ms }, { constant: 1/s, at: 10s, for: 1ms }]').replace('timeout: 30s', 'timeout: 5s'),
    );
    const f = r.functions[0];
    expect(f.provisionedInvocations).toBe(2);
    expect(f.initOverruns).toBe(0);
    expect(f.initMs.max).toBe(12_000);
    expect(r.workloads[0].latencyMs.max).toBe(17_000);
  });

  it('SnapStart after-restore hooks past 10 s fail the invoke (SnapStartTimeoutException) and leave the environment to restore again', () => {
    // docs/sources.md §2 "SnapStart": requests at 0 s and 20 s. Each is cold: the 200 ms restore, then the
    // 12 s hooks stopped at 10 s; the handler never runs. The failed restore leaves no usable environment, so
    // the second request restores again (and fails again), though the first environment is within its keep-alive.
    const fn = '    duration: 100ms\n    snapStart: { restore: 200ms, hooks: 12s, runtime: java }';
    const r = run(base(fn, '[{ constant: 1/s, at: 0s, for: 1ms }, { constant: 1/s, at: 20s, for: 1ms }]'));
    const f = r.functions[0];
    expect(f.invocations).toBe(2);
    expect(f.coldStarts).toBe(2);
    expect(f.snapStartTimeouts).toBe(2);
    expect(f.errors).toBe(2);
    expect(f.durationMs.count).toBe(0); // no handler ran
    expect(f.initMs.max).toBe(10_200);
    expect(r.workloads[0].latencyMs.max).toBe(10_200);
    // The hooks are billed (10 s each, cut at the limit); the restore is free.
    expect(f.billing.billedDurationMs).toBe(20_000);
    // At the limit exactly, the hooks succeed: one cold start, then a warm one.
    const ok = run(base(fn.replace('hooks: 12s', 'hooks: 10s'), '[{ constant: 1/s, at: 0s, for: 1ms }, { constant: 1/s, at: 20s, for: 1ms }]')).functions[0];
    expect([ok.coldStarts, ok.snapStartTimeouts, ok.errors]).toEqual([1, 0, 0]);
    expect(ok.billing.billedDurationMs).toBe(10_200);
  });

  it('a PC environment re-initializing after a timeout fails the invoke when its init passes max(130 s, timeout) (§2)', () => {
    // PC 1, initialized before the run, not recycled; a request every 300 s, each 6 s and so stopped by the 5 s timeout,
    // which leaves the environment to initialize again at the next request. That init draws 1 s or 200 s,
    // equally likely: 1 s, then 5 s to the timeout; 200 s is stopped at the 130 s limit and the invoke fails.
    const r = run(
      base('    duration: 6s\n    init: { empirical: [1s, 200s] }\n    provisionedConcurrency: 1\n    provisionedRecycle: off', '{ constant: 12/h }').replace('timeout: 30s', 'timeout: 5s').replace('duration: 1h', 'duration: 10h'),
    );
    const f = r.functions[0];
    expect(f.invocations).toBe(120);
    expect(f.provisionedInvocations).toBe(120);
    expect(f.coldStarts).toBe(119); // all but the first, which found the environment initialized
    // Every cold start either failed its init or ran to the timeout: 119 × ½ ± 4·√(119/4).
    expect(f.errors).toBe(f.environments.pcInitFailures);
    expect(f.errors + f.timeouts).toBe(120);
    expect(Math.abs(f.errors - 59.5)).toBeLessThan(4 * Math.sqrt(119 / 4));
    expect(f.initMs.max).toBe(130_000);
    // The SDK client's default 60 s timeout gives up on each failing one first.
    expect(r.workloads[0].clientTimeouts).toBe(f.errors);
  });

  it('an init re-run is bounded by the function timeout', () => {
    // 10 s of init, then the re-run is cut by the 5 s timeout: the invoke is 5 s, a timeout.
    const r = run(base('    duration: 100ms\n    init: 12s', '{ constant: 1/s, for: 1s }').replace('timeout: 30s', 'timeout: 5s'));
    const f = r.functions[0];
    expect(f.initOverruns).toBe(1);
    expect(f.initRerunMs.max).toBe(5_000);
    expect(f.timeouts).toBe(1);
    expect(r.workloads[0].latencyMs.max).toBe(15_000);
    expect(f.billing.billedDurationMs).toBe(15_000);
  });

  it('environments alive, busy and idle are exact time-weighted means over the measured window', () => {
    // One request at 0 s: init 0, 1 s handler, then idle until the 10 min keep-alive reclaims it at 601 s
    // (applied lazily at the next interval tick, counted at its own instant). Window: 5 min warm-up to 60 min.
    const r = run(base('    duration: 1s\n    init: 0ms\n    keepAlive: 10m', '{ constant: 1/s, for: 1s }', 'warmup: 5m'));
    const e = r.functions[0].environments;
    expect(e.reclaimed).toBe(1);
    const window = 3300;
    expect(e.mean).toEqual({ alive: Number((301 / window).toFixed(3)), busy: 0, idle: Number((301 / window).toFixed(3)), provisioned: 0 });
    // Without a warm-up: alive 601 s and busy 1 s of 3,600 s.
    const all = run(base('    duration: 1s\n    init: 0ms\n    keepAlive: 10m', '{ constant: 1/s, for: 1s }')).functions[0].environments.mean;
    expect(all).toEqual({ alive: Number((601 / 3600).toFixed(3)), busy: Number((1 / 3600).toFixed(3)), idle: Number((600 / 3600).toFixed(3)), provisioned: 0 });
  });

  it('provisioned environments count as alive, and separately', () => {
    // Two PC environments all hour; one request a minute of 1 s runs on one of them.
    const r = run(base('    provisionedConcurrency: 2\n    duration: 1s\n    init: 0ms', '{ constant: 1/min }'));
    const f = r.functions[0];
    expect(f.provisionedInvocations).toBe(60);
    expect(f.environments.mean).toEqual({ alive: 2, busy: Number((60 / 3600).toFixed(3)), idle: Number((2 - 60 / 3600).toFixed(3)), provisioned: 2 });
  });

  it('errors at rate 1 make every invocation a function error, which the SDK does not retry', () => {
    const r = run(base('    duration: 10ms\n    errors: 1', '{ constant: 1/s, for: 5s }').replace('retries: none', 'retries: standard'));
    expect(r.functions[0].errors).toBe(5);
    expect(r.workloads[0].functionErrors).toBe(5);
    expect(r.workloads[0].retries).toBe(0);
  });

  it('standard client retries throttles up to 3 attempts in all', () => {
    // One environment busy for 20 s; a second request at 1 s is throttled 3 times (backoff < 1 s, then < 2 s).
    const r = run(base('    reservedConcurrency: 1\n    duration: 20s\n    init: 10ms', '{ constant: 1/s, for: 2s }').replace('retries: none', 'retries: standard'));
    const w = r.workloads[0];
    expect(w.retries).toBe(2);
    expect(w.throttled).toBe(1);
    expect(r.functions[0].throttles.total).toBe(3);
    expect(r.functions[0].attempts).toBe(4);
  });

  it('a client timeout gives up on the attempt while the function keeps running and billing', () => {
    const r = run(
      base('    duration: 5s\n    init: 0ms', '{ constant: 1/s, for: 1s }').replace(
        'retries: none }',
        'retries: standard, maxAttempts: 2, timeout: 2s }',
      ),
    );
    expect(r.functions[0].invocations).toBe(2); // the original and one retry, both billed
    expect(r.functions[0].billing.billedDurationMs).toBe(10_000);
    expect(r.workloads[0].clientTimeouts).toBe(1);
    expect(r.workloads[0].succeeded).toBe(0);
  });

  it('provisioned environments serve first; the rest spill over to on-demand', () => {
    // Three simultaneous requests, two provisioned environments.
    const r = run(base('    reservedConcurrency: 5\n    provisionedConcurrency: 2\n    duration: 1s\n    init: 300ms', '{ at: 0s, for: 3ms, constant: 1000/s }'));
    const f = r.functions[0];
    expect(f.provisionedInvocations).toBe(2);
    expect(f.spilloverInvocations).toBe(1);
    expect(f.coldStarts).toBe(1);
  });

  it('an environment reaching its lifetime, used within the last 6 min, is replaced in the background', () => {
    // One request a minute for an hour. The environment made at 0 s reaches 30 min idle since 29 min + 100 ms:
    // retired and replaced at 30 min, before the request of that instant, which is warm. The replacement's
    // 100 ms init is billed (billed-2025) with no request: 100 (cold init) + 60 × 100 + 100 ms.
    const fn = '    duration: 100ms\n    init: 100ms\n    maxLifetime: 30m';
    const f = run(base(fn, '{ constant: 1/min }')).functions[0];
    expect(f.invocations).toBe(60);
    expect(f.coldStarts).toBe(1);
    expect(f.environments).toMatchObject({ created: 2, retired: 1, proactiveInits: 1, reclaimed: 0, onDemandAtEnd: 1 });
    expect(f.billing.billedDurationMs).toBe(6_200);
    const legacy = run(base(fn, '{ constant: 1/min }', 'billing: { init: unbilled-zip-managed-legacy }')).functions[0];
    expect(legacy.billing.billedDurationMs).toBe(6_000);
    // Without replacement the request at 30 min pays a cold start (the model before issue 12).
    const off = run(base(fn + '\n    proactiveReplacement: off', '{ constant: 1/min }')).functions[0];
    expect(off.coldStarts).toBe(2);
    expect(off.environments).toMatchObject({ created: 2, retired: 1, proactiveInits: 0 });
  });

  it('an environment idle for longer than proactiveReplacement at its lifetime end is not replaced', () => {
    // Requests at 0, 9, 18, 27, 36, 45 and 54 min. Lifetime 34 min: idle since 27 min + 100 ms, 6.9 min > 6 min:
    // retired without replacement, and the request at 36 min is cold. Lifetime 31 min: idle 3.9 min, replaced.
    const at = (lifetime: string) => run(base(`    duration: 100ms\n    init: 100ms\n    maxLifetime: ${lifetime}`, '{ constant: 160/d }')).functions[0];
    const late = at('34m');
    expect(late.invocations).toBe(7);
    expect(late.coldStarts).toBe(2);
    expect(late.environments).toMatchObject({ retired: 1, proactiveInits: 0 });
    const early = at('31m');
    expect(early.coldStarts).toBe(1);
    expect(early.environments).toMatchObject({ retired: 1, proactiveInits: 1 });
  });

  it('an environment busy at its lifetime end is retired when its invocation ends, and replaced', () => {
    // Requests every 7 min of 3 min (warm): the one at 28 min runs through the 30 min lifetime end, so the
    // environment is retired when it ends at 31 min and replaced then; the request at 35 min is warm.
    const fn = '    duration: 3m\n    init: 100ms\n    maxLifetime: 30m';
    const f = run(base(fn, `{ constant: ${60 / 7}/h }`).replace('timeout: 30s', 'timeout: 900s')).functions[0];
    expect(f.coldStarts).toBe(1);
    expect(f.environments).toMatchObject({ retired: 1, proactiveInits: 1 });
    // Alive: the first environment 0–31 min, its replacement 31–60 min: 60 min in all.
    expect(f.environments.mean.alive).toBe(1);
  });

  it('a proactive replacement needs a scaling token', () => {
    // A bucket of 1 environment refilled over 39.5 min: the cold start at 0 s takes it, so at the 30 min lifetime
    // end there is none (30/39.5 of one): no replacement, and the requests at 30 … 39 min are throttled for the
    // scaling rate until the token is back at 39.5 min; the request at 40 min is a cold start.
    const r = run(base('    duration: 100ms\n    init: 100ms\n    maxLifetime: 30m', '{ constant: 1/min }', 'account: { scaling: { model: per-function-2023, step: 1, window: 39.5m } }'));
    const f = r.functions[0];
    expect(f.environments).toMatchObject({ retired: 1, proactiveInits: 0 });
    expect(f.throttles['scaling-rate']).toBe(10);
    expect(f.coldStarts).toBe(2);
  });
});
