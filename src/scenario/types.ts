/**
 * The resolved scenario: what the loader produces from a YAML file and what the
 * simulator consumes. Units are resolved and every default is filled in, so the
 * simulator never parses a string or guesses a default.
 *
 * Unit conventions (names carry them): `...Ms` milliseconds (instants are
 * measured from the start of the simulation), `...Mb` megabytes of 2^20 bytes
 * (Lambda's convention), `...PerS` events per second.
 */
import type { PriceBook } from '../billing/pricebook.js';
import type { ServicePriceBook } from '../billing/service-prices.js';
import type { OccurrenceUnit } from '../billing/month.js';

/** A distribution of a non-negative duration, in milliseconds. */
export type DistributionSpec =
  | { kind: 'fixed'; valueMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  /** Normal(mean, sd) truncated to [minMs, maxMs] (minMs defaults to 0, maxMs to Infinity). */
  | { kind: 'normal'; meanMs: number; sdMs: number; minMs: number; maxMs: number }
  /** ln(X in ms) ~ Normal(mu, sigma). The loader converts "median + p99" and "mean + sigma" forms. */
  | { kind: 'lognormal'; mu: number; sigma: number }
  /** Each listed value equally likely (weights optional, same length, positive). */
  | { kind: 'empirical'; valuesMs: number[]; weights?: number[] }
  /**
   * A piecewise-linear cumulative curve: P(X ≤ pointsMs[i]) = cumulative[i], linear in between.
   * Times strictly increasing; cumulative non-decreasing from exactly 0 to exactly 1.
   */
  | { kind: 'cdf'; pointsMs: number[]; cumulative: number[] };

/** The shape of an arrival rate over a segment's time span. */
export type RateShape =
  | { kind: 'constant'; ratePerS: number }
  /** Linear from `fromPerS` at the segment start to `toPerS` at its end. */
  | { kind: 'ramp'; fromPerS: number; toPerS: number }
  /** mean × (1 + amplitude × cos(2π (t − peakAtMs) / periodMs)), amplitude in [0, 1]. t is simulation time. */
  | { kind: 'diurnal'; meanPerS: number; amplitude: number; periodMs: number; peakAtMs: number };

/**
 * One arrival segment. A workload's arrivals are the superposition (sum) of its
 * segments, so a burst is written as an extra segment on top of the base rate.
 */
export interface ArrivalSegment {
  /** `poisson`: a (non-homogeneous) Poisson process; `constant`: evenly spaced in cumulative intensity. */
  process: 'poisson' | 'constant';
  shape: RateShape;
  /** Active over [startMs, endMs); endMs is the scenario duration when the file gives no end. */
  startMs: number;
  endMs: number;
}

/** How long an idle execution environment is kept before it is reclaimed (docs/sources.md §2). */
export type KeepAliveSpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'distribution'; dist: DistributionSpec };

export interface ErrorWindow {
  startMs: number;
  endMs: number;
  /** Probability that an invocation started in the window fails with a function error. */
  rate: number;
}

/**
 * How many messages, events or records one output emits per processed item (issue 16): a whole number,
 * or a discrete distribution drawn per item.
 */
export type CountSpec =
  | { kind: 'fixed'; n: number }
  /** Each item emits 1 with probability p, else 0. */
  | { kind: 'bernoulli'; p: number }
  | { kind: 'poisson'; mean: number }
  /** Whole numbers from min to max, each equally likely. */
  | { kind: 'uniform'; min: number; max: number }
  /** Each listed whole number equally likely (weights optional, same length, positive). */
  | { kind: 'empirical'; values: number[]; weights?: number[] };

/**
 * One output of a function (issue 16, docs/scenario-reference.md "Pipelines"): per item it processed
 * (a request, an event, each message or record of a batch), with the outcome `on`, it sends `count`
 * messages, events or records to the workload `to`, through that workload's invocation model.
 */
export interface OutputSpec {
  /** The target workload's name. */
  to: string;
  count: CountSpec;
  on: 'success' | 'failure';
}

/**
 * What a function sends on and whom it calls (issue 16): present only when the function has outputs
 * or calls, or says how recursive loop detection treats it, so other scenarios carry nothing.
 */
export interface FunctionPipelineSpec {
  outputs: OutputSpec[];
  /** Functions called synchronously (RequestResponse), one after another, after the handler's own work; the caller waits. */
  calls: string[];
  /**
   * Lambda's recursive loop detection (docs/sources.md §8): `Terminate` (default) stops the invocation
   * after 16 in one chain of requests; `Allow` lets it run.
   */
  recursiveLoop: 'Terminate' | 'Allow';
}

