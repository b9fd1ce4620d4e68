/**
 * `lsim compare`: the same headline metrics of several runs side by side, with
 * the difference of each run from the first (absolute and relative). Runs are
 * scenario files, or one scenario and a variant of it with `--set` overrides,
 * so "provisioned vs on-demand", "1 ms vs 100 ms billing" and "sync vs async"
 * are one command. Output: a text table (≤ 100 columns for up to three runs),
 * JSON (`lsim.compare/1`) and a self-contained HTML page.
 */
import type { Result } from '../sim/result.js';
import { chartJsSource, esc, figure, PAGE_CSS, PAGE_SCRIPT, timeStepS, type PageChart } from './html.js';
import { modelOf } from '../models/index.js';
import type { WorkFates } from '../models/model.js';
import type { Percentiles } from '../metrics/summary.js';
import { GUARD_TOLERANCE, monthNote, runAssumptions, workOf } from './format.js';
import { dur, int, money, num, pct, table, escapeControls, wrap } from '../format.js';

export const COMPARE_SCHEMA = 'lsim.compare/1';

export type Unit = 'count' | 'share' | 'ms' | 'usd' | 'level';

export interface CompareRow {
  /** `account`, `function <name>` or `workload <name>`. */
  section: string;
  metric: string;
  unit: Unit;
  /** One value per run; null where the run does not have this function or workload. */
  values: (number | null)[];
  /** Per run: the difference from the first run (null for the first, or when either value is missing). */
  diffs: ({ abs: number; rel: number | null } | null)[];
}

export interface CompareRun {
  label: string;
  file?: string;
  overrides?: string[];
  result: Result;
}

export interface Comparison {
  schema: typeof COMPARE_SCHEMA;
  /** Per run, `month` is what its monthly costs assume (docs/billing.md "The month") and whether the free tier applies. */
  runs: { label: string; scenario: string; seed: string; file: string | null; overrides: string[]; month: string; assumptions: string[] }[];
  rows: CompareRow[];
  /** What makes the runs less comparable: different lengths, seeds, or functions and workloads only some runs have. */
  warnings: string[];
}

/** Rounded like the result (no float noise in differences). */
function r9(x: number): number {
  const v = Number(x.toPrecision(12));
  return v === 0 ? 0 : v;
}

