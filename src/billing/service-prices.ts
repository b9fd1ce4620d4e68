/**
 * The rest of the bill (issue 17 item 3; docs/billing.md "The rest of the bill"): price books of the
 * services around Lambda — SQS, Kinesis Data Streams, DynamoDB Streams, API Gateway, function URLs,
 * SNS, EventBridge, Step Functions, CloudWatch Logs and data transfer — dated and sourced in
 * docs/sources.md §15, and the arithmetic that turns a month's quantities into line items.
 *
 * A price is a ladder of tiers over the month's quantity, in a display unit (`per` units: per million
 * requests, per hour, per GB); null where lsim could not confirm the price (the line is refused with a
 * message naming the `billing.servicePrices` key that gives it). Free allowances that never expire
 * (SQS 1 M requests, SNS 1 M publishes, Step Functions 4,000 transitions, CloudWatch Logs 5 GB, data
 * transfer out 100 GB) are `free` pools; API Gateway's free tier lasts 12 months for new accounts only
 * and is not applied. Items that are free by AWS's rule (DynamoDB Streams reads by Lambda triggers,
 * function URLs, SNS deliveries to Lambda) are zero-priced lines that say so.
 */
import { UserError, type Problem } from '../errors.js';

/** Every service quantity a bill can hold, by the key models and `lsim price` use. */
export const SERVICE_ITEMS = [
  'sqsStandardRequests',
  'sqsFifoRequests',
  'kinesisShardHours',
  'kinesisPutPayloadUnits',
  'kinesisOnDemandStreamHours',
  'kinesisOnDemandGbIn',
  'kinesisOnDemandGbOut',
  'kinesisEfoConsumerShardHours',
  'kinesisEfoGbOut',
  'dynamodbStreamsLambdaReads',
  'apigwRestRequests',
  'apigwHttpRequests',
  'functionUrlRequests',
  'snsPublishes',
  'snsLambdaDeliveries',
  'eventbridgeCustomEvents',
  'stepFunctionsTransitions',
  'stepFunctionsExpressRequests',
  'stepFunctionsExpressGbSeconds',
  'logsIngestedGb',
  'dataTransferOutGb',
] as const;
export type ServiceItem = (typeof SERVICE_ITEMS)[number];

/** One band of a service price: up to `upTo` units a month (cumulative; null = unbounded), `usd` per `per` units. */
export interface ServiceTier {
  upTo: number | null;
  usd: number;
}

export interface ServicePrice {
  /** The AWS service, as the bill names it. */
  service: string;
  /** What is counted, in words. */
  label: string;
  /** The counted unit (singular): request, shard-hour, GB. */
  unit: string;
  /** The price is per this many units (1e6 for "per million"). */
  per: number;
  /** The tiers; null = not confirmed for the Region (docs/sources.md §15). */
  tiers: ServiceTier[] | null;
  /** A free allowance that never expires: `quantity` units a month, shared by the items of the same `pool`. */
  free?: { pool: string; quantity: number };
  /** Why a zero price is zero, or what the line assumes. */
  note?: string;
  /** docs/sources.md section and source key. */
  source: string;
}

export interface ServicePriceBook {
  name: string;
  region: string;
  /** When the prices were read (YYYY-MM-DD). */
  read: string;
  prices: Readonly<Record<ServiceItem, ServicePrice>>;
}

/** The month's quantities of each service item (absent = 0). */
export type ServiceQuantities = Partial<Record<ServiceItem, number>>;

/** One priced service line. */
export interface ServiceLine {
  service: string;
  item: ServiceItem;
  label: string;
  quantity: number;
  unit: string;
  /** Units the free allowance covered. */
  freeQuantity: number;
  usd: number;
  /** "$0.40 per million requests", or the tiers, for the report. */
  price: string;
  source: string;
  note?: string;
}

const READ = '2026-12-02';
const GB = 'GB';

const flat = (usd: number): ServiceTier[] => [{ upTo: null, usd }];
const FREE: ServiceTier[] = flat(0);

