/** The account-level rules of costOf: tiers, the shared free tier, composed months, discounts, other lines, Regions. */
import { describe, expect, it } from 'vitest';
import { composeUsage, costOf, type CostOptions, type FunctionUsage } from '../../src/billing/cost.js';
import { PRICE_BOOK_LEGACY_100MS, PRICE_BOOK_US_EAST_1_2026, PRICE_BOOKS, withOverrides } from '../../src/billing/pricebook.js';
import { UserError } from '../../src/errors.js';

const BOOK = PRICE_BOOK_US_EAST_1_2026;
const MONTH_MS = 2_592_000_000;
const HOUR_MS = 3_600_000;
const NO_FREE: CostOptions = { periodMs: MONTH_MS, freeTier: { requests: false, compute: false } };
const FREE: CostOptions = { periodMs: MONTH_MS, freeTier: { requests: true, compute: true } };

/** An on-demand function at 1024 MB that ran `gbS` GB-s (1 GB × gbS seconds) in `requests` invocations. */
function fn(name: string, gbS: number, overrides: Partial<FunctionUsage> = {}): FunctionUsage {
  return {
    name,
    architecture: 'x86_64',
    memoryMb: 1024,
    ephemeralStorageMb: 512,
    requests: 0,
    billedOnDemandMs: gbS * 1000,
    actualOnDemandMs: gbS * 1000,
    billedProvisionedMs: 0,
    actualProvisionedMs: 0,
    provisionedConcurrency: 0,
    provisionedEnabledMs: 0,
    ...overrides,
  };
}

function sumOfFunctions(r: ReturnType<typeof costOf>): number {
  return r.functions.reduce((s, f) => s + f.totalUsd, 0);
}

describe('duration tiers over the account month', () => {
  it('two x86 functions cross the 6 B tier together and share the blended cost', () => {
    // 4e9 + 3e9 = 7e9 GB-s: 6e9 × 0.0000166667 + 1e9 × 0.000015 = 115,000.2.
    // Split 4/7 and 3/7: 115,000.2 / 7 = 16,428.6 → 65,714.4 and 49,285.8.
    const r = costOf([fn('a', 4e9), fn('b', 3e9)], BOOK, NO_FREE);
    expect(r.lines.duration).toBeCloseTo(115_000.2, 6);
    expect(r.functions[0].lines.duration).toBeCloseTo(65_714.4, 6);
    expect(r.functions[1].lines.duration).toBeCloseTo(49_285.8, 6);
    expect(r.durationTiers.x86_64!.map((b) => b.gbSeconds)).toEqual([6e9, 1e9]);
    expect(sumOfFunctions(r)).toBeCloseTo(r.totalUsd, 6);
  });

  it('tiers are per architecture: 4 B x86 + 4 B Arm stay in each first tier', () => {
    // x86 4e9 × 0.0000166667 = 66,666.8; Arm 4e9 × 0.0000133334 = 53,333.6.
    const r = costOf([fn('x', 4e9), fn('a', 4e9, { architecture: 'arm64' })], BOOK, NO_FREE);
    expect(r.functions[0].lines.duration).toBeCloseTo(66_666.8, 6);
    expect(r.functions[1].lines.duration).toBeCloseTo(53_333.6, 6);
    expect(r.durationTiers.arm64).toHaveLength(1);
  });

  it('the same usage costs less on Arm', () => {
    // 1,000,000 GB-s: x86 16.6667, Arm 13.3334.
    const x = costOf([fn('f', 1e6)], BOOK, NO_FREE);
    const a = costOf([fn('f', 1e6, { architecture: 'arm64' })], BOOK, NO_FREE);
    expect(x.lines.duration).toBeCloseTo(16.6667, 9);
    expect(a.lines.duration).toBeCloseTo(13.3334, 9);
  });

  it('a function the book does not price is a user error', () => {
    expect(() => costOf([fn('a', 1, { architecture: 'arm64' })], PRICE_BOOK_LEGACY_100MS, NO_FREE)).toThrow(
      /usage\[0\] \(a\)\.architecture: arm64 is not priced by us-east-1-legacy-100ms/,
    );
  });
});

