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
  /** What its monthly cost assumes (its runs', `RunRecord.month`); null for a skipped point. */
  month: string | null;
  /** `skipped`: the point's scenario does not validate (`reason` says why); it did not run. */
  status: 'recommended' | 'feasible' | 'rejected' | 'skipped';
  /** Objectives the mean fails, worded (`p99 912.3 ms > 800.0 ms`), and the guard when it fails. */
  failures: string[];
  /** Normalised distance to the objectives (0 when it meets them all; Σ shortfall ÷ |threshold|). */
  distance: number | null;
  /** Objectives the mean meets but the confidence interval crosses: more replications could change the verdict. */
  marginal: string[];
  /** The guard's verdict when it excludes the point. */
  guardFailure?: string;
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
  /** What the guard did, as a sentence; null when it is off (or no point ran). */
  guard: string | null;
  /** Point indices on the Pareto frontier of cost vs spec.latencyMetric (means), by increasing cost. */
  frontier: number[];
  /** Every run, by point then replication. */
  runs: RunRecord[];
}

/** Checks that `runs` are exactly the sweep's jobs (each once) and orders them. @throws UserError */
export function orderRuns(spec: SweepSpec, runs: readonly RunRecord[]): RunRecord[] {
  const total = pointCount(spec) * spec.replications;
  const byJob: (RunRecord | undefined)[] = Array.from({ length: total }, () => undefined);
  const skipped = new Set(spec.skipped.map((s) => s.point));
  for (const r of runs) {
    const j = r.point * spec.replications + r.replication;
    if (!(j >= 0 && j < total) || r.replication >= spec.replications || skipped.has(r.point)) {
      throw new UserError(`run of point ${r.point}, replication ${r.replication} is not part of this sweep`);
    }
    if (byJob[j]) throw new UserError(`point ${r.point}, replication ${r.replication} appears twice`);
    byJob[j] = r;
  }
  const isMissing = (r: RunRecord | undefined, j: number) => r === undefined && !skipped.has(Math.floor(j / spec.replications));
  const missing = byJob.findIndex(isMissing);
  if (missing >= 0) {
    const n = byJob.filter(isMissing).length;
    throw new UserError(
      `${n} of ${total} runs are missing (first: point ${Math.floor(missing / spec.replications)}, replication ${missing % spec.replications}); merge every shard`,
    );
  }
  return byJob.filter((r): r is RunRecord => r !== undefined);
}

