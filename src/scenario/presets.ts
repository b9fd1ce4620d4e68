/**
 * Named presets and the defaults of the scenario format, each citing the
 * section of docs/sources.md it follows.
 */
import type { DistributionSpec, KeepAliveSpec } from './types.js';

/** Standard normal quantile of 0.975: the upper end of a central 95% range. */
export const Z_975 = 1.959964;
/** Standard normal quantile of 0.99. */
export const Z_99 = 2.326348;

/**
 * A lognormal whose median is `medianMs` and whose quantile at standard-normal
 * score `z` is `upperMs`: mu = ln(median), sigma = ln(upper / median) / z.
 */
export function lognormalFromQuantile(medianMs: number, upperMs: number, z: number): Extract<DistributionSpec, { kind: 'lognormal' }> {
  return { kind: 'lognormal', mu: Math.log(medianMs), sigma: Math.log(upperMs / medianMs) / z };
}

/** A lognormal with the given mean and log-space sigma: mu = ln(mean) − sigma²/2. */
export function lognormalFromMean(meanMs: number, sigma: number): Extract<DistributionSpec, { kind: 'lognormal' }> {
  return { kind: 'lognormal', mu: Math.log(meanMs) - (sigma * sigma) / 2, sigma };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Idle-reclaim (keep-alive) presets, docs/sources.md §2 "Reuse, idle reclaim and lifetime" and §11 `idleReclaimPolicy`. */
export const keepAlivePresets: Readonly<Record<string, KeepAliveSpec>> = {
  // docs/sources.md §2: Shilkov, from July 2019 every instance lived exactly 10 min after its last request.
  'fixed-10min-2019': { kind: 'fixed', ms: 10 * MINUTE_MS },
  // docs/sources.md §2: before mid-2017 an idle function got a cold start after about 5 min (Cui).
  'legacy-5min-2016': { kind: 'fixed', ms: 5 * MINUTE_MS },
  // docs/sources.md §2: Wang et al. 2018 (2017 measurements), maximum idle time about 27 min.
  'wang-27min-2017': { kind: 'fixed', ms: 27 * MINUTE_MS },
  // docs/sources.md §2: Shilkov, until June 2019 an idle instance usually lived 25–60 min.
  'random-25-60min-2019': {
    kind: 'distribution',
    dist: { kind: 'uniform', minMs: 25 * MINUTE_MS, maxMs: 60 * MINUTE_MS },
  },
  // docs/sources.md §2: Shilkov's 2021 data, the cumulative chance of a cold start after X idle minutes
  // (0 up to 3 min, 0.3% at 4 and 5 min, 40.6% at 6 min, 100% at 7 min), linear between the measured points.
  'shilkov-5-7min-2021': {
    kind: 'distribution',
    dist: {
      kind: 'cdf',
      pointsMs: [3, 4, 5, 6, 7].map((m) => m * MINUTE_MS),
      cumulative: [0, 0.003, 0.003, 0.406, 1],
    },
  },
};

/**
 * Cold-start (init) duration presets by runtime: Shilkov 2021-01 hello-world
 * medians and 95% ranges in seconds (docs/sources.md §2 "Cold-start durations"),
 * as lognormals through the median and the upper end of the range (the 97.5th
 * percentile).
 */
const INIT_MEDIAN_AND_UPPER_S: Readonly<Record<string, [median: number, upper: number]>> = {
  nodejs: [0.26, 0.6],
  python: [0.22, 0.53],
  go: [0.31, 0.66],
  java: [0.37, 0.69],
  ruby: [0.28, 0.6],
  dotnet: [0.52, 0.83], // C# at ≥ 2 GB
  container: [0.79, 1.4], // container image (Node)
};

/** Init-duration distributions by runtime preset name (docs/sources.md §2). */
export const initPresets: Readonly<Record<string, DistributionSpec>> = Object.fromEntries(
  Object.entries(INIT_MEDIAN_AND_UPPER_S).map(([runtime, [median, upper]]) => [
    runtime,
    lognormalFromQuantile(median * 1000, upper * 1000, Z_975),
  ]),
);

/** Legacy (pre-2023-11-26) account-wide scaling burst by Region (docs/sources.md §1 "Scaling rate: legacy rule"). */
export function legacyBurstForRegion(region: string): number {
  // docs/sources.md §1: 3,000 in us-west-2, us-east-1 and eu-west-1.
  if (['us-west-2', 'us-east-1', 'eu-west-1'].includes(region)) return 3000;
  // docs/sources.md §1: 1,000 in ap-northeast-1, eu-central-1 and us-east-2.
  if (['ap-northeast-1', 'eu-central-1', 'us-east-2'].includes(region)) return 1000;
  // docs/sources.md §1: 500 elsewhere.
  return 500;
}

/** The PC allocation rules (docs/sources.md §9 "PC allocation", §11 `pcAllocationModel`). */
export const pcAllocationModels = ['6000-per-min', 'legacy-burst-500'] as const;

/** Legacy PC allocation: after the Region's burst, 500 environments per minute, shared by the Region (docs/sources.md §1, §9). */
export const LEGACY_PC_ALLOCATION_PER_MIN = 500;

/** The longest a provisioned environment's init may run: 130 s or the function timeout, whichever is larger (docs/sources.md §2). */
export function pcInitLimitMs(timeoutMs: number): number {
  return Math.max(130_000, timeoutMs);
}

/**
 * The longest shutdown phase by a function's extensions (docs/sources.md §2 "Phases", §11 `extensionsMode`):
 * none 0 ms, internal only 500 ms, external 2,000 ms. The last extension's shutdown time is billed (§7).
 */
export const SHUTDOWN_LIMIT_MS = { none: 0, internal: 500, external: 2000 } as const;
export type ExtensionsMode = keyof typeof SHUTDOWN_LIMIT_MS;

/** The scaling models (docs/sources.md §1, §9, §11 `scalingModel`). */
export const scalingModels = ['per-function-2023', 'regional-burst-legacy'] as const;

/** Every default of the scenario format that does not depend on other keys. */
export const scenarioDefaults = {
  // The seed when the file gives none (`Scenario.seed` is its string form).
  seed: '1',
  warmupMs: 0,
  description: '',
  account: {
    // docs/sources.md §1: the default account concurrency quota is 1,000 per Region.
    concurrencyLimit: 1000,
    // docs/sources.md §1: Lambda always leaves 100 units unreserved.
    unreservedMinimum: 100,
    // docs/sources.md §1: invocations per second are capped at 10 × the concurrency quota.
    requestRateFactor: 10,
    // docs/sources.md §1: a function with reserved concurrency is capped at 10 × it in requests per second
    // (function URLs docs; ReservedFunctionInvocationRateLimitExceeded), an alias with PC at 10 × the PC allocated.
    functionRequestRateFactor: 10,
    // docs/sources.md §11 `region`: default us-east-1; it selects the price book (§7 "Prices by Region").
    region: 'us-east-1',
    // docs/sources.md §1, §11 `scalingModel`: the current rule since 2023-11-26.
    scalingModel: 'per-function-2023' as const,
    // docs/sources.md §9 "PC allocation", §11 `pcAllocationModel`: the current rule.
    pcAllocation: '6000-per-min' as const,
  },
  perFunctionScaling: {
    // docs/sources.md §1 "Scaling rate: current rule": 1,000 environments every 10 s, topped up continuously.
    stepEnvs: 1000,
    windowMs: 10_000,
    refill: 'continuous' as const,
  },
  // docs/sources.md §1 "Scaling rate: legacy rule": after the burst, +500 environments per minute.
  legacyRatePerMin: 500,
  function: {
    // docs/sources.md §7, §11 `memoryMb`: default 128 MB.
    memoryMb: 128,
    // docs/sources.md §11 `architecture`: default x86_64.
    architecture: 'x86_64' as const,
    // docs/sources.md §3: timeout default 3 s.
    timeoutMs: 3_000,
    // docs/sources.md §8, §11 `ephemeralStorageMb`: default 512 MB.
    ephemeralStorageMb: 512,
    // docs/sources.md §11 `provisionedConcurrency`: default 0.
    provisionedConcurrency: 0,
    // docs/sources.md §2, §11 `initDurationDist`: the Node.js preset (median 260 ms).
    initPreset: 'nodejs',
    // docs/sources.md §11 `idleReclaimPolicy`: default fixed-10min-2019.
    keepAlivePreset: 'fixed-10min-2019',
    // docs/sources.md §2 "Reuse, idle reclaim and lifetime", §11 `maxEnvLifetimeH`: AWS publishes no number
    // ("every few hours"); busy environments were measured ending about every 2 h (Xebia), 4 h after the host
    // started (Cui 2017) and after a median 6.2 h ([WANG18]), so each lifetime is drawn uniform on 2–6 h.
    maxLifetime: { kind: 'uniform', minMs: 2 * HOUR_MS, maxMs: 6 * HOUR_MS },
    // docs/sources.md §2 (Stuyvenberg 2023): proactive inits waited from about 12 s to about 6 min for their
    // first request, so Lambda replaces an environment still used within the last 6 minutes (an assumption).
    proactiveReplacementMs: 6 * MINUTE_MS,
    // docs/sources.md §1, §11 `pcRecycleIntervalH`: AWS re-initializes PC environments "every few hours";
    // 4 h is the assumption of §11 (range 2–8 h).
    provisionedRecycleMs: 4 * HOUR_MS,
    // docs/sources.md §7 "Architecture and speed": the same speed on both architectures unless measured
    // (AWS: Graviton2 "up to 19 percent better performance", workload-dependent).
    arm64Speed: 1,
    measuredOn: 'x86_64' as const,
    // Most recently used first, so idle environments beyond the needed pool age out.
    reuse: 'mru' as const,
    errorRate: 0,
  },
  client: {
    // docs/sources.md §3, §11 `clientRetryMode`: standard.
    retryMode: 'standard' as const,
    // docs/sources.md §3, §11 `clientMaxAttempts`: 3 including the first (standard, adaptive).
    maxAttempts: 3,
    // docs/sources.md §3: botocore's legacy mode makes 5 attempts.
    legacyMaxAttempts: 5,
    // docs/sources.md §3 and §10 item 11: botocore's standard base delay, 1 s.
    baseDelayMs: 1_000,
    // docs/sources.md §3 [SDK-2026]: 50 ms base for transient (non-throttling) errors in the 2026 behaviour.
    transientBaseDelay2026Ms: 50,
    // docs/sources.md §3, §11 `clientMaxBackoffS`: 20 s cap.
    maxBackoffMs: 20_000,
    // docs/sources.md §11 `clientTimeoutS`: 60 s.
    timeoutMs: 60_000,
    // Assumption: one SDK client (one caller process) per workload; AWS cannot know how many callers a user has.
    clients: 1,
    // docs/sources.md §3, §11 `clientRetryQuotaTokens`: 500 tokens per client (standard, standard-2026, adaptive).
    retryQuota: 500,
  },
  diurnal: {
    periodMs: 24 * 3_600_000,
    peakAtMs: 0,
  },
  // Report interval candidates, smallest first: the default is the first giving ≤ 720 intervals.
  reportIntervalsMs: [1, 5, 10, 30, 60, 300, 600, 1_800, 3_600, 21_600, 86_400].map((s) => s * 1000),
  reportMaxDefaultIntervals: 720,
  // An explicit report interval may give at most this many intervals.
  reportMaxIntervals: 100_000,
} as const;
