/**
 * Lambda price books: dated price sheets as data (docs/billing.md).
 *
 * Every number cites its section of docs/sources.md and its source
 * key there ([PRICE] = the 2026 copy of https://aws.amazon.com/lambda/pricing/,
 * [PRICE-OLD] = the same page in the 100 ms era). Rounding increments and
 * minimums are billing rules, not prices: they live in `rules.ts`.
 *
 * Units (names carry them): `usd...` US dollars, `GbS` GB-seconds, GB = 1024 MB
 * (docs/sources.md §7, docs/sources.md §12 "Units"), `Gb` gibibytes, `Mb` mebibytes.
 */
import { UserError, type Problem } from '../errors.js';

export type Architecture = 'x86_64' | 'arm64';

/** The Lambda line items of a bill (docs/billing.md lists each with its price and source). */
export const LINE_ITEMS = [
  'requests',
  'duration',
  'provisionedConcurrency',
  'provisionedDuration',
  'ephemeralStorage',
  'streaming',
  'pollers',
  'snapStart',
  'tenantIsolation',
  'edge',
] as const;
export type LineItem = (typeof LINE_ITEMS)[number];

/** One band of the monthly duration price ladder. */
export interface PriceTier {
  /** Cumulative monthly GB-s up to which this price applies; null = no upper bound (the last tier). */
  upToGbS: number | null;
  usdPerGbS: number;
}

/**
 * Compute prices of one architecture. A null price is one lsim could not
 * confirm for the book's Region (docs/sources.md §7 "Prices by Region"):
 * usage that needs it is refused until `billing.prices` gives it.
 */
export interface ArchitecturePrices {
  /** On-demand duration, walked over the account's monthly total for this architecture. */
  durationTiers: PriceTier[];
  /** Provisioned concurrency, per GB-s configured (memory × concurrency × enabled time). */
  provisionedUsdPerGbS: number | null;
  /** Duration of invocations served by provisioned environments, per GB-s. */
  provisionedDurationUsdPerGbS: number | null;
}

export interface PriceBook {
  /** Stable name for reports. */
  name: string;
  /** The date (YYYY-MM-DD) at which these prices were in force; also selects the default billing rules. */
  effectiveDate: string;
  region: string;
  /** Where the numbers come from. */
  source: string;
  requestUsdPerMillion: number;
  /** Architectures the book prices; an absent one was not offered at `effectiveDate`. */
  architectures: Partial<Record<Architecture, ArchitecturePrices>>;
  ephemeralStorage: {
    /** Per GB-s of storage configured above `freeMb`, over billed duration. */
    usdPerGbS: number | null;
    freeMb: number;
  };
  snapStart: {
    /** Per GB-s (function memory) while the version is active; 3 h minimum (rules.ts). */
    cacheUsdPerGbS: number | null;
    /** Per GB restored (function memory) per restore. */
    restoreUsdPerGb: number | null;
  };
  streaming: {
    /** Per GB streamed beyond the free amounts. */
    usdPerGb: number | null;
    /** Free GB per month (account-wide). */
    freeGbPerMonth: number;
    /** The first this-many MB of every streamed response are free. */
    freeMbPerRequest: number;
  };
  eventPollers: {
    /** SQS event source mapping in provisioned mode, per event poller unit hour. */
    sqsUsdPerEpuHour: number | null;
    /** Kafka (MSK and self-managed) event source mapping in provisioned mode. */
    kafkaUsdPerEpuHour: number | null;
  };
  tenantIsolation: {
    /** Per new execution environment of a tenant-isolated function, per GB of its memory. */
    usdPerGbEnvironment: number | null;
  };
  /** Lambda@Edge: its own request and duration prices, no free tier and no tiers. */
  edge: {
    requestUsdPerMillion: number | null;
    usdPerGbS: number | null;
  };
  freeTier: {
    requestsPerMonth: number;
    /** On-demand duration GB-s per month, shared by x86 and Arm. */
    gbSecondsPerMonth: number;
  };
  discount: {
    /** Compute Savings Plan: percent taken off duration and provisioned-concurrency lines only (0–100). */
    computeSavingsPlanPercent: number;
  };
  /** Where each line item's price comes from, as docs/sources.md cites it (the result's cost lines carry it). */
  sources: Record<LineItem, string>;
}

const PRICE_2026 = '§7 [PRICE] (2026)';

