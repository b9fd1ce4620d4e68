/**
 * The Lambda cost calculator (docs/billing.md), shared by the simulation
 * (`costOf` on measured usage composed into a month) and `lsim price`
 * (`priceDirect` on averages).
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
import type { FreeTierOptions } from '../scenario/types.js';
import { UserError, type Problem } from '../errors.js';
import {
  LINE_ITEMS,
  missingPriceMessage,
  missingPrices,
  priceBookProblems,
  type Architecture,
  type LineItem,
  type PriceBook,
} from './pricebook.js';
import {
  ASYNC_PAYLOAD_PRESETS,
  BILLING_RULES,
  GRANULARITY_PRESETS,
  asyncBilledRequests,
  asyncPayloadProblem,
  billedDurationMs,
  gbSeconds,
  pcBilledSeconds,
  presetOn,
  snapStartCacheBilledMs,
  tierBands,
  type TierBand,
} from './rules.js';
import { DAY_MS, DEFAULT_MONTH_DAYS } from './month.js';

export type { LineItem } from './pricebook.js';

/** What one function used over a period (a window, or a month). Durations are sums over its invocations. */
export interface FunctionUsage {
  name: string;
  architecture: Architecture;
  memoryMb: number;
  ephemeralStorageMb: number;
  /** A Lambda@Edge function: requests and duration at the Edge prices, without free tier or tiers. */
  edge?: boolean;
  /** Invocations (billed requests; throttled requests are not billed, docs/sources.md §7). */
  requests: number;
  /** Extra requests billed for async payloads above 256 KB: Σ (asyncBilledRequests(bytes) − 1). */
  asyncExtraRequestChunks?: number;
  /** Σ billed duration (each invocation already rounded up to the granularity) on on-demand environments. */
  billedOnDemandMs: number;
  /** Σ unrounded duration of the same invocations (for the rounding share). */
  actualOnDemandMs: number;
  /** Σ billed duration on provisioned environments: invocations, and the init of PC allocations and recycles. */
  billedProvisionedMs: number;
  actualProvisionedMs: number;
  /** Provisioned concurrency configured (environments); 0 = none. */
  provisionedConcurrency: number;
  /** How long static provisioned concurrency was enabled, unrounded; billed as one period rounded up to 5 minutes. */
  provisionedEnabledMs: number;
  /**
   * For provisioned concurrency that changes over time (schedules, auto scaling):
   * ∫ configured PC dt in environment-ms, each enable period that ended already
   * rounded up to 5 minutes (src/platform/platform.ts). When given it replaces
   * provisionedConcurrency × provisionedEnabledMs and is billed as is.
   */
  provisionedEnvMs?: number;
  /** Σ over streamed responses of the bytes beyond the free first MB of each (`chargeableStreamedBytes`). */
  streamedChargeableBytes?: number;
  /** Billed event-poller-unit seconds of SQS provisioned mode (`epuBilledSeconds` per EPU and period, summed). */
  sqsPollerEpuSeconds?: number;
  /** Billed event-poller-unit seconds of Kafka provisioned mode. */
  kafkaPollerEpuSeconds?: number;
  /** How long a SnapStart version was active, unrounded; billed as one period (3 h minimum). */
  snapStartActiveMs?: number;
  /** SnapStart restores (each restores the function's memory size). */
  snapStartRestores?: number;
  /** New execution environments of a tenant-isolated function (each priced per GB of memory). */
  tenantEnvironments?: number;
}

/** The quantities of a usage that add up over time (composeUsage sums them). */
const SUMMED = [
  'requests',
  'asyncExtraRequestChunks',
  'billedOnDemandMs',
  'actualOnDemandMs',
  'billedProvisionedMs',
  'actualProvisionedMs',
  'provisionedEnabledMs',
  'provisionedEnvMs',
  'streamedChargeableBytes',
  'sqsPollerEpuSeconds',
  'kafkaPollerEpuSeconds',
  'snapStartActiveMs',
  'snapStartRestores',
  'tenantEnvironments',
] as const satisfies readonly (keyof FunctionUsage)[];

