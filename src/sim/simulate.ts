/**
 * simulate(scenario) → Result: wires the engine, the platform model and, for each
 * workload, its invocation model (src/models/) for one run, runs it and collects the result.
 */
import { Simulator } from '../engine/simulator.js';
import { RngStreams } from '../engine/rng.js';
import type { ScenarioBase, WorkloadBase } from '../scenario/types.js';
import { LevelTracker } from '../metrics/timeseries.js';
import { liveEnvironmentBound, Phase, Platform, THROTTLE_REASONS } from '../platform/platform.js';
import { FunctionMeters } from '../platform/meters.js';
import { priceRun, type BilledExtras, type ServiceBill } from './cost.js';
import { PartClock } from '../metrics/parts.js';
import { makeTracer, type TraceEvent } from '../metrics/trace.js';
import { makeRecorder, type RequestRecord } from '../metrics/records.js';
import { ratio, round, percentiles } from '../metrics/summary.js';
import { MODELS, modelOf, type Scenario, type WorkloadResult } from '../models/index.js';
import type { InvocationModel, ModelRun, RunContext, WorkloadOutput } from '../models/model.js';
import { Pipeline } from '../models/pipeline.js';
import { hasOwnArrivals } from '../models/pipeline-graph.js';
import { RESULT_SCHEMA, type FunctionResult, type Result, type ThrottleCounts, type TimeSeries, type CostResult } from './result.js';

export interface SimulateOptions {
  /** Called now and then with the simulated time, for progress displays. */
  onProgress?: (nowMs: number, durationMs: number, events: number) => void;
  /** Called with each step of each request's life (src/metrics/trace.ts); off when unset. May throw StopTrace to end early. */
  trace?: (e: TraceEvent) => void;
  /**
   * Called with one record per request the result counts, in every invocation model, as it ends, and
   * after the run for those still open (src/metrics/records.ts `RequestRecord`); off when unset. Does not
   * change the run.
   */
  onRecord?: (r: RequestRecord) => void;
}

/** Runs one scenario to completion and returns its result. Deterministic for a given scenario and seed. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): Result {
  const run = prepare(scenario, options);
  run.sim.run(scenario.durationMs, { onProgress: progressOf(scenario, options) });
  return run.finish();
}

/**
 * {@link simulate} in slices of `sliceEvents` events, back to the event loop between slices, so that
 * signal handlers, timers and I/O run during a long run (the CLI runs `run` and `compare` so, on the
 * process's main thread: src/cli/process.ts). The same events in the same order as one call, and the
 * same progress calls (Simulator.run), so the same Result.
 */
export async function simulateInSlices(scenario: Scenario, options: SimulateOptions = {}, sliceEvents = 1 << 18): Promise<Result> {
  const run = prepare(scenario, options);
  const onProgress = progressOf(scenario, options);
  while (!run.sim.run(scenario.durationMs, { onProgress, maxEvents: sliceEvents })) await new Promise<void>((next) => setImmediate(next));
  return run.finish();
}

const progressOf = (scenario: Scenario, options: SimulateOptions) =>
  options.onProgress ? (now: number, events: number) => options.onProgress!(now, scenario.durationMs, events) : undefined;

/** One run wired and ready: `sim` runs its events to the scenario's end, then `finish` collects its result. */
interface PreparedRun {
  sim: Simulator;
  finish(): Result;
}

