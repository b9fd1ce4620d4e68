/**
 * `lsim sweep` and `lsim merge` as library functions: build the sweep's
 * definition from the command line, validate every point before running any,
 * run (a shard of) the jobs, and analyse — or merge shard outputs and analyse.
 */
import { checkWork, estimateWork, LIMITS, type WorkEstimate } from '../sim/estimate.js';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { UserError, type Problem } from '../errors.js';
import { parseScenario } from '../scenario/load.js';
import { parseOverridePath } from '../scenario/overrides.js';
import type { Scenario } from '../models/index.js';
import { gridPoints, parsePair, parseVary, type Dimension } from './grid.js';
import { checkTargets, HEADLINE_METRICS } from './metrics.js';
import { parseMinimise, parseObjectives } from './objectives.js';
import { analyze, type SweepResult } from './analyze.js';
import { pointScenario, type JobContext } from './job.js';
import { executeJobs } from './runner.js';
import { SHARD_SCHEMA, SWEEP_SCHEMA, jobOf, parseShard, pointCount, sweepJobs, type ShardOutput, type SweepSpec } from './spec.js';

export interface SweepOptions {
  /** The scenario file as the user typed it (messages) and its text. */
  file: string;
  text: string;
  vary: string[];
  /** `--pair "k1=values;k2=values"`: keys that vary together, one axis each. */
  pair?: string[];
  /** `--guard`: `off`, or the tolerance as a share (`0.1%`, the default, or `0.001`). */
  guard?: string;
  replications: number;
  /** 0 < confidence < 1 (default 0.95). */
  confidence: number;
  objective?: string;
  minimise?: string;
  seed?: string;
  /** Worker threads; `auto` (the CLI's default): the CPU count, fewer for a small sweep ({@link autoWorkers}). */
  workers: number | 'auto';
  /** `i/n`. */
  shard?: string;
  onProgress?: (done: number, total: number) => void;
  /** Run even when the sweep is estimated above the limits of src/sim/estimate.ts. */
  allowLarge?: boolean;
}

/** The sweep's definition and job context, after checking every argument. @throws UserError */
export function prepareSweep(o: SweepOptions): JobContext {
  const problems: Problem[] = [];
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(...e.problems);
      return undefined;
    }
  };
  const dims = o.vary.map((v) => attempt(() => parseVary(v))).filter((d): d is Dimension => d !== undefined);
  (o.pair ?? []).forEach((arg, axis) => dims.push(...(attempt(() => parsePair(arg, axis)) ?? [])));
  const keys = new Set<string>();
  for (const d of dims) {
    if (keys.has(d.key)) problems.push({ message: `${d.axis === undefined ? '--vary' : '--pair'} ${d.key}: the key is varied twice; give all its values in one --vary or --pair` });
    keys.add(d.key);
  }
  const objectives = o.objective ? (attempt(() => parseObjectives(o.objective!)) ?? []) : [];
  const minimise = attempt(() => parseMinimise(o.minimise ?? 'cost')) ?? [{ metric: 'cost', weight: 1 }];
  if (!Number.isInteger(o.replications) || o.replications < 1 || o.replications > 10_000) {
    problems.push({ message: `--replications must be a whole number from 1 to 10000, got ${o.replications}` });
  }
  if (!(o.confidence > 0 && o.confidence < 1)) problems.push({ message: `--confidence must be between 0 and 1 (e.g. 0.95), got ${o.confidence}` });
  if (o.workers !== 'auto' && !(Number.isInteger(o.workers) && o.workers >= 1)) problems.push({ message: `--workers must be a whole number ≥ 1, got ${o.workers}` });
  if (o.shard !== undefined) attempt(() => parseShard(o.shard!));
  const guard = attempt(() => parseGuard(o.guard ?? '0.1%'));
  attempt(() => gridPoints(dims));
  if (problems.length) throw new UserError(problems);

  // The scenario as written must load (its own problems are reported without any --vary).
  const base = parseScenario(o.text, o.file);
  checkTargets([...objectives.map((x) => ({ metric: x.metric, source: `--objective ${x.text}` })), ...minimise.map((w) => ({ metric: w.metric, source: `--minimise ${w.metric}` }))], base);
  const latencyMetric = objectives.find((x) => /^(p50|p90|p99|p999|meanLatency)(@|$)/.test(x.metric))?.metric ?? 'p99';
  // The decision page draws p50 beside a higher caller-latency percentile.
  const median = /^p(90|99|999)(@|$)/.test(latencyMetric) ? [latencyMetric.replace(/^p\d+/, 'p50')] : [];
  const metrics = [
    ...new Set<string>([...HEADLINE_METRICS, ...(guard ? [guard.metric] : []), latencyMetric, ...median, ...objectives.map((x) => x.metric), ...minimise.map((w) => w.metric)]),
  ];
  const spec: SweepSpec = {
    scenario: {
      file: o.file,
      name: base.name,
      seed: o.seed ?? base.seed,
      sha256: sha256(o.text),
    },
    vary: dims.map((d) => ({ key: d.key, values: d.values, ...(d.axis !== undefined ? { axis: d.axis } : {}) })),
    skipped: [],
    replications: o.replications,
    confidence: o.confidence,
    metrics,
    objectives,
    minimise,
    latencyMetric,
    guard: guard ?? null,
  };
  const ctx: JobContext = { text: o.text, file: o.file, dims, spec, ...(o.seed !== undefined ? { seedOverride: o.seed } : {}) };
  spec.skipped = invalidPoints(ctx);
  return ctx;
}

