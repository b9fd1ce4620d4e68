/**
 * The HTML report: one self-contained file that opens from disk with no network.
 * chart.js's UMD build is read from node_modules at run time and inlined; the
 * result's numbers travel as a JSON block the page's script turns into charts.
 *
 * - a summary card per function (invocations, cold-start share, throttles,
 *   errors, handler p50/p99, cost per month); each number carries its raw value
 *   in `data-value` (the browser test checks them against the JSON result);
 * - per function: concurrency against its limit, environments and the scaling
 *   allowance; requests vs invocations vs throttles per second; cold starts;
 * - latency percentiles (handler, and callers' end to end) and the monthly cost
 *   breakdown;
 * - one chart per workload with every series in `timeSeries.workloads[name]`
 *   (a name ending in `Ms`, or an age such as `iteratorAgeMax`, is a duration on
 *   the right axis), so new invocation
 *   models (queue depth and age, iterator age) are drawn without code changes.
 *
 * Colours differ in lightness and every line has its own dash pattern, so the
 * charts survive greyscale printing. Same result → same bytes: no timestamps,
 * no random ids, animation off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FunctionResult, Result } from '../sim/result.js';
import { monthAssumption } from './format.js';
import { dur, int, money, num, pct } from '../format.js';

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

/** One number on a card: its label, its text, and its raw value for machines. */
function metric(name: string, label: string, value: number | null, text: string): string {
  return `<div class="m"><dt>${esc(label)}</dt><dd data-metric="${esc(name)}" data-value="${value === null ? '' : String(value)}">${esc(text)}</dd></div>`;
}

/** The card metrics of a function: [data-metric, label, raw value, text]. Exported for tests. */
export function functionCardMetrics(f: FunctionResult): [string, string, number | null, string][] {
  return [
    ['invocations', 'invocations', f.invocations, int(f.invocations)],
    ['coldStartRate', 'cold-start share', f.coldStartRate, `${pct(f.coldStartRate)} (${int(f.coldStarts)})`],
    ['throttles', 'throttles (429)', f.throttles.total, `${int(f.throttles.total)} (${pct(f.throttleRate)} of attempts)`],
    ['errors', 'errors + timeouts', f.errors + f.timeouts, int(f.errors + f.timeouts)],
    ['p50', 'handler p50', f.durationMs.p50, dur(f.durationMs.p50)],
    ['p99', 'handler p99', f.durationMs.p99, dur(f.durationMs.p99)],
    ['costPerMonth', 'cost per month', f.cost.monthly.total, money(f.cost.monthly.total)],
  ];
}

/** The page's data: what the charts need, nothing else. */
function chartData(r: Result): unknown {
  const ts = r.timeSeries;
  return {
    intervalMs: ts.intervalMs,
    durationMs: r.scenario.durationMs,
    startMs: ts.startMs,
    functions: r.functions.map((f) => {
      const requests = r.workloads
        .filter((w) => w.function === f.name && Array.isArray(ts.workloads[w.name]?.requests))
        .map((w) => ts.workloads[w.name].requests);
      return {
        name: f.name,
        limit: f.reservedConcurrency ?? r.scenario.unreservedConcurrency + f.provisionedConcurrency,
        limitLabel: f.reservedConcurrency !== null ? 'reserved concurrency' : 'unreserved pool (+ own PC)',
        provisioned: f.provisionedConcurrency,
        series: ts.functions[f.name],
        requests: requests.length ? requests[0].map((_, i) => requests.reduce((a, s) => a + (s[i] ?? 0), 0)) : null,
        latency: [f.durationMs.p50, f.durationMs.p90, f.durationMs.p99, f.durationMs.p999],
        cost: f.cost.monthly,
      };
    }),
    workloads: r.workloads.map((w) => ({
      name: w.name,
      invoke: w.invoke,
      function: w.function,
      series: ts.workloads[w.name] ?? {},
      latency: 'latencyMs' in w ? [w.latencyMs.p50, w.latencyMs.p90, w.latencyMs.p99, w.latencyMs.p999] : null,
    })),
    accountLimit: r.scenario.concurrencyLimit,
  };
}