function prepare(scenario: Scenario, options: SimulateOptions): PreparedRun {
  const { durationMs, warmupMs } = scenario;
  const intervalMs = scenario.report.intervalMs;
  // The queue is made for about one pending event per environment the scenario can have (completions), at most 1 M.
  const sim = new Simulator(durationMs, Math.min(liveEnvironmentBound(scenario), 1 << 20));
  const rng = new RngStreams(scenario.seed);
  // With one function the account's concurrency is the function's: track it once.
  const accountTracker = scenario.functions.length > 1 ? new LevelTracker(intervalMs, durationMs, warmupMs) : null;
  const fnMeters = new Map<string, FunctionMeters>();
  // The parts of the billing month: billable usage is kept per part (docs/billing.md "The month").
  const parts = new PartClock(scenario.billing.month.parts, warmupMs, durationMs);
  // Usage that models measure for their function, per part (RunContext.bill).
  const extras: BilledExtras[] = scenario.functions.map(() => ({ asyncExtraChunks: new Float64Array(parts.count), sqsEpuMs: new Float64Array(parts.count) }));
  // Other services' quantities that models bill (RunContext.billService), per part.
  const services: ServiceBill[] = [];
  const platform = new Platform(
    sim,
    scenario,
    rng,
    (f) => {
      const m = new FunctionMeters(intervalMs, durationMs, warmupMs, parts);
      fnMeters.set(f.name, m);
      return m;
    },
    accountTracker,
  );
  const tracer = options.trace ? makeTracer(options.trace) : null;
  const recorder = options.onRecord ? makeRecorder(options.onRecord) : null;
  platform.trace = tracer;
  // Issue 16: functions that send to other workloads or call other functions make pipelines (src/models/pipeline.ts).
  const pipeline = scenario.functions.some((f) => f.pipeline && f.pipeline.outputs.length + f.pipeline.calls.length > 0) ? makePipeline(scenario, sim, platform, rng) : null;
  if (pipeline !== null) pipeline.trace = tracer;
  const ctx: RunContext = {
    sim,
    platform,
    rng,
    scenario,
    parts,
    trace: tracer,
    records: recorder,
    pipeline,
    functionIndex: (name) => scenario.functions.findIndex((f) => f.name === name),
    bill: (fnIndex, item, byPart) => {
      const into = extras[fnIndex][item];
      for (let p = 0; p < into.length; p++) into[p] += byPart[p];
    },
    billService: (workload, item, byPart) => {
      services.push({ workload, item, byPart: Float64Array.from({ length: parts.count }, (_, p) => byPart[p] ?? 0) });
    },
  };
  // Each workload is wired by its invocation model (src/models/index.ts), in scenario order; a
  // model's runtime starts at its first workload.
  const runs = new Map<InvocationModel, ModelRun<WorkloadBase>>();
  const outputs: (() => WorkloadOutput)[] = [];
  scenario.workloads.forEach((w, i) => {
    const model = modelOf(w.invoke);
    let run = runs.get(model);
    if (!run) runs.set(model, (run = model.start(ctx)));
    outputs.push(run.add(w, ctx.functionIndex(w.functionName)));
    const accept = pipeline !== null ? run.target?.(w) : undefined;
    if (accept) pipeline!.connect(i, accept);
  });

  // Interval ticks: bring idle reclaim up to date and sample environment counts.
  const tick = sim.register(() => {
    platform.sweep(sim.now);
    const next = sim.now + intervalMs;
    if (next < durationMs) sim.schedule(next, Phase.SAMPLE, tick, 0);
  }, 'interval-tick');
  if (intervalMs < durationMs) sim.schedule(intervalMs, Phase.SAMPLE, tick, 0);

  return { sim, finish: collect };

  function collect(): Result {
    platform.finish(durationMs);
    // Requests still open: the models that keep requests record them now, in registry order (the
    // batch models when their outputs are built).
    if (recorder !== null) for (const m of MODELS) runs.get(m)?.recordOpen?.();
    accountTracker?.finish(durationMs);
    for (const m of fnMeters.values()) m.concurrency.finish(durationMs);
    const accountConcurrency = accountTracker ?? fnMeters.get(scenario.functions[0].name)!.concurrency;

    const built = outputs.map((f) => f());
    const cost = priceRun(
      scenario,
      scenario.functions.map((f) => fnMeters.get(f.name)!),
      extras,
      services,
    );
    const functions = scenario.functions.map((f, i) => functionResult(f.name, scenario, fnMeters.get(f.name)!, platform, i, cost.functions[i]));
    const workloads = built.map((b) => b.result as WorkloadResult); // each model builds its own result type
    const workloadSeries: TimeSeries['workloads'] = {};
    built.forEach((b) => (workloadSeries[b.result.name] = b.series));
    const piped = pipeline?.results(durationMs, (fn) => fnMeters.get(scenario.functions[fn].name)!.throttleSeries.values);
    const acctThrottles = sumThrottles(functions.map((f) => f.throttles));
    const s = scenario.account.scaling;
    return {
      schema: RESULT_SCHEMA,
      scenario: {
        name: scenario.name,
        description: scenario.description,
        seed: scenario.seed,
        durationMs,
        warmupMs,
        scaling: s.model,
        concurrencyLimit: scenario.account.concurrencyLimit,
        unreservedConcurrency: platform.sharedCapacity,
        billingGranularityMs: scenario.billing.granularityMs,
        initBilling: scenario.billing.initBilling,
      },
      account: {
        invocations: functions.reduce((a, f) => a + f.invocations, 0),
        throttles: acctThrottles,
        concurrency: { max: accountConcurrency.max, mean: round(accountConcurrency.mean, 3) },
        cost: cost.account,
      },
      functions,
      workloads,
      ...(piped ? { pipelines: piped.results } : {}),
      timeSeries: { ...timeSeries(scenario, fnMeters, workloadSeries, accountConcurrency), ...(piped ? { pipelines: piped.series } : {}) },
      engine: { events: sim.events },
    };
  }
}