/** us-east-1 as published on the 2026 pricing page. */
export const PRICE_BOOK_US_EAST_1_2026: PriceBook = deepFreeze({
  name: 'us-east-1-2026',
  // [PRICE] copy is undated but from 2026 (docs/sources.md "Source keys").
  effectiveDate: '2026-01-01',
  region: 'us-east-1',
  source: '[PRICE] https://aws.amazon.com/lambda/pricing/ (2026 copy); tier values from copy id 19285002591',
  requestUsdPerMillion: 0.2, // §7 [PRICE]: $0.20 per 1 M requests
  architectures: {
    x86_64: {
      durationTiers: [
        { upToGbS: 6e9, usdPerGbS: 0.0000166667 }, // §7 [PRICE]: first 6 B GB-s / month
        { upToGbS: 15e9, usdPerGbS: 0.000015 }, // §7 [PRICE]: next 9 B GB-s
        { upToGbS: null, usdPerGbS: 0.0000133334 }, // §7 [PRICE]: over 15 B GB-s
      ],
      provisionedUsdPerGbS: 0.0000041667, // §7 [PRICE]: PC x86, per GB-s provisioned
      provisionedDurationUsdPerGbS: 0.0000097222, // §7 [PRICE]: PC x86, per GB-s executed
    },
    arm64: {
      durationTiers: [
        { upToGbS: 7.5e9, usdPerGbS: 0.0000133334 }, // §7 [PRICE]: first 7.5 B GB-s / month
        { upToGbS: 18.75e9, usdPerGbS: 0.0000120001 }, // §7 [PRICE]: next 11.25 B GB-s
        { upToGbS: null, usdPerGbS: 0.0000106667 }, // §7 [PRICE]: over 18.75 B GB-s
      ],
      provisionedUsdPerGbS: 0.0000033334, // §7, third-party tables (not in the [PRICE] copy)
      provisionedDurationUsdPerGbS: 0.0000077778, // §7, third-party tables (not in the [PRICE] copy)
    },
  },
  ephemeralStorage: {
    usdPerGbS: 0.0000000309, // §7 [PRICE]
    freeMb: 512, // §7 [PRICE]: 512 MB included
  },
  snapStart: {
    cacheUsdPerGbS: 0.0000015046, // §7 [PRICE]
    restoreUsdPerGb: 0.0001397998, // §7 [PRICE]
  },
  streaming: {
    usdPerGb: 0.008, // §7 [PRICE]
    freeGbPerMonth: 100, // §7 [PRICE]: 100 GiB per month
    freeMbPerRequest: 6, // §7 [PRICE]: first 6 MB of each request
  },
  eventPollers: {
    sqsUsdPerEpuHour: 0.00925, // §7 [PRICE]
    kafkaUsdPerEpuHour: 0.185, // §7 [PRICE]
  },
  tenantIsolation: {
    usdPerGbEnvironment: 0.000167, // §7 [PRICE] worked example ("about"; the page gives no more digits)
  },
  edge: {
    requestUsdPerMillion: 0.6, // §7 [PRICE]: Lambda@Edge $0.60 per 1 M requests
    usdPerGbS: 0.00000625125 * 8, // §7 [PRICE]: $0.00000625125 per 128 MB-s
  },
  freeTier: {
    requestsPerMonth: 1_000_000, // §7 [PRICE]
    gbSecondsPerMonth: 400_000, // §7 [PRICE]: shared by x86 and Arm
  },
  discount: { computeSavingsPlanPercent: 0 },
  sources: {
    requests: PRICE_2026,
    duration: `${PRICE_2026}; tiers from copy id 19285002591`,
    provisionedConcurrency: `${PRICE_2026}; Arm from third-party tables`,
    provisionedDuration: `${PRICE_2026}; Arm from third-party tables`,
    ephemeralStorage: PRICE_2026,
    streaming: PRICE_2026,
    pollers: PRICE_2026,
    snapStart: PRICE_2026,
    tenantIsolation: `${PRICE_2026}, worked example ("about")`,
    edge: PRICE_2026,
  },
});

/**
 * The 100 ms era (before 2020-12-01): one flat duration price and x86 only
 * (Arm functions launched in 2021). [PRICE-OLD] gives only the request,
 * duration and free-tier figures; the other prices are carried over from the
 * 2026 book (those features mostly did not exist yet).
 */
