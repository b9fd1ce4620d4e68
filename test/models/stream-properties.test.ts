// Stream event source mapping: properties over many seeds and configurations
// (order per partition key, conservation of records, determinism, memory bound)
// and located problems for bad input.
import { describe, expect, it } from 'vitest';
import { runStream, streamYaml } from './stream-harness.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { UserError } from '../../src/errors.js';
import type { StreamWorkloadResult } from '../../src/models/stream/types.js';

/** A deterministic mix of settings for seed i. */
function configFor(i: number): { stream: string; fn: string } {
  const bisect = i % 2 === 0;
  const partial = i % 3 === 0;
  const retries = [-1, 0, 2, 5][i % 4];
  const factor = 1 + (i % 4) * 3; // 1, 4, 7, 10
  const window = i % 5 === 0 ? ', maximumBatchingWindow: 2s' : '';
  const age = i % 7 === 0 ? ', maximumRecordAge: 60s' : '';
  return {
    stream:
      `{ shards: ${1 + (i % 3)}, parallelizationFactor: ${factor}, keys: ${5 + i * 7}, keySkew: ${(i % 3) * 0.8}, hotKeyShare: ${(i % 4) * 0.1}, ` +
      `batchSize: ${[10, 100, 500][i % 3]}, bisectBatchOnFunctionError: ${bisect}, reportBatchItemFailures: ${partial}, ` +
      `maximumRetryAttempts: ${retries}, poison: 0.0005, recordErrors: 0.002, perRecord: 1ms${window}${age} }`,
    fn: `    duration: { exponential: 80ms }\n    errors: 0.03\n    reservedConcurrency: ${i % 5 === 1 ? 3 : 50}`,
  };
}

describe('stream mapping properties over many seeds', () => {
  it('order is never violated within a partition key, no record is processed twice, and records are conserved', () => {
    for (let i = 0; i < 40; i++) {
      const { stream, fn } = configFor(i);
      const r = runStream(streamYaml({ stream, fn, arrivals: '{ poisson: 300/s }', duration: '3m', seed: `p${i}`, warmup: i % 2 ? '20s' : undefined }));
      // Sequence numbers are per shard and a key lives on one shard, so per key they must rise.
      const lastSeqOfKey = new Map<number, number>();
      const seen = new Set<number>();
      let violation = '';
      for (const p of r.processed) {
        const last = lastSeqOfKey.get(p.key);
        if (last !== undefined && p.seq <= last && !violation) violation = `key ${p.key} processed ${p.seq} after ${last}`;
        lastSeqOfKey.set(p.key, p.seq);
        const id = p.shard * 1e9 + p.seq;
        if (seen.has(id) && !violation) violation = `record ${p.shard}/${p.seq} processed twice`;
        seen.add(id);
      }
      expect(violation, `seed ${i}`).toBe('');
      expect(r.processed.length).toBeGreaterThan(0);
      const m = r.meters;
      expect(m.written, `seed ${i}`).toBe(m.processed + m.discarded + m.expired + m.pendingAtEnd);
      for (let s = 0; s < r.spec.shards; s++) {
        expect(m.shardWritten[s], `seed ${i} shard ${s}`).toBe(m.shardProcessed[s] + m.shardDiscarded[s] + m.shardExpired[s] + m.shardPending[s]);
      }
      // Concurrency never exceeds shards × factor.
      expect(m.concurrency.max).toBeLessThanOrEqual(r.spec.shards * r.spec.parallelizationFactor);
      expect(m.written).toBeGreaterThan(30_000);
    }
  });

  it('records expire after the retention period: a stalled shard loses them and then catches up', () => {
    // One shard, record 10 poison, retries until expiry, a retry every 10 s; 26 h at 1 record/s.
    const r = runStream(
      streamYaml({
        stream: '{ shards: 1, poisonRecords: [10], retryDelay: 10s }',
        arrivals: '{ constant: 1/s }',
        duration: '26h',
      }),
    );
    const m = r.meters;
    expect(m.written).toBe(26 * 3600);
    expect(m.expired).toBeGreaterThan(0);
    expect(m.discarded).toBe(0);
    expect(m.written).toBe(m.processed + m.expired + m.pendingAtEnd);
    // After the poison record expires (about 24 h in), the backlog is read within seconds, racing expiry:
    // the shard ends caught up, and its records were at most 24 h old when read.
    expect(m.pendingAtEnd).toBeLessThanOrEqual(2);
    const late = r.processed.filter((p) => p.t > 24 * 3_600_000);
    expect(late.length).toBeGreaterThan(2 * 3600 - 10);
    expect(Math.max(...late.map((p) => p.t - p.written))).toBeLessThanOrEqual(24 * 3_600_000);
  });

  it('memory follows the records retained, not the records written', () => {
    // 10 minutes at 2,000/s on 4 healthy shards: 1.2 M records written, only the last moment's kept.
    const r = runStream(streamYaml({ stream: '{ shards: 4 }', arrivals: '{ poisson: 2000/s }', duration: '10m' }));
    expect(r.meters.written).toBeGreaterThan(1_150_000);
    expect(r.retainedBeforeFinish).toBe(r.meters.pendingAtEnd);
    expect(r.retainedBeforeFinish).toBeLessThan(2000 * 1.5);
  });

  it('is deterministic, and adding another workload does not change the stream draws', () => {
    const yaml = streamYaml({ stream: configFor(3).stream, fn: configFor(3).fn, arrivals: '{ poisson: 200/s }', duration: '2m', seed: 9 });
    const a = simulate(parseScenario(yaml));
    const b = simulate(parseScenario(yaml));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const withOther = yaml.replace(
      'workloads:\n',
      'workloads:\n  - function: g\n    arrivals: { poisson: 50/s }\n',
    ).replace('functions:\n', 'functions:\n  g:\n    duration: 20ms\n');
    const c = simulate(parseScenario(withOther));
    const stream = (x: typeof a) => x.workloads.find((w) => w.invoke === 'stream') as StreamWorkloadResult;
    expect(stream(c)).toEqual(stream(a));
  });
});

