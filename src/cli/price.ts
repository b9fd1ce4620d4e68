/**
 * `lsim price`: AWS's own arithmetic without a simulation — traffic the way the
 * Pricing Calculator takes it (requests a month or a day, or a rate) at an
 * average duration, memory and architecture, in a Region, plus provisioned
 * concurrency, storage, streaming, async payloads, event pollers, SnapStart,
 * tenant isolation and Lambda@Edge. The oracle the simulated costs are checked
 * against (test/billing), and a quick answer on its own.
 */
import { UserError, type Problem } from '../errors.js';
import { priceDirect, usd, type CostReport, type DirectPriceInput } from '../billing/cost.js';
import { DAY_MS, DEFAULT_MONTH_DAYS } from '../billing/month.js';
import { PRICE_BOOKS, PRICED_REGIONS, priceBookForRegion, withOverrides, type PriceBook } from '../billing/pricebook.js';
import { parseCount, parseDurationMs, parseRatePerS, parseSizeMb, type Parsed } from '../scenario/units.js';
import { money, num, table, wrap } from '../format.js';
import {
  PUT_PAYLOAD_UNIT_BYTES,
  SERVICE_ITEMS,
  serviceBookForRegion,
  serviceLines,
  withServicePrices,
  type ServiceLine,
  type ServiceQuantities,
  unitsOf,
} from '../billing/service-prices.js';

export interface PriceArgs {
  /** A count as typed: 3000000, 3M, 2.5k, 1.2B; a month's unless `per-day`. */
  requests?: string;
  'per-day'?: boolean;
  /** A rate as typed: 100/s, 6000/min. */
  rate?: string;
  days?: number;
  duration: string;
  memory: string;
  arch: 'x86_64' | 'arm64';
  storage?: string;
  granularity?: '1ms' | '100ms';
  region?: string;
  'price-book'?: string;
  'free-tier': boolean;
  'free-requests'?: boolean;
  'free-compute'?: boolean;
  'free-tier-pc'?: boolean;
  'free-streaming'?: boolean;
  pc?: number;
  'pc-hours'?: number;
  'pc-requests'?: string;
  'pc-duration'?: string;
  'streamed-gb'?: number;
  'async-payload'?: string;
  'sqs-epu-hours'?: number;
  'snapstart-restores'?: string;
  'snapstart-hours'?: number;
  'tenant-environments'?: string;
  edge?: boolean;
  'savings-plan'?: number;
  // The other services (docs/billing.md "The rest of the bill"), as the Pricing Calculator takes them.
  'sqs-requests'?: string;
  'sqs-fifo-requests'?: string;
  'sqs-message-size'?: string;
  'kinesis-shards'?: number;
  'kinesis-shard-hours'?: number;
  'kinesis-records'?: string;
  'kinesis-record-size'?: string;
  'kinesis-mode'?: 'provisioned' | 'on-demand';
  'kinesis-efo-consumers'?: number;
  'apigw-rest-requests'?: string;
  'apigw-http-requests'?: string;
  'function-url-requests'?: string;
  'sns-publishes'?: string;
  'eventbridge-events'?: string;
  'sfn-transitions'?: string;
  'logs-gb'?: number;
  'transfer-out-gb'?: number;
  'free-services'?: boolean;
  /** `item=usd` (per the item's unit), repeatable: a price the service book lacks or a different one. */
  'service-price'?: string[];
}

/** The month priced: Lambda's report (as before) and the whole bill with the other services' lines. */
export type PricedMonth = CostReport & {
  bill: {
    totalUsd: number;
    /** The total the way AWS's worked examples add it: each line item rounded to the cent, then summed (docs/billing.md). */
    roundedLinesUsd: number;
    lambdaUsd: number;
    servicesUsd: number;
    servicePrices: string;
    services: ServiceLine[];
  };
};