export interface FunctionSpec {
  name: string;
  /** 128–10240 (docs/sources.md §7). */
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  /** 1 s – 900 s (docs/sources.md §3). */
  timeoutMs: number;
  /** 512–10240 MB (docs/sources.md §8). */
  ephemeralStorageMb: number;
  /** null: the function draws from the account's unreserved pool. */
  reservedConcurrency: number | null;
  /** Pre-initialized environments (docs/sources.md §1); 0 = none. With a plan: the most it ever configures. */
  provisionedConcurrency: number;
  /** Provisioned concurrency that changes over time (schedule or auto scaling, src/scenario/provisioned.ts); absent = static. */
  provisionedPlan?: ProvisionedPlan;
  /** The handler's own duration. */
  duration: DistributionSpec;
  /** The init phase of a cold start. */
  init: DistributionSpec;
  keepAlive: KeepAliveSpec;
  /** Name of the keep-alive preset the spec came from, or 'custom'. */
  keepAlivePreset: string;
  /**
   * Each on-demand environment's lifetime, drawn when it is created (docs/sources.md §2, §11
   * `maxEnvLifetimeH`): it is retired once this old; null = never.
   */
  maxLifetime: DistributionSpec | null;
  /**
   * Proactive replacement (docs/sources.md §2): an environment that reaches its lifetime while busy,
   * or idle for at most this long, is replaced by one Lambda initializes in the background; null = never.
   */
  proactiveReplacementMs: number | null;
  /** Which idle environment serves a request: most or least recently used. */
  reuse: 'mru' | 'lru';
  errors: {
    /** Probability that an invocation fails with a function error, outside any window. */
    rate: number;
    windows: ErrorWindow[];
  };
  /**
   * How much of the handler's duration is CPU work that speeds up with memory
   * (docs/sources.md §7: memory / 1,769 MB vCPU, at most 6). The `duration`
   * distribution describes the handler at `measuredAtMb`.
   */
  cpu: CpuSpec;
  /**
   * Responses streamed to the caller (InvokeWithResponseStream, docs/sources.md §3, §7): the size of
   * each successful invocation's response, drawn equally likely from `sizesMb`; null = not streamed.
   */
  responseStreaming: { sizesMb: number[] } | null;
  /**
   * How the function is deployed: a ZIP package on a managed runtime, a ZIP on a custom runtime (an OS-only
   * runtime), or a container image. Only the first had its on-demand INIT free before 2025-08-01 (docs/sources.md §7, §9).
   */
  packaging: 'zip' | 'zip-custom-runtime' | 'image';
  /**
   * SnapStart (docs/sources.md §2 "SnapStart", §7): a cold start resumes the snapshot (`restore`, free)
   * and runs the after-restore hooks (`hooks`, billed as duration) instead of init; each restore and the
   * cache are charged, except for Java (`runtime: java`); null = no SnapStart.
   */
  snapStart: { restore: DistributionSpec; hooks: DistributionSpec; runtime: 'java' | 'python' | 'dotnet' } | null;
  /**
   * How often a provisioned environment is replaced and re-runs init in the background, billed
   * (docs/sources.md §1, §11 `pcRecycleIntervalH`); null = never.
   */
  provisionedRecycleMs: number | null;
  /** Tenant isolation: each new execution environment is charged per GB of memory (docs/sources.md §7). */
  tenantIsolation: boolean;
  /**
   * The function's extensions and the shutdown phase they take when an environment ends (reclaimed, retired
   * or removed from a PC plan), billed as duration (docs/sources.md §2 "Phases", §7, §11 `extensionsMode`).
   */
  extensions: { mode: 'none' | 'internal' | 'external'; shutdownMs: number; shutdownAssumed: boolean };
  /** A Lambda@Edge function: priced at the Edge prices (docs/sources.md §7), without free tier or tiers. */
  edge: boolean;
  /** Bytes each invocation logs to CloudWatch Logs (docs/sources.md §15; default 0, an assumption). */
  logBytesPerInvocation: number;
  /** Outputs, synchronous calls and recursion setting (issue 16); absent when it has none of them. */
  pipeline?: FunctionPipelineSpec;
}

/**
 * Provisioned concurrency over time (docs/sources.md §1 "Provisioned concurrency", §9 "PC allocation"):
 * configured `initial` at t = 0 (allocated before the run), then changed by a
 * schedule or by target-tracking auto scaling. An increase becomes usable
 * `allocationDelayMs + added / allocationPerMin` after it is configured (all at
 * once); a decrease removes idle environments at once and busy ones when they finish.
 */
