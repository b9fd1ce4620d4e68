/**
 * The result of a run: plain data with a stable, versioned shape. Reports
 * (text, JSON, CSV, HTML) are made from it alone; it never refers back to the
 * engine. Numbers are rounded here, once, so every output agrees and the JSON is
 * byte-identical across machines.
 */
import type { Percentiles } from '../metrics/summary.js';

export const RESULT_SCHEMA = 'lsim.result/2';

export interface ThrottleCounts {
  total: number;
  'request-rate': number;
  'account-concurrency': number;
  'reserved-concurrency': number;
  'scaling-rate': number;
  'function-request-rate': number;
}

/** Dollars per line item (unrounded in the model, rounded to 9 significant digits here). */
export interface CostFigures {
  requests: number;
  duration: number;
  provisionedConcurrency: number;
  provisionedDuration: number;
  ephemeralStorage: number;
  streaming: number;
  pollers: number;
  snapStart: number;
  tenantIsolation: number;
  edge: number;
  total: number;
}

/** One line of the monthly bill (the form other services' lines will share). */
export interface CostLineResult {
  /** 'AWS Lambda' today. */
  service: string;
  item: string;
  usd: number;
  /** Where its price comes from (docs/sources.md). */
  source: string;
}

/** The billing month and how the measured window maps onto it (docs/billing.md "The month"). */
export interface MonthResult {
  days: number;
  /** A given month `YYYY-MM`, or null. */
  of: string | null;
  /** "window × N" made explicit: the month is this many copies of the window; null otherwise. */
  repeat: number | null;
  /** The measured window outside the parts: its length and how many times it counts in the month. */
  rest: { ms: number; weight: number };
  /** Spans of the window that happen a counted number of times a month (`per`: as written, e.g. "2/day"). */
  parts: { name: string; startMs: number; endMs: number; per: string; times: number }[];
}

/** What a function's (or the account's) simulated traffic costs (docs/billing.md). */
export interface CostResult {
  /** The simulated window (after warm-up), pay-as-you-go: no free tier. */
  window: CostFigures;
  /** The month the scenario describes (`billing.month`), with the monthly tiers and the scenario's free tier applied. */
  monthly: CostFigures;
  /** The month's non-zero lines, with their services and price sources. */
  lines: CostLineResult[];
  /** Monthly cost per million invocations. */
  usdPerMillionInvocations: number | null;
  /** Share of the billed duration that is rounding ((billed − actual) / billed), and its monthly cost. */
  rounding: { share: number; monthlyUsd: number };
}

export interface FunctionResult {
  name: string;
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  /** How much faster the handler runs on arm64 than on x86_64; `arm64SpeedAssumed` when it is the default 1. */
  arm64Speed: number;
  arm64SpeedAssumed: boolean;
  timeoutMs: number;
  reservedConcurrency: number | null;
  provisionedConcurrency: number;
  keepAlive: string;
  /** Requests that reached the function: first tries and retries, throttled or not. */
  attempts: number;
  /** Invocations that ran (= billed requests; throttles are not invocations). */
  invocations: number;
  throttles: ThrottleCounts;
  /** throttles / attempts. */
  throttleRate: number;
  /** Function errors (the handler failed), not counting timeouts. */
  errors: number;
  timeouts: number;
  coldStarts: number;
  /** coldStarts / invocations. */
  coldStartRate: number;
  /** Cold starts whose on-demand init ran past the 10 s limit and was re-run inside the invoke (docs/sources.md §2). */
  initOverruns: number;
  provisionedInvocations: number;
  spilloverInvocations: number;
  /** The handler's own duration (to the timeout for timeouts). */
  durationMs: Percentiles;
  /** Init phase of cold starts: at most the 10 s limit (an overrun's first attempt is cut there). */
  initMs: Percentiles;
  /** Of the `initOverruns`: the init re-run inside the invoke phase (to the timeout when the invocation timed out). */
  initRerunMs: Percentiles;
  concurrency: { max: number; mean: number };
  environments: {
    /** New on-demand environments: for cold starts, and `proactiveInits` of them replacing retired ones. */
    created: number;
    /** Ended for idleness (keep-alive). */
    reclaimed: number;
    /** Ended at their maximum lifetime. */
    retired: number;
    /** Replacements Lambda initialized in the background for retired environments (no request waited; not cold starts). */
    proactiveInits: number;
    /** Provisioned environments Lambda re-initialized in the background (recycling; the init is billed). */
    provisionedReinits: number;
    maxOnDemand: number;
    onDemandAtEnd: number;
    provisioned: number;
    /**
     * Time-weighted means over the measured window: environments alive (on-demand and provisioned),
     * busy (running an invocation, its init included: the mean concurrency), idle (alive − busy), and
     * the provisioned environments allocated (part of `alive`).
     */
    mean: { alive: number; busy: number; idle: number; provisioned: number };
  };
  /**
   * Provisioned concurrency plans only (schedule or auto scaling): what was
   * configured and done. `environments.provisioned` is then the most allocated.
   */
  provisionedPlan?: {
    kind: 'schedule' | 'autoscaling';
    initial: number;
    maxConfigured: number;
    /** ∫ configured PC dt over the measured window, in environment-hours (what PC billing charges). */
    environmentHours: number;
    /** Mean configured PC over the measured window. */
    meanConfigured: number;
    changes: number;
    scaleOuts: number;
    scaleIns: number;
  };
  billing: {
    /** Sum of per-invocation billed durations (rounded up to the granularity). */
    billedDurationMs: number;
    /** Sum of the unrounded durations that were billed. */
    actualDurationMs: number;
    /** On-demand billed GB-seconds (GB = 1024 MB). */
    gbSeconds: number;
    /** Billed GB-seconds that ran on provisioned environments. */
    provisionedGbSeconds: number;
    /** With `responseStreaming`: GB streamed (GB = 2^30 bytes), and those beyond the first 6 MB of each response. */
    streamedGb?: number;
    streamedChargeableGb?: number;
    /** With `snapStart`: cold starts that restored the snapshot. */
    snapStartRestores?: number;
  };
  cost: CostResult;
}

