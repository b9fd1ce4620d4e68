/**
 * The Lambda platform model: account and function concurrency, the scaling-rate
 * rules, and execution environments (cold and warm starts, reuse, idle reclaim,
 * lifetime, provisioned concurrency). Invokers (sync today; async and event
 * source mappings later) ask it to start an invocation; it either throttles
 * (and says why) or starts one and calls the invoker back when it completes.
 *
 * Rules followed (docs/sources.md):
 * - §1 Concurrency = in-flight requests, one environment each. The account quota
 *   is shared by every function without reserved concurrency; a function with
 *   reserved concurrency R never runs more than R at once and its R are taken out
 *   of the shared pool. Provisioned concurrency (PC) counts inside R, or, for a
 *   function without R, is taken out of the shared pool like a reservation.
 * - §1 Requests per second are capped at requestRateFactor × the account quota, and
 *   per function at 10 × its reserved concurrency and 10 × its allocated PC
 *   (ReservedFunctionInvocationRateLimitExceeded; `functionRequestRateFactor`).
 * - §1/§9 Scaling rate: creating a new environment spends a token from the
 *   function's bucket (per-function-2023: 1,000 per 10 s, refilled continuously)
 *   or from the account's (regional-burst-legacy: burst, then +500/min).
 *   Reusing an idle environment needs no token: the rule limits "how quickly
 *   Lambda can create new execution environments" [DG:scaling-behavior].
 * - §2 One request per environment. A cold start runs init first (on-demand init
 *   is limited to 10 s; an overrun re-runs init inside the invoke phase under the
 *   function timeout). A timeout resets the environment: its next invocation
 *   re-runs init. Idle environments are reclaimed after their keep-alive.
 * - §2 Lambda retires environments "every few hours", even busy ones: each
 *   on-demand environment draws its lifetime when created and is retired when
 *   it reaches it (at once when idle, when its invocation ends when busy). One
 *   used within `proactiveReplacement` is replaced by an environment Lambda
 *   initialized in the background (proactive initialization: no request waits
 *   for it); it spends a scaling token, and its init is billed with on-demand
 *   INIT (billed-2025).
 * - §1 PC environments are initialized before the run, never reclaimed for
 *   idleness, and serve first; when all are busy requests spill over to on-demand.
 *   Lambda re-initializes each "every few hours" (`provisionedRecycle`, in the
 *   background: capacity is unchanged), and every PC init is billed (§7), on
 *   provisioned environments: those of allocations during the run and of recycles.
 * - §2 SnapStart: a cold start resumes the snapshot (free) and runs the
 *   after-restore hooks (billed) instead of init; each is a restore.
 * - §1/§9 PC plans (schedule, target-tracking auto scaling) change the configured
 *   PC over time: an increase is usable after an allocation delay, all at once; a
 *   decrease removes idle PC environments at once and busy ones as they finish.
 *   Auto scaling reads ProvisionedConcurrencyUtilization (mean PC in use / PC
 *   allocated) once a period: N datapoints above target scale out, M below
 *   ratio × target scale in, to ⌈mean in use / target⌉ within [min, max].
 * - §7 Billed duration is rounded up per invocation to the granularity; init is
 *   billed on on-demand cold starts under the 2025 rule; timeouts bill to the timeout.
 *   PC is billed from configuring to unconfiguring, each enable period that ends
 *   in the measured window rounded up to 5 minutes (the units added last go first).
 * - Billable usage is kept per part of the billing month (src/metrics/parts.ts).
 * - §7 Memory buys CPU: handler durations scale with the function's `cpu` share (cpu.ts).
 * - Issue 16: a function that calls other functions synchronously holds its environment (busy, and
 *   billed) after its own work until the calls return (`Holder`, src/models/pipeline.ts; `release`), or
 *   until its timeout: the invocation's duration, bill and outcome include the wait.
 *
 * Same-instant order: completions run before arrivals (phase COMPLETE < ARRIVAL),
 * so an environment freed at t serves a request arriving at t.
 */
import type { Simulator } from '../engine/simulator.js';
import type { RngStreams, Rng } from '../engine/rng.js';
import type { FunctionSpec, ProvisionedPlan, ScenarioBase as Scenario } from '../scenario/types.js';
import { makeSampler, type Sampler } from '../workload/distributions.js';
import { billedDurationMs, pcBilledSeconds } from '../billing/rules.js';
import { EnvironmentTable, ExpiryHeap, IdleList, FLAG_IDLE, FLAG_NEEDS_INIT, FLAG_PROVISIONED, FLAG_RETIRING, FLAG_SHARED_LATENCY } from './environments.js';
import { LogHistogram } from '../metrics/histogram.js';
import { LEGACY_PC_ALLOCATION_PER_MIN, legacyBurstForRegion, pcInitLimitMs } from '../scenario/presets.js';
import { AllocationBudget, BurstBucket, ContinuousBucket, StepwiseBucket, type Bucket } from './token-bucket.js';
import { FunctionMeters, type PartUsage } from './meters.js';
import { PartLevel } from '../metrics/parts.js';
import { durationScale } from './cpu.js';
import type { LevelTracker } from '../metrics/timeseries.js';
import type { Tracer } from '../metrics/trace.js';
import { HeldInvocations } from './holds.js';

/** Event phases: the documented order of events at the same instant. */
export const Phase = {
  /** Invocation completions: free environments first. */
  COMPLETE: 0,
  /** Arrivals of requests, new and retried. */
  ARRIVAL: 1,
  /** Metric samples, after everything else at that instant. */
  SAMPLE: 2,
} as const;

/** Why a request was throttled (429). 0 means not throttled. */
export const Throttle = {
  NONE: 0,
  /** Account requests-per-second quota (10 × concurrency). */
  REQUEST_RATE: 1,
  /** ConcurrentInvocationLimitExceeded: the shared (unreserved) pool is full. */
  ACCOUNT: 2,
  /** ReservedFunctionConcurrentInvocationLimitExceeded: the function is at its reserved concurrency. */
  RESERVED: 3,
  /** No scaling allowance left to create an environment. */
  SCALING: 4,
  /**
   * ReservedFunctionInvocationRateLimitExceeded: the function's own requests-per-second cap
   * (10 × reserved concurrency, and 10 × allocated PC for a function with PC; docs/sources.md §1).
   */
  FUNCTION_RATE: 5,
} as const;
export const THROTTLE_REASONS = ['none', 'request-rate', 'account-concurrency', 'reserved-concurrency', 'scaling-rate', 'function-request-rate'] as const;

/** Flags for `Platform.invoke`. */
export const InvokeFlags = {
  NONE: 0,
  /** Lambda's own async poller (reading AWS-sourced async events): not subject to the account request-rate quota. */
  INTERNAL: 1,
  /** The invoker has decided the handler fails (e.g. a batch with a poison message). */
  FAIL: 2,
  /** `extraHandlerMs` is the whole handler duration (e.g. taken from a trace): no duration is drawn. */
  HANDLER_MS: 4,
  /** The invoker has decided the handler succeeds (e.g. a trace row without an error): no error is drawn. */
  SUCCEED: 8,
} as const;

/** How an invocation ended. */
export const Status = { OK: 0, ERROR: 1, TIMEOUT: 2 } as const;
export const STATUS_NAMES = ['ok', 'error', 'timeout'] as const;

const MB = 2 ** 20;

/** On-demand init is limited to 10 s (docs/sources.md §2). */
export const ON_DEMAND_INIT_LIMIT_MS = 10_000;

/** SnapStart's after-restore hooks are limited to 10 s: past it the invoke fails with `SnapStartTimeoutException` (docs/sources.md §2 "SnapStart"). */
export const SNAPSTART_HOOK_LIMIT_MS = 10_000;