/**
 * One function's usage over a month made of parts: Σ weight × the part's
 * quantities (a part of the window that happens 62 times a month has weight
 * 62). The parts describe the same function; an optional quantity stays
 * absent unless a part has it.
 */
export function composeUsage(parts: readonly { usage: FunctionUsage; weight: number }[]): FunctionUsage {
  if (parts.length === 0) throw new RangeError('composeUsage needs at least one part');
  const out: FunctionUsage = { ...parts[0].usage };
  for (const key of SUMMED) {
    if (parts.every((p) => p.usage[key] === undefined)) continue;
    out[key] = parts.reduce((sum, p) => sum + (p.usage[key] ?? 0) * p.weight, 0);
  }
  return out;
}


export interface CostOptions {
  /**
   * The length of what the usage covers (> 0): the billing month, or a window
   * priced as if it were one. The usage is its total over that period; the
   * free tier and the tiers apply to it as to a month's totals.
   */
  periodMs: number;
  freeTier: FreeTierOptions;
}

/** Unrounded USD per line item. */
export type CostLines = Record<LineItem, number>;

/** One line of the bill: which service, what, how much and where its price comes from. */
export interface CostLine {
  /** 'AWS Lambda' for every line today; other services' lines will share the form. */
  service: string;
  item: LineItem;
  usd: number;
  /** The price's source in docs/sources.md. */
  source: string;
}

/** The priced quantities of one function over the period. */
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
  /** New environments × GB of a tenant-isolated function. */
  tenantEnvironmentGb: number;
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
  /** What the dollar figures cover. */
  periodMs: number;
  functions: FunctionCost[];
  /** Sums of the function lines. */
  lines: CostLines;
  /** The non-zero lines with their services and price sources. */
  lineItems: CostLine[];
  totalUsd: number;
  invocations: number;
  usdPerMillionInvocations: number | null;
  rounding: RoundingCost;
  /** The account's chargeable on-demand GB-s per architecture split over the price tiers (before any discount). */
  durationTiers: Partial<Record<Architecture, TierBand[]>>;
  freeTierUsed: { requests: number; gbSeconds: number; streamedGb: number };
}

/** Input of `priceDirect`: monthly averages, as on AWS's pricing page and in its Pricing Calculator. */
export interface DirectPriceInput {
  /** Defaults to 'function'. */
  name?: string;
  /** The month's length in days, 28–31 (default 31): the most hours anything can be enabled. */
  monthDays?: number;
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
  /** Hours provisioned concurrency is enabled in the month (one period, rounded up to 5 minutes); needed with it. */
  provisionedHours?: number;
  /** The part of requestsPerMonth served by provisioned environments. */
  requestsOnProvisioned?: number;
  /** Default: averageDurationMs. */
  averageDurationOnProvisionedMs?: number;
  /** GB (GiB) streamed beyond the free first 6 MB of each response, before the monthly free 100 GB. */
  streamedGbChargeable?: number;
  /** Every request is an async event of this many bytes (above 256 KB each 64 KB more is one more request). */
  asyncPayloadBytes?: number;
  /** Event poller unit hours of SQS provisioned mode in the month (pollers × hours). */
  sqsEpuHours?: number;
  /** SnapStart: restores in the month; the version is cached for `activeHours` (default: the whole month). */
  snapStart?: { restores: number; activeHours?: number };
  /** Tenant isolation: new execution environments in the month. */
  tenantEnvironments?: number;
  /** Price as Lambda@Edge. */
  edge?: boolean;
  freeTier: FreeTierOptions;
}

const BYTES_PER_GB = 2 ** 30;
const MS_PER_HOUR = 3_600_000;
const LAMBDA = 'AWS Lambda';