/** A sync workload: what its callers saw. */
/** What the callers' SDK clients did (docs/model.md "Synchronous invocation"). */
export interface ClientResult {
  retryMode: string;
  clients: number;
  /** Requests given up (throttled or timed out) because their client's retry quota could not pay for the retry. */
  retryQuotaExhausted: number;
  /** Adaptive mode: requests given up because the wait for a send token exceeded the client timeout. */
  rateLimited: number;
  /** Adaptive mode: attempts that waited for a send token, and how long they waited. */
  sendWaits: number;
  sendWaitMs: Percentiles;
}

export interface SyncWorkloadResult {
  name: string;
  function: string;
  invoke: 'sync';
  requests: number;
  retries: number;
  succeeded: number;
  functionErrors: number;
  functionTimeouts: number;
  /** Requests whose final attempt was throttled. */
  throttled: number;
  /** throttled / requests. */
  throttleRate: number;
  clientTimeouts: number;
  /** Requests still waiting (in flight or for a retry) when the run ended. */
  openAtEnd: number;
  /** End to end, from the first attempt to the response, for requests that got one. */
  latencyMs: Percentiles;
  /** The callers' SDK clients (src/models/client.ts). */
  client: ClientResult;
  /** Present when the workload replays a trace (issue 9). */
  traceReplay?: TraceReplayResult;
}

/** What a trace replay read and sent (whole run, warm-up included; docs/model.md "Trace-driven workloads"). */
export interface TraceReplayResult {
  /** The trace file as the scenario names it. */
  file: string;
  format: 'requests' | 'per-minute' | 'azure';
  speed: number;
  scale: number;
  /** Data rows read; rows skipped as unreadable (`skipBadRows`) and the first of them. */
  rows: number;
  badRows: number;
  firstBadRow: { line: number; message: string } | null;
  /** Requests in the trace's window for mapped functions, and sent after `scale`. */
  traced: number;
  sent: number;
  /** Requests of trace functions no rule maps (not sent). */
  unmapped: number;
  functionsMapped: number;
  /** Requests sent with the handler duration from the trace. */
  durationsFromTrace: number;
  /** Requests refused (413) for a payload over the sync limit, after the warm-up: not invocations. */
  payloadTooLarge: number;
}

/** Failed async events by reason (docs/sources.md §4, §1). */
export interface AsyncFailureCounts {
  total: number;
  'retries-exhausted': number;
  'event-too-old': number;
  'reserved-zero': number;
}

