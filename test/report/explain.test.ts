// lsim explain: a hand-checkable trace, and the golden timeline of the teaching scenario.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { explainText, traceRequests } from '../../src/report/explain.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import type { TraceEvent } from '../../src/metrics/trace.js';

const update = process.env.UPDATE_GOLDEN === '1';

// One environment (reserved 1), init 50 ms + handler 150 ms, arrivals at 0, 100 and 200 ms, no retries.
const tiny = `
name: tiny
seed: 1
duration: 1m
functions:
  f: { memory: 1024MB, timeout: 30s, reservedConcurrency: 1, duration: 150ms, init: 50ms }
workloads:
  - name: w
    function: f
    arrivals: { constant: 10/s, for: 300ms }
    client: { retries: none }
`;

const pick = (e: TraceEvent) => {
  const o: Record<string, unknown> = { t: e.tMs, type: e.type };
  for (const k of ['reason', 'env', 'cold', 'initMs', 'durationMs', 'status', 'outcome'] as const) if (e[k] !== undefined) o[k] = e[k];
  return o;
};

/** Every field but the request, workload and function. */
const pickAll = (e: TraceEvent) => {
  const o: Record<string, unknown> = { t: e.tMs, type: e.type };
  for (const k of ['attempt', 'reason', 'env', 'cold', 'initMs', 'durationMs', 'status', 'delayMs', 'outcome', 'duplicateOf'] as const) {
    if (e[k] !== undefined) o[k] = e[k];
  }
  return o;
};