/** `off`, or a share of the work offered (`0.1%`, `0.001`). @throws UserError */
/**
 * The hex SHA-256 of `text`. node:crypto is required here, when a sweep needs it, not imported: loading
 * it cost every `lsim` start about 3.5 ms, the CLI's bundle being one file (issue 21).
 */
function sha256(text: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(text).digest('hex');
}

function parseGuard(arg: string): SweepSpec['guard'] {
  if (arg.trim() === 'off') return null;
  const m = /^([\d.]+(?:e-?\d+)?)\s*(%?)$/.exec(arg.trim());
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(x >= 0 && x <= 1)) throw new UserError(`--guard ${arg}: expected off or a share of the work offered, such as 0.1% or 0.001`);
  return { metric: 'unfinishedRate', tolerance: x };
}

/**
 * The points whose scenario does not validate, each with its problems: they are
 * skipped with the reason (a grid of batch size × window may hold a few
 * impossible pairs). When no point validates, the sweep is refused with every
 * problem (at most 50), each tagged with the `--vary` that caused it.
 */
function invalidPoints(ctx: JobContext): SweepSpec['skipped'] {
  const skipped: SweepSpec['skipped'] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const n = pointCount(ctx.spec);
  for (let p = 0; p < n; p++) {
    try {
      pointScenario(ctx, p);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      skipped.push({ point: p, reason: e.problems.map((q) => (q.path ? `${q.path}: ${q.message}` : q.message)).join('; ') });
      for (const q of e.problems) {
        const key = JSON.stringify(q);
        if (!seen.has(key) && problems.length < 50) {
          seen.add(key);
          problems.push(q);
        }
      }
    }
  }
  if (skipped.length === n) throw new UserError(problems);
  return skipped;
}

/**
 * Requests of estimated work (src/sim/estimate.ts) that make a worker thread worth its start: a worker
 * loads lsim and warms its compiler again (about 70 ms of CPU and 90 ms of wall time each, measured on
 * the bench machine), so a sweep under a second or two of work runs faster in one thread. At the bench's
 * ~2 M requests per second, one worker per {@link LIMITS.requestsPerSecond} requests: a second of work each.
 */
const REQUESTS_PER_WORKER = LIMITS.requestsPerSecond;

/**
 * `--workers` when it is not given: the CPU count, but no more than one per second of estimated work
 * (`runs`' requests), and all of them when a point replays a trace (its requests are not in the estimate).
 */
export function autoWorkers(runs: readonly WorkEstimate[], cores: number, hasTrace: boolean): number {
  const most = Math.max(1, Math.min(cores, runs.length));
  if (hasTrace) return most;
  const requests = runs.reduce((t, e) => t + e.requests, 0);
  return Math.max(1, Math.min(most, Math.floor(requests / REQUESTS_PER_WORKER)));
}

/** The machine's CPUs (node:os loaded when a sweep runs, not at every lsim start: issue 21). */
function availableCores(): number {
  return (createRequire(import.meta.url)('node:os') as typeof import('node:os')).availableParallelism();
}

/** Runs the sweep (or its shard). */
export async function runSweep(o: SweepOptions): Promise<SweepResult | ShardOutput> {
  const ctx = prepareSweep(o);
  const shard = o.shard !== undefined ? parseShard(o.shard) : null;
  const jobs = sweepJobs(ctx.spec, shard);
  const points = jobs.map((j) => jobOf(ctx.spec, j).point);
  const work = new Map<number, WorkEstimate>();
  let hasTrace = false;
  for (const p of new Set(points)) {
    const scenario = pointScenario(ctx, p);
    work.set(p, estimateWork(scenario));
    hasTrace ||= scenario.workloads.some((w) => (w as { trace?: unknown }).trace != null);
  }
  const estimates = points.map((p) => work.get(p)!);
  checkWork(o.file, estimates, o.allowLarge === true);
  const workers = o.workers !== 'auto' ? o.workers : autoWorkers(estimates, availableCores(), hasTrace);
  const runs = await executeJobs(ctx, jobs, { workers, onProgress: o.onProgress });
  if (shard) return { schema: SHARD_SCHEMA, spec: ctx.spec, shard, runs };
  return analyze(ctx.spec, runs);
}

