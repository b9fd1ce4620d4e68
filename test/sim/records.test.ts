// Request records (issue 13.6, src/metrics/records.ts): SimulateOptions.onRecord gets one record per
// request the result counts, in every invocation model. The rows by outcome add up to the result's
// counts (per model, also with a warm-up), records never change the run, and the hand-checkable async
// cases follow from docs/sources.md §4 as stated next to them.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/models/index.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import type { RequestRecord } from '../../src/metrics/records.js';
import type { Result } from '../../src/sim/result.js';
import type { StreamWorkloadResult } from '../../src/models/stream/types.js';
import type { SqsWorkloadResult } from '../../src/models/sqs/types.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';

function run(s: Scenario): { result: Result; rows: RequestRecord[] } {
  const rows: RequestRecord[] = [];
  const result = simulate(s, { onRecord: (r) => rows.push(r) });
  return { result, rows };
}

/** Rows of workload `w` by outcome (and, with `by`, by another field too: "outcome/field"). */
function tally(rows: RequestRecord[], w: string, by?: 'reason' | 'target'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (r.workload !== w) continue;
    const k = by ? `${r.outcome}/${r[by]}` : r.outcome;
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Drops zero counts, so a tally can be compared with toEqual. */
const nonzero = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v > 0));

function checkSync(rows: RequestRecord[], w: SyncWorkloadResult): void {
  expect(tally(rows, w.name)).toEqual(
    nonzero({
      ok: w.succeeded,
      error: w.functionErrors,
      timeout: w.functionTimeouts,
      throttled: w.throttled,
      'client-timeout': w.clientTimeouts,
      'rate-limited': w.client.rateLimited,
      rejected: w.traceReplay?.payloadTooLarge ?? 0,
      open: w.openAtEnd,
    }),
  );
}

function checkAsync(rows: RequestRecord[], w: AsyncWorkloadResult): void {
  expect(tally(rows, w.name)).toEqual(
    nonzero({
      ok: w.succeededFirstTry + w.succeededAfterRetry,
      failed: w.failed.total,
      dropped: w.dropped.total,
      rejected: w.calls.rejected,
      'rate-limited': w.calls.rateLimited,
      open: w.openAtEnd.total,
    }),
  );
  const mine = rows.filter((r) => r.workload === w.name);
  // The destination records AWS sends are the rows' targets: one per target named.
  const to = (t: string) => mine.filter((r) => r.target.split('+').includes(t)).length;
  expect([to('dlq'), to('on-failure'), to('on-success')]).toEqual([w.destinations.deadLetterQueue, w.destinations.onFailure, w.destinations.onSuccess]);
  for (const reason of ['retries-exhausted', 'event-too-old', 'reserved-zero'] as const) {
    expect(mine.filter((r) => r.outcome === 'failed' && r.reason === reason).length).toBe(w.failed[reason]);
    expect(mine.filter((r) => r.outcome === 'dropped' && r.reason === reason).length).toBe(w.dropped[reason]);
  }
  // Accepted events (and their duplicates) are the rows with a request id.
  expect(mine.filter((r) => r.request >= 0).length).toBe(w.accepted + w.duplicates);
}

function checkSqs(rows: RequestRecord[], w: SqsWorkloadResult, warmupMs: number): void {
  const m = w.messages;
  expect(tally(rows, w.name, 'reason')).toEqual(
    nonzero({ 'deleted/': m.deleted, 'dlq/max-receive-count': m.redrivenToDlq, 'open/waiting': m.waitingAtEnd, 'open/in-flight': m.inFlightAtEnd }),
  );
  // Every message sent after the warm-up has its row (deletions and redrives count when they happen).
  expect(rows.filter((r) => r.workload === w.name && r.startedMs >= warmupMs).length).toBe(m.sent);
}

function checkStream(rows: RequestRecord[], w: StreamWorkloadResult): void {
  const r = w.records;
  expect(tally(rows, w.name)).toEqual(nonzero({ processed: r.processed, discarded: r.discarded, expired: r.expired, open: r.pendingAtEnd }));
  expect(tally(rows, w.name, 'reason')['open/in-flight'] ?? 0).toBe(r.inFlightAtEnd);
  const mine = rows.filter((x) => x.workload === w.name);
  for (const s of w.shards) {
    const shard = mine.filter((x) => x.shard === s.shard);
    expect([shard.length, shard.filter((x) => x.outcome === 'processed').length]).toEqual([s.written, s.processed]);
  }
}

