// Tumbling windows of the stream event source mapping (docs/sources.md §6): exact traces a reader can
// check by hand, conservation over many seeds, determinism. Model: docs/model.md, "Tumbling windows".
// Common setup (stream-harness): function `f` with init 0 ms and a fixed 100 ms handler; Kinesis
// polls shard 0 at 0, 1 s, 2 s…; `{ constant: 1/s, at: 50s, for: 20s }` writes at 50, 51, …, 69 s.
import { describe, expect, it } from 'vitest';
import { runStream, streamYaml } from './stream-harness.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { streamSection } from '../../src/models/stream/text.js';
import type { StreamWorkloadResult } from '../../src/models/stream/types.js';

describe('tumbling windows: exact traces', () => {
  it('windows of 60 s: one final invoke per window at its end, and the checkpoint only after it', () => {
    // Record 50 s: read at the 51 s poll (done 51.1); record 51 s, written while busy, at 51.1 (done 51.2);
    // the empty poll at 51.2 s sets the phase, so record 52 s is read at 52.2 s (done 52.3), 53 s at 53.3 s,
    // … 59 s at 59.9 s (the phase moves 100 ms per record, as without windows). The lane is caught up
    // after 60.0 s and waits for the window's end: the final invoke starts at 60 s (before the record
    // written at 60 s: a queued event runs before a source at the same instant), carries the 10 records'
    // state, takes windowFinalInvoke = 50 ms; only then (60.05 s) are records 50…59 s checkpointed.
    // Window [60 s, 120 s): record 60 s at 60.05 s, record 61 s at 61.15 s, 62 s at 62.25 s, … 69 s at 69.95 s;
    // final at 120 s.
    const r = runStream(
      streamYaml({ stream: '{ shards: 1, tumblingWindow: 60s, windowFinalInvoke: 50ms }', arrivals: '{ constant: 1/s, at: 50s, for: 20s }', duration: '3m' }),
    );
    expect(r.batches.map((b) => b.t)).toEqual([
      51000, 51100, 52200, 53300, 54400, 55500, 56600, 57700, 58800, 59900,
      60050, 61150, 62250, 63350, 64450, 65550, 66650, 67750, 68850, 69950,
    ]);
    expect(r.batches.every((b) => b.n === 1)).toBe(true);
    expect(r.finals).toEqual([
      { t: 60000, shard: 0, n: 10, early: false },
      { t: 120000, shard: 0, n: 10, early: false },
    ]);
    expect(r.finalsDone.map((f) => [f.t, f.ok])).toEqual([
      [60050, true],
      [120050, true],
    ]);
    // Checkpoint only after the final invoke: nothing processed before 60.05 s.
    expect(r.processed.map((p) => [p.t, p.seq])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [60050, i]),
      ...Array.from({ length: 10 }, (_, i) => [120050, 10 + i]),
    ]);
    const m = r.meters;
    expect([m.windowsClosed, m.windowsClosedEarly, m.finalInvokes, m.finalInvokesFailed]).toEqual([2, 0, 2, 0]);
    // IteratorAge is reported by the 20 batches only (a final invoke carries no records).
    expect(m.iteratorAgeMs.count).toBe(20);
    expect(m.batches).toBe(20);
    expect(m.written).toBe(m.processed);
  });

  it('a record written to a lane waiting for its window end is still read at the next poll', () => {
    // Record 10 s: read at 11 s (done 11.1); the lane waits for 60 s; record 30 s is read at the next poll, 30.1 s.
    const r = runStream(
      streamYaml({ stream: '{ shards: 1, tumblingWindow: 60s }', arrivals: '{ constant: 0.05/s, at: 10s, for: 30s }', duration: '2m' }),
    );
    expect(r.batches.map((b) => b.t)).toEqual([11000, 30100]);
    expect(r.finals.map((f) => [f.t, f.n])).toEqual([[60000, 2]]);
    expect(r.processed.map((p) => p.t)).toEqual([60100, 60100]);
  });

  it('a failing final invoke is retried under maximumRetryAttempts, then the window is discarded', () => {
    // The final invoke runs 2 s against a 1 s timeout, so it always times out. Final at 60 s → timeout 61 s,
    // retry 1 at 61 s → 62 s, retry 2 at 62 s → 63 s: retries exhausted (maximumRetryAttempts 2), the
    // window's 10 records (sequence 0–9) are discarded at 63 s and the lane moves on: the records of
    // 60, 61 and 62 s, written meanwhile, make one batch at 63 s (the record of 63 s comes after the completion).
    const yaml = streamYaml({
      stream: '{ shards: 1, tumblingWindow: 60s, windowFinalInvoke: 2s, maximumRetryAttempts: 2, onFailure: sqs }',
      arrivals: '{ constant: 1/s, at: 50s, for: 20s }',
      duration: '100s',
    }).replace('timeout: 60s', 'timeout: 1s');
    const r = runStream(yaml);
    expect(r.finals.map((f) => [f.t, f.n])).toEqual([
      [60000, 10],
      [61000, 10],
      [62000, 10],
    ]);
    expect(r.finalsDone.map((f) => [f.t, f.ok])).toEqual([
      [61000, false],
      [62000, false],
      [63000, false],
    ]);
    expect(r.discards).toEqual([{ t: 63000, shard: 0, first: 0, last: 9, reason: 'retries-exhausted' }]);
    expect(r.batches.find((b) => b.t === 63000)).toMatchObject({ firstSeq: 10, n: 3 });
    const m = r.meters;
    expect([m.finalInvokes, m.finalInvokesFailed, m.retries, m.windowsClosed]).toEqual([3, 3, 2, 0]);
    expect(m.processed).toBe(0);
    expect(m.discarded).toBe(10);
    // Records 60…69 s are delivered in the open window [60 s, 120 s) and pending at 100 s.
    expect(m.pendingAtEnd).toBe(10);
    expect(m.written).toBe(m.processed + m.discarded + m.expired + m.pendingAtEnd);
  });

  it('a failed final invoke that later succeeds checkpoints the window once', () => {
    // errors: 0.5 on every invoke: batches and final invokes fail and are retried until they succeed. The
    // first seed whose run has a failed final invoke (each of the two windows' first one fails with
    // probability 1/2, so one of 20 seeds has one but with probability 1 − 4^−20).
    const run = (seed: number) =>
      runStream(
        streamYaml({
          stream: '{ shards: 1, tumblingWindow: 60s }',
          arrivals: '{ constant: 1/s, at: 50s, for: 20s }',
          fn: '    duration: 100ms\n    errors: 0.5',
          duration: '3m',
          seed,
        }),
      );
    const r = Array.from({ length: 20 }, (_, i) => run(i + 1)).find((x) => x.finalsDone.some((f) => !f.ok))!;
    expect(r).toBeDefined();
    // Each window's records are checkpointed at the end of its first successful final invoke, and only then.
    const okTimes = r.finalsDone.filter((f) => f.ok).map((f) => f.t);
    expect(okTimes).toHaveLength(2);
    expect(new Set(r.processed.map((p) => p.t))).toEqual(new Set(okTimes));
    expect(r.processed.map((p) => p.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(r.meters.retries).toBe(r.meters.batchesFailed + r.meters.finalInvokesFailed);
  });

  it('the window closes early when the next record would take its state over 1 MB', () => {
    // 200 KB of state per record: 5 records fit in 1 MB (1,024,000 B ≤ 1,048,576 B), a 6th would not.
    // 12 records at 10.00 … 10.11 s, read at the 11 s poll: a batch of 5 (capped by the state's room),
    // done 11.1 s → early final at 11.1 s (100 ms, the function's draw) → checkpoint at 11.2 s; the rest of
    // the window starts again with empty state: 5 at 11.2 s, early final at 11.3 s; 2 at 11.4 s, then the
    // lane waits for the window's end: final at 60 s.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, tumblingWindow: 60s, windowStatePerRecord: 200KB }',
        arrivals: '{ constant: 100/s, at: 10s, for: 120ms }',
        duration: '2m',
      }),
    );
    expect(r.batches.map((b) => [b.t, b.n])).toEqual([
      [11000, 5],
      [11200, 5],
      [11400, 2],
    ]);
    expect(r.finals.map((f) => [f.t, f.n, f.early])).toEqual([
      [11100, 5, true],
      [11300, 5, true],
      [60000, 2, false],
    ]);
    expect(r.processed.map((p) => p.t)).toEqual([...Array(5).fill(11200), ...Array(5).fill(11400), 60100, 60100]);
    expect([r.meters.windowsClosed, r.meters.windowsClosedEarly]).toEqual([3, 2]);
  });

  it('a batch holds records of one window only', () => {
    // 20 records at 55.0 … 64.5 s every 0.5 s, batching window 30 s: the 56 s poll opens a batching window
    // to 86 s. At 86 s the batch takes the window [0, 60 s) records only (55.0 … 59.5 s: 10), final at 86.1 s
    // (100 ms). At 86.2 s the next read finds 10 records, fewer than a batch: it opens a batching window to
    // 116.2 s, as without tumbling windows; that batch is window [60 s, 120 s), whose final runs at its end, 120 s.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, tumblingWindow: 60s, maximumBatchingWindow: 30s }',
        arrivals: '{ constant: 2/s, at: 55s, for: 10s }',
        duration: '3m',
      }),
    );
    expect(r.batches.map((b) => [b.t, b.n])).toEqual([
      [86000, 10],
      [116200, 10],
    ]);
    expect(r.finals.map((f) => [f.t, f.n])).toEqual([
      [86100, 10],
      [120000, 10],
    ]);
  });
});