/**
 * The scenario of a sweep's point (the recommendation, for src/plan/config.ts), rebuilt from the sweep's
 * text and definition without validating the other points. @throws UserError
 */
export function sweepPointScenario(text: string, file: string, spec: SweepSpec, point: number, seedOverride?: string): Scenario {
  const dims: Dimension[] = spec.vary.map((d) => ({ key: d.key, path: parseOverridePath(d.key, `--vary ${d.key}`), values: d.values, ...(d.axis !== undefined ? { axis: d.axis } : {}) }));
  return pointScenario({ text, file, dims, spec, ...(seedOverride !== undefined ? { seedOverride } : {}) }, point);
}

/**
 * Combines shard outputs (and/or whole sweep results) into the result of the
 * unsharded sweep: the same definition is required of all, and every job must
 * be present exactly once. @throws UserError naming the offending file.
 */
/**
 * The parts of a sweep output `lsim merge` reads, checked before use: a file that is JSON but not an
 * lsim sweep output (`null`, a spec of `{}`, runs of `{}`) is refused, not run into.
 */
const mergedDocSchema = (() => {
  const name = z.string();
  const finite = z.number().finite();
  const count = z.number().int().nonnegative();
  const spec = z.object({
    scenario: z.object({ file: name, name, seed: name, sha256: name }),
    vary: z.array(z.object({ key: name, values: z.array(name), axis: count.optional() })),
    skipped: z.array(z.object({ point: count, reason: name })),
    guard: z.object({ metric: name, tolerance: finite }).nullable(),
    replications: count.min(1),
    confidence: finite,
    metrics: z.array(name),
    objectives: z.array(z.object({ metric: name, op: name, value: finite, text: name })),
    minimise: z.array(z.object({ metric: name, weight: finite })),
    latencyMetric: name,
  });
  const run = z.object({ point: count, replication: count, seed: name, metrics: z.record(name, finite.nullable()), month: name.optional(), events: count });
  return z.object({ schema: z.enum([SHARD_SCHEMA, SWEEP_SCHEMA]), spec, runs: z.array(run), shard: z.object({ index: count, count: count }).optional() });
})();

export function mergeOutputs(inputs: { file: string; text: string }[]): SweepResult {
  if (inputs.length === 0) throw new UserError('lsim merge needs at least one file');
  let spec: SweepSpec | undefined;
  let specFile = '';
  const runs: SweepResult['runs'] = [];
  const shards = new Map<string, string>();
  for (const { file, text } of inputs) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UserError([{ file, message: `not JSON (${(e as Error).message})` }]);
    }
    const schema = (json as { schema?: unknown } | null)?.schema;
    if (schema !== SHARD_SCHEMA && schema !== SWEEP_SCHEMA) {
      throw new UserError([{ file, message: `not a sweep output (schema ${JSON.stringify(schema)}; expected ${SHARD_SCHEMA} or ${SWEEP_SCHEMA})` }]);
    }
    const checked = mergedDocSchema.safeParse(json);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new UserError([{ file, message: `not a whole sweep output: ${issue.path.map(String).join('.') || 'the document'}: ${issue.message}` }]);
    }
    // The document as written (zod's output has its own key order and drops keys it does not know).
    const doc = json as { spec: SweepSpec; runs: SweepResult['runs']; shard?: ShardOutput['shard']; schema: string };
    if (spec === undefined) {
      spec = doc.spec;
      specFile = file;
    } else if (JSON.stringify(doc.spec) !== JSON.stringify(spec)) {
      const diff = (Object.keys(spec) as (keyof SweepSpec)[]).filter((k) => JSON.stringify(spec![k]) !== JSON.stringify(doc.spec![k]));
      throw new UserError([{ file, message: `belongs to another sweep than ${specFile} (they differ in ${diff.join(', ') || 'their definition'})` }]);
    }
    if (doc.schema === SHARD_SCHEMA && doc.shard) {
      const key = `${doc.shard.index}/${doc.shard.count}`;
      if (shards.has(key)) throw new UserError([{ file, message: `shard ${key} is also in ${shards.get(key)}` }]);
      shards.set(key, file);
    }
    runs.push(...doc.runs);
  }
  return analyze(spec!, runs);
}