export const PRICE_BOOK_LEGACY_100MS: PriceBook = deepFreeze({
  ...PRICE_BOOK_US_EAST_1_2026,
  name: 'us-east-1-legacy-100ms',
  // The last day of the 100 ms era (§9); billing rules are chosen by this date.
  effectiveDate: '2020-11-30',
  source: '[PRICE-OLD] https://aws.amazon.com/lambda/pricing/ (archived, 100 ms era); other prices from [PRICE]',
  requestUsdPerMillion: 0.2, // §7 [PRICE-OLD]: $0.20 per 1 M requests
  architectures: {
    x86_64: {
      ...PRICE_BOOK_US_EAST_1_2026.architectures.x86_64!,
      durationTiers: [{ upToGbS: null, usdPerGbS: 0.00001667 }], // §7 [PRICE-OLD]: $0.00001667 per GB-s, flat
    },
  },
  freeTier: {
    requestsPerMonth: 1_000_000, // §7 [PRICE-OLD]
    gbSecondsPerMonth: 400_000, // §7 [PRICE-OLD]
  },
  sources: {
    ...PRICE_BOOK_US_EAST_1_2026.sources,
    requests: '§7 [PRICE-OLD]',
    duration: '§7 [PRICE-OLD] (flat)',
  },
});

/**
 * A Region whose on-demand prices lsim confirmed (docs/sources.md §7 "Prices
 * by Region"): requests and both architectures' duration tiers equal
 * us-east-1's there. Every other price (provisioned concurrency, storage,
 * SnapStart, streaming, pollers, tenant isolation, Lambda@Edge) could not be
 * confirmed for the Region and is null: usage that needs one is refused with
 * a message that says so, until `billing.prices` gives it.
 */
function regionBook(region: string): PriceBook {
  const us = PRICE_BOOK_US_EAST_1_2026;
  const onDemand = `§7 "Prices by Region" (${region}, read 2026)`;
  const unconfirmed = `not confirmed for ${region} (§7 "Prices by Region")`;
  const arch = (a: Architecture): ArchitecturePrices => ({
    durationTiers: us.architectures[a]!.durationTiers,
    provisionedUsdPerGbS: null,
    provisionedDurationUsdPerGbS: null,
  });
  return deepFreeze({
    ...us,
    name: `${region}-2026`,
    region,
    source: 'docs/sources.md §7 "Prices by Region" (read 2026): requests and duration only',
    architectures: { x86_64: arch('x86_64'), arm64: arch('arm64') },
    ephemeralStorage: { ...us.ephemeralStorage, usdPerGbS: null },
    snapStart: { cacheUsdPerGbS: null, restoreUsdPerGb: null },
    streaming: { ...us.streaming, usdPerGb: null },
    eventPollers: { sqsUsdPerEpuHour: null, kafkaUsdPerEpuHour: null },
    tenantIsolation: { usdPerGbEnvironment: null },
    edge: { requestUsdPerMillion: null, usdPerGbS: null },
    sources: {
      requests: onDemand,
      duration: onDemand,
      provisionedConcurrency: unconfirmed,
      provisionedDuration: unconfirmed,
      ephemeralStorage: unconfirmed,
      streaming: unconfirmed,
      pollers: unconfirmed,
      snapStart: unconfirmed,
      tenantIsolation: unconfirmed,
      edge: unconfirmed,
    },
  });
}

/** The Regions besides us-east-1 whose on-demand prices docs/sources.md §7 "Prices by Region" confirms. */
const OTHER_REGIONS = ['us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'ap-south-1', 'sa-east-1'];

/** Every price book by the name a scenario (`billing.priceBook`) or `lsim price --price-book` gives. */
export const PRICE_BOOKS: Readonly<Record<string, PriceBook>> = Object.freeze({
  'us-east-1-2026': PRICE_BOOK_US_EAST_1_2026,
  'legacy-100ms': PRICE_BOOK_LEGACY_100MS,
  ...Object.fromEntries(OTHER_REGIONS.map((region) => [`${region}-2026`, regionBook(region)])),
});

/** The Regions that have a price book, us-east-1 first. */
export const PRICED_REGIONS: readonly string[] = ['us-east-1', ...OTHER_REGIONS];

/** The 2026 book of a Region; undefined for a Region lsim has no prices for. */
export function priceBookForRegion(region: string): PriceBook | undefined {
  return PRICE_BOOKS[`${region}-2026`];
}

/** A partial price book: objects merge key by key, arrays (the tiers) replace whole. */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Overrides<T[K]> }
    : T;

export type PriceOverrides = Overrides<PriceBook>;