/** The pipeline runtime of a scenario whose functions send or call: what each workload's model takes, and which workloads have arrivals of their own. */
function makePipeline(scenario: Scenario, sim: Simulator, platform: Platform, rng: RngStreams): Pipeline {
  const info = scenario.workloads.map((w) => {
    const t = modelOf(w.invoke).target;
    return t ? { noun: t.noun, lineage: t.lineage(w), dlq: t.dlq(w) } : null;
  });
  return new Pipeline(sim, platform, rng, scenario, info, scenario.workloads.map(hasOwnArrivals));
}

function throttleCounts(byReason: readonly number[]): ThrottleCounts {
  const c = { total: 0 } as ThrottleCounts;
  for (let r = 1; r < THROTTLE_REASONS.length; r++) {
    c[THROTTLE_REASONS[r] as Exclude<keyof ThrottleCounts, 'total'>] = byReason[r];
    c.total += byReason[r];
  }
  return c;
}

function sumThrottles(list: ThrottleCounts[]): ThrottleCounts {
  const sum = throttleCounts([0, 0, 0, 0, 0, 0]);
  for (const t of list) for (const k of Object.keys(sum) as (keyof ThrottleCounts)[]) sum[k] += t[k];
  return sum;
}

function functionResult(
  name: string,
  scenario: ScenarioBase,
  m: FunctionMeters,
  platform: Platform,
  index: number,
  cost: CostResult,
): FunctionResult {
  const f = scenario.functions[index];
  const gb = f.memoryMb / 1024;
  const throttles = throttleCounts(m.throttles);
  const envs = m.meanEnvironments();
  const u = m.totalUsage();
  return {
    name,
    memoryMb: f.memoryMb,
    architecture: f.architecture,
    arm64Speed: f.cpu.arm64Speed,
    arm64SpeedAssumed: f.cpu.arm64SpeedAssumed,
    ...(f.extensions.mode !== 'none' ? { extensions: { mode: f.extensions.mode, shutdownMs: f.extensions.shutdownMs, shutdownAssumed: f.extensions.shutdownAssumed } } : {}),
    timeoutMs: f.timeoutMs,
    reservedConcurrency: f.reservedConcurrency,
    provisionedConcurrency: f.provisionedConcurrency,
    keepAlive: f.keepAlivePreset,
    attempts: m.attempts,
    invocations: m.invocations,
    throttles,
    throttleRate: ratio(throttles.total, m.attempts),
    errors: m.errors,
    timeouts: m.timeouts,
    coldStarts: m.coldStarts,
    coldStartRate: ratio(m.coldStarts, m.invocations),
    initOverruns: m.initOverruns,
    snapStartTimeouts: m.snapStartTimeouts,
    provisionedInvocations: m.provisionedInvocations,
    spilloverInvocations: m.spilloverInvocations,
    durationMs: percentiles(m.handlerMs),
    initMs: percentiles(m.initMs),
    initRerunMs: percentiles(m.initRerunMs),
    concurrency: { max: m.concurrency.max, mean: round(m.concurrency.mean, 3) },
    environments: {
      created: m.environmentsCreated,
      reclaimed: m.environmentsReclaimed,
      retired: m.environmentsRetired,
      shutdowns: m.shutdowns,
      proactiveInits: m.proactiveInits,
      provisionedReinits: m.provisionedReinits,
      pcInitFailures: m.pcInitFailures,
      maxOnDemand: m.maxOnDemandAlive,
      onDemandAtEnd: platform.functions[index].onDemandAlive,
      provisioned: m.provisionedAlive,
      mean: { alive: round(envs.alive, 3), busy: round(m.concurrency.mean, 3), idle: round(envs.alive - m.concurrency.mean, 3), provisioned: round(envs.provisioned, 3) },
    },
    billing: {
      billedDurationMs: round(u.onDemandBilledMs + u.provisionedBilledMs, 3),
      actualDurationMs: round(u.onDemandActualMs + u.provisionedActualMs, 3),
      gbSeconds: round((u.onDemandBilledMs / 1000) * gb, 3),
      provisionedGbSeconds: round((u.provisionedBilledMs / 1000) * gb, 3),
      ...(f.responseStreaming
        ? { streamedGb: round(m.streamedBytes / 2 ** 30, 6), streamedChargeableGb: round(u.streamedChargeableBytes / 2 ** 30, 6) }
        : {}),
      ...(f.snapStart ? { snapStartRestores: u.snapStartRestores } : {}),
    },
    cost,
    ...(m.provisioned && f.provisionedPlan ? { provisionedPlan: provisionedPlanResult(f.provisionedPlan, m, scenario) } : {}),
  };
}

