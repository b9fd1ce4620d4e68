// Asynchronous invocation (docs/sources.md §4, §1): hand-checkable traces. Each
// expectation follows from the rule stated next to it, not from a previous run.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/simulator.js';
import { RngStreams } from '../../src/engine/rng.js';
import { Platform } from '../../src/platform/platform.js';
import { FunctionMeters } from '../../src/platform/meters.js';
import { AsyncInvoker, throttleBackoffMs } from '../../src/models/async/invoker.js';
import { AsyncMeters } from '../../src/models/async/meters.js';
import { makeTracer } from '../../src/metrics/trace.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import { runAny } from '../helpers/run.js';

/**
 * Runs a scenario with only async workloads and returns the trace lines `time kind event [detail]`,
 * from the tracing hook (src/metrics/trace.ts): accept, attempt n (the platform's start), complete status,
 * retry-wait (at the time the retry is due), throttle, success, failure reason.
 */
function trace(yaml: string): string[] {
  const sc = parseScenario(yaml, 'trace.yaml');
  const sim = new Simulator();
  const rng = new RngStreams(sc.seed);
  const interval = sc.report.intervalMs;
  const platform = new Platform(sim, sc, rng, () => new FunctionMeters(interval, sc.durationMs, sc.warmupMs), null);
  const log: string[] = [];
  const attemptOf: number[] = [];
  const tracer = makeTracer((e) => {
    const line = (kind: string, t = e.tMs, detail?: string | number) => log.push(`${t} ${kind} ${e.request}${detail !== undefined ? ` ${detail}` : ''}`);
    switch (e.type) {
      case 'arrival':
        return line('accept');
      case 'poll':
        attemptOf[e.request] = e.attempt!;
        return;
      case 'start':
        return line('attempt', e.tMs, attemptOf[e.request]);
      case 'complete':
        return line('complete', e.tMs, e.status);
      case 'retry':
        return line('retry-wait', e.tMs + e.delayMs!);
      case 'throttle':
        return line('throttle');
      case 'done':
        return e.outcome === 'ok' ? line('success') : line('failure', e.tMs, e.reason);
    }
  });
  platform.trace = tracer;
  const inv = new AsyncInvoker(sim, platform, rng);
  inv.trace = tracer;
  for (const w of sc.workloads) {
    if (w.invoke !== 'async') throw new Error('async workloads only');
    const fnIndex = sc.functions.findIndex((f) => f.name === w.functionName);
    inv.add(w, fnIndex, new AsyncMeters(interval, sc.durationMs, sc.warmupMs));
  }
  sim.run(sc.durationMs);
  return log;
}

const scenario = (fn: string, arrivals: string, async = '{}', duration = '1h') => `
name: async-trace
seed: 1
duration: ${duration}
functions:
  f:
    memory: 1024MB
    timeout: 30s
    init: 0ms
${fn}
workloads:
  - function: f
    invoke: async
    arrivals: ${arrivals}
    async: ${async}
`;

function asyncResult(yaml: string): AsyncWorkloadResult {
  const w = runAny(yaml).workloads[0];
  if (w.invoke !== 'async') throw new Error('expected an async workload');
  return w;
}

/** One event at t = 5 s (a constant 1/s segment of 1 s starting at 5 s emits one arrival at 5 s). */
const ONE_AT_5S = '{ at: 5s, for: 1s, constant: 1/s }';