describe('free tier', () => {
  it('400,000 GB-s are shared across architectures in proportion to use', () => {
    // 300k x86 + 500k Arm = 800k; free 400k → 150k x86, 250k Arm.
    // x86 150,000 × 0.0000166667 = 2.500005; Arm 250,000 × 0.0000133334 = 3.33335.
    const r = costOf([fn('x', 3e5), fn('a', 5e5, { architecture: 'arm64' })], BOOK, FREE);
    expect(r.functions.map((f) => f.quantities.freeGbS)).toEqual([150_000, 250_000]);
    expect(r.functions[0].lines.duration).toBeCloseTo(2.500005, 9);
    expect(r.functions[1].lines.duration).toBeCloseTo(3.33335, 9);
    expect(r.freeTierUsed.gbSeconds).toBe(400_000);
  });

  it('1 M requests are shared in proportion; per-function lines add to the account line', () => {
    // 1.5M + 0.5M = 2M; free 1M → 750k and 250k; billable 750k × 0.2/M = 0.15 and 0.05.
    const r = costOf([fn('a', 0, { requests: 1.5e6 }), fn('b', 0, { requests: 5e5 })], BOOK, FREE);
    expect(r.functions[0].lines.requests).toBeCloseTo(0.15, 12);
    expect(r.functions[1].lines.requests).toBeCloseTo(0.05, 12);
    expect(r.lines.requests).toBeCloseTo(0.2, 12);
  });

  it('under the allowance everything is free and unused allowance is not credited', () => {
    const r = costOf([fn('a', 1000, { requests: 1000 })], BOOK, FREE);
    expect(r.totalUsd).toBe(0);
    expect(r.freeTierUsed).toEqual({ requests: 1000, gbSeconds: 1000, streamedGb: 0 });
  });

  it('functions with provisioned concurrency get none of it by default; the on-demand one gets it all', () => {
    const pc = fn('pc', 5e5, {
      requests: 2e6,
      provisionedConcurrency: 1,
      provisionedEnabledMs: HOUR_MS,
      billedProvisionedMs: 1000,
      actualProvisionedMs: 1000,
    });
    const od = fn('od', 3e5, { requests: 5e5 });
    const r = costOf([pc, od], BOOK, FREE);
    expect(r.functions.map((f) => f.freeTierEligible)).toEqual([false, true]);
    // pc: 2M × 0.2/M = 0.40; 500,000 × 0.0000166667 = 8.33335. od: everything within the free tier.
    expect(r.functions[0].lines.requests).toBeCloseTo(0.4, 12);
    expect(r.functions[0].lines.duration).toBeCloseTo(8.33335, 9);
    expect(r.functions[1].lines.requests).toBe(0);
    expect(r.functions[1].lines.duration).toBe(0);
    // With provisionedFunctions: 2.5M requests − 1M = 1.5M × 0.2/M = 0.30 in total.
    const all = costOf([pc, od], BOOK, { ...FREE, freeTier: { requests: true, compute: true, provisionedFunctions: true } });
    expect(all.lines.requests).toBeCloseTo(0.3, 12);
  });

  it('requests and compute switch separately (the Kafka example applies compute only)', () => {
    // 2M requests × 0.2/M = 0.40 with no free requests; 300k GB-s all free.
    const r = costOf([fn('a', 3e5, { requests: 2e6 })], BOOK, { ...FREE, freeTier: { requests: false, compute: true } });
    expect(r.lines.requests).toBeCloseTo(0.4, 12);
    expect(r.lines.duration).toBe(0);
  });

  it('streaming: 100 GB free per month when switched on', () => {
    // 150 GB − 100 free = 50 GB × 0.008 = 0.40; without the allowance 150 × 0.008 = 1.20.
    const u = fn('s', 0, { streamedChargeableBytes: 150 * 2 ** 30 });
    expect(costOf([u], BOOK, { ...NO_FREE, freeTier: { requests: false, compute: false, streaming: true } }).lines.streaming).toBeCloseTo(0.4, 12);
    expect(costOf([u], BOOK, NO_FREE).lines.streaming).toBeCloseTo(1.2, 12);
  });
});

