/**
 * Event sources as async callers (issue 15 item 2): what happens to an event before it reaches
 * Lambda's internal queue (docs/sources.md §4 "Event sources in front of the async queue").
 *
 * - `s3` (S3 event notifications): at-least-once; each notification arrives after a delay drawn from
 *   `delay` (AWS: "typically ... in seconds but can sometimes take a minute or longer"; the default
 *   lognormal, median 1 s and p99 60 s, is an assumption); with `duplicateProbability` a second,
 *   independent notification of the same event is sent (AWS quantifies no rate: default 0, an
 *   assumption). S3 documents no retry policy towards Lambda, so none is modelled.
 * - `sns`: SNS invokes the function asynchronously; a delivery attempt that meets a throttle (429) or a
 *   service error (5xx) of Lambda's Invoke API is retried by SNS with the fixed policy of AWS-managed
 *   endpoints: 3 immediate retries, 2 one second apart (pre-backoff), 10 with exponential backoff from
 *   1 s to 20 s, then 100,000 twenty seconds apart (post-backoff). A message whose policy is exhausted
 *   goes to the subscription's dead-letter queue (an SQS queue) or is discarded.
 * - `eventbridge`: a rule's target; a retriable delivery error is retried with exponential backoff and
 *   jitter for up to `maximumEventAge` (60 s – 24 h, default 24 h) and `maximumRetryAttempts` (0–185,
 *   default 185); what is not delivered goes to the target's dead-letter queue (an SQS queue) or is dropped.
 *   AWS publishes neither the backoff's base nor its cap: 1 s doubling to 8 min is an assumption
 *   under which the 185 retries span about 23.6 h, close to the documented 24 h.
 *
 * AWS publishes no rate for Lambda refusing an AWS service's async Invoke (services are not held to the
 * request-rate quota, §1), so the chance that one delivery attempt fails is a parameter,
 * `deliveryErrorProbability` (default 0, an assumption), drawn per attempt from the stream
 * `wl/<workload>/source/errors`. S3's delays and duplicates draw from `wl/<workload>/source/delay` and
 * `wl/<workload>/source/duplicates`, so no other draw moves.
 *
 * Tracing (lsim explain): an event's life starts with an `arrival` at the source (its `reason` names the
 * source), then `source-delay` and `source-retry` steps, `done` (reason `source-retries-exhausted`) if it gives up, and `accepted` when
 * Lambda has it in its queue; from there the async invoker's steps follow.
 *
 * Memory is proportional to the events waiting in the source (typed slot arrays grown by doubling,
 * recycled through a free list); nothing is allocated per event.
 */
import { PartClock } from '../../metrics/parts.js';
import { z } from 'zod';
import type { Simulator } from '../../engine/simulator.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import { Phase } from '../../platform/platform.js';
import { distributionSchema, durationMs, count, probability, strictObject } from '../../scenario/fields.js';
import type { DistributionSpec } from '../../scenario/types.js';
import { makeSampler, type Sampler } from '../../workload/distributions.js';
import type { TraceEvent } from '../../metrics/trace.js';
import { LogHistogram } from '../../metrics/histogram.js';
import { BucketCounter } from '../../metrics/timeseries.js';

/** The event sources that deliver before Lambda's queue (the other `source` values, `sdk` and `aws-service`, deliver directly). */
export const EVENT_SOURCES = ['s3', 'sns', 'eventbridge'] as const;

export interface S3SourceSpec {
  kind: 's3';
  /** From the object event to the notification's Invoke call. */
  delay: DistributionSpec;
  /** Chance that one event is notified twice. */
  duplicateProbability: number;
}

export interface SnsSourceSpec {
  kind: 'sns';
  /** Chance that one delivery attempt meets a throttle or service error of Lambda's Invoke API. */
  deliveryErrorProbability: number;
  /** Each retry delay is shortened by up to this fraction, uniformly (AWS applies jitter of no published size). */
  retryJitter: number;
  /** The subscription's dead-letter queue (SQS). */
  deadLetterQueue: boolean;
}

