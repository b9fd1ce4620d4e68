/**
 * The Lambda cost calculator (docs/billing.md), shared by the simulation
 * (`costOf` on measured usage) and `lsim price` (`priceDirect` on averages).
 *
 * Dollars are unrounded floats everywhere; `usd()` rounds to cents for display
 * only, so nothing accumulates rounded values.
 *
 * Account-level rules and how they are split over functions, deterministically:
 * - Duration tiers apply to the account's monthly on-demand GB-s per
 *   architecture; each function pays its architecture's tiered total in
 *   proportion to its chargeable GB-s (so it pays the blended rate).
 * - The free tier (requests, on-demand GB-s shared by both architectures, and
 *   optionally streaming GB) goes to eligible functions in proportion to their
 *   share of the eligible account total, and comes off before the tiers.
 * So the per-function lines add up to the account lines.
 */
import { UserError, type Problem } from '../errors.js';
import { priceBookProblems, type Architecture, type PriceBook } from './pricebook.js';
import {
  BILLING_RULES,
  GRANULARITY_PRESETS,
  billedDurationMs,
  gbSeconds,
  pcBilledSeconds,
  presetOn,
  snapStartCacheBilledMs,
  tierBands,
  type TierBand,
} from './rules.js';

/** What one function used over a window. Durations are sums over its invocations. */
export interface FunctionUsage {
  name: string;
  architecture: Architecture;
  memoryMb: number;
  ephemeralStorageMb: number;
  /** Invocations (billed requests; throttled requests are not billed, docs/sources.md §7). */
  requests: number;
  /** Extra requests billed for async payloads above 256 KB: Σ (asyncBilledRequests(bytes) − 1). */
  asyncExtraRequestChunks?: number;
  /** Σ billed duration (each invocation already rounded up to the granularity) on on-demand environments. */
  billedOnDemandMs: number;
  /** Σ unrounded duration of the same invocations (for the rounding share). */
  actualOnDemandMs: number;
  /** Σ billed duration of invocations served by provisioned environments. */
  billedProvisionedMs: number;
  actualProvisionedMs: number;
  /** Provisioned concurrency configured (environments); 0 = none. */
  provisionedConcurrency: number;
  /** How long it was enabled, unrounded; billed as one period rounded up to 5 minutes (after any monthly scaling). */
  provisionedEnabledMs: number;
  /**
   * For provisioned concurrency that changes over time (schedules, auto scaling):
   * ∫ configured PC dt in environment-ms. When given it replaces
   * provisionedConcurrency × provisionedEnabledMs and is billed as is, without the
   * 5-minute rounding (AWS does not say how rounding applies across changes).
   */
  provisionedEnvMs?: number;
  /** Σ over streamed responses of the bytes beyond the free first MB of each (`chargeableStreamedBytes`). */
  streamedChargeableBytes?: number;
  /** Billed event-poller-unit seconds of SQS provisioned mode (`epuBilledSeconds` per EPU and period, summed). */
  sqsPollerEpuSeconds?: number;
  /** Billed event-poller-unit seconds of Kafka provisioned mode. */
  kafkaPollerEpuSeconds?: number;
  /** How long a SnapStart version was active, unrounded; billed as one period (3 h minimum, after scaling). */
  snapStartActiveMs?: number;
  /** SnapStart restores (each restores the function's memory size). */
  snapStartRestores?: number;
}

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
}

export interface CostOptions {
  /** The length of the window the usage was measured over (> 0). */
  windowMs: number;
  /**
   * true: scale the usage to a 30-day month (× monthMs / windowMs) before the
   * free tier, tiers, 5-minute and 3-hour roundings; figures are per month.
   * false: the window is priced as if it were the whole billing month.
   */
  monthly: boolean;
  freeTier: FreeTierOptions;
}

export type LineItem =
  | 'requests'
  | 'duration'
  | 'provisionedConcurrency'
  | 'provisionedDuration'
  | 'ephemeralStorage'
  | 'streaming'
  | 'pollers'
  | 'snapStart';

/** Unrounded USD per line item. */
export type CostLines = Record<LineItem, number>;

/** The priced quantities of one function, after monthly scaling. */
export interface UsageQuantities {
  invocations: number;
  /** Invocations plus async extra chunks. */
  billedRequests: number;
  freeRequests: number;
  /** On-demand billed GB-s. */
  durationGbS: number;
  freeGbS: number;
  /** Provisioned concurrency configured: environments × GB × billed seconds enabled. */
  provisionedGbS: number;
  /** Billed GB-s of invocations on provisioned environments. */
  provisionedDurationGbS: number;
  ephemeralStorageGbS: number;
  streamedGb: number;
  freeStreamedGb: number;
  sqsEpuHours: number;
  kafkaEpuHours: number;
  snapStartCacheGbS: number;
  snapStartRestoredGb: number;
}