/** The environment table is made at most this large before the run (1 M records, ~38 MB of address space, committed as used). */
const PRESIZE_CAP = 1 << 20;

/**
 * The most environments a scenario can have alive at once: a function creates an on-demand environment
 * only when all of its others are busy, so it never has more than its concurrency allows (its reserved
 * concurrency, else the account's limit), plus the most provisioned concurrency it configures.
 */
export function liveEnvironmentBound(scenario: Scenario): number {
  let n = 0;
  for (const f of scenario.functions) {
    n += (f.reservedConcurrency ?? scenario.account.concurrencyLimit) + (f.provisionedPlan ? f.provisionedPlan.max : f.provisionedConcurrency);
  }
  return n;
}

/** Receives the completion of invocations it started. */
export interface Invoker {
  /** Called at the completion instant; the platform's `last*` fields describe the invocation. */
  onComplete(token: number): void;
  /** For tracing: the request id behind `token` (src/metrics/trace.ts). */
  traceRequest?(token: number): number;
  /** Issue 16: the pipeline item behind `token` (a batch's first), for the calls its function makes; absent or −1 when none. */
  itemOf?(token: number): number;
}

/**
 * Issue 21: one histogram for a caller's warm invocations that is both their handler durations and their
 * requests' end-to-end latencies (`Platform.shareLatency`): one record per invocation instead of two.
 */
interface LatencyShare {
  readonly ms: LogHistogram;
  readonly fn: number;
  /** The caller's end-to-end latency histogram, which `finish` adds `ms` to (and to the function's handler durations). */
  readonly into: LogHistogram;
  /** Only invocations this short: a longer one outlasts its client's timeout and is not answered as it ran. */
  readonly withinMs: number;
}

/**
 * Issue 16: who makes a function's synchronous calls while its invocation waits (src/models/pipeline.ts).
 * The invocation ends when the holder calls `Platform.release`, or at the function's timeout.
 */
export interface Holder {
  /** The invocation on `env` of function `fnIndex` finished its own work at tMs and now makes its calls, for pipeline item `item`. */
  hold(env: number, fnIndex: number, item: number, tMs: number): void;
  /** Its timeout ended the wait: the holder forgets the calls still out (their answers come to nobody). */
  abandon(env: number): void;
}

/** Per-function runtime state. */
class FunctionState {
  busy = 0;
  busyProvisioned = 0;
  /** On-demand environments alive (busy or idle). */
  onDemandAlive = 0;
  readonly idle: IdleList;
  readonly pcIdle: IdleList;
  /** Only for keep-alive distributions: individual expiry times. */
  readonly expiries: ExpiryHeap | null;
  readonly fixedKeepAliveMs: number;
  readonly keepAlive: Sampler | null;
  readonly duration: Sampler;
  readonly init: Sampler;
  /** The longest a provisioned environment's init may run: 130 s or the timeout, whichever is larger (§2). */
  readonly pcInitLimitMs: number;
  readonly rngDuration: Rng;
  readonly rngInit: Rng;
  readonly rngErrors: Rng;
  readonly rngKeepAlive: Rng;
  /** Lifetimes of on-demand environments; null = they are never retired. */
  readonly lifetime: Sampler | null;
  readonly rngLifetime: Rng;
  /** Init durations of proactive replacements. */
  readonly rngProactiveInit: Rng;
  /** SnapStart: the snapshot restore (free) and the after-restore hooks (billed); null without SnapStart. */
  readonly snapRestore: Sampler | null;
  readonly snapHooks: Sampler | null;
  /** Draws the init of provisioned environments allocated during the run or recycled, and the phase of the first recycle. */
  readonly rngPcInit: Rng;
  /** A provisioned environment is re-initialized this often; null = never. */
  readonly recycleMs: number | null;
  /** An environment used within this long of its lifetime end is replaced in the background; null = never. */
  readonly replaceWithinMs: number | null;
  /** Hot-path copies of the spec: reserved concurrency (null = shared pool), MRU reuse, any errors at all. */
  readonly reserved: number | null;
  readonly mru: boolean;
  readonly mayFail: boolean;
  /** Issue 16: the function calls other functions and waits for them (Platform.release ends its invocations). */
  readonly holds: boolean;
  /** Streamed response sizes (MB), each equally likely; null when responses are not streamed. */
  readonly responseSizesMb: number[] | null;
  readonly rngResponseSize: Rng | null;
  readonly memoryGb: number;
  /** Handler durations are drawn at the memory they were measured at and scaled to this function's (cpu.ts). */
  readonly durationScale: number;
  scaling: Bucket;
  /** The function's requests-per-second cap (Throttle.FUNCTION_RATE); null when it has none. */
  rate: ContinuousBucket | null = null;
  /** Provisioned concurrency plan (schedule or auto scaling); null for static PC. */
  readonly plan: ProvisionedPlan | null;
  /** PC environments allocated (busy or idle). */
  pcAlive = 0;
  /** PC configured now (what is billed and set aside). */
  pcConfigured = 0;
  /** PC being allocated, usable together at pcReadyAt; the first pcInitialized of them have run their init. */
  pcPending = 0;
  pcInitialized = 0;
  pcReadyAt = Infinity;
  /** Busy PC environments to remove when they finish (after a decrease). */
  pcRetire = 0;
  /**
   * Open enable periods of PC units, oldest first: when each began (−Infinity before the measured
   * window) and how many units; a decrease ends the newest first (for the 5-minute rounding).
   */
  readonly pcPeriodStart: number[] = [];
  readonly pcPeriodUnits: number[] = [];
  /** ∫ busyProvisioned dt since the last utilization datapoint, and since when it is accrued. */
  pcBusyIntegral = 0;
  pcBusyFrom = 0;
  /** Consecutive utilization datapoints above target / below the scale-in threshold. */
  pcAbove = 0;
  pcBelow = 0;

  constructor(
    readonly spec: FunctionSpec,
    readonly index: number,
    envs: EnvironmentTable,
    rng: RngStreams,
    sharedScaling: Bucket | null,
    scenario: Scenario,
    readonly meters: FunctionMeters,
  ) {
    this.idle = new IdleList(envs);
    this.pcIdle = new IdleList(envs);
    const ka = spec.keepAlive;
    this.fixedKeepAliveMs = ka.kind === 'fixed' ? ka.ms : NaN;
    this.keepAlive = ka.kind === 'distribution' ? makeSampler(ka.dist) : null;
    this.expiries = this.keepAlive ? new ExpiryHeap() : null;
    this.duration = makeSampler(spec.duration);
    this.init = makeSampler(spec.init);
    this.pcInitLimitMs = pcInitLimitMs(spec.timeoutMs);
    const prefix = `fn/${spec.name}/`;
    this.rngDuration = rng.stream(prefix + 'duration');
    this.rngInit = rng.stream(prefix + 'init');
    this.rngErrors = rng.stream(prefix + 'errors');
    this.rngKeepAlive = rng.stream(prefix + 'keep-alive');
    this.lifetime = spec.maxLifetime ? makeSampler(spec.maxLifetime) : null;
    this.rngLifetime = rng.stream(prefix + 'lifetime');
    this.rngProactiveInit = rng.stream(prefix + 'proactive-init');
    this.snapRestore = spec.snapStart ? makeSampler(spec.snapStart.restore) : null;
    this.snapHooks = spec.snapStart ? makeSampler(spec.snapStart.hooks) : null;
    this.rngPcInit = rng.stream(prefix + 'pc-init');
    this.recycleMs = spec.provisionedRecycleMs;
    this.replaceWithinMs = spec.proactiveReplacementMs;
    this.reserved = spec.reservedConcurrency;
    this.mru = spec.reuse === 'mru';
    this.mayFail = spec.errors.rate > 0 || spec.errors.windows.some((w) => w.rate > 0);
    this.holds = (spec.pipeline?.calls.length ?? 0) > 0;
    this.responseSizesMb = spec.responseStreaming?.sizesMb ?? null;
    this.rngResponseSize = this.responseSizesMb && this.responseSizesMb.length > 1 ? rng.stream(prefix + 'response-size') : null;
    this.memoryGb = spec.memoryMb / 1024;
    this.durationScale = durationScale(spec.cpu, spec.memoryMb, spec.architecture);
    this.plan = spec.provisionedPlan ?? null;
    const s = scenario.account.scaling;
    this.scaling =
      sharedScaling ??
      (s.model === 'per-function-2023'
        ? s.refill === 'continuous'
          ? new ContinuousBucket(s.stepEnvs, s.windowMs)
          : new StepwiseBucket(s.stepEnvs, s.windowMs)
        : new BurstBucket(s.burstEnvs, s.ratePerMin));
  }