export interface EventBridgeSourceSpec {
  kind: 'eventbridge';
  deliveryErrorProbability: number;
  /** MaximumRetryAttempts, 0–185. */
  maximumRetryAttempts: number;
  /** MaximumEventAgeInSeconds, 60 s – 24 h. */
  maximumEventAgeMs: number;
  /** The backoff's first delay and its cap (assumptions: AWS publishes neither). */
  backoffInitialMs: number;
  backoffMaxMs: number;
  retryJitter: number;
  /** The target's dead-letter queue (SQS). */
  deadLetterQueue: boolean;
}

export type EventSourceSpec = S3SourceSpec | SnsSourceSpec | EventBridgeSourceSpec;

/** Defaults of the source blocks, each with its source (docs/sources.md §4 "Event sources in front of the async queue", §11). */
export const sourceDefaults = {
  // Assumption: "typically ... seconds but can sometimes take a minute or longer" read as median 1 s, p99 1 min.
  s3Delay: { median: '1s', p99: '1m' },
  // Assumption: at-least-once is documented, no rate.
  s3DuplicateProbability: 0,
  // Assumption: AWS publishes no rate of refused deliveries.
  deliveryErrorProbability: 0,
  // Assumption: SNS and EventBridge jitter their retries by an unpublished amount; 0 keeps the documented sequence exact.
  retryJitter: 0,
  // EventBridge RetryPolicy defaults: 185 retries, 24 h.
  eventBridgeMaximumRetryAttempts: 185,
  eventBridgeMaximumEventAgeMs: 86_400_000,
  // Assumption: base 1 s, doubling, capped at 8 min.
  eventBridgeBackoffInitialMs: 1_000,
  eventBridgeBackoffMaxMs: 480_000,
} as const;

/** SNS's delivery policy for AWS-managed endpoints (Lambda, SQS): docs/sources.md §4 "Event sources in front of the async queue". */
export const SNS_POLICY = {
  immediateRetries: 3,
  preBackoffRetries: 2,
  preBackoffDelayMs: 1_000,
  backoffRetries: 10,
  backoffMinMs: 1_000,
  backoffMaxMs: 20_000,
  postBackoffRetries: 100_000,
  postBackoffDelayMs: 20_000,
} as const;
/** 100,015 retries in all (AWS's table: "100,015 times, over 23 days"). */
export const SNS_MAX_RETRIES = SNS_POLICY.immediateRetries + SNS_POLICY.preBackoffRetries + SNS_POLICY.backoffRetries + SNS_POLICY.postBackoffRetries;

/**
 * The wait before SNS's k-th retry (k ≥ 1) of a failed delivery to Lambda, without jitter; −1 past the
 * policy's end. The backoff phase grows by a constant ratio from 1 s to 20 s over its 10 retries (AWS
 * says "exponential backoff, from 1 second to 20 seconds" without the formula: the ratio is an assumption).
 */
export function snsRetryDelayMs(k: number): number {
  const p = SNS_POLICY;
  if (k < 1 || k > SNS_MAX_RETRIES) return -1;
  if (k <= p.immediateRetries) return 0;
  if (k <= p.immediateRetries + p.preBackoffRetries) return p.preBackoffDelayMs;
  const i = k - p.immediateRetries - p.preBackoffRetries - 1;
  if (i < p.backoffRetries) return p.backoffMinMs * (p.backoffMaxMs / p.backoffMinMs) ** (i / (p.backoffRetries - 1));
  return p.postBackoffDelayMs;
}

/** The wait before EventBridge's k-th retry (k ≥ 1), without jitter: initial × 2^(k−1), at most the cap. */
export function eventBridgeRetryDelayMs(spec: Pick<EventBridgeSourceSpec, 'backoffInitialMs' | 'backoffMaxMs'>, k: number): number {
  return Math.min(spec.backoffInitialMs * 2 ** Math.min(k - 1, 60), spec.backoffMaxMs);
}

/**
 * The events one source event costs a run of `durationMs` on average (for the work estimate): S3 its
 * duplicates; SNS and EventBridge their expected delivery attempts when each fails with probability p,
 * (1 − p^N) / (1 − p) for at most N attempts (SNS: its policy's, or those that fit in the run).
 */
