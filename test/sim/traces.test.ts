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

  it('init longer than the 10 s limit is abandoned and re-run inside the invoke phase', () => {
    const r = run(base('    duration: 1s\n    init: 12s', '{ constant: 1/s, for: 1s }'));
    // 10 s of failed init, then 12 s of init + 1 s of handler under the 30 s timeout.
    expect(r.workloads[0].latencyMs.max).toBeCloseTo(23_000, 0);
    expect(r.functions[0].timeouts).toBe(0);
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

  it('an environment older than the maximum lifetime is retired and replaced by a cold one', () => {
    const r = run(base('    duration: 100ms\n    init: 100ms\n    maxLifetime: 30m', '{ constant: 1/min }'));
    // One request a minute for an hour: one environment for 0–30 min, a new one at 30 min.
    expect(r.functions[0].coldStarts).toBe(2);
    expect(r.functions[0].invocations).toBe(60);
  });
});
