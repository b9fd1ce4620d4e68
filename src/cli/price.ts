/**
 * `lsim price`: AWS's own arithmetic without a simulation — traffic the way the
 * Pricing Calculator takes it (requests a month or a day, or a rate) at an
 * average duration, memory and architecture, in a Region, plus provisioned
 * concurrency, storage, streaming, async payloads, event pollers, SnapStart,
 * tenant isolation and Lambda@Edge. The oracle the simulated costs are checked
 * against (test/billing), and a quick answer on its own.
 */
import { UserError, type Problem } from '../errors.js';
import { priceDirect, type CostReport, type DirectPriceInput } from '../billing/cost.js';
import { DAY_MS, DEFAULT_MONTH_DAYS } from '../billing/month.js';
import { PRICE_BOOKS, PRICED_REGIONS, priceBookForRegion, withOverrides, type PriceBook } from '../billing/pricebook.js';
import { parseCount, parseDurationMs, parseRatePerS, parseSizeMb, type Parsed } from '../scenario/units.js';
import { money, num, table } from '../format.js';

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
}

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
  'snapStart.restores': '--snapstart-restores',
  'snapStart.activeHours': '--snapstart-hours',
  tenantEnvironments: '--tenant-environments',
};

/** Turns the flags into a priced report; every bad flag is reported at once. */
export function priceFromArgs(a: PriceArgs): CostReport {
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
  if (problems.length > 0 || book === undefined) throw new UserError(problems);
  try {
    return priceDirect(input, a['savings-plan'] ? withOverrides(book, { discount: { computeSavingsPlanPercent: a['savings-plan'] } }) : book);
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

/** The line items as a table, with the quantities behind them. */
export function priceText(r: CostReport): string {
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
  rows.push(['total', '', money(f.totalUsd)]);
  const days = r.periodMs / DAY_MS;
  const lines = [`Monthly cost (${r.priceBook.name}, ${r.priceBook.effectiveDate}; month = ${num(days)} days)`, table(['line item', 'quantity', 'USD'], rows)];
  if (f.usdPerMillionInvocations !== null) lines.push(`per million invocations: ${money(f.usdPerMillionInvocations)}`);
  if (f.rounding.share > 0) lines.push(`rounding up to the granularity: ${(f.rounding.share * 100).toFixed(1)}% of billed duration (${money(f.rounding.usd)})`);
  return lines.join('\n') + '\n';
}