  errorRateAt(tMs: number): number {
    const e = this.spec.errors;
    for (const w of e.windows) if (tMs >= w.startMs && tMs < w.endMs) return w.rate;
    return e.rate;
  }
}

export class Platform {
  readonly envs: EnvironmentTable;
  readonly functions: FunctionState[];
  private readonly invokers: Invoker[] = [];
  /** Per invoker, its shared latency histogram (`shareLatency`), or null. */
  private readonly shares: (LatencyShare | null)[] = [];
  private readonly completeKind: number;
  private readonly lifetimeKind: number;
  /** Recycling of provisioned environments (registered only when a function has PC and recycling). */
  private recycleKind = -1;
  /** What `coldInit` drew: the billed part of the init (all of it, or SnapStart's hooks). */
  private initBilledPartMs = 0;
  /** What `coldInit` drew: a SnapStart restore whose after-restore hooks ran past their limit. */
  private restoreTimedOut = false;
  private readonly requestRate: Bucket;
  /** The Region's PC allocation budget under `account.pcAllocation: legacy-burst-500`; null under the current rule. */
  private readonly pcBudget: AllocationBudget | null;
  /** Concurrency of the shared pool: on-demand in-flight of functions without reserved concurrency. */
  private sharedBusy = 0;
  /** Capacity of the shared pool: quota − reserved − PC of unreserved functions (PC plans change it over time). */
  sharedCapacity: number;
  /** Event kinds of PC plans (registered only when a function has one). */
  private pcReadyKind = -1;
  private totalBusy = 0;
  private readonly granularityMs: number;
  /** Per-function requests/s per unit of reserved or provisioned concurrency (10); null = no per-function cap. */
  private readonly functionRateFactor: number | null;
  private readonly initBilled: boolean;
  private readonly streamingFreeBytes: number;
  /** Account-wide concurrency; null when the scenario has one function (whose own tracker says it all). */
  private readonly accountConcurrency: LevelTracker | null;

  /** Filled by `invoke` when it starts an invocation, and again before `onComplete`. */
  lastLatencyMs = 0;
  lastStatus = 0;
  /** Set before `onComplete`: when the completing invocation started (its invoker need not remember it). */
  lastStartMs = 0;
  /** Set before `onComplete`: the completing invocation's latency was recorded in its caller's shared histogram. */
  lastShared = false;
  /** The environment of the invocation `invoke` last started. */
  private lastEnv = -1;
  /** Billed duration of the invocation `invoke` started (ms, rounded to the granularity); 0 before the warm-up ends. */
  lastBilledMs = 0;
  /** Set only when tracing (lsim explain): emits `start` and `complete` (src/metrics/trace.ts). */
  trace: Tracer | null = null;
  /** Issue 16: makes the calls of functions that call (set by the pipeline when one does). */
  holder: Holder | null = null;
  /** Invocations waiting for their calls, and the events that begin and time out the wait (only when a function calls). */
  private readonly held: HeldInvocations | null = null;
  private holdKind = -1;
  private deadlineKind = -1;

  constructor(
    private readonly sim: Simulator,
    readonly scenario: Scenario,
    rng: RngStreams,
    makeMeters: (spec: FunctionSpec) => FunctionMeters,
    accountConcurrency: LevelTracker | null,
  ) {
    const acct = scenario.account;
    const recycles = scenario.functions.some((f) => f.provisionedRecycleMs !== null && (f.provisionedConcurrency > 0 || f.provisionedPlan));
    this.envs = new EnvironmentTable(recycles, scenario.functions.some((f) => f.keepAlive.kind === 'distribution'), Math.min(liveEnvironmentBound(scenario), PRESIZE_CAP));
    const shared = acct.scaling.model === 'regional-burst-legacy' ? new BurstBucket(acct.scaling.burstEnvs, acct.scaling.ratePerMin) : null;
    this.pcBudget = acct.pcAllocation === 'legacy-burst-500' ? new AllocationBudget(legacyBurstForRegion(acct.region), LEGACY_PC_ALLOCATION_PER_MIN) : null;
    this.functions = scenario.functions.map((f, i) => new FunctionState(f, i, this.envs, rng, shared, scenario, makeMeters(f)));
    let reserved = 0;
    for (const f of scenario.functions) reserved += f.reservedConcurrency ?? (f.provisionedPlan ? f.provisionedPlan.initial : f.provisionedConcurrency);
    this.sharedCapacity = acct.concurrencyLimit - reserved;
    this.functionRateFactor = acct.functionRequestRateFactor;
    for (const fs of this.functions) this.updateRateCap(fs, 0, fs.plan ? fs.plan.initial : fs.spec.provisionedConcurrency);
    const rps = acct.requestRateFactor * acct.concurrencyLimit;
    this.requestRate = new ContinuousBucket(rps, 1000);
    this.granularityMs = scenario.billing.granularityMs;
    this.initBilled = scenario.billing.initBilling === 'billed-2025';
    this.streamingFreeBytes = scenario.billing.priceBook.streaming.freeMbPerRequest * MB;
    this.completeKind = sim.register((env) => this.complete(env), 'complete');
    this.lifetimeKind = sim.register((env) => this.lifetimeEnd(env), 'lifetime-end');
    this.accountConcurrency = accountConcurrency;
    if (recycles) {
      this.recycleKind = sim.register((env) => this.recycle(env), 'pc/recycle');
    }
    for (const fs of this.functions) {
      const initial = fs.plan ? fs.plan.initial : fs.spec.provisionedConcurrency;
      for (let i = 0; i < initial; i++) {
        const id = this.createEnv(fs, 0, FLAG_PROVISIONED | FLAG_IDLE);
        this.envs.sinceMs[id] = 0;
        fs.pcIdle.pushHead(id);
        // Allocated before the run, so at any phase of their recycling.
        if (fs.recycleMs !== null) this.scheduleRecycle(id, fs.rngPcInit.next() * fs.recycleMs);
      }
      fs.pcAlive = initial;
      fs.meters.provisionedAlive = initial;
      // Enabled before the measured window: those periods are not rounded where they end.
      if (initial > 0) this.openPcPeriod(fs, -Infinity, initial);
    }
    if (this.functions.some((fs) => fs.plan)) this.setupPlans();
    if (this.functions.some((fs) => fs.holds)) {
      this.held = new HeldInvocations();
      this.holdKind = sim.register((env) => this.beginHold(env), 'call/hold');
      this.deadlineKind = sim.register((env) => this.holdDeadline(env), 'call/deadline');
    }
  }

