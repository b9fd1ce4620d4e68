/**
 * Synchronous invocation (InvocationType=RequestResponse), docs/sources.md §3.
 *
 * The caller waits for the function. A throttle comes back at once as 429; a
 * function error or timeout comes back as a response (status 200 with
 * X-Amz-Function-Error), so the SDK does not retry it. Lambda itself never
 * retries a sync call. The callers' SDK clients may (src/models/client.ts): they
 * retry throttles and their own timeouts up to `maxAttempts` in all, after a
 * jittered exponential backoff, within a per-client retry quota, and in
 * `adaptive` mode behind a client-side rate limiter that can make a request
 * wait for a send token before each attempt.
 *
 * A client that times out (clientTimeout) gives up on its attempt while the
 * function keeps running (and billing); a retry then starts a new invocation.
 *
 * End-to-end latency runs from the request's first attempt to the response
 * the caller finally gets, including throttled tries and backoff.
 *
 * Two optional observers, each `null` unless set and each one null check per
 * site: `trace` (src/metrics/trace.ts, `lsim explain`) and `records` (one record
 * per request as it ends, src/metrics/records.ts, `lsim run --records`).
 *
 * Pipelines (issue 16, src/models/pipeline.ts): when the scenario has them (`pipe`), a
 * request of a first stage gets its pipeline item at arrival; the invocation's outcome
 * gives its function's outputs, and the request ends done or dropped (an error, a
 * throttle or a client timeout is the caller's, and goes no further). An invocation its
 * client stopped waiting for runs on as a copy of the item. One check per site.
 *
 * Requests come from a workload's arrival processes or from a trace (issue 9,
 * src/models/sync/trace-replay.ts). A traced request carries what its row said: which
 * scenario function it calls, its handler duration (passed whole through
 * `Platform.invoke` with `InvokeFlags.HANDLER_MS`), its outcome (`FAIL` /
 * `SUCCEED`); one whose payload is over the 6 MB sync limit (§3, §8) is
 * refused (413) without an invocation.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RngStreams, Rng } from '../../engine/rng.js';
import type { EventSource } from '../../engine/simulator.js';
import type { SyncWorkloadSpec, TraceSourceSpec } from './types.js';
import type { TraceReplayResult } from './types.js';
import { ArrivalStream } from '../../workload/arrivals.js';
import { TraceReplay } from './trace-replay.js';
import { ArrivalSource } from '../arrival-source.js';
import { Phase, Status, STATUS_NAMES, Throttle, THROTTLE_REASONS, type Invoker, type Platform } from '../../platform/platform.js';
import type { TraceEvent, Tracer } from '../../metrics/trace.js';
import type { Recorder } from '../../metrics/records.js';
import { WorkloadMeters } from './meters.js';
import { RetryCause, SdkClients } from '../client.js';
import { Fate, type Pipeline } from '../pipeline.js';
import { callerRetries, Door, doorBucket, Http, lambdaThrottleStatus } from './front-door.js';
import type { ContinuousBucket } from '../../platform/token-bucket.js';

/** How a door's request ended (issue 15, front-door.ts). */
const DoorEnd = { OK: 0, GATEWAY_THROTTLE: 1, LAMBDA_THROTTLE: 2, FUNCTION_ERROR: 3, INTEGRATION_TIMEOUT: 4, TOO_LARGE: 5 } as const;
const DOOR_END_NAMES = ['ok', 'gateway-throttled', 'lambda-throttled', 'function-error', 'integration-timeout', 'payload-too-large'] as const;

interface SyncWorkload {
  spec: SyncWorkloadSpec;
  fnIndex: number;
  rngBackoff: Rng;
  clients: SdkClients;
  meters: WorkloadMeters;
  /** Traced requests refused for a payload over the limit (after the warm-up). */
  payloadTooLarge: number;
  /** Issue 16: its handle as a first stage of a pipeline (−1: it is none). */
  entry: number;
  /** Issue 15: its HTTP front door (null: SDK callers). */
  door: Door | null;
  /** Issue 21: the platform caller of its direct requests (see `sendDirect`); −1 when it has none. */
  direct: number;
}

/** The platform's caller for one workload's direct requests: the token is the request's SDK client. */
class DirectRequests implements Invoker {
  constructor(
    private readonly sync: SyncInvoker,
    private readonly w: number,
  ) {}
  onComplete(client: number): void {
    this.sync.directAnswered(this.w, client);
  }
}

