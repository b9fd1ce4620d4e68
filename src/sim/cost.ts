/**
 * From what the platform measured to what it costs (docs/billing.md): one
 * FunctionUsage per function and part of the billing month, priced twice by
 * the billing calculator — the simulated window as it is (no free tier), and
 * the month the scenario describes (`billing.month`: each part of the window
 * weighed by how often it happens), with the monthly tiers and the scenario's
 * free tier applied to the month's totals. The other services' quantities that models bill
 * (RunContext.billService) and the functions' CloudWatch Logs are weighed into the same month and priced
 * from the Region's service book (docs/billing.md "The rest of the bill"): the whole bill.
 */
import { composeUsage, costOf, lineItems, type CostLines, type CostReport, type FunctionUsage } from '../billing/cost.js';
import { serviceLines, type ServiceItem, type ServiceLine, type ServiceQuantities } from '../billing/service-prices.js';
import { DAY_MS } from '../billing/month.js';
import type { FunctionMeters } from '../platform/meters.js';
import type { FunctionSpec, MonthSpec } from '../scenario/types.js';
import type { Scenario } from '../models/index.js';
import { type BillResult, type CostFigures, type CostResult, type MonthResult, type Result } from './result.js';
import { round, roundSig } from '../metrics/summary.js';

/** Billable usage that invokers measure for a function, per part of the month. */
export interface BilledExtras {
  /** Extra requests of async payloads above 256 KB. */
  asyncExtraChunks: Float64Array;
  /** Event-poller-unit ms of SQS provisioned mode. */
  sqsEpuMs: Float64Array;
}

/** A service quantity a model billed (RunContext.billService), per part of the month. */
export interface ServiceBill {
  workload: string;
  item: ServiceItem;
  byPart: Float64Array;
}

const usdOf = (x: number) => roundSig(x, 9);

function figures(lines: CostLines, total: number): CostFigures {
  return {
    requests: usdOf(lines.requests),
    duration: usdOf(lines.duration),
    provisionedConcurrency: usdOf(lines.provisionedConcurrency),
    provisionedDuration: usdOf(lines.provisionedDuration),
    ephemeralStorage: usdOf(lines.ephemeralStorage),
    streaming: usdOf(lines.streaming),
    pollers: usdOf(lines.pollers),
    snapStart: usdOf(lines.snapStart),
    tenantIsolation: usdOf(lines.tenantIsolation),
    edge: usdOf(lines.edge),
    total: usdOf(total),
  };
}

type Priced = Pick<CostReport, 'lines' | 'totalUsd' | 'usdPerMillionInvocations' | 'rounding'>;

function costResult(window: Priced, monthly: Priced & { lineItems: CostReport['lineItems'] }): CostResult {
  return {
    window: figures(window.lines, window.totalUsd),
    monthly: figures(monthly.lines, monthly.totalUsd),
    lines: monthly.lineItems.map((l) => ({ ...l, usd: usdOf(l.usd) })),
    usdPerMillionInvocations: monthly.usdPerMillionInvocations === null ? null : roundSig(monthly.usdPerMillionInvocations, 9),
    rounding: { share: round(monthly.rounding.share, 6), monthlyUsd: roundSig(monthly.rounding.usd, 9) },
  };
}

/** The length of each part of the measured window (part 0: outside the counted parts). */
function partLengths(month: MonthSpec): number[] {
  return [month.restMs, ...month.parts.map((p) => p.endMs - p.startMs)];
}

/** How many times each part counts in the month. */
function partWeights(month: MonthSpec): number[] {
  return [month.restWeight, ...month.parts.map((p) => p.times)];
}

/** A function's usage in each part of the window. */
function partUsages(f: FunctionSpec, m: FunctionMeters, extras: BilledExtras, lengths: number[]): FunctionUsage[] {
  const charged = f.snapStart !== null && f.snapStart.runtime !== 'java';
  return m.usage.map((u, p) => ({
    name: f.name,
    architecture: f.architecture,
    memoryMb: f.memoryMb,
    ephemeralStorageMb: f.ephemeralStorageMb,
    edge: f.edge,
    requests: u.requests,
    asyncExtraRequestChunks: extras.asyncExtraChunks[p],
    billedOnDemandMs: u.onDemandBilledMs,
    actualOnDemandMs: u.onDemandActualMs,
    billedProvisionedMs: u.provisionedBilledMs,
    actualProvisionedMs: u.provisionedActualMs,
    provisionedConcurrency: f.provisionedConcurrency,
    // Static PC is enabled all the time (one period, rounded once); a plan's configured PC is measured.
    provisionedEnabledMs: f.provisionedConcurrency > 0 && !m.provisioned ? lengths[p] : 0,
    ...(m.provisioned ? { provisionedEnvMs: m.provisioned.configured.totals[p] + u.provisionedRoundingEnvMs } : {}),
    sqsPollerEpuSeconds: extras.sqsEpuMs[p] / 1000,
    streamedChargeableBytes: u.streamedChargeableBytes,
    // §7: the cache is charged while the version is active (all the time) and each restore, except for Java.
    ...(charged ? { snapStartActiveMs: lengths[p], snapStartRestores: u.snapStartRestores } : {}),
    ...(f.tenantIsolation ? { tenantEnvironments: u.newEnvironments } : {}),
  }));
}

