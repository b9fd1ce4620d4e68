/**
 * Lambda billing rules (docs/billing.md): how usage is measured before it is
 * priced. Rules that AWS changed are dated presets (docs/sources.md §9); the
 * fixed increments and minimums are one data object, `BILLING_RULES`.
 *
 * Rounding is robust to floating error: a quantity within a few ulps of a
 * multiple of the increment counts as that multiple (3.0000000000000004 ms is
 * 3 ms, not 4), anything further above rounds up.
 */
import type { AccountSpec, BillingSpec } from '../scenario/types.js';
import type { PriceTier } from './pricebook.js';

/** Fixed measurement rules (not dated: unchanged across the presets below). */
export const BILLING_RULES = {
  /** GB = 1024 MB throughout (§7 [PRICE]; docs/sources.md §12 "Units"). */
  mbPerGb: 1024,
  /** Provisioned concurrency is billed from enable to disable, rounded up to 5 minutes (§7 [PRICE]). */
  provisionedRoundingMs: 300_000,
  /** SnapStart cache: 3 h minimum, then per ms (§7 [PRICE]). */
  snapStartCacheMinimumMs: 10_800_000,
  /** Provisioned-mode event pollers: per second with a 1-minute minimum (§5, §7 [PRICE]). */
  epuGranularityMs: 1_000,
  epuMinimumMs: 60_000,
  /** Async invoke: one request covers the first 256 KB, each further 64 KB chunk is one more request (§4 [PRICE]). */
  asyncIncludedBytes: 262_144,
  asyncChunkBytes: 65_536,
} as const;

/** A rule in force from `from` (inclusive) until `until` (exclusive); null = open-ended. Dates are YYYY-MM-DD. */
export interface DatedRule {
  from: string | null;
  until: string | null;
  source: string;
}

export type GranularityPreset = '1ms' | '100ms';

/** Billing granularity (§7, §9): every invocation's duration is rounded up to a multiple, no minimum. */
export const GRANULARITY_PRESETS: Readonly<Record<GranularityPreset, DatedRule & { granularityMs: number }>> = {
  '100ms': { granularityMs: 100, from: null, until: '2020-12-01', source: '§7, §9 [PRICE-OLD]' },
  '1ms': {
    granularityMs: 1,
    from: '2020-12-01',
    until: null,
    source: "§7, §9 What's New 2020-12-01; [BLOG-1MS]",
  },
};

export type InitBillingPreset = BillingSpec['initBilling'];

/**
 * Init billing (§7, §9). Under the legacy rule, on-demand init was free for ZIP
 * packages on managed runtimes (lsim models that case); PC init was always billed.
 */
export const INIT_BILLING_PRESETS: Readonly<Record<InitBillingPreset, DatedRule & { onDemandInitBilled: boolean }>> = {
  'unbilled-zip-managed-legacy': {
    onDemandInitBilled: false,
    from: null,
    until: '2025-08-01',
    source: '§7, §9 AWS Compute Blog "AWS Lambda standardizes billing for INIT Phase" (2025-04)',
  },
  'billed-2025': {
    onDemandInitBilled: true,
    from: '2025-08-01',
    until: null,
    source: '§7, §9 AWS Compute Blog "AWS Lambda standardizes billing for INIT Phase" (2025-04)',
  },
};

export type AsyncPayloadPreset = AccountSpec['asyncPayloadLimit'];

/**
 * The largest async event (§4, §8, §9 "async payload"): 256 KB, then 1 MB from October 2025 (AWS gives the
 * month, not the day: lsim takes the 1st). Above 256 KB each 64 KB is one more billed request, so under the
 * legacy limit every event is one request.
 */
export const ASYNC_PAYLOAD_PRESETS: Readonly<Record<AsyncPayloadPreset, DatedRule & { limitBytes: number }>> = {
  '256kb-legacy': { limitBytes: 262_144, from: null, until: '2025-10-01', source: '§4, §9 [OLD:gettingstarted-limits.md]' },
  '1mb-2025': { limitBytes: 1_048_576, from: '2025-10-01', until: null, source: '§4, §9 [API:Invoke]; [BLOG-1MB]' },
};

/**
 * What is wrong with an async event of `bytes` under `preset` (`rule` says where the preset came from, for the
 * message); null when it fits.
 */
export function asyncPayloadProblem(bytes: number, preset: AsyncPayloadPreset, rule: string): string | null {
  const limit = ASYNC_PAYLOAD_PRESETS[preset].limitBytes;
  if (bytes <= limit) return null;
  const kb = (b: number) => `${Math.round((b / 1024) * 10) / 10} KB`;
  return preset === '1mb-2025'
    ? `an async event is at most 1 MB (docs/sources.md §4), got ${kb(bytes)}`
    : `an async event was at most 256 KB before October 2025 (${rule}; docs/sources.md §9): Invoke refused a larger one (413); got ${kb(bytes)}`;
}

