// Statistical checks against closed-form queueing results. Each states its
// formula, tolerance, seeds and warm-up. Seeds are fixed so the run is
// repeatable; the tolerances are several standard errors wide so that the
// assertion tests the model, not the luck of a seed.
import { describe, expect, it } from 'vitest';
import { erlangB, run, runAny } from '../helpers/run.js';

/**
 * M/G/c/c: Poisson arrivals, c environments (reserved concurrency c), no
 * queue, no retries. The share of requests throttled is Erlang-B B(λ·E[S], c)
 * whatever the service-time distribution (insensitivity). Init is 0 and the
 * keep-alive long, so service time is the handler duration alone.
 */
function lossShare(c: number, ratePerS: number, duration: string, seed: number): number {
  const r = run(`
name: erlang
seed: ${seed}
duration: 2100s
warmup: 100s
account: { concurrency: 2000, functionRequestRateFactor: off } # the M/G/c/c loss system alone: no per-function rate cap
functions:
  f:
    reservedConcurrency: ${c}
    timeout: 900s
    duration: ${duration}
    init: 0ms
    keepAlive: 2h
workloads:
  - function: f
    arrivals: { poisson: ${ratePerS}/s }
    client: { retries: none }
`);
  return r.functions[0].throttleRate;
}

describe('Erlang-B throttle share of an M/G/c/c sync function', () => {
  // Tolerance: max(4% relative, 0.003 absolute). Over 2,000 s the run sees
  // 10^5–10^6 arrivals; the standard error of the share (with the positive
  // correlation of a loss system) is well under 1% relative at these loads.
  const cases = [
    { c: 10, rate: 80, mean: 0.1 }, // E = 8 erlangs
    { c: 50, rate: 450, mean: 0.1 }, // E = 45
    { c: 5, rate: 100, mean: 0.1 }, // E = 10, heavy overload
    { c: 100, rate: 200, mean: 0.5 }, // E = 100
  ];
  for (const { c, rate, mean } of cases) {
    const E = rate * mean;
    const expected = erlangB(E, c);
    it(`c=${c}, E=${E}: exponential service → B = ${expected.toFixed(4)}`, () => {
      const got = lossShare(c, rate, `{ exponential: ${mean * 1000}ms }`, 101);
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.max(0.04 * expected, 0.003));
    });
    it(`c=${c}, E=${E}: lognormal service (σ=1) → same B = ${expected.toFixed(4)}`, () => {
      const got = lossShare(c, rate, `{ lognormal: { mean: ${mean * 1000}ms, sigma: 1 } }`, 202);
      expect(Math.abs(got - expected)).toBeLessThanOrEqual(Math.max(0.04 * expected, 0.003));
    });
  }
});

describe("Little's law for an unlimited sync function", () => {
  it('mean concurrency = λ · E[latency] (λ = 500/s, lognormal mean 200 ms → 100)', () => {
    // Keep-alive 2 h: after the 60 s warm-up no environment is created, so the
    // latency is the handler duration alone and E[S] = 200 ms exactly.
    const r = run(`
name: little
seed: 5
duration: 1260s
warmup: 60s
account: { concurrency: 5000 }
functions:
  f:
    timeout: 900s
    duration: { lognormal: { mean: 200ms, sigma: 0.8 } }
    keepAlive: 2h
workloads:
  - function: f
    arrivals: { poisson: 500/s }
    client: { retries: none }
`);
    const f = r.functions[0];
    expect(f.throttles.total).toBe(0);
    expect(f.coldStarts).toBe(0);
    // Tolerance 2%: the time average over 1,200 s of a process with a ~0.2 s
    // correlation time has a relative standard error of about 0.2%.
    expect(f.concurrency.mean).toBeGreaterThan(98);
    expect(f.concurrency.mean).toBeLessThan(102);
    // The same law, in the model's own measured latency: λ_measured · mean latency.
    const lambda = f.invocations / 1200;
    expect(f.concurrency.mean / (lambda * (r.workloads[0].latencyMs.mean / 1000))).toBeCloseTo(1, 1);
  });
});

describe('provisioned concurrency', () => {
  const scenario = (pc: number) => `
name: pc
seed: 9
duration: 30m
functions:
  f:
    reservedConcurrency: 200
    provisionedConcurrency: ${pc}
    duration: 100ms
    init: 500ms
    keepAlive: 10m
workloads:
  - function: f
    arrivals: [{ poisson: 100/s }, { at: 10m, for: 1m, poisson: 300/s }]
    client: { retries: none }
`;
  it('covering the peak: no cold starts, no throttles, every invocation on provisioned environments', () => {
    // Peak offered load is 400/s × 0.1 s = 40 concurrent; P(more than 150 at once) is negligible.
    const f = run(scenario(150)).functions[0];
    expect(f.coldStarts).toBe(0);
    expect(f.throttles.total).toBe(0);
    expect(f.spilloverInvocations).toBe(0);
    expect(f.provisionedInvocations).toBe(f.invocations);
  });
  it('below the peak: the excess spills over to on-demand and pays cold starts', () => {
    const f = run(scenario(10)).functions[0];
    expect(f.spilloverInvocations).toBeGreaterThan(0);
    expect(f.coldStarts).toBeGreaterThan(0);
    expect(f.provisionedInvocations + f.spilloverInvocations).toBe(f.invocations);
  });
});