/** Numbers of a workload result, flattened one level (`latencyMs.p99`), for its generic card. */
function workloadFacts(w: Record<string, unknown>): [string, number][] {
  const out: [string, number][] = [];
  for (const [k, v] of Object.entries(w)) {
    if (typeof v === 'number') out.push([k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k2, v2] of Object.entries(v)) if (typeof v2 === 'number') out.push([`${k}.${k2}`, v2]);
    }
  }
  return out;
}

function factText(key: string, v: number): string {
  if (/\.count$/.test(key)) return int(v);
  if (/Ms$|Ms\./.test(key)) return dur(v);
  if (/Rate$|share$/i.test(key)) return pct(v);
  return num(v, 3);
}

export function htmlReport(r: Result): string {
  const s = r.scenario;
  const c = r.account.cost;
  const cards = r.functions
    .map(
      (f) => `<section class="card" data-function="${esc(f.name)}">
<h3>${esc(f.name)}</h3>
<p class="sub">${int(f.memoryMb)} MB · ${esc(f.architecture)}${f.reservedConcurrency !== null ? ` · reserved ${int(f.reservedConcurrency)}` : ''}${f.provisionedConcurrency ? ` · provisioned ${int(f.provisionedConcurrency)}` : ''}</p>
<dl>${functionCardMetrics(f)
        .map(([name, label, value, text]) => metric(name, label, value, text))
        .join('')}</dl>
</section>`,
    )
    .join('\n');
  const workloadCards = r.workloads
    .map(
      (w) => `<section class="card wl" data-workload="${esc(w.name)}">
<h3>${esc(w.name)}</h3>
<p class="sub">invoke ${esc(w.invoke)} → ${esc(w.function)}</p>
<dl>${workloadFacts(w as unknown as Record<string, unknown>)
        .map(([k, v]) => metric(k, k, v, factText(k, v)))
        .join('')}</dl>
</section>`,
    )
    .join('\n');
  const fnCharts = r.functions
    .map(
      (f, i) => `<h2>${esc(f.name)}</h2>
<div class="grid">
<figure class="chart"><figcaption>Concurrency against the limit, environments and scaling allowance</figcaption><div class="box"><canvas id="conc-${i}"></canvas></div></figure>
<figure class="chart"><figcaption>Requests, invocations and throttles per second</figcaption><div class="box"><canvas id="traffic-${i}"></canvas></div></figure>
<figure class="chart"><figcaption>Cold starts per interval</figcaption><div class="box"><canvas id="cold-${i}"></canvas></div></figure>
</div>`,
    )
    .join('\n');
  const wlCharts = r.workloads
    .map((w, j) => ({ w, j, n: Object.keys(r.timeSeries.workloads[w.name] ?? {}).length }))
    .filter((x) => x.n > 0)
    .map(
      ({ w, j }) =>
        `<figure class="chart"><figcaption>Workload ${esc(w.name)} (${esc(w.invoke)}): its series per interval</figcaption><div class="box"><canvas id="wl-${j}"></canvas></div></figure>`,
    )
    .join('\n');
  const free = c.freeTier.requests || c.freeTier.compute ? 'free tier applied' : 'no free tier';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lsim · ${esc(s.name)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>lsim · ${esc(s.name)}</h1>
${s.description ? `<p class="desc">${esc(s.description)}</p>` : ''}
<p class="meta">seed ${esc(s.seed)} · ${esc(dur(s.durationMs))} simulated${s.warmupMs > 0 ? ` (metrics after ${esc(dur(s.warmupMs))} warm-up)` : ''} · account concurrency ${int(s.concurrencyLimit)} (unreserved ${int(s.unreservedConcurrency)}) · scaling ${esc(s.scaling)} · billing ${s.billingGranularityMs} ms, init ${esc(s.initBilling)}</p>
<p class="meta">account: <span data-metric="account.invocations" data-value="${r.account.invocations}">${int(r.account.invocations)}</span> invocations · <span data-metric="account.throttles" data-value="${r.account.throttles.total}">${int(r.account.throttles.total)}</span> throttles · peak concurrency ${int(r.account.concurrency.max)} · cost <span data-metric="account.costPerMonth" data-value="${c.monthly.total}">${esc(money(c.monthly.total))}</span> per month (prices ${esc(c.priceBook)}; ${esc(monthAssumption(c.month))}; ${free})</p>
</header>
<main>
<h2>Functions</h2>
<div class="cards">
${cards}
</div>
<h2>Workloads</h2>
<div class="cards">
${workloadCards}
</div>
<h2>Latency and cost</h2>
<div class="grid">
<figure class="chart"><figcaption>Latency percentiles: handler duration per function, end to end per workload</figcaption><div class="box"><canvas id="latency"></canvas></div></figure>
<figure class="chart"><figcaption>Cost per month by line item</figcaption><div class="box"><canvas id="cost"></canvas></div></figure>
</div>
${fnCharts}
${wlCharts ? `<h2>Workload series</h2>\n<div class="grid">\n${wlCharts}\n</div>` : ''}
</main>
<footer><p>Made by lsim from the result schema ${esc(r.schema)}; the same scenario and seed give this file byte for byte. Charts: Chart.js (MIT), inlined.</p></footer>
<script type="application/json" id="lsim-data">${scriptJson(chartData(r))}</script>
<script>${chartJsSource()}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}

const CSS = `
:root { --fg: #1a1a1a; --muted: #555; --line: #ccc; --bg: #fff; --card: #f6f6f4; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1280px; padding: 16px 24px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.25em; margin: 1.4em 0 0.5em; border-bottom: 1px solid var(--line); padding-bottom: 0.2em; }
h3 { margin: 0; font-size: 1.05em; } .desc { margin: 0.2em 0 0.4em; font-size: 1.05em; } .meta, .sub, footer { color: var(--muted); font-size: 0.9em; margin: 0.2em 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card dl { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 12px; margin: 8px 0 0; }
.card.wl dl { grid-template-columns: 1fr 1fr 1fr; font-size: 0.85em; }
.m dt { color: var(--muted); font-size: 0.8em; } .m dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
figcaption { font-weight: 600; font-size: 0.95em; margin-bottom: 4px; }
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

/** Runs in the page: draws every chart from the JSON block. Plain ES2017, no network. */
const PAGE_SCRIPT = `
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('lsim-data').textContent);
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
  var BAR = ['#1b2f6b', '#e08a1e', '#8c1c13', '#9cb8e0', '#5aa05a', '#444444', '#d8b26e', '#bbbbbb'];
  function style(i) { return STYLES[i % STYLES.length]; }
  function line(label, data, i, extra) {
    var s = style(i);
    var o = { label: label, data: data, borderColor: s.c, backgroundColor: s.c, borderDash: s.d, fill: false, tension: 0, stepped: false };
    for (var k in extra) o[k] = extra[k];
    return o;
  }
  var longRun = D.durationMs >= 3600000;
  function clock(ms) {
    var t = Math.round(ms / 1000);
    var h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = t % 60;
    function two(x) { return (x < 10 ? '0' : '') + x; }
    if (D.durationMs <= 120000) return (ms / 1000).toFixed(ms % 1000 ? 1 : 0);
    return longRun ? h + ':' + two(m) + ':' + two(s) : (h * 60 + m) + ':' + two(s);
  }
  var timeTitle = D.durationMs <= 120000 ? 'simulated time (s)' : longRun ? 'simulated time (h:mm:ss)' : 'simulated time (min:s)';
  var labels = D.startMs.map(clock);
  var perSec = 1000 / D.intervalMs;
  var ivl = D.intervalMs >= 1000 ? (D.intervalMs / 1000) + ' s' : D.intervalMs + ' ms';
  function axes(yTitle, y2Title, extraY) {
    var sc = {
      x: { title: { display: true, text: timeTitle }, ticks: { maxTicksLimit: 12, maxRotation: 0 } },
      y: { title: { display: true, text: yTitle }, beginAtZero: true }
    };
    if (y2Title) sc.y2 = { position: 'right', title: { display: true, text: y2Title }, beginAtZero: true, grid: { drawOnChartArea: false } };
    for (var k in extraY) sc.y[k] = extraY[k];
    return sc;
  }
  function chart(id, type, datasets, scales, extra) {
    var el = document.getElementById(id);
    if (!el) return;
    var cfg = { type: type, data: { labels: extra && extra.labels || labels, datasets: datasets },
      options: { scales: scales, plugins: { legend: { position: 'bottom' } }, interaction: { mode: 'index', intersect: false } } };
    if (extra && extra.indexAxis) cfg.options.indexAxis = extra.indexAxis;
    new Chart(el, cfg);
  }
  function flat(v, n) { var a = []; for (var i = 0; i < n; i++) a.push(v); return a; }
  function rate(a) { return a.map(function (v) { return v * perSec; }); }
  var n = D.startMs.length;
  D.functions.forEach(function (f, i) {
    var s = f.series;
    chart('conc-' + i, 'line', [
      line('max in interval', s.concurrencyMax, 0),
      line('mean in interval', s.concurrencyMean, 1),
      line('on-demand environments alive', s.environments, 3),
      line(f.limitLabel + ' (' + f.limit + ')', flat(f.limit, n), 5, { borderWidth: 1.5 }),
      line('scaling allowance (new environments, right axis)', s.scalingAllowance, 6, { yAxisID: 'y2', borderWidth: 1.5 })
    ], axes('concurrent executions / environments', 'new environments allowed'));
    var ds = [];
    if (f.requests) ds.push(line('requests (first tries)', rate(f.requests), 0));
    ds.push(line('invocations', rate(s.invocations), 1));
    ds.push(line('throttles (429)', rate(s.throttles), 2));
    ds.push(line('errors + timeouts', rate(s.errors), 3));
    chart('traffic-' + i, 'line', ds, axes('per second (mean over ' + ivl + ')'));
    chart('cold-' + i, 'bar', [{ label: 'cold starts', data: s.coldStarts, backgroundColor: '#1b2f6b', borderWidth: 0, barPercentage: 1, categoryPercentage: 1 }],
      axes('cold starts per ' + ivl));
  });
  // Latency percentiles: handler per function, end to end per sync-like workload; log axis in ms.
  var latLabels = [], latRows = [];
  D.functions.forEach(function (f) { latLabels.push(f.name + ' (handler)'); latRows.push(f.latency); });
  D.workloads.forEach(function (w) { if (w.latency) { latLabels.push(w.name + ' (end to end)'); latRows.push(w.latency); } });
  chart('latency', 'bar', ['p50', 'p90', 'p99', 'p99.9'].map(function (p, k) {
    return { label: p, data: latRows.map(function (r) { return r[k] > 0 ? r[k] : null; }), backgroundColor: BAR[k], borderColor: '#000', borderWidth: 1 };
  }), { x: { title: { display: true, text: 'function or workload' } }, y: { type: 'logarithmic', title: { display: true, text: 'latency (ms, log scale)' } } }, { labels: latLabels });
  var costLines = [['requests', 'requests'], ['duration', 'duration'], ['provisionedConcurrency', 'provisioned concurrency'], ['provisionedDuration', 'provisioned duration'],
    ['ephemeralStorage', 'ephemeral storage'], ['streaming', 'response streaming'], ['pollers', 'event pollers'], ['snapStart', 'SnapStart'],
    ['tenantIsolation', 'tenant isolation'], ['edge', 'Lambda@Edge']];
  chart('cost', 'bar', costLines.filter(function (l) { return D.functions.some(function (f) { return f.cost[l[0]] > 0; }); }).map(function (l, k) {
    return { label: l[1], data: D.functions.map(function (f) { return f.cost[l[0]]; }), backgroundColor: BAR[k % BAR.length], borderColor: '#000', borderWidth: 1 };
  }), { x: { stacked: true, title: { display: true, text: 'USD per month' }, beginAtZero: true }, y: { stacked: true, title: { display: true, text: 'function' } } },
  { labels: D.functions.map(function (f) { return f.name; }), indexAxis: 'y' });
  // Every workload series, whatever the invocation model: durations (names ending in Ms, ages such as
  // iteratorAgeMax, latencies, delays) on the right axis in ms; counts and levels on the left.
  function isMs(k) { return /Ms(\.|$)/.test(k) || /(^age|Age)(Max|Mean|Min)?(\.|$)/.test(k) || /latency|delay/i.test(k); }
  D.workloads.forEach(function (w, j) {
    var names = Object.keys(w.series);
    if (!names.length) return;
    var hasMs = names.some(isMs);
    chart('wl-' + j, 'line', names.map(function (k, i) {
      var ms = isMs(k);
      return line(k + (ms ? ' (ms, right axis)' : ''), w.series[k], i, ms ? { yAxisID: 'y2' } : {});
    }), axes('value per ' + ivl + ' interval', hasMs ? 'ms' : null));
  });
  document.body.setAttribute('data-charts-ready', '1');
})();
`;
