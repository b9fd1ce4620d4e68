/**
 * Pipelines (issue 16): functions whose invocations send messages, events or records on to other
 * workloads, or call other functions and wait; and requests followed end to end through them.
 *
 * The rules (docs/model.md "Pipelines"; docs/sources.md §8 for recursion):
 * - **Outputs.** Per item an invocation processed — a sync request, an async event, each message or
 *   record of a batch — with the outcome an output names (`on: success`, the default, or `failure`),
 *   the function sends `count` (a whole number or a distribution drawn per item, from the stream
 *   `fn/<function>/outputs/<i>`) to the workload `to`, which takes them through its own invocation
 *   model (`ModelRun.target`: a message sent to an SQS queue, an event accepted, a record written to a
 *   stream). They are delivered at the instant the invocation ends, after the completions of that
 *   instant (one `pipeline/deliver` event per instant that has any).
 * - **Calls.** A function's `calls` are synchronous invokes made one after another after its own work;
 *   its environment stays busy and billed while it waits (src/platform/platform.ts `Holder`). A callee
 *   that is throttled, fails or times out makes the caller's invocation fail then (a function error),
 *   which the caller's invocation model handles as any failure (SDK retries, async retries, a message
 *   back to its queue); the caller's code does not retry the call itself (a simplification). The
 *   function's timeout ends the wait; the callee runs on unwatched. {@link Pipeline.call} is the same
 *   "invoke F for this item and learn the outcome" for any other caller (a Step Functions Task).
 * - **Recursive loop detection** (docs/sources.md §8): each event carries Lambda's lineage, a count per
 *   function of how often the chain of requests it belongs to has invoked it. SQS, SNS, S3 and the
 *   Lambda Invoke API carry it; a Kinesis or DynamoDB stream does not (its records start no count). An
 *   event that would invoke a function (`recursiveLoop: Terminate`, the default) a 17th time in its
 *   chain is stopped where it arrives: it goes to the target's dead-letter queue or on-failure
 *   destination if it has one, else it is dropped (AWS stops the invocation, after the event has
 *   waited in the queue: lsim stops it at once, a simplification). A call that would is refused
 *   (RecursiveInvocationException): the caller fails. Counts are kept only for functions on loops.
 * - **End to end.** A request that enters a pipeline at its first stage (a workload with arrivals
 *   whose function sends or calls) gets a request slot: its id (the one `lsim explain` and records
 *   show), its start and how many of its items are alive. Every message it leads to is an *item* that
 *   carries the request, its lineage and its stage, so memory follows what is in flight, never what
 *   was sent. An item ends at its stage done, in a DLQ or dropped; a copy (an at-least-once
 *   duplicate, an invocation its client stopped waiting for) is an item of its own. The request has
 *   finished when its last item ends and none was lost. Requests that entered during the warm-up
 *   flow but are not counted.
 */
import type { Simulator } from '../engine/simulator.js';
import type { Rng, RngStreams } from '../engine/rng.js';
import { Phase, Status, STATUS_NAMES, Throttle, THROTTLE_REASONS, type Holder, type Invoker, type Platform } from '../platform/platform.js';
import { LogHistogram } from '../metrics/histogram.js';
import { percentiles, round, type Percentiles } from '../metrics/summary.js';
import type { Tracer } from '../metrics/trace.js';
import type { ScenarioBase, WorkloadBase } from '../scenario/types.js';
import { makeCountSampler, type CountSampler } from '../workload/counts.js';
import { pipelineShape, RECURSION_LIMIT } from './pipeline-graph.js';

/** How an item leaves its stage. */
export const Fate = { DONE: 0, DLQ: 1, DROPPED: 2 } as const;
const FATES = ['done', 'dlq', 'dropped'] as const;

/** {@link Pipeline.call}'s answer when recursive loop detection refuses the call (else a Throttle reason, NONE when it started). */
export const CALL_STOPPED = -1;

/** What the pipeline knows of a workload that takes outputs (from its model's `target`). */
export interface TargetInfo {
  noun: string;
  lineage: boolean;
  dlq: boolean;
}