export function sourceEventsPerEvent(spec: EventSourceSpec, durationMs: number): number {
  if (spec.kind === 's3') return 1 + spec.duplicateProbability;
  const p = spec.deliveryErrorProbability;
  const n = spec.kind === 'sns' ? Math.min(SNS_MAX_RETRIES + 1, 16 + Math.ceil(durationMs / SNS_POLICY.postBackoffDelayMs)) : spec.maximumRetryAttempts + 1;
  return p >= 1 ? n : (1 - p ** n) / (1 - p);
}

// ---------------------------------------------------------------------------
// The YAML blocks: `async.s3`, `async.sns`, `async.eventbridge` (each only beside its `source`).

export const s3BlockSchema = z.lazy(() =>
  strictObject({
    delay: distributionSchema.prefault({ lognormal: sourceDefaults.s3Delay }),
    duplicateProbability: probability.default(sourceDefaults.s3DuplicateProbability),
  }).transform((b): S3SourceSpec => ({ kind: 's3', delay: b.delay, duplicateProbability: b.duplicateProbability })),
);

export const snsBlockSchema = z.lazy(() =>
  strictObject({
    deliveryErrorProbability: probability.default(sourceDefaults.deliveryErrorProbability),
    retryJitter: probability.default(sourceDefaults.retryJitter),
    deadLetterQueue: z.boolean().default(false),
  }).transform((b): SnsSourceSpec => ({ kind: 'sns', ...b })),
);

/** docs/sources.md §4: MaximumEventAgeInSeconds 60–86,400, MaximumRetryAttempts 0–185. */
const EB_SOURCE = 'docs/sources.md §4 "Event sources in front of the async queue"';
export const eventBridgeBlockSchema = z.lazy(() =>
  strictObject({
    deliveryErrorProbability: probability.default(sourceDefaults.deliveryErrorProbability),
    maximumRetryAttempts: count(0, 185, EB_SOURCE).default(sourceDefaults.eventBridgeMaximumRetryAttempts),
    maximumEventAge: durationMs({ min: 60_000, max: 86_400_000, source: EB_SOURCE }).default(sourceDefaults.eventBridgeMaximumEventAgeMs),
    backoffInitial: durationMs({ above: 0 }).default(sourceDefaults.eventBridgeBackoffInitialMs),
    backoffMax: durationMs({ above: 0 }).default(sourceDefaults.eventBridgeBackoffMaxMs),
    retryJitter: probability.default(sourceDefaults.retryJitter),
    deadLetterQueue: z.boolean().default(false),
  }).transform((b, ctx): EventBridgeSourceSpec => {
    if (b.backoffMax < b.backoffInitial) ctx.addIssue({ code: 'custom', path: ['backoffMax'], message: 'must be at least backoffInitial' });
    return {
      kind: 'eventbridge',
      deliveryErrorProbability: b.deliveryErrorProbability,
      maximumRetryAttempts: b.maximumRetryAttempts,
      maximumEventAgeMs: b.maximumEventAge,
      backoffInitialMs: b.backoffInitial,
      backoffMaxMs: b.backoffMax,
      retryJitter: b.retryJitter,
      deadLetterQueue: b.deadLetterQueue,
    };
  }),
);

export const SOURCE_BLOCKS = { s3: s3BlockSchema, sns: snsBlockSchema, eventbridge: eventBridgeBlockSchema } as const;

