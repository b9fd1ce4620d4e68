/**
 * Sync invocation driven by a trace (issue 9): the callers of src/invoke/sync.ts
 * (lambda-facts §3: the caller waits, throttles come back as 429, the SDK
 * retries throttles and its own timeouts with jittered backoff), but each
 * request carries what its trace row said: which scenario function it calls,
 * its handler duration (passed whole through `Platform.invoke` with
 * `InvokeFlags.HANDLER_MS`), its outcome (`FAIL` / `SUCCEED`) and whether its
 * payload is over the 6 MB sync limit (§3, §8: refused with 413, no invocation).
 *
 * The workload's synthetic `arrivals` segments, if any, run alongside the trace
 * and call the workload's own function with drawn durations. The invoker keeps
 * its own slots (typed arrays) and draws backoff from the workload's stream
 * `wl/<w>/client-backoff`, as SyncInvoker does; SyncInvoker is untouched.
 */
import type { EventSource, Simulator } from '../engine/simulator.js';
import type { Rng, RngStreams } from '../engine/rng.js';
import type { SyncWorkloadSpec, TraceSourceSpec } from '../scenario/types.js';
import { ArrivalStream } from '../workload/arrivals.js';
import { TraceReplay } from '../workload/trace.js';
import { Phase, Status, Throttle, type Invoker, type Platform } from '../platform/platform.js';
import { WorkloadMeters } from './meters.js';
import { ArrivalSource } from './arrival-source.js';
import type { TraceReplayResult } from '../sim/result.js';

interface TraceWorkload {
  spec: SyncWorkloadSpec;
  fnIndex: number;
  rngBackoff: Rng;
  meters: WorkloadMeters;
  /** Requests refused for a payload over the limit (after the warm-up). */
  payloadTooLarge: number;
}

/** The trace of one workload as an engine event source. */
class TraceArrivals implements EventSource {
  nextTime: number;
  readonly phase = Phase.ARRIVAL;
  constructor(
    readonly replay: TraceReplay,
    private readonly onArrival: (tMs: number, r: TraceReplay) => void,
  ) {
    this.nextTime = replay.next();
  }
  fire(): void {
    this.onArrival(this.nextTime, this.replay);
    this.nextTime = this.replay.next();
  }
}