/** Told how a call made with {@link Pipeline.call} ended: the callee's Status at tMs. */
export interface CallClient {
  callDone(token: number, status: number, tMs: number): void;
}

interface Output {
  target: number;
  sampler: CountSampler;
  rng: Rng;
  lineage: boolean;
  dlq: boolean;
}

/** One stage of one pipeline, as the result reports it. */
export interface PipelineStageResult {
  workload: string;
  function: string;
  invoke: string;
  /** Items that entered: requests at the first stage; messages, events or records sent to it further on (copies too). */
  entered: number;
  done: number;
  /** Still queued or running at this stage at the end of the run. */
  inFlight: number;
  /** In its dead-letter queue or on-failure destination. */
  dlq: number;
  dropped: number;
  /** Of dlq and dropped: events stopped by Lambda's recursive loop detection on arrival here. */
  stoppedByRecursion: number;
  /** From the request's start to its item done here. */
  latencyMs: Percentiles;
  /** The oldest item open at this stage, at the end of each interval: its largest age. */
  maxOldestAgeMs: number;
  /** Throttles of the stage's function (all its callers), after the warm-up. */
  throttles: number;
}

/** A pipeline: the requests that entered at its first stage, followed to the last. */
export interface PipelineResult {
  /** The first stage's workload. */
  name: string;
  requests: { entered: number; finished: number; finishedShare: number; inFlight: number; inDlq: number; dropped: number };
  /** From the start of a finished request to the end of its last item (its last side effect). */
  endToEndMs: Percentiles;
  stages: PipelineStageResult[];
  /** Synchronous calls made by the pipeline's functions, and those that failed (throttled, failed, timed out, or refused as recursive). */
  calls: { made: number; failed: number };
  /**
   * The first stage whose items wait longer and longer (the mean time from entering the stage to done,
   * of the items done in an interval, grew by at least half an interval in each of two intervals
   * running) or whose function is throttled, and from when; null when none.
   */
  binding: { stage: string; fromMs: number; cause: 'wait' | 'throttles' } | null;
}

/** Per interval and stage: items open and the age of the oldest at its end, and the mean wait of the items done in it, ms. */
export type PipelineSeries = Record<string, Record<string, { open: number[]; oldestAgeMs: number[]; meanWaitMs: number[] }>>;

const NIL = -1;

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number): T {
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  return b;
}