export interface ProvisionedPlan {
  kind: 'schedule' | 'autoscaling';
  initial: number;
  /** The most it can configure (schedule maximum, or autoscaling.max). */
  max: number;
  /** In time order; empty for auto scaling. */
  schedule: { atMs: number; value: number }[];
  autoscaling: {
    /** Target ProvisionedConcurrencyUtilization (0.7 in AWS's example). */
    target: number;
    min: number;
    max: number;
    /** Consecutive datapoints above target before scaling out (3). */
    scaleOutDatapoints: number;
    /** Consecutive datapoints below scaleInRatio × target before scaling in (15, an assumption). */
    scaleInDatapoints: number;
    /** 0.9: the scale-in alarm is at 90% of the target. */
    scaleInRatio: number;
    /** Datapoint period (one minute). */
    periodMs: number;
  } | null;
  allocationDelayMs: number;
  allocationPerMin: number;
}

export interface CpuSpec {
  /** Share of the duration (at measuredAtMb) that is CPU work, 0–1; 0 = memory does not change duration. */
  share: number;
  /** Multi-threaded work keeps speeding up beyond 1 vCPU; single-threaded stops at 1 vCPU (1,769 MB). */
  parallel: boolean;
  /** Memory at which `duration` was measured. */
  measuredAtMb: number;
  /** Architecture on which `duration` was measured (x86_64 unless the file says so). */
  measuredOn: 'x86_64' | 'arm64';
  /**
   * How much faster this handler runs on arm64 than on x86_64 (1.19 = 19% faster, 0.8 = 20% slower):
   * durations on arm64 are those on x86_64 divided by it. Default 1, an assumption (docs/sources.md §7
   * "Architecture and speed"): real gains depend on the workload.
   */
  arm64Speed: number;
  /** True when `arm64Speed` is the default 1 (the report says both architectures run at the same speed by assumption). */
  arm64SpeedAssumed: boolean;
}

/**
 * The concurrency scaling rule (docs/sources.md §1, §9). Both are modelled as a
 * token bucket spent on creating execution environments: `per-function-2023`
 * has one bucket per function; `regional-burst-legacy` one bucket per account.
 */
export type ScalingSpec =
  | {
      model: 'per-function-2023';
      /** Bucket size: new environments per window (1000). */
      stepEnvs: number;
      /** Window (10 s). */
      windowMs: number;
      /** `continuous`: refilled at stepEnvs/windowMs; `stepwise`: refilled whole at each window boundary. */
      refill: 'continuous' | 'stepwise';
    }
  | {
      model: 'regional-burst-legacy';
      /** Initial burst (3000 / 1000 / 500 by Region). */
      burstEnvs: number;
      /** Linear growth after the burst, environments per minute (500). */
      ratePerMin: number;
    };

export interface AccountSpec {
  /** Account concurrency quota (docs/sources.md §1; default 1000). */
  concurrencyLimit: number;
  /** Units always left unreserved (100, docs/sources.md §1). */
  unreservedMinimum: number;
  /** Invocation requests per second are capped at this × concurrencyLimit (10, docs/sources.md §1). */
  requestRateFactor: number;
  /**
   * A function's requests per second are capped at this × its reserved concurrency, and × its
   * allocated provisioned concurrency when it has PC (10, docs/sources.md §1); null = no per-function cap.
   */
  functionRequestRateFactor: number | null;
  region: string;
  scaling: ScalingSpec;
  /**
   * How PC plans are allocated (docs/sources.md §9): `6000-per-min` per function, all usable together
   * (current), or `legacy-burst-500`: the Region's burst at once, then 500 per minute, shared by every function.
   */
  pcAllocation: '6000-per-min' | 'legacy-burst-500';
  /**
   * The largest async event (docs/sources.md §9 "async payload"): `1mb-2025` (since October 2025) or
   * `256kb-legacy`; by default the rule of the price book's date.
   */
  asyncPayloadLimit: '1mb-2025' | '256kb-legacy';
}

export interface BillingSpec {
  /** Billed duration is rounded up to a multiple of this (1 ms since 2020-12-01; 100 ms before). */
  granularityMs: number;
  /** Whether the init phase of on-demand cold starts is billed (billed since 2025-08-01). */
  initBilling: 'billed-2025' | 'unbilled-zip-managed-legacy';
  /** The price book with the scenario's overrides and Savings Plan discount applied (docs/billing.md). */
  priceBook: PriceBook;
  /** The other services' prices in the Region, with the scenario's `servicePrices` (docs/billing.md "The rest of the bill"). */
  servicePrices: ServicePriceBook;
  /** Which free allowances apply to the month (docs/sources.md §10 item 10). */
  freeTier: FreeTierOptions;
  /** The billing month and how the measured window maps onto it (docs/billing.md "The month"). */
  month: MonthSpec;
}

