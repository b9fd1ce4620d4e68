/**
 * Sweep reports: a terminal table with the recommendation, the frontier and why
 * each other point was not chosen; JSON (the SweepResult itself); CSV (one row
 * per point, mean/sd/interval per metric); a self-contained HTML page with a
 * cost-vs-latency scatter and the frontier (chart.js inlined).
 */
import { stringify } from 'csv-stringify/sync';
import { csvCell, table, escapeControls } from '../format.js';
import { chartJsSource, esc as escapeHtml } from '../report/html.js';
import { dimensionNames } from './grid.js';
import { formatMetric, unitOf } from './metrics.js';
import type { PointResult, SweepResult } from './analyze.js';
import type { ShardOutput } from './spec.js';
import type { Summary } from './stats.js';

/** JSON, two-space indent, trailing newline: byte-identical for identical sweeps. */
export function sweepJson(r: SweepResult | ShardOutput): string {
  return JSON.stringify(r, null, 2) + '\n';
}

function cell(metric: string, s: Summary | undefined): string {
  if (!s || s.mean === null) return '–';
  const u = unitOf(metric);
  const m = formatMetric(u, s.mean);
  return s.ci && s.ci[1] > s.ci[0] ? `${m} ± ${formatMetric(u, (s.ci[1] - s.ci[0]) / 2)}` : m;
}

/** The metrics shown as columns: cost, the frontier's latency, the objectives', throttles and cold starts. */
function shownMetrics(r: SweepResult): string[] {
  const s = r.spec;
  return [...new Set(['cost', s.latencyMetric, ...s.objectives.map((o) => o.metric), ...s.minimise.map((w) => w.metric), 'throttleRate', 'coldStartRate'])];
}

function verdict(p: PointResult): string {
  if (p.status === 'recommended') return '★ recommended';
  if (p.status === 'feasible') return p.marginal.length ? 'ok (marginal)' : 'ok';
  return `✗ ${p.failures.map((f) => f.split(' ')[0]).join(', ')}`;
}

/** The report for a terminal: control characters from the scenario's text escaped (src/format.ts `escapeControls`). */
export function sweepText(r: SweepResult): string {
  return escapeControls(sweepTextUnescaped(r));
}