/** The preset of `presets` in force on `date` (YYYY-MM-DD). */
export function presetOn<K extends string>(presets: Readonly<Record<K, DatedRule>>, date: string): K {
  for (const key of Object.keys(presets) as K[]) {
    const { from, until } = presets[key];
    if ((from === null || date >= from) && (until === null || date < until)) return key;
  }
  throw new RangeError(`no billing rule preset in force on ${date}`);
}

/** Whether an on-demand cold start's init phase is billed under `preset`. */
export function onDemandInitBilled(preset: InitBillingPreset): boolean {
  return INIT_BILLING_PRESETS[preset].onDemandInitBilled;
}

/**
 * One invocation's billed duration: `actualMs` rounded up to a multiple of
 * `granularityMs`, no minimum (27.40 ms → 100 ms at 100 ms; 27.55 ms → 28 ms
 * at 1 ms; 100 ms → 100 ms; 0 → 0).
 */
export function billedDurationMs(actualMs: number, granularityMs: number): number {
  return roundUpTo(actualMs, granularityMs);
}

/** GB-seconds of `ms` at `memoryMb` (GB = 1024 MB). */
export function gbSeconds(memoryMb: number, ms: number): number {
  return (memoryMb / BILLING_RULES.mbPerGb) * (ms / 1000);
}

/** Billed seconds of provisioned concurrency enabled for `enabledMs` in one period (rounded up to 5 min). */
export function pcBilledSeconds(enabledMs: number): number {
  return roundUpTo(enabledMs, BILLING_RULES.provisionedRoundingMs) / 1000;
}

/** Billed ms of SnapStart cache for a version active `activeMs` in one period (3 h minimum, then per ms). */
export function snapStartCacheBilledMs(activeMs: number): number {
  return activeMs === 0 ? 0 : Math.max(BILLING_RULES.snapStartCacheMinimumMs, roundUpTo(activeMs, 1));
}

/** Billed seconds of one event poller unit active `activeMs` in one period (per second, 1-minute minimum). */
export function epuBilledSeconds(activeMs: number): number {
  if (activeMs === 0) return 0;
  return Math.max(BILLING_RULES.epuMinimumMs, roundUpTo(activeMs, BILLING_RULES.epuGranularityMs)) / 1000;
}

/** Billed requests for one async event of `payloadBytes` (1, plus one per started 64 KB above 256 KB). */
export function asyncBilledRequests(payloadBytes: number): number {
  const extra = Math.max(0, payloadBytes - BILLING_RULES.asyncIncludedBytes);
  return 1 + roundUpTo(extra, BILLING_RULES.asyncChunkBytes) / BILLING_RULES.asyncChunkBytes;
}

/** Bytes of one streamed response that count toward streaming charges (those beyond the free MB per request). */
export function chargeableStreamedBytes(responseBytes: number, freeMbPerRequest: number): number {
  return Math.max(0, responseBytes - freeMbPerRequest * 2 ** 20);
}

/** The part of a monthly quantity that falls in one price tier. */
export interface TierBand {
  gbSeconds: number;
  usdPerGbS: number;
  usd: number;
}

/**
 * Splits a monthly total of `gbSeconds` over `tiers` (cumulative bounds, the
 * last unbounded): 7 B x86 GB-s are 6 B at the first price and 1 B at the second.
 * Tiers the total does not reach are left out.
 */
export function tierBands(gbSeconds: number, tiers: readonly PriceTier[]): TierBand[] {
  checkQuantity(gbSeconds, 'gbSeconds');
  const bands: TierBand[] = [];
  let lower = 0;
  for (const tier of tiers) {
    if (gbSeconds <= lower) break;
    const upper = tier.upToGbS ?? Infinity;
    const inTier = Math.min(gbSeconds, upper) - lower;
    bands.push({ gbSeconds: inTier, usdPerGbS: tier.usdPerGbS, usd: inTier * tier.usdPerGbS });
    lower = upper;
  }
  return bands;
}

/** The cost of a monthly total of `gbSeconds` walked over `tiers`. */
export function tieredCost(gbSeconds: number, tiers: readonly PriceTier[]): number {
  return tierBands(gbSeconds, tiers).reduce((sum, band) => sum + band.usd, 0);
}

/** `x` rounded up to a multiple of `step`, treating a few ulps above a multiple as that multiple. */
function roundUpTo(x: number, step: number): number {
  checkQuantity(x, 'duration');
  if (!(step > 0) || !Number.isFinite(step)) throw new RangeError(`rounding increment must be positive, got ${step}`);
  const q = x / step;
  const nearest = Math.round(q);
  const snapped = Math.abs(q - nearest) <= 1024 * Number.EPSILON * Math.max(1, q) ? nearest : Math.ceil(q);
  return snapped * step;
}

function checkQuantity(x: number, what: string): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`${what} must be a finite non-negative number, got ${x}`);
}
