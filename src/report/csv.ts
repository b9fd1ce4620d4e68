/**
 * CSV reports, written with csv-stringify (quoting done by the library):
 * - timeseries.csv: one row per interval per function, units in column names;
 * - summary.csv: one row per function with the headline metrics;
 * - workloads.csv: every per-workload series (`timeSeries.workloads`) in long form
 *   (start_ms, workload, series, value), so new invocation models' series
 *   (queue depth, iterator age, ...) appear without code changes.
 * Numbers are the Result's, unformatted, so the CSV reads back to the JSON's values.
 * Text cells (names) that a spreadsheet would run as a formula get a leading single
 * quote (src/format.ts `csvCell`, docs/reliability.md); numbers are never changed.
 */
import { stringify } from 'csv-stringify/sync';
import type { Result } from '../sim/result.js';
import { monthAssumption } from './format.js';
import { csvCell } from '../format.js';

/** Text cells neutralised against formula injection (src/format.ts `csvCell`); numbers stay numbers. */
const SAFE = { cast: { string: (v: string) => csvCell(v) } };

export const TIMESERIES_COLUMNS = [
  'start_ms',
  'function',
  'invocations',
  'throttles',
  'cold_starts',
  'errors',
  'concurrency_mean',
  'concurrency_max',
  'environments',
  'scaling_allowance',
] as const;

export function timeSeriesCsv(r: Result): string {
  const ts = r.timeSeries;
  const rows: (string | number)[][] = [];
  for (let i = 0; i < ts.startMs.length; i++) {
    for (const f of r.functions) {
      const s = ts.functions[f.name];
      rows.push([
        ts.startMs[i],
        f.name,
        s.invocations[i],
        s.throttles[i],
        s.coldStarts[i],
        s.errors[i],
        s.concurrencyMean[i],
        s.concurrencyMax[i],
        s.environments[i],
        s.scalingAllowance[i],
      ]);
    }
  }
  return stringify(rows, { ...SAFE, header: true, columns: [...TIMESERIES_COLUMNS] });
}

/** Column name → how to read it from a function's result. */
export const SUMMARY_COLUMNS: [string, (f: Result['functions'][number], r: Result) => number | string | null][] = [
  ['function', (f) => f.name],
  ['memory_mb', (f) => f.memoryMb],
  ['attempts', (f) => f.attempts],
  ['invocations', (f) => f.invocations],
  ['cold_starts', (f) => f.coldStarts],
  ['cold_start_share', (f) => f.coldStartRate],
  ['throttles', (f) => f.throttles.total],
  ['throttle_share', (f) => f.throttleRate],
  ['throttles_request_rate', (f) => f.throttles['request-rate']],
  ['throttles_account_concurrency', (f) => f.throttles['account-concurrency']],
  ['throttles_reserved_concurrency', (f) => f.throttles['reserved-concurrency']],
  ['throttles_scaling_rate', (f) => f.throttles['scaling-rate']],
  ['throttles_function_request_rate', (f) => f.throttles['function-request-rate']],
  ['errors', (f) => f.errors],
  ['timeouts', (f) => f.timeouts],
  ['concurrency_max', (f) => f.concurrency.max],
  ['concurrency_mean', (f) => f.concurrency.mean],
  ['environments_max', (f) => f.environments.maxOnDemand + f.environments.provisioned],
  ['environments_mean_alive', (f) => f.environments.mean.alive],
  ['environments_mean_busy', (f) => f.environments.mean.busy],
  ['environments_mean_idle', (f) => f.environments.mean.idle],
  ['environments_mean_provisioned', (f) => f.environments.mean.provisioned],
  ['environments_created', (f) => f.environments.created],
  ['environments_reclaimed', (f) => f.environments.reclaimed],
  ['environments_shutdowns', (f) => f.environments.shutdowns],
  ['environments_retired', (f) => f.environments.retired],
  ['proactive_inits', (f) => f.environments.proactiveInits],
  ['duration_p50_ms', (f) => f.durationMs.p50],
  ['duration_p90_ms', (f) => f.durationMs.p90],
  ['duration_p99_ms', (f) => f.durationMs.p99],
  ['duration_p999_ms', (f) => f.durationMs.p999],
  ['duration_max_ms', (f) => f.durationMs.max],
  ['init_p50_ms', (f) => f.initMs.p50],
  ['init_p99_ms', (f) => f.initMs.p99],
  ['init_overruns', (f) => f.initOverruns],
  ['init_rerun_p50_ms', (f) => f.initRerunMs.p50],
  ['snapstart_timeouts', (f) => f.snapStartTimeouts],
  ['billed_gb_s', (f) => f.billing.gbSeconds + f.billing.provisionedGbSeconds],
  ['cost_window_usd', (f) => f.cost.window.total],
  ['cost_month_usd', (f) => f.cost.monthly.total],
  // The account's whole bill and its other services' part (docs/billing.md "The rest of the bill").
  ['bill_month_usd', (_, r) => r.account.cost.bill.monthlyUsd],
  ['services_month_usd', (_, r) => r.account.cost.bill.servicesMonthlyUsd],
  // What cost_month_usd assumes (docs/billing.md "The month").
  ['month', (_, r) => monthAssumption(r.account.cost.month)],
  ['usd_per_million_invocations', (f) => f.cost.usdPerMillionInvocations],
];

export function summaryCsv(r: Result): string {
  const rows = r.functions.map((f) => SUMMARY_COLUMNS.map(([, get]) => get(f, r) ?? ''));
  return stringify(rows, { ...SAFE, header: true, columns: SUMMARY_COLUMNS.map(([name]) => name) });
}

/**
 * The month's bill, one row per line (docs/billing.md "The rest of the bill"): Lambda's lines, then the
 * other services' with their quantities, free quantities and prices, each with its price source.
 */
export function billCsv(r: Result): string {
  const c = r.account.cost;
  const rows: (string | number)[][] = c.lines
    .filter((l) => l.service === 'AWS Lambda')
    .map((l) => [l.service, l.item, '', '', '', '', l.usd, `${c.priceBook}, ${l.source}`, '']);
  for (const l of c.bill.services) rows.push([l.service, l.item, l.label, l.quantity, l.unit, l.freeQuantity, l.usd, `${l.price}; ${l.source}`, l.note ?? '']);
  rows.push(['total', '', `Lambda ${c.bill.lambdaMonthlyUsd} + other services ${c.bill.servicesMonthlyUsd}`, '', '', '', c.bill.monthlyUsd, '', monthAssumption(c.month)]);
  return stringify(rows, { header: true, columns: ['service', 'item', 'label', 'quantity', 'unit', 'free_quantity', 'usd_month', 'price_source', 'note'] });
}

export function workloadSeriesCsv(r: Result): string {
  const ts = r.timeSeries;
  const rows: (string | number)[][] = [];
  for (const [workload, series] of Object.entries(ts.workloads)) {
    for (const [name, values] of Object.entries(series)) {
      for (let i = 0; i < values.length; i++) rows.push([ts.startMs[i] ?? i * ts.intervalMs, workload, name, values[i]]);
    }
  }
  return stringify(rows, { ...SAFE, header: true, columns: ['start_ms', 'workload', 'series', 'value'] });
}
