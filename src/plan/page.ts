/**
 * The sweep's decision page (issue 18 item 4): one self-contained HTML file that
 * answers "which configuration, and what does the next one buy?" at a glance.
 *
 * - The one-line answer first: the recommendation's cost and latency, and what the
 *   next point of the cost-vs-latency frontier gains for how much more.
 * - One chart: the varied parameter on the x axis (a numeric dimension such as
 *   memory, batch size or PC when there is one), the latency metric (and p50) on the
 *   left axis with replication intervals as bands, monthly cost on the right axis,
 *   every tested point numbered, the objectives as labelled lines, the recommended
 *   point marked. The sweep's other dimensions (x86_64 vs arm64, before vs after a
 *   setting) are overlaid as series of their own.
 * - A slider for the weight of cost against latency that re-ranks the eligible
 *   points in the page (the recommendation's rule with `--minimise cost=w,lat=1−w`).
 * - The Pareto table and every point's verdict.
 */
import { chartJsSource, esc, MS_JS } from '../report/html.js';
import { dimensionNames } from './grid.js';
import { formatMetric, unitOf } from './metrics.js';
import type { PointResult, SweepResult } from './analyze.js';
import type { Summary } from './stats.js';
import { sweepMonthNote } from './report.js';

/** The x axis: a dimension whose values are all numbers in one unit, or else the first (as categories). */
interface XAxis {
  dim: number;
  title: string;
  /** Per value of the dimension: its position (the number, or the category index) and its label. */
  values: { at: number; label: string }[];
  categories: boolean;
}

const NUMBER = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([A-Za-z%/]*)$/;

