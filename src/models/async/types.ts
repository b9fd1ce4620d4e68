/** The types of the async model: its workload spec and event invoke configuration, and its result. */
import type { ArrivalSegment, ClientSpec, WorkloadBase } from '../../scenario/types.js';
import type { Percentiles } from '../../metrics/summary.js';
import type { WorkloadResultBase } from '../model.js';
import type { EventSourceSpec } from './sources.js';

/** An asynchronously invoked workload (InvocationType=Event, docs/sources.md §4). */
export interface AsyncWorkloadSpec extends WorkloadBase {
  name: string;
  functionName: string;
  invoke: 'async';
  arrivals: ArrivalSegment[];
  async: AsyncSpec;
  /** The callers' SDK clients, for `async.source: sdk` (their Invoke calls can be refused with 429); null for AWS services. */
  client: ClientSpec | null;
}

/** The event invoke configuration and queue of an async workload (docs/sources.md §4, §11 "Async invocation"). */
export interface AsyncSpec {
  /**
   * Who makes the Invoke calls: `sdk` (your code: each call spends a token of the account's
   * request-rate quota and may be refused with 429) or `aws-service` (events from AWS services are
   * accepted without a limit), docs/sources.md §1.
   */
  source: 'sdk' | 'aws-service' | 's3' | 'sns' | 'eventbridge';
  /**
   * `s3`, `sns`, `eventbridge` (issue 15): the source's own delivery before Lambda's queue (its delay,
   * duplicates, retries and dead-letter queue; src/models/async/sources.ts); null for `sdk` and `aws-service`.
   */
  delivery: EventSourceSpec | null;
  /** Retries after function errors and timeouts, 0–2 (default 2). */
  maximumRetryAttempts: number;
  /** Wait after failed attempt 1 and after failed attempt 2 ends (default 60 s, 120 s). */
  retryDelaysMs: [number, number];
  /** A uniform [0, jitter) added to each retry delay (default 0: none documented, §10 item 5). */
  retryJitterMs: number;
  /** An event this old is never attempted again, 60 s – 6 h (default 6 h). */
  maximumEventAgeMs: number;
  /** From acceptance to the first read when capacity is free (AWS publishes no number; default 0). */
  queueDelayMs: number;
  /** Probability that an accepted event is delivered twice (§4 at-least-once; default 0). */
  duplicateProbability: number;
  deadLetterQueue: 'sqs' | 'sns' | null;
  onFailure: 'sqs' | 'sns' | 'lambda' | 'eventbridge' | 's3' | null;
  onSuccess: 'sqs' | 'sns' | 'lambda' | 'eventbridge' | null;
  /** Every event's payload in bytes (≤ 1 MB); above 256 KB each further 64 KB is one more billed request (§4, §7). */
  payloadBytes: number;
}

/** Failed async events by reason (docs/sources.md §4, §1). */
export interface AsyncFailureCounts {
  total: number;
  'retries-exhausted': number;
  'event-too-old': number;
  'reserved-zero': number;
}

/**
 * What an event source (`source: s3 | sns | eventbridge`) did before Lambda's queue, for the events
 * after the warm-up: events + duplicates = delivered + deadLetter + dropped + open. The counts a bill
 * of the source needs: S3 notifications = events + duplicates; SNS messages published = events and
 * deliveries to Lambda = delivered; EventBridge events published = events, retry attempts = retries.
 */
export interface AsyncSourceResult {
  kind: 's3' | 'sns' | 'eventbridge';
  events: number;
  duplicates: number;
  /** Invoke calls the source made (first deliveries and retries). */
  deliveryAttempts: number;
  retries: number;
  /** Accepted by Lambda (202) into its internal queue. */
  delivered: number;
  /** Given up by the source: to its dead-letter queue, or dropped (none configured). */
  deadLetter: number;
  dropped: number;
  /** Waiting in the source (a delay or a retry) at the end. */
  open: number;
  /** From the event to its delivery into Lambda's queue (delivered events). */
  delayMs: Percentiles;
}

/** An async workload (InvocationType=Event, docs/sources.md §4): the fate of its events. */
export interface AsyncWorkloadResult extends WorkloadResultBase {
  name: string;
  function: string;
  invoke: 'async';
  config: {
    /** `sdk`: Invoke calls from your code (request-rate quota, 429s); `aws-service`: events from an AWS service. */
    source: string;
    maximumRetryAttempts: number;
    maximumEventAgeMs: number;
    retryDelaysMs: number[];
    queueDelayMs: number;
    deadLetterQueue: string | null;
    onFailure: string | null;
    onSuccess: string | null;
  };
  /**
   * `source: sdk`: the Invoke calls that did not get through: `rejected` ended refused (429: the
   * account's request-rate quota), after `retries` SDK retries in all; `retryQuotaExhausted` of them
   * for want of retry-quota tokens; `rateLimited` gave up waiting for a send token (adaptive mode).
   */
  calls: { retries: number; rejected: number; retryQuotaExhausted: number; rateLimited: number };
  /** `source: s3 | sns | eventbridge` only: the source's delivery before Lambda's queue. */
  sourceDelivery?: AsyncSourceResult;
  /** Events accepted (202). */
  accepted: number;
  /** Extra copies delivered (at-least-once); each copy has its own fate below. */
  duplicates: number;
  succeededFirstTry: number;
  succeededAfterRetry: number;
  /** Sent to the DLQ and/or on-failure destination. */
  failed: AsyncFailureCounts;
  /** Discarded: no failure target configured. */
  dropped: AsyncFailureCounts;
  /** Records delivered to each target. */
  destinations: { deadLetterQueue: number; onFailure: number; onSuccess: number };
  /** Invocations that ran; retryAttempts of them were function-error retries. */
  attempts: number;
  retryAttempts: number;
  /** Throttled reads: the event went back to the queue to wait its backoff (1 s, doubling, at most 5 min). */
  throttleRequeues: number;
  /** Events throttled at least once. */
  eventsThrottled: number;
  /** Still open at the end: accepted + duplicates = succeeded + failed + dropped + openAtEnd.total. */
  openAtEnd: { total: number; queued: number; waitingRetry: number; inFlight: number };
  /** Events waiting in the queue (never tried or waiting to retry), over the run. */
  queueDepth: { max: number; mean: number };
  /** From acceptance to the first attempt's start. */
  ageAtFirstAttemptMs: Percentiles;
  /** From acceptance to the final outcome (success, failure target or drop). */
  ageAtCompletionMs: Percentiles;
  /** Billed duration of first attempts and of retries; GB-seconds of the retries. */
  /** retryUsd: what the retries cost pay-as-you-go (requests + duration at the first tier), as the window's cost. */
  billing: { firstAttemptBilledMs: number; retryBilledMs: number; retryGbSeconds: number; retryUsd: number };
}
