/** The result and time series of an `invoke: stream` workload (docs/sources.md §6). */
import type { StreamWorkloadSpec } from './types.js';
import { type StreamWorkloadResult } from './types.js';
import { percentiles, round } from '../../metrics/summary.js';
import type { StreamMapping } from './mapping.js';

/** Finishes the mapping's meters at the end of the run and builds its result and series. */
export function streamWorkloadResult(
  w: StreamWorkloadSpec,
  mapping: StreamMapping,
  durationMs: number,
): { result: StreamWorkloadResult; series: Record<string, number[]> } {
  mapping.finish(durationMs);
  const m = mapping.meters;
  const s = w.stream;
  const [retriesExhausted, recordAge] = m.discardedBatches;
  const result: StreamWorkloadResult = {
    name: w.name,
    function: w.functionName,
    invoke: 'stream',
    config: {
      source: s.source,
      shards: s.shards,
      parallelizationFactor: s.parallelizationFactor,
      batchSize: s.batchSize,
      maxRecordsPerBatch: s.maxRecordsPerBatch,
      maximumBatchingWindowMs: s.maximumBatchingWindowMs,
      maximumRetryAttempts: s.maximumRetryAttempts,
      maximumRecordAgeMs: s.maximumRecordAgeMs,
      bisectBatchOnFunctionError: s.bisectBatchOnFunctionError,
      reportBatchItemFailures: s.reportBatchItemFailures,
      onFailure: s.onFailure,
      retentionMs: s.retentionMs,
      ...(s.tumblingWindowMs > 0 ? { tumblingWindowMs: s.tumblingWindowMs } : {}),
    },
    ...(s.tumblingWindowMs > 0
      ? {
          windows: {
            closed: m.windowsClosed,
            closedEarly: m.windowsClosedEarly,
            finalInvokes: m.finalInvokes,
            finalInvokesFailed: m.finalInvokesFailed,
          },
        }
      : {}),
    records: {
      written: m.written,
      processed: m.processed,
      discarded: m.discarded,
      expired: m.expired,
      pendingAtEnd: m.pendingAtEnd,
      inFlightAtEnd: m.inFlightAtEnd,
    },
    batches: {
      invoked: m.batches,
      succeeded: m.batchesSucceeded,
      failed: m.batchesFailed,
      partial: m.batchesPartial,
      throttled: m.throttled,
      retries: m.retries,
      recordsRetried: m.recordsRetried,
      splits: m.splits,
      discarded: { 'retries-exhausted': retriesExhausted, 'record-age': recordAge },
      destinationMessages: s.onFailure === null ? 0 : retriesExhausted + recordAge,
    },
    discardExamples: m.discardExamples.map((d) => ({ ...d, atMs: round(d.atMs, 3) })),
    batchSize: percentiles(m.batchSize),
    iteratorAgeMs: percentiles(m.iteratorAgeMs),
    concurrency: { max: m.concurrency.max, mean: round(m.concurrency.mean, 3) },
    shards: Array.from({ length: s.shards }, (_, i) => ({
      shard: i,
      written: m.shardWritten[i],
      processed: m.shardProcessed[i],
      discarded: m.shardDiscarded[i],
      expired: m.shardExpired[i],
      pendingAtEnd: m.shardPending[i],
      maxIteratorAgeMs: round(m.shardAgeMax[i], 3),
    })),
  };
  const ms = (a: ArrayLike<number>) => Array.from(a, (v) => round(v, 3));
  const series: Record<string, number[]> = {
    written: Array.from(m.writtenSeries.values),
    processed: Array.from(m.processedSeries.values),
    iteratorAgeMax: ms(m.iteratorAgeMax),
    batchesInFlightMax: Array.from({ length: m.intervals }, (_, i) => m.concurrency.bucketMax(i)),
  };
  for (let i = 0; i < s.shards; i++) series[`iteratorAgeMax.shard-${i}`] = ms(m.shardSeries(i));
  return { result, series };
}
