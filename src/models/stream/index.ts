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
import type { InvocationModel, RunContext } from '../model.js';
import type { ServiceItem } from '../../billing/service-prices.js';
import { PUT_PAYLOAD_UNIT_BYTES } from '../../billing/service-prices.js';
import { DESCRIPTIONS, resolveStream, streamBlockSchema } from './block.js';
import { describeStream } from './explain.js';
import { StreamMapping } from './mapping.js';
import { StreamMeters } from './meters.js';
import { streamWorkloadResult } from './result.js';
import { streamSection } from './text.js';
import type { StreamWorkloadResult, StreamWorkloadSpec } from './types.js';

/** The service items a stream bills (docs/billing.md "The rest of the bill", docs/sources.md §15). */
function billedItems(w: StreamWorkloadSpec): ServiceItem[] {
  if (w.stream.source === 'dynamodb') return ['dynamodbStreamsLambdaReads'];
  return w.stream.capacityMode === 'provisioned' ? ['kinesisShardHours', 'kinesisPutPayloadUnits'] : ['kinesisOnDemandStreamHours', 'kinesisOnDemandGbIn', 'kinesisOnDemandGbOut'];
}

const MS_PER_HOUR = 3_600_000;

/**
 * Bills the stream per part of the month: a provisioned Kinesis stream its shard-hours (shards × hours)
 * and PUT payload units (each 25 KB chunk of a record written); an on-demand one its stream-hours, the GB
 * written (each record rounded up to 1 KB) and the GB the mapping read; a DynamoDB stream the mapping's
 * GetRecords calls (one per shard per poll), free for Lambda triggers.
 */
function billStream(ctx: RunContext, w: StreamWorkloadSpec, m: StreamMeters): void {
  const s = w.stream;
  const hours = Array.from(m.writtenByPart, (_, p) => ctx.parts.overlapMs(p, 0, Infinity) / MS_PER_HOUR);
  if (s.source === 'dynamodb') {
    ctx.billService(w.name, 'dynamodbStreamsLambdaReads', hours.map((h) => (s.shards * h * MS_PER_HOUR) / s.pollIntervalMs));
  } else if (s.capacityMode === 'provisioned') {
    ctx.billService(w.name, 'kinesisShardHours', hours.map((h) => s.shards * h));
    const units = Math.max(1, Math.ceil(s.recordBytes / PUT_PAYLOAD_UNIT_BYTES));
    ctx.billService(w.name, 'kinesisPutPayloadUnits', Array.from(m.writtenByPart, (n) => n * units));
  } else {
    ctx.billService(w.name, 'kinesisOnDemandStreamHours', hours);
    const kb = Math.max(1, Math.ceil(s.recordBytes / 1024));
    ctx.billService(w.name, 'kinesisOnDemandGbIn', Array.from(m.writtenByPart, (n) => (n * kb) / 2 ** 20));
    ctx.billService(w.name, 'kinesisOnDemandGbOut', Array.from(m.readByPart, (n) => (n * s.recordBytes) / 2 ** 30));
  }
}

export const streamModel: InvocationModel<StreamWorkloadSpec, StreamWorkloadResult> = {
  invoke: 'stream',
  about: 'a Kinesis stream (or DynamoDB Streams) and its event source mapping, shard by shard',
  block: { key: 'stream', schema: streamBlockSchema, descriptions: DESCRIPTIONS },

  resolve(d, problems) {
    if (d.value.client !== undefined) problems.add([...d.path, 'client'], '"client" goes only with "invoke: sync"', 'key');
    const block = problems.parse(streamBlockSchema, d.value.stream ?? {}, [...d.path, 'stream']);
    if (block && block.source === 'dynamodb' && block.capacityMode !== undefined) {
      problems.add([...d.path, 'stream', 'capacityMode'], 'a capacity mode is for Kinesis streams; a DynamoDB stream has none (docs/sources.md §15)', 'key');
      return undefined;
    }
    return block ? { ...d.base, invoke: 'stream', stream: resolveStream(block) } : undefined;
  },
  // docs/billing.md "The rest of the bill": what the stream's mode bills.
  services: (w) => billedItems(w).map((item) => ({ key: ['stream', w.stream.source === 'kinesis' ? 'capacityMode' : 'source'], item })),

  // docs/sources.md §8: stream records carry no recursion lineage; a discarded record's batch goes to the on-failure destination.
  target: { noun: 'records', lineage: () => false, dlq: (w) => w.stream.onFailure !== null },

  start(ctx) {
    const { scenario } = ctx;
    const mappings = new Map<StreamWorkloadSpec, StreamMapping>();
    return {
      add(w, fnIndex) {
        // docs/sources.md §6: one stream and event source mapping per workload.
        const meters = new StreamMeters(w.stream.shards, scenario.report.intervalMs, scenario.durationMs, scenario.warmupMs, ctx.parts);
        const mapping = new StreamMapping(ctx.sim, ctx.platform, ctx.rng, w, fnIndex, meters);
        mapping.trace = ctx.trace;
        mapping.records = ctx.records;
        mapping.pipe = ctx.pipeline;
        mapping.entry = ctx.pipeline?.entry(w) ?? -1;
        mappings.set(w, mapping);
        return () => {
          const out = streamWorkloadResult(w, mapping, scenario.durationMs);
          billStream(ctx, w, meters);
          return out;
        };
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