export const SOURCE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.async.s3': 'source: s3 only: S3 event notifications (at least once, after a delay).',
  'workloads.async.s3.delay': 'From the object event to the notification reaching Lambda (a distribution). Default lognormal median 1s, p99 1m (an assumption).',
  'workloads.async.s3.duplicateProbability': 'Chance an event is notified twice (0–1). Default 0 (an assumption: AWS gives no rate).',
  'workloads.async.sns': 'source: sns only: the SNS subscription (retry policy of AWS-managed endpoints, fixed).',
  'workloads.async.sns.deliveryErrorProbability': "Chance one delivery meets a throttle or service error of Lambda's Invoke API (0–1). Default 0 (an assumption).",
  'workloads.async.sns.retryJitter': 'Each retry delay is shortened by up to this fraction (0–1). Default 0 (an assumption).',
  'workloads.async.sns.deadLetterQueue': "The subscription's SQS dead-letter queue for messages whose retries are exhausted. Default false.",
  'workloads.async.eventbridge': 'source: eventbridge only: the rule target (retry policy and dead-letter queue).',
  'workloads.async.eventbridge.deliveryErrorProbability': "Chance one delivery meets a throttle or service error of Lambda's Invoke API (0–1). Default 0 (an assumption).",
  'workloads.async.eventbridge.maximumRetryAttempts': 'MaximumRetryAttempts, 0–185. Default 185.',
  'workloads.async.eventbridge.maximumEventAge': 'MaximumEventAgeInSeconds, 1m–24h. Default 24h.',
  'workloads.async.eventbridge.backoffInitial': 'The first retry delay (doubling after). Default 1s (an assumption).',
  'workloads.async.eventbridge.backoffMax': 'The longest retry delay. Default 8m (an assumption).',
  'workloads.async.eventbridge.retryJitter': 'Each retry delay is shortened by up to this fraction (0–1). Default 0 (an assumption).',
  'workloads.async.eventbridge.deadLetterQueue': "The target's SQS dead-letter queue for events not delivered. Default false.",
};

// ---------------------------------------------------------------------------
// Measurements

/** What a source did, per workload (events before the warm-up are not counted). */
export class SourceMeters {
  /** Events the source had to deliver (S3 object events, SNS messages published, EventBridge events matched). */
  events = 0;
  /** Extra notifications of the same event (S3, at least once). */
  duplicates = 0;
  /** Invoke calls the source made: first deliveries and retries. */
  deliveryAttempts = 0;
  retries = 0;
  /** Accepted by Lambda (202): into its internal queue. */
  delivered = 0;
  /** Given up: to the source's dead-letter queue, or dropped without one. */
  deadLetter = 0;
  dropped = 0;
  /** Waiting in the source at the end (for a delay or a retry). */
  open = 0;
  /** From the event to its delivery into Lambda's queue. */
  readonly delayMs = new LogHistogram();
  /** Per interval: events at the source, deliveries into Lambda's queue, retries, and events given up (DLQ or dropped). */
  readonly eventsSeries: BucketCounter;
  readonly deliveredSeries: BucketCounter;
  readonly retriesSeries: BucketCounter;
  readonly givenUpSeries: BucketCounter;
  /** Events at the source and deliveries into Lambda's queue per part of the billing month (the source's bill). */
  readonly eventsByPart: Float64Array;
  readonly deliveredByPart: Float64Array;
  constructor(
    readonly fromMs: number,
    intervalMs: number,
    durationMs: number,
    readonly parts: PartClock = new PartClock([], fromMs, durationMs),
  ) {
    this.eventsByPart = new Float64Array(parts.count);
    this.deliveredByPart = new Float64Array(parts.count);
    this.eventsSeries = new BucketCounter(intervalMs, durationMs);
    this.deliveredSeries = new BucketCounter(intervalMs, durationMs);
    this.retriesSeries = new BucketCounter(intervalMs, durationMs);
    this.givenUpSeries = new BucketCounter(intervalMs, durationMs);
  }
}

/** What the delivery needs from the async invoker. */
export interface SourceHost {
  /** Hands the event to Lambda (accepted, 202): `firstAt` is the event's time; `item` and `request` as the source kept them. */
  deliver(tMs: number, firstAtMs: number, item: number, request: number): void;
  /** The request id of a new event, or of pipeline item `item` (−1 when neither tracing nor recording). */
  requestOf(item: number): number;
  /** Pipelines: the item of a new event (−1 without pipelines or when not a first stage). */
  enter(tMs: number, request: number): number;
  /** Pipelines: a copy of `item` (S3 duplicates). */
  copy(item: number, tMs: number): number;
  /** Pipelines: the item ended in the source (to its DLQ or dropped). */
  end(item: number, tMs: number, toDlq: boolean): void;
  /** Records: a counted event that ended in the source (null when not recording). */
  record: ((request: number, startedMs: number, endedMs: number, outcome: string, attempts: number, target: string) => void) | null;
  /** Tracing (null when not tracing). */
  emit: ((request: number, tMs: number, type: string, extra: Partial<TraceEvent>) => void) | null;
}