export class Pipeline implements Holder, Invoker, CallClient {
  /** Set only when tracing (lsim explain). */
  trace: Tracer | null = null;
  private readonly id: number;
  private readonly fromMs: number;
  private readonly intervalMs: number;
  private readonly workloads: readonly WorkloadBase[];
  private readonly fnOfWorkload: Int32Array;
  private readonly fnNames: string[];
  private readonly info: (TargetInfo | null)[];
  /** Per workload: its pipeline when it is a first stage, else −1. */
  private readonly entryOf: Int32Array;
  private readonly accept: (((tMs: number, item: number) => void) | null)[];
  // Per function.
  private readonly onSuccess: (Output[] | null)[];
  private readonly onFailure: (Output[] | null)[];
  private readonly callsOf: (Int32Array | null)[];
  /** 32^slot for a function on a loop (its count's place in a lineage), 0 otherwise; and whether it terminates. */
  private readonly weight: Float64Array;
  private readonly terminate: Uint8Array;
  // Pipelines and their stages (a stage is one workload of one pipeline).
  private readonly entries: number[];
  private readonly stageIds: Int32Array[];
  private readonly sWorkload: number[] = [];
  private readonly sEntered: number[] = [];
  private readonly sDone: number[] = [];
  private readonly sDlq: number[] = [];
  private readonly sDropped: number[] = [];
  private readonly sStopped: number[] = [];
  private readonly sLatency: LogHistogram[] = [];
  private readonly sHead: number[] = [];
  private readonly sTail: number[] = [];
  private readonly sOpen: number[] = [];
  private readonly sOpenSeries: Float64Array[] = [];
  private readonly sAgeSeries: Float64Array[] = [];
  /** Per interval: the time at the stage of the items done in it, summed, and how many (after the warm-up). */
  private readonly sWaitSum: Float64Array[] = [];
  private readonly sWaitCount: Float64Array[] = [];
  private readonly pEntered: number[];
  private readonly pFinished: number[];
  private readonly pLost: number[][];
  private readonly pEndToEnd: LogHistogram[];
  private readonly pCalls: number[];
  private readonly pCallsFailed: number[];
  // Requests.
  private rStart = new Float64Array(256);
  private rId = new Int32Array(256);
  private rPipe = new Int32Array(256);
  private rOpen = new Int32Array(256);
  /** 0, or the fate (Fate.DLQ, Fate.DROPPED) of its first item lost. */
  private rLost = new Uint8Array(256);
  private rCounted = new Uint8Array(256);
  private rFree = NIL;
  private rUsed = 0;
  // Items: their request, lineage, stage (−1 for a call's), when they entered it, and the stage's open list.
  private iReq = new Int32Array(1024);
  private iLineage = new Float64Array(1024);
  private iStage = new Int32Array(1024);
  private iAt = new Float64Array(1024);
  private iPrev = new Int32Array(1024);
  private iNext = new Int32Array(1024);
  private iFree = NIL;
  private iUsed = 0;
  // Deliveries waiting for the end of the instant: item and target workload.
  private dItem = new Int32Array(64);
  private dTarget = new Int32Array(64);
  private dCount = 0;
  private readonly deliverKind: number;
  // Calls: the client and its token, the callee's item and function, the hold generation (holds only).
  private cClient: CallClient[] = [];
  private cToken = new Int32Array(64);
  private cItem = new Int32Array(64);
  private cFn = new Int32Array(64);
  private cGen = new Int32Array(64);
  private cFree: number[] = [];
  // Holds, by environment id: the function waiting, its item, the next call, a generation.
  private hFn = new Int32Array(0);
  private hItem = new Int32Array(0);
  private hNext = new Int32Array(0);
  private hGen = new Int32Array(0);

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    rng: RngStreams,
    scenario: ScenarioBase,
    /** Per workload: how it takes outputs (null: it does not), and whether it has arrivals of its own. */
    info: (TargetInfo | null)[],
    fed: readonly boolean[],
  ) {
    this.fromMs = scenario.warmupMs;
    this.intervalMs = scenario.report.intervalMs;
    this.workloads = scenario.workloads;
    this.info = info;
    const functions = scenario.functions;
    const fnIndex = new Map(functions.map((f, i) => [f.name, i]));
    const wIndex = new Map(scenario.workloads.map((w, i) => [w.name, i]));
    this.fnNames = functions.map((f) => f.name);
    this.fnOfWorkload = Int32Array.from(scenario.workloads, (w) => fnIndex.get(w.functionName)!);
    const shape = pipelineShape(functions, scenario.workloads, fed);
    this.weight = Float64Array.from(shape.loopSlot, (s) => (s < 0 ? 0 : 32 ** s));
    this.terminate = Uint8Array.from(functions, (f) => (f.pipeline?.recursiveLoop === 'Allow' ? 0 : 1));
    const outputs = (f: (typeof functions)[number], on: 'success' | 'failure'): Output[] | null => {
      const list = (f.pipeline?.outputs ?? []).flatMap((o, i) => {
        if (o.on !== on) return [];
        const target = wIndex.get(o.to)!;
        return [{ target, sampler: makeCountSampler(o.count), rng: rng.stream(`fn/${f.name}/outputs/${i}`), lineage: info[target]!.lineage, dlq: info[target]!.dlq }];
      });
      return list.length > 0 ? list : null;
    };
    this.onSuccess = functions.map((f) => outputs(f, 'success'));
    this.onFailure = functions.map((f) => outputs(f, 'failure'));
    this.callsOf = functions.map((f) => (f.pipeline && f.pipeline.calls.length > 0 ? Int32Array.from(f.pipeline.calls, (g) => fnIndex.get(g)!) : null));
    this.accept = scenario.workloads.map(() => null);
    this.entryOf = new Int32Array(scenario.workloads.length).fill(-1);
    this.entries = shape.pipelines.map((p) => p.entry);
    const n = Math.ceil(scenario.durationMs / this.intervalMs);
    this.stageIds = shape.pipelines.map((p, pi) => {
      this.entryOf[p.entry] = pi;
      const ids = new Int32Array(scenario.workloads.length).fill(-1);
      for (const w of p.stages) {
        ids[w] = this.sWorkload.length;
        this.sWorkload.push(w);
        for (const a of [this.sEntered, this.sDone, this.sDlq, this.sDropped, this.sStopped, this.sOpen]) a.push(0);
        this.sHead.push(NIL);
        this.sTail.push(NIL);
        this.sLatency.push(new LogHistogram());
        this.sOpenSeries.push(new Float64Array(n));
        this.sAgeSeries.push(new Float64Array(n));
        this.sWaitSum.push(new Float64Array(n));
        this.sWaitCount.push(new Float64Array(n));
      }
      return ids;
    });
    const k = shape.pipelines.length;
    this.pEntered = new Array<number>(k).fill(0);
    this.pFinished = new Array<number>(k).fill(0);
    this.pLost = Array.from({ length: k }, () => [0, 0, 0]);
    this.pEndToEnd = Array.from({ length: k }, () => new LogHistogram());
    this.pCalls = new Array<number>(k).fill(0);
    this.pCallsFailed = new Array<number>(k).fill(0);
    this.id = platform.addInvoker(this);
    this.deliverKind = sim.register(() => this.deliver(), 'pipeline/deliver');
    if (this.callsOf.some((c) => c !== null)) platform.holder = this;
    const sampleKind = sim.register((i) => {
      this.sample(i);
      if ((i + 2) * this.intervalMs < scenario.durationMs) sim.schedule((i + 2) * this.intervalMs, Phase.SAMPLE, sampleKind, i + 1);
    }, 'pipeline/sample');
    if (this.sWorkload.length > 0 && this.intervalMs < scenario.durationMs) sim.schedule(this.intervalMs, Phase.SAMPLE, sampleKind, 0);
  }

  /** Connects workload `w` (by index) to the runtime of its model: how an output enters it. */
  connect(w: number, accept: (tMs: number, item: number) => void): void {
    this.accept[w] = accept;
  }

  // -------------------------------------------------------------------------
  // What invocation models call

  /** The handle a model keeps for workload `w`: its pipeline when it is a first stage, else −1. */
  entry(w: WorkloadBase): number {
    return this.entryOf[this.workloads.indexOf(w)];
  }

  /** A request of `entry` (a handle from {@link entry}, ≥ 0) arrives at tMs; `request` is its trace or record id (−1 without). Returns its item. */
  enter(entry: number, tMs: number, request: number): number {
    const r = this.allocRequest();
    this.rStart[r] = tMs;
    this.rId[r] = request;
    this.rPipe[r] = entry;
    this.rOpen[r] = 0;
    this.rLost[r] = 0;
    const counted = tMs >= this.fromMs;
    this.rCounted[r] = counted ? 1 : 0;
    if (counted) this.pEntered[entry]++;
    const w = this.entries[entry];
    // The first invocation counts in the lineage where the source carries one (docs/sources.md §8).
    const lineage = this.info[w]?.lineage === false ? 0 : this.weight[this.fnOfWorkload[w]];
    return this.newItem(r, lineage, this.stageIds[entry][w], tMs);
  }

  /** The trace or record id of the request `item` belongs to (models use it as the id of the message it became). */
  requestOf(item: number): number {
    return this.rId[this.iReq[item]];
  }

  /** Function `fn` processed `item` at tMs, successfully or not: its outputs for that outcome are sent. */
  processed(item: number, fn: number, tMs: number, ok: boolean): void {
    const outs = ok ? this.onSuccess[fn] : this.onFailure[fn];
    if (outs === null) return;
    for (let k = 0; k < outs.length; k++) {
      const o = outs[k];
      for (let n = o.sampler.sample(o.rng); n > 0; n--) this.send(item, fn, o, tMs);
    }
  }

  /** Whether function `fn` sends anything when it fails (batch models check before looping over a failed batch). */
  sendsOnFailure(fn: number): boolean {
    return this.onFailure[fn] !== null;
  }

  /** `item` leaves its stage at tMs: done, in a dead-letter queue or on-failure destination, or dropped. */
  end(item: number, tMs: number, fate: number): void {
    const r = this.iReq[item];
    const s = this.iStage[item];
    if (s >= 0) {
      this.unlink(item, s);
      if (this.rCounted[r]) {
        if (fate === Fate.DONE) {
          this.sDone[s]++;
          this.sLatency[s].record(tMs - this.rStart[r]);
        } else if (fate === Fate.DLQ) this.sDlq[s]++;
        else this.sDropped[s]++;
      }
      if (fate !== Fate.DONE && this.rLost[r] === 0) this.rLost[r] = fate;
      if (fate === Fate.DONE && tMs >= this.fromMs) {
        const k = Math.min(Math.floor(tMs / this.intervalMs), this.sWaitSum[s].length - 1);
        this.sWaitSum[s][k] += tMs - this.iAt[item];
        this.sWaitCount[s][k]++;
      }
    }
    this.iNext[item] = this.iFree;
    this.iFree = item;
    if (--this.rOpen[r] === 0) this.finish(r, tMs);
  }

  /** A copy of `item` at its stage (an at-least-once duplicate, or an invocation its caller stopped waiting for). */
  copy(item: number, tMs: number): number {
    return this.newItem(this.iReq[item], this.iLineage[item], this.iStage[item], tMs);
  }

  // -------------------------------------------------------------------------
  // Calls

  /**
   * Invokes function `fn` synchronously at tMs for pipeline `item` (−1: none), as a caller that waits:
   * the callee's outputs and calls follow as for any invocation, and `client.callDone(token, status, t)`
   * is told how it ended. Returns Throttle.NONE when it started, a throttle reason (429), or
   * {@link CALL_STOPPED} when recursive loop detection refuses it (docs/sources.md §8).
   */
  call(fn: number, tMs: number, item: number, client: CallClient, token: number): number {
    let lineage = item >= 0 ? this.iLineage[item] : 0;
    const w = this.weight[fn];
    if (w > 0) {
      if (this.terminate[fn] && Math.floor(lineage / w) % 32 >= RECURSION_LIMIT) return CALL_STOPPED;
      lineage += w;
    }
    const child = item >= 0 ? this.newItem(this.iReq[item], lineage, NIL, tMs) : NIL;
    const c = this.cFree.length > 0 ? this.cFree.pop()! : this.allocCall();
    this.cClient[c] = client;
    this.cToken[c] = token;
    this.cItem[c] = child;
    this.cFn[c] = fn;
    // A hold's call answers only the wait it was made for (the timeout may end that wait first).
    this.cGen[c] = client === this ? this.hGen[token] : 0;
    const reason = this.platform.invoke(fn, tMs, this.id, c, 0, 0);
    if (reason !== Throttle.NONE) {
      if (child >= 0) this.end(child, tMs, Fate.DONE);
      this.cFree.push(c);
    }
    return reason;
  }

  /** Platform: a callee finished. */
  onComplete(c: number): void {
    const t = this.sim.now;
    const status = this.platform.lastStatus;
    const item = this.cItem[c];
    if (item >= 0) {
      this.processed(item, this.cFn[c], t, status === Status.OK);
      this.end(item, t, Fate.DONE);
    }
    const client = this.cClient[c];
    const token = this.cToken[c];
    const stale = client === this && this.cGen[c] !== this.hGen[token];
    this.cFree.push(c);
    if (!stale) client.callDone(token, status, t);
  }

  traceRequest(c: number): number {
    return this.cItem[c] >= 0 ? this.requestOf(this.cItem[c]) : -1;
  }

  itemOf(c: number): number {
    return this.cItem[c];
  }

  /** Platform: the invocation on `env` of `fn` has done its own work and makes its calls, for `item`. */
  hold(env: number, fn: number, item: number, tMs: number): void {
    if (this.hFn.length < this.platform.envs.capacity) {
      const n = Math.max(256, this.platform.envs.capacity);
      this.hFn = grow(this.hFn, n);
      this.hItem = grow(this.hItem, n);
      this.hNext = grow(this.hNext, n);
      this.hGen = grow(this.hGen, n);
    }
    this.hFn[env] = fn;
    this.hItem[env] = item;
    this.hNext[env] = 0;
    this.hGen[env]++;
    this.nextCall(env, tMs);
  }

  /** Platform: the timeout of the invocation on `env` ended its wait; the answers still out go to nobody. */
  abandon(env: number): void {
    this.hGen[env]++;
    this.traceCall(this.hItem[env], this.hFn[env], 'call-abandoned', { status: 'timeout' });
  }

  /** A call of the invocation waiting on `env` ended: the next call, or the end of the invocation. */
  callDone(env: number, status: number, tMs: number): void {
    const item = this.hItem[env];
    const callee = this.callsOf[this.hFn[env]]![this.hNext[env] - 1];
    this.traceCall(item, callee, 'call-done', { status: STATUS_NAMES[status] });
    if (status === Status.OK) this.nextCall(env, tMs);
    else this.fail(env, item, tMs);
  }

  private nextCall(env: number, tMs: number): void {
    const calls = this.callsOf[this.hFn[env]]!;
    const k = this.hNext[env];
    if (k === calls.length) {
      this.platform.release(env, tMs, Status.OK);
      return;
    }
    this.hNext[env] = k + 1;
    const item = this.hItem[env];
    const counted = item >= 0 && this.rCounted[this.iReq[item]] === 1;
    if (counted) this.pCalls[this.rPipe[this.iReq[item]]]++;
    this.traceCall(item, calls[k], 'call', {});
    const reason = this.call(calls[k], tMs, item, this, env);
    if (reason === Throttle.NONE) return;
    this.traceCall(item, calls[k], 'call-done', reason === CALL_STOPPED ? { status: 'stopped', reason: 'recursive-loop' } : { status: 'throttled', reason: THROTTLE_REASONS[reason] });
    this.fail(env, item, tMs);
  }

  /** A call failed: so does the invocation waiting on `env` (a function error to its invocation model). */
  private fail(env: number, item: number, tMs: number): void {
    if (item >= 0 && this.rCounted[this.iReq[item]]) this.pCallsFailed[this.rPipe[this.iReq[item]]]++;
    this.platform.release(env, tMs, Status.ERROR);
  }

  private allocCall(): number {
    const c = this.cClient.length;
    if (c === this.cToken.length) {
      const n = c * 2;
      this.cToken = grow(this.cToken, n);
      this.cItem = grow(this.cItem, n);
      this.cFn = grow(this.cFn, n);
      this.cGen = grow(this.cGen, n);
    }
    this.cClient.push(this);
    return c;
  }

  // -------------------------------------------------------------------------
  // Sending on

  private send(parent: number, fn: number, o: Output, tMs: number): void {
    const r = this.iReq[parent];
    const s = this.stageIds[this.rPipe[r]][o.target];
    let lineage = o.lineage ? this.iLineage[parent] : 0;
    const g = this.fnOfWorkload[o.target];
    const w = o.lineage ? this.weight[g] : 0;
    const stopped = w > 0 && this.terminate[g] === 1 && Math.floor(lineage / w) % 32 >= RECURSION_LIMIT;
    if (w > 0 && !stopped) lineage += w;
    const child = this.newItem(r, lineage, s, tMs);
    if (this.trace !== null) {
      this.trace.emit({ tMs, type: 'send', request: this.rId[r], workload: this.workloads[o.target].name, function: this.fnNames[fn], reason: this.info[o.target]!.noun });
    }
    if (stopped) {
      // docs/sources.md §8: Lambda stops the invocation; the event goes to the DLQ or on-failure destination, if any.
      if (this.rCounted[r]) this.sStopped[s]++;
      const fate = o.dlq ? Fate.DLQ : Fate.DROPPED;
      if (this.trace !== null) {
        this.trace.emit({ tMs, type: 'stopped', request: this.rId[r], workload: this.workloads[o.target].name, function: this.fnNames[g], outcome: FATES[fate], attempt: RECURSION_LIMIT });
      }
      this.end(child, tMs, fate);
      return;
    }
    if (this.dCount === this.dItem.length) {
      this.dItem = grow(this.dItem, this.dCount * 2);
      this.dTarget = grow(this.dTarget, this.dCount * 2);
    }
    if (this.dCount === 0) this.sim.schedule(tMs, Phase.ARRIVAL, this.deliverKind, 0);
    this.dItem[this.dCount] = child;
    this.dTarget[this.dCount] = o.target;
    this.dCount++;
  }

  /** The instant's outputs enter their workloads, in the order they were sent. */
  private deliver(): void {
    const t = this.sim.now;
    // Deliveries may send more at this instant (a model that invokes at once); those join the list.
    for (let k = 0; k < this.dCount; k++) this.accept[this.dTarget[k]]!(t, this.dItem[k]);
    this.dCount = 0;
  }

  // -------------------------------------------------------------------------
  // Tables

  private newItem(r: number, lineage: number, s: number, tMs: number): number {
    let i = this.iFree;
    if (i >= 0) this.iFree = this.iNext[i];
    else {
      if (this.iUsed === this.iReq.length) {
        const n = this.iUsed * 2;
        this.iReq = grow(this.iReq, n);
        this.iLineage = grow(this.iLineage, n);
        this.iStage = grow(this.iStage, n);
        this.iAt = grow(this.iAt, n);
        this.iPrev = grow(this.iPrev, n);
        this.iNext = grow(this.iNext, n);
      }
      i = this.iUsed++;
    }
    this.iReq[i] = r;
    this.iLineage[i] = lineage;
    this.iStage[i] = s;
    this.iAt[i] = tMs;
    this.rOpen[r]++;
    if (s >= 0) {
      if (this.rCounted[r]) this.sEntered[s]++;
      this.sOpen[s]++;
      this.iPrev[i] = this.sTail[s];
      this.iNext[i] = NIL;
      if (this.sTail[s] >= 0) this.iNext[this.sTail[s]] = i;
      else this.sHead[s] = i;
      this.sTail[s] = i;
    }
    return i;
  }

  private unlink(i: number, s: number): void {
    const p = this.iPrev[i];
    const n = this.iNext[i];
    if (p >= 0) this.iNext[p] = n;
    else this.sHead[s] = n;
    if (n >= 0) this.iPrev[n] = p;
    else this.sTail[s] = p;
    this.sOpen[s]--;
  }

  private allocRequest(): number {
    const r = this.rFree;
    if (r >= 0) {
      this.rFree = this.rOpen[r];
      return r;
    }
    if (this.rUsed === this.rStart.length) {
      const n = this.rUsed * 2;
      this.rStart = grow(this.rStart, n);
      this.rId = grow(this.rId, n);
      this.rPipe = grow(this.rPipe, n);
      this.rOpen = grow(this.rOpen, n);
      this.rLost = grow(this.rLost, n);
      this.rCounted = grow(this.rCounted, n);
    }
    return this.rUsed++;
  }

  /** The request's last item ended at tMs. */
  private finish(r: number, tMs: number): void {
    const p = this.rPipe[r];
    const lost = this.rLost[r];
    if (this.rCounted[r]) {
      if (lost === 0) {
        this.pFinished[p]++;
        this.pEndToEnd[p].record(tMs - this.rStart[r]);
      } else this.pLost[p][lost]++;
    }
    if (this.trace !== null) {
      this.trace.emit({ tMs, type: 'end', request: this.rId[r], workload: this.workloads[this.entries[p]].name, outcome: lost === 0 ? 'finished' : FATES[lost], durationMs: tMs - this.rStart[r] });
    }
    // The free list threads through rOpen.
    this.rOpen[r] = this.rFree;
    this.rFree = r;
  }

  private traceCall(item: number, callee: number, type: string, extra: { status?: string; reason?: string }): void {
    if (this.trace === null || item < 0) return;
    this.trace.emit({ tMs: this.sim.now, type, request: this.requestOf(item), function: this.fnNames[callee], ...extra });
  }

  /** End of interval i: items open per stage and the age of the oldest. */
  private sample(i: number): void {
    const t = this.sim.now;
    for (let s = 0; s < this.sWorkload.length; s++) {
      this.sOpenSeries[s][i] = this.sOpen[s];
      const head = this.sHead[s];
      this.sAgeSeries[s][i] = head >= 0 ? t - this.iAt[head] : 0;
    }
  }

  // -------------------------------------------------------------------------
  // Results

  /**
   * The pipelines' results and series, after the run ended at endMs; `throttles(fn)` is function fn's
   * throttles per interval, `invoke(w)` workload w's invocation model.
   */
  results(endMs: number, throttles: (fn: number) => ArrayLike<number>): { results: PipelineResult[]; series: PipelineSeries } {
    this.sample(Math.ceil(endMs / this.intervalMs) - 1);
    // Requests still open: in flight, or lost already.
    const open = this.entries.map(() => [0, 0, 0]);
    const free = new Uint8Array(this.rUsed);
    for (let r = this.rFree; r >= 0; r = this.rOpen[r]) free[r] = 1;
    for (let r = 0; r < this.rUsed; r++) if (!free[r] && this.rCounted[r]) open[this.rPipe[r]][this.rLost[r]]++;
    const series: PipelineSeries = {};
    const results = this.entries.map((entry, p): PipelineResult => {
      const name = this.workloads[entry].name;
      series[name] = {};
      const stages: PipelineStageResult[] = [];
      let binding: PipelineResult['binding'] = null;
      this.sWorkload.forEach((w, s) => {
        if (this.stageIds[p][w] !== s) return;
        const fn = this.fnOfWorkload[w];
        const wl = this.workloads[w];
        const ages = this.sAgeSeries[s];
        const waits = Array.from(this.sWaitSum[s], (sum, i) => (this.sWaitCount[s][i] > 0 ? sum / this.sWaitCount[s][i] : 0));
        const thr = throttles(fn);
        let inFlight = 0;
        for (let i = this.sHead[s]; i >= 0; i = this.iNext[i]) if (this.rCounted[this.iReq[i]]) inFlight++;
        let maxAge = 0;
        let throttled = 0;
        const first = Math.floor(this.fromMs / this.intervalMs);
        for (let i = first; i < ages.length; i++) {
          maxAge = Math.max(maxAge, ages[i]);
          throttled += thr[i];
          // Waits growing in intervals i − 1 and i (from i − 2, when they began to grow), or throttles in interval i.
          const half = this.intervalMs / 2;
          const grows = i >= first + 2 && waits[i] - waits[i - 1] >= half && waits[i - 1] - waits[i - 2] >= half;
          const cause = thr[i] > 0 ? 'throttles' : grows ? 'wait' : null;
          const at = (cause === 'throttles' ? i : i - 2) * this.intervalMs;
          if (cause !== null && (binding === null || at < binding.fromMs)) binding = { stage: wl.name, fromMs: Math.max(at, this.fromMs), cause };
        }
        series[name][wl.name] = { open: Array.from(this.sOpenSeries[s]), oldestAgeMs: Array.from(ages, (a) => round(a, 3)), meanWaitMs: waits.map((a) => round(a, 3)) };
        stages.push({
          workload: wl.name,
          function: wl.functionName,
          invoke: wl.invoke,
          entered: this.sEntered[s],
          done: this.sDone[s],
          inFlight,
          dlq: this.sDlq[s],
          dropped: this.sDropped[s],
          stoppedByRecursion: this.sStopped[s],
          latencyMs: percentiles(this.sLatency[s]),
          maxOldestAgeMs: round(maxAge, 3),
          throttles: throttled,
        });
      });
      const entered = this.pEntered[p];
      const finished = this.pFinished[p];
      return {
        name,
        requests: {
          entered,
          finished,
          finishedShare: entered > 0 ? round(finished / entered, 6) : 0,
          inFlight: open[p][0],
          inDlq: this.pLost[p][Fate.DLQ] + open[p][Fate.DLQ],
          dropped: this.pLost[p][Fate.DROPPED] + open[p][Fate.DROPPED],
        },
        endToEndMs: percentiles(this.pEndToEnd[p]),
        stages,
        calls: { made: this.pCalls[p], failed: this.pCallsFailed[p] },
        binding,
      };
    });
    return { results, series };
  }
}
