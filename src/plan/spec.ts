/**
 * What a sweep is (the definition every shard and the merge must agree on), its
 * jobs (point × replication, in a fixed order) and their seeds.
 */
import { UserError } from '../errors.js';
import type { Objective, Weight } from './objectives.js';
import { gridSize } from './grid.js';

export const SWEEP_SCHEMA = 'lsim.sweep/1';
export const SHARD_SCHEMA = 'lsim.sweep-shard/1';

export interface SweepSpec {
  scenario: {
    /** As given on the command line (for messages and reports). */
    file: string;
    name: string;
    /** The base seed: replication r of every point runs with `replicationSeed(seed, r)`. */
    seed: string;
    /** sha256 of the scenario text, so shards of different files are never merged. */
    sha256: string;
  };
  /** The dimensions with their expanded values (first axis varies slowest; a shared `axis`: a `--pair`). */
  vary: { key: string; values: string[]; axis?: number }[];
  /** Points whose scenario does not validate: not run, reported with the reason. */
  skipped: { point: number; reason: string }[];
  /** The guard (docs/model.md "Capacity planning"): a point that leaves more work undone than the best by more than `tolerance` (a share of the work offered) is not eligible; null: `--guard off`. */
  guard: { metric: string; tolerance: number } | null;
  replications: number;
  /** Of the t-intervals, e.g. 0.95. */
  confidence: number;
  /** Metric names collected from every run. */
  metrics: string[];
  objectives: Objective[];
  minimise: Weight[];
  /** The latency metric of the cost-vs-latency frontier. */
  latencyMetric: string;
}

/** What one run (point, replication) measured. */
export interface RunRecord {
  point: number;
  replication: number;
  seed: string;
  metrics: Record<string, number | null>;
  /** What the run's monthly figures assume (`monthNote`: "month = 31 days: window × 4,960; free tier applied"). */
  month: string;
  /** Engine events the run processed (deterministic; for speed figures). */
  events: number;
}

/** The output of `lsim sweep --shard i/n`: the definition and the runs of its slice. */
export interface ShardOutput {
  schema: typeof SHARD_SCHEMA;
  spec: SweepSpec;
  shard: { index: number; count: number };
  runs: RunRecord[];
}

/**
 * The seed of replication r: the scenario's own seed for r = 0 (so a sweep with
 * one replication reproduces `lsim run` of each point exactly), `<seed>#r` after.
 * Every point uses the same seeds (common random numbers), so differences between
 * points are differences of configuration, not of luck.
 */
export function replicationSeed(seed: string, r: number): string {
  return r === 0 ? seed : `${seed}#${r}`;
}

export function pointCount(spec: SweepSpec): number {
  return gridSize(spec.vary);
}

/** The jobs of the sweep's points that run (not skipped), of shard i of n: see {@link shardJobs}. */
export function sweepJobs(spec: SweepSpec, shard: { index: number; count: number } | null): number[] {
  const skipped = new Set(spec.skipped.map((s) => s.point));
  return shardJobs(pointCount(spec) * spec.replications, shard).filter((j) => !skipped.has(jobOf(spec, j).point));
}

/** Job j is point ⌊j / R⌋, replication j mod R. */
export function jobOf(spec: SweepSpec, j: number): { point: number; replication: number } {
  return { point: Math.floor(j / spec.replications), replication: j % spec.replications };
}

/**
 * `--shard auto` (or `auto/N`): the shard from the batch system running this process, as `i/n`.
 * Kubernetes Indexed Jobs set JOB_COMPLETION_INDEX (0-based) but not the completions count, which is
 * given as `auto/N`; AWS Batch array jobs set AWS_BATCH_JOB_ARRAY_INDEX (0-based) and
 * AWS_BATCH_JOB_ARRAY_SIZE. Any other `--shard` is returned as it is. @throws UserError
 */
export function resolveShard(arg: string, env: Readonly<Record<string, string | undefined>>): string {
  const m = /^auto(?:\/(\d+))?$/.exec(arg.trim());
  if (!m) return arg;
  const given = m[1] === undefined ? undefined : Number(m[1]);
  const k8s = env.JOB_COMPLETION_INDEX;
  const batch = env.AWS_BATCH_JOB_ARRAY_INDEX;
  const whole = (v: string | undefined, name: string): number => {
    if (v === undefined || !/^\d+$/.test(v.trim())) throw new UserError(`--shard ${arg}: ${name} is ${JSON.stringify(v)}, not a whole number`);
    return Number(v);
  };
  let index: number;
  let count: number | undefined = given;
  if (k8s !== undefined && batch !== undefined) throw new UserError(`--shard ${arg}: both JOB_COMPLETION_INDEX (Kubernetes) and AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch) are set; give --shard i/n`);
  if (k8s !== undefined) {
    index = whole(k8s, 'JOB_COMPLETION_INDEX');
    if (count === undefined) throw new UserError(`--shard ${arg}: a Kubernetes Indexed Job does not pass its completions count; give it as --shard auto/N (N = spec.completions)`);
  } else if (batch !== undefined) {
    index = whole(batch, 'AWS_BATCH_JOB_ARRAY_INDEX');
    const size = whole(env.AWS_BATCH_JOB_ARRAY_SIZE, 'AWS_BATCH_JOB_ARRAY_SIZE');
    if (count !== undefined && count !== size) throw new UserError(`--shard ${arg}: the array job's size is ${size} (AWS_BATCH_JOB_ARRAY_SIZE), not ${count}`);
    count = size;
  } else {
    throw new UserError(
      `--shard ${arg}: no shard index in the environment (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job, or AWS_BATCH_JOB_ARRAY_INDEX of an AWS Batch array job); elsewhere give --shard i/n`,
    );
  }
  if (!(index < count)) throw new UserError(`--shard ${arg}: index ${index} (0-based) is not below the count ${count}`);
  return `${index + 1}/${count}`;
}

/** `2/5` → { index: 2, count: 5 } (1-based index). @throws UserError */
export function parseShard(arg: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(arg.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UserError(`--shard ${arg}: expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`);
  return { index, count };
}

/**
 * The jobs of shard i of n: every n-th job starting at i − 1 (round robin, so
 * each shard gets a mix of cheap and expensive points). Without a shard, all.
 */
export function shardJobs(total: number, shard: { index: number; count: number } | null): number[] {
  const jobs: number[] = [];
  const step = shard ? shard.count : 1;
  for (let j = shard ? shard.index - 1 : 0; j < total; j += step) jobs.push(j);
  return jobs;
}
