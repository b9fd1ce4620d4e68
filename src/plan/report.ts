/**
 * Sweep reports: a terminal table with the recommendation, the frontier and why
 * each other point was not chosen; JSON (the SweepResult itself); CSV (one row
 * per point, mean/sd/interval per metric). The HTML decision page is src/plan/page.ts.
 */
import { stringify } from 'csv-stringify/sync';
import { csvCell, escapeControls, table, wrap } from '../format.js';
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

/**
 * What the sweep's monthly costs assume, as a sentence: the one month every point has, or each point's
 * ("cost/mo: month = 31 days: window × 4,960; free tier applied").
 */
export function sweepMonthNote(r: SweepResult): string {
  const months = [...new Set(r.points.flatMap((p) => (p.month === null ? [] : [p.month])))];
  if (months.length <= 1) return `cost/mo: ${months[0] ?? 'no point ran'}`;
  return `cost/mo: each point's own month: ${r.points.flatMap((p) => (p.month === null ? [] : [`#${p.index} ${p.month}`])).join(' · ')}`;
}

/** The metrics shown as columns: cost, the frontier's latency, the objectives', throttles and cold starts. */
function shownMetrics(r: SweepResult): string[] {
  const s = r.spec;
  return [
    ...new Set([
      'cost',
      // With the guard, cost comparisons carry it; without, cost per served request is what compares.
      s.guard ? s.guard.metric : 'costPerMillionServed',
      s.latencyMetric,
      ...s.objectives.map((o) => o.metric),
      ...s.minimise.map((w) => w.metric),
      'throttleRate',
      'coldStartRate',
    ]),
  ].filter((m) => s.metrics.includes(m));
}

function verdict(p: PointResult): string {
  if (p.status === 'recommended') return '★ recommended';
  if (p.status === 'feasible') return p.marginal.length ? 'ok (marginal)' : 'ok';
  if (p.status === 'skipped') return '– skipped (invalid)';
  return `✗ ${p.failures.map((f) => f.split(/[ :]/)[0]).join(', ')}`;
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
  out.push(...wrap(r.guard ?? 'guard off: a design that loses, refuses or queues more work can win on cost; costPerMillionServed compares cost per request served', 2));
  out.push(...wrap(sweepMonthNote(r), 2));
  if (s.skipped.length) out.push(`skipped: ${s.skipped.length} point${s.skipped.length === 1 ? '' : 's'} whose scenario does not validate (not run; reasons below)`);
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
  header.push('month', 'reason');
  const rows = r.points.map((p) => {
    const row: (string | number)[] = [p.index, ...s.vary.map((d) => p.settings[d.key]), p.status, p.onFrontier ? 1 : 0, p.score ?? '', s.replications];
    for (const m of s.metrics) {
      const st = p.stats[m];
      row.push(st.mean ?? '', st.sd ?? '', st.ci?.[0] ?? '', st.ci?.[1] ?? '');
    }
    row.push(p.month ?? '', p.reason);
    return row;
  });
  // Text cells that a spreadsheet would run as a formula get a leading quote; numbers stay numbers.
  return stringify([header, ...rows], { cast: { string: (v: string) => csvCell(v) } });
}
