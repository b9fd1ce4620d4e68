/**
 * The HTML report: one self-contained file that opens from disk with no network.
 * chart.js's UMD build is read from node_modules at run time and inlined; the
 * page's charts travel as descriptions in a JSON block that the page's script draws.
 *
 * - "What happened": the headline sentences (src/report/summary.ts), also `lsim run --summary`;
 * - a card per function and per workload, each number in words with its meaning on hover and its
 *   raw value in `data-value` (the browser test checks them against the JSON result); workload
 *   cards come from the workload's invocation model (`html.cards`);
 * - one question per chart: latency percentiles, cost by line item; per function: concurrency
 *   against its limits (drawn as labelled lines when near the data, named in the caption when far
 *   above it), requests/invocations/throttles per second, cold starts against the scaling
 *   allowance; per workload: its model's charts (`html.charts`), counts as rates per second,
 *   ages in time units.
 * - every time chart shares one linear x axis (0 to the run's end, round ticks); long runs are
 *   decimated (min-max) by Chart.js.
 *
 * Colours differ in lightness and every line has its own dash pattern, so the
 * charts survive greyscale printing. Same result → same bytes: no timestamps,
 * no random ids, animation off.
 */
import { unitsOf } from '../billing/service-prices.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FunctionResult, Result } from '../sim/result.js';
import { monthNote, runAssumptions } from './format.js';
import { dur, int, money, pct } from '../format.js';
import { modelOf } from '../models/index.js';
import { summarize } from './summary.js';

let chartJsCache: string | undefined;

/** chart.js's UMD build, without its source-map comment (nothing is fetched when the page opens). */
export function chartJsSource(): string {
  if (chartJsCache === undefined) {
    const require = createRequire(import.meta.url);
    // The package's exports do not list the UMD file: find it beside the main entry.
    const main = require.resolve('chart.js');
    const text = readFileSync(join(dirname(main), 'chart.umd.js'), 'utf8');
    chartJsCache = text.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  }
  return chartJsCache;
}

/** Escapes text for HTML content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** One number on a card: its words, its text, its raw value for machines, and what it means (on hover). */
function metric(name: string, label: string, value: number | null, text: string, meaning = ''): string {
  const title = meaning ? ` title="${esc(meaning)}"` : '';
  return `<div class="m"${title}><dt>${esc(label)}</dt><dd data-metric="${esc(name)}" data-value="${value === null ? '' : String(value)}">${esc(text)}</dd></div>`;
}

/** The card metrics of a function: [data-metric, label, raw value, text, meaning]. Exported for tests. */
export function functionCardMetrics(f: FunctionResult): [string, string, number | null, string, string][] {
  return [
    ['invocations', 'invocations', f.invocations, int(f.invocations), 'Invocations that ran (each billed as a request), after the warm-up.'],
    ['coldStartRate', 'cold-start share', f.coldStartRate, `${pct(f.coldStartRate)} (${int(f.coldStarts)})`, 'Invocations that waited for a new execution environment to initialise.'],
    ['throttles', 'throttles (429)', f.throttles.total, `${int(f.throttles.total)} (${pct(f.throttleRate)} of attempts)`, 'Attempts refused for lack of concurrency, scaling rate or request rate.'],
    ['errors', 'errors + timeouts', f.errors + f.timeouts, int(f.errors + f.timeouts), 'Invocations that ended in a function error or hit the function timeout.'],
    ['p50', 'handler p50', f.durationMs.p50, dur(f.durationMs.p50), "The handler's own time, median (init excluded)."],
    ['p99', 'handler p99', f.durationMs.p99, dur(f.durationMs.p99), "The handler's own time, 99th percentile."],
    ['costPerMonth', 'Lambda cost per month', f.cost.monthly.total, money(f.cost.monthly.total), "This function's Lambda charges in the month (the month's assumption is in the header; the other services' lines are in \"The bill\")."],
  ];
}

/** A chart of a page (run or compare): drawn by {@link PAGE_SCRIPT} from this description alone. */
export interface PageChart {
  id: string;
  title: string;
  kind: 'line' | 'bar';
  y: string;
  y2?: string;
  durations?: boolean;
  /** `xs`: the series' own times (s) when it is not on the page's common intervals (compare: runs differ). */
  series: { label: string; data: (number | null)[]; right?: boolean; xs?: number[] }[];
  limits: { label: string; value: number }[];
  /** Limits too far above the data to draw (the axis stays scaled to the data): said in the caption. */
  offScale: string[];
  /** Bar charts over categories instead of time. */
  categories?: string[];
  horizontal?: boolean;
  stacked?: boolean;
  log?: boolean;
}

