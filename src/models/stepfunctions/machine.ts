/**
 * The Step Functions runtime: executions of one workload's state machine, started by its arrivals, each
 * Task invoking its function through the platform as a caller that waits (request–response), rules of
 * docs/sources.md §13:
 *
 * - A **frame** is one running sub-machine: the execution itself, a Parallel branch or a Map iteration.
 *   Frames live in a table indexed by id and are recycled, so memory follows the executions in flight.
 * - **Task**: invokes its function; a throttle is `Lambda.TooManyRequestsException`, a function timeout
 *   `Lambda.Unknown`, a function error the Task's `ErrorName`; the state's TimeoutSeconds is
 *   `States.Timeout` (the invocation runs on, unwatched). `.waitForTaskToken`: after the function returns
 *   the token comes back `TokenDelay` later (the state's timeout covers the wait).
 * - **Retry**: the first retrier whose ErrorEquals matches the error is used (States.ALL matches any
 *   error, States.TaskFailed any but States.Timeout); each retrier counts its own attempts within the
 *   state; its n-th retry waits min(IntervalSeconds × BackoffRate^(n−1), MaxDelaySeconds), times a
 *   uniform draw from `wl/<workload>/retry-jitter` with JitterStrategy FULL. When it has used MaxAttempts,
 *   the error goes to **Catch**: the first catcher that matches moves to its Next; none: the frame fails.
 * - **Parallel** and **Map**: the state ends when every branch or iteration has succeeded; the first
 *   that fails fails the state with its error (the others are stopped) and the state's own Retry and
 *   Catch apply. A Map runs at most MaxConcurrency iterations at once, each starting when one ends.
 * - **Choice** picks a choice by its Probability (a draw from `wl/<workload>/choice/<state>`), else Default.
 * - **Billing**: one state transition per state entered and per retry (Standard); Express: one request
 *   per execution and its duration rounded up to 100 ms × its memory.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import { Phase, Status, Throttle, type Invoker, type Platform } from '../../platform/platform.js';
import { LogHistogram } from '../../metrics/histogram.js';
import type { PartClock } from '../../metrics/parts.js';
import type { TraceEvent, Tracer } from '../../metrics/trace.js';
import type { Recorder } from '../../metrics/records.js';
import { ArrivalStream } from '../../workload/arrivals.js';
import { ArrivalSource } from '../arrival-source.js';
import { makeSampler, type Sampler } from '../../workload/distributions.js';
import { makeCountSampler, type CountSampler } from '../../workload/counts.js';
import { SFN_EXPRESS_ROUNDING } from '../../billing/service-prices.js';
import type { CatcherSpec, MachineSpec, RetrierSpec, StateSpec, StepFunctionsWorkloadSpec } from './types.js';

/** The error names lsim's Tasks report (docs/sources.md §13 "Lambda errors"). */
export const ERRORS = { THROTTLED: 'Lambda.TooManyRequestsException', UNKNOWN: 'Lambda.Unknown', TIMEOUT: 'States.Timeout', NO_CHOICE: 'States.NoChoiceMatched' } as const;

/** Whether a retrier's or catcher's ErrorEquals matches `error` (docs/sources.md §13). */
export function matches(errorEquals: readonly string[], error: string): boolean {
  for (const e of errorEquals) {
    if (e === error || e === 'States.ALL') return true;
    if (e === 'States.TaskFailed' && error !== ERRORS.TIMEOUT) return true;
  }
  return false;
}

/** The wait before the n-th retry (n ≥ 1) of a retrier, before jitter, in ms (docs/sources.md §13). */
export function retryDelayMs(r: RetrierSpec, n: number): number {
  return Math.min(r.intervalMs * r.backoffRate ** (n - 1), r.maxDelayMs);
}