/** Runs `s` with and without records: the same result, and rows that add up to its counts. */
function checkAll(s: Scenario): { result: Result; rows: RequestRecord[] } {
  const got = run(s);
  expect(jsonReport(got.result)).toBe(jsonReport(simulate(s)));
  for (const w of got.result.workloads) {
    if (w.invoke === 'sync') checkSync(got.rows, w);
    else if (w.invoke === 'async') checkAsync(got.rows, w);
    else if (w.invoke === 'sqs') checkSqs(got.rows, w, s.warmupMs);
    else if (w.invoke !== 'stepfunctions') checkStream(got.rows, w);
  }
  // Ids are the explain ids: distinct, and a row's model and function are its workload's.
  const ids = got.rows.filter((r) => r.request >= 0).map((r) => r.request);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of got.rows) {
    const w = s.workloads.find((x) => x.name === r.workload)!;
    expect([r.model, Number.isNaN(r.endedMs)]).toEqual([w.invoke, r.outcome === 'open']);
  }
  return got;
}

const withWarmup = (s: Scenario, warmupMs: number): Scenario => ({ ...s, warmupMs });

/** A shipped scenario, shortened to `duration` (it keeps the events the checks need; runs stay quick). */
function shipped(file: string, duration: string): Scenario {
  return parseScenario(readFileSync(file, 'utf8').replace(/^duration: .*$/m, `duration: ${duration}`), file);
}

