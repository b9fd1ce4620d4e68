/**
 * One job of a sweep: load the scenario with the point's overrides and the
 * replication's seed, simulate, keep the metrics. The same function runs in the
 * main thread (serial) and in worker threads, so their results are identical.
 */
import { parseScenario } from '../scenario/load.js';
import { simulate } from '../sim/simulate.js';
import type { Result } from '../sim/result.js';
import type { Scenario } from '../models/index.js';
import { pointOverrides, valuesAt, type Dimension } from './grid.js';
import { runMetrics } from './metrics.js';
import { monthNote } from '../report/format.js';
import { jobOf, replicationSeed, type RunRecord, type SweepSpec } from './spec.js';

/** Everything a worker needs: plain data (structured-clone safe). */
export interface JobContext {
  text: string;
  file: string;
  dims: Dimension[];
  spec: SweepSpec;
  /** `--seed` given to the sweep, replacing the scenario's. */
  seedOverride?: string;
}

/** The scenario of point `point` (validated; throws the loader's UserError). */
export function pointScenario(ctx: JobContext, point: number): Scenario {
  const values = pointValues(ctx.spec, point);
  const scenario = parseScenario(ctx.text, ctx.file, { overrides: pointOverrides(ctx.dims, values) });
  if (ctx.seedOverride !== undefined) scenario.seed = ctx.seedOverride;
  return scenario;
}

/** The value of each dimension at a point (the first axis varies slowest). */
export function pointValues(spec: SweepSpec, point: number): string[] {
  return valuesAt(spec.vary, point);
}

/** The full result of one run (what `lsim run` with the point's overrides and seed would give). */
export function runJobResult(ctx: JobContext, j: number): { point: number; replication: number; seed: string; result: Result } {
  const { point, replication } = jobOf(ctx.spec, j);
  const scenario = pointScenario(ctx, point);
  const seed = replicationSeed(scenario.seed, replication);
  scenario.seed = seed;
  return { point, replication, seed, result: simulate(scenario) };
}

export function runJob(ctx: JobContext, j: number): RunRecord {
  const { point, replication, seed, result } = runJobResult(ctx, j);
  return { point, replication, seed, metrics: runMetrics(result, ctx.spec.metrics), month: monthNote(result.account.cost), events: result.engine.events };
}