/** The on-demand duration price of the first monthly tier, after the book's discount (the pay-as-you-go margin). */
export function firstTierUsdPerGbS(book: PriceBook, architecture: Architecture): number {
  const prices = book.architectures[architecture];
  if (!prices) throw new UserError(`the ${book.name} price book has no ${architecture} prices`);
  return prices.durationTiers[0].usdPerGbS * (1 - book.discount.computeSavingsPlanPercent / 100);
}

/** What a line item is called in messages. */
const LINE_ITEM_LABELS: Readonly<Record<LineItem, string>> = {
  requests: 'requests',
  duration: 'duration',
  provisionedConcurrency: 'provisioned concurrency',
  provisionedDuration: 'duration on provisioned concurrency',
  ephemeralStorage: 'ephemeral storage',
  streaming: 'response streaming',
  pollers: 'event poller units',
  snapStart: 'SnapStart',
  tenantIsolation: 'tenant isolation',
  edge: 'Lambda@Edge',
};

/** The prices line item `item` of an `architecture` function is priced with, by key path under `billing.prices`. */
function itemPrices(book: PriceBook, item: LineItem, architecture: Architecture): Array<[string, unknown]> {
  const a = book.architectures[architecture];
  const arch = `architectures.${architecture}`;
  switch (item) {
    case 'requests':
      return [['requestUsdPerMillion', book.requestUsdPerMillion]];
    case 'duration':
      return [[`${arch}.durationTiers`, a?.durationTiers]];
    case 'provisionedConcurrency':
    case 'provisionedDuration':
      // Provisioned concurrency brings both of its prices: the configured PC and the duration on it.
      return [[`${arch}.provisionedUsdPerGbS`, a?.provisionedUsdPerGbS], [`${arch}.provisionedDurationUsdPerGbS`, a?.provisionedDurationUsdPerGbS]];
    case 'ephemeralStorage':
      return [['ephemeralStorage.usdPerGbS', book.ephemeralStorage.usdPerGbS]];
    case 'streaming':
      return [['streaming.usdPerGb', book.streaming.usdPerGb]];
    case 'pollers':
      return [['eventPollers.sqsUsdPerEpuHour', book.eventPollers.sqsUsdPerEpuHour], ['eventPollers.kafkaUsdPerEpuHour', book.eventPollers.kafkaUsdPerEpuHour]];
    case 'snapStart':
      return [['snapStart.cacheUsdPerGbS', book.snapStart.cacheUsdPerGbS], ['snapStart.restoreUsdPerGb', book.snapStart.restoreUsdPerGb]];
    case 'tenantIsolation':
      return [['tenantIsolation.usdPerGbEnvironment', book.tenantIsolation.usdPerGbEnvironment]];
    case 'edge':
      return [['edge.requestUsdPerMillion', book.edge.requestUsdPerMillion], ['edge.usdPerGbS', book.edge.usdPerGbS]];
  }
}

/**
 * The prices `item` needs that `book` lacks (null: not confirmed for its
 * Region), as key paths under `billing.prices`; empty when it can be priced.
 * (Pollers need the SQS price: the simulation has no Kafka mappings.)
 */
export function missingPrices(book: PriceBook, item: LineItem, architecture: Architecture): string[] {
  return itemPrices(book, item, architecture)
    .filter(([key, price]) => price === null && key !== 'eventPollers.kafkaUsdPerEpuHour')
    .map(([key]) => key);
}

/** "the eu-west-1-2026 price book has no confirmed price for …; give billing.prices.…" */
export function missingPriceMessage(book: PriceBook, item: LineItem, keys: readonly string[]): string {
  return (
    `the ${book.name} price book has no confirmed ${LINE_ITEM_LABELS[item]} price for ${book.region} ` +
    `(docs/sources.md §7 "Prices by Region"); give it in billing.prices (${keys.join(', ')})`
  );
}

/**
 * A copy of `book` with `overrides` applied (any price, free amount or the
 * Compute Savings Plan discount), validated. Throws a UserError listing every
 * problem (unknown key, wrong type, negative price, bad tiers, discount > 100).
 * `overrides` may come straight from a parsed file, so it is checked at run time.
 */
