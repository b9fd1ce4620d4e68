import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  PRICE_BOOK_LEGACY_100MS,
  PRICE_BOOK_US_EAST_1_2026,
  priceBookProblems,
  withOverrides,
  type PriceOverrides,
} from '../../src/billing/pricebook.js';

function problemsOf(overrides: unknown): string[] {
  try {
    withOverrides(PRICE_BOOK_US_EAST_1_2026, overrides as PriceOverrides);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  return [];
}

describe('price books', () => {
  it('the shipped books are valid and frozen', () => {
    expect(priceBookProblems(PRICE_BOOK_US_EAST_1_2026)).toEqual([]);
    expect(priceBookProblems(PRICE_BOOK_LEGACY_100MS)).toEqual([]);
    expect(Object.isFrozen(PRICE_BOOK_US_EAST_1_2026.architectures.x86_64!.durationTiers[0])).toBe(true);
  });

  it('the legacy book has one flat x86 price and no Arm', () => {
    expect(PRICE_BOOK_LEGACY_100MS.architectures.x86_64!.durationTiers).toEqual([{ upToGbS: null, usdPerGbS: 0.00001667 }]);
    expect(PRICE_BOOK_LEGACY_100MS.architectures.arm64).toBeUndefined();
    expect(PRICE_BOOK_LEGACY_100MS.requestUsdPerMillion).toBe(0.2);
  });
});

describe('withOverrides', () => {
  it('replaces a price and leaves the rest and the original alone', () => {
    const book = withOverrides(PRICE_BOOK_US_EAST_1_2026, {
      requestUsdPerMillion: 0.25,
      architectures: { arm64: { provisionedUsdPerGbS: 0.000004 } },
      discount: { computeSavingsPlanPercent: 17 },
    });
    expect(book.requestUsdPerMillion).toBe(0.25);
    expect(book.architectures.arm64!.provisionedUsdPerGbS).toBe(0.000004);
    expect(book.architectures.arm64!.provisionedDurationUsdPerGbS).toBe(0.0000077778);
    expect(book.discount.computeSavingsPlanPercent).toBe(17);
    expect(PRICE_BOOK_US_EAST_1_2026.requestUsdPerMillion).toBe(0.2);
    expect(PRICE_BOOK_US_EAST_1_2026.discount.computeSavingsPlanPercent).toBe(0);
  });

  it('replaces the tier list whole', () => {
    const book = withOverrides(PRICE_BOOK_US_EAST_1_2026, {
      architectures: { x86_64: { durationTiers: [{ upToGbS: null, usdPerGbS: 0.00001 }] } },
    });
    expect(book.architectures.x86_64!.durationTiers).toEqual([{ upToGbS: null, usdPerGbS: 0.00001 }]);
  });

  it('adds a whole architecture to a book that lacks it, but not a partial one', () => {
    const arm = PRICE_BOOK_US_EAST_1_2026.architectures.arm64!;
    const book = withOverrides(PRICE_BOOK_LEGACY_100MS, { architectures: { arm64: arm } });
    expect(book.architectures.arm64).toEqual(arm);
    expect(() => withOverrides(PRICE_BOOK_LEGACY_100MS, { architectures: { arm64: { provisionedUsdPerGbS: 1 } } })).toThrow(
      /arm64: a new architecture needs durationTiers, provisionedDurationUsdPerGbS/,
    );
  });

  it('rejects a negative price with its path', () => {
    expect(problemsOf({ requestUsdPerMillion: -0.2 })).toEqual([
      'price.requestUsdPerMillion: must not be negative, got -0.2',
    ]);
    expect(problemsOf({ streaming: { usdPerGb: -1 } })).toEqual(['price.streaming.usdPerGb: must not be negative, got -1']);
    expect(problemsOf({ architectures: { x86_64: { durationTiers: [{ upToGbS: null, usdPerGbS: -1 }] } } })).toEqual([
      'price.architectures.x86_64.durationTiers[0].usdPerGbS: must not be negative, got -1',
    ]);
  });

  it('rejects unknown keys, wrong types, bad tiers and a discount above 100 %', () => {
    expect(problemsOf({ requestPrice: 1 })).toEqual(['price.requestPrice: is not a price-book key']);
    expect(problemsOf({ requestUsdPerMillion: '0.2' })).toEqual(['price.requestUsdPerMillion: expected number, got "0.2"']);
    expect(problemsOf({ freeTier: 5 })).toEqual(['price.freeTier: expected an object, got 5']);
    expect(problemsOf({ requestUsdPerMillion: Number.POSITIVE_INFINITY })).toEqual([
      'price.requestUsdPerMillion: must be a finite number, got Infinity',
    ]);
    expect(
      problemsOf({
        architectures: {
          x86_64: {
            durationTiers: [
              { upToGbS: 6e9, usdPerGbS: 1 },
              { upToGbS: 5e9, usdPerGbS: 1 },
              { upToGbS: 7e9, usdPerGbS: 1 },
            ],
          },
        },
      }),
    ).toEqual([
      'price.architectures.x86_64.durationTiers[1].upToGbS: tier bounds must increase',
      'price.architectures.x86_64.durationTiers[2].upToGbS: the last tier must be unbounded (null)',
    ]);
    expect(problemsOf({ architectures: { x86_64: { durationTiers: [] } } })).toEqual([
      'price.architectures.x86_64.durationTiers: needs at least one tier',
    ]);
    expect(problemsOf({ discount: { computeSavingsPlanPercent: 120 } })).toEqual([
      'price.discount.computeSavingsPlanPercent: is a percentage (0–100), got 120',
    ]);
  });
});
