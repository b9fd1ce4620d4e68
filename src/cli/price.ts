/**
 * `lsim price`: AWS's own arithmetic without a simulation — requests per month
 * at an average duration, memory and architecture, plus provisioned
 * concurrency, storage and streaming. The oracle the simulated costs are
 * checked against (test/billing), and a quick answer on its own.
 */
import { UserError, type Problem } from '../errors.js';
import { priceDirect, type CostReport, type DirectPriceInput } from '../billing/cost.js';
import { PRICE_BOOK_LEGACY_100MS, PRICE_BOOK_US_EAST_1_2026, withOverrides } from '../billing/pricebook.js';
import { parseCount, parseDurationMs, parseSizeMb, type Parsed } from '../scenario/units.js';
import { money, num, table } from '../report/format.js';

export interface PriceArgs {
  /** A count as typed: 3000000, 3M, 2.5k, 1.2B. */
  requests: string;
  duration: string;
  memory: string;
  arch: 'x86_64' | 'arm64';
  storage?: string;
  granularity?: '1ms' | '100ms';
  'price-book': 'us-east-1-2026' | 'legacy-100ms';
  'free-tier': boolean;
  'free-requests'?: boolean;
  'free-compute'?: boolean;
  pc?: number;
  'pc-hours'?: number;
  'pc-requests'?: string;
  'pc-duration'?: string;
  'streamed-gb'?: number;
  'savings-plan'?: number;
}

/** Turns the flags into a priced report; every bad flag is reported at once. */
export function priceFromArgs(a: PriceArgs): CostReport {
  const problems: Problem[] = [];
  const unit = (flag: string, p: Parsed): number => {
    if (!p.ok) problems.push({ path: `--${flag}`, message: p.error });
    return p.ok ? p.value : NaN;
  };
  const input: DirectPriceInput = {
    requestsPerMonth: unit('requests', parseCount(a.requests)),
    averageDurationMs: unit('duration', parseDurationMs(a.duration)),
    memoryMb: unit('memory', parseSizeMb(a.memory)),
    architecture: a.arch,
    ephemeralStorageMb: a.storage === undefined ? undefined : unit('storage', parseSizeMb(a.storage)),
    granularityMs: a.granularity === undefined ? undefined : a.granularity === '1ms' ? 1 : 100,
    provisionedConcurrency: a.pc,
    provisionedHours: a['pc-hours'],
    requestsOnProvisioned: a['pc-requests'] === undefined ? undefined : unit('pc-requests', parseCount(a['pc-requests'])),
    averageDurationOnProvisionedMs: a['pc-duration'] === undefined ? undefined : unit('pc-duration', parseDurationMs(a['pc-duration'])),
    streamedGbChargeable: a['streamed-gb'],
    freeTier: {
      requests: a['free-requests'] ?? a['free-tier'],
      compute: a['free-compute'] ?? a['free-tier'],
      provisionedFunctions: a['free-tier'] && (a['free-requests'] !== undefined || a['free-compute'] !== undefined),
    },
  };
  if (problems.length > 0) throw new UserError(problems);
  const base = a['price-book'] === 'legacy-100ms' ? PRICE_BOOK_LEGACY_100MS : PRICE_BOOK_US_EAST_1_2026;
  const book = a['savings-plan'] ? withOverrides(base, { discount: { computeSavingsPlanPercent: a['savings-plan'] } }) : base;
  try {
    return priceDirect(input, book);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.problems.map((p) => ({ ...p, message: `${p.message}` })));
    throw e;
  }
}

/** The line items as a table, with the quantities behind them. */
export function priceText(r: CostReport): string {
  const f = r.functions[0];
  const q = f.quantities;
  const rows: string[][] = [
    ['requests', `${num(q.billedRequests, 0)} − ${num(q.freeRequests, 0)} free`, money(f.lines.requests)],
    ['duration', `${num(q.durationGbS, 1)} GB-s − ${num(q.freeGbS, 1)} free`, money(f.lines.duration)],
  ];
  if (q.provisionedGbS > 0) {
    rows.push(['provisioned concurrency', `${num(q.provisionedGbS, 1)} GB-s`, money(f.lines.provisionedConcurrency)]);
    rows.push(['provisioned duration', `${num(q.provisionedDurationGbS, 1)} GB-s`, money(f.lines.provisionedDuration)]);
  }
  if (q.ephemeralStorageGbS > 0) rows.push(['ephemeral storage', `${num(q.ephemeralStorageGbS, 1)} GB-s`, money(f.lines.ephemeralStorage)]);
  if (q.streamedGb > 0) rows.push(['response streaming', `${num(q.streamedGb, 2)} GB`, money(f.lines.streaming)]);
  rows.push(['total', '', money(f.totalUsd)]);
  const lines = [`Monthly cost (${r.priceBook.name}, ${r.priceBook.effectiveDate})`, table(['line item', 'quantity', 'USD'], rows)];
  if (f.usdPerMillionInvocations !== null) lines.push(`per million invocations: ${money(f.usdPerMillionInvocations)}`);
  if (f.rounding.share > 0) lines.push(`rounding up to the granularity: ${(f.rounding.share * 100).toFixed(1)}% of billed duration (${money(f.rounding.usd)})`);
  return lines.join('\n') + '\n';
}