describe('stream block: located problems', () => {
  const problems = (stream: string, invoke = 'stream') => {
    const yaml = streamYaml({ stream, arrivals: '{ poisson: 1/s }' }).replace('invoke: stream', `invoke: ${invoke}`);
    try {
      parseScenario(yaml, 'bad.yaml');
    } catch (e) {
      if (e instanceof UserError) return e.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('checks ranges against docs/sources.md §6, located at the key', () => {
    const [batch] = problems('{ batchSize: 20000 }');
    expect(batch).toMatch(/^16:\d+ workloads\[0\]\.stream\.batchSize: must be .*10000 \(docs\/sources\.md §6\), got 20000/);
    expect(problems('{ parallelizationFactor: 11 }')[0]).toMatch(/stream\.parallelizationFactor: must be .* from 1 to 10/);
    expect(problems('{ maximumRetryAttempts: -2 }')[0]).toMatch(/stream\.maximumRetryAttempts: .*or -1 for no limit/);
    expect(problems('{ maximumRecordAge: 30s }')[0]).toMatch(/stream\.maximumRecordAge: must be from 60s to 604800s .*got 30s, or -1/);
    expect(problems('{ maximumBatchingWindow: 301s }')[0]).toMatch(/stream\.maximumBatchingWindow: must be .*docs\/sources\.md §6/);
  });

  it('the batching window, maximum record age and tumbling window are whole seconds, as AWS sets them (§5, §6)', () => {
    expect(problems('{ maximumBatchingWindow: 500ms }')[0]).toMatch(
      /stream\.maximumBatchingWindow: must be a whole number of seconds: AWS sets MaximumBatchingWindowInSeconds in seconds \(docs\/sources\.md §6\), got 500ms$/,
    );
    expect(problems('{ maximumRecordAge: 60500ms }')[0]).toMatch(/stream\.maximumRecordAge: must be a whole number of seconds: AWS sets MaximumRecordAgeInSeconds in seconds .*got 60\.5s, or -1 for no limit$/);
    expect(problems('{ tumblingWindow: 1500ms }')[0]).toMatch(/stream\.tumblingWindow: must be a whole number of seconds: AWS sets TumblingWindowInSeconds in seconds .*got 1\.5s$/);
    expect(problems('{ maximumBatchingWindow: 2s, maximumRecordAge: 61s, tumblingWindow: 1m }')).toEqual([]);
  });

  it('knows the per-source rules and what is not modelled', () => {
    expect(problems('{ source: dynamodb, retention: 48h }')[0]).toMatch(/stream\.retention: a DynamoDB stream keeps records for 24h, fixed/);
    expect(problems('{ retention: 12h }')[0]).toMatch(/stream\.retention: must be from 24h to 8760h/);
    expect(problems('{ source: dynamodb, recordSize: 500KB }')[0]).toMatch(/stream\.recordSize: must be from 1 B to 400 KB/);
    expect(problems('{ source: kinesys }')[0]).toMatch(/did you mean "kinesis"/);
    expect(problems('{ tumblingWindow: 901s }')[0]).toMatch(/tumblingWindow/);
    expect(problems('{ windowFinalInvoke: 5ms }')[0]).toMatch(/only with a tumblingWindow/);
    expect(problems('{ tumblingWindow: 60s, windowStatePerRecord: 2MB }')[0]).toMatch(/at most 1 MB/);
    expect(problems('{ batchSise: 10 }')[0]).toMatch(/unknown key "batchSise" \(did you mean "batchSize"\?\)/);
    expect(problems('{ shards: 2 }', 'sync')[0]).toMatch(/workloads\[0\]\.stream: "stream" goes only with "invoke: stream"/);
  });
});
