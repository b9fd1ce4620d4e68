/**
 * From the runs of a sweep to its answer: statistics per point, which points
 * meet the objectives, the recommendation, the cost-vs-latency Pareto frontier,
 * and why every other point was not chosen. A pure function of (spec, runs):
 * serial, parallel and merged sweeps give the same result.
 */
import { UserError } from '../errors.js';
import { dimensionNames } from './grid.js';
import { pointValues } from './job.js';
import { formatMetric, unitOf } from './metrics.js';
import { failureText, meets } from './objectives.js';
import { SWEEP_SCHEMA, pointCount, type RunRecord, type SweepSpec } from './spec.js';
import { overlaps, pairedDifference, summarize, type Summary } from './stats.js';
import { roundSig } from '../metrics/summary.js';

export interface PointResult {
  index: number;
  /** `memory=256MB architecture=arm64`. */
  label: string;
  /** Dimension key → value. */
  settings: Record<string, string>;
  stats: Record<string, Summary>;
  status: 'recommended' | 'feasible' | 'rejected';
  /** Objectives the mean fails, worded (`p99 912.3 ms > 800.0 ms`). */
  failures: string[];
  /** Objectives the mean meets but the confidence interval crosses: more replications could change the verdict. */
  marginal: string[];
  onFrontier: boolean;
  /** What is minimised (lower is better); null when a minimised metric has no value. */
  score: number | null;
  /** Why this point is or is not the recommendation. */
  reason: string;
}

export interface Recommendation {
  /** The recommended point, or null when no point meets every objective. */
  point: number | null;
  label: string | null;
  summary: string;
  /** Whether the recommendation is statistically separated from the runner-up (null: no runner-up or one replication). */
  separation: { runnerUp: number; difference: Summary; separable: boolean; text: string } | null;
  /** Feasible points whose interval of the (first) minimised metric overlaps the recommendation's. */
  withinNoise: number[];
}

export interface SweepResult {
  schema: typeof SWEEP_SCHEMA;
  spec: SweepSpec;
  points: PointResult[];
  recommendation: Recommendation;
  /** Point indices on the Pareto frontier of cost vs spec.latencyMetric (means), by increasing cost. */
  frontier: number[];
  /** Every run, by point then replication. */
  runs: RunRecord[];
}

/** Checks that `runs` are exactly the sweep's jobs (each once) and orders them. @throws UserError */
export function orderRuns(spec: SweepSpec, runs: readonly RunRecord[]): RunRecord[] {
  const total = pointCount(spec) * spec.replications;
  const byJob: (RunRecord | undefined)[] = Array.from({ length: total }, () => undefined);
  for (const r of runs) {
    const j = r.point * spec.replications + r.replication;
    if (!(j >= 0 && j < total) || r.replication >= spec.replications) throw new UserError(`run of point ${r.point}, replication ${r.replication} is not part of this sweep`);
    if (byJob[j]) throw new UserError(`point ${r.point}, replication ${r.replication} appears twice`);
    byJob[j] = r;
  }
  const missing = byJob.findIndex((r) => r === undefined);
  if (missing >= 0) {
    const n = byJob.filter((r) => r === undefined).length;
    throw new UserError(
      `${n} of ${total} runs are missing (first: point ${Math.floor(missing / spec.replications)}, replication ${missing % spec.replications}); merge every shard`,
    );
  }
  return byJob as RunRecord[];
}

