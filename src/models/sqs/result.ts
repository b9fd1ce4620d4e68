/** The result and time series of one SQS event source mapping (src/models/sqs/mapping.ts). */
import type { SqsWorkloadSpec } from './types.js';
import { type SqsWorkloadResult } from './types.js';
import { percentiles, round } from '../../metrics/summary.js';
import type { LevelTracker } from '../../metrics/timeseries.js';
import type { SqsMapping } from './mapping.js';
import { SQS_SCALING } from './block.js';

/** Concurrency slots per poller for empty receives: a provisioned poller serves 10 invokes (docs/sources.md §5). */
export const slotsPerPoller = (spec: SqsWorkloadSpec): number => (spec.sqs.provisioned ? SQS_SCALING.invokesPerPoller : 1);

const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);

/** Closes the mapping's measurements at `durationMs` and builds its result and series. */
export function sqsWorkloadResult(
  spec: SqsWorkloadSpec,
  mapping: SqsMapping,
  durationMs: number,
): { result: SqsWorkloadResult; series: Record<string, number[]> } {
  mapping.finish(durationMs);
  const m = mapping.meters;
  const q = spec.sqs;
  const level = (t: LevelTracker) => ({ max: t.max, mean: round(t.mean, 3) });
  const n = m.sentSeries.values.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  const measuredS = (durationMs - m.fromMs) / 1000;
  const result: SqsWorkloadResult = {
    name: spec.name,
    function: spec.functionName,
    invoke: 'sqs',
    config: {
      queue: q.fifo ? 'fifo' : 'standard',
      groups: q.groups,
      batchSize: q.batchSize,
      maxMessagesPerBatch: mapping.maxMessagesPerBatch,
      maximumBatchingWindowMs: q.maximumBatchingWindowMs,
      visibilityTimeoutMs: q.visibilityTimeoutMs,
      effectiveVisibilityTimeoutMs: q.effectiveVisibilityTimeoutMs,
      maxReceiveCount: q.maxReceiveCount,
      reportBatchItemFailures: q.reportBatchItemFailures,
      scaling: q.provisioned ? 'provisioned' : q.scaling,
      maximumConcurrency: q.maximumConcurrency,
      provisioned: q.provisioned,
    },
    messages: {
      queuedAtStart: m.queuedAtStart,
      sent: m.sent,
      deleted: m.deleted,
      failedDeliveries: m.failedDeliveries,
      redrivenToDlq: m.redriven,
      duplicates: m.duplicates,
      waitingAtEnd: mapping.waiting,
      inFlightAtEnd: mapping.inFlight,
    },
    batches: {
      invoked: m.batches,
      size: percentiles(m.batchSize),
      trigger: { full: m.triggerFull, payloadCap: m.triggerPayload, window: m.triggerWindow, available: m.triggerAvailable },
      throttledAttempts: m.throttledAttempts,
      expiredWhileThrottled: m.batchesExpiredThrottled,
      failed: m.failedBatches,
      partial: m.partialBatches,
    },
    latencyMs: percentiles(m.latencyMs),
    queue: {
      depth: level(m.visible),
      inFlight: level(m.inFlight),
      maxAgeOfOldestMs: round(m.maxAgeMs, 3),
    },
    pollers: {
      concurrency: { ...level(m.pollerTarget), atEnd: mapping.concurrency },
      busy: level(m.pollersBusy),
      backoffs: m.backoffs,
    },
    requests: (() => {
      const sends = sum(m.sendRequests);
      const receives = sum(m.receiveRequests);
      const deletes = sum(m.deleteRequests);
      const emptyReceives = sum(m.emptyReceives(q.emptyReceiveEveryMs, slotsPerPoller(spec)));
      return { sends, receives, deletes, emptyReceives: round(emptyReceives, 3), total: round(sends + receives + deletes + emptyReceives, 3) };
    })(),
    eventPollerEpuSeconds: q.provisioned ? round(m.epus.mean * measuredS, 3) : 0,
    warnings: spec.warnings,
  };
  const series: Record<string, number[]> = {
    sent: Array.from(m.sentSeries.values),
    deleted: Array.from(m.deletedSeries.values),
    redrivenToDlq: Array.from(m.redrivenSeries.values),
    batches: Array.from(m.batchSeries.values),
    depthMean: idx.map((i) => round(m.visible.bucketMean(i), 3)),
    depthMax: idx.map((i) => m.visible.bucketMax(i)),
    inFlightMax: idx.map((i) => m.inFlight.bucketMax(i)),
    oldestAgeMs: Array.from(m.oldestAgeSeries, (v) => round(v, 3)),
    pollerConcurrencyMax: idx.map((i) => m.pollerTarget.bucketMax(i)),
    pollersBusyMean: idx.map((i) => round(m.pollersBusy.bucketMean(i), 3)),
  };
  return { result, series };
}