/** A round tick step for a time axis of `durationS` seconds: at most 12 ticks. */
export function timeStepS(durationS: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
  return steps.find((s) => durationS / s <= 12) ?? Math.ceil(durationS / 12 / 86400) * 86400;
}

/** Limits within reach of the data are drawn; the rest are named in the caption. */
function placeLimits(chart: Omit<PageChart, 'offScale'>): PageChart {
  let peak = 0;
  for (const s of chart.series) if (!s.right) for (const v of s.data) if (v !== null && v > peak) peak = v;
  const near = chart.limits.filter((l) => l.value <= Math.max(peak * 1.5, 1));
  const far = chart.limits.filter((l) => !near.includes(l)).map((l) => l.label);
  return { ...chart, limits: near, offScale: far };
}

/** Every chart of the page, in order. */
function pageCharts(r: Result): PageChart[] {
  const ts = r.timeSeries;
  const perS = 1000 / ts.intervalMs;
  const rate = (a: readonly number[]) => a.map((v) => v * perS);
  const charts: PageChart[] = [];
  const latRows = [
    ...r.functions.map((f) => ({ label: `${f.name} (handler)`, p: f.durationMs })),
    ...r.workloads.flatMap((w) => {
      const p = modelOf(w.invoke).latency(w);
      return p && p.count > 0 ? [{ label: `${w.name} (${w.invoke})`, p }] : [];
    }),
  ];
  charts.push({
    id: 'latency',
    title: 'How long did requests take? Percentiles: handler time per function, what callers waited per workload',
    kind: 'bar',
    y: 'latency (log scale)',
    durations: true,
    log: true,
    categories: latRows.map((l) => l.label),
    series: (['p50', 'p90', 'p99', 'p999'] as const).map((k) => ({ label: k === 'p999' ? 'p99.9' : k, data: latRows.map((l) => (l.p[k] > 0 ? l.p[k] : null)) })),
    limits: [],
    offScale: [],
  });
  const items = [...new Set(r.functions.flatMap((f) => f.cost.lines.filter((l) => l.usd > 0).map((l) => l.item)))];
  charts.push({
    id: 'cost',
    title: 'Where does the money go? Cost per month by line item',
    kind: 'bar',
    y: 'USD per month',
    horizontal: true,
    stacked: true,
    categories: r.functions.map((f) => f.name),
    series: items.map((item) => ({ label: item, data: r.functions.map((f) => f.cost.lines.filter((l) => l.item === item).reduce((a, l) => a + l.usd, 0)) })),
    limits: [],
    offScale: [],
  });
  r.functions.forEach((f, i) => {
    const s = ts.functions[f.name];
    const limit = f.reservedConcurrency ?? r.scenario.unreservedConcurrency + f.provisionedConcurrency;
    const limitLabel = f.reservedConcurrency !== null ? `reserved concurrency (${int(limit)})` : `unreserved pool + own PC (${int(limit)})`;
    const pcLine = f.provisionedConcurrency > 0 && !s.provisioned ? [{ label: `provisioned concurrency (${int(f.provisionedConcurrency)})`, value: f.provisionedConcurrency }] : [];
    charts.push(
      placeLimits({
        id: `conc-${i}`,
        title: `${f.name}: did concurrency reach a limit?`,
        kind: 'line',
        y: 'concurrent executions',
        series: [
          { label: 'most in the interval', data: s.concurrencyMax },
          { label: 'mean in the interval', data: s.concurrencyMean },
          { label: 'on-demand environments alive', data: s.environments },
          ...(s.provisioned ? [{ label: 'provisioned environments allocated (the plan)', data: s.provisioned }] : []),
        ],
        limits: [{ label: limitLabel, value: limit }, ...pcLine],
      }),
      {
        id: `traffic-${i}`,
        title: `${f.name}: were requests served? Per second`,
        kind: 'line',
        y: 'per second',
        series: [
          ...requestsOf(r, f.name).map((data) => ({ label: 'requests (first attempts)', data: rate(data) })),
          { label: 'invocations', data: rate(s.invocations) },
          { label: 'throttles (429)', data: rate(s.throttles) },
          { label: 'errors + timeouts', data: rate(s.errors) },
        ],
        limits: [],
        offScale: [],
      },
      {
        id: `scale-${i}`,
        title: `${f.name}: was scale-out held back? New environments per second against the scaling allowance`,
        kind: 'line',
        y: 'cold starts per second',
        y2: 'new environments allowed now',
        series: [
          { label: 'cold starts (new environments) per second', data: rate(s.coldStarts) },
          { label: 'scaling allowance (right axis)', data: s.scalingAllowance, right: true },
        ],
        limits: [],
        offScale: [],
      },
    );
  });
  r.workloads.forEach((w, j) => {
    const series = ts.workloads[w.name] ?? {};
    modelOf(w.invoke)
      .html.charts(w)
      .forEach((c, k) => {
        const drawn = c.series.filter((s) => Array.isArray(series[s.key]));
        if (drawn.length === 0) return;
        charts.push(
          placeLimits({
            id: `wl-${j}-${k}`,
            title: `${w.name}: ${c.title[0].toLowerCase()}${c.title.slice(1)}`,
            kind: 'line',
            y: c.y,
            y2: c.y2,
            durations: c.durations,
            series: drawn.map((s) => ({ label: s.label, data: s.perSecond ? rate(series[s.key]) : series[s.key], right: s.right })),
            limits: c.limits ?? [],
          }),
        );
      });
  });
  return charts;
}