export function compare(runs: CompareRun[]): Comparison {
  const rows: CompareRow[] = [];
  const add = (section: string, metric: string, unit: Unit, get: (r: Result) => number | null | undefined) => {
    const values = runs.map((run) => {
      const v = get(run.result);
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    });
    if (values.every((v) => v === null)) return;
    const base = values[0];
    const diffs = values.map((v, i) =>
      i === 0 || v === null || base === null ? null : { abs: r9(v - base), rel: base === 0 ? null : Number(((v - base) / base).toFixed(6)) },
    );
    rows.push({ section, metric, unit, values, diffs });
  };
  const sum = (r: Result, f: (x: Result['functions'][number]) => number) => r.functions.reduce((a, x) => a + f(x), 0);
  const work = runs.map((run) => workOf(run.result));
  const workAt = (r: Result) => work[runs.findIndex((run) => run.result === r)];
  add('account', 'invocations', 'count', (r) => r.account.invocations);
  add('account', 'cold starts', 'count', (r) => sum(r, (f) => f.coldStarts));
  add('account', 'cold-start share', 'share', (r) => {
    const inv = r.account.invocations;
    return inv > 0 ? Number((sum(r, (f) => f.coldStarts) / inv).toFixed(6)) : 0;
  });
  add('account', 'throttles (429)', 'count', (r) => r.account.throttles.total);
  add('account', 'throttle share of attempts', 'share', (r) => {
    const att = sum(r, (f) => f.attempts);
    return att > 0 ? Number((r.account.throttles.total / att).toFixed(6)) : 0;
  });
  add('account', 'errors + timeouts', 'count', (r) => sum(r, (f) => f.errors + f.timeouts));
  // The work the callers offered and what became of it (each model's unit: requests, events, messages,
  // records): a design that does less of it is not cheaper for the same work (the warnings say so).
  add('account', 'work offered', 'count', (r) => workAt(r).offered);
  add('account', 'work served', 'count', (r) => workAt(r).served);
  add('account', 'work unfinished', 'share', (r) => unfinishedShare(workAt(r)));
  add('account', 'peak concurrency', 'level', (r) => r.account.concurrency.max);
  add('account', 'mean concurrency', 'level', (r) => r.account.concurrency.mean);
  add('account', 'the bill per month', 'usd', (r) => r.account.cost.bill.monthlyUsd);
  add('account', 'Lambda per month', 'usd', (r) => r.account.cost.monthly.total);
  add('account', 'other services per month', 'usd', (r) => r.account.cost.bill.servicesMonthlyUsd);
  add('account', 'Lambda per M invocations', 'usd', (r) => r.account.cost.usdPerMillionInvocations);
  add('account', 'the bill of the window', 'usd', (r) => r.account.cost.bill.windowUsd);
  add('account', 'window cost per M served', 'usd', (r) => {
    const served = workAt(r).served;
    return served > 0 ? r9((r.account.cost.window.total / served) * 1e6) : null;
  });
  // Each other service's line of the month, as any run bills it (docs/billing.md "The rest of the bill").
  const serviceItems = unique(runs.flatMap((run) => run.result.account.cost.bill.services.map((l) => `${l.service} ${l.label.split(' (')[0]}`)));
  for (const name of serviceItems) {
    add('account', `${name} per month`, 'usd', (r) => {
      const ls = r.account.cost.bill.services.filter((l) => `${l.service} ${l.label.split(' (')[0]}` === name);
      return ls.length === 0 ? 0 : r9(ls.reduce((a, l) => a + l.usd, 0));
    });
  }

  const fnNames = unique(runs.flatMap((run) => run.result.functions.map((f) => f.name)));
  for (const name of fnNames) {
    const fn = (r: Result) => r.functions.find((f) => f.name === name);
    const sec = `function ${name}`;
    add(sec, 'invocations', 'count', (r) => fn(r)?.invocations);
    add(sec, 'cold-start share', 'share', (r) => fn(r)?.coldStartRate);
    add(sec, 'throttles', 'count', (r) => fn(r)?.throttles.total);
    add(sec, 'handler p50', 'ms', (r) => fn(r)?.durationMs.p50);
    add(sec, 'handler p99', 'ms', (r) => fn(r)?.durationMs.p99);
    add(sec, 'peak concurrency', 'level', (r) => fn(r)?.concurrency.max);
    add(sec, 'billed GB-s', 'level', (r) => {
      const f = fn(r);
      return f && r9(f.billing.gbSeconds + f.billing.provisionedGbSeconds);
    });
    add(sec, 'Lambda cost per month', 'usd', (r) => fn(r)?.cost.monthly.total);
  }
  const wlNames = unique(runs.flatMap((run) => run.result.workloads.map((w) => w.name)));
  for (const name of wlNames) {
    const wl = (r: Result) => r.workloads.find((w) => w.name === name) as unknown as Record<string, unknown> | undefined;
    const sec = `workload ${name}`;
    const n = (r: Result, key: string) => {
      const v = wl(r)?.[key];
      return typeof v === 'number' ? v : undefined;
    };
    const lat = (r: Result, p: 'p50' | 'p99' | 'p999') => {
      const v = wl(r)?.latencyMs as Record<string, number> | undefined;
      return v?.[p];
    };
    // The fates every invocation model reports (docs/architecture.md, WorkFates); the rest of each
    // model's counters appear in the JSON and HTML reports.
    const fates = (r: Result) => {
      const w = r.workloads.find((x) => x.name === name);
      return w && modelOf(w.invoke).work(w);
    };
    add(sec, 'offered', 'count', (r) => fates(r)?.offered);
    add(sec, 'served', 'count', (r) => fates(r)?.served);
    add(sec, 'lost or refused', 'count', (r) => fates(r)?.lost);
    add(sec, 'of them held in a DLQ', 'count', (r) => fates(r)?.dlq);
    add(sec, 'queued at the end', 'count', (r) => fates(r)?.queued);
    add(sec, 'throttled (final)', 'count', (r) => n(r, 'throttled'));
    add(sec, 'end-to-end p50', 'ms', (r) => lat(r, 'p50'));
    add(sec, 'end-to-end p99', 'ms', (r) => lat(r, 'p99'));
    add(sec, 'end-to-end p99.9', 'ms', (r) => lat(r, 'p999'));
    // Issue 15: a sync workload behind a front door (rows only where a run has one).
    const door = (r: Result) => wl(r)?.frontDoor as { doorRequests: number; gatewayThrottled: { account: number; stage: number }; lambdaThrottled: number; outcomes: { integrationTimeout: number }; afterTimeout: { workMs: number } } | undefined;
    add(sec, 'door requests', 'count', (r) => door(r)?.doorRequests);
    add(sec, 'gateway 429s', 'count', (r) => {
      const d = door(r);
      return d && d.gatewayThrottled.account + d.gatewayThrottled.stage;
    });
    add(sec, 'Lambda throttles at the door', 'count', (r) => door(r)?.lambdaThrottled);
    add(sec, 'integration timeouts (504)', 'count', (r) => door(r)?.outcomes.integrationTimeout);
    add(sec, 'work after a 504', 'ms', (r) => door(r)?.afterTimeout.workMs);
  }
  return {
    schema: COMPARE_SCHEMA,
    runs: runs.map((run) => ({
      label: run.label,
      scenario: run.result.scenario.name,
      seed: run.result.scenario.seed,
      file: run.file ?? null,
      overrides: run.overrides ?? [],
      // As the run report says it: with the free tier, the month is less than the window × N.
      month: monthNote(run.result.account.cost),
      // What else its figures rest on, as its run report says it (an arm64 speed not given, no warm-up).
      assumptions: runAssumptions(run.result),
    })),
    rows,
    warnings: warningsOf(runs),
  };
}