describe('records add up to the result, per model, and do not change the run', () => {
  it('sync: scenarios/teaching.yaml (ok, error, throttled, client-timeout, open), also with a 1-minute warm-up', () => {
    const s = loadScenarioFile('scenarios/teaching.yaml');
    const { rows } = checkAll(s);
    expect(Object.keys(tally(rows, 'web')).sort()).toEqual(['client-timeout', 'error', 'ok', 'open', 'throttled']);
    const warm = checkAll(withWarmup(s, 60_000));
    expect(warm.rows.length).toBeLessThan(rows.length);
    expect(warm.rows.every((r) => r.startedMs >= 60_000)).toBe(true);
  });

  it('sync: a function timeout, adaptive give-ups and a traced request over the payload limit', () => {
    // Adaptive mode, 100/s offered to a function capped at 20/s (reserved 2), client timeout 1 s: some attempts
    // wait longer than the timeout for a send token (rate-limited); about half of g's handlers run past its 1 s timeout.
    const adaptive = parseScenario(
      `
name: records-sync
seed: 1
duration: 2m
functions:
  f: { duration: { fixed: 10ms }, init: 0ms, timeout: 3s, reservedConcurrency: 2 }
  g: { duration: { uniform: { min: 10ms, max: 2s } }, init: 0ms, timeout: 1s }
workloads:
  - name: limited
    function: f
    arrivals: { constant: 100/s }
    client: { retries: adaptive, timeout: 1s }
  - name: slow
    function: g
    arrivals: { constant: 5/s }
`,
      'records-sync.yaml',
    );
    const { result } = checkAll(adaptive);
    const [limited, slow] = result.workloads as SyncWorkloadResult[];
    expect(limited.client.rateLimited).toBeGreaterThan(0);
    expect(slow.functionTimeouts).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'lsim-records-'));
    writeFileSync(join(dir, 't.csv'), 'timestamp,payload_bytes\n0,100\n1,7000000\n2,100\n');
    const yaml = `
name: records-413
seed: 1
duration: 1m
functions:
  f: { duration: 100ms }
workloads:
  - name: replay
    function: f
    client: { retries: none }
    arrivals: { trace: { file: t.csv, timestamps: s } }
`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    const { rows } = checkAll(parseScenario(yaml, join(dir, 's.yaml')));
    // The 7,000,000-byte request is refused (413) before it is a request of the model: no request id.
    // Rows come as requests end.
    expect(rows.map((r) => [r.request, r.startedMs, r.outcome, r.reason])).toEqual([
      [0, 0, 'ok', ''],
      [-1, 1000, 'rejected', 'payload-too-large'],
      [1, 2000, 'ok', ''],
    ]);
  });

  it('async: scenarios/async-retries.yaml and the async half of scenarios/sync-vs-async.yaml, also with a warm-up', () => {
    for (const [file, duration] of [['scenarios/async-retries.yaml', '16m'], ['scenarios/sync-vs-async.yaml', '5m']]) {
      const s = shipped(file, duration);
      checkAll(s);
      checkAll(withWarmup(s, 60_000));
    }
  });

  it('async: Invoke calls refused by the request-rate quota are rows too (rejected, no request id)', () => {
    // 30,000 calls/s for 1 s on a 1,000 account, no SDK retries: 10,000 accepted (the bucket's second), the rest refused.
    const s = parseScenario(
      `
name: records-rejected
seed: 1
duration: 10s
functions:
  f: { init: 0ms, timeout: 3s, duration: 1ms }
workloads:
  - name: flood
    function: f
    invoke: async
    arrivals: { constant: 30000/s, for: 1s }
    client: { retries: none }
`,
      'records-rejected.yaml',
    );
    const { rows, result } = checkAll(s);
    const w = result.workloads[0] as AsyncWorkloadResult;
    // The bucket holds one second's worth (10,000) and refills 10,000/s: about 20,000 get in.
    expect(w.calls.rejected).toBeGreaterThan(9_000);
    const rejected = rows.filter((r) => r.outcome === 'rejected');
    expect(rejected.every((r) => r.request === -1 && r.reason === 'request-rate' && r.attempts === 1 && r.endedMs === r.startedMs)).toBe(true);
  });

  it('SQS: scenarios/sqs-poison-message.yaml, sqs-reserved-concurrency.yaml and sqs-fifo.yaml (the key is the group), also with a warm-up', () => {
    for (const [file, duration] of [['scenarios/sqs-poison-message.yaml', '5m'], ['scenarios/sqs-reserved-concurrency.yaml', '12m'], ['scenarios/sqs-fifo.yaml', '5m']]) {
      const s = shipped(file, duration);
      const { rows } = checkAll(s);
      checkAll(withWarmup(s, 60_000));
      const fifo = s.workloads.some((w) => w.invoke === 'sqs' && w.sqs.fifo);
      expect(rows.every((r) => (r.key >= 0) === fifo)).toBe(true);
    }
  });

  it('streams: scenarios/stream-poison-record.yaml and kinesis-stream.yaml, also with a warm-up', () => {
    for (const [file, duration] of [['scenarios/stream-poison-record.yaml', '4m'], ['scenarios/kinesis-stream.yaml', '2m']]) {
      const s = shipped(file, duration);
      checkAll(s);
      checkAll(withWarmup(s, 60_000));
    }
    // The bisect workload's one discarded record: poison record 6000, alone after the splits, 3 deliveries alone
    // (the try and 2 retries) after those of its batch and halves, to the on-failure destination.
    const { rows } = run(shipped('scenarios/stream-poison-record.yaml', '4m'));
    const discarded = rows.filter((r) => r.outcome === 'discarded');
    expect(discarded).toMatchObject([{ workload: 'bisect', reason: 'retries-exhausted', target: 'on-failure', shard: 3, sequence: 1679 }]);
    expect(discarded[0].attempts).toBeGreaterThan(3);
  });

  it('streams: records past the retention expire (ended at write + 24 h), tumbling windows and record-age discards', () => {
    // One shard, a poison first record and retries until expiry: the 10 records written in the first second
    // wait behind it and expire 24 h after their write.
    const stuck = parseScenario(
      `
name: records-expired
seed: 1
duration: 25h
report: { interval: 1h }
functions:
  f: { memory: 1024MB, timeout: 60s, init: 0ms, duration: 30s }
workloads:
  - name: stuck
    function: f
    invoke: stream
    arrivals: { constant: 10/s, for: 1s }
    stream: { source: kinesis, shards: 1, poisonRecords: [1] }
`,
      'records-expired.yaml',
    );
    const { rows } = checkAll(stuck);
    expect(rows.map((r) => r.outcome)).toEqual(Array(10).fill('expired'));
    for (const r of rows) expect(r.endedMs).toBe(r.startedMs + 24 * 3_600_000);
    for (const extra of ['tumblingWindow: 10s, windowStatePerRecord: 200KB', 'maximumRecordAge: 60s, reportBatchItemFailures: true']) {
      const s = parseScenario(
        `
name: records-stream
seed: 2
duration: 10m
functions:
  f: { memory: 1024MB, timeout: 60s, init: 0ms, duration: 200ms, errors: 0.05 }
workloads:
  - name: s
    function: f
    invoke: stream
    arrivals: { poisson: 50/s }
    stream: { source: kinesis, shards: 2, poison: 0.002, ${extra} }
`,
        'records-stream.yaml',
      );
      checkAll(s);
      checkAll(withWarmup(s, 60_000));
    }
  });
});