/** The part of the duration and provisioned-duration cost caused by rounding each invocation up. */
export interface RoundingCost {
  /** (billed − actual) / billed GB-s, on-demand and provisioned together; 0 with nothing billed. */
  share: number;
  /** Σ over the two duration lines of line × its own (billed − actual) / billed. */
  usd: number;
}

export interface FunctionCost {
  name: string;
  architecture: Architecture;
  /** Whether the request and compute free tier could apply (see `FreeTierOptions.provisionedFunctions`). */
  freeTierEligible: boolean;
  quantities: UsageQuantities;
  lines: CostLines;
  totalUsd: number;
  /** totalUsd per million invocations; null without invocations. */
  usdPerMillionInvocations: number | null;
  rounding: RoundingCost;
}

export interface CostReport {
  priceBook: { name: string; effectiveDate: string; region: string; computeSavingsPlanPercent: number };
  monthly: boolean;
  /** What the dollar figures cover: a 30-day month when monthly, otherwise the window. */
  periodMs: number;
  /** Factor applied to the window's usage (1 when not monthly). */
  scale: number;
  functions: FunctionCost[];
  /** Sums of the function lines. */
  lines: CostLines;
  totalUsd: number;
  invocations: number;
  usdPerMillionInvocations: number | null;
  rounding: RoundingCost;
  /** The account's chargeable on-demand GB-s per architecture split over the price tiers (before any discount). */
  durationTiers: Partial<Record<Architecture, TierBand[]>>;
  freeTierUsed: { requests: number; gbSeconds: number; streamedGb: number };
}

/** Input of `priceDirect`: monthly averages, as on AWS's pricing page. */
export interface DirectPriceInput {
  /** Defaults to 'function'. */
  name?: string;
  /** All requests, on-demand and provisioned. */
  requestsPerMonth: number;
  /** Average duration of the on-demand requests; each is rounded up to the granularity. */
  averageDurationMs: number;
  memoryMb: number;
  architecture: Architecture;
  /** Default 512 (free). */
  ephemeralStorageMb?: number;
  /** Default: the granularity in force at the price book's effective date (1 ms, or 100 ms for the legacy book). */
  granularityMs?: number;
  provisionedConcurrency?: number;
  /** Hours provisioned concurrency is enabled in the month (one period, rounded up to 5 minutes). */
  provisionedHours?: number;
  /** The part of requestsPerMonth served by provisioned environments. */
  requestsOnProvisioned?: number;
  /** Default: averageDurationMs. */
  averageDurationOnProvisionedMs?: number;
  /** GB (GiB) streamed beyond the free first 6 MB of each response, before the monthly free 100 GB. */
  streamedGbChargeable?: number;
  freeTier: FreeTierOptions;
}

const LINE_ITEMS: readonly LineItem[] = [
  'requests',
  'duration',
  'provisionedConcurrency',
  'provisionedDuration',
  'ephemeralStorage',
  'streaming',
  'pollers',
  'snapStart',
];

const BYTES_PER_GB = 2 ** 30;
const MS_PER_HOUR = 3_600_000;