/** The request series of the sync workloads invoking `fn`, summed (none when no workload has one). */
function requestsOf(r: Result, fn: string): number[][] {
  const list = r.workloads.filter((w) => w.function === fn && Array.isArray(r.timeSeries.workloads[w.name]?.requests)).map((w) => r.timeSeries.workloads[w.name].requests);
  return list.length ? [list[0].map((_, i) => list.reduce((a, s) => a + (s[i] ?? 0), 0))] : [];
}

export function figure(c: PageChart): string {
  const off = c.offScale.length ? ` <span class="off">(off the scale, above the data: ${esc(c.offScale.join('; '))})</span>` : '';
  return `<figure class="chart" data-chart="${esc(c.id)}"><figcaption>${esc(c.title)}${off}</figcaption><div class="box"><canvas id="${esc(c.id)}"></canvas></div></figure>`;
}

/** What a run's page shows below its header: the `<main>` content and the data its charts are drawn from. */
export interface ReportMain {
  /** The header's lines of numbers (seed, duration, account totals). */
  meta: string;
  /** The content of `<main>`. */
  html: string;
  data: PageData;
}

/** The chart data of a page: drawn by {@link drawScript}'s `lsimDraw(data)`. */
export interface PageData {
  durationS: number;
  stepS: number;
  points: number;
  xs: number[];
  charts: PageChart[];
}

/**
 * The body of the run report (summary, cards, charts' figures) and its chart data; the playground
 * (src/play/) puts a new one in its page after every run and draws it with `lsimDraw`.
 */