describe('tumbling windows: properties', () => {
  function configFor(i: number): { stream: string; fn: string } {
    return {
      stream:
        `{ shards: ${1 + (i % 3)}, parallelizationFactor: ${1 + (i % 3) * 2}, keys: ${5 + i * 7}, hotKeyShare: ${(i % 4) * 0.1}, ` +
        `batchSize: ${[10, 100, 500][i % 3]}, bisectBatchOnFunctionError: ${i % 2 === 0}, reportBatchItemFailures: ${i % 3 === 0}, ` +
        `maximumRetryAttempts: ${[-1, 0, 2, 5][i % 4]}, poison: 0.0005, recordErrors: 0.002, perRecord: 1ms, ` +
        `tumblingWindow: ${[15, 30, 60][i % 3]}s, windowStatePerRecord: ${[100, 2000, 20000][i % 3]}B` +
        `${i % 5 === 0 ? ', maximumBatchingWindow: 2s' : ''}${i % 7 === 0 ? ', maximumRecordAge: 60s' : ''} }`,
      fn: `    duration: { exponential: 80ms }\n    errors: 0.03\n    reservedConcurrency: ${i % 5 === 1 ? 3 : 50}`,
    };
  }

  it('records are conserved, processed once and in order per key, and checkpointed only by final invokes', () => {
    // Not vacuous: the configurations together process and close windows. (Each need not: configuration 0,
    // one shard at 300/s blocked by a poison record every few seconds retried to its 60 s age, checkpoints
    // a handful of records in a run, or none.)
    let processed = 0;
    let windowsClosed = 0;
    for (let i = 0; i < 12; i++) {
      const { stream, fn } = configFor(i);
      const r = runStream(streamYaml({ stream, fn, arrivals: '{ poisson: 300/s }', duration: '3m', seed: `tw${i}`, warmup: i % 2 ? '20s' : undefined }));
      const m = r.meters;
      expect(m.written, `seed ${i}`).toBe(m.processed + m.discarded + m.expired + m.pendingAtEnd);
      for (let s = 0; s < r.spec.shards; s++) {
        expect(m.shardWritten[s], `seed ${i} shard ${s}`).toBe(m.shardProcessed[s] + m.shardDiscarded[s] + m.shardExpired[s] + m.shardPending[s]);
      }
      const lastSeqOfKey = new Map<number, number>();
      const seen = new Set<number>();
      let violation = '';
      const okFinals = new Set(r.finalsDone.filter((f) => f.ok).map((f) => `${f.t}/${f.shard}`));
      for (const p of r.processed) {
        const last = lastSeqOfKey.get(p.key);
        if (last !== undefined && p.seq <= last && !violation) violation = `key ${p.key} processed ${p.seq} after ${last}`;
        lastSeqOfKey.set(p.key, p.seq);
        const id = p.shard * 1e9 + p.seq;
        if (seen.has(id) && !violation) violation = `record ${p.shard}/${p.seq} processed twice`;
        seen.add(id);
        if (!okFinals.has(`${p.t}/${p.shard}`) && !violation) violation = `record ${p.shard}/${p.seq} checkpointed at ${p.t} without a final invoke`;
      }
      expect(violation, `seed ${i}`).toBe('');
      processed += m.processed;
      windowsClosed += m.windowsClosed;
      expect(m.concurrency.max).toBeLessThanOrEqual(r.spec.shards * r.spec.parallelizationFactor);
    }
    expect(processed).toBeGreaterThan(10_000);
    expect(windowsClosed).toBeGreaterThan(50);
  });

  it('memory stays bounded by the records pending', () => {
    // 10 minutes at 2,000/s, windows of 30 s: at most about one window (plus a poll) of records is held.
    const r = runStream(streamYaml({ stream: '{ shards: 4, tumblingWindow: 30s }', arrivals: '{ poisson: 2000/s }', duration: '10m' }));
    expect(r.meters.written).toBeGreaterThan(1_150_000);
    expect(r.retainedBeforeFinish).toBe(r.meters.pendingAtEnd);
    expect(r.retainedBeforeFinish).toBeLessThan(2000 * 32);
  });

  it('is deterministic, and the result and text report show the window counts', () => {
    const yaml = streamYaml({ stream: configFor(4).stream, fn: configFor(4).fn, arrivals: '{ poisson: 200/s }', duration: '2m', seed: 9 });
    const a = simulate(parseScenario(yaml));
    const b = simulate(parseScenario(yaml));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const w = a.workloads.find((x) => x.invoke === 'stream') as StreamWorkloadResult;
    expect(w.config.tumblingWindowMs).toBe(30000);
    expect(w.windows!.closed).toBeGreaterThan(0);
    expect(streamSection(a).join('\n')).toMatch(/tumbling windows of [^:]+: [\d,]+ closed \([\d,]+ early/);
  });

  it('without tumblingWindow the result has no window fields', () => {
    const a = simulate(parseScenario(streamYaml({ stream: '{ shards: 1 }', arrivals: '{ poisson: 10/s }', duration: '20s' })));
    const w = a.workloads.find((x) => x.invoke === 'stream') as StreamWorkloadResult;
    expect('windows' in w).toBe(false);
    expect('tumblingWindowMs' in w.config).toBe(false);
  });
});