describe('a month composed of the window', () => {
  // One hour: 1000 requests of 100 ms at 2048 MB = 1000 × 0.1 s × 2 GB = 200 GB-s.
  const hour = fn('h', 0, { memoryMb: 2048, requests: 1000, billedOnDemandMs: 1000 * 100, actualOnDemandMs: 1000 * 100 });

  it('the window × 720 gets the free tier of the month', () => {
    // × 720: 720,000 requests and 144,000 GB-s, all inside the free tier.
    const month = composeUsage([{ usage: hour, weight: 720 }]);
    const free = costOf([month], BOOK, FREE);
    expect(free.periodMs).toBe(MONTH_MS);
    expect(free.functions[0].quantities.durationGbS).toBeCloseTo(144_000, 6);
    expect(free.totalUsd).toBe(0);
    // Without it: 720,000 × 0.2/M = 0.144; 144,000 × 0.0000166667 = 2.4000048.
    const paid = costOf([month], BOOK, NO_FREE);
    expect(paid.lines.requests).toBeCloseTo(0.144, 12);
    expect(paid.lines.duration).toBeCloseTo(2.4000048, 9);
  });

  it('parts weigh by how often they happen, and the optional quantities stay absent', () => {
    const burst = fn('h', 0, { memoryMb: 2048, requests: 5000, billedOnDemandMs: 5000 * 100, actualOnDemandMs: 5000 * 100 });
    const month = composeUsage([{ usage: hour, weight: 700 }, { usage: burst, weight: 62 }]);
    expect(month.requests).toBe(700 * 1000 + 62 * 5000);
    expect(month.billedOnDemandMs).toBe((700 * 1000 + 62 * 5000) * 100);
    expect(month.provisionedEnvMs).toBeUndefined();
    expect(composeUsage([{ usage: hour, weight: 1 }, { usage: { ...hour, provisionedEnvMs: 10 }, weight: 3 }]).provisionedEnvMs).toBe(30);
  });

  it('a window priced as it is', () => {
    // 1000 × 0.2/M = 0.0002; 200 × 0.0000166667 = 0.00333334.
    const r = costOf([hour], BOOK, { ...NO_FREE, periodMs: HOUR_MS });
    expect(r.periodMs).toBe(HOUR_MS);
    expect(r.lines.requests).toBeCloseTo(0.0002, 12);
    expect(r.lines.duration).toBeCloseTo(0.00333334, 12);
  });

  it('static provisioned time rounds up to 5 minutes as one period, after composing', () => {
    const pc = fn('pc', 0, { provisionedConcurrency: 10, provisionedEnabledMs: 61 * 60_000 });
    // 61 min → 65 min = 3,900 s × 10 × 1 GB = 39,000 GB-s × 0.0000041667 = 0.1625013.
    expect(costOf([pc], BOOK, { ...NO_FREE, periodMs: 2 * HOUR_MS }).lines.provisionedConcurrency).toBeCloseTo(0.1625013, 10);
    // Enabled for a whole 1 h window × 720: 2,592,000 s × 10 GB = 25,920,000 GB-s × 0.0000041667 = 108.000864.
    const whole = composeUsage([{ usage: fn('pc', 0, { provisionedConcurrency: 10, provisionedEnabledMs: HOUR_MS }), weight: 720 }]);
    expect(costOf([whole], BOOK, NO_FREE).lines.provisionedConcurrency).toBeCloseTo(108.000864, 6);
  });
});