/** Letters of the runs: A, B, C … */
const letter = (i: number) => String.fromCharCode(65 + i);

/** Lost, refused or still queued, per unit offered (what the sweep guard compares: `unfinishedRate`); null with none offered. */
function unfinishedShare(w: WorkFates): number | null {
  return w.offered > 0 ? Number(((w.lost + w.queued) / w.offered).toFixed(6)) : null;
}

function warningsOf(runs: CompareRun[]): string[] {
  const out: string[] = [];
  // A run cheaper than another that leaves more work unfinished, in all or in a workload: its saving is partly work not done.
  const bill = (i: number) => runs[i].result.account.cost.bill.monthlyUsd;
  const shareOf = (i: number, workload: string | null) => {
    const r = runs[i].result;
    if (workload === null) return unfinishedShare(workOf(r));
    const w = r.workloads.find((x) => x.name === workload);
    return w ? unfinishedShare(modelOf(w.invoke).work(w)) : null;
  };
  const names = unique(runs.flatMap((run) => run.result.workloads.map((w) => w.name)));
  // The whole (null) only when there is more than one workload to sum.
  const scopes = names.length > 1 ? [null, ...names] : names;
  runs.forEach((_, i) =>
    runs.forEach((__, j) => {
      if (!(bill(i) < bill(j))) return;
      const worse = scopes.flatMap((scope) => {
        const [a, b] = [shareOf(i, scope), shareOf(j, scope)];
        return a !== null && b !== null && a > b + GUARD_TOLERANCE ? [`${scope === null ? 'in all' : scope} ${pct(a)} against ${pct(b)}`] : [];
      });
      if (worse.length === 0) return;
      out.push(
        `${letter(i)} costs less than ${letter(j)} but leaves more of the work unfinished (lost, refused or still queued: ${worse.join(', ')}): ` +
          `part of its saving is work not done, and its latencies count only the work it served; compare "window cost per M served"`,
      );
    }),
  );
  const each = (f: (r: Result) => string) => runs.map((run, i) => `${letter(i)} ${f(run.result)}`).join(', ');
  if (unique(runs.map((r) => String(r.result.scenario.durationMs))).length > 1) {
    out.push(`the runs differ in length (${each((r) => dur(r.scenario.durationMs))}): counts and the window's cost cover different times; monthly figures are each run's month`);
  }
  if (unique(runs.map((r) => r.result.scenario.seed)).length > 1) {
    out.push(`the runs use different seeds (${each((r) => r.scenario.seed)}): part of every difference is sampling noise`);
  }
  for (const [what, names] of [
    ['function', (r: Result) => r.functions.map((f) => f.name)],
    ['workload', (r: Result) => r.workloads.map((w) => w.name)],
  ] as const) {
    for (const name of unique(runs.flatMap((run) => names(run.result)))) {
      const has = runs.map((run, i) => (names(run.result).includes(name) ? letter(i) : null)).filter((x): x is string => x !== null);
      if (has.length < runs.length) out.push(`${what} ${name} is only in ${has.join(', ')}: matched by name, it has no counterpart in the others`);
    }
  }
  return out;
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null) return '-';
  switch (unit) {
    case 'count':
      return int(v);
    case 'share':
      return pct(v);
    case 'ms':
      return dur(v);
    case 'usd':
      return money(v);
    case 'level':
      return num(v, 1);
  }
}