describe('async: function errors and retries (§4)', () => {
  it('one failing event of duration d at t: attempts at t, t+d+60 s, t+2d+180 s, then the DLQ', () => {
    // d = 2 s, t = 5 s: attempt 1 runs 5–7 s; retry 60 s after it ends (67 s), runs 67–69 s;
    // retry 120 s after that (189 s), runs 189–191 s; retries exhausted → DLQ at 191 s.
    const log = trace(scenario('    duration: 2s\n    errors: 1', ONE_AT_5S, '{ deadLetterQueue: sqs }'));
    expect(log).toEqual([
      '5000 accept 0',
      '5000 attempt 0 1',
      '7000 complete 0 error',
      '67000 retry-wait 0',
      '67000 attempt 0 2',
      '69000 complete 0 error',
      '189000 retry-wait 0',
      '189000 attempt 0 3',
      '191000 complete 0 error',
      '191000 failure 0 retries-exhausted',
    ]);
    const r = asyncResult(scenario('    duration: 2s\n    errors: 1', ONE_AT_5S, '{ deadLetterQueue: sqs }'));
    expect(r.attempts).toBe(3);
    expect(r.retryAttempts).toBe(2);
    expect(r.failed['retries-exhausted']).toBe(1);
    expect(r.destinations.deadLetterQueue).toBe(1);
    expect(r.dropped.total).toBe(0);
    // Age at the final outcome: 3d + 60 s + 120 s.
    expect(r.ageAtCompletionMs.max).toBe(186_000);
    // Billing: the first attempt 2,000 ms, the two retries 4,000 ms = 4 GB-s at 1 GB.
    // Two retries: 2 requests × $0.20/M + 4 GB-s × $0.0000166667 (x86, first tier).
    expect(r.billing).toMatchObject({ firstAttemptBilledMs: 2000, retryBilledMs: 4000, retryGbSeconds: 4 });
    expect(r.billing.retryUsd).toBeCloseTo(2 * 0.0000002 + 4 * 0.0000166667, 9);
  });

  it('maximumRetryAttempts 0 and 1: the failure target after the first and after the second attempt', () => {
    const zero = asyncResult(scenario('    duration: 2s\n    errors: 1', ONE_AT_5S, '{ maximumRetryAttempts: 0, onFailure: eventbridge }'));
    expect(zero.attempts).toBe(1);
    expect(zero.destinations.onFailure).toBe(1);
    expect(zero.ageAtCompletionMs.max).toBe(2000);
    const one = asyncResult(scenario('    duration: 2s\n    errors: 1', ONE_AT_5S, '{ maximumRetryAttempts: 1 }'));
    expect(one.attempts).toBe(2);
    // No failure target: the event is dropped (§4 "Lambda discards it").
    expect(one.dropped['retries-exhausted']).toBe(1);
    expect(one.failed.total).toBe(0);
    expect(one.ageAtCompletionMs.max).toBe(64_000);
  });

  it('timeouts are retried like errors; the retry delays are parameters', () => {
    const log = trace(scenario('    duration: 40s', ONE_AT_5S, '{ retryDelays: [10s, 20s], maximumRetryAttempts: 1 }'));
    // Timeout 30 s: attempt 5–35 s, retry at 45 s, ends 75 s, dropped.
    expect(log).toEqual([
      '5000 accept 0',
      '5000 attempt 0 1',
      '35000 complete 0 timeout',
      '45000 retry-wait 0',
      '45000 attempt 0 2',
      '75000 complete 0 timeout',
      '75000 failure 0 retries-exhausted',
    ]);
  });

  it('a success after a retry goes to the on-success destination and counts as succeeded after retry', () => {
    // Errors only in [0, 10 s): the first attempt (5 s) fails, the retry at 67 s succeeds.
    const fn = '    duration: 2s\n    errors: { rate: 0, windows: [{ at: 0s, for: 10s, rate: 1 }] }';
    const r = asyncResult(scenario(fn, ONE_AT_5S, '{ onSuccess: sqs }'));
    expect(r.succeededFirstTry).toBe(0);
    expect(r.succeededAfterRetry).toBe(1);
    expect(r.destinations.onSuccess).toBe(1);
    expect(r.ageAtCompletionMs.max).toBe(64_000);
  });
});

