// The callers' SDK clients (src/models/client.ts, docs/sources.md §3 "Client (SDK) retries"):
// the retry quota bounds a retry storm exactly (500 tokens per client, 5 per throttle retry, 10 per
// timeout retry; 14 in the 2026 behaviour), legacy mode has no quota, and the adaptive rate limiter
// brings a client's send rate down to what Lambda admits.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { RetryCause, SdkClients } from '../../src/models/client.js';
import { Simulator } from '../../src/engine/simulator.js';
import type { ClientSpec } from '../../src/scenario/types.js';

/** One function and one sync workload of 1 request/s for 100 s; the run lasts 10 min so every retry ends. */
function scenario(fn: string, client: string): string {
  return `
name: clients
seed: 1
duration: 10m
functions:
  f: { init: 0ms, ${fn} }
workloads:
  - function: f
    arrivals: { constant: 1/s, for: 100s }
    client: ${client}
`;
}

describe('retry quota (standard mode: 500 tokens per client)', () => {
  // Reserved concurrency 0 throttles every attempt and no response is ever a 2xx, so nothing refills.
  const throttled = 'duration: 10ms, timeout: 3s, reservedConcurrency: 0';

  it('pays for exactly 500 / 5 = 100 throttle retries, then gives every request up after its first attempt', () => {
    const w = run(scenario(throttled, '{ retries: standard }')).workloads[0];
    expect(w.retries).toBe(100); // requests 1–50 retry twice each
    expect(w.client.retryQuotaExhausted).toBe(50);
    expect(w.throttled).toBe(100);
  });

  it('each client has its own quota: with 3 clients every one of the 200 retries is paid for', () => {
    const w = run(scenario(throttled, '{ retries: standard, clients: 3 }')).workloads[0];
    expect(w.retries).toBe(200); // 100 requests × 2 retries: no client runs dry (each has 33–34 requests × 10 tokens ≤ 500)
    expect(w.client.retryQuotaExhausted).toBe(0);
  });

  it('legacy mode: 5 attempts, no quota (4 retries for every request)', () => {
    const w = run(scenario(throttled, '{ retries: legacy }')).workloads[0];
    expect(w.retries).toBe(400);
    expect(w.client.retryQuotaExhausted).toBe(0);
  });

  it('retryQuota: off restores the unbounded standard retries', () => {
    expect(run(scenario(throttled, '{ retries: standard, retryQuota: off }')).workloads[0].retries).toBe(200);
  });

  it('a client-timeout retry costs 10 tokens (standard) and 14 (standard-2026): 50 and 35 retries', () => {
    // Every attempt runs 2 s against a 1 s client timeout: all time out, none answers.
    const slow = 'duration: 2s, timeout: 3s';
    const standard = run(scenario(slow, '{ retries: standard, timeout: 1s }')).workloads[0];
    expect(standard.retries).toBe(50);
    expect(standard.clientTimeouts).toBe(100);
    // At most 25 requests got both retries (50 / 2), so at least 75 were refused one.
    expect(standard.client.retryQuotaExhausted).toBeGreaterThanOrEqual(75);
    const v2026 = run(scenario(slow, '{ retries: standard-2026, timeout: 1s }')).workloads[0];
    expect(v2026.retries).toBe(35); // ⌊500 / 14⌋
  });

  it('tokens come back on a 2xx: 1 for a request never retried, the last retry’s cost for one that was', () => {
    const spec: ClientSpec = {
      retryMode: 'standard',
      maxAttempts: 3,
      baseDelayMs: 1000,
      transientBaseDelayMs: 1000,
      maxBackoffMs: 20_000,
      timeoutMs: null,
      clients: 1,
      retryQuota: 500,
    };
    const c = new SdkClients(spec, new Simulator(), () => {}, () => {});
    // 99 throttle retries (495 tokens) leave 5; a timeout retry (10) is then refused, a throttle retry (5) is not.
    for (let i = 0; i < 99; i++) expect(c.acquireRetry(0, 1, RetryCause.THROTTLE)).toBe(5);
    expect(c.acquireRetry(0, 1, RetryCause.TIMEOUT)).toBe(-1);
    expect(c.quotaExhausted).toBe(true);
    expect(c.acquireRetry(0, 2, RetryCause.THROTTLE)).toBe(5);
    // The third attempt is the last (maxAttempts 3) whatever the quota.
    expect(c.acquireRetry(0, 3, RetryCause.THROTTLE)).toBe(-1);
    expect(c.quotaExhausted).toBe(false);
    // 0 tokens now; a retried request's success refunds its last cost (5), and two plain successes add 1 each.
    c.succeeded(0, true, 5);
    c.succeeded(0, false, 0);
    c.succeeded(0, false, 0);
    expect(c.acquireRetry(0, 1, RetryCause.TIMEOUT)).toBe(-1); // 7 < 10
    expect(c.acquireRetry(0, 1, RetryCause.THROTTLE)).toBe(5); // 7 ≥ 5
    // The bucket never holds more than 500.
    for (let i = 0; i < 1000; i++) c.succeeded(0, false, 0);
    let n = 0;
    while (c.acquireRetry(0, 1, RetryCause.THROTTLE) > 0) n++;
    expect(n).toBe(100);
  });

  it('standard backoff is min(u × 1 s × 2^(i−1), 20 s); standard-2026 caps first: u × min(base × 2^(i−1), 20 s)', () => {
    const base: ClientSpec = { retryMode: 'standard', maxAttempts: 10, baseDelayMs: 1000, transientBaseDelayMs: 1000, maxBackoffMs: 20_000, timeoutMs: null, clients: 1, retryQuota: 500 };
    const sim = new Simulator();
    const std = new SdkClients(base, sim, () => {}, () => {});
    expect(std.backoffMs(6, RetryCause.THROTTLE, 0.5)).toBe(16_000); // min(0.5 × 32 s, 20 s)
    expect(std.backoffMs(6, RetryCause.THROTTLE, 0.9)).toBe(20_000);
    const v2026 = new SdkClients({ ...base, retryMode: 'standard-2026', transientBaseDelayMs: 50 }, sim, () => {}, () => {});
    expect(v2026.backoffMs(6, RetryCause.THROTTLE, 0.5)).toBe(10_000); // 0.5 × min(32 s, 20 s)
    expect(v2026.backoffMs(2, RetryCause.TIMEOUT, 0.5)).toBe(50); // 0.5 × 50 ms × 2
  });
});