  /** Schedules the configuration changes and utilization datapoints of PC plans. */
  private setupPlans(): void {
    const sim = this.sim;
    const { durationMs } = this.scenario;
    const changes: { fs: FunctionState; value: number }[] = [];
    const changeKind = sim.register((i) => {
      const c = changes[i];
      this.configure(c.fs, c.value, sim.now);
    }, 'pc/schedule');
    this.pcReadyKind = sim.register((fn) => this.pcReady(this.functions[fn]), 'pc/ready');
    const datapointKind = sim.register((fn) => {
      const fs = this.functions[fn];
      this.pcDatapoint(fs, sim.now);
      const next = sim.now + fs.plan!.autoscaling!.periodMs;
      if (next < durationMs) sim.schedule(next, Phase.SAMPLE, datapointKind, fn);
    }, 'pc/datapoint');
    for (const fs of this.functions) {
      const plan = fs.plan;
      if (!plan) continue;
      const n = Math.ceil(durationMs / fs.meters.intervalMs);
      fs.pcConfigured = plan.initial;
      const configured = new PartLevel(fs.meters.parts);
      configured.set(0, plan.initial);
      fs.meters.provisioned = { configured, scaleOuts: 0, scaleIns: 0, changes: 0, maxConfigured: plan.initial, series: new Float64Array(n) };
      for (const e of plan.schedule) {
        if (e.atMs >= durationMs) continue;
        changes.push({ fs, value: e.value });
        sim.schedule(e.atMs, Phase.COMPLETE, changeKind, changes.length - 1);
      }
      if (plan.autoscaling && plan.autoscaling.periodMs < durationMs) sim.schedule(plan.autoscaling.periodMs, Phase.SAMPLE, datapointKind, fs.index);
    }
  }

  /** `units` PC units enabled at tMs (−Infinity: before the measured window). */
  private openPcPeriod(fs: FunctionState, tMs: number, units: number): void {
    fs.pcPeriodStart.push(tMs < fs.meters.fromMs ? -Infinity : tMs);
    fs.pcPeriodUnits.push(units);
  }

  /**
   * `units` PC units disabled at tMs, the newest first (docs/sources.md §7: PC is billed from enabling
   * to disabling, rounded up to 5 minutes): a period that began in the measured window bills its
   * rounding, in the part where it ends.
   */
  private closePcPeriods(fs: FunctionState, tMs: number, units: number): void {
    const u = tMs >= fs.meters.fromMs ? fs.meters.usageAt(tMs) : null;
    while (units > 0 && fs.pcPeriodUnits.length > 0) {
      const last = fs.pcPeriodUnits.length - 1;
      const n = Math.min(units, fs.pcPeriodUnits[last]);
      const startMs = fs.pcPeriodStart[last];
      if (u !== null && startMs > -Infinity) u.provisionedRoundingEnvMs += n * (pcBilledSeconds(tMs - startMs) * 1000 - (tMs - startMs));
      units -= n;
      if (n === fs.pcPeriodUnits[last]) {
        fs.pcPeriodUnits.pop();
        fs.pcPeriodStart.pop();
      } else fs.pcPeriodUnits[last] -= n;
    }
  }

  private accrueBusy(fs: FunctionState, t: number): void {
    fs.pcBusyIntegral += fs.busyProvisioned * (t - fs.pcBusyFrom);
    fs.pcBusyFrom = t;
  }

  /**
   * The function's requests-per-second cap (docs/sources.md §1): factor × its reserved concurrency,
   * and factor × its allocated PC when it has PC ("this quota applies only to functions that use
   * provisioned concurrency"), the lower of the two. Reserved 0 has no cap: every invoke is
   * throttled for concurrency instead.
   */
  private updateRateCap(fs: FunctionState, t: number, allocatedPc: number): void {
    const k = this.functionRateFactor;
    if (k === null) return;
    let cap = Infinity;
    if (fs.reserved !== null && fs.reserved > 0) cap = k * fs.reserved;
    if (allocatedPc > 0) cap = Math.min(cap, k * allocatedPc);
    if (cap === Infinity) fs.rate = null;
    else if (fs.rate === null) fs.rate = new ContinuousBucket(cap, 1000);
    else fs.rate.resize(cap, t);
  }

  /** Sets the configured PC of a function with a plan at t (docs/sources.md §1, §9). */
  private configure(fs: FunctionState, target: number, t: number): void {
    const pm = fs.meters.provisioned!;
    if (target === fs.pcConfigured) return;
    pm.configured.set(t, target);
    if (target > fs.pcConfigured) this.openPcPeriod(fs, t, target - fs.pcConfigured);
    else this.closePcPeriods(fs, t, fs.pcConfigured - target);
    pm.changes++;
    if (fs.spec.reservedConcurrency === null) this.sharedCapacity += fs.pcConfigured - target;
    fs.pcConfigured = target;
    if (target > pm.maxConfigured) pm.maxConfigured = target;
    const effective = fs.pcAlive - fs.pcRetire + fs.pcPending;
    if (target < effective) {
      // Cancel allocations first, then remove idle environments, then busy ones as they finish.
      let excess = effective - target;
      const cut = Math.min(fs.pcPending, excess);
      fs.pcPending -= cut;
      fs.pcInitialized = Math.min(fs.pcInitialized, fs.pcPending);
      excess -= cut;
      if (fs.pcPending === 0) fs.pcReadyAt = Infinity;
      while (excess > 0 && fs.pcIdle.head >= 0) {
        const env = fs.pcIdle.head;
        fs.pcIdle.remove(env);
        this.releaseEnv(fs, env, t);
        fs.pcAlive--;
        excess--;
      }
      fs.pcRetire += excess;
      // The alias's cap follows what stays allocated (busy environments to be removed no longer count).
      this.updateRateCap(fs, t, fs.pcAlive - fs.pcRetire);
    } else if (target > effective) {
      // Keep busy environments that were to be removed, then allocate the rest: usable together after the delay.
      let add = target - effective;
      const keep = Math.min(fs.pcRetire, add);
      fs.pcRetire -= keep;
      add -= keep;
      if (add > 0) {
        const plan = fs.plan!;
        fs.pcPending += add;
        // §9: the current rule allocates up to allocationRate per function; the legacy one draws on the Region's budget.
        const allocatingMs = this.pcBudget !== null ? this.pcBudget.reserve(add, t) : (fs.pcPending / plan.allocationPerMin) * 60_000;
        fs.pcReadyAt = t + plan.allocationDelayMs + allocatingMs;
        this.sim.schedule(fs.pcReadyAt, Phase.COMPLETE, this.pcReadyKind, fs.index);
      }
    }
  }

  /**
   * The allocation of the pending PC environments is done (a superseded allocation's event is ignored):
   * those not yet initialized run their init (billed), and all become usable together once the longest
   * init has finished (§1: pre-initialized environments, none usable until all are allocated).
   */
  private pcReady(fs: FunctionState): void {
    const t = this.sim.now;
    if (t !== fs.pcReadyAt || fs.pcPending === 0) return;
    let longestInitMs = 0;
    for (; fs.pcInitialized < fs.pcPending; fs.pcInitialized++) longestInitMs = Math.max(longestInitMs, this.billPcInit(fs, t));
    if (longestInitMs > 0) {
      fs.pcReadyAt = t + longestInitMs;
      this.sim.schedule(fs.pcReadyAt, Phase.COMPLETE, this.pcReadyKind, fs.index);
      return;
    }
    for (let i = 0; i < fs.pcPending; i++) {
      const id = this.createEnv(fs, t, FLAG_PROVISIONED | FLAG_IDLE);
      this.envs.sinceMs[id] = t;
      fs.pcIdle.pushHead(id);
      if (fs.recycleMs !== null) this.scheduleRecycle(id, t + fs.recycleMs);
    }
    fs.pcAlive += fs.pcPending;
    fs.pcPending = 0;
    fs.pcInitialized = 0;
    fs.pcReadyAt = Infinity;
    this.updateRateCap(fs, t, fs.pcAlive);
    if (fs.pcAlive > fs.meters.provisionedAlive) fs.meters.provisionedAlive = fs.pcAlive;
  }