/** us-east-1, read 2026-12-02 (docs/sources.md §15). */
const US_EAST_1: Record<ServiceItem, ServicePrice> = {
  // §15 [SQS-PRICE]: $0.40 per million (first 100 B a month), $0.30 (next 100 B), $0.24 (over 200 B); each 64 KB chunk is a request.
  sqsStandardRequests: {
    service: 'Amazon SQS',
    label: 'standard queue requests (each 64 KB chunk of a send, receive or delete; empty receives)',
    unit: 'request',
    per: 1e6,
    tiers: [
      { upTo: 100e9, usd: 0.4 },
      { upTo: 200e9, usd: 0.3 },
      { upTo: null, usd: 0.24 },
    ],
    free: { pool: 'sqs', quantity: 1e6 },
    source: '§15 [SQS-PRICE] (read 2026-12-02)',
  },
  // §15 [SQS-PRICE]: $0.50 per million for FIFO; its tiers above 100 B a month are not confirmed, so lsim prices FIFO flat.
  sqsFifoRequests: {
    service: 'Amazon SQS',
    label: 'FIFO queue requests (each 64 KB chunk of a send, receive or delete; empty receives)',
    unit: 'request',
    per: 1e6,
    tiers: flat(0.5),
    free: { pool: 'sqs', quantity: 1e6 },
    note: 'flat: the FIFO tiers above 100 B requests a month are not confirmed',
    source: '§15 [SQS-PRICE] (read 2026-12-02)',
  },
  // §15 [KDS-CALC]: $0.015 per shard-hour, $0.014 per million PUT payload units (25 KB each).
  kinesisShardHours: {
    service: 'Amazon Kinesis Data Streams',
    label: 'provisioned shard-hours',
    unit: 'shard-hour',
    per: 1,
    tiers: flat(0.015),
    source: '§15 [KDS-CALC], [KDS-PRICE] (read 2026-12-02)',
  },
  kinesisPutPayloadUnits: {
    service: 'Amazon Kinesis Data Streams',
    label: 'PUT payload units (each 25 KB chunk of a record)',
    unit: 'PUT payload unit',
    per: 1e6,
    tiers: flat(0.014),
    source: '§15 [KDS-CALC], [KDS-PRICE] (read 2026-12-02)',
  },
  // §15: on-demand and enhanced fan-out prices disagree between the sources lsim found: not confirmed.
  kinesisOnDemandStreamHours: {
    service: 'Amazon Kinesis Data Streams',
    label: 'on-demand stream-hours',
    unit: 'stream-hour',
    per: 1,
    tiers: null,
    source: '§15 not confirmed (sources disagree)',
  },
  kinesisOnDemandGbIn: {
    service: 'Amazon Kinesis Data Streams',
    label: 'on-demand data in (each record rounded up to 1 KB)',
    unit: GB,
    per: 1,
    tiers: null,
    source: '§15 not confirmed (sources disagree)',
  },
  kinesisOnDemandGbOut: {
    service: 'Amazon Kinesis Data Streams',
    label: 'on-demand data retrieved',
    unit: GB,
    per: 1,
    tiers: null,
    source: '§15 not confirmed (sources disagree)',
  },
  kinesisEfoConsumerShardHours: {
    service: 'Amazon Kinesis Data Streams',
    label: 'enhanced fan-out consumer-shard-hours',
    unit: 'consumer-shard-hour',
    per: 1,
    tiers: flat(0.015),
    source: '§15 secondary sources agree (read 2026-12-02)',
  },
  kinesisEfoGbOut: {
    service: 'Amazon Kinesis Data Streams',
    label: 'enhanced fan-out data retrieved',
    unit: GB,
    per: 1,
    tiers: null,
    source: '§15 not confirmed (sources disagree)',
  },
  // §15 [DDB-STREAMS]: GetRecords calls made by Lambda triggers are not charged.
  dynamodbStreamsLambdaReads: {
    service: 'Amazon DynamoDB Streams',
    label: 'stream read requests by the Lambda trigger',
    unit: 'read request',
    per: 1e6,
    tiers: FREE,
    note: 'free: DynamoDB does not charge GetRecords calls made by Lambda triggers',
    source: '§15 [DDB-STREAMS] (read 2026-12-02)',
  },
  // §15 [APIGW-PRICE]: REST $3.50 / M (first 333 M), $2.80 (next 667 M), $2.38 (next 19 B), $1.51 (over 20 B).
  apigwRestRequests: {
    service: 'Amazon API Gateway',
    label: 'REST API requests',
    unit: 'request',
    per: 1e6,
    tiers: [
      { upTo: 333e6, usd: 3.5 },
      { upTo: 1e9, usd: 2.8 },
      { upTo: 20e9, usd: 2.38 },
      { upTo: null, usd: 1.51 },
    ],
    note: "the 12-month free tier of new accounts is not applied",
    source: '§15 [APIGW-PRICE] (read 2026-12-02)',
  },
  // §15 [APIGW-PRICE]: HTTP $1.00 / M (first 300 M), $0.90 over; metered in 512 KB increments.
  apigwHttpRequests: {
    service: 'Amazon API Gateway',
    label: 'HTTP API requests (each 512 KB increment)',
    unit: 'request',
    per: 1e6,
    tiers: [
      { upTo: 300e6, usd: 1.0 },
      { upTo: null, usd: 0.9 },
    ],
    note: "the 12-month free tier of new accounts is not applied",
    source: '§15 [APIGW-PRICE] (read 2026-12-02)',
  },
  functionUrlRequests: {
    service: 'AWS Lambda function URLs',
    label: 'function URL requests',
    unit: 'request',
    per: 1e6,
    tiers: FREE,
    note: 'no extra charge: a function URL request is billed as a Lambda invocation',
    source: '§15 [FURL] (read 2026-12-02)',
  },
  // §15 [SNS-PRICE]: $0.50 per million publishes (each 64 KB chunk), first 1 M free; deliveries to Lambda are free.
  snsPublishes: {
    service: 'Amazon SNS',
    label: 'standard topic publishes (each 64 KB chunk)',
    unit: 'publish',
    per: 1e6,
    tiers: flat(0.5),
    free: { pool: 'sns', quantity: 1e6 },
    source: '§15 [SNS-PRICE] (read 2026-12-02)',
  },
  snsLambdaDeliveries: {
    service: 'Amazon SNS',
    label: 'deliveries to Lambda',
    unit: 'delivery',
    per: 1e6,
    tiers: FREE,
    note: 'free: SNS does not charge deliveries to Lambda functions',
    source: '§15 [SNS-PRICE] (read 2026-12-02)',
  },
  // §15 [EB-PRICE]: $1.00 per million custom events published (each 64 KB chunk).
  eventbridgeCustomEvents: {
    service: 'Amazon EventBridge',
    label: 'custom events published (each 64 KB chunk)',
    unit: 'event',
    per: 1e6,
    tiers: flat(1.0),
    source: '§15 [EB-PRICE] (read 2026-12-02)',
  },
  // §15 [SFN-PRICE]: $0.025 per 1,000 state transitions, 4,000 free a month (never expiring).
  stepFunctionsTransitions: {
    service: 'AWS Step Functions',
    label: 'standard workflow state transitions',
    unit: 'state transition',
    per: 1000,
    tiers: flat(0.025),
    free: { pool: 'sfn', quantity: 4000 },
    source: '§15 [SFN-PRICE] (read 2026-12-02)',
  },
  // §15 [SFN-PRICE]: Express workflows $1.00 per million requests (executions started).
  stepFunctionsExpressRequests: {
    service: 'AWS Step Functions',
    label: 'express workflow requests (executions started)',
    unit: 'request',
    per: 1e6,
    tiers: flat(1.0),
    source: '§15 [SFN-PRICE] (read 2026-12-02)',
  },
  // §15 [SFN-PRICE]: Express duration $0.00001667 per GB-second, billed in 100 ms and 64 MB steps
  // (SFN_EXPRESS_ROUNDING); the first 1,000 K GB-hours' price, the lower tiers above it not walked.
  stepFunctionsExpressGbSeconds: {
    service: 'AWS Step Functions',
    label: 'express workflow duration (100 ms, 64 MB steps)',
    unit: 'GB-second',
    per: 1,
    tiers: flat(0.00001667),
    note: "the first tier's price throughout (above 1,000 K GB-hours a month AWS charges less)",
    source: '§15 [SFN-PRICE] (read 2026-12-02)',
  },
  // §15 [CWL-LAMBDA]: Lambda's logs (vended) since 2025-05-01: $0.50 / GB first 10 TB, $0.25 next 20 TB, $0.10 next 20 TB, $0.05 over 50 TB.
  logsIngestedGb: {
    service: 'Amazon CloudWatch Logs',
    label: 'Lambda log ingestion (standard class)',
    unit: GB,
    per: 1,
    tiers: [
      { upTo: 10 * 1024, usd: 0.5 },
      { upTo: 30 * 1024, usd: 0.25 },
      { upTo: 50 * 1024, usd: 0.1 },
      { upTo: null, usd: 0.05 },
    ],
    free: { pool: 'logs', quantity: 5 },
    note: 'TB taken as 1,024 GB (an assumption)',
    source: '§15 [CWL-LAMBDA] (read 2026-12-02)',
  },
  // §15 [DT-PRICE]: data transfer out to the internet $0.09 / GB (first 10 TB), 100 GB free a month (across services).
  dataTransferOutGb: {
    service: 'AWS data transfer',
    label: 'data transfer out to the internet',
    unit: GB,
    per: 1,
    tiers: flat(0.09),
    free: { pool: 'transfer', quantity: 100 },
    note: 'flat: the lower prices above 10 TB a month are not confirmed, so lsim bills $0.09 throughout',
    source: '§15 [DT-PRICE] (read 2026-12-02)',
  },
};