/** What one workload's executions did: counters, per state, and the bill's quantities per part. */
export class MachineMeters {
  started = 0;
  succeeded = 0;
  failed = 0;
  timedOut = 0;
  transitions = 0;
  retries = 0;
  throttled = 0;
  readonly durationMs = new LogHistogram();
  readonly failedMs = new LogHistogram();
  readonly entered: Float64Array;
  readonly stateRetries: Float64Array;
  readonly caught: Float64Array;
  readonly stateFailed: Float64Array;
  /** Per part of the billing month: transitions, Express requests and GB-s. */
  readonly transitionsByPart: Float64Array;
  readonly requestsByPart: Float64Array;
  readonly gbSByPart: Float64Array;
  readonly startedSeries: Float64Array;
  readonly succeededSeries: Float64Array;
  readonly failedSeries: Float64Array;
  readonly openSeries: Float64Array;

  constructor(states: number, parts: number, intervals: number) {
    this.entered = new Float64Array(states);
    this.stateRetries = new Float64Array(states);
    this.caught = new Float64Array(states);
    this.stateFailed = new Float64Array(states);
    this.transitionsByPart = new Float64Array(parts);
    this.requestsByPart = new Float64Array(parts);
    this.gbSByPart = new Float64Array(parts);
    this.startedSeries = new Float64Array(intervals);
    this.succeededSeries = new Float64Array(intervals);
    this.failedSeries = new Float64Array(intervals);
    this.openSeries = new Float64Array(intervals);
  }
}

const NIL = -1;
/** Timer actions. */
const RETRY = 0;
const LEAVE = 1;
const TASK_TIMEOUT = 2;
const EXEC_TIMEOUT = 3;
const TOKEN_BACK = 4;

/** Outcomes of an execution. */
export const Outcome = { SUCCEEDED: 0, FAILED: 1, TIMED_OUT: 2 } as const;
const OUTCOME_NAMES = ['ok', 'failed', 'timed-out'];

class Frame {
  /** Incremented when the frame is freed: a stale reference to a recycled frame never matches. */
  life = 0;
  /** Incremented whenever the frame's pending work changes (a new attempt, a state left, a stop). */
  gen = 0;
  alive = false;
  parent = NIL;
  /** The execution (its top frame). */
  exec = NIL;
  state = NIL;
  /** Attempts used per retrier of the current state. */
  counts: number[] = [];
  children: number[] = [];
  pending = 0;
  mapTotal = 0;
  mapStarted = 0;
  // Execution (top frame) only.
  startMs = 0;
  counted = false;
  id = -1;
  lastMs = -1;
  sameInstant = 0;
}

