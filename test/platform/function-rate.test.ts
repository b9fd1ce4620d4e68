// The per-function requests-per-second cap (docs/sources.md §1): 10 × reserved concurrency
// (ReservedFunctionInvocationRateLimitExceeded), and 10 × allocated provisioned concurrency for a
// function with PC. A token bucket of one second's worth, refilled continuously: over T seconds it
// admits cap + cap × T requests of a steady stream faster than the cap (closed form, ±1).
import { describe, expect, it } from 'vitest';
import { run, runAny } from '../helpers/run.js';

function scenario(fn: string, extra = '', invoke = 'client: { retries: none }'): string {
  return `
name: rate
seed: 1
duration: 10s
account: { concurrency: 1000${extra} }
functions:
  f: { duration: 10ms, init: 0ms, timeout: 3s, ${fn} }
workloads:
  - function: f
    arrivals: { constant: 100/s }
    ${invoke}
`;
}

describe('per-function request-rate cap', () => {
  it('reserved concurrency 2 caps the function at 20 requests/s', () => {
    const f = run(scenario('reservedConcurrency: 2')).functions[0];
    // 1,000 requests in 10 s; the bucket admits 20 at once and 20 per second after.
    expect(Math.abs(f.invocations - (20 + 20 * 10))).toBeLessThanOrEqual(1);
    expect(f.throttles['function-request-rate']).toBe(1000 - f.invocations);
    expect(f.throttles['reserved-concurrency']).toBe(0); // 10 ms handlers never fill 2 environments here
  });

  it('a function with provisioned concurrency 3 and no reservation is capped at 30 requests/s', () => {
    const f = run(scenario('provisionedConcurrency: 3')).functions[0];
    expect(Math.abs(f.invocations - (30 + 30 * 10))).toBeLessThanOrEqual(1);
    expect(f.throttles['function-request-rate']).toBe(1000 - f.invocations);
  });

  it('reserved and provisioned: the lower cap binds (PC 1 of reserved 5: 10 requests/s)', () => {
    const f = run(scenario('reservedConcurrency: 5, provisionedConcurrency: 1')).functions[0];
    expect(Math.abs(f.invocations - (10 + 10 * 10))).toBeLessThanOrEqual(1);
  });

  it('functionRequestRateFactor: off lifts the cap', () => {
    const f = run(scenario('reservedConcurrency: 2', ', functionRequestRateFactor: off')).functions[0];
    expect(f.invocations).toBe(1000);
    expect(f.throttles.total).toBe(0);
  });

  it('a function without reserved or provisioned concurrency has no cap of its own', () => {
    expect(run(scenario('memory: 128MB')).functions[0].throttles.total).toBe(0);
  });

  it("reserved concurrency 0 throttles for concurrency, not for rate", () => {
    const f = run(scenario('reservedConcurrency: 0')).functions[0];
    expect(f.throttles['reserved-concurrency']).toBe(1000);
    expect(f.throttles['function-request-rate']).toBe(0);
  });

  it("the async queue's reads are Lambda's own and not capped (only the concurrency binds)", () => {
    const f = runAny(scenario('reservedConcurrency: 2', '', 'invoke: async')).functions[0];
    expect(f.invocations).toBe(1000);
    expect(f.throttles['function-request-rate']).toBe(0);
  });
});
