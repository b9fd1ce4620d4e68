/**
 * A Kinesis data stream or DynamoDB stream and its event source mapping, docs/sources.md §6 and §11
 * "Kinesis and DynamoDB Streams event source mapping": producers write records, each to the shard of
 * its partition key; the mapping polls each shard (Kinesis every 1 s, DynamoDB every 250 ms) and
 * invokes one batch per shard at a time (up to `parallelizationFactor` per shard, order kept per
 * key). A failed batch blocks its shard and is retried until it succeeds, `maximumRetryAttempts` or
 * `maximumRecordAge` gives up (to the on-failure destination), or its records expire from the
 * stream; `bisectBatchOnFunctionError` splits it to isolate a bad record, ReportBatchItemFailures
 * checkpoints at the first failure. Iterator age measures how far the mapping lags behind.
 */
import { streamCards, streamCharts, streamSummary } from './html.js';
import type { InvocationModel } from '../model.js';
import { DESCRIPTIONS, resolveStream, streamBlockSchema } from './block.js';
import { describeStream } from './explain.js';
import { StreamMapping } from './mapping.js';
import { StreamMeters } from './meters.js';
import { streamWorkloadResult } from './result.js';
import { streamSection } from './text.js';
import type { StreamWorkloadResult, StreamWorkloadSpec } from './types.js';

export const streamModel: InvocationModel<StreamWorkloadSpec, StreamWorkloadResult> = {
  invoke: 'stream',
  about: 'a Kinesis stream (or DynamoDB Streams) and its event source mapping, shard by shard',
  block: { key: 'stream', schema: streamBlockSchema, descriptions: DESCRIPTIONS },

  resolve(d, problems) {
    if (d.value.client !== undefined) problems.add([...d.path, 'client'], '"client" goes only with "invoke: sync"', 'key');
    const block = problems.parse(streamBlockSchema, d.value.stream ?? {}, [...d.path, 'stream']);
    return block ? { ...d.base, invoke: 'stream', stream: resolveStream(block) } : undefined;
  },

  // docs/sources.md §8: stream records carry no recursion lineage; a discarded record's batch goes to the on-failure destination.
  target: { noun: 'records', lineage: () => false, dlq: (w) => w.stream.onFailure !== null },

  start(ctx) {
    const { scenario } = ctx;
    const mappings = new Map<StreamWorkloadSpec, StreamMapping>();
    return {
      add(w, fnIndex) {
        // docs/sources.md §6: one stream and event source mapping per workload.
        const meters = new StreamMeters(w.stream.shards, scenario.report.intervalMs, scenario.durationMs, scenario.warmupMs);
        const mapping = new StreamMapping(ctx.sim, ctx.platform, ctx.rng, w, fnIndex, meters);
        mapping.trace = ctx.trace;
        mapping.records = ctx.records;
        mapping.pipe = ctx.pipeline;
        mapping.entry = ctx.pipeline?.entry(w) ?? -1;
        mappings.set(w, mapping);
        return () => streamWorkloadResult(w, mapping, scenario.durationMs);
      },
      target: (w) => {
        const mapping = mappings.get(w)!;
        return (t, item) => mapping.accept(t, item);
      },
    };
  },

  text: streamSection,
  // What a record waits for is its iterator age, reported per shard; there is no caller latency.
  latency: () => undefined,
  // Records written: processed, discarded or expired (lost; discards reach an on-failure destination when there is one),
  // not yet read (queued) or in a batch being processed (in flight) at the end.
  work: (w) => ({
    offered: w.records.written,
    served: w.records.processed,
    lost: w.records.discarded + w.records.expired,
    dlq: w.config.onFailure ? w.records.discarded : 0,
    queued: w.records.pendingAtEnd - w.records.inFlightAtEnd,
    inFlight: w.records.inFlightAtEnd,
  }),
  metrics: {
    iteratorAgeP99: { unit: 'ms', combine: 'max', describe: 'stream: IteratorAge at the end of a batch, p99', get: (w) => (w.iteratorAgeMs.count ? w.iteratorAgeMs.p99 : null) },
    iteratorAgeMax: { unit: 'ms', combine: 'max', describe: 'stream: the largest IteratorAge of any shard', get: (w) => (w.shards.length ? Math.max(...w.shards.map((s) => s.maxIteratorAgeMs)) : null) },
  },
  drain: (w) => ({ perInvocation: w.stream.batchSize, lanes: w.stream.shards * w.stream.parallelizationFactor }),
  html: { cards: streamCards, charts: (w) => streamCharts(w) },
  summary: streamSummary,
  explain: { kind: 'stream record · ', from: 'from the write', reasons: true, describe: describeStream },
  init: {
    fn: 'consumer',
    workload: 'clicks',
    block: `    stream:                          # the stream and the event source mapping
      source: kinesis                  # or dynamodb
      shards: 4
      batchSize: 100                   # 1–10,000 records
      parallelizationFactor: 1         # 1–10 concurrent batches per shard (order kept per key)
      maximumRetryAttempts: 2          # -1 retries until the records expire
      bisectBatchOnFunctionError: true # split a failed batch to find the bad record
      onFailure: sqs                   # where discarded batches are reported: sqs, sns, s3 or none
`,
  },
};