/** `+1,234 (+12.3%)`; a share's difference is in percentage points. */
export function formatDiff(d: { abs: number; rel: number | null } | null, unit: Unit): string {
  if (d === null) return '';
  if (d.abs === 0) return '=';
  const sign = d.abs > 0 ? '+' : '−';
  const a = Math.abs(d.abs);
  const absText = unit === 'share' ? `${num(a * 100, 2)} pp` : formatValue(a, unit);
  const rel = d.rel === null ? '' : ` (${d.rel > 0 ? '+' : '−'}${relText(Math.abs(d.rel))})`;
  return `${sign}${absText}${unit === 'share' ? '' : rel}`;
}

function relText(x: number): string {
  const p = x * 100;
  if (p >= 1000) return `${num(p, 0)}%`;
  if (p >= 10) return `${p.toFixed(0)}%`;
  return `${p.toFixed(1)}%`;
}

/** The report for a terminal: control characters from the scenario's text escaped (src/format.ts `escapeControls`). */
export function compareText(c: Comparison): string {
  return escapeControls(compareTextUnescaped(c));
}

function compareTextUnescaped(c: Comparison): string {
  const out: string[] = [];
  out.push(`lsim compare · ${c.runs.length} runs · differences from the first`);
  c.runs.forEach((r, i) => {
    const sets = r.overrides.map((o) => ` --set ${o}`).join('');
    const first = `  ${String.fromCharCode(65 + i)} = ${r.file ?? r.scenario} (seed ${r.seed})`;
    // Overrides on the same line when it fits in 100 columns, else one per line below.
    if (first.length + sets.length <= 100) out.push(first.replace(' (seed', `${sets} (seed`));
    else out.push(first, ...r.overrides.map((o) => `      --set ${o}`));
  });
  // What "cost per month" assumes: once when the runs agree, else per run.
  const months = unique(c.runs.map((r) => r.month));
  if (months.length === 1) out.push(`  ${months[0]}`);
  else c.runs.forEach((r, i) => out.push(`  ${String.fromCharCode(65 + i)}: ${r.month}`));
  // Each run's other assumptions: once when every run has it, else with the runs that have it.
  for (const note of unique(c.runs.flatMap((r) => r.assumptions))) {
    const has = c.runs.flatMap((r, i) => (r.assumptions.includes(note) ? [letter(i)] : []));
    out.push(...wrap(`  note${has.length === c.runs.length ? '' : ` (${has.join(', ')})`}: ${note}`, 4));
  }
  for (const w of c.warnings) out.push(...wrap(`  warning: ${w}`, 4));
  const header = ['metric'];
  c.runs.forEach((_, i) => {
    header.push(String.fromCharCode(65 + i));
    if (i > 0) header.push(`${String.fromCharCode(65 + i)} − A`);
  });
  let section = '';
  const blocks: string[][][] = [];
  let rows: string[][] = [];
  for (const row of c.rows) {
    if (row.section !== section) {
      if (rows.length) blocks.push(rows);
      rows = [[row.section]];
      section = row.section;
    }
    const cells = [`  ${row.metric}`];
    row.values.forEach((v, i) => {
      cells.push(formatValue(v, row.unit));
      if (i > 0) cells.push(formatDiff(row.diffs[i], row.unit));
    });
    rows.push(cells);
  }
  if (rows.length) blocks.push(rows);
  out.push('');
  out.push(table(header, blocks.flat()));
  out.push('');
  return out.join('\n');
}

export function compareJson(c: Comparison): string {
  return JSON.stringify(c, null, 2) + '\n';
}

/**
 * The comparison as one self-contained HTML page: warnings first, the metrics that differ (the equal
 * ones folded away), bars of the key account metrics that differ, the runs' time series overlaid on
 * one time axis (concurrency, throttles, invocations, each matched workload's charts), and the
 * latency distributions. Charts are drawn by the run page's script (src/report/html.ts).
 */