/** Rounds a dollar amount to cents, for presentation only. */
export function usd(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/**
 * Prices the usage of a set of functions (one account, one Region) over a
 * window. Throws a UserError for invalid usage, options or price book.
 */
export function costOf(usages: readonly FunctionUsage[], book: PriceBook, options: CostOptions): CostReport {
  const problems = [...priceBookProblems(book), ...optionProblems(options), ...usages.flatMap((u, i) => usageProblems(u, i, book))];
  if (problems.length > 0) throw new UserError(problems);

  const scale = options.monthly ? BILLING_RULES.monthMs / options.windowMs : 1;
  const free = options.freeTier;
  const quantities = usages.map((u) => measure(u, book, scale));
  const eligible = usages.map((u) => free.provisionedFunctions === true || !hasProvisionedConcurrency(u));

  // Free allowances, split in proportion to each eligible function's share.
  const freeRequests = allocate(
    free.requests ? book.freeTier.requestsPerMonth : 0,
    quantities.map((q, i) => (eligible[i] ? q.billedRequests : 0)),
  );
  const freeGbS = allocate(
    free.compute ? book.freeTier.gbSecondsPerMonth : 0,
    quantities.map((q, i) => (eligible[i] ? q.durationGbS : 0)),
  );
  const freeStreamedGb = allocate(
    free.streaming === true ? book.streaming.freeGbPerMonth : 0,
    quantities.map((q) => q.streamedGb),
  );
  quantities.forEach((q, i) => {
    q.freeRequests = freeRequests[i];
    q.freeGbS = freeGbS[i];
    q.freeStreamedGb = freeStreamedGb[i];
  });

  // Duration tiers per architecture, on the account's chargeable GB-s.
  const durationTiers: Partial<Record<Architecture, TierBand[]>> = {};
  const chargeableByArch = new Map<Architecture, number>();
  usages.forEach((u, i) => {
    const q = quantities[i];
    chargeableByArch.set(u.architecture, (chargeableByArch.get(u.architecture) ?? 0) + q.durationGbS - q.freeGbS);
  });
  const blendedRate = new Map<Architecture, number>();
  for (const [arch, chargeable] of chargeableByArch) {
    const bands = tierBands(Math.max(0, chargeable), book.architectures[arch]!.durationTiers);
    durationTiers[arch] = bands;
    const cost = bands.reduce((sum, b) => sum + b.usd, 0);
    blendedRate.set(arch, chargeable > 0 ? cost / chargeable : 0);
  }

  const computeFactor = 1 - book.discount.computeSavingsPlanPercent / 100;
  const functions: FunctionCost[] = usages.map((u, i) => {
    const q = quantities[i];
    const prices = book.architectures[u.architecture]!;
    const lines: CostLines = {
      requests: ((q.billedRequests - q.freeRequests) * book.requestUsdPerMillion) / 1e6,
      duration: (q.durationGbS - q.freeGbS) * blendedRate.get(u.architecture)! * computeFactor,
      provisionedConcurrency: q.provisionedGbS * prices.provisionedUsdPerGbS * computeFactor,
      provisionedDuration: q.provisionedDurationGbS * prices.provisionedDurationUsdPerGbS * computeFactor,
      ephemeralStorage: q.ephemeralStorageGbS * book.ephemeralStorage.usdPerGbS,
      streaming: (q.streamedGb - q.freeStreamedGb) * book.streaming.usdPerGb,
      pollers: q.sqsEpuHours * book.eventPollers.sqsUsdPerEpuHour + q.kafkaEpuHours * book.eventPollers.kafkaUsdPerEpuHour,
      snapStart: q.snapStartCacheGbS * book.snapStart.cacheUsdPerGbS + q.snapStartRestoredGb * book.snapStart.restoreUsdPerGb,
    };
    const totalUsd = sumLines(lines);
    const odShare = roundingShare(u.billedOnDemandMs, u.actualOnDemandMs);
    const pcShare = roundingShare(u.billedProvisionedMs, u.actualProvisionedMs);
    return {
      name: u.name,
      architecture: u.architecture,
      freeTierEligible: eligible[i],
      quantities: q,
      lines,
      totalUsd,
      usdPerMillionInvocations: perMillion(totalUsd, q.invocations),
      rounding: {
        share: roundingShare(u.billedOnDemandMs + u.billedProvisionedMs, u.actualOnDemandMs + u.actualProvisionedMs),
        usd: lines.duration * odShare + lines.provisionedDuration * pcShare,
      },
    };
  });

  const lines = Object.fromEntries(
    LINE_ITEMS.map((item) => [item, functions.reduce((sum, f) => sum + f.lines[item], 0)]),
  ) as CostLines;
  const totalUsd = sumLines(lines);
  const invocations = quantities.reduce((sum, q) => sum + q.invocations, 0);
  const billedGbS = usages.reduce(
    (sum, u) => sum + gbSeconds(u.memoryMb, u.billedOnDemandMs + u.billedProvisionedMs),
    0,
  );
  const actualGbS = usages.reduce(
    (sum, u) => sum + gbSeconds(u.memoryMb, u.actualOnDemandMs + u.actualProvisionedMs),
    0,
  );
  return {
    priceBook: {
      name: book.name,
      effectiveDate: book.effectiveDate,
      region: book.region,
      computeSavingsPlanPercent: book.discount.computeSavingsPlanPercent,
    },
    monthly: options.monthly,
    periodMs: options.monthly ? BILLING_RULES.monthMs : options.windowMs,
    scale,
    functions,
    lines,
    totalUsd,
    invocations,
    usdPerMillionInvocations: perMillion(totalUsd, invocations),
    rounding: {
      share: roundingShare(billedGbS, actualGbS),
      usd: functions.reduce((sum, f) => sum + f.rounding.usd, 0),
    },
    durationTiers,
    freeTierUsed: {
      requests: freeRequests.reduce((a, b) => a + b, 0),
      gbSeconds: freeGbS.reduce((a, b) => a + b, 0),
      streamedGb: freeStreamedGb.reduce((a, b) => a + b, 0),
    },
  };
}

/**
 * Prices one function from monthly averages, as AWS's pricing examples do:
 * each request's average duration is rounded up to the granularity. The oracle
 * for `lsim price`. Throws a UserError for invalid input.
 */
export function priceDirect(input: DirectPriceInput, book: PriceBook): CostReport {
  const problems: Problem[] = [];
  const numbers: Array<[string, number | undefined]> = [
    ['requestsPerMonth', input.requestsPerMonth],
    ['averageDurationMs', input.averageDurationMs],
    ['ephemeralStorageMb', input.ephemeralStorageMb],
    ['granularityMs', input.granularityMs],
    ['provisionedConcurrency', input.provisionedConcurrency],
    ['provisionedHours', input.provisionedHours],
    ['requestsOnProvisioned', input.requestsOnProvisioned],
    ['averageDurationOnProvisionedMs', input.averageDurationOnProvisionedMs],
    ['streamedGbChargeable', input.streamedGbChargeable],
  ];
  for (const [path, value] of numbers) {
    if (value !== undefined) checkNonNegative(problems, path, value);
  }
  if (!(input.memoryMb > 0)) problems.push({ path: 'memoryMb', message: `must be positive, got ${input.memoryMb}` });
  if (input.granularityMs !== undefined && !(input.granularityMs > 0)) {
    problems.push({ path: 'granularityMs', message: `must be positive, got ${input.granularityMs}` });
  }
  const onProvisioned = input.requestsOnProvisioned ?? 0;
  const pc = input.provisionedConcurrency ?? 0;
  if (onProvisioned > input.requestsPerMonth) {
    problems.push({ path: 'requestsOnProvisioned', message: `exceeds requestsPerMonth (${input.requestsPerMonth})` });
  }
  if (onProvisioned > 0 && pc === 0) {
    problems.push({ path: 'requestsOnProvisioned', message: 'needs provisionedConcurrency > 0' });
  }
  if (problems.length > 0) throw new UserError(problems);

  const granularityMs =
    input.granularityMs ?? GRANULARITY_PRESETS[presetOn(GRANULARITY_PRESETS, book.effectiveDate)].granularityMs;
  const onDemand = input.requestsPerMonth - onProvisioned;
  const provisionedMs = input.averageDurationOnProvisionedMs ?? input.averageDurationMs;
  const usage: FunctionUsage = {
    name: input.name ?? 'function',
    architecture: input.architecture,
    memoryMb: input.memoryMb,
    ephemeralStorageMb: input.ephemeralStorageMb ?? book.ephemeralStorage.freeMb,
    requests: input.requestsPerMonth,
    billedOnDemandMs: onDemand * billedDurationMs(input.averageDurationMs, granularityMs),
    actualOnDemandMs: onDemand * input.averageDurationMs,
    billedProvisionedMs: onProvisioned * billedDurationMs(provisionedMs, granularityMs),
    actualProvisionedMs: onProvisioned * provisionedMs,
    provisionedConcurrency: pc,
    provisionedEnabledMs: (input.provisionedHours ?? 0) * MS_PER_HOUR,
    streamedChargeableBytes: (input.streamedGbChargeable ?? 0) * BYTES_PER_GB,
  };
  return costOf([usage], book, { windowMs: BILLING_RULES.monthMs, monthly: true, freeTier: input.freeTier });
}

/** The function's priced quantities after scaling; free amounts are filled in by the caller. */
function measure(u: FunctionUsage, book: PriceBook, scale: number): UsageQuantities {
  const gb = u.memoryMb / BILLING_RULES.mbPerGb;
  const extraStorageMb = Math.max(0, u.ephemeralStorageMb - book.ephemeralStorage.freeMb);
  const pcSeconds = u.provisionedConcurrency > 0 ? pcBilledSeconds(u.provisionedEnabledMs * scale) : 0;
  return {
    invocations: u.requests * scale,
    billedRequests: (u.requests + (u.asyncExtraRequestChunks ?? 0)) * scale,
    freeRequests: 0,
    durationGbS: gbSeconds(u.memoryMb, u.billedOnDemandMs * scale),
    freeGbS: 0,
    provisionedGbS: u.provisionedEnvMs !== undefined ? (gb * u.provisionedEnvMs * scale) / 1000 : u.provisionedConcurrency * gb * pcSeconds,
    provisionedDurationGbS: gbSeconds(u.memoryMb, u.billedProvisionedMs * scale),
    ephemeralStorageGbS: gbSeconds(extraStorageMb, (u.billedOnDemandMs + u.billedProvisionedMs) * scale),
    streamedGb: ((u.streamedChargeableBytes ?? 0) * scale) / BYTES_PER_GB,
    freeStreamedGb: 0,
    sqsEpuHours: ((u.sqsPollerEpuSeconds ?? 0) * scale) / 3600,
    kafkaEpuHours: ((u.kafkaPollerEpuSeconds ?? 0) * scale) / 3600,
    snapStartCacheGbS: gbSeconds(u.memoryMb, snapStartCacheBilledMs((u.snapStartActiveMs ?? 0) * scale)),
    snapStartRestoredGb: (u.snapStartRestores ?? 0) * scale * gb,
  };
}

function hasProvisionedConcurrency(u: FunctionUsage): boolean {
  return u.provisionedConcurrency > 0 || u.billedProvisionedMs > 0;
}

/** Splits min(pool, Σ demands) over the demands in proportion to each. */
function allocate(pool: number, demands: readonly number[]): number[] {
  const total = demands.reduce((a, b) => a + b, 0);
  if (total === 0) return demands.map(() => 0);
  const used = Math.min(pool, total);
  return demands.map((d) => (used * d) / total);
}

function roundingShare(billed: number, actual: number): number {
  return billed > 0 ? (billed - actual) / billed : 0;
}

function perMillion(totalUsd: number, invocations: number): number | null {
  return invocations > 0 ? (totalUsd / invocations) * 1e6 : null;
}

function sumLines(lines: CostLines): number {
  return LINE_ITEMS.reduce((sum, item) => sum + lines[item], 0);
}

function optionProblems(options: CostOptions): Problem[] {
  const problems: Problem[] = [];
  if (!(options.windowMs > 0) || !Number.isFinite(options.windowMs)) {
    problems.push({ path: 'windowMs', message: `must be a positive number of ms, got ${options.windowMs}` });
  }
  return problems;
}

function usageProblems(u: FunctionUsage, index: number, book: PriceBook): Problem[] {
  const problems: Problem[] = [];
  const at = `usage[${index}] (${u.name})`;
  if (book.architectures[u.architecture] === undefined) {
    problems.push({ path: `${at}.architecture`, message: `${u.architecture} is not priced by ${book.name}` });
  }
  if (!(u.memoryMb > 0)) problems.push({ path: `${at}.memoryMb`, message: `must be positive, got ${u.memoryMb}` });
  const numbers: Array<[string, number | undefined]> = [
    ['ephemeralStorageMb', u.ephemeralStorageMb],
    ['requests', u.requests],
    ['asyncExtraRequestChunks', u.asyncExtraRequestChunks],
    ['billedOnDemandMs', u.billedOnDemandMs],
    ['actualOnDemandMs', u.actualOnDemandMs],
    ['billedProvisionedMs', u.billedProvisionedMs],
    ['actualProvisionedMs', u.actualProvisionedMs],
    ['provisionedConcurrency', u.provisionedConcurrency],
    ['provisionedEnabledMs', u.provisionedEnabledMs],
    ['provisionedEnvMs', u.provisionedEnvMs],
    ['streamedChargeableBytes', u.streamedChargeableBytes],
    ['sqsPollerEpuSeconds', u.sqsPollerEpuSeconds],
    ['kafkaPollerEpuSeconds', u.kafkaPollerEpuSeconds],
    ['snapStartActiveMs', u.snapStartActiveMs],
    ['snapStartRestores', u.snapStartRestores],
  ];
  for (const [key, value] of numbers) {
    if (value !== undefined) checkNonNegative(problems, `${at}.${key}`, value);
  }
  const tolerance = (x: number) => 1e-9 * Math.max(1, x);
  if (u.actualOnDemandMs - u.billedOnDemandMs > tolerance(u.billedOnDemandMs)) {
    problems.push({ path: `${at}.billedOnDemandMs`, message: 'is below actualOnDemandMs: billed duration is rounded up' });
  }
  if (u.actualProvisionedMs - u.billedProvisionedMs > tolerance(u.billedProvisionedMs)) {
    problems.push({ path: `${at}.billedProvisionedMs`, message: 'is below actualProvisionedMs: billed duration is rounded up' });
  }
  return problems;
}

function checkNonNegative(problems: Problem[], path: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) problems.push({ path, message: `must be a finite non-negative number, got ${value}` });
}
