/**
 * What the async invoker measures per workload (docs/sources.md §4): the fate of
 * every accepted event, the queue, event age and the billed duration of retries.
 * Events accepted before `fromMs` (the warm-up) are not counted, nor are their
 * outcomes; the queue-depth series covers every event.
 */
import { LogHistogram } from '../../metrics/histogram.js';
import { PartClock } from '../../metrics/parts.js';
import { BucketCounter, LevelTracker } from '../../metrics/timeseries.js';
import type { CallMeters } from '../client.js';
import type { SourceMeters } from './sources.js';

/** Why an event went to the failure target (or was dropped when there is none). */
export const AsyncFailure = { RETRIES_EXHAUSTED: 0, EVENT_TOO_OLD: 1, RESERVED_ZERO: 2 } as const;
export const ASYNC_FAILURE_REASONS = ['retries-exhausted', 'event-too-old', 'reserved-zero'] as const;

export class AsyncMeters {
  /** Events accepted (202) by the internal queue. */
  accepted = 0;
  /** The same per part of the billing month: what the payload's extra request chunks are billed on (§4, §7). */
  readonly acceptedByPart: Float64Array;
  /** Extra copies of accepted events delivered at least once more (§4: at-least-once). */
  duplicates = 0;
  succeededFirstTry = 0;
  succeededAfterRetry = 0;
  /** Sent to a DLQ and/or on-failure destination, by reason (AsyncFailure). */
  readonly failed = [0, 0, 0];
  /** Discarded with no failure target configured, by reason. */
  readonly dropped = [0, 0, 0];
  /** Records that reached each target. */
  deadLetterRecords = 0;
  onFailureRecords = 0;
  onSuccessRecords = 0;
  /** Invocations that ran (first attempts and retries). */
  attempts = 0;
  /** Attempts after the first that ran (function-error retries). */
  retryAttempts = 0;
  /** Throttled reads: the event went back to the queue for its backoff. */
  throttleRequeues = 0;
  /** Events throttled at least once. */
  eventsThrottled = 0;
  /** `source: sdk`: the Invoke calls (a 429 is a refused call: retried by the SDK or `rejected`). */
  readonly calls: CallMeters;
  /** Issue 15: what the event source did before the queue (`source: s3 | sns | eventbridge`), or null. */
  source: SourceMeters | null = null;
  /** Billed duration of first attempts and of retry attempts (ms, rounded per invocation). */
  firstAttemptBilledMs = 0;
  retryBilledMs = 0;
  /** Counted events still open, by where they are. */
  queued = 0;
  waitingRetry = 0;
  inFlight = 0;
  /** Accept → first attempt start. */
  readonly ageAtFirstAttemptMs = new LogHistogram();
  /** Accept → final outcome (success, failure target or drop). */
  readonly ageAtCompletionMs = new LogHistogram();
  /** Events of this workload waiting in the queue (never tried, or waiting for a retry); not in flight. */
  readonly depth: LevelTracker;
  readonly acceptedSeries: BucketCounter;
  readonly succeededSeries: BucketCounter;
  readonly failedSeries: BucketCounter;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs: number,
    readonly parts: PartClock = new PartClock([], fromMs, durationMs),
  ) {
    this.acceptedByPart = new Float64Array(parts.count);
    this.depth = new LevelTracker(intervalMs, durationMs, fromMs);
    this.calls = { fromMs, retries: 0, rejected: 0, retryQuotaExhausted: 0, rateLimited: 0 };
    this.acceptedSeries = new BucketCounter(intervalMs, durationMs);
    this.succeededSeries = new BucketCounter(intervalMs, durationMs);
    this.failedSeries = new BucketCounter(intervalMs, durationMs);
  }

  get openAtEnd(): number {
    return this.queued + this.waitingRetry + this.inFlight;
  }
}
