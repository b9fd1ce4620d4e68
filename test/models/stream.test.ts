// Stream event source mapping (docs/sources.md §6): exact traces a reader can
// check by hand, each expectation derived from the rule stated next to it.
// Common setup: function `f` with init 0 ms and a fixed handler duration, so
// a batch started at t finishes at t + duration + n × perRecord. A `constant`
// segment writes its first record at its start: `{ constant: 10/s, at: 1s, for: 1s }`
// writes at 1.0, 1.1, …, 1.9 s.
import { describe, expect, it } from 'vitest';
import { runStream, streamYaml } from './stream-harness.js';
import { laneOfKey, shardOfKey } from '../../src/models/stream/mapping.js';

describe('stream mapping: polling, batching and iterator age', () => {
  it('Kinesis polls an idle shard once per second; after an empty poll the next is one interval later', () => {
    // Records at 1.5 s, 2.5 s, 3.5 s. Shard 0 polls at 0, 1 s, 2 s…
    // 1.5 s → read at the 2 s poll, done at 2.1 s; the poll at 2.1 s is empty, so the next is at 3.1 s;
    // 2.5 s → read at 3.1 s, done 3.2 s; 3.5 s → read at 4.2 s, done 4.3 s.
    const r = runStream(streamYaml({ stream: '{ shards: 1 }', arrivals: '{ constant: 1/s, at: 1500ms, for: 2500ms }', duration: '10s' }));
    expect(r.batches.map((b) => [b.t, b.n])).toEqual([
      [2000, 1],
      [3100, 1],
      [4200, 1],
    ]);
    // IteratorAge at each batch's end: 2.1 − 1.5, 3.2 − 2.5, 4.3 − 3.5 s.
    expect(r.meters.iteratorAgeMs.count).toBe(3);
    expect(r.meters.iteratorAgeMs.max).toBeCloseTo(800, 9);
    expect(r.meters.iteratorAgeMs.sum).toBeCloseTo(600 + 700 + 800, 9);
  });

  it('DynamoDB Streams polls four times per second', () => {
    // One record at 100 ms: read at the 250 ms poll, done at 350 ms: age 250 ms.
    const r = runStream(
      streamYaml({ stream: '{ source: dynamodb, shards: 1 }', arrivals: '{ constant: 10/s, at: 100ms, for: 50ms }', duration: '5s' }),
    );
    expect(r.batches.map((b) => [b.t, b.n])).toEqual([[250, 1]]);
    expect(r.meters.iteratorAgeMs.max).toBeCloseTo(250, 9);
  });

  it('a backlog is read back to back, batchSize records at a time', () => {
    // 250 records at 0 … 249 ms; the 1 s poll reads 100, then 100 at 1.1 s, then 50 at 1.2 s.
    const r = runStream(streamYaml({ stream: '{ shards: 1 }', arrivals: '{ constant: 1000/s, for: 250ms }', duration: '10s' }));
    expect(r.batches.map((b) => [b.t, b.n, b.firstSeq])).toEqual([
      [1000, 100, 0],
      [1100, 100, 100],
      [1200, 50, 200],
    ]);
  });

  it('a batching window holds the batch until the window ends or the batch is full', () => {
    // Window 5 s: 30 records every 100 ms from 0; the 1 s poll finds 10 and opens the window, which ends at 6 s.
    const win = runStream(
      streamYaml({ stream: '{ shards: 1, maximumBatchingWindow: 5s }', arrivals: '{ constant: 10/s, for: 3s }', duration: '10s' }),
    );
    expect(win.batches.map((b) => [b.t, b.n])).toEqual([[6000, 30]]);
    // batchSize 20: the window closes when the 20th record arrives (at 1.9 s).
    const full = runStream(
      streamYaml({
        stream: '{ shards: 1, maximumBatchingWindow: 5s, batchSize: 20 }',
        arrivals: '{ constant: 10/s, for: 3s }',
        duration: '20s',
      }),
    );
    expect(full.batches[0]).toMatchObject({ t: 1900, n: 20 });
  });

  it('the 6 MB payload cap limits a batch (Kinesis data is base64 in the event)', () => {
    // 300 KB records: 4·⌈307200/3⌉ + 600 = 410,200 B each; ⌊6 MiB / 410,200⌋ = 15 records per batch.
    const r = runStream(
      streamYaml({ stream: '{ shards: 1, recordSize: 300KB, batchSize: 1000 }', arrivals: '{ constant: 1000/s, for: 40ms }', duration: '10s' }),
    );
    expect(r.spec.maxRecordsPerBatch).toBe(15);
    expect(r.batches.map((b) => b.n)).toEqual([15, 15, 10]);
  });
});