// Async events by hand (docs/sources.md §4): three events at 5, 6 and 7 s on a function of d = 2 s, no init.
const asyncScenario = (fn: string, async: string, extra = '', arrivals = '{ at: 5s, for: 3s, constant: 1/s }') => `
name: async-records
seed: 1
duration: 1h
${extra}
functions:
  f:
    memory: 1024MB
    timeout: 15m
    init: 0ms
${fn}
workloads:
  - name: events
    function: f
    invoke: async
    arrivals: ${arrivals}
    async: ${async}
`;

function rowsOf(yaml: string): string[] {
  const { rows } = run(parseScenario(yaml, 'records.yaml'));
  return rows.map((r) => `${r.request} ${r.startedMs} ${r.endedMs} ${r.outcome} ${r.reason} ${r.attempts} ${r.target}`.trimEnd());
}

describe('async records by hand', () => {
  it('failing events: retries exhausted after 3 attempts at t + 3d + 180 s, to the targets (dlq, both), or dropped', () => {
    // Attempts at t, t + 62 s, t + 184 s; the third ends at t + 186 s.
    const failing = '    duration: 2s\n    errors: 1';
    expect(rowsOf(asyncScenario(failing, '{ deadLetterQueue: sqs }'))).toEqual([
      '0 5000 191000 failed retries-exhausted 3 dlq',
      '1 6000 192000 failed retries-exhausted 3 dlq',
      '2 7000 193000 failed retries-exhausted 3 dlq',
    ]);
    expect(rowsOf(asyncScenario(failing, '{ maximumRetryAttempts: 0, deadLetterQueue: sns, onFailure: s3 }'))).toEqual([
      '0 5000 7000 failed retries-exhausted 1 dlq+on-failure',
      '1 6000 8000 failed retries-exhausted 1 dlq+on-failure',
      '2 7000 9000 failed retries-exhausted 1 dlq+on-failure',
    ]);
    expect(rowsOf(asyncScenario(failing, '{ maximumRetryAttempts: 0 }'))).toEqual([
      '0 5000 7000 dropped retries-exhausted 1',
      '1 6000 8000 dropped retries-exhausted 1',
      '2 7000 9000 dropped retries-exhausted 1',
    ]);
  });

  it('an event that expires in the queue (no attempt), reserved concurrency 0, successes with an on-success destination', () => {
    // Reserved concurrency 1 and a 10-minute handler: event 0 (0 s) runs to 600 s; event 1 (1 ms) waits and
    // reaches its 60 s maximum age at 60,001 ms without an attempt.
    expect(rowsOf(asyncScenario('    reservedConcurrency: 1\n    duration: 10m', '{ maximumEventAge: 60s, onFailure: sqs }', '', '{ for: 2ms, constant: 1000/s }'))).toEqual([
      '1 1 60001 failed event-too-old 0 on-failure',
      '0 0 600000 ok  1',
    ]);
    expect(rowsOf(asyncScenario('    reservedConcurrency: 0\n    duration: 2s', '{ deadLetterQueue: sqs }'))).toEqual([
      '0 5000 5000 failed reserved-zero 0 dlq',
      '1 6000 6000 failed reserved-zero 0 dlq',
      '2 7000 7000 failed reserved-zero 0 dlq',
    ]);
    expect(rowsOf(asyncScenario('    duration: 2s', '{ onSuccess: eventbridge, deadLetterQueue: sqs }'))).toEqual([
      '0 5000 7000 ok  1 on-success',
      '1 6000 8000 ok  1 on-success',
      '2 7000 9000 ok  1 on-success',
    ]);
  });

  it('events accepted during the warm-up give no row, like the counts; ids still count them', () => {
    // Warm-up 6 s: the event at 5 s (request 0) is not counted; those at 6 and 7 s are.
    expect(rowsOf(asyncScenario('    duration: 2s\n    errors: 1', '{ deadLetterQueue: sqs }', 'warmup: 6s')).map((r) => r.split(' ')[0])).toEqual(['1', '2']);
  });

  it('an event still in flight at the end is open, with no end', () => {
    expect(rowsOf(asyncScenario('    duration: 2s', '{}', '', '{ at: 3599s, for: 1s, constant: 1/s }'))).toEqual(['0 3599000 NaN open  1']);
  });
});