describe('discounts, rounding share and the other lines', () => {
  it('a 17 % Compute Savings Plan cuts duration and PC lines only', () => {
    const book = withOverrides(BOOK, { discount: { computeSavingsPlanPercent: 17 } });
    const u = fn('pc', 1e6, {
      requests: 1e6,
      ephemeralStorageMb: 1536,
      provisionedConcurrency: 1,
      provisionedEnabledMs: MONTH_MS,
      billedProvisionedMs: 1e8,
      actualProvisionedMs: 1e8,
    });
    const list = costOf([u], BOOK, NO_FREE);
    const saved = costOf([u], book, NO_FREE);
    // duration 1e6 × 0.0000166667 = 16.6667 → × 0.83 = 13.833361
    expect(saved.lines.duration).toBeCloseTo(13.833361, 9);
    // PC 2,592,000 GB-s × 0.0000041667 = 10.8000864 → × 0.83 = 8.96407171
    expect(saved.lines.provisionedConcurrency).toBeCloseTo(8.96407171, 8);
    // PC duration 100,000 GB-s × 0.0000097222 = 0.97222 → × 0.83 = 0.8069426
    expect(saved.lines.provisionedDuration).toBeCloseTo(0.8069426, 9);
    expect(saved.lines.requests).toBe(list.lines.requests);
    // Storage: 1 GB extra × (1e6 + 1e5) s = 1,100,000 GB-s × 0.0000000309 = 0.03399, undiscounted.
    expect(saved.lines.ephemeralStorage).toBeCloseTo(0.03399, 12);
    expect(saved.priceBook.computeSavingsPlanPercent).toBe(17);
  });

  it('rounding share weighs on-demand and provisioned duration by their own rounding', () => {
    // On-demand: billed 1,000 s, actual 750 s (share 0.25); provisioned: billed 1,000 s, actual 1,000 s.
    const u = fn('r', 0, {
      billedOnDemandMs: 1e6,
      actualOnDemandMs: 7.5e5,
      provisionedConcurrency: 1,
      billedProvisionedMs: 1e6,
      actualProvisionedMs: 1e6,
    });
    const r = costOf([u], BOOK, NO_FREE);
    // share (2000 − 1750) / 2000 = 0.125; usd = 0.25 × (1,000 × 0.0000166667) = 0.004166675.
    expect(r.functions[0].rounding.share).toBeCloseTo(0.125, 12);
    expect(r.functions[0].rounding.usd).toBeCloseTo(0.004166675, 12);
    expect(r.rounding.share).toBeCloseTo(0.125, 12);
  });

  it('pollers, SnapStart and async chunks', () => {
    const u = fn('x', 0, {
      requests: 1e6,
      asyncExtraRequestChunks: 5e5,
      sqsPollerEpuSeconds: 7200,
      kafkaPollerEpuSeconds: 3600,
      snapStartActiveMs: HOUR_MS,
      snapStartRestores: 1000,
    });
    const r = costOf([u], BOOK, { ...NO_FREE, periodMs: 2 * HOUR_MS });
    // (1M + 0.5M) × 0.2/M = 0.30, but cost per million invocations counts the 1M invocations.
    expect(r.lines.requests).toBeCloseTo(0.3, 12);
    // 2 EPU-h × 0.00925 + 1 × 0.185 = 0.2035
    expect(r.lines.pollers).toBeCloseTo(0.2035, 12);
    // cache: 1 h → 3 h minimum = 10,800 GB-s × 0.0000015046 = 0.01624968; restores 1000 GB × 0.0001397998 = 0.1397998
    expect(r.lines.snapStart).toBeCloseTo(0.01624968 + 0.1397998, 12);
    // (0.3 + 0.2035 + 0.15604948) / 1M invocations × 1M
    expect(r.usdPerMillionInvocations).toBeCloseTo(0.65954948, 10);
  });

  it('rejects invalid usage and options', () => {
    const bad = fn('bad', 1, { requests: -1, billedOnDemandMs: 10, actualOnDemandMs: 20 });
    try {
      costOf([bad], BOOK, { ...NO_FREE, periodMs: 0 });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).problems.map((p) => p.path)).toEqual([
        'periodMs',
        'usage[0] (bad).requests',
        'usage[0] (bad).billedOnDemandMs',
      ]);
    }
  });
});