/** How Express workflow duration is billed: rounded up to 100 ms, memory in 64 MB steps (§13, §15 [SFN-PRICE]). */
export const SFN_EXPRESS_ROUNDING = { ms: 100, mb: 64 } as const;

/** Step Functions' price per 1,000 transitions by Region, from the pricing page's table (§15 [SFN-PRICE]). */
const SFN_BY_REGION: Readonly<Record<string, number>> = {
  'us-east-2': 0.025,
  'us-west-2': 0.025,
  'eu-west-1': 0.025,
  'eu-central-1': 0.025,
  'ap-southeast-1': 0.025,
  'ap-northeast-1': 0.025,
  'ap-south-1': 0.0285,
  'sa-east-1': 0.0375,
};

/** Items that are free by AWS's rule in every Region. */
const FREE_EVERYWHERE: readonly ServiceItem[] = ['dynamodbStreamsLambdaReads', 'functionUrlRequests', 'snsLambdaDeliveries'];

/**
 * Another Region: only what §15 confirms for it (Step Functions' table, and the lines free by rule);
 * every other price is null until `billing.servicePrices` gives it.
 */
function regionServiceBook(region: string): ServicePriceBook {
  const prices = Object.fromEntries(
    SERVICE_ITEMS.map((item): [ServiceItem, ServicePrice] => {
      const us = US_EAST_1[item];
      if (FREE_EVERYWHERE.includes(item)) return [item, us];
      if (item === 'stepFunctionsTransitions') return [item, { ...us, tiers: flat(SFN_BY_REGION[region]), source: `§15 [SFN-PRICE] (${region}, read 2026-12-02)` }];
      return [item, { ...us, tiers: null, source: `not confirmed for ${region} (§15)` }];
    }),
  ) as Record<ServiceItem, ServicePrice>;
  return deepFreeze({ name: `${region}-services-2026`, region, read: READ, prices });
}

