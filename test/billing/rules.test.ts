import { describe, expect, it } from 'vitest';
import { PRICE_BOOK_US_EAST_1_2026 } from '../../src/billing/pricebook.js';
import {
  GRANULARITY_PRESETS,
  INIT_BILLING_PRESETS,
  asyncBilledRequests,
  billedDurationMs,
  chargeableStreamedBytes,
  epuBilledSeconds,
  gbSeconds,
  onDemandInitBilled,
  pcBilledSeconds,
  presetOn,
  snapStartCacheBilledMs,
  tierBands,
  tieredCost,
} from '../../src/billing/rules.js';

const x86 = PRICE_BOOK_US_EAST_1_2026.architectures.x86_64!.durationTiers;
const arm = PRICE_BOOK_US_EAST_1_2026.architectures.arm64!.durationTiers;

describe('billed duration: rounded up per invocation, no minimum', () => {
  it('reproduces the REPORT lines of [BLOG-1MS]', () => {
    expect(billedDurationMs(27.4, 100)).toBe(100);
    expect(billedDurationMs(27.55, 1)).toBe(28);
  });

  it('keeps exact multiples and zero', () => {
    expect(billedDurationMs(100, 100)).toBe(100);
    expect(billedDurationMs(200, 100)).toBe(200);
    expect(billedDurationMs(28, 1)).toBe(28);
    expect(billedDurationMs(0, 1)).toBe(0);
    expect(billedDurationMs(0, 100)).toBe(0);
  });

  it('rounds anything above a multiple up, with no minimum', () => {
    expect(billedDurationMs(100.001, 100)).toBe(200);
    expect(billedDurationMs(0.01, 1)).toBe(1);
    expect(billedDurationMs(0.01, 100)).toBe(100);
  });

  it('is robust to floating error near a multiple', () => {
    // 100 * 1.1 = 110.00000000000001 in floating point: 110 ms, not 111.
    expect(billedDurationMs(100 * 1.1, 1)).toBe(110);
    expect(billedDurationMs(100 * 1.1, 10)).toBe(110);
    // 0.1 + 0.2 = 0.30000000000000004 is really above 0 ms: 1 ms.
    expect(billedDurationMs(0.1 + 0.2, 1)).toBe(1);
  });

  it('rejects negative and non-finite durations', () => {
    expect(() => billedDurationMs(-1, 1)).toThrow(RangeError);
    expect(() => billedDurationMs(Number.NaN, 1)).toThrow(RangeError);
    expect(() => billedDurationMs(5, 0)).toThrow(RangeError);
  });
});

describe('units and periods', () => {
  it('GB-s use GB = 1024 MB', () => {
    expect(gbSeconds(1024, 1000)).toBe(1);
    // 1536 / 1024 = 1.5 GB × 0.12 s = 0.18 GB-s.
    expect(gbSeconds(1536, 120)).toBeCloseTo(0.18, 12);
  });

  it('provisioned concurrency time rounds up to 5 minutes', () => {
    expect(pcBilledSeconds(0)).toBe(0);
    expect(pcBilledSeconds(1)).toBe(300);
    expect(pcBilledSeconds(300_000)).toBe(300);
    expect(pcBilledSeconds(300_001)).toBe(600);
    // 8 h (PC example 1) = 28,800 s, already a multiple.
    expect(pcBilledSeconds(8 * 3_600_000)).toBe(28_800);
  });

  it('SnapStart cache has a 3 h minimum, then per ms', () => {
    expect(snapStartCacheBilledMs(0)).toBe(0);
    expect(snapStartCacheBilledMs(3_600_000)).toBe(10_800_000);
    expect(snapStartCacheBilledMs(5 * 3_600_000 + 0.2)).toBe(18_000_001);
  });

  it('event poller units bill per second with a 1-minute minimum', () => {
    expect(epuBilledSeconds(0)).toBe(0);
    expect(epuBilledSeconds(10_000)).toBe(60);
    expect(epuBilledSeconds(61_500)).toBe(62);
  });

  it('async payloads above 256 KB cost one request per started 64 KB', () => {
    expect(asyncBilledRequests(1000)).toBe(1);
    expect(asyncBilledRequests(262_144)).toBe(1);
    expect(asyncBilledRequests(262_145)).toBe(2);
    // 1 MiB: (1,048,576 − 262,144) / 65,536 = 12 chunks + 1.
    expect(asyncBilledRequests(1_048_576)).toBe(13);
  });

  it('streamed bytes beyond the free 6 MB of each response', () => {
    expect(chargeableStreamedBytes(100 * 1024, 6)).toBe(0);
    expect(chargeableStreamedBytes(7 * 2 ** 20, 6)).toBe(2 ** 20);
  });
});

describe('dated presets', () => {
  it('granularity: 100 ms before 2020-12-01, 1 ms from it', () => {
    expect(presetOn(GRANULARITY_PRESETS, '2020-11-30')).toBe('100ms');
    expect(presetOn(GRANULARITY_PRESETS, '2020-12-01')).toBe('1ms');
    expect(GRANULARITY_PRESETS['100ms'].granularityMs).toBe(100);
  });

  it('init billing: unbilled before 2025-08-01, billed from it', () => {
    expect(presetOn(INIT_BILLING_PRESETS, '2025-07-31')).toBe('unbilled-zip-managed-legacy');
    expect(presetOn(INIT_BILLING_PRESETS, '2025-08-01')).toBe('billed-2025');
    expect(onDemandInitBilled('billed-2025')).toBe(true);
    expect(onDemandInitBilled('unbilled-zip-managed-legacy')).toBe(false);
  });
});

describe('tiered duration pricing', () => {
  it('7 B x86 GB-s: 6 B at the first price, 1 B at the second', () => {
    // 6e9 × 0.0000166667 = 100,000.2; 1e9 × 0.000015 = 15,000; total 115,000.2.
    const bands = tierBands(7e9, x86);
    expect(bands.map((b) => b.gbSeconds)).toEqual([6e9, 1e9]);
    expect(bands[0].usd).toBeCloseTo(100_000.2, 6);
    expect(bands[1].usd).toBeCloseTo(15_000, 6);
    expect(tieredCost(7e9, x86)).toBeCloseTo(115_000.2, 6);
  });

  it('exactly at a tier bound stays in the lower tier', () => {
    expect(tierBands(6e9, x86)).toHaveLength(1);
    expect(tieredCost(6e9, x86)).toBeCloseTo(100_000.2, 6);
    expect(tierBands(0, x86)).toEqual([]);
  });

  it('20 B GB-s walk all three tiers, differently per architecture', () => {
    // x86: 6e9 × 0.0000166667 = 100,000.2 + 9e9 × 0.000015 = 135,000 + 5e9 × 0.0000133334 = 66,667 → 301,667.2
    expect(tieredCost(20e9, x86)).toBeCloseTo(301_667.2, 5);
    // Arm: 7.5e9 × 0.0000133334 = 100,000.5 + 11.25e9 × 0.0000120001 = 135,001.125
    //      + 1.25e9 × 0.0000106667 = 13,333.375 → 248,335.0
    expect(tieredCost(20e9, arm)).toBeCloseTo(248_335, 5);
    // 7 B Arm GB-s stay in Arm's first tier (7.5 B): 7e9 × 0.0000133334 = 93,333.8.
    expect(tieredCost(7e9, arm)).toBeCloseTo(93_333.8, 6);
  });
});