describe('tenant isolation and Lambda@Edge (docs/sources.md §7)', () => {
  it('tenant isolation: 10,000 new environments at 2 GB × $0.000167 = $3.34', () => {
    const r = costOf([fn('t', 0, { memoryMb: 2048, tenantEnvironments: 10_000 })], BOOK, NO_FREE);
    expect(r.lines.tenantIsolation).toBeCloseTo(3.34, 12);
  });

  it('Lambda@Edge: its own prices on one line, no free tier, no tiers', () => {
    // 10 M × $0.60/M = 6; 10 M × 50 ms at 128 MB = 62,500 GB-s × $0.00005001 = 3.125625.
    const edge = fn('e', 0, { memoryMb: 128, edge: true, requests: 1e7, billedOnDemandMs: 1e7 * 50, actualOnDemandMs: 1e7 * 50 });
    const r = costOf([edge], BOOK, FREE);
    expect(r.lines.edge).toBeCloseTo(6 + 3.125625, 9);
    expect(r.lines.requests).toBe(0);
    expect(r.lines.duration).toBe(0);
    expect(r.freeTierUsed).toEqual({ requests: 0, gbSeconds: 0, streamedGb: 0 });
    expect(r.lineItems.map((l) => [l.service, l.item])).toEqual([['AWS Lambda', 'edge']]);
  });
});

describe('Regions (docs/sources.md §7 "Prices by Region")', () => {
  it('every priced Region has a book; its requests and tiers are those of us-east-1', () => {
    for (const region of ['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'ap-south-1', 'sa-east-1']) {
      const book = PRICE_BOOKS[`${region}-2026`];
      expect(book.region).toBe(region);
      const r = costOf([fn('a', 1e6, { requests: 2e6 }), fn('b', 1e6, { architecture: 'arm64' })], book, NO_FREE);
      expect(r.totalUsd).toBe(costOf([fn('a', 1e6, { requests: 2e6 }), fn('b', 1e6, { architecture: 'arm64' })], BOOK, NO_FREE).totalUsd);
      expect(r.lineItems[0].source).toContain(region);
    }
  });

  it('a price not confirmed for the Region is refused, naming the key that gives it', () => {
    const pc = fn('pc', 0, { provisionedConcurrency: 1, provisionedEnabledMs: HOUR_MS });
    expect(() => costOf([pc], PRICE_BOOKS['eu-west-1-2026'], NO_FREE)).toThrow(
      /eu-west-1-2026 price book has no confirmed provisioned concurrency price for eu-west-1 .*\(architectures\.x86_64\.provisionedUsdPerGbS, architectures\.x86_64\.provisionedDurationUsdPerGbS\)/,
    );
    const given = withOverrides(PRICE_BOOKS['eu-west-1-2026'], {
      architectures: { x86_64: { provisionedUsdPerGbS: 0.0000041667, provisionedDurationUsdPerGbS: 0.0000097222 } },
    });
    const priced = costOf([pc], given, NO_FREE);
    expect(priced.lines.provisionedConcurrency).toBeCloseTo(3600 * 0.0000041667, 12);
    // Its line cites the override, not the book.
    expect(priced.lineItems.find((l) => l.item === 'provisionedConcurrency')?.source).toBe('billing.prices (given by the scenario)');
    expect(given.sources.requests).toBe(PRICE_BOOKS['eu-west-1-2026'].sources.requests);
  });
});
