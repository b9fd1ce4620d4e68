/**
 * AWS's worked pricing examples (docs/sources.md §12), reproduced
 * through `priceDirect` (monthly averages) and through `costOf` (the equivalent
 * usage totals, measured over a whole month and over one day scaled × 30).
 * Every line item must be within $0.01 of AWS's published figure, and equal
 * the exact figure computed by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { composeUsage, costOf, priceDirect, usd, type CostLines, type CostReport, type DirectPriceInput, type FunctionUsage } from '../../src/billing/cost.js';
import { PRICE_BOOK_LEGACY_100MS, PRICE_BOOK_US_EAST_1_2026, type PriceBook } from '../../src/billing/pricebook.js';
import { chargeableStreamedBytes } from '../../src/billing/rules.js';

const MONTH_MS = 2_592_000_000;

interface Example {
  id: string;
  book: PriceBook;
  direct: DirectPriceInput;
  /** The same month as usage totals. */
  usage: FunctionUsage;
  freeTier: DirectPriceInput['freeTier'];
  /** AWS's published figures. */
  published: Partial<CostLines> & { total: number };
  /** Unrounded, by hand. */
  exact: Partial<CostLines> & { total: number };
}

const base = { name: 'fn', architecture: 'x86_64' as const, ephemeralStorageMb: 512, billedProvisionedMs: 0, actualProvisionedMs: 0, provisionedConcurrency: 0, provisionedEnabledMs: 0 };