export function reportMain(r: Result): ReportMain {
  const s = r.scenario;
  const charts = pageCharts(r);
  const byId = new Map(charts.map((ch) => [ch.id, ch]));
  const cards = r.functions
    .map(
      (f) => `<section class="card" data-function="${esc(f.name)}">
<h3>${esc(f.name)}</h3>
<p class="sub">${int(f.memoryMb)} MB · ${esc(f.architecture)}${f.reservedConcurrency !== null ? ` · reserved ${int(f.reservedConcurrency)}` : ''}${f.provisionedConcurrency ? ` · provisioned ${int(f.provisionedConcurrency)}` : ''}${f.provisionedPlan ? ` · PC plan: ${esc(f.provisionedPlan.kind)}, up to ${int(f.provisionedPlan.maxConfigured)}` : ''}</p>
<dl>${functionCardMetrics(f)
        .map(([name, label, value, text, meaning]) => metric(name, label, value, text, meaning))
        .join('')}</dl>
</section>`,
    )
    .join('\n');
  const workloadCards = r.workloads
    .map(
      (w) => `<section class="card wl" data-workload="${esc(w.name)}">
<h3>${esc(w.name)}</h3>
<p class="sub">invoke ${esc(w.invoke)} → ${esc(w.function)}</p>
<dl>${modelOf(w.invoke)
        .html.cards(w)
        .map((m) => metric(m.key, m.label, m.value, m.text, m.meaning))
        .join('')}</dl>
</section>`,
    )
    .join('\n');
  const fnCharts = r.functions
    .map((f, i) => `<h2>${esc(f.name)}</h2>\n<div class="grid">\n${[`conc-${i}`, `traffic-${i}`, `scale-${i}`].map((id) => figure(byId.get(id)!)).join('\n')}\n</div>`)
    .join('\n');
  const wlCharts = r.workloads
    .map((w, j) => {
      const list = charts.filter((ch) => ch.id.startsWith(`wl-${j}-`));
      return list.length ? `<h2>${esc(w.name)} (${esc(w.invoke)} → ${esc(w.function)})</h2>\n<div class="grid">\n${list.map(figure).join('\n')}\n</div>` : '';
    })
    .filter(Boolean)
    .join('\n');
  const durationS = s.durationMs / 1000;
  const data = { durationS, stepS: timeStepS(durationS), points: r.timeSeries.startMs.length, xs: r.timeSeries.startMs.map((ms) => ms / 1000), charts };
  const c = r.account.cost;
  const meta = `<p class="meta">seed ${esc(s.seed)} · ${esc(dur(s.durationMs))} simulated${s.warmupMs > 0 ? ` (metrics after ${esc(dur(s.warmupMs))} warm-up)` : ''} · account concurrency ${int(s.concurrencyLimit)} (unreserved ${int(s.unreservedConcurrency)}) · scaling ${esc(s.scaling)} · billing ${s.billingGranularityMs} ms, init ${esc(s.initBilling)}</p>
<p class="meta">account: <span data-metric="account.invocations" data-value="${r.account.invocations}">${int(r.account.invocations)}</span> invocations · <span data-metric="account.throttles" data-value="${r.account.throttles.total}">${int(r.account.throttles.total)}</span> throttles · peak concurrency ${int(r.account.concurrency.max)} · the bill <span data-metric="account.billPerMonth" data-value="${c.bill.monthlyUsd}">${esc(money(c.bill.monthlyUsd))}</span> per month: Lambda <span data-metric="account.costPerMonth" data-value="${c.monthly.total}">${esc(money(c.monthly.total))}</span> + other services <span data-metric="account.servicesPerMonth" data-value="${c.bill.servicesMonthlyUsd}">${esc(money(c.bill.servicesMonthlyUsd))}</span> (prices ${esc(c.priceBook)}, ${esc(c.bill.servicePrices)}; ${esc(monthNote(c))})</p>${runAssumptions(r).map((n) => `\n<p class="meta note">Note: ${esc(n)}</p>`).join('')}`;
  const html = `<section class="summary" aria-label="summary"><h2>What happened</h2>
<ul>${summarize(r)
    .map((line) => `<li>${esc(line)}</li>`)
    .join('')}</ul></section>
<h2>Functions</h2>
<div class="cards">
${cards}
</div>
<h2>Workloads</h2>
<div class="cards">
${workloadCards}
</div>
<h2>The bill</h2>
${billTable(r)}
<h2>Latency and cost</h2>
<div class="grid">
${figure(byId.get('latency')!)}
${figure(byId.get('cost')!)}
</div>
${fnCharts}
${wlCharts}`;
  return { meta, html, data };
}