describe('traceRequests', () => {
  it('follows the rules step by step on a tiny run', () => {
    const t = traceRequests(parseScenario(tiny, 'tiny.yaml'), 3);
    expect(t.stoppedEarly).toBe(true);
    expect(t.requests.map((r) => r.events.map(pick))).toEqual([
      // Request 0: a cold start (init 50 ms, then 150 ms), done at 200 ms.
      [
        { t: 0, type: 'arrival' },
        { t: 0, type: 'start', env: 0, cold: true, initMs: 50, durationMs: 150, status: 'ok' },
        { t: 200, type: 'complete', env: 0, status: 'ok' },
        { t: 200, type: 'done', outcome: 'ok' },
      ],
      // Request 1 at 100 ms: the one environment is busy and reserved concurrency is 1.
      [
        { t: 100, type: 'arrival' },
        { t: 100, type: 'throttle', reason: 'reserved-concurrency' },
        { t: 100, type: 'done', outcome: 'throttled' },
      ],
      // Request 2 at 200 ms: the completion at 200 ms runs first, so it starts warm on environment 0.
      [
        { t: 200, type: 'arrival' },
        { t: 200, type: 'start', env: 0, cold: false, initMs: 0, durationMs: 150, status: 'ok' },
        { t: 350, type: 'complete', env: 0, status: 'ok' },
        { t: 350, type: 'done', outcome: 'ok' },
      ],
    ]);
  });

  it('says when an init overran the 10 s limit and when an environment retires at its lifetime end', () => {
    // Init 12 s (cut at 10 s, re-run in the invoke), handler 150 ms; a 5 s lifetime ends during the invocation
    // and, with proactive replacement off, the environment is retired when it ends at 22.15 s.
    const scenario = parseScenario(
      tiny.replace('init: 50ms }', 'init: 12s, maxLifetime: 5s, proactiveReplacement: off }').replace('{ constant: 10/s, for: 300ms }', '{ constant: 1/s, for: 1s }'),
      'tiny.yaml',
    );
    const [request] = traceRequests(scenario, 1).requests;
    expect(request.events.map(pickAll)).toEqual([
      { t: 0, type: 'arrival', attempt: 1 },
      { t: 0, type: 'start', env: 0, cold: true, initMs: 10_000, durationMs: 12_150, status: 'ok' },
      { t: 22_150, type: 'complete', env: 0, status: 'ok' },
      { t: 22_150, type: 'done', attempt: 1, outcome: 'ok' },
    ]);
    expect(request.events[1].initRerunMs).toBe(12_000);
    expect(request.events[2].retired).toBe(true);
    // The long line is broken at a space to keep 100 columns; joined again here.
    const text = explainText(scenario, 1);
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(text.replace(/\n {18}/g, ' ')).toContain('cold start on environment 0: init 10.00 s (over the 10 s limit: cut), invoke 12.15 s: the init re-run (12.00 s), then the handler');
    expect(text).toContain('invocation on environment 0 ends (ok); the environment is past its lifetime: retired');
  });

  it('shows SDK retries with their backoff: the next attempt starts exactly one backoff later', () => {
    const t = traceRequests(parseScenario(tiny.replace('{ retries: none }', '{ maxAttempts: 3, baseDelay: 40ms }'), 'tiny.yaml'), 2);
    const r1 = t.requests[1].events;
    const retries = r1.filter((e) => e.type === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      // min(u × base × 2^(i−1), maxBackoff), u in [0, 1): below 40 ms × 2^(i−1).
      expect(retry.delayMs!).toBeGreaterThanOrEqual(0);
      expect(retry.delayMs!).toBeLessThan(40 * 2 ** (retry.attempt! - 2));
      const next = r1[r1.indexOf(retry) + 1];
      expect(next.tMs).toBeCloseTo(retry.tMs + retry.delayMs!, 9);
      expect(next.attempt).toBe(retry.attempt);
    }
    expect(r1.at(-1)!.type).toBe('done');
  });

  it('follows traced requests too, with the durations of the trace (docs/model.md "Trace-driven workloads")', () => {
    // scenarios/traces/invoices.csv, origin 12:00:00Z: the first rows at 4.396 s (243.532 ms) and 5.130 s (1,104.949 ms).
    const t = traceRequests(loadScenarioFile('scenarios/trace-replay.yaml'), 1_000, { fromMs: 4_300 });
    const invoices = t.requests.filter((r) => r.events[0].workload === 'invoices');
    // The workload's health checks (constant 0.2/s, at 5 s, 10 s, ...) are requests of the same workload.
    expect(invoices.slice(0, 3).map((r) => r.events[0].tMs)).toEqual([4_396, 5_000, 5_130]);
    const traced = [invoices[0], invoices[2]];
    expect(traced.map((r) => r.events.find((e) => e.type === 'start')!.durationMs)).toEqual([243.532, 1104.949]);
    expect(traced.map((r) => r.outcome)).toEqual(['ok', 'ok']);
  });

  it('does not change the run: results with and without tracing are byte-identical', () => {
    const s = loadScenarioFile('scenarios/teaching.yaml');
    const events: TraceEvent[] = [];
    const traced = simulate(s, { trace: (e) => events.push(e) });
    expect(jsonReport(traced)).toBe(jsonReport(simulate(s)));
    // Every request that arrived has exactly one arrival event, and ids run 0, 1, 2, ... in time order.
    const arrivals = events.filter((e) => e.type === 'arrival');
    expect(arrivals.map((e) => e.request)).toEqual(arrivals.map((_, i) => i));
    expect(arrivals.length).toBe(traced.workloads[0].invoke === 'sync' ? traced.workloads[0].requests : -1);
  });
});