  /** One ProvisionedConcurrencyUtilization datapoint of target tracking (docs/sources.md §1). */
  private pcDatapoint(fs: FunctionState, t: number): void {
    const a = fs.plan!.autoscaling!;
    this.accrueBusy(fs, t);
    const meanBusy = fs.pcBusyIntegral / a.periodMs;
    fs.pcBusyIntegral = 0;
    if (fs.pcAlive === 0) return; // no allocated PC: no datapoint
    const utilization = meanBusy / fs.pcAlive;
    if (utilization > a.target) {
      fs.pcAbove++;
      fs.pcBelow = 0;
    } else if (utilization < a.scaleInRatio * a.target) {
      fs.pcBelow++;
      fs.pcAbove = 0;
    } else {
      fs.pcAbove = 0;
      fs.pcBelow = 0;
    }
    // The capacity at which the mean in use would be at the target.
    const want = Math.ceil(meanBusy / a.target - 1e-9);
    const pm = fs.meters.provisioned!;
    if (fs.pcAbove >= a.scaleOutDatapoints) {
      fs.pcAbove = 0;
      const to = Math.min(a.max, want);
      if (to > fs.pcConfigured) {
        pm.scaleOuts++;
        this.configure(fs, to, t);
      }
    } else if (fs.pcBelow >= a.scaleInDatapoints) {
      fs.pcBelow = 0;
      const to = Math.max(a.min, want);
      if (to < fs.pcConfigured) {
        pm.scaleIns++;
        this.configure(fs, to, t);
      }
    }
  }

  addInvoker(invoker: Invoker): number {
    this.invokers.push(invoker);
    this.shares.push(null);
    return this.invokers.length - 1;
  }

  /**
   * Issue 21: `caller` answers each request with one invocation started at the request's arrival, so a warm
   * invocation's latency (no init) is its handler duration and is its request's end-to-end latency: such an
   * invocation of function `fnIndex`, when it ends within the run and within `withinMs` (its client's timeout), is
   * recorded once, in a histogram that `finish` adds both to the function's handler durations and to `into`,
   * and `lastShared` tells the caller at its completion. The caller's requests must count from the function's
   * warm-up end (they do: both are the scenario's). The same values are recorded as two records would; only
   * the order in which the sum adds them differs.
   */
  shareLatency(caller: number, fnIndex: number, into: LogHistogram, withinMs: number): void {
    this.shares[caller] = { ms: new LogHistogram(), fn: fnIndex, into, withinMs };
  }

  /**
   * An asynchronous Invoke call to function `fnIndex` at `tMs` from a source other than an AWS
   * service: it spends a token of the account's request-rate quota (docs/sources.md §1: the quota covers
   * "asynchronous, non-AWS sources"; the per-function cap is for synchronous calls only). Returns
   * Throttle.NONE when the event is accepted, else Throttle.REQUEST_RATE (a 429 to the caller,
   * counted as a throttled attempt of the function).
   */
  admitEvent(fnIndex: number, tMs: number): number {
    if (this.requestRate.take(tMs)) return Throttle.NONE;
    const fs = this.functions[fnIndex];
    if (tMs >= fs.meters.fromMs) fs.meters.attempts++;
    return this.throttled(fs, tMs, Throttle.REQUEST_RATE);
  }

  /**
   * Starts an invocation of function `fnIndex` at `tMs` for `caller`'s `token`.
   * `extraHandlerMs` is added to the drawn handler duration (e.g. per-record work
   * of a batch); `flags` are InvokeFlags. Returns Throttle.NONE and fills `last*`
   * when it started, or the throttle reason.
   */
  invoke(fnIndex: number, tMs: number, caller: number, token: number, extraHandlerMs = 0, flags = 0): number {
    const fs = this.functions[fnIndex];
    const m = fs.meters;
    const measuring = tMs >= m.fromMs;
    if (measuring) m.attempts++;
    if ((flags & InvokeFlags.INTERNAL) === 0) {
      // The function's own requests/s cap, then the account's (docs/sources.md §1).
      if (fs.rate !== null && !fs.rate.take(tMs)) return this.throttled(fs, tMs, Throttle.FUNCTION_RATE);
      if (!this.requestRate.take(tMs)) return this.throttled(fs, tMs, Throttle.REQUEST_RATE);
    }
    const envs = this.envs;
    let env = -1;
    let cold = false;
    let created = false;
    let provisioned = false;
    if (fs.pcIdle.head >= 0) {
      env = fs.pcIdle.head;
      fs.pcIdle.remove(env);
      provisioned = true;
      if (fs.plan) this.accrueBusy(fs, tMs);
    } else {
      const reserved = fs.reserved;
      if (reserved !== null) {
        if (fs.busy >= reserved) return this.throttled(fs, tMs, Throttle.RESERVED);
      } else if (this.sharedBusy >= this.sharedCapacity) {
        return this.throttled(fs, tMs, Throttle.ACCOUNT);
      }
      env = this.takeIdle(fs, tMs);
      if (env < 0) {
        if (!fs.scaling.take(tMs)) return this.throttled(fs, tMs, Throttle.SCALING);
        env = this.createEnv(fs, tMs, 0);
        cold = true;
        created = true;
        fs.onDemandAlive++;
        if (measuring) m.environmentsCreated++;
        if (fs.onDemandAlive > m.maxOnDemandAlive) m.maxOnDemandAlive = fs.onDemandAlive;
      }
      if (reserved === null) this.sharedBusy++;
    }
    envs.flags[env] &= ~FLAG_IDLE;
    envs.sinceMs[env] = tMs;
    if (envs.flags[env] & FLAG_NEEDS_INIT) {
      envs.flags[env] &= ~FLAG_NEEDS_INIT;
      cold = true;
    }

    // The invocation's timeline, decided now: init (if cold), then the handler.
    const spec = fs.spec;
    let initMs = 0;
    let initBilledMs = 0;
    /** An init that overran the 10 s limit, re-run inside the invoke phase; 0 when none. */
    let rerunMs = 0;
    let invokeMs =
      ((flags & InvokeFlags.HANDLER_MS) !== 0 ? extraHandlerMs : fs.duration.sample(fs.rngDuration) + extraHandlerMs) * fs.durationScale;
    const handlerMs = invokeMs;
    /** The init failed (a SnapStart restore's hooks past 10 s, a PC init past its limit): no handler runs, the invoke fails. */
    let initFailed = false;
    if (cold) {
      initMs = this.coldInit(fs, fs.rngInit);
      if (this.restoreTimedOut) initFailed = true;
      else if (provisioned && initMs > fs.pcInitLimitMs) {
        // A PC environment re-initializing after a timeout: its init is stopped at the limit.
        initMs = fs.pcInitLimitMs;
        initFailed = true;
      }
      if (initFailed) invokeMs = 0;
      if (initMs > ON_DEMAND_INIT_LIMIT_MS && fs.snapRestore === null && !provisioned) {
        // §2: the init is abandoned at 10 s and re-run inside the invoke phase, under the timeout
        // (on demand only: a PC environment re-initializing after a timeout has no 10 s limit).
        rerunMs = initMs;
        invokeMs += rerunMs;
        initMs = ON_DEMAND_INIT_LIMIT_MS;
      }
      initBilledMs = this.billedInitMs(fs, initMs, provisioned);
    }
    let status: number = Status.OK;
    if (initFailed) {
      // §2: SnapStartTimeoutException, or a failed PC init. The environment is not usable; the next request initializes it again.
      status = Status.ERROR;
      envs.flags[env] |= FLAG_NEEDS_INIT;
    } else if (invokeMs > spec.timeoutMs) {
      invokeMs = spec.timeoutMs;
      status = Status.TIMEOUT;
      envs.flags[env] |= FLAG_NEEDS_INIT;
    } else if (flags & InvokeFlags.FAIL) {
      status = Status.ERROR;
    } else if (fs.mayFail && (flags & InvokeFlags.SUCCEED) === 0) {
      const rate = fs.errorRateAt(tMs);
      if (rate > 0 && fs.rngErrors.next() < rate) status = Status.ERROR;
    }
    const latencyMs = initMs + invokeMs;
    this.lastBilledMs = 0;
    // Issue 16: a function that calls waits for its calls after its own work; its duration is recorded when it ends.
    const held = fs.holds && status === Status.OK;

    fs.busy++;
    if (provisioned) fs.busyProvisioned++;
    this.totalBusy++;
    m.concurrency.set(tMs, fs.busy);
    this.accountConcurrency?.set(tMs, this.totalBusy);
    if (measuring) {
      const u = m.usageAt(tMs);
      m.invocations++;
      u.requests++;
      m.invocationSeries.add(tMs);
      if (cold) {
        if (fs.snapRestore !== null) u.snapStartRestores++;
        if (created) u.newEnvironments++;
        m.coldStarts++;
        m.coldStartSeries.add(tMs);
        m.initMs.record(initMs);
        if (initFailed) {
          if (provisioned) m.pcInitFailures++;
          else m.snapStartTimeouts++;
        }
        if (rerunMs > 0) {
          m.initOverruns++;
          m.initRerunMs.record(Math.min(rerunMs, spec.timeoutMs));
        }
      }
      if (provisioned) m.provisionedInvocations++;
      else if (fs.pcAlive > 0) m.spilloverInvocations++;
      if (status !== Status.OK) {
        m.errorSeries.add(tMs);
        if (status === Status.ERROR) m.errors++;
        else m.timeouts++;
      }
      if (!held && !initFailed) {
        const recordedMs = status === Status.TIMEOUT ? spec.timeoutMs : handlerMs;
        // Without init the latency is the invoke phase, `recordedMs` exactly.
        const share = this.shares[caller];
        if (share !== null && share.fn === fnIndex && initMs === 0 && latencyMs <= share.withinMs && tMs + latencyMs < this.sim.endMs) {
          share.ms.record(recordedMs);
          envs.flags[env] |= FLAG_SHARED_LATENCY;
        } else m.handlerMs.record(recordedMs);
      }
      if (fs.responseSizesMb !== null && status === Status.OK) this.streamResponse(fs, u);
      const actual = initBilledMs + invokeMs;
      const billed = billedDurationMs(actual, this.granularityMs);
      this.lastBilledMs = billed;
      u.addDuration(provisioned, actual, billed);
    }

    envs.caller[env] = caller;
    envs.token[env] = token;
    envs.status[env] = status;
    this.lastEnv = env;
    if (held) this.startHold(env, tMs, latencyMs, measuring ? initBilledMs + invokeMs : NaN, handlerMs, initMs + spec.timeoutMs);
    else this.sim.schedule(tMs + latencyMs, Phase.COMPLETE, this.completeKind, env);
    // A waiting invocation's latency is known only when its calls return: callers get its bound.
    this.lastLatencyMs = held ? initMs + spec.timeoutMs : latencyMs;
    this.lastStatus = status;
    if (this.trace !== null) this.traceStart(fs, tMs, caller, token, env, cold, provisioned, initMs, Math.min(rerunMs, spec.timeoutMs), invokeMs, status);
    return Throttle.NONE;
  }