const COUNTED = 1;

/** One workload's event source in front of Lambda's queue. */
export class SourceDelivery {
  private readonly kind: number;
  private readonly delay: Sampler | null;
  private readonly rngDelay: Rng | null;
  private readonly rngDuplicates: Rng | null;
  private readonly rngErrors: Rng | null;
  private readonly rngJitter: Rng | null;
  private eventAtMs = new Float64Array(64);
  private attemptsOf = new Int32Array(64);
  private flagsOf = new Uint8Array(64);
  private reqOf = new Int32Array(64);
  private itemOf = new Int32Array(64);
  private freeSlots = new Int32Array(64);
  private freeCount = 0;
  private usedSlots = 0;

  constructor(
    private readonly sim: Simulator,
    readonly spec: EventSourceSpec,
    workload: string,
    rng: RngStreams,
    readonly meters: SourceMeters,
    private readonly host: SourceHost,
  ) {
    this.kind = sim.register((slot) => this.attempt(slot), `async/source-${spec.kind}`);
    const s = `wl/${workload}/source`;
    this.delay = spec.kind === 's3' ? makeSampler(spec.delay) : null;
    this.rngDelay = spec.kind === 's3' ? rng.stream(`${s}/delay`) : null;
    this.rngDuplicates = spec.kind === 's3' && spec.duplicateProbability > 0 ? rng.stream(`${s}/duplicates`) : null;
    this.rngErrors = spec.kind !== 's3' && spec.deliveryErrorProbability > 0 ? rng.stream(`${s}/errors`) : null;
    this.rngJitter = spec.kind !== 's3' && spec.retryJitter > 0 ? rng.stream(`${s}/retry-jitter`) : null;
  }

  /** An event at the source at `tMs` (an arrival, or another function's output as pipeline item `item`). */
  arrive(tMs: number, item = -1): void {
    const counted = tMs >= this.meters.fromMs;
    const request = this.host.requestOf(item);
    if (item < 0) item = this.host.enter(tMs, request);
    if (counted) {
      this.meters.events++;
      this.meters.eventsSeries.add(tMs);
      this.meters.eventsByPart[this.meters.parts.at(tMs)]++;
    }
    const slot = this.open(tMs, counted, request, item);
    this.host.emit?.(request, tMs, 'arrival', { reason: this.spec.kind });
    this.first(slot, tMs);
    if (this.rngDuplicates !== null && this.rngDuplicates.next() < (this.spec as S3SourceSpec).duplicateProbability) {
      if (counted) {
        this.meters.duplicates++;
        this.meters.eventsSeries.add(tMs);
      }
      const copyReq = item >= 0 ? request : this.host.requestOf(-1);
      const copy = this.open(tMs, counted, copyReq, item >= 0 ? this.host.copy(item, tMs) : -1);
      this.host.emit?.(copyReq, tMs, 'arrival', { reason: this.spec.kind, duplicateOf: request });
      this.first(copy, tMs);
    }
  }

  /** Schedules the first delivery attempt: after S3's delay, at once for SNS and EventBridge. */
  private first(slot: number, tMs: number): void {
    const d = this.delay !== null ? this.delay.sample(this.rngDelay!) : 0;
    if (d > 0) this.host.emit?.(this.reqOf[slot], tMs, 'source-delay', { delayMs: d });
    this.sim.schedule(tMs + d, Phase.ARRIVAL, this.kind, slot);
  }

  private open(tMs: number, counted: boolean, request: number, item: number): number {
    const slot = this.alloc();
    this.eventAtMs[slot] = tMs;
    this.attemptsOf[slot] = 0;
    this.flagsOf[slot] = counted ? COUNTED : 0;
    this.reqOf[slot] = request;
    this.itemOf[slot] = item;
    if (counted) this.meters.open++;
    return slot;
  }