export function analyze(spec: SweepSpec, allRuns: readonly RunRecord[]): SweepResult {
  const runs = orderRuns(spec, allRuns);
  const R = spec.replications;
  const names = dimensionNames(spec.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const n = pointCount(spec);
  const series = (p: number, metric: string) => runs.slice(p * R, p * R + R).map((r) => r.metrics[metric] ?? null);

  const points: PointResult[] = [];
  for (let p = 0; p < n; p++) {
    const values = pointValues(spec, p);
    const stats: Record<string, Summary> = {};
    for (const m of spec.metrics) stats[m] = summarize(series(p, m), spec.confidence);
    const failures: string[] = [];
    const marginal: string[] = [];
    for (const o of spec.objectives) {
      const s = stats[o.metric];
      if (s.mean === null || s.n < R || !meets(o, s.mean)) failures.push(failureText(o, s.n < R ? null : s.mean));
      else if (s.ci && !(meets(o, s.ci[0]) && meets(o, s.ci[1]))) {
        const u = unitOf(o.metric);
        marginal.push(`${o.metric} ${formatMetric(u, s.ci[0])}–${formatMetric(u, s.ci[1])} crosses ${formatMetric(u, o.value)}`);
      }
    }
    points.push({
      index: p,
      label: spec.vary.length ? values.map((v, k) => `${names[k]}=${v.replace(/\s+/g, ' ')}`).join(' ') : 'as written',
      settings: Object.fromEntries(spec.vary.map((d, k) => [d.key, values[k]])),
      stats,
      status: failures.length ? 'rejected' : 'feasible',
      failures,
      marginal,
      onFrontier: false,
      score: null,
      reason: '',
    });
  }

  // Scores: one metric as is; a weighted balance normalises each metric to [0, 1] over the candidates.
  const feasible = points.filter((p) => p.status === 'feasible');
  const pool = feasible.length ? feasible : points;
  const ranges = spec.minimise.map((w) => {
    const vs = pool.map((p) => p.stats[w.metric].mean).filter((v): v is number => v !== null);
    return { lo: vs.length ? Math.min(...vs) : 0, hi: vs.length ? Math.max(...vs) : 0 };
  });
  for (const p of points) {
    let score = 0;
    for (let k = 0; k < spec.minimise.length; k++) {
      const v = p.stats[spec.minimise[k].metric].mean;
      if (v === null) {
        score = NaN;
        break;
      }
      if (spec.minimise.length === 1) score = v;
      else score += spec.minimise[k].weight * (ranges[k].hi > ranges[k].lo ? (v - ranges[k].lo) / (ranges[k].hi - ranges[k].lo) : 0);
    }
    p.score = Number.isNaN(score) ? null : roundSig(score, 9);
    if (p.score === null && p.status === 'feasible') {
      p.status = 'rejected';
      p.failures.push(`no value of ${spec.minimise.map((w) => w.metric).join(', ')}`);
    }
  }

  const candidates = points.filter((p) => p.status === 'feasible').sort((a, b) => a.score! - b.score! || a.index - b.index);
  const best = candidates[0];
  const main = spec.minimise[0].metric;
  const mainUnit = unitOf(main);
  const what = spec.minimise.length === 1 ? `lowest ${main}` : `best weighted ${spec.minimise.map((w) => `${w.metric}×${w.weight}`).join(' + ')}`;
  let recommendation: Recommendation;
  if (best) {
    best.status = 'recommended';
    best.reason = `${what} among the ${candidates.length} point${candidates.length === 1 ? '' : 's'} meeting every objective`;
    let separation: Recommendation['separation'] = null;
    const second = candidates[1];
    if (second && R >= 2) {
      const difference = pairedDifference(series(second.index, main), series(best.index, main), spec.confidence);
      const separable = difference.ci !== null && (difference.ci[0] > 0 || difference.ci[1] < 0);
      const pct = `${Math.round(spec.confidence * 100)}%`;
      const ci = difference.ci ? ` (${pct} interval of the paired difference ${fmtSigned(mainUnit, difference.ci[0])} to ${fmtSigned(mainUnit, difference.ci[1])})` : '';
      separation = {
        runnerUp: second.index,
        difference,
        separable,
        text: separable
          ? `the runner-up #${second.index} (${second.label}) is worse by ${formatMetric(mainUnit, difference.mean!)} of ${main}${ci}: the difference is real at ${pct}`
          : `the runner-up #${second.index} (${second.label}) cannot be separated from it: ${main} differs by ${fmtSigned(mainUnit, difference.mean ?? 0)}${ci}; run more replications to tell them apart`,
      };
    }
    const withinNoise = candidates.slice(1).filter((p) => overlaps(p.stats[main], best.stats[main])).map((p) => p.index);
    recommendation = {
      point: best.index,
      label: best.label,
      summary: `#${best.index} ${best.label}: ${what} meeting ${spec.objectives.length ? spec.objectives.map((o) => o.text).join(', ') : 'no objectives (none given)'}`,
      separation,
      withinNoise,
    };
  } else {
    const closest = [...points].sort((a, b) => a.failures.length - b.failures.length || (a.score ?? Infinity) - (b.score ?? Infinity) || a.index - b.index)[0];
    recommendation = {
      point: null,
      label: null,
      summary: `no configuration meets every objective; the closest is #${closest.index} ${closest.label} (${closest.failures.join('; ')})`,
      separation: null,
      withinNoise: [],
    };
  }
  for (const p of points) {
    if (p.status === 'feasible') {
      const d = p.stats[main].mean! - best!.stats[main].mean!;
      p.reason =
        spec.minimise.length === 1
          ? `meets every objective, but ${main} ${formatMetric(mainUnit, p.stats[main].mean)} is ${fmtSigned(mainUnit, d)} above the recommendation`
          : `meets every objective, but its weighted score ${p.score} is above the recommendation's ${best!.score}`;
    } else if (p.status === 'rejected') p.reason = `fails ${p.failures.join('; ')}`;
  }

  // Pareto frontier of (cost, latency): no other point is at least as good on both and better on one.
  const lat = spec.latencyMetric;
  const xy = points
    .map((p) => ({ p, x: p.stats.cost?.mean ?? null, y: p.stats[lat]?.mean ?? null }))
    .filter((q): q is { p: PointResult; x: number; y: number } => q.x !== null && q.y !== null);
  const frontier = xy
    .filter((a) => !xy.some((b) => b.x <= a.x && b.y <= a.y && (b.x < a.x || b.y < a.y)))
    .sort((a, b) => a.x - b.x || a.y - b.y || a.p.index - b.p.index)
    .map((q) => {
      q.p.onFrontier = true;
      return q.p.index;
    });

  return { schema: SWEEP_SCHEMA, spec, points, recommendation, frontier, runs };
}

function fmtSigned(unit: ReturnType<typeof unitOf>, v: number): string {
  return v < 0 ? `−${formatMetric(unit, -v)}` : `+${formatMetric(unit, v)}`;
}