  /** The invocation `invoke` just started completes to `caller`'s `token` instead (its invoker's request needs more state after all). */
  reassign(caller: number, token: number): void {
    this.envs.caller[this.lastEnv] = caller;
    this.envs.token[this.lastEnv] = token;
  }

  /**
   * Issue 16: the invocation on `env`, started at tMs, waits for its calls after its own work
   * (`ownMs`): the wait begins then, and the function's timeout (`boundMs` after the start) ends it.
   */
  private startHold(env: number, tMs: number, ownMs: number, actualMs: number, handlerMs: number, boundMs: number): void {
    const h = this.held!;
    h.ensure(this.envs.capacity);
    h.startMs[env] = tMs;
    h.ownEndMs[env] = tMs + ownMs;
    h.actualMs[env] = actualMs;
    h.billedMs[env] = this.lastBilledMs;
    h.handlerMs[env] = handlerMs;
    h.deadlineMs[env] = tMs + boundMs;
    this.sim.schedule(tMs + ownMs, Phase.COMPLETE, this.holdKind, env);
  }

  /** The own work on `env` ended: the holder makes the calls for the invocation's pipeline item. */
  private beginHold(env: number): void {
    const envs = this.envs;
    this.sim.schedule(this.held!.deadlineMs[env], Phase.COMPLETE, this.deadlineKind, env);
    const item = this.invokers[envs.caller[env]].itemOf?.(envs.token[env]) ?? -1;
    this.holder!.hold(env, envs.fn[env], item, this.sim.now);
  }

  /** The function's timeout ended the wait on `env` (stale when the calls returned first). */
  private holdDeadline(env: number): void {
    if (this.held!.deadlineMs[env] !== this.sim.now) return;
    this.holder!.abandon(env);
    this.release(env, this.sim.now, Status.TIMEOUT);
  }

  /**
   * Issue 16: the invocation waiting on `env` ends at tMs with `status` (its calls returned, one failed,
   * or its timeout came): its duration, bill (rounded as a whole, docs/sources.md §7) and outcome
   * include the wait, and it completes like any other.
   */
  release(env: number, tMs: number, status: number): void {
    const h = this.held!;
    if (!h.waiting(env)) return;
    h.deadlineMs[env] = NaN;
    const envs = this.envs;
    const fs = this.functions[envs.fn[env]];
    const m = fs.meters;
    const waitMs = tMs - h.ownEndMs[env];
    const actual = h.actualMs[env];
    if (actual === actual) {
      const startMs = h.startMs[env];
      const u = m.usageAt(startMs);
      const extraBilled = billedDurationMs(actual + waitMs, this.granularityMs) - h.billedMs[env];
      u.addDuration((envs.flags[env] & FLAG_PROVISIONED) !== 0, waitMs, extraBilled);
      m.handlerMs.record(status === Status.TIMEOUT ? fs.spec.timeoutMs : h.handlerMs[env] + waitMs);
      if (status !== Status.OK) {
        m.errorSeries.add(startMs);
        if (status === Status.ERROR) m.errors++;
        else m.timeouts++;
      }
    }
    if (status === Status.TIMEOUT) envs.flags[env] |= FLAG_NEEDS_INIT;
    envs.status[env] = status;
    this.complete(env);
  }

  /** A successful invocation's streamed response: bytes beyond the price book's free MB (6) are charged (docs/sources.md §7). */
  private streamResponse(fs: FunctionState, u: PartUsage): void {
    const sizes = fs.responseSizesMb!;
    const mb = sizes.length === 1 ? sizes[0] : sizes[Math.floor(fs.rngResponseSize!.next() * sizes.length)];
    const bytes = mb * MB;
    fs.meters.streamedBytes += bytes;
    u.streamedChargeableBytes += Math.max(0, bytes - this.streamingFreeBytes);
  }

