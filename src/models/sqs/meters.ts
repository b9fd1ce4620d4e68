/**
 * What an SQS event source mapping measures per workload: messages (sent,
 * deleted, failed, redriven, duplicated), batches (size, why they were
 * invoked, throttles), the queue (depth, age of the oldest message) and the
 * pollers. Counters count events at or after `fromMs` (the warm-up); the
 * queue's state at the end of the run is read from the model itself.
 * Allocation happens only here, in the constructor.
 */
import { LogHistogram } from '../../metrics/histogram.js';
import { PartClock, PartLevel } from '../../metrics/parts.js';
import { BucketCounter, LevelTracker } from '../../metrics/timeseries.js';

export class SqsMeters {
  /** SendMessage calls by the producers (at or after the warm-up). */
  sent = 0;
  /**
   * Messages in the queue (waiting or in flight) when the measured window starts: sent during the
   * warm-up and not yet deleted or redriven by its end (0 without a warm-up). The balance of the
   * window is queuedAtStart + sent = deleted + redriven + waiting + in flight at the end.
   */
  queuedAtStart = 0;
  /** Messages processed and deleted. */
  deleted = 0;
  /** Message deliveries that failed (a failed batch, or an item reported as failed). */
  failedDeliveries = 0;
  /** Messages moved to the queue's DLQ after maxReceiveCount receives. */
  redriven = 0;
  /** Receives of a message while an earlier delivery of it was still being processed (it outlived the visibility timeout). */
  duplicates = 0;
  /** Message deliveries in invocations that ran (= messages × invocations). */
  deliveries = 0;
  /** Batches invoked (invocations that ran). */
  batches = 0;
  /** Invoke attempts throttled (429) and retried by the mapping. */
  throttledAttempts = 0;
  /** Batches given back to the queue because throttle retries ran past the visibility timeout. */
  batchesExpiredThrottled = 0;
  /** Batches that ended in a function error or timeout (the whole batch returns). */
  failedBatches = 0;
  /** Batches that succeeded but reported some items as failed (ReportBatchItemFailures). */
  partialBatches = 0;
  /** Why batches were invoked: full (batchSize), payload (6 MB cap), window (window ended), available (no window: what was there). */
  triggerFull = 0;
  triggerPayload = 0;
  triggerWindow = 0;
  triggerAvailable = 0;
  /** Times the mapping backed off its concurrency (throttle or function error). */
  backoffs = 0;
  /** Oldest age seen: the longest a message stayed in the queue (deleted, redriven or still there at the end). */
  maxAgeMs = 0;
  /** Messages per batch invoked. */
  readonly batchSize = new LogHistogram();
  /** Send → delete, for messages sent after the warm-up and deleted. */
  readonly latencyMs = new LogHistogram();
  readonly sentSeries: BucketCounter;
  readonly deletedSeries: BucketCounter;
  readonly redrivenSeries: BucketCounter;
  readonly batchSeries: BucketCounter;
  /** Visible messages (ApproximateNumberOfMessagesVisible). */
  readonly visible: LevelTracker;
  /** Received, not yet deleted or visible again (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: LevelTracker;
  /** The mapping's concurrency (batches it may have in flight). */
  readonly pollerTarget: LevelTracker;
  /** Batches the mapping has in progress (filling, invoking, retrying). */
  readonly pollersBusy: LevelTracker;
  /** Provisioned mode: pollers (EPUs) allocated, over time and per part of the billing month (what is billed). */
  readonly epus: LevelTracker;
  readonly epusByPart: PartLevel;
  /** Age of the oldest message (not deleted) at the end of each interval, ms. */
  readonly oldestAgeSeries: Float64Array;
  /**
   * Billed SQS requests per part of the billing month (docs/billing.md "The rest of the bill"): each
   * 64 KB chunk of a SendMessage, of a ReceiveMessage that returned messages, and the DeleteMessageBatch calls.
   */
  readonly sendRequests: Float64Array;
  readonly receiveRequests: Float64Array;
  readonly deleteRequests: Float64Array;
  /** Idle poller slots (the mapping's concurrency less the batches in progress) × ms, per part: their empty receives. */
  readonly idleByPart: PartLevel;
  private busyNow = 0;
  private targetNow = 0;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs: number,
    readonly parts: PartClock = new PartClock([], fromMs, durationMs),
  ) {
    this.epusByPart = new PartLevel(parts);
    this.idleByPart = new PartLevel(parts);
    this.sendRequests = new Float64Array(parts.count);
    this.receiveRequests = new Float64Array(parts.count);
    this.deleteRequests = new Float64Array(parts.count);
    this.sentSeries = new BucketCounter(intervalMs, durationMs);
    this.deletedSeries = new BucketCounter(intervalMs, durationMs);
    this.redrivenSeries = new BucketCounter(intervalMs, durationMs);
    this.batchSeries = new BucketCounter(intervalMs, durationMs);
    this.visible = new LevelTracker(intervalMs, durationMs, fromMs);
    this.inFlight = new LevelTracker(intervalMs, durationMs, fromMs);
    this.pollerTarget = new LevelTracker(intervalMs, durationMs, fromMs);
    this.pollersBusy = new LevelTracker(intervalMs, durationMs, fromMs);
    this.epus = new LevelTracker(intervalMs, durationMs, fromMs);
    this.oldestAgeSeries = new Float64Array(this.sentSeries.values.length);
  }

  finish(endMs: number): void {
    this.visible.finish(endMs);
    this.inFlight.finish(endMs);
    this.pollerTarget.finish(endMs);
    this.pollersBusy.finish(endMs);
    this.epus.finish(endMs);
    this.epusByPart.finish(endMs);
    this.idleByPart.finish(endMs);
  }

  /** Empty receives per part: idle poller-ms / `everyMs`, with `slotsPerPoller` concurrency slots per poller (10 in provisioned mode). */
  emptyReceives(everyMs: number, slotsPerPoller: number): Float64Array {
    return Float64Array.from(this.idleByPart.totals, (ms) => ms / everyMs / slotsPerPoller);
  }

  /** Every billed SQS request per part: sends, receives, deletes and empty receives. */
  billedRequests(everyMs: number, slotsPerPoller: number): Float64Array {
    const empty = this.emptyReceives(everyMs, slotsPerPoller);
    return Float64Array.from(empty, (e, p) => e + this.sendRequests[p] + this.receiveRequests[p] + this.deleteRequests[p]);
  }

  /** Batches in progress become `n` at tMs. */
  setBusy(tMs: number, n: number): void {
    this.pollersBusy.set(tMs, n);
    this.busyNow = n;
    this.idleByPart.set(tMs, Math.max(0, this.targetNow - n));
  }

  /** The mapping's concurrency becomes `n` at tMs. */
  setTarget(tMs: number, n: number): void {
    this.pollerTarget.set(tMs, n);
    this.targetNow = n;
    this.idleByPart.set(tMs, Math.max(0, n - this.busyNow));
  }

  /** The mapping runs `n` event poller units from tMs. */
  setEpus(tMs: number, n: number): void {
    this.epus.set(tMs, n);
    this.epusByPart.set(tMs, n);
  }
}