/** The flag of each input of `priceDirect`, for its messages. */
const FLAG_OF: Readonly<Record<string, string>> = {
  requestsPerMonth: '--requests',
  averageDurationMs: '--duration',
  memoryMb: '--memory',
  ephemeralStorageMb: '--storage',
  monthDays: '--days',
  provisionedConcurrency: '--pc',
  provisionedHours: '--pc-hours',
  requestsOnProvisioned: '--pc-requests',
  averageDurationOnProvisionedMs: '--pc-duration',
  streamedGbChargeable: '--streamed-gb',
  asyncPayloadBytes: '--async-payload',
  sqsEpuHours: '--sqs-epu-hours',
  snapStart: '--snapstart-restores/--snapstart-hours',
  'snapStart.restores': '--snapstart-restores',
  'snapStart.activeHours': '--snapstart-hours',
  tenantEnvironments: '--tenant-environments',
};

/** Turns the flags into a priced month (Lambda and the other services); every bad flag is reported at once. */
export function priceFromArgs(a: PriceArgs): PricedMonth {
  const problems: Problem[] = [];
  const lambda = (() => {
    try {
      return priceLambda(a);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  })();
  const services = priceServices(a, problems);
  if (problems.length > 0 || lambda === undefined || services === undefined) throw new UserError(problems);
  const servicesUsd = services.lines.reduce((sum, l) => sum + l.usd, 0);
  const items = [...Object.values(lambda.lines), ...services.lines.map((l) => l.usd)];
  return {
    ...lambda,
    bill: {
      totalUsd: lambda.totalUsd + servicesUsd,
      roundedLinesUsd: usd(items.reduce((sum, x) => sum + usd(x), 0)),
      lambdaUsd: lambda.totalUsd,
      servicesUsd,
      servicePrices: services.book,
      services: services.lines,
    },
  };
}

/**
 * The other services' quantities from their flags, the way the Pricing Calculator takes them: SQS requests
 * (each multiplied by the 64 KB chunks of `--sqs-message-size`), Kinesis shards (× the month's hours) or
 * shard-hours and records (a month's count or a rate, × the 25 KB PUT payload units of `--kinesis-record-size`;
 * on-demand: stream-hours, GB in at 1 KB per started KB), enhanced fan-out consumers × shards × hours,
 * API Gateway and function URL requests, SNS publishes, EventBridge events, Step Functions transitions,
 * CloudWatch Logs GB and data transfer out GB.
 */
function priceServices(a: PriceArgs, problems: Problem[]): { lines: ServiceLine[]; book: string } | undefined {
  const days = a.days ?? DEFAULT_MONTH_DAYS;
  const monthHours = days * 24;
  const at = problems.length;
  const unit = (flag: string, p: Parsed): number => {
    if (!p.ok) problems.push({ path: `--${flag}`, message: p.error });
    return p.ok ? p.value : NaN;
  };
  const count = (flag: keyof PriceArgs & string): number | undefined => {
    const v = a[flag];
    return typeof v === 'string' ? unit(flag, parseCount(v)) : undefined;
  };
  /** A month's count, or a rate (`10000/s`) over the month. */
  const countOrRate = (flag: keyof PriceArgs & string): number | undefined => {
    const v = a[flag];
    if (typeof v !== 'string') return undefined;
    return v.includes('/') ? (unit(flag, parseRatePerS(v)) * days * DAY_MS) / 1000 : unit(flag, parseCount(v));
  };
  const bytes = (flag: keyof PriceArgs & string): number | undefined => {
    const v = a[flag];
    return typeof v === 'string' ? Math.round(unit(flag, parseSizeMb(v)) * 2 ** 20) : undefined;
  };
  // The plain numbers, checked here so that a message names the flag and the value typed (not the quantity made of it).
  for (const flag of ['kinesis-shards', 'kinesis-shard-hours', 'kinesis-efo-consumers', 'logs-gb', 'transfer-out-gb'] as const) {
    const v = a[flag];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) problems.push({ path: `--${flag}`, message: `must be a finite non-negative number, got ${v}` });
  }
  // A stream has a whole number of shards and of enhanced fan-out consumers (shard-hours may be fractional).
  for (const flag of ['kinesis-shards', 'kinesis-efo-consumers'] as const) {
    const v = a[flag];
    if (v !== undefined && Number.isFinite(v) && v >= 0 && !Number.isInteger(v)) problems.push({ path: `--${flag}`, message: `is a count, a whole number; got ${v}` });
  }
  const q: ServiceQuantities = {};
  const sqsChunks = Math.max(1, Math.ceil((bytes('sqs-message-size') ?? 0) / 65_536));
  const sqs = count('sqs-requests');
  if (sqs !== undefined) q.sqsStandardRequests = sqs * sqsChunks;
  const fifo = count('sqs-fifo-requests');
  if (fifo !== undefined) q.sqsFifoRequests = fifo * sqsChunks;
  const onDemand = a['kinesis-mode'] === 'on-demand';
  if (a['kinesis-shards'] !== undefined && a['kinesis-shard-hours'] !== undefined) {
    problems.push({ path: '--kinesis-shards', message: 'give shards (for the whole month) or --kinesis-shard-hours, not both' });
  }
  const shardHours = a['kinesis-shard-hours'] ?? (a['kinesis-shards'] !== undefined ? a['kinesis-shards'] * monthHours : undefined);
  const records = countOrRate('kinesis-records');
  const recordBytes = bytes('kinesis-record-size') ?? 1024;
  if (onDemand) {
    if (a['kinesis-shards'] !== undefined || a['kinesis-shard-hours'] !== undefined || records !== undefined) q.kinesisOnDemandStreamHours = monthHours;
    if (records !== undefined) q.kinesisOnDemandGbIn = (records * Math.max(1, Math.ceil(recordBytes / 1024))) / 2 ** 20;
  } else {
    if (shardHours !== undefined) q.kinesisShardHours = shardHours;
    if (records !== undefined) q.kinesisPutPayloadUnits = records * Math.max(1, Math.ceil(recordBytes / PUT_PAYLOAD_UNIT_BYTES));
  }
  if (a['kinesis-efo-consumers'] !== undefined) {
    if (shardHours === undefined) problems.push({ path: '--kinesis-efo-consumers', message: 'needs the stream\'s --kinesis-shards or --kinesis-shard-hours' });
    else q.kinesisEfoConsumerShardHours = a['kinesis-efo-consumers'] * shardHours;
  }
  const put = (item: keyof ServiceQuantities, v: number | undefined) => {
    if (v !== undefined) q[item] = v;
  };
  put('apigwRestRequests', count('apigw-rest-requests'));
  put('apigwHttpRequests', count('apigw-http-requests'));
  put('functionUrlRequests', count('function-url-requests'));
  put('snsPublishes', count('sns-publishes'));
  put('eventbridgeCustomEvents', count('eventbridge-events'));
  put('stepFunctionsTransitions', count('sfn-transitions'));
  put('logsIngestedGb', a['logs-gb']);
  put('dataTransferOutGb', a['transfer-out-gb']);
  const region = a.region ?? 'us-east-1';
  let book = serviceBookForRegion(region);
  if (book === undefined) return undefined; // the Lambda book's message names the Region
  const overrides: Record<string, unknown> = {};
  for (const pair of a['service-price'] ?? []) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(pair);
    if (!m) problems.push({ path: '--service-price', message: `is item=usd, e.g. kinesisOnDemandStreamHours=0.04; got ${JSON.stringify(pair)} (items: ${SERVICE_ITEMS.join(', ')})` });
    else overrides[m[1]] = Number(m[2]);
  }
  if (problems.length > at) return undefined;
  try {
    book = withServicePrices(book, overrides);
    return { lines: serviceLines(q, book, { free: a['free-services'] ?? a['free-requests'] ?? a['free-tier'] }), book: `${book.name} (read ${book.read})` };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const flag = (m: string) => m.replace(/give it in billing\.servicePrices\.(\w+) \(USD per ([^)]*)\)/, 'give it with --service-price $1=<USD per $2>');
    problems.push(...e.problems.map((p) => ({ ...p, path: `--service-price ${p.path ?? ''}`.trim(), message: flag(p.message) })));
    return undefined;
  }
}