  /**
   * The init of a cold start drawn from `rng`: the function's init, or with SnapStart the restore and
   * the after-restore hooks (docs/sources.md §2 "SnapStart"), whose hooks alone are billed. Leaves the
   * billed part in `initBilledPartMs`, and in `restoreTimedOut` whether the hooks ran past their 10 s
   * limit (they are cut there).
   */
  private coldInit(fs: FunctionState, rng: Rng): number {
    if (fs.snapRestore === null) {
      const ms = fs.init.sample(rng);
      this.initBilledPartMs = ms;
      this.restoreTimedOut = false;
      return ms;
    }
    let hooksMs = fs.snapHooks!.sample(rng);
    // Hooks past the 10 s limit are stopped there and the restore fails (SnapStartTimeoutException).
    this.restoreTimedOut = hooksMs > SNAPSTART_HOOK_LIMIT_MS;
    if (this.restoreTimedOut) hooksMs = SNAPSTART_HOOK_LIMIT_MS;
    this.initBilledPartMs = hooksMs;
    return fs.snapRestore.sample(rng) + hooksMs;
  }

  /**
   * The billed part of the init `coldInit` drew (`initMs`, after any cut at the 10 s limit), §7:
   * SnapStart's after-restore hooks always; on-demand INIT under the 2025 rule, and before it for
   * container images and custom runtimes (only a ZIP on a managed runtime had it free); PC init always.
   */
  private billedInitMs(fs: FunctionState, initMs: number, provisioned: boolean): number {
    if (fs.snapRestore !== null) return this.initBilledPartMs;
    return this.initBilled || provisioned || fs.spec.packaging !== 'zip' ? initMs : 0;
  }

  /** A PC environment initializes from tMs (an allocation or a recycle): its init is billed, on provisioned environments (§1, §7). Returns the init's length. */
  private billPcInit(fs: FunctionState, tMs: number): number {
    // An init past the limit (§2) fails there and is tried again (an assumption: AWS documents the limit,
    // not the retry), each attempt billed. The loader refuses an init whose median is past the limit, so
    // an attempt succeeds with probability at least 1/2.
    let initMs = 0;
    let attempt = fs.init.sample(fs.rngPcInit);
    let failures = 0;
    for (; attempt > fs.pcInitLimitMs; attempt = fs.init.sample(fs.rngPcInit)) {
      initMs += fs.pcInitLimitMs;
      failures++;
    }
    initMs += attempt;
    if (tMs < fs.meters.fromMs) return initMs;
    const m = fs.meters;
    m.pcInitFailures += failures;
    const u = m.usageAt(tMs);
    u.provisionedActualMs += initMs;
    u.provisionedBilledMs += billedDurationMs(attempt, this.granularityMs) + failures * billedDurationMs(fs.pcInitLimitMs, this.granularityMs);
    return initMs;
  }

  private scheduleRecycle(env: number, atMs: number): void {
    this.envs.recycleAtMs[env] = atMs;
    this.sim.schedule(atMs, Phase.COMPLETE, this.recycleKind, env);
  }

  /**
   * Lambda replaces provisioned environment `env` with one it initializes in the background
   * (docs/sources.md §1 "every few hours"): the init is billed, capacity does not change. Stale when
   * the environment was removed (its slot's recycleAtMs is then another's, or Infinity).
   */
  private recycle(env: number): void {
    const t = this.sim.now;
    const envs = this.envs;
    if (envs.recycleAtMs[env] !== t || (envs.flags[env] & FLAG_PROVISIONED) === 0) return;
    const fs = this.functions[envs.fn[env]];
    this.billPcInit(fs, t);
    if (t >= fs.meters.fromMs) fs.meters.provisionedReinits++;
    this.scheduleRecycle(env, t + fs.recycleMs!);
  }

  private throttled(fs: FunctionState, tMs: number, reason: number): number {
    const m = fs.meters;
    if (tMs >= m.fromMs) {
      m.throttles[reason]++;
      m.throttleSeries.add(tMs);
    }
    return reason;
  }

  /** Takes an idle on-demand environment (reclaiming expired ones first), or returns -1. */
  private takeIdle(fs: FunctionState, tMs: number): number {
    this.reclaimExpired(fs, tMs);
    const env = fs.mru ? fs.idle.head : fs.idle.tail;
    if (env >= 0) fs.idle.remove(env);
    return env;
  }

  /** Reclaims idle environments whose keep-alive ended at or before tMs. */
  private reclaimExpired(fs: FunctionState, tMs: number): void {
    const envs = this.envs;
    const heap = fs.expiries;
    if (heap === null) {
      // Shared fixed keep-alive: the least recently idle environment expires first.
      const keep = fs.fixedKeepAliveMs;
      for (let env = fs.idle.tail; env >= 0 && envs.sinceMs[env] + keep <= tMs; env = fs.idle.tail) {
        fs.idle.remove(env);
        this.retire(fs, env, envs.sinceMs[env] + keep);
      }
      return;
    }
    while (heap.topTime() <= tMs) {
      const env = heap.topId();
      const gen = heap.topGen();
      const at = heap.topTime();
      heap.pop();
      if (envs.flags[env] & FLAG_IDLE && envs.idleGeneration[env] === gen && envs.fn[env] === fs.index) {
        fs.idle.remove(env);
        this.retire(fs, env, at);
      }
    }
  }

  /** Ends on-demand environment `env` at atMs: reclaimed for idleness, or retired at the end of its lifetime. */
  private retire(fs: FunctionState, env: number, atMs: number, endOfLifetime = false): void {
    fs.onDemandAlive--;
    if (atMs >= fs.meters.fromMs) {
      if (endOfLifetime) fs.meters.environmentsRetired++;
      else fs.meters.environmentsReclaimed++;
    }
    if (fs.expiries !== null) this.envs.idleGeneration[env]++;
    this.releaseEnv(fs, env, atMs);
  }

  /** A new environment of `fs`, alive from tMs (for the time-weighted environment counts); an on-demand one starts its lifetime. */
  private createEnv(fs: FunctionState, tMs: number, flags: number): number {
    fs.meters.environmentStarted(tMs, (flags & FLAG_PROVISIONED) !== 0);
    const env = this.envs.allocate(fs.index, tMs, flags);
    if ((flags & FLAG_PROVISIONED) === 0) this.startLifetime(fs, env, tMs);
    return env;
  }

  /** On-demand environment `env`, new at tMs, draws its lifetime (`fn/<f>/lifetime`) and gets the event that ends it. */
  private startLifetime(fs: FunctionState, env: number, tMs: number): void {
    if (fs.lifetime === null) return;
    const at = tMs + fs.lifetime.sample(fs.rngLifetime);
    this.envs.retireAtMs[env] = at;
    this.sim.schedule(at, Phase.COMPLETE, this.lifetimeKind, env);
  }

  /**
   * The lifetime event of `env` (docs/sources.md §2, docs/model.md "Maximum lifetime"). Stale when the
   * environment ended first (its slot's retireAtMs is then another environment's, or Infinity). An idle
   * environment is retired now, after any idle reclaim due by now; a busy one when its invocation ends.
   */
  private lifetimeEnd(env: number): void {
    const t = this.sim.now;
    const envs = this.envs;
    if (envs.retireAtMs[env] !== t) return;
    if ((envs.flags[env] & FLAG_IDLE) === 0) {
      envs.flags[env] |= FLAG_RETIRING;
      return;
    }
    const fs = this.functions[envs.fn[env]];
    this.reclaimExpired(fs, t);
    if (envs.retireAtMs[env] !== t) return;
    if (fs.replaceWithinMs !== null && t - envs.sinceMs[env] <= fs.replaceWithinMs && this.replace(fs, env, t)) return;
    fs.idle.remove(env);
    this.retire(fs, env, t, true);
  }