/** Rounds a dollar amount to cents, for presentation only. */
export function usd(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/**
 * Prices the usage of a set of functions (one account, one Region) over a
 * period. Throws a UserError for invalid usage, options or price book, and for
 * usage the book has no price for.
 */
export function costOf(usages: readonly FunctionUsage[], book: PriceBook, options: CostOptions): CostReport {
  const problems = [...priceBookProblems(book), ...optionProblems(options), ...usages.flatMap((u, i) => usageProblems(u, i, book))];
  if (problems.length > 0) throw new UserError(problems);
  const quantities = usages.map((u) => measure(u, book));
  problems.push(...usages.flatMap((u, i) => unpricedProblems(u, i, quantities[i], book)));
  if (problems.length > 0) throw new UserError(problems);

  const free = options.freeTier;
  const eligible = usages.map((u) => u.edge !== true && (free.provisionedFunctions === true || !hasProvisionedConcurrency(u)));
  const standard = usages.map((u) => u.edge !== true);

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

  // Duration tiers per architecture, on the account's chargeable GB-s (Lambda@Edge has its own flat price).
  const durationTiers: Partial<Record<Architecture, TierBand[]>> = {};
  const chargeableByArch = new Map<Architecture, number>();
  usages.forEach((u, i) => {
    if (!standard[i]) return;
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
  // A null price is only met with a zero quantity (unpricedProblems refused the rest).
  const p = (price: number | null | undefined): number => price ?? 0;
  const functions: FunctionCost[] = usages.map((u, i) => {
    const q = quantities[i];
    const prices = book.architectures[u.architecture]!;
    const requests = ((q.billedRequests - q.freeRequests) * book.requestUsdPerMillion) / 1e6;
    const duration = (q.durationGbS - q.freeGbS) * (blendedRate.get(u.architecture) ?? 0) * computeFactor;
    const lines: CostLines = {
      requests: standard[i] ? requests : 0,
      duration: standard[i] ? duration : 0,
      provisionedConcurrency: q.provisionedGbS * p(prices.provisionedUsdPerGbS) * computeFactor,
      provisionedDuration: q.provisionedDurationGbS * p(prices.provisionedDurationUsdPerGbS) * computeFactor,
      ephemeralStorage: q.ephemeralStorageGbS * p(book.ephemeralStorage.usdPerGbS),
      streaming: (q.streamedGb - q.freeStreamedGb) * p(book.streaming.usdPerGb),
      pollers: q.sqsEpuHours * p(book.eventPollers.sqsUsdPerEpuHour) + q.kafkaEpuHours * p(book.eventPollers.kafkaUsdPerEpuHour),
      snapStart: q.snapStartCacheGbS * p(book.snapStart.cacheUsdPerGbS) + q.snapStartRestoredGb * p(book.snapStart.restoreUsdPerGb),
      tenantIsolation: q.tenantEnvironmentGb * p(book.tenantIsolation.usdPerGbEnvironment),
      edge: standard[i] ? 0 : (q.billedRequests * p(book.edge.requestUsdPerMillion)) / 1e6 + q.durationGbS * p(book.edge.usdPerGbS),
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
    periodMs: options.periodMs,
    functions,
    lines,
    lineItems: lineItems(lines, book),
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

/** The non-zero lines of a bill, each with its service and the source of its price. */
export function lineItems(lines: CostLines, book: PriceBook): CostLine[] {
  return LINE_ITEMS.filter((item) => lines[item] !== 0).map((item) => ({ service: LAMBDA, item, usd: lines[item], source: book.sources[item] }));
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
    ['asyncPayloadBytes', input.asyncPayloadBytes],
    ['sqsEpuHours', input.sqsEpuHours],
    ['snapStart.restores', input.snapStart?.restores],
    ['snapStart.activeHours', input.snapStart?.activeHours],
    ['tenantEnvironments', input.tenantEnvironments],
  ];
  for (const [path, value] of numbers) {
    if (value !== undefined) checkNonNegative(problems, path, value);
  }
  const days = input.monthDays ?? DEFAULT_MONTH_DAYS;
  const monthHours = days * 24;
  if (!(Number.isInteger(days) && days >= 28 && days <= 31)) {
    problems.push({ path: 'monthDays', message: `a month has 28 to 31 days, got ${days}` });
  }
  // The same bounds a scenario's function has (docs/sources.md §7, §8, §2 "SnapStart").
  if (!(Number.isInteger(input.memoryMb) && input.memoryMb >= 128 && input.memoryMb <= 10240)) {
    problems.push({ path: 'memoryMb', message: `a function has 128 to 10,240 MB of memory in 1 MB steps (docs/sources.md §7), got ${input.memoryMb} MB` });
  }
  const storageMb = input.ephemeralStorageMb;
  if (storageMb !== undefined && !(Number.isInteger(storageMb) && storageMb >= 512 && storageMb <= 10240)) {
    problems.push({ path: 'ephemeralStorageMb', message: `a function has 512 to 10,240 MB of ephemeral storage in 1 MB steps (docs/sources.md §8), got ${storageMb} MB` });
  }
  if (input.snapStart !== undefined && (input.provisionedConcurrency ?? 0) > 0) {
    problems.push({ path: 'snapStart', message: 'SnapStart cannot be combined with provisioned concurrency (docs/sources.md §1, §2 "SnapStart")' });
  }
  if (input.snapStart !== undefined && storageMb !== undefined && storageMb > 512) {
    problems.push({ path: 'snapStart', message: `SnapStart cannot be combined with more than 512 MB of ephemeral storage (docs/sources.md §2 "SnapStart"), got ${storageMb} MB` });
  }
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
  // An environment serves one request at a time (§2), and requests past the busy PC spill on demand (§1):
  // more busy time than the provisioned environments are enabled cannot have run on them, and is billed
  // at on-demand rates, so the caller must give it there.
  const provisionedBusyS = (onProvisioned * (input.averageDurationOnProvisionedMs ?? input.averageDurationMs)) / 1000;
  const provisionedCapacityS = pc * (input.provisionedHours ?? 0) * 3600;
  if (pc > 0 && input.provisionedHours !== undefined && provisionedBusyS > provisionedCapacityS) {
    const fit = Math.floor((provisionedCapacityS * onProvisioned) / provisionedBusyS);
    problems.push({
      path: 'requestsOnProvisioned',
      message: `${onProvisioned} requests on provisioned concurrency keep it busy ${Math.ceil(provisionedBusyS)} s, more than ${pc} environment${pc === 1 ? '' : 's'} enabled ${input.provisionedHours} h can serve (${provisionedCapacityS} s): at most ${fit} fit; the rest spill over, and are billed, on demand (docs/sources.md §1, §2, §7)`,
    });
  }
  // §7: provisioned concurrency is billed for the time it is enabled; without the hours there is no bill to make.
  if (pc > 0 && input.provisionedHours === undefined) {
    problems.push({ path: 'provisionedHours', message: `is needed with provisioned concurrency: the hours it is enabled in the month (all of a ${days}-day month is ${monthHours})` });
  }
  if (pc === 0 && input.provisionedHours !== undefined) {
    problems.push({ path: 'provisionedHours', message: 'needs provisioned concurrency > 0' });
  }
  for (const [path, hours] of [['provisionedHours', input.provisionedHours], ['snapStart.activeHours', input.snapStart?.activeHours]] as const) {
    if (hours !== undefined && hours > monthHours) problems.push({ path, message: `is more than the ${monthHours} hours of a ${days}-day month, got ${hours}` });
  }
  if (input.asyncPayloadBytes !== undefined) {
    const rule = presetOn(ASYNC_PAYLOAD_PRESETS, book.effectiveDate);
    const problem = asyncPayloadProblem(input.asyncPayloadBytes, rule, `the rule of the ${book.name} price book's date, ${book.effectiveDate}`);
    if (problem !== null) problems.push({ path: 'asyncPayloadBytes', message: problem });
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
    edge: input.edge,
    requests: input.requestsPerMonth,
    asyncExtraRequestChunks: input.asyncPayloadBytes === undefined ? undefined : input.requestsPerMonth * (asyncBilledRequests(input.asyncPayloadBytes) - 1),
    billedOnDemandMs: onDemand * billedDurationMs(input.averageDurationMs, granularityMs),
    actualOnDemandMs: onDemand * input.averageDurationMs,
    billedProvisionedMs: onProvisioned * billedDurationMs(provisionedMs, granularityMs),
    actualProvisionedMs: onProvisioned * provisionedMs,
    provisionedConcurrency: pc,
    provisionedEnabledMs: (input.provisionedHours ?? 0) * MS_PER_HOUR,
    streamedChargeableBytes: (input.streamedGbChargeable ?? 0) * BYTES_PER_GB,
    sqsPollerEpuSeconds: (input.sqsEpuHours ?? 0) * 3600,
    snapStartActiveMs: input.snapStart ? (input.snapStart.activeHours ?? monthHours) * MS_PER_HOUR : undefined,
    snapStartRestores: input.snapStart?.restores,
    tenantEnvironments: input.tenantEnvironments,
  };
  return costOf([usage], book, { periodMs: days * DAY_MS, freeTier: input.freeTier });
}

/** The function's priced quantities; free amounts are filled in by the caller. */
function measure(u: FunctionUsage, book: PriceBook): UsageQuantities {
  const gb = u.memoryMb / BILLING_RULES.mbPerGb;
  const extraStorageMb = Math.max(0, u.ephemeralStorageMb - book.ephemeralStorage.freeMb);
  const pcSeconds = u.provisionedConcurrency > 0 ? pcBilledSeconds(u.provisionedEnabledMs) : 0;
  return {
    invocations: u.requests,
    billedRequests: u.requests + (u.asyncExtraRequestChunks ?? 0),
    freeRequests: 0,
    durationGbS: gbSeconds(u.memoryMb, u.billedOnDemandMs),
    freeGbS: 0,
    provisionedGbS: u.provisionedEnvMs !== undefined ? (gb * u.provisionedEnvMs) / 1000 : u.provisionedConcurrency * gb * pcSeconds,
    provisionedDurationGbS: gbSeconds(u.memoryMb, u.billedProvisionedMs),
    ephemeralStorageGbS: gbSeconds(extraStorageMb, u.billedOnDemandMs + u.billedProvisionedMs),
    streamedGb: (u.streamedChargeableBytes ?? 0) / BYTES_PER_GB,
    freeStreamedGb: 0,
    sqsEpuHours: (u.sqsPollerEpuSeconds ?? 0) / 3600,
    kafkaEpuHours: (u.kafkaPollerEpuSeconds ?? 0) / 3600,
    snapStartCacheGbS: gbSeconds(u.memoryMb, snapStartCacheBilledMs(u.snapStartActiveMs ?? 0)),
    snapStartRestoredGb: (u.snapStartRestores ?? 0) * gb,
    tenantEnvironmentGb: (u.tenantEnvironments ?? 0) * gb,
  };
}

/** The quantity each line item prices, to find usage a book cannot price. */
function pricedQuantity(q: UsageQuantities, item: LineItem, edge: boolean): number {
  switch (item) {
    case 'requests':
    case 'duration':
      return 0; // every book prices them
    case 'provisionedConcurrency':
      return q.provisionedGbS;
    case 'provisionedDuration':
      return q.provisionedDurationGbS;
    case 'ephemeralStorage':
      return q.ephemeralStorageGbS;
    case 'streaming':
      return q.streamedGb;
    case 'pollers':
      return q.sqsEpuHours + q.kafkaEpuHours;
    case 'snapStart':
      return q.snapStartCacheGbS + q.snapStartRestoredGb;
    case 'tenantIsolation':
      return q.tenantEnvironmentGb;
    case 'edge':
      return edge ? q.billedRequests + q.durationGbS : 0;
  }
}

function unpricedProblems(u: FunctionUsage, index: number, q: UsageQuantities, book: PriceBook): Problem[] {
  const messages = new Set<string>();
  for (const item of LINE_ITEMS) {
    const keys = pricedQuantity(q, item, u.edge === true) > 0 ? missingPrices(book, item, u.architecture) : [];
    // Both provisioned lines name the same two prices: say it once.
    if (keys.length > 0) messages.add(missingPriceMessage(book, item === 'provisionedDuration' ? 'provisionedConcurrency' : item, keys));
  }
  return [...messages].map((message) => ({ path: `usage[${index}] (${u.name})`, message }));
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
  if (!(options.periodMs > 0) || !Number.isFinite(options.periodMs)) {
    problems.push({ path: 'periodMs', message: `must be a positive number of ms, got ${options.periodMs}` });
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
  checkNonNegative(problems, `${at}.ephemeralStorageMb`, u.ephemeralStorageMb);
  checkNonNegative(problems, `${at}.provisionedConcurrency`, u.provisionedConcurrency);
  for (const key of SUMMED) {
    const value = u[key];
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