/** Lambda's part of the month from the flags. */
function priceLambda(a: PriceArgs): CostReport {
  const problems: Problem[] = [];
  const unit = (flag: string, p: Parsed): number => {
    if (!p.ok) problems.push({ path: `--${flag}`, message: p.error });
    return p.ok ? p.value : NaN;
  };
  const optional = (flag: keyof PriceArgs & string, parse: (s: string) => Parsed): number | undefined => {
    const v = a[flag];
    return typeof v === 'string' ? unit(flag, parse(v)) : undefined;
  };
  const days = a.days ?? DEFAULT_MONTH_DAYS;
  const requestsPerMonth = monthlyRequests(a, days, unit, problems);
  const snapStartRestores = optional('snapstart-restores', parseCount);
  const book = priceBook(a, problems);
  const input: DirectPriceInput = {
    monthDays: days,
    requestsPerMonth,
    averageDurationMs: unit('duration', parseDurationMs(a.duration)),
    memoryMb: unit('memory', parseSizeMb(a.memory)),
    architecture: a.arch,
    ephemeralStorageMb: optional('storage', parseSizeMb),
    granularityMs: a.granularity === undefined ? undefined : a.granularity === '1ms' ? 1 : 100,
    provisionedConcurrency: a.pc,
    provisionedHours: a['pc-hours'],
    requestsOnProvisioned: optional('pc-requests', parseCount),
    averageDurationOnProvisionedMs: optional('pc-duration', parseDurationMs),
    streamedGbChargeable: a['streamed-gb'],
    asyncPayloadBytes: mbToBytes(optional('async-payload', parseSizeMb)),
    sqsEpuHours: a['sqs-epu-hours'],
    snapStart: snapStartRestores === undefined && a['snapstart-hours'] === undefined ? undefined : { restores: snapStartRestores ?? 0, activeHours: a['snapstart-hours'] },
    tenantEnvironments: optional('tenant-environments', parseCount),
    edge: a.edge,
    freeTier: {
      requests: a['free-requests'] ?? a['free-tier'],
      compute: a['free-compute'] ?? a['free-tier'],
      streaming: a['free-streaming'] ?? false,
      provisionedFunctions: a['free-tier-pc'] ?? false,
    },
  };
  if (a.pc !== undefined && Number.isFinite(a.pc) && !Number.isInteger(a.pc)) {
    problems.push({ path: '--pc', message: `is a number of execution environments, a whole number; got ${a.pc}` });
  }
  const plan = a['savings-plan'];
  if (plan !== undefined && !(Number.isFinite(plan) && plan >= 0 && plan <= 100)) {
    problems.push({ path: '--savings-plan', message: `is a discount in percent, from 0 to 100; got ${plan}` });
  }
  if (problems.length > 0 || book === undefined) throw new UserError(problems);
  try {
    return priceDirect(input, plan !== undefined && plan > 0 ? withOverrides(book, { discount: { computeSavingsPlanPercent: plan } }) : book);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.problems.map((p) => ({ ...p, path: FLAG_OF[p.path ?? ''] ?? p.path })));
    throw e;
  }
}

