/**
 * The resolved scenario: what the loader produces from a YAML file and what the
 * simulator consumes. Units are resolved and every default is filled in, so the
 * simulator never parses a string or guesses a default.
 *
 * Unit conventions (names carry them): `...Ms` milliseconds (instants are
 * measured from the start of the simulation), `...Mb` megabytes of 2^20 bytes
 * (Lambda's convention), `...PerS` events per second.
 */

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
  | { kind: 'empirical'; valuesMs: number[]; weights?: number[] };

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

/** How long an idle execution environment is kept before it is reclaimed (lambda-facts §2). */
export type KeepAliveSpec =
  | { kind: 'fixed'; ms: number }
  | { kind: 'distribution'; dist: DistributionSpec };

export interface ErrorWindow {
  startMs: number;
  endMs: number;
  /** Probability that an invocation started in the window fails with a function error. */
  rate: number;
}

export interface FunctionSpec {
  name: string;
  /** 128–10240 (lambda-facts §7). */
  memoryMb: number;
  architecture: 'x86_64' | 'arm64';
  /** 1 s – 900 s (lambda-facts §3). */
  timeoutMs: number;
  /** 512–10240 MB (lambda-facts §8). */
  ephemeralStorageMb: number;
  /** null: the function draws from the account's unreserved pool. */
  reservedConcurrency: number | null;
  /** Pre-initialized environments (lambda-facts §1); 0 = none. */
  provisionedConcurrency: number;
  /** The handler's own duration. */
  duration: DistributionSpec;
  /** The init phase of a cold start. */
  init: DistributionSpec;
  keepAlive: KeepAliveSpec;
  /** Name of the keep-alive preset the spec came from, or 'custom'. */
  keepAlivePreset: string;
  /** An environment is retired once it is this old (lambda-facts §2, `maxEnvLifetimeH`); null = never. */
  maxLifetimeMs: number | null;
  /** Which idle environment serves a request: most or least recently used. */
  reuse: 'mru' | 'lru';
  errors: {
    /** Probability that an invocation fails with a function error, outside any window. */
    rate: number;
    windows: ErrorWindow[];
  };
}

/**
 * The concurrency scaling rule (lambda-facts §1, §9). Both are modelled as a
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
  /** Account concurrency quota (lambda-facts §1; default 1000). */
  concurrencyLimit: number;
  /** Units always left unreserved (100, lambda-facts §1). */
  unreservedMinimum: number;
  /** Invocation requests per second are capped at this × concurrencyLimit (10, lambda-facts §1). */
  requestRateFactor: number;
  region: string;
  scaling: ScalingSpec;
}

export interface BillingSpec {
  /** Billed duration is rounded up to a multiple of this (1 ms since 2020-12-01; 100 ms before). */
  granularityMs: number;
  /** Whether the init phase of on-demand cold starts is billed (billed since 2025-08-01). */
  initBilling: 'billed-2025' | 'unbilled-zip-managed-legacy';
}

/** Client (SDK) retry policy for synchronous invocations (lambda-facts §3). */
export interface ClientSpec {
  retryMode: 'none' | 'standard';
  /** Including the first attempt (3 for standard). */
  maxAttempts: number;
  /** Backoff before retry i (1-based) is min(u × baseDelayMs × 2^(i−1), maxBackoffMs), u ~ U[0,1). */
  baseDelayMs: number;
  maxBackoffMs: number;
  /** The client gives up on an attempt after this long (the function keeps running); null = waits forever. */
  timeoutMs: number | null;
}

export interface WorkloadSpec {
  /** Unique; names the random streams (default: `<function>-<invoke>`). */
  name: string;
  functionName: string;
  invoke: 'sync';
  arrivals: ArrivalSegment[];
  client: ClientSpec;
}

export interface ReportSpec {
  /** Resolution of the time series; chosen from the duration when the file gives none. */
  intervalMs: number;
}

export interface Scenario {
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
  workloads: WorkloadSpec[];
  report: ReportSpec;
}