/** The runtime of one `invoke: stepfunctions` workload. */
export class StateMachineRun implements Invoker {
  /** Set only when tracing (lsim explain): executions' steps as events of src/metrics/trace.ts. */
  trace: Tracer | null = null;
  /** One record per execution the result counts (`lsim run --records`), when set. */
  records: Recorder | null = null;
  private readonly frames: Frame[] = [];
  private readonly free: number[] = [];
  // Timers: frame, its life and gen when set, action.
  private tFrame = new Int32Array(64);
  private tLife = new Int32Array(64);
  private tGen = new Int32Array(64);
  private tAction = new Int32Array(64);
  private readonly tFree: number[] = [];
  private tUsed = 0;
  private readonly timerKind: number;
  private readonly invokerId: number;
  private readonly states: StateSpec[];
  private readonly jitter: Rng;
  private readonly choiceRng: (Rng | null)[];
  private readonly tokenRng: (Rng | null)[];
  private readonly tokenSampler: (Sampler | null)[];
  private readonly itemsRng: (Rng | null)[];
  private readonly itemsSampler: (CountSampler | null)[];
  private readonly fromMs: number;
  private readonly intervalMs: number;
  private open = 0;
  private nextId = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    rng: RngStreams,
    private readonly parts: PartClock,
    private readonly w: StepFunctionsWorkloadSpec,
    readonly meters: MachineMeters,
    fromMs: number,
    intervalMs: number,
    durationMs: number,
  ) {
    const m: MachineSpec = w.machine;
    this.states = m.states;
    this.fromMs = fromMs;
    this.intervalMs = intervalMs;
    this.jitter = rng.stream(`wl/${w.name}/retry-jitter`);
    this.choiceRng = m.states.map((s, i) => (s.type === 'Choice' ? rng.stream(`wl/${w.name}/choice/${i}`) : null));
    this.tokenRng = m.states.map((s, i) => (s.type === 'Task' && s.tokenDelay ? rng.stream(`wl/${w.name}/token/${i}`) : null));
    this.tokenSampler = m.states.map((s) => (s.type === 'Task' && s.tokenDelay ? makeSampler(s.tokenDelay) : null));
    this.itemsRng = m.states.map((s, i) => (s.type === 'Map' ? rng.stream(`wl/${w.name}/items/${i}`) : null));
    this.itemsSampler = m.states.map((s) => (s.type === 'Map' ? makeCountSampler(s.items) : null));
    this.invokerId = platform.addInvoker(this);
    this.timerKind = sim.register((t) => this.fire(t), 'stepfunctions/timer');
    const stream = new ArrivalStream(w.arrivals, (i) => rng.stream(`wl/${w.name}/arrivals/${i}`));
    sim.addSource(new ArrivalSource(stream, (t) => this.startExecution(t)));
    // The executions open at the end of each interval.
    const sampleKind = sim.register((i) => {
      if (i < meters.openSeries.length) meters.openSeries[i] = this.open;
      if ((i + 2) * intervalMs < durationMs) sim.schedule((i + 2) * intervalMs, Phase.SAMPLE, sampleKind, i + 1);
    }, 'stepfunctions/sample');
    if (intervalMs < durationMs) sim.schedule(intervalMs, Phase.SAMPLE, sampleKind, 0);
  }

  /** Executions still running at the end of the run. */
  get openAtEnd(): number {
    return this.meters.started - this.meters.succeeded - this.meters.failed - this.meters.timedOut;
  }

  // -------------------------------------------------------------------------
  // Executions

  private startExecution(t: number): void {
    const f = this.alloc(NIL, NIL);
    const fr = this.frames[f];
    fr.exec = f;
    fr.startMs = t;
    fr.counted = t >= this.fromMs;
    fr.id = this.trace !== null ? this.trace.newRequest() : this.records !== null ? this.records.newRequest() : this.nextId++;
    if (this.trace !== null) this.emit(f, t, 'arrival', {});
    this.open++;
    const m = this.meters;
    if (fr.counted) {
      m.started++;
      m.startedSeries[this.interval(t)]++;
      if (this.w.machine.type === 'EXPRESS') m.requestsByPart[this.parts.at(t)]++;
    }
    this.setTimer(t + this.w.machine.timeoutMs, f, EXEC_TIMEOUT);
    this.enter(f, this.w.machine.start, t);
  }

  private endExecution(f: number, t: number, outcome: number): void {
    const fr = this.frames[f];
    if (this.trace !== null) this.emit(f, t, 'done', { outcome: OUTCOME_NAMES[outcome] });
    const m = this.meters;
    this.open--;
    if (fr.counted) {
      const d = t - fr.startMs;
      if (outcome === Outcome.SUCCEEDED) {
        m.succeeded++;
        m.durationMs.record(d);
        m.succeededSeries[this.interval(t)]++;
      } else {
        if (outcome === Outcome.FAILED) m.failed++;
        else m.timedOut++;
        m.failedSeries[this.interval(t)]++;
        m.failedMs.record(d);
      }
      if (this.records !== null) this.record(fr, t, OUTCOME_NAMES[outcome]);
      if (this.w.machine.type === 'EXPRESS') {
        const billedMs = Math.ceil(d / SFN_EXPRESS_ROUNDING.ms - 1e-9) * SFN_EXPRESS_ROUNDING.ms;
        m.gbSByPart[this.parts.at(fr.startMs)] += (billedMs / 1000) * (this.w.machine.expressMemoryMb / 1024);
      }
    }
    this.stop(f);
  }

  /** After the run: a record for each counted execution still open. */
  recordOpen(): void {
    if (this.records === null) return;
    for (let f = 0; f < this.frames.length; f++) {
      const fr = this.frames[f];
      if (fr.alive && fr.exec === f && fr.counted) this.record(fr, NaN, 'open');
    }
  }

  private record(fr: Frame, endedMs: number, outcome: string): void {
    this.records!.record({
      workload: this.w.name,
      model: 'stepfunctions',
      request: fr.id,
      function: this.w.functionName,
      startedMs: fr.startMs,
      endedMs,
      outcome,
      reason: outcome === 'timed-out' ? 'States.Timeout' : '',
      attempts: 1,
      target: '',
      shard: -1,
      sequence: -1,
      key: -1,
    });
  }

  // -------------------------------------------------------------------------
  // States

  private enter(f: number, s: number, t: number): void {
    const fr = this.frames[f];
    if (t === fr.lastMs) {
      // A definition that loops through states that take no time would never let the clock move.
      if (++fr.sameInstant > 100_000) throw new Error(`state machine of workload "${this.w.name}" loops through state "${this.states[s].name}" without time passing`);
    } else {
      fr.lastMs = t;
      fr.sameInstant = 0;
    }
    fr.state = s;
    fr.gen++;
    const spec = this.states[s];
    fr.counts.length = 0;
    if ('retry' in spec) for (let k = 0; k < spec.retry.length; k++) fr.counts.push(0);
    if (this.counted(f)) {
      this.meters.entered[s]++;
      this.transition(t);
    }
    if (this.trace !== null) this.emit(f, t, 'state', { reason: spec.name, status: spec.type, ...('fn' in spec ? { function: spec.functionName } : {}) });
    this.run(f, spec, t);
  }

  /** Does the state's work (again, on a retry). */
  private run(f: number, spec: StateSpec, t: number): void {
    const s = this.frames[f].state;
    switch (spec.type) {
      case 'Task': {
        const gen = this.frames[f].gen;
        if (spec.timeoutMs !== Infinity) this.setTimer(t + spec.timeoutMs, f, TASK_TIMEOUT);
        const token = this.timer(f, TOKEN_BACK);
        const reason = this.platform.invoke(spec.fn, t, this.invokerId, token, 0, 0);
        if (reason !== Throttle.NONE) {
          this.freeTimer(token);
          if (this.counted(f)) this.meters.throttled++;
          if (this.frames[f].gen === gen) this.error(f, ERRORS.THROTTLED, t);
        }
        return;
      }
      case 'Wait':
        this.setTimer(t + spec.ms, f, LEAVE);
        return;
      case 'Pass':
        this.leave(f, spec.next, t);
        return;
      case 'Succeed':
        this.done(f, t);
        return;
      case 'Fail':
        this.fail(f, spec.error, t);
        return;
      case 'Choice': {
        const u = this.choiceRng[s]!.double();
        let k = 0;
        while (k < spec.cumulative.length && u >= spec.cumulative[k]) k++;
        const target = k < spec.targets.length ? spec.targets[k] : spec.default;
        if (target === NIL) this.fail(f, ERRORS.NO_CHOICE, t);
        else this.enter(f, target, t);
        return;
      }
      case 'Parallel': {
        const fr = this.frames[f];
        fr.children.length = 0;
        fr.pending = spec.branches.length;
        for (let k = 0; k < spec.branches.length; k++) fr.children.push(this.alloc(f, fr.exec));
        const started = fr.children.slice();
        // A branch that fails at once stops the others (and the state moves on): start no more then.
        const gen = fr.gen;
        for (let k = 0; k < started.length && this.frames[f].gen === gen; k++) this.enter(started[k], spec.branches[k], t);
        return;
      }
      case 'Map': {
        const fr = this.frames[f];
        fr.children.length = 0;
        fr.mapTotal = this.itemsSampler[s]!.sample(this.itemsRng[s]!);
        fr.mapStarted = 0;
        fr.pending = fr.mapTotal;
        if (fr.mapTotal === 0) {
          this.leave(f, spec.next, t);
          return;
        }
        const gen = fr.gen;
        const first = Math.min(spec.maxConcurrency, fr.mapTotal);
        for (let k = 0; k < first && this.frames[f].gen === gen; k++) this.startIteration(f, spec.processor, t);
        return;
      }
    }
  }

  private startIteration(f: number, processor: number, t: number): void {
    const fr = this.frames[f];
    fr.mapStarted++;
    const c = this.alloc(f, fr.exec);
    fr.children.push(c);
    this.enter(c, processor, t);
  }

  /** The state of frame `f` is done: on to `next`, or the frame ends (End). */
  private leave(f: number, next: number, t: number): void {
    if (next === NIL) this.done(f, t);
    else this.enter(f, next, t);
  }

  /** The state of frame `f` reported `error` at t: its Retry, then its Catch, else the frame fails. */
  private error(f: number, error: string, t: number): void {
    const fr = this.frames[f];
    fr.gen++;
    const s = fr.state;
    const spec = this.states[s];
    const counted = this.counted(f);
    if ('retry' in spec) {
      const retry: RetrierSpec[] = spec.retry;
      for (let k = 0; k < retry.length; k++) {
        if (!matches(retry[k].errorEquals, error)) continue;
        if (fr.counts[k] < retry[k].maxAttempts) {
          const n = ++fr.counts[k];
          let delay = retryDelayMs(retry[k], n);
          if (retry[k].jitter === 'FULL') delay *= this.jitter.double();
          if (counted) {
            this.meters.retries++;
            this.meters.stateRetries[s]++;
            this.transition(t);
          }
          this.stopChildren(f);
          if (this.trace !== null) this.emit(f, t, 'retry', { reason: error, attempt: n, delayMs: delay, outcome: spec.name });
          this.setTimer(t + delay, f, RETRY);
          return;
        }
        break; // the first retrier that matches decides; it has no attempts left
      }
      const catches: CatcherSpec[] = spec.catch;
      for (const c of catches) {
        if (!matches(c.errorEquals, error)) continue;
        if (counted) this.meters.caught[s]++;
        this.stopChildren(f);
        if (this.trace !== null) this.emit(f, t, 'caught', { reason: error, outcome: spec.name });
        this.enter(f, c.next, t);
        return;
      }
    }
    if (counted) this.meters.stateFailed[s]++;
    this.stopChildren(f);
    if (this.trace !== null) this.emit(f, t, 'state-failed', { reason: error, outcome: spec.name });
    this.fail(f, error, t);
  }

  /** Frame `f` succeeded. */
  private done(f: number, t: number): void {
    const fr = this.frames[f];
    if (fr.parent === NIL) {
      this.endExecution(f, t, Outcome.SUCCEEDED);
      return;
    }
    const p = fr.parent;
    this.stop(f);
    this.childDone(p, f, t);
  }

  /** Frame `f` failed with `error` (no handler took it). */
  private fail(f: number, error: string, t: number): void {
    const fr = this.frames[f];
    if (fr.parent === NIL) {
      this.endExecution(f, t, Outcome.FAILED);
      return;
    }
    const p = fr.parent;
    this.stop(f);
    // The branch's or iteration's error is the Parallel's or Map's: its own Retry and Catch apply.
    this.error(p, error, t);
  }

  private childDone(p: number, c: number, t: number): void {
    const pr = this.frames[p];
    const k = pr.children.indexOf(c);
    if (k >= 0) pr.children.splice(k, 1);
    pr.pending--;
    const spec = this.states[pr.state];
    if (spec.type === 'Map' && pr.mapStarted < pr.mapTotal) this.startIteration(p, spec.processor, t);
    else if (pr.pending === 0) this.leave(p, spec.next, t);
  }

  // -------------------------------------------------------------------------
  // Timers and invocations

  private fire(timer: number): void {
    const f = this.tFrame[timer];
    const action = this.tAction[timer];
    const valid = this.tLife[timer] === this.frames[f].life && (action === EXEC_TIMEOUT || this.tGen[timer] === this.frames[f].gen);
    this.freeTimer(timer);
    if (!valid) return;
    const t = this.sim.now;
    const spec = this.states[this.frames[f].state];
    switch (action) {
      case RETRY:
        this.frames[f].gen++;
        this.run(f, spec, t);
        return;
      case LEAVE:
        this.leave(f, spec.next, t);
        return;
      case TOKEN_BACK:
        this.leave(f, spec.next, t);
        return;
      case TASK_TIMEOUT:
        this.error(f, ERRORS.TIMEOUT, t);
        return;
      case EXEC_TIMEOUT:
        this.endExecution(f, t, Outcome.TIMED_OUT);
        return;
    }
  }

  /** Platform: a Task's invocation ended (token: its timer slot, not scheduled). */
  onComplete(token: number): void {
    const f = this.tFrame[token];
    const valid = this.tLife[token] === this.frames[f].life && this.tGen[token] === this.frames[f].gen;
    if (!valid) {
      this.freeTimer(token);
      return;
    }
    const t = this.sim.now;
    const status = this.platform.lastStatus;
    const spec = this.states[this.frames[f].state];
    if (spec.type !== 'Task') throw new Error('stepfunctions: an invocation ended outside a Task');
    if (status === Status.OK) {
      if (spec.tokenDelay !== null) {
        // The function returned; the token comes back later (SendTaskSuccess): the same slot, now scheduled.
        const s = this.frames[f].state;
        const wait = this.tokenSampler[s]!.sample(this.tokenRng[s]!);
        if (this.trace !== null) this.emit(f, t, 'token', { outcome: spec.name, delayMs: wait });
        this.sim.schedule(t + wait, Phase.ARRIVAL, this.timerKind, token);
        return;
      }
      this.freeTimer(token);
      this.leave(f, spec.next, t);
      return;
    }
    this.freeTimer(token);
    this.error(f, status === Status.TIMEOUT ? ERRORS.UNKNOWN : spec.errorName, t);
  }

  traceRequest(token: number): number {
    return this.frames[this.tFrame[token]].alive ? this.frames[this.frames[this.tFrame[token]].exec].id : -1;
  }

  private timer(f: number, action: number): number {
    const k = this.tFree.length > 0 ? this.tFree.pop()! : this.allocTimer();
    this.tFrame[k] = f;
    this.tLife[k] = this.frames[f].life;
    this.tGen[k] = this.frames[f].gen;
    this.tAction[k] = action;
    return k;
  }

  private setTimer(at: number, f: number, action: number): void {
    this.sim.schedule(at, Phase.ARRIVAL, this.timerKind, this.timer(f, action));
  }

  private freeTimer(k: number): void {
    this.tFree.push(k);
  }

  private allocTimer(): number {
    if (this.tUsed === this.tFrame.length) {
      const n = this.tUsed * 2;
      const grow = (a: Int32Array) => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      this.tFrame = grow(this.tFrame);
      this.tLife = grow(this.tLife);
      this.tGen = grow(this.tGen);
      this.tAction = grow(this.tAction);
    }
    return this.tUsed++;
  }

  // -------------------------------------------------------------------------
  // Frames

  private alloc(parent: number, exec: number): number {
    const f = this.free.length > 0 ? this.free.pop()! : this.frames.push(new Frame()) - 1;
    const fr = this.frames[f];
    fr.alive = true;
    fr.parent = parent;
    fr.exec = exec;
    fr.state = NIL;
    fr.children.length = 0;
    fr.pending = 0;
    fr.lastMs = -1;
    fr.sameInstant = 0;
    return f;
  }

  /** Ends frame `f` and everything running under it (their invocations run on, unwatched). */
  private stop(f: number): void {
    const fr = this.frames[f];
    if (!fr.alive) return;
    this.stopChildren(f);
    fr.alive = false;
    fr.life++;
    fr.gen++;
    this.free.push(f);
  }

  private stopChildren(f: number): void {
    const fr = this.frames[f];
    const children = fr.children.splice(0);
    for (const c of children) this.stop(c);
  }

  private counted(f: number): boolean {
    return this.frames[this.frames[f].exec].counted;
  }

  private transition(t: number): void {
    this.meters.transitions++;
    this.meters.transitionsByPart[this.parts.at(t)]++;
  }

  /** A trace event about the execution of frame `f` (only called when tracing). */
  private emit(f: number, tMs: number, type: string, extra: Partial<TraceEvent>): void {
    const exec = this.frames[this.frames[f].exec];
    this.trace!.emit({ tMs, type, request: exec.id, workload: this.w.name, function: this.w.functionName, ...extra });
  }

  private interval(t: number): number {
    return Math.min(Math.floor(t / this.intervalMs), this.meters.startedSeries.length - 1);
  }
}