  /**
   * Proactive initialization (docs/sources.md §2): `env`, at the end of its lifetime at tMs, is retired
   * and the environment Lambda initialized in the background takes its place. Modelled as the same slot
   * renewed: new creation time and lifetime, the same place among idle environments and the same idle
   * clock (it is reclaimed when the old one would have been, and its own lifetime end counts the time
   * since the last request either served). Needs a scaling token; false (nothing done) when none is left.
   * Its init is billed when on-demand INIT is (billed-2025), on its own and with no request; one drawn
   * past the 10 s limit is billed 10 s (a SnapStart restore whose hooks pass theirs, the restore and 10 s
   * of hooks) and leaves the environment to initialize at its first invocation, like one reset by a timeout.
   */
  private replace(fs: FunctionState, env: number, tMs: number): boolean {
    if (!fs.scaling.take(tMs)) return false;
    const envs = this.envs;
    let initMs = this.coldInit(fs, fs.rngProactiveInit);
    envs.flags[env] &= ~(FLAG_RETIRING | FLAG_NEEDS_INIT);
    if ((initMs > ON_DEMAND_INIT_LIMIT_MS && fs.snapRestore === null) || this.restoreTimedOut) {
      // Cut at the limit (the restore's hooks at theirs): the environment initializes at its first invocation.
      if (fs.snapRestore === null) initMs = ON_DEMAND_INIT_LIMIT_MS;
      envs.flags[env] |= FLAG_NEEDS_INIT;
    }
    this.startLifetime(fs, env, tMs);
    // The retired environment ends (its slot carries the replacement on).
    this.shutDown(fs, tMs, false);
    const m = fs.meters;
    if (tMs >= m.fromMs) {
      const u = m.usageAt(tMs);
      m.environmentsRetired++;
      m.environmentsCreated++;
      m.proactiveInits++;
      u.newEnvironments++;
      const billedMs = this.billedInitMs(fs, initMs, false);
      if (fs.snapRestore !== null) u.snapStartRestores++;
      u.onDemandActualMs += billedMs;
      u.onDemandBilledMs += billedDurationMs(billedMs, this.granularityMs);
    }
    return true;
  }

  /** On-demand environment `env` goes idle at tMs (at the head of the idle list, with a keep-alive drawn for it when they vary). */
  private makeIdle(fs: FunctionState, env: number, tMs: number): void {
    const envs = this.envs;
    envs.flags[env] |= FLAG_IDLE;
    envs.sinceMs[env] = tMs;
    fs.idle.pushHead(env);
    if (fs.expiries) {
      const gen = ++envs.idleGeneration[env];
      fs.expiries.push(tMs + fs.keepAlive!.sample(fs.rngKeepAlive), env, gen);
    }
  }

  /**
   * Frees environment `env` of `fs`, which ended at atMs (≤ now for a lazily applied idle reclaim). Its
   * extensions' shutdown phase runs then and is billed as duration on the environment's kind (docs/sources.md
   * §2 "Phases", §7); it takes no concurrency (an assumption: the environment serves nothing more).
   */
  private releaseEnv(fs: FunctionState, env: number, atMs: number): void {
    const provisioned = (this.envs.flags[env] & FLAG_PROVISIONED) !== 0;
    fs.meters.environmentEnded(atMs, provisioned);
    this.shutDown(fs, atMs, provisioned);
    this.envs.release(env);
  }

  /** An environment of `fs` ends at atMs: its extensions' shutdown phase, billed (docs/sources.md §2, §7); nothing without extensions. */
  private shutDown(fs: FunctionState, atMs: number, provisioned: boolean): void {
    const shutdownMs = fs.spec.extensions.shutdownMs;
    const m = fs.meters;
    if (shutdownMs === 0 || atMs < m.fromMs) return;
    m.usageAt(atMs).addDuration(provisioned, shutdownMs, billedDurationMs(shutdownMs, this.granularityMs));
    m.shutdowns++;
  }

  private complete(env: number): void {
    const t = this.sim.now;
    const envs = this.envs;
    const fs = this.functions[envs.fn[env]];
    const provisioned = (envs.flags[env] & FLAG_PROVISIONED) !== 0;
    fs.busy--;
    this.totalBusy--;
    if (provisioned) {
      if (fs.plan) this.accrueBusy(fs, t);
      fs.busyProvisioned--;
    } else if (fs.reserved === null) this.sharedBusy--;
    fs.meters.concurrency.set(t, fs.busy);
    this.accountConcurrency?.set(t, this.totalBusy);
    this.lastStatus = envs.status[env];
    this.lastStartMs = envs.sinceMs[env];
    this.lastShared = (envs.flags[env] & FLAG_SHARED_LATENCY) !== 0;
    envs.flags[env] &= ~FLAG_SHARED_LATENCY;
    const caller = envs.caller[env];
    const token = envs.token[env];
    let retired = false;
    if (provisioned) {
      if (fs.pcRetire > 0) {
        // A decrease of the plan removes this environment now that it is free.
        fs.pcRetire--;
        fs.pcAlive--;
        this.releaseEnv(fs, env, t);
      } else {
        envs.flags[env] |= FLAG_IDLE;
        envs.sinceMs[env] = t;
        fs.pcIdle.pushHead(env);
      }
    } else if (envs.flags[env] & FLAG_RETIRING && !(fs.replaceWithinMs !== null && this.replace(fs, env, t))) {
      // Its lifetime ended during this invocation, and it is not replaced (it was in use, so only with replacement off or no scaling token).
      this.retire(fs, env, t, true);
      retired = true;
    } else this.makeIdle(fs, env, t);
    if (this.trace !== null) {
      const inv = this.invokers[caller];
      this.trace.emit({
        tMs: t,
        type: 'complete',
        request: inv.traceRequest?.(token) ?? -1,
        function: fs.spec.name,
        env,
        status: STATUS_NAMES[this.lastStatus],
        ...(retired ? { retired } : {}),
      });
    }
    this.invokers[caller].onComplete(token);
  }

  private traceStart(fs: FunctionState, tMs: number, caller: number, token: number, env: number, cold: boolean, provisioned: boolean, initMs: number, rerunMs: number, invokeMs: number, status: number): void {
    this.trace!.emit({
      tMs,
      type: 'start',
      request: this.invokers[caller].traceRequest?.(token) ?? -1,
      function: fs.spec.name,
      env,
      cold,
      provisioned,
      initMs,
      ...(rerunMs > 0 ? { initRerunMs: rerunMs } : {}),
      durationMs: invokeMs,
      status: STATUS_NAMES[status],
    });
  }

  /** Ends the run at tMs: a last sweep, the shared latency histograms added where they belong, then the environments still alive close the time-weighted counts. */
  finish(tMs: number): void {
    this.sweep(tMs);
    for (const share of this.shares) {
      if (share === null) continue;
      this.functions[share.fn].meters.handlerMs.merge(share.ms);
      share.into.merge(share.ms);
    }
    for (const fs of this.functions) {
      fs.meters.finishEnvironments(fs.onDemandAlive + fs.pcAlive, fs.pcAlive);
      fs.meters.provisioned?.configured.finish(tMs);
    }
  }

  /**
   * Brings idle reclaim up to date at tMs for every function (it is otherwise
   * applied lazily when an environment is wanted), and samples the environment counts.
   */
  sweep(tMs: number): void {
    for (const fs of this.functions) {
      this.reclaimExpired(fs, tMs);
      fs.meters.sampleEnvironments(tMs, fs.onDemandAlive, fs.scaling.available(tMs));
      if (fs.plan) {
        const series = fs.meters.provisioned!.series;
        const i = Math.ceil(tMs / fs.meters.intervalMs) - 1;
        if (i >= 0 && i < series.length) series[i] = fs.pcAlive;
      }
    }
  }

}