  /** A delivery attempt of the event in `slot`: accepted by Lambda, or (SNS, EventBridge) failed and retried or given up. */
  private attempt(slot: number): void {
    const t = this.sim.now;
    const m = this.meters;
    const counted = (this.flagsOf[slot] & COUNTED) !== 0;
    const k = ++this.attemptsOf[slot];
    if (counted) {
      m.deliveryAttempts++;
      if (k > 1) {
        m.retries++;
        m.retriesSeries.add(t);
      }
    }
    const spec = this.spec;
    if (spec.kind === 's3' || this.rngErrors === null || this.rngErrors.next() >= spec.deliveryErrorProbability) {
      if (counted) {
        m.delivered++;
        m.deliveredSeries.add(t);
        m.deliveredByPart[m.parts.at(t)]++;
        m.open--;
        m.delayMs.record(t - this.eventAtMs[slot]);
      }
      const item = this.itemOf[slot];
      const request = this.reqOf[slot];
      const at = this.eventAtMs[slot];
      this.free(slot);
      this.host.deliver(t, at, item, request);
      return;
    }
    // A refused delivery (a throttle or service error of Lambda's Invoke API): the source's retry policy.
    let wait = spec.kind === 'sns' ? snsRetryDelayMs(k) : k <= spec.maximumRetryAttempts ? eventBridgeRetryDelayMs(spec, k) : -1;
    if (wait > 0 && this.rngJitter !== null) wait *= 1 - spec.retryJitter * this.rngJitter.double();
    if (wait >= 0 && spec.kind === 'eventbridge' && t + wait > this.eventAtMs[slot] + spec.maximumEventAgeMs) wait = -1;
    if (wait < 0) {
      this.giveUp(slot, t, k);
      return;
    }
    this.host.emit?.(this.reqOf[slot], t, 'source-retry', { attempt: k + 1, delayMs: wait });
    this.sim.schedule(t + wait, Phase.ARRIVAL, this.kind, slot);
  }

  /** The source's retries are over: to its dead-letter queue, or dropped. */
  private giveUp(slot: number, t: number, attempts: number): void {
    const dlq = (this.spec as SnsSourceSpec | EventBridgeSourceSpec).deadLetterQueue;
    if (this.flagsOf[slot] & COUNTED) {
      this.meters.open--;
      this.meters.givenUpSeries.add(t);
      if (dlq) this.meters.deadLetter++;
      else this.meters.dropped++;
      this.host.record?.(this.reqOf[slot], this.eventAtMs[slot], t, dlq ? 'failed' : 'dropped', attempts, dlq ? 'source-dlq' : '');
    }
    this.host.emit?.(this.reqOf[slot], t, 'done', { outcome: dlq ? 'source-dlq' : 'dropped', reason: 'source-retries-exhausted', attempt: attempts });
    if (this.itemOf[slot] >= 0) this.host.end(this.itemOf[slot], t, dlq);
    this.free(slot);
  }

  /** After the run, when records are wanted: the counted events still waiting in the source. */
  recordOpen(): void {
    const free = new Uint8Array(this.usedSlots);
    for (let i = 0; i < this.freeCount; i++) free[this.freeSlots[i]] = 1;
    for (let s = 0; s < this.usedSlots; s++) {
      if (free[s] || (this.flagsOf[s] & COUNTED) === 0) continue;
      this.host.record?.(this.reqOf[s], this.eventAtMs[s], NaN, 'open', this.attemptsOf[s], '');
    }
  }

  private alloc(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.usedSlots === this.eventAtMs.length) {
      const n = this.usedSlots * 2;
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.eventAtMs = grow(this.eventAtMs, (k) => new Float64Array(k));
      this.attemptsOf = grow(this.attemptsOf, (k) => new Int32Array(k));
      this.flagsOf = grow(this.flagsOf, (k) => new Uint8Array(k));
      this.reqOf = grow(this.reqOf, (k) => new Int32Array(k));
      this.itemOf = grow(this.itemOf, (k) => new Int32Array(k));
      this.freeSlots = grow(this.freeSlots, (k) => new Int32Array(k));
    }
    return this.usedSlots++;
  }

  private free(slot: number): void {
    this.freeSlots[this.freeCount++] = slot;
  }
}