describe('async: throttles, maximum event age, reserved concurrency 0', () => {
  it('an event older than its maximum age is never attempted; its throttled reads back off 1 s, 2 s, 4 s, …', () => {
    // Reserved concurrency 1 and a 10-minute handler: event 0 (0 s) runs; event 1 (at 1 ms) is throttled
    // at 1 ms, then re-read after 1, 2, 4, 8, 16 s (1,001 … 31,001 ms); the next read would be at 63,001 ms,
    // but the event reaches its 60 s maximum age at 60,001 ms: event-too-old, never attempted.
    const log = trace(
      scenario('    reservedConcurrency: 1\n    duration: 10m', '{ for: 2ms, constant: 1000/s }', '{ maximumEventAge: 60s }', '5m').replace(
        'timeout: 30s',
        'timeout: 15m',
      ),
    );
    expect(log).toEqual([
      '0 accept 0',
      '0 attempt 0 1',
      '1 accept 1',
      '1 throttle 1',
      '1001 throttle 1',
      '3001 throttle 1',
      '7001 throttle 1',
      '15001 throttle 1',
      '31001 throttle 1',
      '60001 failure 1 event-too-old',
    ]);
    expect([1, 2, 3, 9, 10].map(throttleBackoffMs)).toEqual([1000, 2000, 4000, 256_000, 300_000]);
  });

  it('throttled reads are not attempts: an event throttled 4 times still gets its 2 retries after function errors', () => {
    // §4: throttles return the event to the queue (backoff 1 s, 2 s, 4 s, 8 s); only function errors use
    // MaximumRetryAttempts. Reserved concurrency 1, 10 s handlers, errors from 5 s on. Event 0 (0 s) starts
    // before the error window and succeeds at 10 s. Event 1 (1 ms) is throttled at 1, 1,001, 3,001 and
    // 7,001 ms; its next read (15,001 ms) runs attempt 1, which fails at 25,001 ms; attempt 2 runs 60 s
    // later (85,001 ms, fails at 95,001 ms), attempt 3 120 s after that (215,001 ms, fails at 225,001 ms):
    // 3 attempts, then the DLQ. If throttles used retries it would reach the DLQ after its first attempt.
    const fn = '    reservedConcurrency: 1\n    duration: 10s\n    errors: { rate: 0, windows: [{ at: 5s, for: 1h, rate: 1 }] }';
    const yaml = scenario(fn, '{ for: 2ms, constant: 1000/s }', '{ deadLetterQueue: sqs }', '10m');
    expect(trace(yaml).filter((l) => l.split(' ')[2] === '1')).toEqual([
      '1 accept 1',
      '1 throttle 1',
      '1001 throttle 1',
      '3001 throttle 1',
      '7001 throttle 1',
      '15001 attempt 1 1',
      '25001 complete 1 error',
      '85001 retry-wait 1',
      '85001 attempt 1 2',
      '95001 complete 1 error',
      '215001 retry-wait 1',
      '215001 attempt 1 3',
      '225001 complete 1 error',
      '225001 failure 1 retries-exhausted',
    ]);
    const r = asyncResult(yaml);
    expect(r.attempts).toBe(4); // event 0 once, event 1 three times
    expect(r.throttleRequeues).toBe(4);
    expect(r.failed['retries-exhausted']).toBe(1);
  });

  it('an event waiting for a function-error retry that reaches its maximum age goes to the target as too old', () => {
    // Attempt 5–7 s fails; the retry would be at 67 s but the event is 60 s old at 65 s.
    const log = trace(scenario('    duration: 2s\n    errors: 1', ONE_AT_5S, '{ maximumEventAge: 60s, deadLetterQueue: sns }'));
    expect(log.slice(-2)).toEqual(['65000 retry-wait 0', '65000 failure 0 event-too-old']);
  });

  it('reserved concurrency 0: every event goes straight to the failure target, with no attempt (§1)', () => {
    const r = asyncResult(
      scenario('    reservedConcurrency: 0\n    duration: 2s', '{ for: 10s, constant: 5/s }', '{ onFailure: sqs, deadLetterQueue: sqs }'),
    );
    expect(r.accepted).toBe(50);
    expect(r.failed['reserved-zero']).toBe(50);
    expect(r.destinations).toEqual({ deadLetterQueue: 50, onFailure: 50, onSuccess: 0 });
    expect(r.attempts).toBe(0);
    expect(r.ageAtCompletionMs.max).toBe(0);
  });

  it('a burst becomes queueing, not loss: reserved concurrency R drains N events in ⌈N/R⌉ waves of d', () => {
    // 100 events within the first 1 ms, R = 10, d = 1 s. Events 1–10 start at once; event 11 is
    // throttled and waits its own backoff (§4: 1 s, doubling); the poller is then blocked and reads one
    // event per completion, so events 12–100 run in waves at 1, 2, …, 9 s and the queue is empty by 10 s.
    // Event 11 is tried again at 1 s, 3 s and 7 s (each time the function is full: 4 throttled reads)
    // and runs at 15 s: the oldest outcome is 16 s after acceptance.
    const r = asyncResult(scenario('    reservedConcurrency: 10\n    duration: 1s', '{ for: 1ms, constant: 100000/s }', '{}', '1m'));
    expect(r.accepted).toBe(100);
    expect(r.succeededFirstTry).toBe(100);
    expect(r.queueDepth.max).toBe(90);
    expect(r.throttleRequeues).toBe(4);
    expect(r.eventsThrottled).toBe(1);
    expect(r.ageAtCompletionMs.max).toBeCloseTo(16_000, -1);
    expect(r.ageAtCompletionMs.p90).toBeLessThanOrEqual(10_000);
  });

  it('a queue delay postpones the first read; the queue is read in order of readiness', () => {
    const log = trace(scenario('    duration: 100ms', ONE_AT_5S, '{ queueDelay: 250ms }'));
    expect(log).toEqual(['5000 accept 0', '5250 attempt 0 1', '5350 complete 0 ok', '5350 success 0']);
  });
});

