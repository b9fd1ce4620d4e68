/**
 * The metrics a sweep collects from each run's Result, by name: the account's
 * and functions' headline figures, the fate of the offered work (the guard's
 * measure), pipelines' end-to-end latency, and each invocation model's own
 * metrics (`InvocationModel.metrics`: queue and iterator ages, depths). A name
 * may be qualified with `@<workload>` (workload metrics), `@<pipeline>` or
 * `@<function>` (function metrics) to look at one instead of all of them.
 */
import { UserError } from '../errors.js';
import { MODELS, modelOf } from '../models/index.js';
import type { MetricUnit, WorkFates, WorkloadMetric } from '../models/model.js';
import type { Result } from '../sim/result.js';
import type { Percentiles } from '../metrics/summary.js';
import { dur, money, num, pct } from '../format.js';
import { workOf } from '../report/format.js';

export type { MetricUnit };

export interface MetricDef {
  unit: MetricUnit;
  describe: string;
  /** What `@name` selects: a workload, a function or a pipeline. */
  scope: 'workload' | 'function' | 'pipeline';
  /** The invocation models that have it (model metrics only). */
  models?: string[];
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

const share = (part: (f: WorkFates) => number) => (r: Result, t: string | undefined) => {
  const f = workOf(r, t);
  return f.offered > 0 ? part(f) / f.offered : null;
};

function pipelineLatency(key: PercentileKey) {
  return (r: Result, target: string | undefined): number | null => {
    const list = (r.pipelines ?? []).filter((p) => (target === undefined || p.name === target) && p.endToEndMs.count > 0);
    return list.length ? Math.max(...list.map((p) => p.endToEndMs[key])) : null;
  };
}

/** A model metric over the run's workloads of models that have it: the worst, or the sum; null when none has a value. */
function modelMetric(name: string, combine: 'max' | 'sum') {
  return (r: Result, target: string | undefined): number | null => {
    let out: number | null = null;
    for (const w of r.workloads) {
      if (target !== undefined && w.name !== target) continue;
      const m = modelOf(w.invoke).metrics?.[name] as WorkloadMetric<typeof w> | undefined;
      const v = m?.get(w) ?? null;
      if (v === null) continue;
      out = out === null ? v : combine === 'max' ? Math.max(out, v) : out + v;
    }
    return out;
  };
}

const BUILT_IN: Readonly<Record<string, Omit<MetricDef, 'scope'> & { scope?: MetricDef['scope'] }>> = {
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
  lossRate: {
    unit: 'ratio',
    scope: 'workload',
    describe: 'work lost or refused per request, event, message or record offered (throttled to the end, errors, timeouts, expired, DLQ, dropped)',
    get: share((f) => f.lost),
  },
  unfinishedRate: {
    unit: 'ratio',
    scope: 'workload',
    describe: 'work lost or refused, or still waiting in a queue at the end (not in flight), per unit offered: what the sweep guard compares',
    get: share((f) => f.lost + f.queued),
  },
  dlq: { unit: 'count', scope: 'workload', describe: 'work in a dead-letter queue or on-failure destination', get: (r, t) => workOf(r, t).dlq },
  dropped: { unit: 'count', scope: 'workload', describe: 'work lost without a DLQ or destination to hold it (refused, failed, discarded)', get: (r, t) => workOf(r, t).lost - workOf(r, t).dlq },
  costPerMillionServed: {
    unit: 'usd',
    scope: 'workload',
    describe: 'the simulated window’s whole cost (no free tier) per million requests, events, messages or records served',
    get: (r, t) => {
      const served = workOf(r, t).served;
      return served > 0 ? (r.account.cost.window.total / served) * 1e6 : null;
    },
  },
  e2eP50: { unit: 'ms', scope: 'pipeline', describe: 'pipelines: end-to-end latency p50, first stage to last side effect (worst pipeline)', get: pipelineLatency('p50') },
  e2eP99: { unit: 'ms', scope: 'pipeline', describe: 'pipelines: end-to-end latency p99 (worst pipeline)', get: pipelineLatency('p99') },
};

/** Every metric: the built-in ones and each model's own (a name two models share is one metric of both). */
export const METRICS: Readonly<Record<string, MetricDef>> = (() => {
  const out: Record<string, MetricDef> = {};
  for (const [name, d] of Object.entries(BUILT_IN)) {
    out[name] = { ...d, scope: d.scope ?? (/^(p50|p90|p99|p999|meanLatency)$/.test(name) ? 'workload' : 'function') };
  }
  for (const m of MODELS) {
    for (const [name, d] of Object.entries(m.metrics ?? {})) {
      const seen = out[name];
      if (seen && !seen.models) throw new Error(`model ${m.invoke}: metric ${name} is a built-in metric`);
      if (seen && (seen.unit !== d.unit || seen.describe !== d.describe)) throw new Error(`model ${m.invoke}: metric ${name} differs from ${seen.models!.join(', ')}'s`);
      if (seen) seen.models!.push(m.invoke);
      else out[name] = { unit: d.unit, describe: d.describe, scope: 'workload', models: [m.invoke], get: modelMetric(name, d.combine) };
    }
  }
  return out;
})();

/** `lsim sweep --metrics`: every metric name, its unit, what `@` selects and its meaning. */
export function metricsList(): string {
  const rows = Object.entries(METRICS).map(([name, d]) => [name, d.unit, `@${d.scope}`, `${d.describe}${d.models ? ` [${d.models.join(', ')}]` : ''}`]);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const w2 = Math.max(...rows.map((r) => r[2].length));
  return (
    rows.map((r) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2].padEnd(w2)}  ${r[3]}`).join('\n') +
    '\n\nObjectives: --objective "p99<=800ms,unfinishedRate<=0.1%,queueAgeMax<5min"; minimise: --minimise cost (default) or cost=0.7,p99=0.3.\n' +
    'A name@target looks at one workload, function or pipeline (as its scope says), e.g. p99@checkout or cost@api.\n'
  );
}

/** What every sweep collects, besides the metrics its objectives name. */
export const HEADLINE_METRICS = ['cost', 'costPerMillionServed', 'p99', 'throttleRate', 'coldStartRate', 'errorRate', 'lossRate', 'meanConcurrency', 'invocations'] as const;

/** Checks a metric name (`p99`, `p99@checkout-sync`); returns its definition. @throws UserError */
export function metricDef(name: string, source: string): MetricDef {
  const base = name.split('@')[0];
  const def = METRICS[base];
  if (!def) throw new UserError(`${source}: unknown metric "${base}"; the metrics are ${Object.keys(METRICS).join(', ')}`);
  if (name.includes('@') && name.split('@')[1] === '') throw new UserError(`${source}: "${name}" names no workload or function after @`);
  return def;
}

/**
 * Checks that each metric's `@target` names what the scenario has: a function for a function metric, a
 * workload for a workload metric (a pipeline is named by its first stage's workload). A target that names
 * nothing would have no value in any run, and every objective on it would fail unexplained.
 * @throws UserError naming the flag, the metric and what the scenario has
 */
export function checkTargets(names: readonly { metric: string; source: string }[], scenario: { functions: readonly { name: string }[]; workloads: readonly { name: string }[] }): void {
  const problems: string[] = [];
  for (const { metric, source } of names) {
    const at = metric.indexOf('@');
    if (at < 0) continue;
    const target = metric.slice(at + 1);
    const scope = METRICS[metric.slice(0, at)].scope;
    const [what, list] = scope === 'function' ? ['function', scenario.functions.map((f) => f.name)] : ['workload', scenario.workloads.map((w) => w.name)];
    if (!list.includes(target)) problems.push(`${source}: ${metric}: the scenario has no ${what} named "${target}" (it has ${list.join(', ')})`);
  }
  if (problems.length) throw new UserError(problems.map((message) => ({ message })));
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