/** A trace replay as an engine event source. */
class TraceArrivals implements EventSource {
  nextTime: number;
  readonly phase = Phase.ARRIVAL;
  constructor(
    private readonly replay: TraceReplay,
    private readonly onArrival: (tMs: number, r: TraceReplay) => void,
  ) {
    this.nextTime = replay.next();
  }
  fire(): void {
    this.onArrival(this.nextTime, this.replay);
    this.nextTime = this.replay.next();
  }
}

export class SyncInvoker implements Invoker {
  private readonly id: number;
  private readonly retryKind: number;
  private readonly timeoutKind: number;
  private readonly workloads: SyncWorkload[] = [];
  // Request slots: one per request waiting for a response or a retry.
  private firstAtMs = new Float64Array(256);
  private workloadOf = new Int32Array(256);
  private attemptOf = new Int32Array(256);
  /** The function a request calls, and its handler time and InvokeFlags (from a trace; 0 = drawn). */
  private fnOf = new Int32Array(256);
  private handlerMsOf = new Float64Array(256);
  private flagsOf = new Int32Array(256);
  /** 1 when the client has stopped waiting for the invocation running under this slot. */
  private detached = new Uint8Array(256);
  /** The SDK client sending the request, the quota tokens its last retry took, and since when it waits for a send token. */
  private clientOf = new Int32Array(256);
  private retryCostOf = new Int32Array(256);
  private waitFromMs = new Float64Array(256);
  private freeSlots: number[] = [];
  private usedSlots = 0;
  /** Set only when tracing (lsim explain): request ids per slot, and the events of src/metrics/trace.ts. */
  trace: Tracer | null = null;
  private reqOf = new Int32Array(256);
  /** Set only when records are wanted (src/metrics/records.ts): each counted request as it ends. */
  records: Recorder | null = null;
  /** Issue 16: the scenario's pipelines (null without; set before `add`), and each slot's item (−1: none). */
  pipe: Pipeline | null = null;
  private itemOfSlot = new Int32Array(256);
  /** Issue 15: a door request's payload in bytes, from a trace's payload column (0: not known). */
  private payloadOf = new Float64Array(256);
  /** API Gateway's account-level bucket, shared by every REST and HTTP API (created with the first). */
  private gatewayAccount: ContinuousBucket | null = null;
  private readonly doorTimeoutKind: number;

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    private readonly rng: RngStreams,
  ) {
    this.id = platform.addInvoker(this);
    this.retryKind = sim.register((slot) => this.attempt(slot, this.sim.now), 'sync/retry');
    this.timeoutKind = sim.register((slot) => this.clientTimedOut(slot), 'sync/client-timeout');
    this.doorTimeoutKind = sim.register((slot) => this.doorAnswer(slot, this.sim.now, Http.TIMEOUT, DoorEnd.INTEGRATION_TIMEOUT), 'sync/integration-timeout');
  }

  /** Adds a workload: its arrival processes become an event source. Returns the workload's index. */
  add(spec: SyncWorkloadSpec, fnIndex: number, meters: WorkloadMeters): number {
    const w = this.workloads.length;
    this.workloads.push({
      spec,
      fnIndex,
      rngBackoff: this.rng.stream(`wl/${spec.name}/client-backoff`),
      clients: new SdkClients(
        spec.client,
        this.sim,
        (slot) => this.tokenGranted(slot),
        (slot) => this.rateLimitedGiveUp(slot),
      ),
      meters,
      payloadTooLarge: 0,
      entry: this.pipe?.entry(spec) ?? -1,
      door: spec.via && spec.via.door !== 'sdk' ? this.doorOf(spec.via, meters) : null,
      direct: -1,
    });
    const wl = this.workloads[w];
    if (wl.door === null && !wl.clients.adaptive && wl.entry < 0) {
      wl.direct = this.platform.addInvoker(new DirectRequests(this, w));
      // A direct request's latency is its invocation's (it starts at the arrival): one record for a warm one.
      if (meters.fromMs === this.platform.functions[fnIndex].meters.fromMs) {
        this.platform.shareLatency(wl.direct, fnIndex, meters.latencyMs, spec.client.timeoutMs ?? Infinity);
      }
    }
    if (spec.arrivals.length > 0) {
      const stream = new ArrivalStream(spec.arrivals, (i) => this.rng.stream(`wl/${spec.name}/arrivals/${i}`));
      this.sim.addSource(new ArrivalSource(stream, (t) => this.arrive(w, t, fnIndex, 0, 0)));
    }
    return w;
  }

  /** The door of a workload: API Gateway's doors share the account-level bucket of the first one (issue 15). */
  private doorOf(via: NonNullable<SyncWorkloadSpec['via']>, m: WorkloadMeters): Door {
    if (via.account !== null && this.gatewayAccount === null) this.gatewayAccount = doorBucket(via.account);
    return new Door(via, via.account !== null ? this.gatewayAccount : null, m.intervalMs, m.durationMs);
  }

  /** The door of a workload, for its result (null: SDK callers). */
  doorOfWorkload(spec: SyncWorkloadSpec): Door | null {
    return this.workloads.find((w) => w.spec.name === spec.name)?.door ?? null;
  }

  /**
   * Adds a workload whose requests also come from a trace (its synthetic
   * arrivals, if any, run alongside). `fnIndexOf` maps trace function names to
   * scenario functions. Returns the replay's result, to call after the run.
   * @throws UserError for a trace that cannot be opened or has no usable header.
   */
  addTraced(
    spec: SyncWorkloadSpec & { trace: TraceSourceSpec },
    fnIndex: number,
    meters: WorkloadMeters,
    durationMs: number,
    fnIndexOf: (name: string) => number,
  ): () => TraceReplayResult {
    const w = this.add(spec, fnIndex, meters);
    const wl = this.workloads[w];
    const replay = new TraceReplay(spec.trace, spec.name, fnIndexOf, fnIndex, durationMs, this.rng);
    this.sim.addSource(
      new TraceArrivals(replay, (t, r) => {
        const door = wl.door;
        if (door !== null) {
          // Issue 15: the door checks the payload against its own limit (10 MB at API Gateway, 6 MB at a function URL).
          const bytes = r.payloadBytes;
          if (bytes > door.spec.maxPayloadBytes) {
            if (t >= meters.fromMs) {
              meters.requests++;
              meters.requestSeries.add(t);
              meters.doorEnded++;
              door.meters.request(t, 1); // refused whole: one request, whatever its size
              door.meters.answer(Http.TOO_LARGE);
              door.meters.payloadTooLarge++;
              if (this.records !== null) this.record(w, -1, r.fn, t, t + door.spec.overheadMs, 'payload-too-large', '413', 1);
            }
            return;
          }
          this.arrive(w, t, r.fn, Number.isNaN(r.durationMs) ? 0 : r.durationMs, r.flags, bytes);
          return;
        }
        if (!r.tooLarge) this.arrive(w, t, r.fn, Number.isNaN(r.durationMs) ? 0 : r.durationMs, r.flags);
        else if (t >= meters.fromMs) {
          wl.payloadTooLarge++;
          if (this.records !== null) this.record(w, -1, r.fn, t, t, 'rejected', 'payload-too-large', 1);
        }
      }),
    );
    return () => traceReplayResult(spec.trace, replay, wl.payloadTooLarge);
  }

  private arrive(w: number, tMs: number, fn: number, handlerMs: number, flags: number, payloadBytes = 0): void {
    const wl = this.workloads[w];
    const m = wl.meters;
    if (tMs >= m.fromMs) {
      m.requests++;
      m.requestSeries.add(tMs);
    }
    if (wl.direct >= 0 && handlerMs === 0 && flags === 0 && this.trace === null && this.records === null) {
      this.sendDirect(w, wl, tMs, fn);
      return;
    }
    const slot = this.newSlot(w, tMs, fn, handlerMs, flags, wl.clients.assign(), payloadBytes);
    if (this.trace !== null) {
      this.reqOf[slot] = this.trace.newRequest();
      this.traceEvent(slot, tMs, 'arrival');
    } else if (this.records !== null) this.reqOf[slot] = this.records.newRequest();
    const entry = wl.entry;
    this.itemOfSlot[slot] = entry < 0 ? -1 : this.pipe!.enter(entry, tMs, this.trace !== null || this.records !== null ? this.reqOf[slot] : -1);
    this.attempt(slot, tMs);
  }

  /**
   * Issue 21, the hot path: a request whose whole state is its workload, its SDK client and when it
   * started — the first attempt of a request with a drawn handler, from a workload without a door, an
   * adaptive limiter or a pipeline, while nothing traces or records — needs no request slot while it
   * runs: the platform carries its client as the token and gives its start back at the completion
   * (`directAnswered`). One that is throttled (its client may retry) or that its client will stop
   * waiting for becomes a request with a slot, and the same rules as for any other go on from there.
   */
  private sendDirect(w: number, wl: SyncWorkload, tMs: number, fn: number): void {
    const client = wl.clients.assign();
    const reason = this.platform.invoke(fn, tMs, wl.direct, client, 0, 0);
    if (reason === Throttle.NONE && !this.outlasts(wl)) return;
    if (reason !== Throttle.NONE && !wl.clients.retriesFirst) {
      // Throttled with no retry to come: it ends here, as `throttled` would end it.
      this.endThrottled(wl.meters, tMs, tMs);
      return;
    }
    const slot = this.newSlot(w, tMs, fn, 0, 0, client, 0);
    this.itemOfSlot[slot] = -1;
    if (reason !== Throttle.NONE) this.throttled(slot, tMs, wl, reason);
    else {
      this.platform.reassign(this.id, slot);
      this.giveUpAtTimeout(slot, tMs, wl);
    }
  }

  /** A slot for a new request of workload `w` arriving at tMs, before its first attempt. */
  private newSlot(w: number, tMs: number, fn: number, handlerMs: number, flags: number, client: number, payloadBytes: number): number {
    const slot = this.allocSlot();
    this.firstAtMs[slot] = tMs;
    this.workloadOf[slot] = w;
    this.attemptOf[slot] = 1;
    this.fnOf[slot] = fn;
    this.handlerMsOf[slot] = handlerMs;
    this.flagsOf[slot] = flags;
    this.clientOf[slot] = client;
    this.retryCostOf[slot] = 0;
    this.payloadOf[slot] = payloadBytes;
    return slot;
  }

  /** Whether the invocation just started runs past the client's timeout (the client stops waiting first). */
  private outlasts(wl: SyncWorkload): boolean {
    const timeoutMs = wl.spec.client.timeoutMs;
    return timeoutMs !== null && this.platform.lastLatencyMs > timeoutMs;
  }

  /**
   * The client of `slot` stops waiting for the invocation just started at its timeout, when that comes
   * first: the function runs on under this slot, the request goes on under a new one.
   */
  private giveUpAtTimeout(slot: number, tMs: number, wl: SyncWorkload): void {
    if (this.outlasts(wl)) this.sim.schedule(tMs + wl.spec.client.timeoutMs!, Phase.ARRIVAL, this.timeoutKind, this.detach(slot, tMs));
  }

  /** A direct request of workload `w` (`sendDirect`) was answered by Lambda: as `onComplete` for a first attempt. */
  directAnswered(w: number, client: number): void {
    const wl = this.workloads[w];
    wl.clients.succeeded(client, false, 0);
    this.answered(wl.meters, this.platform.lastStartMs, this.sim.now, !this.platform.lastShared);
  }

  /** The request that began at firstAtMs ends throttled at tMs: counted when it counts (returned). */
  private endThrottled(m: WorkloadMeters, firstAtMs: number, tMs: number): boolean {
    if (firstAtMs < m.fromMs) return false;
    m.throttled++;
    m.throttledSeries.add(tMs);
    return true;
  }

  /**
   * Lambda answered the request that began at firstAtMs, now at tMs: counts its outcome and latency when it counts (returned).
   * `latency` false: the platform has its latency already (`Platform.shareLatency`).
   */
  private answered(m: WorkloadMeters, firstAtMs: number, tMs: number, latency = true): boolean {
    if (firstAtMs < m.fromMs) return false;
    const status = this.platform.lastStatus;
    if (status === Status.OK) m.succeeded++;
    else if (status === Status.ERROR) m.functionErrors++;
    else m.functionTimeouts++;
    if (latency) m.latencyMs.record(tMs - firstAtMs);
    return true;
  }

  private attempt(slot: number, tMs: number): void {
    const wl = this.workloads[this.workloadOf[slot]];
    if (wl.door !== null) {
      this.doorSend(slot, tMs, wl, wl.door);
      return;
    }
    if (wl.clients.acquireSend(this.clientOf[slot], slot, tMs)) this.send(slot, tMs, wl);
    else {
      // Adaptive mode: the attempt waits for a send token of its client's rate limiter.
      this.waitFromMs[slot] = tMs;
      if (this.trace !== null) this.traceEvent(slot, tMs, 'rate-limit', {});
    }
  }

  /** A waiting attempt got its send token (adaptive mode). */
  private tokenGranted(slot: number): void {
    const t = this.sim.now;
    const wl = this.workloads[this.workloadOf[slot]];
    if (this.firstAtMs[slot] >= wl.meters.fromMs) {
      wl.meters.sendWaits++;
      wl.meters.sendWaitMs.record(t - this.waitFromMs[slot]);
    }
    this.send(slot, t, wl);
  }

  /** A waiting attempt waited longer than the client's timeout: the caller gives up before sending (adaptive mode). */
  private rateLimitedGiveUp(slot: number): void {
    const wl = this.workloads[this.workloadOf[slot]];
    if (this.firstAtMs[slot] >= wl.meters.fromMs) {
      wl.meters.rateLimited++;
      if (this.records !== null) this.recordEnd(slot, this.sim.now, 'rate-limited', '');
    }
    if (this.trace !== null) this.traceEvent(slot, this.sim.now, 'done', { outcome: 'rate-limited' });
    this.dropItem(slot, this.sim.now);
    this.freeSlot(slot);
  }

  /** Sends an attempt to Lambda. */
  private send(slot: number, tMs: number, wl: SyncWorkload): void {
    const reason = this.platform.invoke(this.fnOf[slot], tMs, this.id, slot, this.handlerMsOf[slot], this.flagsOf[slot]);
    if (reason !== Throttle.NONE) this.throttled(slot, tMs, wl, reason);
    else this.giveUpAtTimeout(slot, tMs, wl);
  }

  /** Lambda throttled the attempt in `slot` at tMs for `reason`: the client retries or the request ends throttled. */
  private throttled(slot: number, tMs: number, wl: SyncWorkload, reason: number): void {
    const m = wl.meters;
    if (this.trace !== null) this.traceEvent(slot, tMs, 'throttle', { reason: THROTTLE_REASONS[reason] });
    if (wl.clients.adaptive) wl.clients.response(this.clientOf[slot], tMs, true);
    if (this.retryOrGiveUp(slot, tMs, wl, RetryCause.THROTTLE)) return;
    if (this.endThrottled(m, this.firstAtMs[slot], tMs) && this.records !== null) this.recordEnd(slot, tMs, 'throttled', THROTTLE_REASONS[reason]);
    if (this.trace !== null) this.traceEvent(slot, tMs, 'done', { outcome: 'throttled' });
    this.dropItem(slot, tMs);
    this.freeSlot(slot);
  }

  /** The client's timeout of the attempt behind `slot` ended: it retries or gives up. */
  private clientTimedOut(slot: number): void {
    const t = this.sim.now;
    const wl = this.workloads[this.workloadOf[slot]];
    const m = wl.meters;
    if (wl.door !== null) {
      // Issue 15: the door's caller gives up before the door answered; no retry (its policy lists status codes).
      if (this.firstAtMs[slot] >= m.fromMs) {
        m.clientTimeouts++;
        wl.door.meters.callerTimeout++;
        if (this.records !== null) this.recordEnd(slot, t, 'client-timeout', '');
      }
      if (this.trace !== null) this.traceEvent(slot, t, 'done', { outcome: 'client-timeout' });
      this.dropItem(slot, t);
      this.freeSlot(slot);
      return;
    }
    if (this.trace !== null) this.traceEvent(slot, t, 'client-timeout', { delayMs: wl.spec.client.timeoutMs ?? 0 });
    // Not a throttle: to the adaptive limiter it counts as a response that was not throttled.
    if (wl.clients.adaptive) wl.clients.response(this.clientOf[slot], t, false);
    if (this.retryOrGiveUp(slot, t, wl, RetryCause.TIMEOUT)) return;
    if (this.firstAtMs[slot] >= m.fromMs) {
      m.clientTimeouts++;
      if (this.records !== null) this.recordEnd(slot, t, 'client-timeout', '');
    }
    if (this.trace !== null) this.traceEvent(slot, t, 'done', { outcome: 'client-timeout' });
    this.dropItem(slot, t);
    this.freeSlot(slot);
  }

  /** Schedules the next attempt if the policy and the client's retry quota allow one; returns whether it did. */
  private retryOrGiveUp(slot: number, tMs: number, wl: SyncWorkload, cause: number): boolean {
    const attempt = this.attemptOf[slot];
    const clients = wl.clients;
    const cost = clients.acquireRetry(this.clientOf[slot], attempt, cause);
    const counted = this.firstAtMs[slot] >= wl.meters.fromMs;
    if (cost < 0) {
      if (clients.quotaExhausted && counted) wl.meters.retryQuotaExhausted++;
      return false;
    }
    const backoff = clients.backoffMs(attempt, cause, wl.rngBackoff.double());
    this.attemptOf[slot] = attempt + 1;
    this.retryCostOf[slot] = cost;
    if (counted) wl.meters.retries++;
    if (this.trace !== null) this.traceEvent(slot, tMs, 'retry', { delayMs: backoff });
    this.sim.schedule(tMs + backoff, Phase.ARRIVAL, this.retryKind, slot);
    return true;
  }

  onComplete(slot: number): void {
    if (this.detached[slot]) {
      this.processedItem(slot);
      this.freeSlot(slot);
      return;
    }
    const t = this.sim.now;
    const wl = this.workloads[this.workloadOf[slot]];
    if (wl.door !== null) {
      // Issue 15: the door answers 200, or 502 for a function error or timeout.
      const ok = this.platform.lastStatus === Status.OK;
      this.doorAnswer(slot, t, ok ? Http.OK : Http.BAD_GATEWAY, ok ? DoorEnd.OK : DoorEnd.FUNCTION_ERROR);
      return;
    }
    const m = wl.meters;
    // Lambda answered (200, with X-Amz-Function-Error for a function error): a success to the SDK.
    const c = this.clientOf[slot];
    wl.clients.succeeded(c, this.attemptOf[slot] > 1, this.retryCostOf[slot]);
    if (wl.clients.adaptive) wl.clients.response(c, t, false);
    if (this.answered(m, this.firstAtMs[slot], t) && this.records !== null) this.recordEnd(slot, t, STATUS_NAMES[this.platform.lastStatus], '');
    if (this.trace !== null) this.traceEvent(slot, t, 'done', { outcome: STATUS_NAMES[this.platform.lastStatus] });
    this.processedItem(slot);
    this.freeSlot(slot);
  }

  /** Issue 16: the invocation under `slot` ended: its function's outputs for the outcome, and the item ends with it. */
  private processedItem(slot: number): void {
    const item = this.itemOfSlot[slot];
    if (item < 0) return;
    const ok = this.platform.lastStatus === Status.OK;
    this.pipe!.processed(item, this.fnOf[slot], this.sim.now, ok);
    this.pipe!.end(item, this.sim.now, ok ? Fate.DONE : Fate.DROPPED);
  }

  /** Issue 16: the request in `slot` ended without a response (throttled, timed out, rate-limited): its item is dropped. */
  private dropItem(slot: number, tMs: number): void {
    const item = this.itemOfSlot[slot];
    if (item >= 0) this.pipe!.end(item, tMs, Fate.DROPPED);
  }

  /**
   * Issue 15: an attempt reaches the door at tMs. API Gateway's buckets first (429), then a payload
   * Lambda refuses (500), then Lambda (a throttle: 500 at API Gateway, 429 at a function URL); a
   * started invocation is answered at its end (200 or 502) or at the integration timeout (504), or the
   * caller gives up first.
   */
  private doorSend(slot: number, tMs: number, wl: SyncWorkload, door: Door): void {
    const counted = this.firstAtMs[slot] >= wl.meters.fromMs;
    const dm = door.meters;
    if (door.account !== null || door.stage !== null) {
      const refused = door.admit(tMs);
      if (refused !== 0) {
        if (counted) {
          // A request the gateway throttles (429) is received but not billed (docs/sources.md §15).
          dm.request(tMs, 0);
          if (refused === 1) dm.throttledAccount++;
          else dm.throttledStage++;
          dm.gatewayThrottledSeries.add(tMs);
        }
        if (this.trace !== null) this.traceEvent(slot, tMs, 'door-throttle', { reason: refused === 1 ? 'account' : 'stage' });
        this.doorAnswer(slot, tMs, Http.TOO_MANY, DoorEnd.GATEWAY_THROTTLE);
        return;
      }
    }
    if (counted) dm.request(tMs, door.billedRequests(this.payloadOf[slot]));
    if (this.payloadOf[slot] > door.lambdaLimitBytes) {
      this.doorAnswer(slot, tMs, Http.INTERNAL, DoorEnd.TOO_LARGE);
      return;
    }
    const reason = this.platform.invoke(this.fnOf[slot], tMs, this.id, slot, this.handlerMsOf[slot], this.flagsOf[slot]);
    if (reason !== Throttle.NONE) {
      if (counted) dm.lambdaThrottled++;
      if (this.trace !== null) this.traceEvent(slot, tMs, 'throttle', { reason: THROTTLE_REASONS[reason] });
      this.doorAnswer(slot, tMs, lambdaThrottleStatus(door.spec.door), DoorEnd.LAMBDA_THROTTLE);
      return;
    }
    const latency = this.platform.lastLatencyMs;
    const cut = door.spec.integrationTimeoutMs;
    const callerCut = door.spec.caller?.timeoutMs ?? null;
    const gatewayFirst = cut !== null && latency > cut && (callerCut === null || callerCut >= cut);
    if (!gatewayFirst && !(callerCut !== null && latency > callerCut)) return;
    // The gateway (504) or the caller stops waiting; the function runs on under this slot, the request goes on under a new one.
    if (gatewayFirst && counted) {
      dm.afterTimeoutInvocations++;
      dm.afterTimeoutWorkMs += latency - cut;
    }
    const next = this.detach(slot, tMs);
    if (gatewayFirst) this.sim.schedule(tMs + cut, Phase.ARRIVAL, this.doorTimeoutKind, next);
    else this.sim.schedule(tMs + callerCut!, Phase.ARRIVAL, this.timeoutKind, next);
  }

  /** Moves the request in `slot` to a new slot, leaving the running invocation behind (its completion is then ignored). */
  private detach(slot: number, tMs: number): number {
    this.detached[slot] = 1;
    const next = this.allocSlot();
    this.firstAtMs[next] = this.firstAtMs[slot];
    this.workloadOf[next] = this.workloadOf[slot];
    this.attemptOf[next] = this.attemptOf[slot];
    this.fnOf[next] = this.fnOf[slot];
    this.handlerMsOf[next] = this.handlerMsOf[slot];
    this.flagsOf[next] = this.flagsOf[slot];
    this.clientOf[next] = this.clientOf[slot];
    this.retryCostOf[next] = this.retryCostOf[slot];
    this.reqOf[next] = this.reqOf[slot];
    this.payloadOf[next] = this.payloadOf[slot];
    const item = this.itemOfSlot[slot];
    this.itemOfSlot[next] = item;
    if (item >= 0) this.itemOfSlot[slot] = this.pipe!.copy(item, tMs);
    return next;
  }

  /**
   * Issue 15: the door answers the attempt in `slot` with `code` at tMs (its overhead added). The caller
   * retries by its own policy, or the request ends with `end`.
   */
  private doorAnswer(slot: number, tMs: number, code: number, end: number): void {
    const wl = this.workloads[this.workloadOf[slot]];
    const door = wl.door!;
    const m = wl.meters;
    const dm = door.meters;
    const counted = this.firstAtMs[slot] >= m.fromMs;
    const tAnswer = tMs + door.spec.overheadMs;
    if (counted) {
      dm.answer(code);
      if (code >= 500) dm.serverErrorSeries.add(tMs);
    }
    const invoked = end === DoorEnd.OK || end === DoorEnd.FUNCTION_ERROR;
    const attempt = this.attemptOf[slot];
    if (code !== Http.OK && attempt < door.spec.caller!.maxAttempts && callerRetries(door.spec, code)) {
      // The function's outputs for a failed invocation (none are sent for a failure); the item lives on with the request.
      if (invoked && this.itemOfSlot[slot] >= 0) this.pipe!.processed(this.itemOfSlot[slot], this.fnOf[slot], tMs, false);
      const delay = door.spec.caller!.delayMs;
      this.attemptOf[slot] = attempt + 1;
      if (counted) m.retries++;
      if (this.trace !== null) this.traceEvent(slot, tAnswer, 'door-retry', { status: String(code), delayMs: delay });
      this.sim.schedule(tAnswer + delay, Phase.ARRIVAL, this.retryKind, slot);
      return;
    }
    if (counted) {
      switch (end) {
        case DoorEnd.OK:
          m.succeeded++;
          dm.ok++;
          m.latencyMs.record(tAnswer - this.firstAtMs[slot]);
          break;
        case DoorEnd.FUNCTION_ERROR:
          if (this.platform.lastStatus === Status.TIMEOUT) m.functionTimeouts++;
          else m.functionErrors++;
          dm.functionError++;
          m.latencyMs.record(tAnswer - this.firstAtMs[slot]);
          break;
        case DoorEnd.GATEWAY_THROTTLE:
          m.throttled++;
          m.throttledSeries.add(tMs);
          dm.gatewayThrottled++;
          break;
        case DoorEnd.LAMBDA_THROTTLE:
          m.throttled++;
          m.throttledSeries.add(tMs);
          dm.lambdaThrottledFinal++;
          break;
        case DoorEnd.INTEGRATION_TIMEOUT:
          m.doorEnded++;
          dm.integrationTimeout++;
          break;
        default:
          m.doorEnded++;
          dm.payloadTooLarge++;
      }
      if (this.records !== null) this.recordEnd(slot, tAnswer, DOOR_END_NAMES[end], String(code));
    }
    if (this.trace !== null) this.traceEvent(slot, tAnswer, 'done', { status: String(code), outcome: DOOR_END_NAMES[end] });
    if (invoked) this.processedItem(slot);
    else this.dropItem(slot, tMs);
    this.freeSlot(slot);
  }

  itemOf(slot: number): number {
    return this.itemOfSlot[slot];
  }

  private allocSlot(): number {
    if (this.freeSlots.length > 0) return this.freeSlots.pop()!;
    if (this.usedSlots === this.firstAtMs.length) {
      const n = this.usedSlots * 2;
      this.firstAtMs = grow(this.firstAtMs, new Float64Array(n));
      this.handlerMsOf = grow(this.handlerMsOf, new Float64Array(n));
      this.workloadOf = grow(this.workloadOf, new Int32Array(n));
      this.attemptOf = grow(this.attemptOf, new Int32Array(n));
      this.fnOf = grow(this.fnOf, new Int32Array(n));
      this.flagsOf = grow(this.flagsOf, new Int32Array(n));
      this.reqOf = grow(this.reqOf, new Int32Array(n));
      this.detached = grow(this.detached, new Uint8Array(n));
      this.clientOf = grow(this.clientOf, new Int32Array(n));
      this.retryCostOf = grow(this.retryCostOf, new Int32Array(n));
      this.waitFromMs = grow(this.waitFromMs, new Float64Array(n));
      this.itemOfSlot = grow(this.itemOfSlot, new Int32Array(n));
      this.payloadOf = grow(this.payloadOf, new Float64Array(n));
    }
    return this.usedSlots++;
  }

  traceRequest(slot: number): number {
    return this.reqOf[slot];
  }

  /** Records the end of the request in `slot` (only called when records are wanted). */
  private recordEnd(slot: number, tMs: number, outcome: string, reason: string): void {
    this.record(this.workloadOf[slot], this.reqOf[slot], this.fnOf[slot], this.firstAtMs[slot], tMs, outcome, reason, this.attemptOf[slot]);
  }

  private record(w: number, request: number, fn: number, startedMs: number, endedMs: number, outcome: string, reason: string, attempts: number): void {
    this.records!.record({
      workload: this.workloads[w].spec.name,
      model: 'sync',
      request,
      function: this.platform.functions[fn].spec.name,
      startedMs,
      endedMs,
      outcome,
      reason,
      attempts,
      target: '',
      shard: -1,
      sequence: -1,
      key: -1,
    });
  }

  /** After the run, when records are wanted: the counted requests still waiting for a response or a retry. */
  recordOpen(): void {
    const free = new Uint8Array(this.usedSlots);
    for (const s of this.freeSlots) free[s] = 1;
    for (let s = 0; s < this.usedSlots; s++) {
      // A detached slot is an invocation its client stopped waiting for: the request lives on in another slot.
      if (free[s] || this.detached[s] || this.firstAtMs[s] < this.workloads[this.workloadOf[s]].meters.fromMs) continue;
      this.recordEnd(s, NaN, 'open', '');
    }
  }

  /** Emits a trace event about the request in `slot` (only called when tracing). */
  private traceEvent(slot: number, tMs: number, type: string, extra: Partial<TraceEvent> = {}): void {
    const wl = this.workloads[this.workloadOf[slot]];
    this.trace!.emit({
      tMs,
      type,
      request: this.reqOf[slot],
      workload: wl.spec.name,
      function: this.platform.functions[this.fnOf[slot]].spec.name,
      attempt: this.attemptOf[slot],
      ...extra,
    });
  }

  private freeSlot(slot: number): void {
    this.detached[slot] = 0;
    this.freeSlots.push(slot);
  }
}

/** Copies `from` into the larger `to`. */
function grow<T extends Float64Array | Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The result section of a trace replay. */
function traceReplayResult(spec: TraceSourceSpec, replay: TraceReplay, payloadTooLarge: number): TraceReplayResult {
  const s = replay.stats;
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
    functionsMapped: replay.functionsMapped,
    durationsFromTrace: s.durationsFromTrace,
    payloadTooLarge,
  };
}