/** An async workload (InvocationType=Event, docs/sources.md §4): the fate of its events. */
export interface AsyncWorkloadResult {
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

/** An SQS event source mapping (docs/sources.md §5): the queue, its messages, batches and pollers. */
export interface SqsWorkloadResult {
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
  /** Provisioned mode: event poller units × seconds over the measured window (0 in standard mode). */
  eventPollerEpuSeconds: number;
  /** Advice about the configuration (also printed by `lsim validate`). */
  warnings: string[];
}

/** Per workload, by invocation model (the `invoke` field tells which). */
/** A Kinesis or DynamoDB stream event source mapping (docs/sources.md §6): records, batches, iterator age, per shard. */
export interface StreamWorkloadResult {
  name: string;
  function: string;
  invoke: 'stream';
  config: {
    source: 'kinesis' | 'dynamodb';
    shards: number;
    parallelizationFactor: number;
    batchSize: number;
    /** Records per batch after the 6 MB payload cap. */
    maxRecordsPerBatch: number;
    maximumBatchingWindowMs: number;
    maximumRetryAttempts: number;
    maximumRecordAgeMs: number;
    bisectBatchOnFunctionError: boolean;
    reportBatchItemFailures: boolean;
    onFailure: string | null;
    retentionMs: number;
    /** Present only with tumbling windows on. */
    tumblingWindowMs?: number;
  };
  /** Tumbling windows (§6), present only when they are on. */
  windows?: {
    /** Windows checkpointed after their final invoke succeeded, and how many of them closed early (state full). */
    closed: number;
    closedEarly: number;
    /** Final invokes started (retries included) and failed. */
    finalInvokes: number;
    finalInvokesFailed: number;
  };
  /** written = processed + discarded + expired + pendingAtEnd (records written after the warm-up). */
  records: { written: number; processed: number; discarded: number; expired: number; pendingAtEnd: number; inFlightAtEnd: number };
  batches: {
    invoked: number;
    succeeded: number;
    failed: number;
    partial: number;
    throttled: number;
    retries: number;
    recordsRetried: number;
    splits: number;
    /** Discarded batches by reason; each is one on-failure destination message when there is a destination. */
    discarded: { 'retries-exhausted': number; 'record-age': number };
    destinationMessages: number;
  };
  /** The first few discarded batches as the on-failure destination sees them. */
  discardExamples: { shard: number; firstSequence: number; lastSequence: number; records: number; reason: string; atMs: number }[];
  batchSize: Percentiles;
  /** IteratorAge: at each batch's end, the age of its last record. */
  iteratorAgeMs: Percentiles;
  /** Batches in flight. */
  concurrency: { max: number; mean: number };
  shards: { shard: number; written: number; processed: number; discarded: number; expired: number; pendingAtEnd: number; maxIteratorAgeMs: number }[];
}

export type WorkloadResult = SyncWorkloadResult | AsyncWorkloadResult | SqsWorkloadResult | StreamWorkloadResult;

export interface TimeSeries {
  intervalMs: number;
  /** Start of each interval, ms. */
  startMs: number[];
  account: { concurrencyMean: number[]; concurrencyMax: number[] };
  functions: Record<
    string,
    {
      invocations: number[];
      throttles: number[];
      coldStarts: number[];
      errors: number[];
      concurrencyMean: number[];
      concurrencyMax: number[];
      /** On-demand environments alive at the end of the interval. */
      environments: number[];
      /** New environments the scaling rule would allow at the end of the interval. */
      scalingAllowance: number[];
      /** Provisioned concurrency plans only: PC environments allocated at the end of the interval. */
      provisioned?: number[];
    }
  >;
  /** Per workload, series named by its invocation model (sync: requests, throttled). */
  workloads: Record<string, Record<string, number[]>>;
}

export interface Result {
  schema: typeof RESULT_SCHEMA;
  scenario: {
    name: string;
    description: string;
    seed: string;
    durationMs: number;
    warmupMs: number;
    scaling: string;
    concurrencyLimit: number;
    /** Concurrency left for functions without reserved concurrency. */
    unreservedConcurrency: number;
    billingGranularityMs: number;
    initBilling: string;
  };
  account: {
    invocations: number;
    throttles: ThrottleCounts;
    concurrency: { max: number; mean: number };
    cost: CostResult & {
      priceBook: string;
      region: string;
      /** What the monthly figures assume: which month, made of which parts of the window. */
      month: MonthResult;
      freeTier: { requests: boolean; compute: boolean; provisionedFunctions: boolean };
    };
  };
  functions: FunctionResult[];
  workloads: WorkloadResult[];
  timeSeries: TimeSeries;
  /** Engine counters (deterministic): events processed. */
  engine: { events: number };
}