export function withOverrides(book: PriceBook, overrides: PriceOverrides): PriceBook {
  const problems: Problem[] = [];
  const merged = merge(book, overrides, 'price', problems, book.architectures.x86_64) as PriceBook;
  if (problems.length === 0) problems.push(...priceBookProblems(merged));
  if (problems.length > 0) throw new UserError(problems);
  // A line priced with an overridden price says so instead of citing the book.
  for (const item of LINE_ITEMS) {
    const changed = (['x86_64', 'arm64'] as const).some((a) => JSON.stringify(itemPrices(merged, item, a)) !== JSON.stringify(itemPrices(book, item, a)));
    if (changed) merged.sources[item] = 'billing.prices (given by the scenario)';
  }
  return deepFreeze(merged);
}

/** Problems with a price book: non-finite or negative numbers, malformed tiers, a discount above 100 %. */
export function priceBookProblems(book: PriceBook): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push({ path, message: `must be a finite number, got ${value}` });
      else if (value < 0) problems.push({ path, message: `must not be negative, got ${value}` });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, Array.isArray(value) ? `${path}[${k}]` : `${path}.${k}`);
    }
  };
  walk(book, 'price');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(book.effectiveDate)) {
    problems.push({ path: 'price.effectiveDate', message: `must be YYYY-MM-DD, got ${JSON.stringify(book.effectiveDate)}` });
  }
  if (book.discount.computeSavingsPlanPercent > 100) {
    problems.push({
      path: 'price.discount.computeSavingsPlanPercent',
      message: `is a percentage (0–100), got ${book.discount.computeSavingsPlanPercent}`,
    });
  }
  for (const [arch, prices] of Object.entries(book.architectures)) {
    const tiers = prices?.durationTiers ?? [];
    const path = `price.architectures.${arch}.durationTiers`;
    if (tiers.length === 0) problems.push({ path, message: 'needs at least one tier' });
    tiers.forEach((tier, i) => {
      const last = i === tiers.length - 1;
      if (tier === null || typeof tier !== 'object' || typeof tier.usdPerGbS !== 'number' || !(tier.upToGbS === null || typeof tier.upToGbS === 'number')) {
        problems.push({ path: `${path}[${i}]`, message: 'a tier is { upToGbS: number | null, usdPerGbS: number }' });
      } else if (last && tier.upToGbS !== null) {
        problems.push({ path: `${path}[${i}].upToGbS`, message: 'the last tier must be unbounded (null)' });
      } else if (!last && tier.upToGbS === null) {
        problems.push({ path: `${path}[${i}].upToGbS`, message: 'only the last tier may be unbounded (null)' });
      } else if (i > 0 && tier.upToGbS !== null && tier.upToGbS <= (tiers[i - 1]?.upToGbS ?? Infinity)) {
        problems.push({ path: `${path}[${i}].upToGbS`, message: 'tier bounds must increase' });
      }
    });
  }
  return problems;
}

/**
 * Merges `patch` into `base`, recording unknown keys and type mismatches.
 * `template` describes entries of records whose keys are optional in `base`
 * (an architecture absent from a book may be added whole).
 */
function merge(base: unknown, patch: unknown, path: string, problems: Problem[], template: unknown): unknown {
  if (patch === undefined) return structuredClone(base);
  if (base === null) {
    // A price the book could not confirm for its Region: a number gives it.
    if (typeof patch !== 'number') problems.push({ path, message: `expected a number, got ${JSON.stringify(patch)}` });
    return patch;
  }
  if (Array.isArray(base) || typeof base !== 'object') {
    const ok = Array.isArray(base) ? Array.isArray(patch) : typeof patch === typeof base;
    if (!ok) problems.push({ path, message: `expected ${Array.isArray(base) ? 'a list' : typeof base}, got ${JSON.stringify(patch)}` });
    return structuredClone(patch);
  }
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    problems.push({ path, message: `expected an object, got ${JSON.stringify(patch)}` });
    return structuredClone(base);
  }
  const out: Record<string, unknown> = structuredClone(base) as Record<string, unknown>;
  const isArchitectures = path === 'price.architectures';
  for (const [key, value] of Object.entries(patch)) {
    const sub = `${path}.${key}`;
    if (key in out) out[key] = merge(out[key], value, sub, problems, template);
    else if (isArchitectures && (key === 'x86_64' || key === 'arm64')) {
      // A new architecture must be given whole: merge onto the template and require every key.
      const missing = Object.keys(template as object).filter((k) => !(k in (value as object)));
      if (missing.length > 0) problems.push({ path: sub, message: `a new architecture needs ${missing.join(', ')}` });
      out[key] = merge(template, value, sub, problems, template);
    } else problems.push({ path: sub, message: 'is not a price-book key' });
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