/** Requests in the month: `--requests` (a month's, or a day's with `--per-day`) or `--rate`, exactly one. */
function monthlyRequests(a: PriceArgs, days: number, unit: (flag: string, p: Parsed) => number, problems: Problem[]): number {
  if ((a.requests === undefined) === (a.rate === undefined)) {
    problems.push({ path: '--requests', message: 'give the traffic once: --requests (a month, or a day with --per-day) or --rate (e.g. 100/s)' });
    return NaN;
  }
  if (a.rate !== undefined) {
    if (a['per-day']) problems.push({ path: '--per-day', message: 'goes with --requests, not --rate' });
    return (unit('rate', parseRatePerS(a.rate)) * days * DAY_MS) / 1000;
  }
  const n = unit('requests', parseCount(a.requests!));
  return a['per-day'] ? n * days : n;
}

/** The price book: `--price-book`, or the one of `--region` (us-east-1 by default); they must agree. */
function priceBook(a: PriceArgs, problems: Problem[]): PriceBook | undefined {
  const region = a.region ?? 'us-east-1';
  const book = a['price-book'] !== undefined ? PRICE_BOOKS[a['price-book']] : priceBookForRegion(region);
  if (book === undefined) {
    problems.push({ path: '--region', message: `lsim has no prices for ${region}; the Regions with a price book are ${PRICED_REGIONS.join(', ')}` });
  } else if (a.region !== undefined && book.region !== a.region) {
    problems.push({ path: '--price-book', message: `${a['price-book']} is for ${book.region}, not --region ${a.region}` });
  }
  return book;
}