export function analyze(spec: SweepSpec, allRuns: readonly RunRecord[]): SweepResult {
  const runs = orderRuns(spec, allRuns);
  const R = spec.replications;
  const names = dimensionNames(spec.vary.map((d) => ({ key: d.key, path: d.key.split('.'), values: d.values })));
  const n = pointCount(spec);
  const byPoint = new Map<number, RunRecord[]>();
  for (const r of runs) byPoint.set(r.point, [...(byPoint.get(r.point) ?? []), r]);
  const series = (p: number, metric: string) => (byPoint.get(p) ?? []).map((r) => r.metrics[metric] ?? null);
  const skipReason = new Map(spec.skipped.map((s) => [s.point, s.reason]));

  const points: PointResult[] = [];
  for (let p = 0; p < n; p++) {
    const values = pointValues(spec, p);
    const stats: Record<string, Summary> = {};
    for (const m of spec.metrics) stats[m] = summarize(series(p, m), spec.confidence);
    const failures: string[] = [];
    const marginal: string[] = [];
    const skip = skipReason.get(p);
    if (skip !== undefined) failures.push(`does not validate: ${skip}`);
    else for (const o of spec.objectives) {
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
      month: byPoint.get(p)?.[0]?.month ?? null,
      status: skip !== undefined ? 'skipped' : failures.length ? 'rejected' : 'feasible',
      failures,
      distance: skip !== undefined ? null : objectiveDistance(spec, stats),
      marginal,
      onFrontier: false,
      score: null,
      reason: '',
    });
  }

  // The guard: no point that leaves more work undone than the point that leaves least (beyond the
  // tolerance) is eligible, so refusing, dropping or queueing work never wins on cost or latency.
  const guardText = applyGuard(spec, points);

  // Scores: one metric as is; a weighted balance normalises each metric to [0, 1] over the candidates.
  const feasible = points.filter((p) => p.status === 'feasible');
  const pool = feasible.length ? feasible : points;
  const ranges = spec.minimise.map((w) => {
    const vs = pool.map((p) => p.stats[w.metric].mean).filter((v): v is number => v !== null);
    return { lo: vs.length ? vs.reduce((a, v) => Math.min(a, v)) : 0, hi: vs.length ? vs.reduce((a, v) => Math.max(a, v)) : 0 };
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
    const among = `${candidates.length} point${candidates.length === 1 ? '' : 's'} ${spec.objectives.length ? 'meeting every objective' : 'eligible'}${spec.guard ? ' within the guard' : ''}`;
    best.reason = `${what} among the ${among}`;
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
    // Intervals exist only with replications: one run per point has nothing to overlap.
    const withinNoise = R >= 2 ? candidates.slice(1).filter((p) => overlaps(p.stats[main], best.stats[main])).map((p) => p.index) : [];
    recommendation = {
      point: best.index,
      label: best.label,
      summary: `#${best.index} ${best.label}: ${what} among the ${among}${spec.objectives.length ? ` (${spec.objectives.map((o) => o.text).join(', ')})` : ' (no objectives given)'}`,
      separation,
      withinNoise,
    };
  } else {
    // The closest: the eligible point (within the guard) nearest to the objectives, by normalised distance.
    const eligible = points.filter((p) => p.status !== 'skipped' && !p.guardFailure);
    const closest = [...(eligible.length ? eligible : points)].sort(
      (a, b) => (a.distance ?? Infinity) - (b.distance ?? Infinity) || (a.score ?? Infinity) - (b.score ?? Infinity) || a.index - b.index,
    )[0];
    recommendation = {
      point: null,
      label: null,
      summary:
        `no configuration meets every objective${spec.guard ? ' within the guard' : ''}; the closest (normalised distance ${closest.distance === null ? '–' : roundSig(closest.distance, 3)}) ` +
        `is #${closest.index} ${closest.label} (${closest.failures.join('; ')})`,
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
    else if (p.status === 'skipped') p.reason = `skipped: its scenario ${p.failures[0]}`;
  }

  // Pareto frontier of (cost, latency) of the eligible points: no other is at least as good on both and better on one.
  const lat = spec.latencyMetric;
  const xy = points
    .filter((p) => p.status !== 'skipped' && !p.guardFailure)
    .map((p) => ({ p, x: p.stats.cost?.mean ?? null, y: p.stats[lat]?.mean ?? null }))
    .filter((q): q is { p: PointResult; x: number; y: number } => q.x !== null && q.y !== null);
  const frontier = xy
    .filter((a) => !xy.some((b) => b.x <= a.x && b.y <= a.y && (b.x < a.x || b.y < a.y)))
    .sort((a, b) => a.x - b.x || a.y - b.y || a.p.index - b.p.index)
    .map((q) => {
      q.p.onFrontier = true;
      return q.p.index;
    });

  return { schema: SWEEP_SCHEMA, spec, points, recommendation, guard: guardText, frontier, runs };
}

/**
 * Σ over the objectives of the shortfall ÷ |threshold| (÷ 1 in the metric's unit when the threshold
 * is 0): 0 for a point that meets every objective, Infinity when a metric has no value.
 */
function objectiveDistance(spec: SweepSpec, stats: Record<string, Summary>): number {
  let d = 0;
  for (const o of spec.objectives) {
    const v = stats[o.metric].mean;
    if (v === null) return Infinity;
    const short = o.op === '<=' || o.op === '<' ? v - o.value : o.value - v;
    d += Math.max(short, 0) / (Math.abs(o.value) || 1);
  }
  return roundSig(d, 9);
}

/** Marks the points the guard excludes; returns the sentence the reports print about it (null: guard off). */
function applyGuard(spec: SweepSpec, points: PointResult[]): string | null {
  const g = spec.guard;
  if (!g) return null;
  const ran = points.filter((p) => p.status !== 'skipped' && p.stats[g.metric]?.mean !== null && p.stats[g.metric]?.mean !== undefined);
  if (!ran.length) return null;
  const least = ran.reduce((a, b) => (b.stats[g.metric].mean! < a.stats[g.metric].mean! ? b : a));
  const floor = least.stats[g.metric].mean!;
  for (const p of ran) {
    const v = p.stats[g.metric].mean!;
    if (v > floor + g.tolerance + 1e-12) {
      p.guardFailure = `guard: leaves ${pctText(v)} of the work undone, against ${pctText(floor)} at #${least.index} (tolerance ${pctText(g.tolerance)})`;
      p.failures.push(p.guardFailure);
      if (p.status === 'feasible') p.status = 'rejected';
    }
  }
  return (
    `guard: a point that leaves more work undone (lost, refused or still queued: unfinishedRate) than the best, ` +
    `#${least.index} with ${pctText(floor)}, by more than ${pctText(g.tolerance)} of the work offered is not eligible; --guard off disables it`
  );
}

function pctText(x: number): string {
  return formatMetric('ratio', x);
}

function fmtSigned(unit: ReturnType<typeof unitOf>, v: number): string {
  return v < 0 ? `−${formatMetric(unit, -v)}` : `+${formatMetric(unit, v)}`;
}