describe('async: who calls (docs/sources.md §1) and throttle backoff per event (§4)', () => {
  // 30,000 events/s for 10 s on a 1,000 account: the request-rate quota is 10,000/s (a bucket of one second's worth).
  const flood = (source: string, client = 'client: { retries: none }') => `
name: async-flood
seed: 1
duration: 10s
functions:
  f: { init: 0ms, timeout: 3s, duration: 1ms }
workloads:
  - function: f
    invoke: async
    arrivals: { constant: 30000/s }
    async: { source: ${source} }
    ${client}
`;

  it('your own Invoke calls spend the request-rate quota: 10,000 + 10,000 × 10 s accepted of 300,000, the rest refused (429)', () => {
    const r = asyncResult(flood('sdk'));
    expect(Math.abs(r.accepted - 110_000)).toBeLessThanOrEqual(2);
    expect(r.calls.rejected).toBe(300_000 - r.accepted);
    expect(r.calls.retries).toBe(0);
  });

  it('with SDK retries the quota still admits only 10,000/s; retried calls are refused again', () => {
    const r = asyncResult(flood('sdk', 'client: { retries: standard, clients: 10 }'));
    expect(Math.abs(r.accepted - 110_000)).toBeLessThanOrEqual(2);
    expect(r.calls.retries).toBeGreaterThan(0);
    expect(r.calls.rejected).toBeGreaterThan(0.6 * 300_000);
  });

  it('events from an AWS service are all accepted', () => {
    const r = asyncResult(flood('aws-service', ''));
    expect(r.accepted).toBe(300_000);
    expect(r.calls.rejected).toBe(0);
  });

  it('a 2× overload: the backlog is served as capacity frees, and only the set-aside event is re-read, at 1, 3, 7, …, 511 s', () => {
    // Reserved 10 × 1 s handlers = 10 events/s of capacity; 20/s arrive. Event 11 is throttled at once and set aside;
    // every completion then lets the blocked poller read one more event, so the function stays full and the
    // set-aside event finds it full at each of its backoffs (1, 2, 4, …, 256 s after the last): 10 throttled reads.
    const r = asyncResult(scenario('    reservedConcurrency: 10\n    duration: 1s', '{ constant: 20/s }', '{}', '10m'));
    expect(r.attempts).toBe(6000);
    expect(r.throttleRequeues).toBe(10);
    expect(r.eventsThrottled).toBe(1);
  });

  it('one event behind a busy function waits 1, 2, 4, … s, then at most 5 min between reads', () => {
    // A sync call holds reserved concurrency 1 from 0 to 800 s and a second from 800 s to 1,600 s; the event
    // (accepted at 1 ms) is read at 0, 1, 3, 7, 15, 31, 63, 127, 255, 511 s (+1 ms), then every 5 min:
    // 811, 1111, 1411 s, all throttled, and runs at 1,711 s.
    const yaml = `
name: async-backoff
seed: 1
duration: 30m
functions:
  f: { init: 0ms, timeout: 900s, duration: 800s, reservedConcurrency: 1 }
workloads:
  - name: holder
    function: f
    arrivals: [{ constant: 1/s, for: 1s }, { constant: 1/s, at: 800s, for: 1s }]
    client: { retries: none }
  - name: event
    function: f
    invoke: async
    arrivals: { constant: 1/s, at: 1ms, for: 1s }
`;
    const r = runAny(yaml).workloads[1];
    if (r.invoke !== 'async') throw new Error('async expected');
    expect(r.throttleRequeues).toBe(13);
    expect(r.ageAtFirstAttemptMs.max).toBeCloseTo(1_711_000, -1);
  });
});

