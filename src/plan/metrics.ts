/**
 * The headline metrics a sweep collects from each run's Result, by name. A name
 * may be qualified with `@<workload>` (latency metrics) or `@<function>` (the
 * others) to look at one instead of the account (worst workload for latencies).
 */
import { UserError } from '../errors.js';
import { modelOf } from '../models/index.js';
import type { Result } from '../sim/result.js';
import type { Percentiles } from '../metrics/summary.js';
import { dur, money, num, pct } from '../format.js';

export type MetricUnit = 'ms' | 'ratio' | 'usd' | 'count';

export interface MetricDef {
  unit: MetricUnit;
  describe: string;
  /** The value in a run; null when undefined (no responses, no invocations). */
  get(r: Result, target: string | undefined): number | null;
}

type PercentileKey = 'p50' | 'p90' | 'p99' | 'p999' | 'mean';

/** Caller-seen latency of each workload that has one, as its invocation model defines it (sync: end to end; sqs: send → delete; async: acceptance → outcome). */
function workloadLatencies(r: Result, target: string | undefined): Percentiles[] {
  const out: Percentiles[] = [];
  for (const w of r.workloads) {
    if (target !== undefined && w.name !== target) continue;
    const lat = modelOf(w.invoke).latency(w);
    if (lat && lat.count > 0) out.push(lat);
  }
  return out;
}

function latency(key: PercentileKey) {
  return (r: Result, target: string | undefined): number | null => {
    const list = workloadLatencies(r, target);
    return list.length ? Math.max(...list.map((p) => p[key])) : null;
  };
}

function functions(r: Result, target: string | undefined) {
  return target === undefined ? r.functions : r.functions.filter((f) => f.name === target);
}

function ratioOf(num: (f: Result['functions'][number]) => number, den: (f: Result['functions'][number]) => number) {
  return (r: Result, target: string | undefined): number | null => {
    let a = 0;
    let b = 0;
    for (const f of functions(r, target)) {
      a += num(f);
      b += den(f);
    }
    return b > 0 ? a / b : null;
  };
}

export const METRICS: Readonly<Record<string, MetricDef>> = {
  cost: {
    unit: 'usd',
    describe: 'monthly cost: the whole bill (account.cost.bill.monthlyUsd: Lambda and the other services), or a function’s Lambda cost',
    get: (r, t) => (t === undefined ? r.account.cost.bill.monthlyUsd : (functions(r, t)[0]?.cost.monthly.total ?? null)),
  },
  lambdaCost: {
    unit: 'usd',
    describe: 'monthly Lambda cost (account.cost.monthly.total, or the function’s)',
    get: (r, t) => (t === undefined ? r.account.cost.monthly.total : (functions(r, t)[0]?.cost.monthly.total ?? null)),
  },
  costPerMillion: {
    unit: 'usd',
    describe: 'monthly cost per million invocations',
    get: (r, t) => (t === undefined ? r.account.cost.usdPerMillionInvocations : (functions(r, t)[0]?.cost.usdPerMillionInvocations ?? null)),
  },
  p50: { unit: 'ms', describe: 'caller-seen latency p50 (worst workload)', get: latency('p50') },
  p90: { unit: 'ms', describe: 'caller-seen latency p90 (worst workload)', get: latency('p90') },
  p99: { unit: 'ms', describe: 'caller-seen latency p99 (worst workload)', get: latency('p99') },
  p999: { unit: 'ms', describe: 'caller-seen latency p99.9 (worst workload)', get: latency('p999') },
  meanLatency: { unit: 'ms', describe: 'caller-seen mean latency (worst workload)', get: latency('mean') },
  durationP99: {
    unit: 'ms',
    describe: 'handler duration p99 (worst function)',
    get: (r, t) => {
      const list = functions(r, t).filter((f) => f.durationMs.count > 0);
      return list.length ? Math.max(...list.map((f) => f.durationMs.p99)) : null;
    },
  },
  throttleRate: { unit: 'ratio', describe: 'throttles (429) per attempt', get: ratioOf((f) => f.throttles.total, (f) => f.attempts) },
  coldStartRate: { unit: 'ratio', describe: 'cold starts per invocation', get: ratioOf((f) => f.coldStarts, (f) => f.invocations) },
  errorRate: { unit: 'ratio', describe: 'function errors and timeouts per invocation', get: ratioOf((f) => f.errors + f.timeouts, (f) => f.invocations) },
  meanConcurrency: {
    unit: 'count',
    describe: 'time-weighted mean concurrency (account, or the function)',
    get: (r, t) => (t === undefined ? r.account.concurrency.mean : (functions(r, t)[0]?.concurrency.mean ?? null)),
  },
  peakConcurrency: {
    unit: 'count',
    describe: 'peak concurrency',
    get: (r, t) => (t === undefined ? r.account.concurrency.max : (functions(r, t)[0]?.concurrency.max ?? null)),
  },
  invocations: {
    unit: 'count',
    describe: 'invocations in the measured window',
    get: (r, t) => functions(r, t).reduce((a, f) => a + f.invocations, 0),
  },
};

/** What every sweep collects, besides the metrics its objectives name. */
export const HEADLINE_METRICS = ['cost', 'p99', 'throttleRate', 'coldStartRate', 'errorRate', 'meanConcurrency', 'invocations'] as const;

/** Checks a metric name (`p99`, `p99@checkout-sync`); returns its definition. @throws UserError */
export function metricDef(name: string, source: string): MetricDef {
  const base = name.split('@')[0];
  const def = METRICS[base];
  if (!def) throw new UserError(`${source}: unknown metric "${base}"; the metrics are ${Object.keys(METRICS).join(', ')}`);
  if (name.includes('@') && name.split('@')[1] === '') throw new UserError(`${source}: "${name}" names no workload or function after @`);
  return def;
}

/** The values of `names` in a run, in order. */
export function runMetrics(r: Result, names: readonly string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const name of names) {
    const at = name.indexOf('@');
    const base = at < 0 ? name : name.slice(0, at);
    const v = METRICS[base].get(r, at < 0 ? undefined : name.slice(at + 1));
    out[name] = v === null || !Number.isFinite(v) ? null : v;
  }
  return out;
}

/** A metric value for people: `812.3 ms`, `0.12%`, `$1,234.56`, `42`. */
export function formatMetric(unit: MetricUnit, v: number | null): string {
  if (v === null) return '–';
  switch (unit) {
    case 'ms':
      return dur(v);
    case 'ratio':
      return pct(v);
    case 'usd':
      return money(v);
    case 'count':
      return num(v, 1);
  }
}

export function unitOf(name: string): MetricUnit {
  return METRICS[name.split('@')[0]].unit;
}