function monthResult(month: MonthSpec): MonthResult {
  return {
    days: month.days,
    of: month.of,
    repeat: month.repeat,
    rest: { ms: month.restMs, weight: round(month.restWeight, 6) },
    parts: month.parts.map((p) => ({ name: p.name, startMs: p.startMs, endMs: p.endMs, per: `${p.count}/${p.unit}`, times: round(p.times, 6) })),
  };
}

/**
 * The services' lines (docs/billing.md "The rest of the bill"): each billed quantity per part, with the
 * functions' CloudWatch Logs ingestion (invocations × `logsPerInvocation`), weighed into the window and the month.
 */
function servicesBill(scenario: Scenario, meters: FunctionMeters[], services: readonly ServiceBill[], weights: number[], window: CostReport, monthly: CostReport): BillResult {
  const all: ServiceBill[] = [...services];
  scenario.functions.forEach((f, i) => {
    if (f.logBytesPerInvocation > 0) {
      all.push({ workload: `function ${f.name}`, item: 'logsIngestedGb', byPart: Float64Array.from(meters[i].usage, (u) => (u.requests * f.logBytesPerInvocation) / 2 ** 30) });
    }
  });
  const inWindow: ServiceQuantities = {};
  const inMonth: ServiceQuantities = {};
  const by = new Map<ServiceItem, string[]>();
  for (const s of all) {
    let w = 0;
    let m = 0;
    s.byPart.forEach((q, p) => {
      w += q;
      m += q * weights[p];
    });
    inWindow[s.item] = (inWindow[s.item] ?? 0) + w;
    inMonth[s.item] = (inMonth[s.item] ?? 0) + m;
    const names = by.get(s.item) ?? [];
    if (!names.includes(s.workload)) names.push(s.workload);
    by.set(s.item, names);
  }
  const book = scenario.billing.servicePrices;
  // The never-expiring allowances go with the request free tier's switch (docs/billing.md "The rest of the bill").
  const free = scenario.billing.freeTier.services ?? scenario.billing.freeTier.requests;
  const windowLines = serviceLines(inWindow, book, { free: false });
  const monthLines = serviceLines(inMonth, book, { free });
  const sum = (ls: ServiceLine[]) => ls.reduce((a, l) => a + l.usd, 0);
  const servicesMonthly = sum(monthLines);
  return {
    servicePrices: `${book.name} (read ${book.read})`,
    windowUsd: usdOf(window.totalUsd + sum(windowLines)),
    monthlyUsd: usdOf(monthly.totalUsd + servicesMonthly),
    lambdaMonthlyUsd: usdOf(monthly.totalUsd),
    servicesMonthlyUsd: usdOf(servicesMonthly),
    services: monthLines.map((l) => ({
      service: l.service,
      item: l.item,
      label: l.label,
      quantity: roundSig(l.quantity, 9),
      unit: l.unit,
      freeQuantity: roundSig(l.freeQuantity, 9),
      usd: usdOf(l.usd),
      price: l.price,
      source: l.source,
      ...(l.note ? { note: l.note } : {}),
      by: by.get(l.item) ?? [],
    })),
  };
}

/** Prices the measured window and the month; returns per-function and account cost results. */
export function priceRun(scenario: Scenario, meters: FunctionMeters[], extras: BilledExtras[], services: readonly ServiceBill[] = []): { functions: CostResult[]; account: Result['account']['cost'] } {
  const { priceBook, freeTier, month } = scenario.billing;
  const lengths = partLengths(month);
  const weights = partWeights(month);
  const parts = scenario.functions.map((f, i) => partUsages(f, meters[i], extras[i], lengths));
  const windowUsages = parts.map((ps) => composeUsage(ps.map((usage) => ({ usage, weight: 1 }))));
  const monthUsages = parts.map((ps) => composeUsage(ps.map((usage, p) => ({ usage, weight: weights[p] }))));
  const window: CostReport = costOf(windowUsages, priceBook, { periodMs: scenario.durationMs - scenario.warmupMs, freeTier: { requests: false, compute: false } });
  const monthly: CostReport = costOf(monthUsages, priceBook, { periodMs: month.days * DAY_MS, freeTier });
  const bill = servicesBill(scenario, meters, services, weights, window, monthly);
  const account = costResult(window, monthly);
  return {
    functions: scenario.functions.map((_, i) => costResult(window.functions[i], { ...monthly.functions[i], lineItems: lineItems(monthly.functions[i].lines, priceBook) })),
    account: {
      ...account,
      // The whole month's lines: Lambda's, then the other services' (a free one says so in its line).
      lines: [...account.lines, ...bill.services.map((l) => ({ service: l.service, item: l.item, usd: l.usd, source: l.source }))],
      bill,
      priceBook: `${priceBook.name} (${priceBook.effectiveDate})`,
      region: priceBook.region,
      month: monthResult(month),
      freeTier: { requests: freeTier.requests, compute: freeTier.compute, provisionedFunctions: freeTier.provisionedFunctions ?? false, services: freeTier.services ?? freeTier.requests },
    },
  };
}