describe('explain timeline golden', () => {
  it('scenarios/teaching.yaml, first 16 requests, matches reports/explain-teaching.txt', () => {
    const text = explainText(loadScenarioFile('scenarios/teaching.yaml'), 16);
    const path = 'reports/explain-teaching.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['cold start', 'warm start', 'throttled (429 ', 'SDK backs off', 'fails (function error)', 'client stops waiting', 'times out']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});

// One async event of d = 2 s (no init) at 5 s that always fails, DLQ; a second at 5.5 s finds the one
// environment (reserved concurrency 1) busy. docs/sources.md §4: retries 1 min and 2 min after the failed
// attempt ends; throttled reads back off 1 s, 2 s, ... or until a completion frees capacity.
const tinyAsync = `
name: tiny-async
seed: 1
duration: 10m
functions:
  f: { memory: 1024MB, timeout: 30s, reservedConcurrency: 1, duration: 2s, init: 0ms, errors: 1 }
workloads:
  - name: events
    function: f
    invoke: async
    arrivals: { at: 5s, for: 1s, constant: 2/s }
    async: { deadLetterQueue: sqs }
`;

describe('traceRequests: async events', () => {
  it('one event failing three times, then the DLQ: attempts at t, t + d + 60 s, t + 2d + 180 s', () => {
    const t = traceRequests(parseScenario(tinyAsync, 'tiny-async.yaml'), 1);
    expect(t.stoppedEarly).toBe(true);
    const start = (at: number, cold: boolean) => ({ t: at, type: 'start', env: 0, cold, initMs: 0, durationMs: 2000, status: 'error' });
    const complete = (at: number) => ({ t: at, type: 'complete', env: 0, status: 'error' });
    expect(t.requests[0].events.map(pickAll)).toEqual([
      { t: 5000, type: 'arrival', attempt: 0 },
      { t: 5000, type: 'poll', attempt: 1, delayMs: 0 },
      start(5000, true),
      complete(7000),
      { t: 7000, type: 'retry', attempt: 2, status: 'error', delayMs: 60_000 },
      { t: 67_000, type: 'poll', attempt: 2, delayMs: 0 },
      start(67_000, false),
      complete(69_000),
      { t: 69_000, type: 'retry', attempt: 3, status: 'error', delayMs: 120_000 },
      { t: 189_000, type: 'poll', attempt: 3, delayMs: 0 },
      start(189_000, false),
      complete(191_000),
      { t: 191_000, type: 'done', attempt: 3, outcome: 'dlq', reason: 'retries-exhausted' },
    ]);
    expect(t.requests[0].events.every((e) => e.request === 0 && e.function === 'f')).toBe(true);
  });

  it('the second event: throttled reads, each with its own backoff (1 s, then 2 s), then it runs', () => {
    const e = traceRequests(parseScenario(tinyAsync, 'tiny-async.yaml'), 2).requests[1].events.map(pickAll);
    expect(e.slice(0, 7)).toEqual([
      { t: 5500, type: 'arrival', attempt: 0 },
      { t: 5500, type: 'poll', attempt: 1, delayMs: 0 },
      { t: 5500, type: 'throttle', attempt: 1, reason: 'reserved-concurrency', delayMs: 1000 },
      { t: 6500, type: 'poll', attempt: 1, delayMs: 0, reason: 'backoff' },
      { t: 6500, type: 'throttle', attempt: 1, reason: 'reserved-concurrency', delayMs: 2000 },
      // Event 0's attempt ends at 7 s, but this event waits out its backoff (§4): read again at 8.5 s.
      { t: 8500, type: 'poll', attempt: 1, delayMs: 0, reason: 'backoff' },
      { t: 8500, type: 'start', env: 0, cold: false, initMs: 0, durationMs: 2000, status: 'error' },
    ]);
    expect(e.at(-1)).toEqual({ t: 194_500, type: 'done', attempt: 3, outcome: 'dlq', reason: 'retries-exhausted' });
  });

  it('an event too old for its retry, and a duplicate, are told as such', () => {
    const aged = tinyAsync.replace('{ deadLetterQueue: sqs }', '{ maximumEventAge: 60s, onFailure: sns, duplicateProbability: 1 }');
    const t = traceRequests(parseScenario(aged, 'aged.yaml'), 2);
    // The retry due at 67 s is cut to the event's maximum age, 65 s.
    expect(t.requests[0].events.map(pickAll).slice(-2)).toEqual([
      { t: 7000, type: 'retry', attempt: 2, status: 'error', delayMs: 58_000, reason: 'event-too-old' },
      { t: 65_000, type: 'done', attempt: 1, outcome: 'on-failure', reason: 'event-too-old' },
    ]);
    expect(t.requests[1].events[0]).toMatchObject({ tMs: 5000, type: 'arrival', duplicateOf: 0 });
  });

  it('does not change the run: results with and without tracing are byte-identical (async scenarios)', () => {
    for (const file of ['scenarios/async-retries.yaml', 'scenarios/sync-vs-async.yaml']) {
      const s = loadScenarioFile(file);
      const events: TraceEvent[] = [];
      const traced = simulate(s, { trace: (e) => events.push(e) });
      expect(jsonReport(traced)).toBe(jsonReport(simulate(s)));
      const arrivals = events.filter((e) => e.type === 'arrival');
      expect(arrivals.map((e) => e.request)).toEqual(arrivals.map((_, i) => i));
      // Every platform event is attributed to a request.
      expect(events.filter((e) => (e.type === 'start' || e.type === 'complete') && e.request < 0)).toEqual([]);
    }
  });
});

describe('explain timeline golden: async', () => {
  it('the tiny async scenario above, first 2 requests, matches reports/explain-async.txt', () => {
    const text = explainText(parseScenario(tinyAsync, 'tiny-async.yaml'), 2);
    const path = 'reports/explain-async.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['accepted (202) into the async queue', 'its backoff over, the poller reads it again', 'retry in 1.0 min after function error', 'to DLQ (sqs): retries exhausted']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});

// SQS (src/models/sqs/mapping.ts): three messages at 0, 100 and 200 ms, one 500 ms batching window, one poison
// message (seed 24 makes message 0 the poison one, and 1 and 2 not) under ReportBatchItemFailures; VT 10 s,
// maxReceiveCount 3. Message 0 fails each time, reappears 10 s after each receive, and goes to the DLQ at its third VT.
const tinySqs = `
name: tiny-sqs
seed: 24
duration: 2m
functions:
  f: { memory: 1024MB, timeout: 5s, duration: 200ms, init: 100ms }
workloads:
  - name: orders
    function: f
    invoke: sqs
    arrivals: { constant: 10/s, for: 300ms }
    sqs:
      batchSize: 10
      maximumBatchingWindow: 1s
      visibilityTimeout: 10s
      maxReceiveCount: 3
      poison: 0.4
      reportBatchItemFailures: true
`;

describe('traceRequests: SQS messages', () => {
  it('a poison message: received, failed, visible again after the VT, then the DLQ', () => {
    const t = traceRequests(parseScenario(tinySqs, 'tiny-sqs.yaml'), 3);
    expect(t.stoppedEarly).toBe(true);
    const types = t.requests[0].events.map((e) => `${e.tMs} ${e.type}`);
    expect(types).toEqual([
      '0 arrival', '0 receive', '1000 batch', '1000 start', '1300 complete', '1300 failed',
      '10000 visible', '10000 receive', '11000 batch', '11000 start', '11200 complete', '11200 failed',
      '20000 visible', '20000 receive', '21000 batch', '21000 start', '21200 complete', '21200 failed',
      '30000 done',
    ]);
    expect(t.requests[0].events.at(-1)).toMatchObject({ outcome: 'dlq', attempt: 3, reason: 'max-receive-count' });
    // The batch event and the platform's start reach every explained message of the batch.
    expect(t.requests[0].events[2].requests).toEqual([0, 1, 2]);
    for (const r of [1, 2]) expect(t.requests[r].events.map((e) => e.type)).toEqual(['arrival', 'receive', 'batch', 'start', 'complete', 'done']);
    expect(t.requests[1].events.at(-1)).toMatchObject({ tMs: 1300, outcome: 'deleted' });
  });

  it('--sample: every K-th request', () => {
    const t = traceRequests(parseScenario(tinySqs, 'tiny-sqs.yaml'), 2, { sample: 2 });
    expect(t.requests.map((r) => r.id)).toEqual([0, 2]);
  });

  it('does not change the run: results with and without tracing are byte-identical (SQS scenarios)', () => {
    for (const file of ['scenarios/sqs-batch.yaml', 'scenarios/sqs-fifo.yaml', 'scenarios/sqs-poison-message.yaml']) {
      const s = loadScenarioFile(file);
      let arrivals = 0;
      let orphans = 0;
      const traced = simulate(s, {
        trace: (e) => {
          if (e.type === 'arrival' && e.request !== arrivals++) throw new Error(`arrival ${e.request} out of order`);
          if ((e.type === 'start' || e.type === 'complete') && e.request < 0) orphans++;
        },
      });
      expect(jsonReport(traced)).toBe(jsonReport(simulate(s)));
      expect(orphans).toBe(0);
      expect(arrivals).toBeGreaterThan(0);
    }
  });
});

describe('explain timeline golden: SQS', () => {
  it('the tiny SQS scenario above, first 3 requests, matches reports/explain-sqs.txt', () => {
    const text = explainText(parseScenario(tinySqs, 'tiny-sqs.yaml'), 3);
    const path = 'reports/explain-sqs.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['sent to the queue', 'batch of 3 messages invoked (the batching window ended)', 'reported as a failed item', 'visible again after the visibility timeout', 'redriven to the DLQ']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});

// Streams (src/models/stream/mapping.ts): one Kinesis shard, four records at 0, 100, 200 and 300 ms, the second poison;
// bisect, one retry, an SQS on-failure destination; 100 ms handlers, no init. docs/sources.md §6: the shard polls
// every second (at 1 s, the first poll after the writes); a failed batch is split in two and the halves are
// tried in order (no retry used); a single failing record is retried, then discarded to the destination.
const tinyStream = `
name: tiny-stream
seed: 1
duration: 1m
functions:
  f: { memory: 1024MB, timeout: 5s, duration: 100ms, init: 0ms }
workloads:
  - name: clicks
    function: f
    invoke: stream
    arrivals: { constant: 10/s, for: 400ms }
    stream: { source: kinesis, shards: 1, batchSize: 10, poisonRecords: [2], bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, onFailure: sqs }
`;

describe('traceRequests: stream records', () => {
  it('a poison record: its batch bisected down to it, retried once, discarded; the others processed', () => {
    const t = traceRequests(parseScenario(tinyStream, 'tiny-stream.yaml'), 4);
    expect(t.stoppedEarly).toBe(true);
    expect(t.requests[1].events.map((e) => `${e.tMs} ${e.type}${e.requests ? ` ${e.requests.length}` : ''}`)).toEqual([
      '100 arrival',
      // The batch of 4 fails: halves of 2 and 2; the first half fails: halves of 1 and 1.
      '1000 batch 4', '1000 start', '1100 complete', '1100 split 4',
      '1100 batch 2', '1100 start', '1200 complete', '1200 split 2',
      // Record 0 alone succeeds (1200–1300); then record 1 alone, retried once.
      '1300 batch 1', '1300 start', '1400 complete', '1400 failed 1', '1400 retry 1',
      '1400 batch 1', '1400 start', '1500 complete', '1500 failed 1',
      '1500 done',
    ]);
    expect(t.requests[1].events[0]).toMatchObject({ shard: 0, sequence: 1 });
    expect(t.requests[1].events.at(-1)).toMatchObject({ outcome: 'discarded', reason: 'retries-exhausted', attempt: 4 });
    expect(t.requests.map((r) => [r.id, r.outcome, r.done?.tMs])).toEqual([
      [0, 'processed', 1300],
      [1, 'discarded', 1500],
      // The second half of the first split, after the poison record is gone.
      [2, 'processed', 1600],
      [3, 'processed', 1600],
    ]);
  });

  it('does not change the run: results with and without tracing are byte-identical (stream scenarios)', () => {
    const windowed = tinyStream.replace('bisectBatchOnFunctionError: true', 'tumblingWindow: 10s, reportBatchItemFailures: true');
    for (const s of [shortened('scenarios/stream-poison-record.yaml', '3m'), shortened('scenarios/kinesis-stream.yaml', '1m'), parseScenario(windowed, 'w.yaml')]) {
      let arrivals = 0;
      let orphans = 0;
      const traced = simulate(s, {
        trace: (e) => {
          if (e.type === 'arrival' && e.request !== arrivals++) throw new Error(`arrival ${e.request} out of order`);
          if ((e.type === 'start' || e.type === 'complete') && e.request < 0) orphans++;
        },
      });
      expect(jsonReport(traced)).toBe(jsonReport(simulate(s)));
      expect(orphans).toBe(0);
      expect(arrivals).toBeGreaterThan(0);
    }
  });

  it('a record stuck behind a poison batch retried for the rest of the run: its first and last steps, the middle left out', () => {
    // The poison record (the 6,000th written) is in a batch of shard 0 first invoked at 58.9 s; the first record
    // from 58 s that did not end ok is in that batch.
    const t = traceRequests(loadScenarioFile('scenarios/stream-poison-record.yaml'), 1, { fromMs: 58_000, failures: true });
    const [r] = t.requests;
    expect(t.stoppedEarly).toBe(false);
    expect(r.outcome).toBe('open');
    expect(r.events.length).toBe(60);
    // Retried for the ~29 minutes left, each retry four steps (invoked, start, end, failed) and taking well under
    // 200 ms (a handler of median 60 ms plus 2 ms a record): more than 4 × 1,740 s / 200 ms ≈ 34,800 steps.
    expect(r.omitted).toBeGreaterThan(34_800);
    const text = explainText(loadScenarioFile('scenarios/stream-poison-record.yaml'), 1, { fromMs: 58_000, failures: true });
    expect(text).toMatch(/… [\d,]+ more steps like these …/);
    expect(text).toContain('= open at the end of the run');
  });
});

describe('traceRequests: --from and --failures', () => {
  const teaching = loadScenarioFile('scenarios/teaching.yaml');
  // Every request's outcome, from one full trace of the run.
  const outcomes: string[] = [];
  const arrivedAt: number[] = [];
  simulate(teaching, {
    trace: (e) => {
      if (e.type === 'arrival') arrivedAt[e.request] = e.tMs;
      if (e.type === 'done') outcomes[e.request] ??= e.outcome!;
    },
  });

  it('--from: the requests arriving at or after the time, every K-th of them with --sample', () => {
    const first = arrivedAt.findIndex((t) => t >= 30_000);
    expect(traceRequests(teaching, 3, { fromMs: 30_000 }).requests.map((r) => r.id)).toEqual([first, first + 1, first + 2]);
    expect(traceRequests(teaching, 3, { fromMs: 30_000, sample: 5 }).requests.map((r) => r.id)).toEqual([first, first + 5, first + 10]);
  });

  it('--failures: the first n requests that did not end ok, from the time given, with their whole story', () => {
    const first = arrivedAt.findIndex((t) => t >= 30_000);
    const want = outcomes.map((o, id) => [id, o] as const).filter(([id, o]) => id >= first && o !== 'ok').slice(0, 6);
    const t = traceRequests(teaching, 6, { fromMs: 30_000, failures: true });
    expect(t.stoppedEarly).toBe(true);
    expect(t.requests.map((r) => [r.id, r.outcome])).toEqual(want);
    expect(new Set(want.map(([, o]) => o)).size).toBeGreaterThan(1);
    for (const r of t.requests) expect(r.events[0].type).toBe('arrival');
  });

  it('many requests: exactly the first n, in id order (the followed list is compacted on the way)', () => {
    const busy = tiny.replace('reservedConcurrency: 1, ', '').replace('{ constant: 10/s, for: 300ms }', '{ constant: 2000/s, for: 10s }');
    const t = traceRequests(parseScenario(busy, 'busy.yaml'), 5000);
    expect(t.stoppedEarly).toBe(true);
    expect(t.requests.map((r) => r.id)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('--failures counts requests open at the end of the run; none left says so', () => {
    const tail = traceRequests(teaching, 10_000, { fromMs: 119_000, failures: true });
    expect(tail.requests.some((r) => r.outcome === 'open')).toBe(true);
    const ok = parseScenario(tiny.replace('reservedConcurrency: 1', 'reservedConcurrency: 10'), 'tiny.yaml');
    expect(explainText(ok, 5, { failures: true })).toContain('No request was traced that did not end ok.');
  });
});

describe('explain timeline golden: streams', () => {
  it('scenarios/stream-poison-record.yaml from 59.3 s, the first 2 that did not end ok, matches reports/explain-stream.txt', () => {
    const text = explainText(loadScenarioFile('scenarios/stream-poison-record.yaml'), 2, { fromMs: 59_300, failures: true });
    const path = 'reports/explain-stream.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['written to shard 0, sequence 1,330', 'bisected into', 'retry 2 of 2 at once', "on-failure (sqs) gets its batch's range", '= open at the end of the run']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});

/** A shipped scenario shortened to `duration`. */
function shortened(file: string, duration: string) {
  return parseScenario(readFileSync(file, 'utf8').replace(/^duration: .*$/m, `duration: ${duration}`), file);
}

describe('explain timeline golden: pipelines (issue 16)', () => {
  it('scenarios/order-pipeline.yaml, the first request and the first that did not finish, match reports/explain-pipeline.txt', () => {
    const s = loadScenarioFile('scenarios/order-pipeline.yaml');
    const first = traceRequests(s, 1);
    expect(first.stoppedEarly).toBe(true);
    expect(first.requests[0].outcome).toBe('finished');
    // Every stage's steps are in one request's timeline, under its id.
    expect(new Set(first.requests[0].events.map((e) => e.workload).filter((w) => w !== undefined))).toEqual(new Set(['checkout', 'orders', 'order-events']));
    const text = explainText(s, 1) + explainText(s, 1, { failures: true });
    const path = 'reports/explain-pipeline.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['order-api sends a message to orders', 'order-worker sends a record to order-events', 'order-events: processed', '= finished after', 'orders: redriven to the DLQ', '= dlq after']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });

  it('a synchronous call: the caller waits, the callee runs under the same request, the outcome is the chain’s', () => {
    const s = parseScenario(`
name: call
duration: 10s
functions:
  api: { duration: 100ms, init: 0ms, calls: [{ function: auth }] }
  auth: { duration: 200ms, init: 0ms, reservedConcurrency: 1 }
workloads:
  - { name: web, function: api, arrivals: { constant: 10/s }, client: { retries: none } }
`);
    const [ok, throttled] = traceRequests(s, 2).requests;
    expect(ok.events.map((e) => [e.tMs, e.type, e.function])).toEqual([
      [0, 'arrival', 'api'],
      [0, 'start', 'api'],
      [100, 'call', 'auth'],
      [100, 'start', 'auth'],
      [300, 'complete', 'auth'],
      [300, 'call-done', 'auth'],
      [300, 'complete', 'api'],
      [300, 'done', 'api'],
      [300, 'end', undefined],
    ]);
    expect(ok.outcome).toBe('finished');
    // The second request's call (at 200 ms) finds auth busy with the first's until 300 ms: 429, so api fails.
    expect(throttled.events.find((e) => e.type === 'call-done')).toMatchObject({ tMs: 200, status: 'throttled', reason: 'reserved-concurrency' });
    expect(throttled.outcome).toBe('dropped');
  });
});
