/**
 * What a stream event source mapping measures (docs/sources.md §6), per workload
 * and per shard. Record outcomes are counted by the record's write time: a
 * record written before `fromMs` (the warm-up) is not counted anywhere, so
 * written = processed + discarded + expired + pending holds exactly.
 * Batch counts, batch sizes and iterator ages are counted when the batch
 * starts or finishes at or after `fromMs`. Time series cover the whole run.
 * Memory: fixed at construction (shards × intervals for the per-shard ages).
 */
import { PartClock } from '../../metrics/parts.js';
import { LogHistogram } from '../../metrics/histogram.js';
import { BucketCounter, LevelTracker } from '../../metrics/timeseries.js';

/** Why Lambda gave up on records (docs/sources.md §6). */
export const DISCARD_REASONS = ['retries-exhausted', 'record-age'] as const;

/** One discarded batch as its on-failure destination would see it (§6 `KinesisBatchInfo`). */
export interface DiscardInfo {
  shard: number;
  /** Sequence numbers (per shard, from 0) of the first and last record of the batch. */
  firstSequence: number;
  lastSequence: number;
  records: number;
  reason: (typeof DISCARD_REASONS)[number];
  atMs: number;
}

/** The first discards are kept as examples; the rest are only counted. */
export const DISCARD_EXAMPLES = 5;

export class StreamMeters {
  written = 0;
  processed = 0;
  discarded = 0;
  expired = 0;
  /** Set at the end: records still in the stream (waiting or in a batch in flight). */
  pendingAtEnd = 0;
  inFlightAtEnd = 0;
  /** Invocations started (batches, retries and bisected halves). */
  batches = 0;
  batchesSucceeded = 0;
  /** Invocations that failed as a whole (function error or timeout). */
  batchesFailed = 0;
  /** Invocations that returned some failed records (reportBatchItemFailures). */
  batchesPartial = 0;
  /** Attempts throttled by the platform (not retries, §6). */
  throttled = 0;
  /** Retries of a failed batch (the count `maximumRetryAttempts` limits). */
  retries = 0;
  /** Records in the retried batches. */
  recordsRetried = 0;
  /** Bisections of a failed batch (§6: they do not use up a retry). */
  splits = 0;
  /** Tumbling windows (§6): final invokes started (with their retries), failed, and windows checkpointed. */
  finalInvokes = 0;
  finalInvokesFailed = 0;
  windowsClosed = 0;
  /** Windows closed before their end because the next record would take the state over 1 MB. */
  windowsClosedEarly = 0;
  /** Discarded batches, by reason; each is one message to the on-failure destination when there is one. */
  readonly discardedBatches = [0, 0];
  readonly discardExamples: DiscardInfo[] = [];
  /** Records per invocation. */
  readonly batchSize = new LogHistogram();
  /** IteratorAge (§6): when a batch finishes, the age of its last record. */
  readonly iteratorAgeMs = new LogHistogram();
  readonly writtenSeries: BucketCounter;
  readonly processedSeries: BucketCounter;
  /** Highest iterator age reported in each interval, overall and per shard (shard-major). */
  readonly iteratorAgeMax: Float64Array;
  readonly shardIteratorAgeMax: Float64Array;
  /** Batches in flight. */
  readonly concurrency: LevelTracker;
  readonly shardWritten: Float64Array;
  readonly shardProcessed: Float64Array;
  readonly shardDiscarded: Float64Array;
  readonly shardExpired: Float64Array;
  readonly shardPending: Float64Array;
  /** Highest iterator age per shard after the warm-up. */
  readonly shardAgeMax: Float64Array;
  readonly intervals: number;

  /** Records written and records read into invoked batches, per part of the billing month (the stream's bill). */
  readonly writtenByPart: Float64Array;
  readonly readByPart: Float64Array;

  constructor(
    readonly shards: number,
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs: number,
    readonly parts: PartClock = new PartClock([], fromMs, durationMs),
  ) {
    this.writtenByPart = new Float64Array(parts.count);
    this.readByPart = new Float64Array(parts.count);
    this.intervals = Math.ceil(durationMs / intervalMs);
    this.writtenSeries = new BucketCounter(intervalMs, durationMs);
    this.processedSeries = new BucketCounter(intervalMs, durationMs);
    this.iteratorAgeMax = new Float64Array(this.intervals);
    this.shardIteratorAgeMax = new Float64Array(shards * this.intervals);
    this.concurrency = new LevelTracker(intervalMs, durationMs, fromMs);
    this.shardWritten = new Float64Array(shards);
    this.shardProcessed = new Float64Array(shards);
    this.shardDiscarded = new Float64Array(shards);
    this.shardExpired = new Float64Array(shards);
    this.shardPending = new Float64Array(shards);
    this.shardAgeMax = new Float64Array(shards);
  }

  /** Records an IteratorAge value reported by `shard` at tMs. */
  iteratorAge(shard: number, tMs: number, ageMs: number): void {
    if (tMs < this.durationMs) {
      const i = Math.min(Math.floor(tMs / this.intervalMs), this.intervals - 1);
      if (ageMs > this.iteratorAgeMax[i]) this.iteratorAgeMax[i] = ageMs;
      const j = shard * this.intervals + i;
      if (ageMs > this.shardIteratorAgeMax[j]) this.shardIteratorAgeMax[j] = ageMs;
    }
    if (tMs >= this.fromMs) {
      this.iteratorAgeMs.record(ageMs);
      if (ageMs > this.shardAgeMax[shard]) this.shardAgeMax[shard] = ageMs;
    }
  }

  /** One shard's iterator-age series (max per interval). */
  shardSeries(shard: number): Float64Array {
    return this.shardIteratorAgeMax.subarray(shard * this.intervals, (shard + 1) * this.intervals);
  }
}