const examples: Example[] = [
  {
    // 3M × 0.12 s × 1.5 GB = 540,000 GB-s − 400,000 = 140,000 × 0.0000166667 = 2.333338
    // (3M − 1M) × $0.2/M = 0.40; total 2.733338.
    id: 'A1 mobile backend',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: { requestsPerMonth: 3e6, averageDurationMs: 120, memoryMb: 1536, architecture: 'x86_64', freeTier: { requests: true, compute: true } },
    usage: { ...base, memoryMb: 1536, requests: 3e6, billedOnDemandMs: 3e6 * 120, actualOnDemandMs: 3e6 * 120 },
    freeTier: { requests: true, compute: true },
    published: { duration: 2.33, requests: 0.4, total: 2.73 },
    exact: { duration: 2.333338, requests: 0.4, total: 2.733338 },
  },
  {
    // 6M × 0.28 s × 4 GB = 6,720,000 − 400,000 = 6,320,000 GB-s × 0.0000166667 = 105.333544
    // (6M − 1M) × 0.2/M = 1; storage 1,680,000 s × 1.5 GB = 2,520,000 GB-s × 0.0000000309 = 0.077868
    // total 106.411412.
    id: 'A3 BERT with ephemeral storage',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: { requestsPerMonth: 6e6, averageDurationMs: 280, memoryMb: 4096, ephemeralStorageMb: 2048, architecture: 'x86_64', freeTier: { requests: true, compute: true } },
    usage: { ...base, memoryMb: 4096, ephemeralStorageMb: 2048, requests: 6e6, billedOnDemandMs: 6e6 * 280, actualOnDemandMs: 6e6 * 280 },
    freeTier: { requests: true, compute: true },
    published: { duration: 105.33, requests: 1, ephemeralStorage: 0.08, total: 106.41 },
    exact: { duration: 105.333544, requests: 1, ephemeralStorage: 0.077868, total: 106.411412 },
  },
  {
    // PC: 100 × 1.5 GB × 28,800 s = 4,320,000 GB-s × 0.0000041667 = 18.000144
    // PC duration: 500k × 0.1 s × 1.5 = 75,000 GB-s × 0.0000097222 = 0.729165
    // on-demand: 2.5M × 0.12 s × 1.5 = 450,000 − 400,000 = 50,000 × 0.0000166667 = 0.833335
    // requests: (3M − 1M) × 0.2/M = 0.40; total 19.962644. AWS applies the free tier (provisionedFunctions).
    id: 'B1 PC mobile launch',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: {
      requestsPerMonth: 3e6, averageDurationMs: 120, memoryMb: 1536, architecture: 'x86_64',
      provisionedConcurrency: 100, provisionedHours: 8, requestsOnProvisioned: 5e5, averageDurationOnProvisionedMs: 100,
      freeTier: { requests: true, compute: true, provisionedFunctions: true },
    },
    usage: {
      ...base, memoryMb: 1536, requests: 3e6,
      billedOnDemandMs: 2.5e6 * 120, actualOnDemandMs: 2.5e6 * 120,
      billedProvisionedMs: 5e5 * 100, actualProvisionedMs: 5e5 * 100,
      provisionedConcurrency: 100, provisionedEnabledMs: 8 * 3_600_000,
    },
    freeTier: { requests: true, compute: true, provisionedFunctions: true },
    published: { provisionedConcurrency: 18, requests: 0.4, provisionedDuration: 0.73, duration: 0.83, total: 19.96 },
    exact: { provisionedConcurrency: 18.000144, requests: 0.4, provisionedDuration: 0.729165, duration: 0.833335, total: 19.962644 },
  },
  {
    // 3M × 0.5 s × 1.5 GB = 2,250,000 − 400,000 = 1,850,000 × 0.0000166667 = 30.833395
    // requests 0.40; streaming: 1M × (7 − 6) MB = 976.5625 GB × 0.008 = 7.8125 (free 100 GB assumed used)
    // total 39.045895.
    id: 'D1 response streaming',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: { requestsPerMonth: 3e6, averageDurationMs: 500, memoryMb: 1536, architecture: 'x86_64', streamedGbChargeable: 1e6 / 1024, freeTier: { requests: true, compute: true } },
    usage: {
      ...base, memoryMb: 1536, requests: 3e6, billedOnDemandMs: 3e6 * 500, actualOnDemandMs: 3e6 * 500,
      streamedChargeableBytes: 2e6 * chargeableStreamedBytes(100 * 1024, 6) + 1e6 * chargeableStreamedBytes(7 * 2 ** 20, 6),
    },
    freeTier: { requests: true, compute: true, streaming: false },
    published: { duration: 30.83, requests: 0.4, streaming: 7.81, total: 39.04 },
    exact: { duration: 30.833395, requests: 0.4, streaming: 7.8125, total: 39.045895 },
  },
  {
    // Legacy book, 100 ms default granularity: 3M × 1 s × 0.5 GB = 1,500,000 − 400,000 = 1,100,000 × 0.00001667 = 18.337
    // requests 0.40; total 18.737.
    id: 'G1 100 ms era',
    book: PRICE_BOOK_LEGACY_100MS,
    direct: { requestsPerMonth: 3e6, averageDurationMs: 1000, memoryMb: 512, architecture: 'x86_64', freeTier: { requests: true, compute: true } },
    usage: { ...base, memoryMb: 512, requests: 3e6, billedOnDemandMs: 3e6 * 1000, actualOnDemandMs: 3e6 * 1000 },
    freeTier: { requests: true, compute: true },
    published: { duration: 18.34, requests: 0.4, total: 18.74 },
    exact: { duration: 18.337, requests: 0.4, total: 18.737 },
  },
  {
    // 60M × 0.1 s × 1 GB = 6,000,000 GB-s × 0.0000166667 = 100.0002; requests 60 × 0.2 = 12; total 112.0002.
    id: 'H 100 ms rounding',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: { requestsPerMonth: 60e6, averageDurationMs: 28, granularityMs: 100, memoryMb: 1024, architecture: 'x86_64', freeTier: { requests: false, compute: false } },
    usage: { ...base, memoryMb: 1024, requests: 60e6, billedOnDemandMs: 60e6 * 100, actualOnDemandMs: 60e6 * 28 },
    freeTier: { requests: false, compute: false },
    published: { duration: 100, requests: 12, total: 112 },
    exact: { duration: 100.0002, requests: 12, total: 112.0002 },
  },
  {
    // 60M × 0.028 s × 1 GB = 1,680,000 GB-s × 0.0000166667 = 28.000056; requests 12; total 40.000056.
    id: 'H 1 ms rounding',
    book: PRICE_BOOK_US_EAST_1_2026,
    direct: { requestsPerMonth: 60e6, averageDurationMs: 28, granularityMs: 1, memoryMb: 1024, architecture: 'x86_64', freeTier: { requests: false, compute: false } },
    usage: { ...base, memoryMb: 1024, requests: 60e6, billedOnDemandMs: 60e6 * 28, actualOnDemandMs: 60e6 * 28 },
    freeTier: { requests: false, compute: false },
    published: { duration: 28, requests: 12, total: 40 },
    exact: { duration: 28.000056, requests: 12, total: 40.000056 },
  },
];