describe('stream mapping: failures, retries, bisect, checkpoints', () => {
  // Two shards and keys on both; record 5 is poison.
  const twoShards = (extra = '') =>
    streamYaml({ stream: `{ shards: 2, keys: 16${extra} , poisonRecords: [5] }`, arrivals: '{ constant: 20/s }', duration: '5m' });

  it('a poison record stalls its shard, and only its shard, until it expires (default retries −1)', () => {
    const r = runStream(twoShards());
    const poisonShard = r.done.find((d) => d.outcome === 'failed')!.shard;
    const other = 1 - poisonShard;
    const m = r.meters;
    // The poisoned shard: one batch fails for ever; nothing after it is processed, nothing is discarded.
    const failedBatches = r.batches.filter((b) => b.shard === poisonShard);
    const stuck = failedBatches[failedBatches.length - 1];
    expect(failedBatches.slice(-5).every((b) => b.firstSeq === stuck.firstSeq && b.n === stuck.n)).toBe(true);
    expect(r.processed.filter((p) => p.shard === poisonShard).every((p) => p.seq < stuck.firstSeq)).toBe(true);
    expect(m.shardProcessed[poisonShard]).toBe(stuck.firstSeq);
    expect(m.shardPending[poisonShard]).toBe(m.shardWritten[poisonShard] - stuck.firstSeq);
    expect(m.discarded).toBe(0);
    // Every failure is followed by a retry of the same batch (the last one still in flight at the end).
    expect(r.done.filter((d) => d.outcome === 'failed').length).toBe(m.retries);
    expect(failedBatches.filter((b) => b.firstSeq === stuck.firstSeq).length).toBe(m.retries + 1);
    expect(m.inFlightAtEnd).toBe(stuck.n);
    // The other shard is unaffected: everything but the last second's records is processed.
    expect(m.shardPending[other]).toBeLessThanOrEqual(20 * 1.2);
    expect(m.shardProcessed[other]).toBeGreaterThan(m.shardWritten[other] - 25);
    // Iterator age of the poisoned shard grows with the stall: at the end it is the age of the stuck batch's last record.
    expect(m.shardAgeMax[poisonShard]).toBeGreaterThan(280_000);
    expect(m.shardAgeMax[other]).toBeLessThan(1_300);
  });

  it('retries stop at maximumRetryAttempts: the batch is discarded to the destination and the shard moves on', () => {
    const r = runStream(twoShards(', maximumRetryAttempts: 3, onFailure: sqs'));
    const fails = r.done.filter((d) => d.outcome === 'failed');
    // First attempt + 3 retries, then discarded.
    expect(fails.length).toBe(4);
    expect(r.meters.retries).toBe(3);
    expect(r.discards).toHaveLength(1);
    expect(r.discards[0].reason).toBe('retries-exhausted');
    expect(r.meters.discarded).toBe(fails[0].n);
    expect(r.discards[0].last - r.discards[0].first + 1).toBe(fails[0].n);
    expect(r.meters.discardedBatches).toEqual([1, 0]);
    // The shard moves on: both shards end with at most a second's records pending.
    expect(r.meters.pendingAtEnd).toBeLessThanOrEqual(2 * 20);
  });

  it('throttles are not retries: a throttled batch is tried again every throttleRetry (1 s) and never discarded', () => {
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, maximumRetryAttempts: 0 }',
        arrivals: '{ constant: 10/s }',
        fn: '    duration: 100ms\n    reservedConcurrency: 0',
        duration: '1m',
      }),
    );
    // First record at 100 ms; polls at 1 s, then again every second until 59 s (the run ends at 60 s).
    expect(r.throttles).toEqual(Array.from({ length: 59 }, (_, i) => (i + 1) * 1000));
    expect(r.meters.throttled).toBe(59);
    expect(r.meters.retries).toBe(0);
    expect(r.meters.discarded).toBe(0);
    expect(r.meters.pendingAtEnd).toBe(r.meters.written);
  });
});