export function compareHtml(c: Comparison, runs: readonly CompareRun[]): string {
  const letters = c.runs.map((_, i) => letter(i));
  const head = `<tr><th>metric</th>${c.runs.map((r, i) => `<th>${letters[i]} · ${esc(r.label)}</th>${i > 0 ? `<th>${letters[i]} − A</th>` : ''}`).join('')}</tr>`;
  const differs = (row: CompareRow) => row.diffs.some((d) => d === null ? false : d.abs !== 0) || row.values.some((v) => v === null);
  const tableRows = (rows: CompareRow[]) => {
    let section = '';
    const body: string[] = [];
    for (const row of rows) {
      if (row.section !== section) {
        section = row.section;
        body.push(`<tr class="sec"><th colspan="${c.runs.length * 2}">${esc(section)}</th></tr>`);
      }
      const cells = row.values
        .map((v, i) => {
          const d = row.diffs[i];
          const cls = d && d.abs !== 0 ? (d.abs > 0 ? ' class="up"' : ' class="down"') : '';
          return `<td data-value="${v ?? ''}">${esc(formatValue(v, row.unit))}</td>${i > 0 ? `<td${cls}>${esc(formatDiff(d, row.unit))}</td>` : ''}`;
        })
        .join('');
      body.push(`<tr><td>${esc(row.metric)}</td>${cells}</tr>`);
    }
    return body.join('\n');
  };
  const different = c.rows.filter(differs);
  const equal = c.rows.filter((r) => !differs(r));
  const charts = compareCharts(c, runs, letters);
  const longest = Math.max(...runs.map((r) => r.result.scenario.durationMs)) / 1000;
  const data = { durationS: longest, stepS: timeStepS(longest), points: Math.max(...runs.map((r) => r.result.timeSeries.startMs.length)), xs: [], charts };
  const cmd = c.runs.map((r) => [r.file ?? r.scenario, ...r.overrides.map((o) => `--set ${o}`)].join(' '));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lsim compare · ${esc(c.runs.map((r) => r.label).join(' vs '))}</title>
<style>${PAGE_CSS}
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; } td:first-child, th:first-child { text-align: left; }
tr.sec th { text-align: left; background: #f0f0ee; } td.up { color: #8c1c13; } td.down { color: #1b5e20; }
.warn { border-left: 4px solid #b7791f; background: #fbf3e4; padding: 6px 12px; margin: 8px 0; }
</style>
</head>
<body>
<h1>lsim compare</h1>
<ul>${c.runs.map((r, i) => `<li><b>${letters[i]}</b> · ${esc(r.label)}: ${esc(cmd[i])} (seed ${esc(r.seed)}; cost per month: ${esc(r.month)})${r.assumptions.map((n) => `<br>Note: ${esc(n)}`).join('')}</li>`).join('')}</ul>
${c.warnings.map((w) => `<p class="warn">Warning: ${esc(w)}</p>`).join('\n')}
<h2>What differs</h2>
<p class="meta">Differences are from run A; a share's difference is in percentage points.${equal.length ? ` ${int(equal.length)} metric${equal.length === 1 ? ' is' : 's are'} equal in every run (below).` : ''}</p>
<table class="differs">
<thead>${head}</thead>
<tbody>
${different.length ? tableRows(different) : `<tr><td colspan="${c.runs.length * 2}">No metric differs.</td></tr>`}
</tbody>
</table>
${equal.length ? `<details><summary>Equal in every run (${int(equal.length)})</summary>\n<table class="equal">\n<thead>${head}</thead>\n<tbody>\n${tableRows(equal)}\n</tbody>\n</table>\n</details>` : ''}
${Object.keys(SECTIONS)
    .map((key) => charts.filter((ch) => ch.id.split('-')[0] === key))
    .filter((list) => list.length > 0)
    .map((list) => `<h2>${esc(SECTIONS[list[0].id.split('-')[0]])}</h2>\n<div class="grid">\n${list.map(figure).join('\n')}\n</div>`)
    .join('\n')}
<footer><p>Made by lsim; the same runs give this file byte for byte. Charts: Chart.js (MIT), inlined.</p></footer>
<script type="application/json" id="lsim-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>
<script>${chartJsSource()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const SECTIONS: Record<string, string> = { bars: 'Key metrics that differ', time: 'Over time, overlaid', lat: 'Latency distributions' };

/** The compare page's charts: bars of differing key metrics, overlaid series, latency distributions. */
function compareCharts(c: Comparison, runs: readonly CompareRun[], letters: string[]): PageChart[] {
  const out: PageChart[] = [];
  const labels = runs.map((r, i) => `${letters[i]} · ${r.label}`);
  const pick = (metric: string) => c.rows.find((r) => r.section === 'account' && r.metric === metric);
  for (const [metric, title] of [
    ['the bill per month', 'Which costs more? The bill per month (Lambda and the other services)'],
    ['throttle share of attempts', 'Which refuses more? Throttle share of attempts (%)'],
    ['cold-start share', 'Which starts cold more? Cold-start share of invocations (%)'],
    ['peak concurrency', 'Which needs more concurrency? Peak concurrent executions'],
  ] as const) {
    const row = pick(metric);
    if (!row || !row.diffs.some((d) => d !== null && d.abs !== 0)) continue;
    out.push({
      id: `bars-${out.length}`,
      title,
      kind: 'bar',
      y: row.unit === 'usd' ? 'USD per month' : row.unit === 'share' ? 'percent' : 'concurrent executions',
      categories: labels,
      series: [{ label: metric, data: row.values.map((v) => (v === null ? null : row.unit === 'share' ? v * 100 : v)) }],
      limits: [],
      offScale: [],
    });
  }
  const xsOf = (r: Result) => r.timeSeries.startMs.map((ms) => ms / 1000);
  const perS = (r: Result, a: readonly number[]) => a.map((v) => (v * 1000) / r.timeSeries.intervalMs);
  const sumFns = (r: Result, key: 'throttles' | 'invocations') => {
    const list = Object.values(r.timeSeries.functions).map((s) => s[key]);
    return list[0].map((_, i) => list.reduce((a, s) => a + s[i], 0));
  };
  const overlay = (id: string, title: string, y: string, get: (r: Result) => number[] | undefined, durations = false) => {
    const series = runs.flatMap((run, i) => {
      const data = get(run.result);
      return data ? [{ label: labels[i], data, xs: xsOf(run.result) }] : [];
    });
    if (series.length > 1) out.push({ id, title, kind: 'line', y, durations, series, limits: [], offScale: [] });
  };
  overlay('time-conc', 'Concurrency: most in each interval, account', 'concurrent executions', (r) => r.timeSeries.account.concurrencyMax);
  overlay('time-throttles', 'Throttles (429) per second, all functions', 'per second', (r) => perS(r, sumFns(r, 'throttles')));
  overlay('time-inv', 'Invocations per second, all functions', 'per second', (r) => perS(r, sumFns(r, 'invocations')));
  const workloads = unique(runs.flatMap((run) => run.result.workloads.map((w) => w.name)));
  for (const name of workloads) {
    const first = runs.map((run) => run.result.workloads.find((w) => w.name === name)).find((w) => w !== undefined)!;
    modelOf(first.invoke)
      .html.charts(first)
      .forEach((spec, k) => {
        const s = spec.series[0];
        overlay(`time-wl-${workloads.indexOf(name)}-${k}`, `${name}: ${s.label}`, spec.y, (r) => {
          const w = r.workloads.find((x) => x.name === name);
          const data = w && w.invoke === first.invoke ? r.timeSeries.workloads[name]?.[s.key] : undefined;
          return data && (s.perSecond ? perS(r, data) : data);
        }, spec.durations);
      });
  }
  // Latency distributions: each workload's caller-seen latency, else each function's handler time.
  const P = ['p50', 'p90', 'p99', 'p999', 'max'] as const;
  const latencies: { name: string; get: (r: Result) => Percentiles | undefined }[] = [
    ...workloads.map((name) => ({ name: `${name} (what callers waited)`, get: (r: Result) => {
      const w = r.workloads.find((x) => x.name === name);
      return w && modelOf(w.invoke).latency(w);
    } })),
    ...unique(runs.flatMap((run) => run.result.functions.map((f) => f.name))).map((name) => ({ name: `${name} (handler)`, get: (r: Result) => r.functions.find((f) => f.name === name)?.durationMs })),
  ];
  for (const l of latencies) {
    const series = runs.flatMap((run, i) => {
      const p = l.get(run.result);
      return p && p.count > 0 ? [{ label: labels[i], data: P.map((k) => (p[k] > 0 ? p[k] : null)) }] : [];
    });
    if (series.length > 1 && out.filter((x) => x.id.startsWith('lat-')).length < 4) {
      out.push({ id: `lat-${out.length}`, title: `${l.name}: latency percentiles`, kind: 'line', y: 'latency (log scale)', durations: true, log: true, categories: ['p50', 'p90', 'p99', 'p99.9', 'max'], series, limits: [], offScale: [] });
    }
  }
  return out;
}