describe('async: the maximum-event-age timer (issue 22 item 1)', () => {
  it('a valid scenario whose expiry timer once re-armed at the same instant forever now runs to the end', () => {
    // reservedConcurrency 1, 500 ms handlers, 10 events/s, maximumEventAge 1 min, 10 min: a deep queue whose
    // never-tried events expire; the timer is armed at acceptedAt + 60 s and compared against that same sum.
    const r = asyncResult(`
name: async-age
seed: 1
duration: 10m
functions:
  f: { reservedConcurrency: 1, duration: 500ms }
workloads:
  - function: f
    invoke: async
    arrivals: { poisson: 10/s }
    async: { maximumEventAge: 1m }
`);
    expect(r.dropped['event-too-old']).toBeGreaterThan(0);
    expect(r.accepted + r.duplicates).toBe(r.succeededFirstTry + r.succeededAfterRetry + r.failed.total + r.dropped.total + r.openAtEnd.total);
  });
});

describe('async report: first-attempt ages are of the events that reached an attempt', () => {
  it('says how many accepted events never did, so dropping events does not read as a faster queue', async () => {
    const { textReport } = await import('../../src/report/text.js');
    // 200/s for a minute into reserved concurrency 5 of a 1 s handler (at most 5/s served): most events
    // wait past their 1-minute maximum age and are dropped before any attempt.
    const r = runAny(`
duration: 3m
functions:
  f: { duration: 1s, init: 0ms, reservedConcurrency: 5 }
workloads:
  - name: events
    function: f
    invoke: async
    arrivals: { constant: 200/s, for: 1m }
    async: { maximumEventAge: 1m }
`);
    const w = r.workloads[0] as AsyncWorkloadResult;
    const never = w.accepted - w.ageAtFirstAttemptMs.count;
    expect(w.dropped['event-too-old']).toBeGreaterThan(10_000);
    // An event dropped for age here never ran: a throttled read is not an attempt, and no handler fails.
    expect(never).toBeGreaterThanOrEqual(w.dropped['event-too-old']);
    const int = (n: number) => n.toLocaleString('en-US');
    expect(textReport(r).replace(/\n {6}/g, ' ')).toContain(
      `note: the 1st ages of events are of the ${int(w.ageAtFirstAttemptMs.count)} events that reached an attempt; ${int(never)} of the ${int(w.accepted)} accepted never did (dropped or still queued), and their ages are only in done`,
    );
  });
});
