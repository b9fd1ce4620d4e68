/** The result and time series of an async workload (src/models/async/invoker.ts), from its meters. */
import type { FunctionSpec } from '../../scenario/types.js';
import type { AsyncSpec } from './types.js';
import { firstTierUsdPerGbS, type PriceBook } from '../../billing/pricebook.js';
import { type AsyncFailureCounts, type AsyncWorkloadResult } from './types.js';
import { percentiles, round } from '../../metrics/summary.js';
import { ASYNC_FAILURE_REASONS, type AsyncMeters } from './meters.js';

function failureCounts(byReason: readonly number[]): AsyncFailureCounts {
  const c = { total: 0 } as AsyncFailureCounts;
  ASYNC_FAILURE_REASONS.forEach((r, i) => {
    c[r] = byReason[i];
    c.total += byReason[i];
  });
  return c;
}

/** Call after the run, once: closes the depth series at `durationMs`. */
export function asyncWorkloadResult(
  name: string,
  fn: string,
  cfg: AsyncSpec,
  fnSpec: FunctionSpec,
  book: PriceBook,
  m: AsyncMeters,
  durationMs: number,
): { result: AsyncWorkloadResult; series: Record<string, number[]> } {
  m.depth.finish(durationMs);
  const retryGbS = (m.retryBilledMs / 1000) * (fnSpec.memoryMb / 1024);
  const n = m.acceptedSeries.values.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  const result: AsyncWorkloadResult = {
    name,
    function: fn,
    invoke: 'async',
    config: {
      source: cfg.source,
      maximumRetryAttempts: cfg.maximumRetryAttempts,
      maximumEventAgeMs: cfg.maximumEventAgeMs,
      retryDelaysMs: [...cfg.retryDelaysMs],
      queueDelayMs: cfg.queueDelayMs,
      deadLetterQueue: cfg.deadLetterQueue,
      onFailure: cfg.onFailure,
      onSuccess: cfg.onSuccess,
    },
    calls: { retries: m.calls.retries, rejected: m.calls.rejected, retryQuotaExhausted: m.calls.retryQuotaExhausted, rateLimited: m.calls.rateLimited },
    ...(m.source !== null && cfg.delivery !== null
      ? {
          sourceDelivery: {
            kind: cfg.delivery.kind,
            events: m.source.events,
            duplicates: m.source.duplicates,
            deliveryAttempts: m.source.deliveryAttempts,
            retries: m.source.retries,
            delivered: m.source.delivered,
            deadLetter: m.source.deadLetter,
            dropped: m.source.dropped,
            open: m.source.open,
            delayMs: percentiles(m.source.delayMs),
          },
        }
      : {}),
    accepted: m.accepted,
    duplicates: m.duplicates,
    succeededFirstTry: m.succeededFirstTry,
    succeededAfterRetry: m.succeededAfterRetry,
    failed: failureCounts(m.failed),
    dropped: failureCounts(m.dropped),
    destinations: { deadLetterQueue: m.deadLetterRecords, onFailure: m.onFailureRecords, onSuccess: m.onSuccessRecords },
    attempts: m.attempts,
    retryAttempts: m.retryAttempts,
    throttleRequeues: m.throttleRequeues,
    eventsThrottled: m.eventsThrottled,
    openAtEnd: { total: m.openAtEnd, queued: m.queued, waitingRetry: m.waitingRetry, inFlight: m.inFlight },
    queueDepth: { max: m.depth.max, mean: round(m.depth.mean, 3) },
    ageAtFirstAttemptMs: percentiles(m.ageAtFirstAttemptMs),
    ageAtCompletionMs: percentiles(m.ageAtCompletionMs),
    billing: {
      firstAttemptBilledMs: round(m.firstAttemptBilledMs, 3),
      retryBilledMs: round(m.retryBilledMs, 3),
      retryGbSeconds: round(retryGbS, 3),
      // Pay-as-you-go, like the window's cost: each retry is a billed request plus its billed duration.
      retryUsd: round(m.retryAttempts * (book.requestUsdPerMillion / 1e6) + retryGbS * firstTierUsdPerGbS(book, fnSpec.architecture), 9),
    },
  };
  const series = {
    accepted: Array.from(m.acceptedSeries.values),
    succeeded: Array.from(m.succeededSeries.values),
    failed: Array.from(m.failedSeries.values),
    queueDepthMean: idx.map((i) => round(m.depth.bucketMean(i), 3)),
    queueDepthMax: idx.map((i) => m.depth.bucketMax(i)),
    // Issue 15: the event source's series, only for `source: s3 | sns | eventbridge`.
    ...(m.source !== null
      ? {
          sourceEvents: Array.from(m.source.eventsSeries.values),
          sourceDelivered: Array.from(m.source.deliveredSeries.values),
          sourceRetries: Array.from(m.source.retriesSeries.values),
          sourceGivenUp: Array.from(m.source.givenUpSeries.values),
        }
      : {}),
  };
  return { result, series };
}