export function htmlReport(r: Result): string {
  const s = r.scenario;
  const { meta, html, data } = reportMain(r);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lsim · ${esc(s.name)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header>
<h1>lsim · ${esc(s.name)}</h1>
${s.description ? `<p class="desc">${esc(s.description)}</p>` : ''}
${meta}
</header>
<main>
${html}
</main>
<footer><p>Made by lsim from the result schema ${esc(r.schema)}; the same scenario and seed give this file byte for byte. Hover a number for what it means. Charts: Chart.js (MIT), inlined.</p></footer>
<script type="application/json" id="lsim-data">${scriptJson(data)}</script>
<script>${chartJsSource()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

/** The month's bill, line by line with each price's source (docs/billing.md "The rest of the bill"). */
function billTable(r: Result): string {
  const c = r.account.cost;
  const rows = c.lines
    .filter((l) => l.service === 'AWS Lambda')
    .map((l) => `<tr><td>AWS Lambda</td><td>${esc(l.item)}</td><td></td><td></td><td class="num">${esc(money(l.usd))}</td><td>${esc(c.priceBook)}, ${esc(l.source)}</td></tr>`);
  for (const l of c.bill.services) {
    const quantity = `${l.quantity.toLocaleString('en-US', { maximumFractionDigits: l.quantity < 100 ? 2 : 0 })} ${unitsOf(l.quantity, l.unit)}${l.freeQuantity > 0 ? ` (${l.freeQuantity.toLocaleString('en-US', { maximumFractionDigits: 0 })} free)` : ''}`;
    rows.push(`<tr><td>${esc(l.service)}</td><td>${esc(l.label)}</td><td class="num">${esc(quantity)}</td><td>${esc(l.price)}</td><td class="num">${esc(money(l.usd))}</td><td>${esc(l.source)}${l.note ? `; ${esc(l.note)}` : ''}</td></tr>`);
  }
  rows.push(`<tr class="total"><td>total</td><td>Lambda ${esc(money(c.bill.lambdaMonthlyUsd))} + other services ${esc(money(c.bill.servicesMonthlyUsd))}</td><td></td><td></td><td class="num">${esc(money(c.bill.monthlyUsd))}</td><td></td></tr>`);
  return `<table class="bill"><thead><tr><th>service</th><th>line</th><th>quantity</th><th>price</th><th>USD a month</th><th>price source</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

export const PAGE_CSS = `
table.bill { border-collapse: collapse; font-size: 0.9em; } table.bill th, table.bill td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: left; vertical-align: top; }
table.bill td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; } table.bill tr.total td { font-weight: 600; }
:root { --fg: #1a1a1a; --muted: #555; --line: #ccc; --bg: #fff; --card: #f6f6f4; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1600px; padding: 16px 24px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin: 1.4em 0 0.5em; border-bottom: 1px solid var(--line); padding-bottom: 0.2em; }
h3 { margin: 0; font-size: 1.05em; overflow-wrap: anywhere; } .desc { margin: 0.2em 0 0.4em; font-size: 1.05em; } .meta, .sub, footer { color: var(--muted); font-size: 0.9em; margin: 0.2em 0; }
.summary ul { margin: 0.3em 0; padding-left: 1.3em; } .summary li { margin: 0.15em 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 0; overflow: hidden; }
.card dl { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 6px 14px; margin: 8px 0 0; }
.m { min-width: 0; } .m[title] dt { text-decoration: underline dotted var(--line); cursor: help; }
.m dt { color: var(--muted); font-size: 0.8em; overflow-wrap: anywhere; } .m dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
figcaption { font-weight: 600; font-size: 0.95em; margin-bottom: 4px; } figcaption .off { font-weight: 400; color: var(--muted); }
.box { position: relative; height: 300px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .grid { grid-template-columns: 1fr 1fr; }
  figure.chart, .card { break-inside: avoid; page-break-inside: avoid; }
  .card { background: none; }
  .box { height: 240px; }
  h2 { break-after: avoid; }
}
`;

/**
 * Defines `lsimDraw(D)` in the page: draws every chart of a {@link PageData} into the canvases of the
 * same ids, destroying the charts an earlier call drew first (the playground calls it after every run).
 * Plain ES2017, no network.
 */
/** In-page JavaScript: `ms(v)`, a duration in ms for axis ticks (`812 ms`, `1.5 s`, `4 min`, `2 h`); shared by the pages' scripts. */
export const MS_JS = `  function ms(v) {
    if (v === 0) return '0';
    if (v < 1000) return (+v.toPrecision(3)) + ' ms';
    if (v < 120000) return (+(v / 1000).toPrecision(3)) + ' s';
    if (v < 7200000) return (+(v / 60000).toPrecision(3)) + ' min';
    return (+(v / 3600000).toPrecision(3)) + ' h';
  }`;

export const DRAW_SCRIPT = `
var lsimDraw = (function () {
  'use strict';
  var drawn = [];
  return function (D) {
  drawn.forEach(function (ch) { ch.destroy(); });
  drawn = [];
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#333';
  Chart.defaults.plugins.legend.labels.boxWidth = 28;
  Chart.defaults.elements.point.radius = 0;
  Chart.defaults.elements.line.borderWidth = 2;
  // Styles that survive greyscale: lightness steps apart, each with its own dash.
  var STYLES = [
    { c: '#1b2f6b', d: [] }, { c: '#e08a1e', d: [8, 4] }, { c: '#8c1c13', d: [2, 3] },
    { c: '#5aa05a', d: [12, 3, 3, 3] }, { c: '#7b5ea7', d: [4, 4] }, { c: '#111111', d: [1, 4] },
    { c: '#9cb8e0', d: [16, 4] }, { c: '#b7791f', d: [6, 2, 2, 2, 2, 2] }
  ];
  var LIMITS = [{ c: '#000000', d: [10, 4] }, { c: '#8c1c13', d: [3, 3] }, { c: '#5aa05a', d: [14, 4, 2, 4] }];
  var BAR = ['#1b2f6b', '#e08a1e', '#8c1c13', '#9cb8e0', '#5aa05a', '#444444', '#d8b26e', '#bbbbbb'];
  function two(x) { return (x < 10 ? '0' : '') + x; }
  // Round time ticks: seconds for short runs, m:ss under two hours, h:mm beyond.
  function clock(s) {
    s = Math.round(s);
    if (D.durationS <= 120) return s + ' s';
    if (D.durationS < 7200) return Math.floor(s / 60) + ':' + two(s % 60);
    return Math.floor(s / 3600) + ':' + two(Math.floor((s % 3600) / 60));
  }
  var timeTitle = D.durationS <= 120 ? 'simulated time (s)' : D.durationS < 7200 ? 'simulated time (min:s)' : 'simulated time (h:mm)';
${MS_JS}
  function yAxis(title, durations, right, log) {
    var a = { title: { display: true, text: title }, beginAtZero: !log };
    if (log) a.type = 'logarithmic';
    if (durations) a.ticks = { callback: function (v) { return ms(v); } };
    if (right) { a.position = 'right'; a.grid = { drawOnChartArea: false }; }
    return a;
  }
  D.charts.forEach(function (c) {
    var el = document.getElementById(c.id);
    if (!el) return;
    var cfg;
    if (c.categories) {
      var scales = {};
      var valueAxis = c.horizontal ? 'x' : 'y', catAxis = c.horizontal ? 'y' : 'x';
      scales[valueAxis] = yAxis(c.y, c.durations, false, c.log);
      scales[catAxis] = { title: { display: false } };
      if (c.stacked) { scales.x.stacked = true; scales.y.stacked = true; }
      cfg = { type: c.kind, data: { labels: c.categories, datasets: c.series.map(function (s, i) {
        if (c.kind === 'line') { var st = STYLES[i % STYLES.length]; return { label: s.label, data: s.data, borderColor: st.c, backgroundColor: st.c, borderDash: st.d, pointRadius: 3, fill: false }; }
        // One series over categories (runs): a shade per category; several: a shade per series.
        var bg = c.series.length === 1 ? c.categories.map(function (_, k) { return BAR[k % BAR.length]; }) : BAR[i % BAR.length];
        return { label: s.label, data: s.data, backgroundColor: bg, borderColor: '#000', borderWidth: 1 };
      }) }, options: { indexAxis: c.horizontal ? 'y' : 'x', scales: scales, plugins: { legend: { position: 'bottom' } } } };
    } else {
      var datasets = c.series.map(function (s, i) {
        var st = STYLES[i % STYLES.length];
        var xs = s.xs || D.xs;
        return { label: s.label, data: s.data.map(function (v, k) { return { x: xs[k], y: v }; }), borderColor: st.c, backgroundColor: st.c,
          borderDash: st.d, fill: false, tension: 0, yAxisID: s.right ? 'y2' : 'y' };
      });
      c.limits.forEach(function (l, k) {
        var st = LIMITS[k % LIMITS.length];
        datasets.push({ label: l.label, data: [{ x: 0, y: l.value }, { x: D.durationS, y: l.value }], borderColor: st.c, backgroundColor: st.c,
          borderDash: st.d, borderWidth: 1.5, fill: false, yAxisID: 'y' });
      });
      var sc = { x: { type: 'linear', min: 0, max: D.durationS, title: { display: true, text: timeTitle },
        ticks: { stepSize: D.stepS, maxRotation: 0, autoSkip: false, callback: function (v) { return clock(v); } } }, y: yAxis(c.y, c.durations) };
      if (c.series.some(function (s) { return s.right; })) sc.y2 = yAxis(c.y2 || '', false, true);
      cfg = { type: 'line', data: { datasets: datasets }, options: { parsing: false, normalized: true, scales: sc,
        plugins: { legend: { position: 'bottom' }, decimation: { enabled: D.points > 1000, algorithm: 'min-max' },
          tooltip: { callbacks: { title: function (items) { return items.length ? clock(items[0].parsed.x) : ''; } } } },
        interaction: { mode: 'nearest', axis: 'x', intersect: false } } };
    }
    drawn.push(new Chart(el, cfg));
  });
  };
})();`;

/** Runs in the run report's page: draws every chart from the JSON block's descriptions. */
export const PAGE_SCRIPT = `${DRAW_SCRIPT}
lsimDraw(JSON.parse(document.getElementById('lsim-data').textContent));
document.body.setAttribute('data-charts-ready', '1');`;