describe('adaptive mode: client-side rate limiting (CUBIC)', () => {
  // One client offers 100 requests/s to a function capped at 20 requests/s (reserved concurrency 2:
  // 10 × 2, ReservedFunctionInvocationRateLimitExceeded); 10 ms handlers never fill the 2 environments.
  const yaml = (mode: string) => `
name: adaptive
seed: 1
duration: 10m
functions:
  f: { duration: 10ms, init: 0ms, timeout: 3s, reservedConcurrency: 2 }
workloads:
  - function: f
    arrivals: { constant: 100/s }
    client: { retries: ${mode} }
`;
  const standard = run(yaml('standard'));
  const adaptive = run(yaml('adaptive'));

  it('standard mode keeps sending: at least 80% of attempts are throttled (100/s offered, 20/s admitted)', () => {
    const f = standard.functions[0];
    expect(f.throttles['function-request-rate'] / f.attempts).toBeGreaterThanOrEqual(0.8);
  });

  it('adaptive mode sends at about the admitted rate: under 5% of attempts throttled', () => {
    const f = adaptive.functions[0];
    expect(f.throttles.total / f.attempts).toBeLessThan(0.05);
  });

  it('and loses no throughput: at least 95% of the 20/s the function admits is used', () => {
    // CUBIC backs off to 0.7 × the rate at a throttle and climbs back within ∛(0.3 W / 0.4) s;
    // the function's one-second token bucket absorbs the overshoot, so throughput stays near the cap.
    expect(adaptive.functions[0].invocations).toBeGreaterThanOrEqual(0.95 * 20 * 600);
    expect(adaptive.functions[0].invocations).toBeLessThanOrEqual(20 * 601);
  });

  it('the rest wait for send tokens and give up at the client timeout (60 s) without being sent', () => {
    const w = adaptive.workloads[0];
    expect(w.client.sendWaits).toBeGreaterThan(0);
    expect(w.client.sendWaitMs.max).toBeLessThanOrEqual(60_000);
    expect(w.client.rateLimited).toBeGreaterThan(0.6 * w.requests);
    expect(w.succeeded + w.throttled + w.client.rateLimited + w.openAtEnd).toBe(w.requests);
  });
});