export const SERVICE_BOOK_US_EAST_1: ServicePriceBook = deepFreeze({ name: 'us-east-1-services-2026', region: 'us-east-1', read: READ, prices: US_EAST_1 });

/** The service price book of a Region lsim has a Lambda book for; undefined otherwise. */
export function serviceBookForRegion(region: string): ServicePriceBook | undefined {
  if (region === 'us-east-1') return SERVICE_BOOK_US_EAST_1;
  return region in SFN_BY_REGION ? regionServiceBook(region) : undefined;
}

/**
 * A copy of `book` with flat prices given by a scenario (`billing.servicePrices`) or `lsim price`:
 * `{ item: usd per the item's display unit }`. Throws a UserError listing unknown items and bad numbers.
 */
export function withServicePrices(book: ServicePriceBook, overrides: Readonly<Record<string, unknown>>): ServicePriceBook {
  const problems: Problem[] = [];
  const prices = { ...book.prices } as Record<ServiceItem, ServicePrice>;
  for (const [key, value] of Object.entries(overrides)) {
    if (!(SERVICE_ITEMS as readonly string[]).includes(key)) {
      problems.push({ path: key, message: `is not a service price; the items are ${SERVICE_ITEMS.join(', ')}` });
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push({ path: key, message: `a price in USD per ${perWords(book.prices[key as ServiceItem])} (a number ≥ 0), got ${JSON.stringify(value)}` });
    } else {
      prices[key as ServiceItem] = { ...prices[key as ServiceItem], tiers: flat(value), source: 'given (billing.servicePrices or --service-price)' };
    }
  }
  if (problems.length > 0) throw new UserError(problems);
  return deepFreeze({ ...book, prices });
}

/** The message for a quantity whose price the book lacks. */
export function missingServicePriceMessage(book: ServicePriceBook, item: ServiceItem): string {
  const p = book.prices[item];
  return `the ${book.name} service prices have no confirmed ${p.service} ${p.label} price for ${book.region} (docs/sources.md §15); give it in billing.servicePrices.${item} (USD per ${perWords(p)})`;
}

