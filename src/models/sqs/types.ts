/** The types of the SQS model: its workload spec (queue and event source mapping) and its result. */
import type { ArrivalSegment, WorkloadBase } from '../../scenario/types.js';
import type { Percentiles } from '../../metrics/summary.js';
import type { WorkloadResultBase } from '../model.js';

/**
 * A function fed by an SQS queue through an event source mapping
 * (docs/sources.md §5, §11 "SQS event source mapping"): `arrivals` are the
 * producers' SendMessage calls.
 */
export interface SqsWorkloadSpec extends WorkloadBase {
  name: string;
  functionName: string;
  invoke: 'sqs';
  arrivals: ArrivalSegment[];
  sqs: SqsSpec;
  /** Advice the loader found (e.g. visibility timeout under 6 × the function timeout), located. */
  warnings: string[];
}

export interface SqsSpec {
  fifo: boolean;
  /** FIFO: number of message group IDs; standard: 1. */
  groups: number;
  /** FIFO: Zipf exponent of the group of each message (0 = every group equally likely). */
  groupSkew: number;
  /** Body size of every message in bytes; null = the 6 MB batch payload cap is not modelled. */
  messageBytes: number | null;
  /** Per-record metadata Lambda and SQS add to the batch payload, bytes (counts toward the 6 MB cap). */
  recordOverheadBytes: number;
  /** Queue visibility timeout as configured. */
  visibilityTimeoutMs: number;
  /** The timeout Lambda applies: window + function timeout + 30 s when those exceed the configured one (§5). */
  effectiveVisibilityTimeoutMs: number;
  /** Redrive to the queue's DLQ after this many receives; null = no DLQ. */
  maxReceiveCount: number | null;
  batchSize: number;
  maximumBatchingWindowMs: number;
  /** Handler time added per message of a batch, on top of the function's duration draw. */
  perMessageMs: number;
  reportBatchItemFailures: boolean;
  /** Fraction of messages that fail every time they are processed. */
  poison: number;
  /** Probability that processing one message fails, drawn per delivery. */
  messageErrors: number;
  /** Poller scaling preset: `current` (+300/min, ceiling 1,250) or `legacy` (+60/min, ceiling 1,000). */
  scaling: 'current' | 'legacy';
  /** ScalingConfig.MaximumConcurrency (2–1,000); null = unset. */
  maximumConcurrency: number | null;
  /** Multiplier applied to the mapping's concurrency on a throttle or function error (assumption, §11). */
  errorBackoffFactor: number;
  /** An idle poller makes one empty, billed ReceiveMessage per this long (docs/billing.md "The rest of the bill"). */
  emptyReceiveEveryMs: number;
  /** Provisioned mode (§5): poller bounds; null = standard (on-demand) polling. */
  provisioned: { minPollers: number; maxPollers: number } | null;
}

/** An SQS event source mapping (docs/sources.md §5): the queue, its messages, batches and pollers. */
export interface SqsWorkloadResult extends WorkloadResultBase {
  name: string;
  function: string;
  invoke: 'sqs';
  config: {
    queue: 'standard' | 'fifo';
    groups: number;
    batchSize: number;
    /** Messages per batch allowed by batchSize and the 6 MB payload cap. */
    maxMessagesPerBatch: number;
    maximumBatchingWindowMs: number;
    visibilityTimeoutMs: number;
    /** The visibility timeout Lambda applies (window + timeout + 30 s when the configured one is shorter, §5). */
    effectiveVisibilityTimeoutMs: number;
    maxReceiveCount: number | null;
    reportBatchItemFailures: boolean;
    scaling: string;
    maximumConcurrency: number | null;
    provisioned: { minPollers: number; maxPollers: number } | null;
  };
  messages: {
    /**
     * In the queue (waiting or in flight) when the measured window starts: sent during the warm-up,
     * not yet deleted or redriven (0 without a warm-up). queuedAtStart + sent = deleted + redrivenToDlq
     * + waitingAtEnd + inFlightAtEnd.
     */
    queuedAtStart: number;
    /** Sent at or after the end of the warm-up. */
    sent: number;
    /** Processed and deleted. */
    deleted: number;
    /** Deliveries that failed (whole failed batches and reported item failures); a message may fail several times. */
    failedDeliveries: number;
    /** Moved to the queue's DLQ after maxReceiveCount receives. */
    redrivenToDlq: number;
    /** Receives of a message whose earlier delivery was still being processed (it outlived the visibility timeout). */
    duplicates: number;
    /** At the end of the run: visible (waiting) and received but not deleted (in flight or failed, invisible). */
    waitingAtEnd: number;
    inFlightAtEnd: number;
  };
  batches: {
    /** Invocations that ran. */
    invoked: number;
    /** Messages per invoked batch. */
    size: Percentiles;
    /** Why each batch was invoked. */
    trigger: { full: number; payloadCap: number; window: number; available: number };
    /** Invoke attempts throttled (retried by the mapping). */
    throttledAttempts: number;
    /** Batches returned to the queue because throttle retries ran past the visibility timeout. */
    expiredWhileThrottled: number;
    /** Function errors or timeouts (the whole batch returns). */
    failed: number;
    /** Succeeded with some items reported failed. */
    partial: number;
  };
  /** Send → delete, for deleted messages. */
  latencyMs: Percentiles;
  queue: {
    /** Visible messages (ApproximateNumberOfMessagesVisible). */
    depth: { max: number; mean: number };
    /** Received and not yet deleted or visible again (ApproximateNumberOfMessagesNotVisible). */
    inFlight: { max: number; mean: number };
    /** The longest a message stayed in the queue (the maximum of ApproximateAgeOfOldestMessage). */
    maxAgeOfOldestMs: number;
  };
  pollers: {
    /** The mapping's concurrency (batches allowed in flight). */
    concurrency: { max: number; mean: number; atEnd: number };
    /** Batches in progress (filling, invoking or retrying). */
    busy: { max: number; mean: number };
    /** Times the mapping halved its concurrency after a throttle or function error. */
    backoffs: number;
  };
  /**
   * SQS requests billed over the measured window (docs/billing.md "The rest of the bill"): each 64 KB chunk
   * of the producers' sends and of the pollers' receives, the deletes, and the idle pollers' empty receives.
   */
  requests: { sends: number; receives: number; deletes: number; emptyReceives: number; total: number };
  /** Provisioned mode: event poller units × seconds over the measured window (0 in standard mode). */
  eventPollerEpuSeconds: number;
  /** Advice about the configuration (also printed by `lsim validate`). */
  warnings: string[];
}