describe('stream mapping: throttles and the maximum record age (§6)', () => {
  it('a throttled batch is tried again until its records pass maximumRecordAge, then discarded as too old, using no retry', () => {
    // Reserved concurrency 0: every invoke is throttled. One record at 0 s is read at the 1 s poll and
    // throttled at 1, 2, …, 60 s (throttleRetry 1 s); at the 61 s read it is 61 s old, more than the 60 s
    // maximum age, so Lambda discards it (reason record-age, one destination message), not as out of retries.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, maximumRecordAge: 60s, maximumRetryAttempts: 0, onFailure: sqs }',
        arrivals: '{ constant: 1/s, for: 1s }',
        fn: '    duration: 100ms\n    reservedConcurrency: 0',
        duration: '3m',
      }),
    );
    expect(r.throttles).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 1000));
    expect(r.meters.retries).toBe(0);
    expect(r.discards).toEqual([{ t: 61_000, shard: 0, first: 0, last: 0, reason: 'record-age' }]);
    expect(r.meters.discardedBatches).toEqual([0, 1]);
    expect(r.meters.discarded).toBe(1);
    expect(r.meters.pendingAtEnd).toBe(0);
  });
});

describe('stream mapping: bisectBatchOnFunctionError', () => {
  // 150 records at 0 … 149 ms on one shard; the 1 s poll reads a batch of 100.
  const bisect = (poison: number, extra = '') =>
    runStream(
      streamYaml({
        stream: `{ shards: 1, bisectBatchOnFunctionError: true, maximumRetryAttempts: 2, onFailure: sqs, poisonRecords: [${poison}]${extra} }`,
        arrivals: '{ constant: 1000/s, for: 150ms }',
        duration: '1m',
      }),
    );

  it('isolates a poison record at the front of a batch of 100 in ⌈log2 100⌉ = 7 splits, then retries it and discards it', () => {
    const r = bisect(1);
    // Halves take ⌈n/2⌉: 100 → 50 → 25 → 13 → 7 → 4 → 2 → 1; then 2 retries of the single record.
    expect(r.batches.slice(0, 10).map((b) => b.n)).toEqual([100, 50, 25, 13, 7, 4, 2, 1, 1, 1]);
    expect(r.done.slice(0, 10).map((d) => d.outcome)).toEqual([...Array(7).fill('split'), 'failed', 'failed', 'failed']);
    expect(r.meters.splits).toBe(7);
    expect(r.meters.retries).toBe(2);
    expect(r.discards).toEqual([{ t: expect.any(Number), shard: 0, first: 0, last: 0, reason: 'retries-exhausted' }]);
    // Then the other halves in order, each once: [1,2) [2,4) [4,7) [7,13) [13,25) [25,50) [50,100), then the rest.
    expect(r.batches.slice(10).map((b) => [b.firstSeq, b.n])).toEqual([
      [1, 1],
      [2, 2],
      [4, 3],
      [7, 6],
      [13, 12],
      [25, 25],
      [50, 50],
      [100, 50],
    ]);
    expect(r.meters.processed).toBe(149);
    expect(r.meters.discarded).toBe(1);
  });

  it('every position in a batch of 100 is isolated in ⌊log2 100⌋ or ⌈log2 100⌉ splits, only that record is discarded', () => {
    for (let pos = 1; pos <= 100; pos++) {
      const r = bisect(pos);
      expect(r.meters.splits === 6 || r.meters.splits === 7, `position ${pos}: ${r.meters.splits} splits`).toBe(true);
      expect(r.discards.map((d) => [d.first, d.last])).toEqual([[pos - 1, pos - 1]]);
      expect(r.meters.processed).toBe(149);
    }
  });

  it('reportBatchItemFailures checkpoints at the lowest failed record and retries from there', () => {
    // Record 31 (sequence 30) is poison: the first batch returns it as failed; 30 records are processed,
    // and the retry is the rest of that batch, from sequence 30 (70 records).
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, reportBatchItemFailures: true, maximumRetryAttempts: 1, poisonRecords: [31] }',
        arrivals: '{ constant: 1000/s, for: 150ms }',
        duration: '1m',
      }),
    );
    expect(r.batches.slice(0, 3).map((b) => [b.firstSeq, b.n])).toEqual([
      [0, 100],
      [30, 70],
      [100, 50],
    ]);
    expect(r.done.slice(0, 2).map((d) => d.outcome)).toEqual(['partial', 'partial']);
    expect(r.meters.retries).toBe(1);
    // Out of retries, the retried batch (sequence 30–99) is discarded.
    expect(r.discards.map((d) => [d.first, d.last])).toEqual([[30, 99]]);
    expect(r.meters.processed).toBe(80);
  });

  it('maximumRecordAge discards a stalled batch once its first record is too old', () => {
    // Record 1 (written at 0 ms) is poison, retries are unlimited; each attempt takes 100 ms.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, maximumRecordAge: 60s, poisonRecords: [1] }',
        arrivals: '{ constant: 1000/s, for: 150ms }',
        duration: '2m',
      }),
    );
    const d = r.discards[0];
    expect(d.reason).toBe('record-age');
    // Attempts start at 1 s, 1.1 s, …; at 60 s record 1 is exactly 60 s old (not older), at 60.1 s it is:
    // the batch (written at 0 … 99 ms) is discarded; records written from 100 ms are not too old and are processed.
    expect(d.t).toBeCloseTo(60_100, 6);
    expect([d.first, d.last]).toEqual([0, 99]);
    expect(r.meters.processed).toBe(50);
    // Attempts at 1 s + 100 ms × k for k = 0 … 590: 590 retries ran. The one due at 60.1 s never ran (the
    // batch was discarded first), so it is not counted.
    expect(r.meters.retries).toBe(590);
    expect(r.meters.recordsRetried).toBe(590 * 100);
  });

  it('a batch that expires from the stream takes its retry count with it', () => {
    // Poison records at 0 h and 12 h, batchSize 1, 10 s attempts, 10,000 retries allowed, 24 h retention.
    // Record 1 is tried at 0, 10 s, … until it expires at 24 h: 8,640 attempts. Record 2 then starts
    // with all its retries and is tried until it expires at 36 h: 4,320 attempts, never running out.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, keys: 1, batchSize: 1, poisonRecords: [1, 2], maximumRetryAttempts: 10000 }',
        arrivals: '{ constant: 2/d, for: 24h }',
        fn: '    duration: 10s',
        duration: '40h',
      }),
    );
    expect(r.meters.batches).toBe(8640 + 4320);
    expect(r.meters.retries).toBe(8640 + 4320 - 2);
    expect(r.discards).toEqual([]);
    expect(r.meters.expired).toBe(2);
  });
});

