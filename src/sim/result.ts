/**
 * The result of a run: plain data with a stable, versioned shape. Reports
 * (text, JSON, CSV, HTML) are made from it alone; it never refers back to the
 * engine. Numbers are rounded here, once, so every output agrees and the JSON is
 * byte-identical across machines.
 */
import type { ServiceLine } from '../billing/service-prices.js';
import type { Percentiles } from '../metrics/summary.js';
import type { WorkloadResult } from '../models/index.js';
import type { PipelineResult, PipelineSeries } from '../models/pipeline.js';

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

/** One line of another service's monthly bill (docs/billing.md "The rest of the bill"): the priced line and who billed it. */
export interface ServiceLineResult extends ServiceLine {
  /** The workloads (and `function <name>` for log ingestion) that billed it. */
  by: string[];
}

/** The whole bill: Lambda's part and the other services' lines. */
export interface BillResult {
  /** The service price book: its name and when it was read. */
  servicePrices: string;
  /** The simulated window, everything (no free tier). */
  windowUsd: number;
  /** The month, everything: Lambda plus the other services. */
  monthlyUsd: number;
  /** The Lambda part of the month (= `monthly.total`). */
  lambdaMonthlyUsd: number;
  servicesMonthlyUsd: number;
  services: ServiceLineResult[];
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
  /**
   * Present when the function has extensions: their mode, the shutdown phase billed at each environment's end
   * (docs/sources.md §2, §7), and whether that time is the mode's limit by assumption (no `extensions.shutdown`).
   */
  extensions?: { mode: 'internal' | 'external'; shutdownMs: number; shutdownAssumed: boolean };
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
  /** Function errors (the handler failed, or a SnapStart restore timed out: `snapStartTimeouts`), not counting timeouts. */
  errors: number;
  timeouts: number;
  coldStarts: number;
  /** coldStarts / invocations. */
  coldStartRate: number;
  /** Cold starts whose on-demand init ran past the 10 s limit and was re-run inside the invoke (docs/sources.md §2). */
  initOverruns: number;
  /**
   * Of the `errors`: SnapStart cold starts whose after-restore hooks ran past the 10 s limit, so the invoke
   * failed with `SnapStartTimeoutException` before the handler ran (docs/sources.md §2 "SnapStart").
   */
  snapStartTimeouts: number;
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
    /** Ended in the window and ran their extensions' shutdown phase, billed (0 without extensions). */
    shutdowns: number;
    /** Replacements Lambda initialized in the background for retired environments (no request waited; not cold starts). */
    proactiveInits: number;
    /** Provisioned environments Lambda re-initialized in the background (recycling; the init is billed). */
    provisionedReinits: number;
    /**
     * Provisioned-environment inits stopped at their limit, 130 s or the timeout, whichever is larger
     * (docs/sources.md §2): at allocation or recycling the init is tried again; re-initializing after a
     * timeout, the invoke fails (counted in `errors`).
     */
    pcInitFailures: number;
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
  /** Per pipeline (its first stage's workload) and stage: items open and the oldest one's age (issue 16); only with pipelines. */
  pipelines?: PipelineSeries;
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
      /** The whole bill; `monthly` and `window` above are the Lambda part. `lines` holds every service's lines. */
      bill: BillResult;
      freeTier: { requests: boolean; compute: boolean; provisionedFunctions: boolean; services: boolean };
    };
  };
  functions: FunctionResult[];
  /** Per workload, by invocation model (the `invoke` field tells which; src/models/<model>/types.ts). */
  workloads: WorkloadResult[];
  /** Requests followed through chains of functions, per first stage (issue 16); only when a function sends or calls. */
  pipelines?: PipelineResult[];
  timeSeries: TimeSeries;
  /** Engine counters (deterministic): events processed. */
  engine: { events: number };
}