/** Scales a month's usage totals down to one day (composing the month scales them back × 30). */
function perDay(u: FunctionUsage): FunctionUsage {
  const out = { ...u } as Record<string, unknown>;
  for (const [k, v] of Object.entries(u)) if (typeof v === 'number' && !['memoryMb', 'ephemeralStorageMb', 'provisionedConcurrency'].includes(k)) out[k] = v / 30;
  return out as unknown as FunctionUsage;
}

function check(report: CostReport, ex: Example): void {
  const f = report.functions[0];
  for (const [item, published] of Object.entries(ex.published) as Array<[keyof CostLines | 'total', number]>) {
    const actual = item === 'total' ? report.totalUsd : report.lines[item];
    expect(Math.abs(actual - published), `${item}: ${actual} vs AWS ${published}`).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(actual, item).toBeCloseTo(ex.exact[item]!, 6);
    if (item !== 'total') expect(f.lines[item], item).toBeCloseTo(ex.exact[item]!, 6);
  }
  // Lines AWS does not list are zero.
  for (const [item, value] of Object.entries(report.lines)) if (!(item in ex.published)) expect(value, item).toBe(0);
}

describe.each(examples)('AWS example $id', (ex) => {
  it('priceDirect reproduces every published line item', () => {
    check(priceDirect(ex.direct, ex.book), ex);
  });

  it('costOf over a month of usage reproduces them', () => {
    check(costOf([ex.usage], ex.book, { periodMs: MONTH_MS, freeTier: ex.freeTier }), ex);
  });

  it('costOf over one day composed into the month reproduces them', () => {
    check(costOf([composeUsage([{ usage: perDay(ex.usage), weight: 30 }])], ex.book, { periodMs: MONTH_MS, freeTier: ex.freeTier }), ex);
  });
});

describe('derived figures on the AWS examples', () => {
  it('H: 72 % of the 100 ms duration cost is rounding, none at 1 ms', () => {
    const old = priceDirect(examples[5].direct, PRICE_BOOK_US_EAST_1_2026);
    // (100 − 28) / 100 = 0.72; 0.72 × 100.0002 = 72.000144.
    expect(old.rounding.share).toBeCloseTo(0.72, 12);
    expect(old.rounding.usd).toBeCloseTo(72.000144, 6);
    // 112.0002 / 60 M × 1 M = 1.86667
    expect(old.usdPerMillionInvocations).toBeCloseTo(1.86667, 5);
    const now = priceDirect(examples[6].direct, PRICE_BOOK_US_EAST_1_2026);
    expect(now.rounding.share).toBe(0);
    expect(now.rounding.usd).toBe(0);
    // 40.000056 / 60 = 0.6666676
    expect(now.usdPerMillionInvocations).toBeCloseTo(0.6666676, 7);
  });

  it('H with the REPORT durations: 27.40 ms bills as 100 ms, 27.55 ms as 28 ms', () => {
    const h = examples[5].direct;
    expect(priceDirect({ ...h, averageDurationMs: 27.4, granularityMs: 100 }, PRICE_BOOK_US_EAST_1_2026).lines.duration).toBeCloseTo(100.0002, 6);
    expect(priceDirect({ ...h, averageDurationMs: 27.55, granularityMs: 1 }, PRICE_BOOK_US_EAST_1_2026).lines.duration).toBeCloseTo(28.000056, 6);
  });

  it('B1 without the free tier for the PC function, as the pricing page rule says', () => {
    const b1 = examples[2].direct;
    const r = priceDirect({ ...b1, freeTier: { requests: true, compute: true } }, PRICE_BOOK_US_EAST_1_2026);
    expect(r.functions[0].freeTierEligible).toBe(false);
    // requests 3M × 0.2/M = 0.60; on-demand 450,000 × 0.0000166667 = 7.500015;
    // total 18.000144 + 0.729165 + 7.500015 + 0.60 = 26.829324.
    expect(r.lines.requests).toBeCloseTo(0.6, 9);
    expect(r.lines.duration).toBeCloseTo(7.500015, 6);
    expect(r.totalUsd).toBeCloseTo(26.829324, 6);
    expect(r.freeTierUsed).toEqual({ requests: 0, gbSeconds: 0, streamedGb: 0 });
  });

  it('usd() rounds to cents for display', () => {
    expect(usd(2.333338)).toBe(2.33);
    expect(usd(0.077868)).toBe(0.08);
    expect(usd(19.962644)).toBe(19.96);
  });
});