function sweepTextUnescaped(r: SweepResult): string {
  const s = r.spec;
  const out: string[] = [];
  const n = r.points.length;
  const pct = `${Math.round(s.confidence * 1000) / 10}%`;
  out.push(
    `lsim sweep · ${s.scenario.name} · ${n} point${n === 1 ? '' : 's'} × ${s.replications} replication${s.replications === 1 ? '' : 's'} · seed ${s.scenario.seed}` +
      (s.replications > 1 ? ` (replication r: ${s.scenario.seed}#r) · ${pct} t-intervals` : ''),
  );
  out.push(
    `objectives: ${s.objectives.length ? s.objectives.map((o) => o.text).join(', ') : 'none'} · minimise ${s.minimise.map((w) => (s.minimise.length > 1 ? `${w.metric}×${w.weight}` : w.metric)).join(' + ')}`,
  );
  out.push('');
  const names = dimensionNames(s.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const metrics = shownMetrics(r);
  const header = ['#', ...names, ...metrics.map((m) => (m === 'cost' ? 'cost/mo' : m)), 'frontier', 'verdict'];
  const rows = r.points.map((p) => [
    String(p.index),
    ...s.vary.map((d) => p.settings[d.key].replace(/\s+/g, ' ')),
    ...metrics.map((m) => cell(m, p.stats[m])),
    p.onFrontier ? '◆' : '',
    verdict(p),
  ]);
  out.push(table(header, rows));
  if (s.vary.some((d) => d.key.endsWith('.architecture'))) {
    out.push('note: architecture changes the price and, only through each function\'s arm64Speed (default 1, an');
    out.push('      assumption), the duration: without a measured arm64Speed both run at the same speed');
  }
  out.push('');
  const rec = r.recommendation;
  out.push(`Recommendation: ${rec.summary}`);
  if (rec.point !== null) {
    const p = r.points[rec.point];
    out.push(`  ${metrics.map((m) => `${m} ${cell(m, p.stats[m])}`).join(' · ')}`);
    if (p.marginal.length) out.push(`  marginal: ${p.marginal.join('; ')} — more replications would settle it`);
    if (rec.separation) out.push(`  ${rec.separation.text}`);
    if (rec.withinNoise.length) {
      out.push(
        `  ${pct} intervals of ${s.minimise[0].metric} overlap with: ${rec.withinNoise.map((i) => `#${i}`).join(', ')}` +
          (s.replications > 1 ? ' (each point alone cannot separate them; the paired comparison of common seeds above is sharper)' : ''),
      );
    }
  }
  out.push('');
  const lat = s.latencyMetric;
  out.push(`Pareto frontier, cost vs ${lat} (no other point is cheaper and faster):`);
  out.push(
    '  ' +
      (r.frontier.length
        ? r.frontier
            .map((i) => `#${i} ${formatMetric('usd', r.points[i].stats.cost.mean)} / ${formatMetric(unitOf(lat), r.points[i].stats[lat].mean)}`)
            .join(' → ')
        : 'none (no point has both values)'),
  );
  const others = r.points.filter((p) => p.status !== 'recommended');
  if (others.length) {
    out.push('');
    out.push('Why not the others:');
    for (const p of others) out.push(`  #${p.index} ${p.label}: ${p.reason}${p.marginal.length ? ` (marginal: ${p.marginal.join('; ')})` : ''}`);
  }
  return out.join('\n') + '\n';
}

export function sweepCsv(r: SweepResult): string {
  const s = r.spec;
  const header = ['point', ...s.vary.map((d) => d.key), 'status', 'frontier', 'score', 'replications'];
  for (const m of s.metrics) header.push(`${m}_mean`, `${m}_sd`, `${m}_ci_low`, `${m}_ci_high`);
  header.push('reason');
  const rows = r.points.map((p) => {
    const row: (string | number)[] = [p.index, ...s.vary.map((d) => p.settings[d.key]), p.status, p.onFrontier ? 1 : 0, p.score ?? '', s.replications];
    for (const m of s.metrics) {
      const st = p.stats[m];
      row.push(st.mean ?? '', st.sd ?? '', st.ci?.[0] ?? '', st.ci?.[1] ?? '');
    }
    row.push(p.reason);
    return row;
  });
  // Text cells that a spreadsheet would run as a formula get a leading quote; numbers stay numbers.
  return stringify([header, ...rows], { cast: { string: (v: string) => csvCell(v) } });
}

/** A self-contained page: the scatter of every point (cost vs latency), the frontier, the table and the reasons. */
export function sweepHtml(r: SweepResult): string {
  const s = r.spec;
  const lat = s.latencyMetric;
  const xy = (p: PointResult) => ({ x: p.stats.cost.mean, y: p.stats[lat]?.mean ?? null, label: `#${p.index} ${p.label}` });
  const set = (status: PointResult['status']) => r.points.filter((p) => p.status === status && p.stats.cost.mean !== null).map(xy);
  const data = {
    datasets: [
      { label: 'rejected', data: set('rejected'), backgroundColor: '#bbbbbb', pointRadius: 4 },
      { label: 'meets objectives', data: set('feasible'), backgroundColor: '#3b82f6', pointRadius: 5 },
      { label: 'recommended', data: set('recommended'), backgroundColor: '#dc2626', pointRadius: 9, pointStyle: 'star', borderColor: '#dc2626' },
      {
        label: 'Pareto frontier',
        data: r.frontier.map((i) => xy(r.points[i])),
        type: 'line',
        borderColor: '#f59e0b',
        backgroundColor: '#f59e0b',
        fill: false,
        pointRadius: 0,
      },
    ],
  };
  const metrics = shownMetrics(r);
  const names = dimensionNames(s.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const head = ['#', ...names, ...metrics, 'verdict', 'why'].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = r.points
    .map(
      (p) =>
        `<tr class="${p.status}"><td>${p.index}</td>${s.vary.map((d) => `<td>${escapeHtml(p.settings[d.key])}</td>`).join('')}` +
        metrics.map((m) => `<td>${escapeHtml(cell(m, p.stats[m]))}</td>`).join('') +
        `<td>${escapeHtml(verdict(p))}</td><td>${escapeHtml(p.reason)}</td></tr>`,
    )
    .join('\n');
  const title = `lsim sweep · ${s.scenario.name}`;
  // JSON inside <script>: escape "<" (and the JS line separators) so no value can close the element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}td:last-child,th:last-child{text-align:left}tr.recommended{background:#fee2e2}tr.rejected{color:#777}#chart{max-height:480px}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<p>${r.points.length} points × ${s.replications} replications · objectives: ${escapeHtml(s.objectives.map((o) => o.text).join(', ') || 'none')} · minimise ${escapeHtml(s.minimise.map((w) => w.metric).join(' + '))}</p>
<p><strong>Recommendation:</strong> ${escapeHtml(r.recommendation.summary)}</p>
${r.recommendation.separation ? `<p>${escapeHtml(r.recommendation.separation.text)}</p>` : ''}
<canvas id="chart"></canvas>
<table><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table>
<script>${chartJsSource()}</script>
<script>
const data = ${json};
new Chart(document.getElementById('chart'), {
  type: 'scatter',
  data,
  options: {
    scales: { x: { title: { display: true, text: 'monthly cost (USD)' } }, y: { title: { display: true, text: ${JSON.stringify(`${lat} (ms)`)} } } },
    plugins: { tooltip: { callbacks: { label: (c) => c.raw.label + ': $' + c.raw.x.toFixed(2) + ', ' + c.raw.y.toFixed(1) + ' ms' } } },
  },
});
</script>
</body></html>
`;
}