export class TraceInvoker implements Invoker {
  private readonly id: number;
  private readonly retryKind: number;
  private readonly workloads: TraceWorkload[] = [];
  // Request slots: one per request waiting for a response or a retry.
  private firstAtMs = new Float64Array(256);
  private workloadOf = new Int32Array(256);
  private attemptOf = new Int32Array(256);
  private fnOf = new Int32Array(256);
  private handlerMsOf = new Float64Array(256);
  private flagsOf = new Int32Array(256);
  private detached = new Uint8Array(256);
  private freeSlots: number[] = [];
  private usedSlots = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    private readonly rng: RngStreams,
    /** Scenario function name → index. */
    private readonly fnIndexOf: (name: string) => number,
  ) {
    this.id = platform.addInvoker(this);
    this.retryKind = sim.register((slot) => this.attempt(slot, this.sim.now));
  }

  /**
   * Adds a workload with a trace: the trace (and any synthetic segments) become
   * event sources. Returns the replay, whose `stats` describe what it read.
   * @throws UserError for a trace that cannot be opened or has no usable header.
   */
  add(spec: SyncWorkloadSpec & { trace: TraceSourceSpec }, fnIndex: number, meters: WorkloadMeters, durationMs: number): { replay: TraceReplay; payloadTooLarge: () => number } {
    const w = this.workloads.length;
    const wl: TraceWorkload = { spec, fnIndex, rngBackoff: this.rng.stream(`wl/${spec.name}/client-backoff`), meters, payloadTooLarge: 0 };
    this.workloads.push(wl);
    const replay = new TraceReplay(spec.trace, spec.name, this.fnIndexOf, fnIndex, durationMs, this.rng);
    if (spec.arrivals.length > 0) {
      const stream = new ArrivalStream(spec.arrivals, (i) => this.rng.stream(`wl/${spec.name}/arrivals/${i}`));
      this.sim.addSource(new ArrivalSource(stream, (t) => this.arrive(w, t, fnIndex, NaN, 0)));
    }
    this.sim.addSource(
      new TraceArrivals(replay, (t, r) => {
        if (r.tooLarge) {
          if (t >= meters.fromMs) wl.payloadTooLarge++;
          return;
        }
        this.arrive(w, t, r.fn, r.durationMs, r.flags);
      }),
    );
    return { replay, payloadTooLarge: () => wl.payloadTooLarge };
  }

  private arrive(w: number, tMs: number, fn: number, handlerMs: number, flags: number): void {
    const m = this.workloads[w].meters;
    if (tMs >= m.fromMs) {
      m.requests++;
      m.requestSeries.add(tMs);
    }
    const slot = this.allocSlot();
    this.firstAtMs[slot] = tMs;
    this.workloadOf[slot] = w;
    this.attemptOf[slot] = 1;
    this.fnOf[slot] = fn;
    this.handlerMsOf[slot] = Number.isNaN(handlerMs) ? 0 : handlerMs;
    this.flagsOf[slot] = flags;
    this.attempt(slot, tMs);
  }

  private attempt(slot: number, tMs: number): void {
    const wl = this.workloads[this.workloadOf[slot]];
    const m = wl.meters;
    const counted = this.firstAtMs[slot] >= m.fromMs;
    const reason = this.platform.invoke(this.fnOf[slot], tMs, this.id, slot, this.handlerMsOf[slot], this.flagsOf[slot]);
    if (reason !== Throttle.NONE) {
      if (this.retryOrGiveUp(slot, tMs, wl)) return;
      if (counted) {
        m.throttled++;
        m.throttledSeries.add(tMs);
      }
      this.freeSlot(slot);
      return;
    }
    const client = wl.spec.client;
    const latency = this.platform.lastLatencyMs;
    if (client.timeoutMs !== null && latency > client.timeoutMs) {
      // The client stops waiting at its timeout; the function runs on under this slot.
      const giveUpAt = tMs + client.timeoutMs;
      this.detached[slot] = 1;
      const retry = this.allocSlot();
      this.firstAtMs[retry] = this.firstAtMs[slot];
      this.workloadOf[retry] = this.workloadOf[slot];
      this.attemptOf[retry] = this.attemptOf[slot];
      this.fnOf[retry] = this.fnOf[slot];
      this.handlerMsOf[retry] = this.handlerMsOf[slot];
      this.flagsOf[retry] = this.flagsOf[slot];
      if (this.retryOrGiveUp(retry, giveUpAt, wl)) return;
      if (counted && giveUpAt < m.durationMs) m.clientTimeouts++;
      this.freeSlot(retry);
    }
  }

  /** Schedules the next attempt if the policy allows one; returns whether it did. */
  private retryOrGiveUp(slot: number, tMs: number, wl: TraceWorkload): boolean {
    const client = wl.spec.client;
    const attempt = this.attemptOf[slot];
    if (client.retryMode === 'none' || attempt >= client.maxAttempts) return false;
    const backoff = Math.min(wl.rngBackoff.double() * client.baseDelayMs * 2 ** (attempt - 1), client.maxBackoffMs);
    this.attemptOf[slot] = attempt + 1;
    if (this.firstAtMs[slot] >= wl.meters.fromMs) wl.meters.retries++;
    this.sim.schedule(tMs + backoff, Phase.ARRIVAL, this.retryKind, slot);
    return true;
  }

  onComplete(slot: number): void {
    if (this.detached[slot]) {
      this.freeSlot(slot);
      return;
    }
    const m = this.workloads[this.workloadOf[slot]].meters;
    if (this.firstAtMs[slot] >= m.fromMs) {
      const status = this.platform.lastStatus;
      if (status === Status.OK) m.succeeded++;
      else if (status === Status.ERROR) m.functionErrors++;
      else m.functionTimeouts++;
      m.latencyMs.record(this.sim.now - this.firstAtMs[slot]);
    }
    this.freeSlot(slot);
  }

  private allocSlot(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.usedSlots === this.firstAtMs.length) {
      const n = this.usedSlots * 2;
      this.firstAtMs = growF(this.firstAtMs, n);
      this.handlerMsOf = growF(this.handlerMsOf, n);
      this.workloadOf = growI(this.workloadOf, n);
      this.attemptOf = growI(this.attemptOf, n);
      this.fnOf = growI(this.fnOf, n);
      this.flagsOf = growI(this.flagsOf, n);
      const d = new Uint8Array(n);
      d.set(this.detached);
      this.detached = d;
    }
    return this.usedSlots++;
  }

  private freeSlot(slot: number): void {
    this.detached[slot] = 0;
    this.freeSlots.push(slot);
  }
}

function growF(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/** The result section of a trace replay. */
export function traceReplayResult(spec: TraceSourceSpec, r: { replay: TraceReplay; payloadTooLarge: () => number }): TraceReplayResult {
  const s = r.replay.stats;
  return {
    file: spec.asWritten,
    format: spec.format,
    speed: spec.speed,
    scale: spec.scale,
    rows: s.rows,
    badRows: s.badRows,
    firstBadRow: s.firstBadRow,
    traced: s.traced,
    sent: s.sent,
    unmapped: s.unmapped,
    functionsMapped: r.replay.functionsMapped,
    durationsFromTrace: s.durationsFromTrace,
    payloadTooLarge: r.payloadTooLarge(),
  };
}