describe('idle reclaim: cold-start share under sparse Poisson traffic', () => {
  // With one request every 5 minutes on average (λ = 1/300 s⁻¹) and 100 ms of
  // work, an environment is almost never busy when the next request comes, so
  // a request is cold exactly when the gap since the previous one exceeds the
  // keep-alive K: P(cold) = P(gap > K) = e^(−λK). Over 200 days (~57,600
  // requests) the standard error of the share is about 0.0015; tolerance 0.006.
  const share = (keepAlive: string) =>
    run(`
name: sparse
seed: 17
duration: 200d
functions:
  f: { duration: 100ms, init: 200ms, keepAlive: ${keepAlive}, maxLifetime: off }
workloads:
  - { function: f, arrivals: { poisson: 12/h }, client: { retries: none } }
`).functions[0].coldStartRate;
  it.each([
    ['10m', Math.exp(-2)],
    ['5m', Math.exp(-1)],
    ['20m', Math.exp(-4)],
  ])('keep-alive %s → e^(−λK) = %f', (keepAlive, expected) => {
    expect(Math.abs(share(keepAlive) - expected)).toBeLessThan(0.006);
  });
  it('the 2021 curve (shilkov-5-7min-2021) → E[e^(−λK)] over K', () => {
    // K has a uniform density on each segment [a, b] of the curve, with mass Δc:
    // E[e^(−λK)] = Σ Δc · (e^(−λa) − e^(−λb)) / (λ(b − a)), λ = 1/5 per minute.
    const segments: [number, number, number][] = [[3, 4, 0.003], [5, 6, 0.403], [6, 7, 0.594]];
    const expected = segments.reduce((sum, [a, b, dc]) => sum + (dc * (Math.exp(-a / 5) - Math.exp(-b / 5))) / ((b - a) / 5), 0);
    expect(Math.abs(share('shilkov-5-7min-2021') - expected)).toBeLessThan(0.006);
  });
});

describe('the 2021 idle-reclaim curve (shilkov-5-7min-2021, docs/sources.md §2)', () => {
  // One request every X minutes (constant arrivals), init and handler 0 ms: every
  // request after the first finds the environment idle for exactly X minutes, and it
  // is cold exactly when the keep-alive K drawn at the last completion is ≤ X (an
  // environment idle for exactly its keep-alive is reclaimed). So the cold-start share
  // of the n = 20,000 later requests estimates F(X), the measured cumulative curve;
  // tolerance 4·√(p(1−p)/n), plus half a request so that p = 0 and p = 1 must be exact.
  // X = 4 and 5 lie on the curve's flat part and 3 and 7 at its ends, so float rounding
  // of the arrival instants cannot move them; 5.5 and 6 are where the curve is steepest.
  const n = 20_000;
  it.each([
    [3, 0],
    [4, 0.003],
    [5, 0.003],
    [5.5, 0.2045],
    [6, 0.406],
    [7, 1],
  ])('idle %f min → cold-start share %f', (x, p) => {
    const f = run(`
name: shilkov-curve
seed: 1
duration: ${(n + 0.5) * x}m
functions:
  f: { duration: 0ms, init: 0ms, keepAlive: shilkov-5-7min-2021, maxLifetime: off }
workloads:
  - { function: f, arrivals: { constant: ${60 / x}/h }, client: { retries: none } }
`).functions[0];
    const trials = f.invocations - 1;
    expect(trials).toBeGreaterThanOrEqual(n - 1);
    const share = (f.coldStarts - 1) / trials;
    expect(Math.abs(share - p)).toBeLessThanOrEqual(4 * Math.sqrt((p * (1 - p)) / trials) + 0.5 / trials);
  });
});

describe('async invocation as a queue: Little\'s law, and Erlang C as the floor', () => {
  // Async events wait in the function's queue for reserved concurrency c, with Poisson arrivals and
  // exponential service. An event read while all c are busy is throttled and set aside for its own
  // backoff (docs/sources.md §4: 1 s, doubling), while the others are read as completions free
  // capacity. So the queue is an M/M/c queue that sometimes leaves an event out for at least a
  // second: not work-conserving. Three things must hold (10,000 s, ~800,000 events at λ = 80/s):
  // - Little's law for the queue: mean depth = λ × mean wait before the first attempt (3%);
  // - the M/M/c FIFO wait W_q = C(c, a) / (cμ − λ) (Erlang C) is a floor: a discipline that idles
  //   capacity can only add delay (7% for the spread across seeds);
  // - every throttled event waited at least 1 s: mean wait ≥ (events throttled / events) × 1 s.
  const erlangC = (c: number, a: number) => {
    const b = erlangB(a, c);
    return b / (1 - (a / c) * (1 - b));
  };
  it.each([
    [10, 80, 100],
    [5, 25, 100],
  ])('c=%i, λ=%i/s, E[S]=%i ms', (c, lambda, meanMs) => {
    const mu = 1000 / meanMs;
    const floorMs = (erlangC(c, lambda / mu) / (c * mu - lambda)) * 1000;
    const r = runAny(`
name: erlang-c
seed: 4
duration: 10100s
warmup: 100s
account: { concurrency: 1000 }
functions:
  f: { reservedConcurrency: ${c}, duration: { exponential: ${meanMs}ms }, init: 0ms, keepAlive: 2h, timeout: 60s }
workloads:
  - { name: a, function: f, invoke: async, arrivals: { poisson: ${lambda}/s }, async: {} }
`);
    const w = r.workloads[0];
    if (w.invoke !== 'async') throw new Error('expected an async workload');
    const meanWaitMs = w.ageAtFirstAttemptMs.mean;
    expect(Math.abs(w.queueDepth.mean / ((lambda * meanWaitMs) / 1000) - 1)).toBeLessThan(0.03);
    expect(meanWaitMs).toBeGreaterThan(floorMs * 0.93);
    expect(meanWaitMs).toBeGreaterThanOrEqual((w.eventsThrottled / w.accepted) * 1000);
    expect(w.eventsThrottled).toBeGreaterThan(0);
  });
});