describe('stream mapping: parallelization factor and throughput', () => {
  it('keys hash to shards and lanes deterministically and spread over all of them', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 1000; k++) seen.add(`${shardOfKey(k, 4)}/${laneOfKey(k, 3)}`);
    expect(seen.size).toBe(12);
    expect(shardOfKey(7, 4)).toBe(shardOfKey(7, 4));
  });

  it('in saturation a shard processes factor × batchSize records per batch duration', () => {
    // Handler 200 ms + 100 × 1 ms = 300 ms per batch of 100. 5,000/s keeps all 3 lanes full.
    // Each lane starts at the 1 s poll and completes batches at 1.3 s, 1.6 s, …; those before 61 s
    // count: 1000 + 300k < 61000 → k ≤ 199.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, parallelizationFactor: 3, keys: 10000, perRecord: 1ms }',
        arrivals: '{ constant: 5000/s }',
        fn: '    duration: 200ms',
        duration: '61s',
      }),
    );
    expect(r.meters.processed).toBe(3 * 100 * 199);
    // Throughput = factor × batch / duration = 3 × 100 / 0.3 s = 1,000 records/s.
    expect(r.meters.processed / 59.7).toBeCloseTo(1000, 6);
    expect(r.meters.concurrency.max).toBe(3);
  });
});