/**
 * The month the monthly figures are for, made of the measured window: each
 * part of the window happens `times` in the month, and the rest of the window
 * stands for the rest of the month (`restWeight` copies of it).
 */
export interface MonthSpec {
  /** 28–31. */
  days: number;
  /** A given month `YYYY-MM` (its length and its weekdays), or null. */
  of: string | null;
  /** The explicit "window × N": the month is `repeat` copies of the whole window; null otherwise. */
  repeat: number | null;
  /** Spans of the measured window that happen a counted number of times a month, in time order, not overlapping. */
  parts: MonthPart[];
  /** The measured window outside the parts, in ms, and how many times it counts in the month. */
  restMs: number;
  restWeight: number;
}

export interface MonthPart {
  name: string;
  startMs: number;
  endMs: number;
  /** As written: `count` per `unit` (2 per day). */
  count: number;
  unit: OccurrenceUnit;
  /** Occurrences in the month. */
  times: number;
}

/** The callers' SDK clients and their retry policy (docs/sources.md §3 "Client (SDK) retries"; src/models/client.ts). */
export interface ClientSpec {
  retryMode: 'none' | 'legacy' | 'standard' | 'standard-2026' | 'adaptive';
  /** Including the first attempt (5 legacy, 3 otherwise). */
  maxAttempts: number;
  /** Backoff before retry i (1-based) is u × min(base × 2^(i−1), maxBackoffMs), u ~ U[0,1); this base is for throttles. */
  baseDelayMs: number;
  /** The base after a non-throttling error (a client timeout): 50 ms in standard-2026, else baseDelayMs. */
  transientBaseDelayMs: number;
  maxBackoffMs: number;
  /** The client gives up on an attempt after this long (the function keeps running); null = waits forever. */
  timeoutMs: number | null;
  /** SDK clients the workload's requests are spread over, in turn (one per caller process). */
  clients: number;
  /** Retry-quota tokens per client (500); null = no quota (legacy and none, or `retryQuota: off`). */
  retryQuota: number | null;
}

/**
 * What every workload has, whatever its invocation model: each model's own spec
 * (src/models/<model>/types.ts) extends it with its block, and the union of them
 * all is `WorkloadSpec` in src/models/index.ts.
 */
export interface WorkloadBase {
  /** Unique; names the random streams (default: `<function>-<invoke>`). */
  name: string;
  functionName: string;
  /** The invocation model: the `invoke` of a model in src/models/index.ts. */
  invoke: string;
  arrivals: ArrivalSegment[];
}

export interface ReportSpec {
  /** Resolution of the time series; chosen from the duration when the file gives none. */
  intervalMs: number;
}

/**
 * A loaded scenario. Shared code takes `ScenarioOf<WorkloadBase>` (`ScenarioBase`) and never looks
 * inside a workload's block; `Scenario` in src/models/index.ts has the union of every model's workloads.
 */
export interface ScenarioOf<W extends WorkloadBase = WorkloadBase> {
  /** Path of the file the scenario came from, as the user gave it (for messages). */
  file?: string;
  name: string;
  description: string;
  seed: string;
  durationMs: number;
  /** Metrics ignore what happens before this instant (the simulation still runs it). */
  warmupMs: number;
  account: AccountSpec;
  billing: BillingSpec;
  functions: FunctionSpec[];
  workloads: W[];
  report: ReportSpec;
}

export type ScenarioBase = ScenarioOf<WorkloadBase>;

/** Which free allowances apply. AWS's own examples differ (docs/sources.md §10 item 10), so each is a switch. */
export interface FreeTierOptions {
  /** 1 M requests per month. */
  requests: boolean;
  /** 400,000 on-demand GB-s per month, shared by x86 and Arm. */
  compute: boolean;
  /** 100 GiB of streaming per month. Default false: AWS's streaming example assumes it is used up. */
  streaming?: boolean;
  /**
   * Whether functions with provisioned concurrency get the request and compute
   * free tier. Default false, the pricing page's rule; AWS's PC example 1 applies it.
   */
  provisionedFunctions?: boolean;
  /** The other services' never-expiring allowances (SQS 1 M requests, SNS 1 M publishes, …); default: as `requests`. */
  services?: boolean;
}