function mbToBytes(mb: number | undefined): number | undefined {
  return mb === undefined ? undefined : Math.round(mb * 2 ** 20);
}

/** The line items as a table, with the quantities behind them: Lambda's, then the other services' and the whole bill. */
export function priceText(r: PricedMonth): string {
  const f = r.functions[0];
  const q = f.quantities;
  const rows: string[][] = [];
  if (f.lines.edge > 0) rows.push(['Lambda@Edge', `${num(q.billedRequests, 0)} requests, ${num(q.durationGbS, 1)} GB-s`, money(f.lines.edge)]);
  else {
    rows.push(['requests', `${num(q.billedRequests, 0)} − ${num(q.freeRequests, 0)} free`, money(f.lines.requests)]);
    rows.push(['duration', `${num(q.durationGbS, 1)} GB-s − ${num(q.freeGbS, 1)} free`, money(f.lines.duration)]);
  }
  if (q.provisionedGbS > 0) {
    rows.push(['provisioned concurrency', `${num(q.provisionedGbS, 1)} GB-s`, money(f.lines.provisionedConcurrency)]);
    rows.push(['provisioned duration', `${num(q.provisionedDurationGbS, 1)} GB-s`, money(f.lines.provisionedDuration)]);
  }
  if (q.ephemeralStorageGbS > 0) rows.push(['ephemeral storage', `${num(q.ephemeralStorageGbS, 1)} GB-s`, money(f.lines.ephemeralStorage)]);
  if (q.streamedGb > 0) rows.push(['response streaming', `${num(q.streamedGb, 2)} GB − ${num(q.freeStreamedGb, 2)} free`, money(f.lines.streaming)]);
  if (q.sqsEpuHours > 0) rows.push(['event poller units', `${num(q.sqsEpuHours, 1)} EPU-hours`, money(f.lines.pollers)]);
  if (q.snapStartCacheGbS + q.snapStartRestoredGb > 0) {
    rows.push(['SnapStart', `${num(q.snapStartCacheGbS, 1)} GB-s cached, ${num(q.snapStartRestoredGb, 1)} GB restored`, money(f.lines.snapStart)]);
  }
  if (q.tenantEnvironmentGb > 0) rows.push(['tenant isolation', `${num(q.tenantEnvironmentGb, 1)} GB of new environments`, money(f.lines.tenantIsolation)]);
  const services = r.bill.services;
  if (services.length > 0) rows.push(['Lambda', '', money(f.totalUsd)]);
  for (const l of services) {
    rows.push([`${l.service} ${l.label.split(' (')[0]}`, `${num(l.quantity, l.quantity < 100 ? 2 : 0)} ${unitsOf(l.quantity, l.unit)}${l.freeQuantity > 0 ? ` − ${num(l.freeQuantity, 0)} free` : ''}`, money(l.usd)]);
  }
  rows.push(['total', '', money(r.bill.totalUsd)]);
  const days = r.periodMs / DAY_MS;
  const lines = [`Monthly cost (${r.priceBook.name}, ${r.priceBook.effectiveDate}; month = ${num(days)} days)`, table(['line item', 'quantity', 'USD'], rows)];
  if (r.bill.roundedLinesUsd !== usd(r.bill.totalUsd)) {
    lines.push(`AWS's worked examples add the line items rounded to the cent: ${money(r.bill.roundedLinesUsd)} (the total above adds them unrounded)`);
  }
  if (services.length > 0) {
    lines.push(`the whole bill: ${money(r.bill.totalUsd)} = Lambda ${money(r.bill.lambdaUsd)} + other services ${money(r.bill.servicesUsd)}; service prices ${r.bill.servicePrices}:`);
    for (const l of services) lines.push(...wrap(`  ${l.service} ${l.label}: ${l.price}, ${l.source}${l.note ? `; ${l.note}` : ''}`, 4));
  }
  if (f.usdPerMillionInvocations !== null) lines.push(`Lambda per million invocations: ${money(f.usdPerMillionInvocations)}`);
  if (f.rounding.share > 0) lines.push(`rounding up to the granularity: ${(f.rounding.share * 100).toFixed(1)}% of billed duration (${money(f.rounding.usd)})`);
  return lines.join('\n') + '\n';
}