function xAxisOf(r: SweepResult): XAxis | null {
  const vary = r.spec.vary;
  if (!vary.length) return null;
  const names = dimensionNames(vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const numeric = vary.findIndex((d) => {
    const units = d.values.map((v) => NUMBER.exec(v.trim())?.[2]);
    return d.values.length > 1 && units.every((u) => u !== undefined && u === units[0]);
  });
  const dim = numeric >= 0 ? numeric : 0;
  const d = vary[dim];
  if (numeric >= 0) {
    const unit = NUMBER.exec(d.values[0].trim())![2];
    return { dim, title: unit ? `${names[dim]} (${unit})` : names[dim], values: d.values.map((v) => ({ at: Number(NUMBER.exec(v.trim())![1]), label: v })), categories: false };
  }
  return { dim, title: names[dim], values: d.values.map((v, k) => ({ at: k, label: v.replace(/\s+/g, ' ') })), categories: true };
}

/** The value of a summary for the chart: the mean and, with replications, the interval. */
function point(s: Summary | undefined): { y: number | null; lo: number | null; hi: number | null } {
  return { y: s?.mean ?? null, lo: s?.ci?.[0] ?? null, hi: s?.ci?.[1] ?? null };
}

const eligible = (p: PointResult) => p.status === 'feasible' || p.status === 'recommended';

/**
 * The one-line answer: `#2 memory=1024MB: $796.97/mo, p99 992.5 ms; #3 memory=1280MB is 17% faster
 * for +$35.75/mo`, or why there is none.
 */
export function answerLine(r: SweepResult): string {
  const lat = r.spec.latencyMetric;
  const u = unitOf(lat);
  const rec = r.recommendation.point;
  if (rec === null) return r.recommendation.summary;
  const p = r.points[rec];
  const head = `#${p.index} ${p.label}: ${formatMetric('usd', p.stats.cost.mean)}/mo, ${lat} ${formatMetric(u, p.stats[lat]?.mean ?? null)}`;
  const pos = r.frontier.indexOf(rec);
  const next = pos >= 0 ? r.frontier.slice(pos + 1).map((i) => r.points[i]).find((q) => eligible(q)) : undefined;
  const la = p.stats[lat]?.mean;
  const lb = next?.stats[lat]?.mean;
  if (!next || la == null || lb == null || !(la > 0)) return `${head}; no eligible point is faster`;
  const faster = Math.round(((la - lb) / la) * 100);
  return `${head}; #${next.index} ${next.label} is ${faster}% faster (${lat} ${formatMetric(u, lb)}) for +${formatMetric('usd', next.stats.cost.mean! - p.stats.cost.mean!)}/mo`;
}

/** What the page script draws from: plain data, escaped into a JSON block. */
function pageData(r: SweepResult) {
  const s = r.spec;
  const lat = s.latencyMetric;
  const x = xAxisOf(r);
  const names = dimensionNames(s.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const groupOf = (p: PointResult) =>
    s.vary
      .map((d, k) => (x && k === x.dim ? null : `${names[k]}=${p.settings[d.key].replace(/\s+/g, ' ')}`))
      .filter((v): v is string => v !== null)
      .join(' ');
  const groups = [...new Set(r.points.map(groupOf))];
  const p50 = /^(p90|p99|p999)(@|$)/.test(lat) && s.metrics.includes(lat.replace(/^p\d+/, 'p50')) ? lat.replace(/^p\d+/, 'p50') : null;
  return {
    x: x && { title: x.title, categories: x.categories, ticks: x.values },
    latency: { metric: lat, unit: unitOf(lat), p50 },
    replications: s.replications,
    groups: groups.map((g) => ({
      label: g,
      points: r.points
        .filter((p) => groupOf(p) === g)
        .map((p) => ({
          index: p.index,
          label: p.label,
          x: x ? x.values[s.vary[x.dim].values.indexOf(p.settings[s.vary[x.dim].key])].at : p.index,
          status: p.status,
          lat: point(p.stats[lat]),
          p50: p50 ? point(p.stats[p50]) : null,
          cost: point(p.stats.cost),
        })),
    })),
    objectives: s.objectives
      .filter((o) => o.metric === lat || o.metric === 'cost')
      .map((o) => ({ text: o.text, value: o.value, axis: o.metric === 'cost' ? 'y2' : 'y' })),
    recommended: r.recommendation.point,
    minimise: s.minimise.map((w) => w.metric),
  };
}

function cell(metric: string, s: Summary | undefined): string {
  if (!s || s.mean === null) return '–';
  const u = unitOf(metric);
  return s.ci && s.ci[1] > s.ci[0] ? `${formatMetric(u, s.mean)} ± ${formatMetric(u, (s.ci[1] - s.ci[0]) / 2)}` : formatMetric(u, s.mean);
}

/** JSON safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function sweepHtml(r: SweepResult): string {
  const s = r.spec;
  const lat = s.latencyMetric;
  const names = dimensionNames(s.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const shown = [...new Set(['cost', lat, ...s.objectives.map((o) => o.metric), ...(s.guard ? [s.guard.metric] : ['costPerMillionServed']), 'throttleRate', 'coldStartRate'])].filter((m) =>
    s.metrics.includes(m),
  );
  const head = ['#', ...names, ...shown.map((m) => (m === 'cost' ? 'cost/mo' : m)), 'verdict', 'why'].map((h) => `<th>${esc(h)}</th>`).join('');
  const verdict = (p: PointResult) => ({ recommended: '★ recommended', feasible: 'ok', rejected: '✗ not eligible', skipped: '– skipped' })[p.status];
  const rows = r.points
    .map(
      (p) =>
        `<tr class="${p.status}" data-point="${p.index}"><td>${p.index}</td>${s.vary.map((d) => `<td>${esc(p.settings[d.key])}</td>`).join('')}` +
        shown.map((m) => `<td data-metric="${esc(m)}" data-value="${p.stats[m]?.mean ?? ''}">${esc(cell(m, p.stats[m]))}</td>`).join('') +
        `<td>${esc(verdict(p))}</td><td class="why">${esc(p.reason)}</td></tr>`,
    )
    .join('\n');
  const pareto = r.frontier
    .map((i, k) => {
      const p = r.points[i];
      const prev = k > 0 ? r.points[r.frontier[k - 1]] : null;
      const dc = prev ? p.stats.cost.mean! - prev.stats.cost.mean! : null;
      const dl = prev ? prev.stats[lat].mean! - p.stats[lat].mean! : null;
      const per = dc !== null && dl !== null && dl > 0 ? `${formatMetric('usd', dc)} for ${formatMetric(unitOf(lat), dl)} less` : '–';
      return `<tr data-point="${i}"><td>${i}</td><td>${esc(p.label)}</td><td>${esc(cell('cost', p.stats.cost))}</td><td>${esc(cell(lat, p.stats[lat]))}</td><td>${esc(per)}</td></tr>`;
    })
    .join('\n');
  const title = `lsim sweep · ${s.scenario.name}`;
  const defaultWeight = s.minimise.length === 1 && s.minimise[0].metric === 'cost' ? 100 : s.minimise.length === 1 && s.minimise[0].metric === lat ? 0 : 50;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>${CSS}</style>
</head><body>
<header>
<h1>${esc(title)}</h1>
<p class="answer" id="answer">${esc(answerLine(r))}</p>
<p class="meta">${r.points.length} point${r.points.length === 1 ? '' : 's'} × ${s.replications} replication${s.replications === 1 ? '' : 's'}${s.replications > 1 ? ` (bands: ${Math.round(s.confidence * 100)}% t-intervals)` : ' (no intervals: one run per point)'} · seed ${esc(s.scenario.seed)} · objectives: ${esc(s.objectives.map((o) => o.text).join(', ') || 'none')} · minimise ${esc(s.minimise.map((w) => (s.minimise.length > 1 ? `${w.metric}×${w.weight}` : w.metric)).join(' + '))}</p>
${r.guard ? `<p class="meta">${esc(r.guard)}</p>` : '<p class="meta">guard off: a design that does less work can win on cost</p>'}
<p class="meta">${esc(sweepMonthNote(r))}</p>
${s.vary.some((d) => d.key.endsWith('.architecture')) ? "<p class=\"meta\">architecture changes the price and, only through each function's arm64Speed (default 1, an assumption), the duration: without a measured arm64Speed both run at the same speed and their latency curves coincide</p>\n" : ''}<p class="meta"><strong>Recommendation:</strong> ${esc(r.recommendation.summary)}</p>
</header>
<main>
<figure class="chart"><figcaption>${esc(lat)} and monthly cost by ${esc(xAxisOf(r)?.title ?? 'point')}: look for the cheapest numbered point under the objective line</figcaption><div class="box"><canvas id="decision"></canvas></div></figure>
<section class="weigh"><h2>Weigh cost against ${esc(lat)}</h2>
<label for="weight">weight on cost: <output id="weight-out">${defaultWeight}%</output></label>
<input type="range" id="weight" min="0" max="100" step="5" value="${defaultWeight}">
<p id="pick" class="pick"></p>
<p class="meta">Among the points eligible (meeting the objectives, within the guard), each metric scaled to 0–1 over them, the lowest weighted sum wins; 100% is the cheapest, 0% the fastest.</p>
</section>
<h2>Pareto frontier (cost vs ${esc(lat)})</h2>
<div class="scroll"><table id="pareto"><thead><tr><th>#</th><th>point</th><th>cost/mo</th><th>${esc(lat)}</th><th>over the previous</th></tr></thead><tbody>
${pareto}
</tbody></table></div>
<h2>Every point</h2>
<div class="scroll"><table id="points"><thead><tr>${head}</tr></thead><tbody>
${rows}
</tbody></table></div>
</main>
<footer><p>Made by lsim from the sweep schema ${esc(r.schema)}; the same sweep gives this file byte for byte. Charts: Chart.js (MIT), inlined.</p></footer>
<script type="application/json" id="lsim-sweep">${scriptJson(pageData(r))}</script>
<script>${chartJsSource()}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

const CSS = `
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 1600px; padding: 16px 24px 40px; }
h1 { font-size: 1.6em; margin: 0.2em 0; } h2 { font-size: 1.2em; margin: 1.3em 0 0.5em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
.answer { font-size: 1.2em; font-weight: 600; margin: 0.3em 0; } .meta, footer { color: #555; font-size: 0.9em; margin: 0.2em 0; }
figure.chart { margin: 12px 0 0; border: 1px solid #ccc; border-radius: 6px; padding: 8px 10px; }
figcaption { font-weight: 600; font-size: 0.95em; margin-bottom: 4px; } .box { position: relative; height: 440px; }
.weigh input { width: min(480px, 100%); vertical-align: middle; } .pick { font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
td, th { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; } td.why { text-align: left; white-space: normal; min-width: 220px; }
th { background: #f3f3f1; } tr.recommended { background: #fde8e6; font-weight: 600; } tr.rejected, tr.skipped { color: #777; } tr.picked td:first-child { box-shadow: inset 4px 0 #1b2f6b; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } .weigh input { display: none; } .box { height: 320px; } }
`;

/** Runs in the page: draws the decision chart and re-ranks on the slider. Plain ES2017, no network. */
const SCRIPT = `
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('lsim-sweep').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#333';
  var STYLES = [{ c: '#1b2f6b', d: [] }, { c: '#e08a1e', d: [8, 4] }, { c: '#5aa05a', d: [12, 3, 3, 3] }, { c: '#7b5ea7', d: [4, 4] }, { c: '#8c1c13', d: [2, 3] }, { c: '#111111', d: [1, 4] }];
${MS_JS}
  function usd(v) { return '$' + v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }
  function latText(v) { return D.latency.unit === 'ms' ? ms(v) : D.latency.unit === 'ratio' ? (100 * v).toPrecision(3) + '%' : String(+v.toPrecision(4)); }
  var many = D.groups.length > 1;
  var datasets = [];
  var xs = [];
  D.groups.forEach(function (g, gi) {
    var st = STYLES[gi % STYLES.length];
    var tag = many ? ' · ' + g.label : '';
    var pts = g.points.filter(function (p) { return p.status !== 'skipped' && p.lat.y !== null; });
    pts.forEach(function (p) { xs.push(p.x); });
    if (D.replications > 1) {
      datasets.push({ label: 'band', band: true, data: pts.map(function (p) { return { x: p.x, y: p.lat.hi }; }), borderWidth: 0, pointRadius: 0, fill: '+1', backgroundColor: st.c + '26', yAxisID: 'y' });
      datasets.push({ label: 'band', band: true, data: pts.map(function (p) { return { x: p.x, y: p.lat.lo }; }), borderWidth: 0, pointRadius: 0, fill: false, yAxisID: 'y' });
    }
    datasets.push({ label: D.latency.metric + tag, numbered: gi + 1, data: pts.map(function (p) { return { x: p.x, y: p.lat.y, point: p.index }; }), borderColor: st.c, backgroundColor: st.c, borderDash: st.d, borderWidth: 2.5,
      pointRadius: 4, pointBackgroundColor: pts.map(function (p) { return p.status === 'rejected' ? '#ffffff' : st.c; }), yAxisID: 'y' });
    if (D.latency.p50) datasets.push({ label: D.latency.p50 + tag, data: pts.map(function (p) { return { x: p.x, y: p.p50.y }; }), borderColor: st.c, backgroundColor: st.c, borderDash: [3, 3], borderWidth: 1.5, pointRadius: 2, yAxisID: 'y' });
    datasets.push({ label: 'monthly cost' + tag, data: pts.map(function (p) { return { x: p.x, y: p.cost.y }; }), borderColor: st.c, backgroundColor: st.c, borderDash: [1, 3], borderWidth: 2, pointStyle: 'rect', pointRadius: 4, yAxisID: 'y2' });
  });
  var lo = Math.min.apply(null, xs), hi = Math.max.apply(null, xs);
  D.objectives.forEach(function (o, k) {
    datasets.push({ label: 'objective ' + o.text, data: [{ x: lo, y: o.value }, { x: hi, y: o.value }], borderColor: '#8c1c13', backgroundColor: '#8c1c13', borderDash: [10, 4], borderWidth: 1.5, pointRadius: 0, yAxisID: o.axis });
  });
  var all = [];
  D.groups.forEach(function (g) { g.points.forEach(function (p) { all[p.index] = p; }); });
  if (D.recommended !== null) {
    var r = all[D.recommended];
    datasets.push({ label: 'recommended #' + r.index, data: [{ x: r.x, y: r.lat.y }], type: 'scatter', pointStyle: 'star', pointRadius: 12, borderWidth: 2.5, borderColor: '#c0262d', backgroundColor: '#c0262d', yAxisID: 'y' });
  }
  var pickSet = { label: 'your weighting', data: [], type: 'scatter', pointStyle: 'circle', pointRadius: 11, borderWidth: 2.5, borderColor: '#1b2f6b', backgroundColor: 'rgba(0,0,0,0)', yAxisID: 'y' };
  datasets.push(pickSet);
  // Every tested point carries its number beside its marker.
  var numbers = { id: 'numbers', afterDatasetsDraw: function (chart) {
    var ctx = chart.ctx, n = 0;
    ctx.save(); ctx.font = '11px system-ui, sans-serif'; ctx.fillStyle = '#222'; ctx.textAlign = 'left';
    chart.data.datasets.forEach(function (ds, i) {
      if (!ds.numbered) return;
      // Series that coincide (two architectures at the same speed) keep their numbers apart: one row per series.
      chart.getDatasetMeta(i).data.forEach(function (el, k) { ctx.fillText('#' + ds.data[k].point, el.x + 6, el.y - 6 - 13 * (ds.numbered - 1)); n++; });
    });
    ctx.restore();
    chart.canvas.setAttribute('data-numbered', String(n));
  } };
  var x = D.x ? { type: 'linear', title: { display: true, text: D.x.title }, min: lo, max: hi,
    afterBuildTicks: function (axis) { axis.ticks = D.x.ticks.map(function (t) { return { value: t.at }; }); },
    ticks: { autoSkip: true, maxRotation: 0, callback: function (v) { var t = D.x.ticks.filter(function (t) { return t.at === v; })[0]; return t ? t.label : ''; } } }
    : { type: 'linear', title: { display: true, text: 'point' }, ticks: { stepSize: 1 } };
  var chart = new Chart(document.getElementById('decision'), { type: 'line', data: { datasets: datasets }, options: { parsing: true, layout: { padding: { right: 28, top: 8 } },
    scales: { x: x,
      y: { title: { display: true, text: D.latency.metric + (D.latency.p50 ? ' (solid) and ' + D.latency.p50 + ' (dashed)' : '') }, beginAtZero: true, ticks: { callback: function (v) { return latText(v); } } },
      y2: { position: 'right', title: { display: true, text: 'monthly cost (USD, dotted)' }, beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return usd(v); } } } },
    plugins: { legend: { position: 'bottom', labels: { boxWidth: 28, filter: function (item, data) { return !data.datasets[item.datasetIndex].band; } } },
      tooltip: { callbacks: { label: function (c) { var p = c.raw.point !== undefined ? all[c.raw.point] : null; return (p ? '#' + p.index + ' ' + p.label + ': ' : c.dataset.label + ': ') + (c.dataset.yAxisID === 'y2' ? usd(c.raw.y) : latText(c.raw.y)); } } } } },
    plugins: [numbers] });
  // The slider: the eligible points re-ranked by weight on cost (each metric scaled to 0–1 over them).
  var ok = all.filter(function (p) { return p && (p.status === 'feasible' || p.status === 'recommended') && p.cost.y !== null && p.lat.y !== null; });
  function range(f) { var v = ok.map(f); return { lo: Math.min.apply(null, v), hi: Math.max.apply(null, v) }; }
  var rc = range(function (p) { return p.cost.y; }), rl = range(function (p) { return p.lat.y; });
  function scaled(v, r) { return r.hi > r.lo ? (v - r.lo) / (r.hi - r.lo) : 0; }
  function rank() {
    var w = Number(document.getElementById('weight').value) / 100;
    document.getElementById('weight-out').textContent = Math.round(w * 100) + '%';
    var pick = document.getElementById('pick');
    if (!ok.length) { pick.textContent = 'No point is eligible: none meets the objectives within the guard.'; return; }
    var best = ok.slice().sort(function (a, b) {
      return (w * scaled(a.cost.y, rc) + (1 - w) * scaled(a.lat.y, rl)) - (w * scaled(b.cost.y, rc) + (1 - w) * scaled(b.lat.y, rl)) || a.index - b.index;
    })[0];
    pick.textContent = 'At this weight: #' + best.index + ' ' + best.label + ': ' + usd(best.cost.y) + '/mo, ' + D.latency.metric + ' ' + latText(best.lat.y);
    pick.setAttribute('data-point', String(best.index));
    Array.prototype.forEach.call(document.querySelectorAll('#points tr'), function (tr) { tr.classList.toggle('picked', tr.getAttribute('data-point') === String(best.index)); });
    pickSet.data = [{ x: best.x, y: best.lat.y }];
    chart.update();
  }
  document.getElementById('weight').addEventListener('input', rank);
  rank();
  document.body.setAttribute('data-charts-ready', '1');
})();`;