/** A unit for `n` of it: "1 request", "2 requests", "3 publishes", "4 deliveries", "5 GB". */
export function unitsOf(n: number, unit: string): string {
  if (n === 1 || unit === 'GB') return unit;
  if (/(sh|ch|s|x)$/.test(unit)) return `${unit}es`;
  if (/[^aeiou]y$/.test(unit)) return `${unit.slice(0, -1)}ies`;
  return `${unit}s`;
}

/** "million requests", "shard-hour", "1,000 state transitions". */
export function perWords(p: ServicePrice): string {
  if (p.per === 1) return p.unit;
  const count = p.per === 1e6 ? 'million' : p.per.toLocaleString('en-US');
  return `${count} ${unitsOf(p.per, p.unit)}`;
}

/** A price as published: $0.40, $0.015, $3.50. */
function usdWords(usd: number): string {
  return Math.abs(usd * 100 - Math.round(usd * 100)) < 1e-9 ? `$${usd.toFixed(2)}` : `$${usd}`;
}

/** The price in words: "$0.40 per million requests", "$3.50 per million requests (first 333 M), tiered", "free". */
export function priceWords(p: ServicePrice): string {
  if (p.tiers === null) return 'not confirmed';
  if (p.tiers.length === 1) return p.tiers[0].usd === 0 ? 'free' : `${usdWords(p.tiers[0].usd)} per ${perWords(p)}`;
  return `${usdWords(p.tiers[0].usd)} per ${perWords(p)}, tiered`;
}

/**
 * Prices a month's (or a window's) service quantities. `free`: whether the never-expiring allowances
 * apply (a window is priced without them). Zero-priced items with a quantity give a $0 line that says why.
 * Throws a UserError for a negative quantity or one the book has no price for.
 */
export function serviceLines(quantities: ServiceQuantities, book: ServicePriceBook, options: { free: boolean }): ServiceLine[] {
  const problems: Problem[] = [];
  for (const item of SERVICE_ITEMS) {
    const q = quantities[item] ?? 0;
    if (!(q >= 0) || !Number.isFinite(q)) problems.push({ path: item, message: `must be a finite non-negative quantity, got ${q}` });
    else if (q > 0 && book.prices[item].tiers === null) problems.push({ path: item, message: missingServicePriceMessage(book, item) });
  }
  if (problems.length > 0) throw new UserError(problems);
  // Free pools, shared by their items in proportion to each one's quantity.
  const poolTotals = new Map<string, number>();
  for (const item of SERVICE_ITEMS) {
    const free = book.prices[item].free;
    if (free) poolTotals.set(free.pool, (poolTotals.get(free.pool) ?? 0) + (quantities[item] ?? 0));
  }
  const lines: ServiceLine[] = [];
  for (const item of SERVICE_ITEMS) {
    const q = quantities[item] ?? 0;
    if (q === 0) continue;
    const p = book.prices[item];
    let freeQuantity = 0;
    if (options.free && p.free) {
      const total = poolTotals.get(p.free.pool)!;
      freeQuantity = (Math.min(p.free.quantity, total) * q) / total;
    }
    lines.push({
      service: p.service,
      item,
      label: p.label,
      quantity: q,
      unit: p.unit,
      freeQuantity,
      usd: tieredServiceCost(q - freeQuantity, p),
      price: priceWords(p),
      source: p.source,
      ...(p.note ? { note: p.note } : {}),
    });
  }
  return lines;
}

/** The cost of `quantity` units walked over the item's tiers. */
export function tieredServiceCost(quantity: number, p: ServicePrice): number {
  let usd = 0;
  let lower = 0;
  for (const tier of p.tiers ?? []) {
    if (quantity <= lower) break;
    const upper = tier.upTo ?? Infinity;
    usd += ((Math.min(quantity, upper) - lower) * tier.usd) / p.per;
    lower = upper;
  }
  return usd;
}

// ---------------------------------------------------------------------------
// Units: how a payload becomes counted requests (docs/billing.md "The rest of the bill").

/** SQS, SNS and EventBridge bill each 64 KB (65,536 bytes) chunk of a request's payload as one request (§15). */
export const CHUNK_64KB = 65_536;
/** A Kinesis PUT payload unit is a 25 KB chunk of a record (§15 [KDS-PRICE]). */
export const PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
/** An API Gateway HTTP API request is metered in 512 KB increments (§15 [APIGW-PRICE]). */
export const HTTP_API_INCREMENT_BYTES = 512 * 1024;

/** Billed requests of one call carrying `bytes`: one per started chunk, at least one. */
export function chunks(bytes: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(bytes / chunkBytes));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