/** The summary of a provisioned concurrency plan (src/scenario/provisioned.ts). */
function provisionedPlanResult(
  plan: NonNullable<ScenarioBase['functions'][number]['provisionedPlan']>,
  m: FunctionMeters,
  scenario: ScenarioBase,
): NonNullable<FunctionResult['provisionedPlan']> {
  const p = m.provisioned!;
  return {
    kind: plan.kind,
    initial: plan.initial,
    maxConfigured: p.maxConfigured,
    environmentHours: round(p.configured.total / 3_600_000, 6),
    meanConfigured: round(p.configured.total / (scenario.durationMs - scenario.warmupMs), 3),
    changes: p.changes,
    scaleOuts: p.scaleOuts,
    scaleIns: p.scaleIns,
  };
}

function timeSeries(
  scenario: ScenarioBase,
  fnMeters: Map<string, FunctionMeters>,
  workloads: TimeSeries['workloads'],
  account: LevelTracker,
): TimeSeries {
  const { intervalMs } = scenario.report;
  const n = Math.ceil(scenario.durationMs / intervalMs);
  const idx = Array.from({ length: n }, (_, i) => i);
  const means = (t: LevelTracker) => idx.map((i) => round(t.bucketMean(i), 3));
  const maxes = (t: LevelTracker) => idx.map((i) => t.bucketMax(i));
  const list = (a: ArrayLike<number>) => Array.from(a);
  const functions: TimeSeries['functions'] = {};
  for (const [name, m] of fnMeters) {
    functions[name] = {
      invocations: list(m.invocationSeries.values),
      throttles: list(m.throttleSeries.values),
      coldStarts: list(m.coldStartSeries.values),
      errors: list(m.errorSeries.values),
      concurrencyMean: means(m.concurrency),
      concurrencyMax: maxes(m.concurrency),
      environments: list(m.environmentSeries),
      scalingAllowance: list(m.scalingAllowanceSeries),
      ...(m.provisioned ? { provisioned: list(m.provisioned.series) } : {}),
    };
  }
  return {
    intervalMs,
    startMs: idx.map((i) => i * intervalMs),
    account: { concurrencyMean: means(account), concurrencyMax: maxes(account) },
    functions,
    workloads,
  };
}
