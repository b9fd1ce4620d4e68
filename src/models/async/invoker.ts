/**
 * Asynchronous invocation (InvocationType=Event), docs/sources.md §4 and §1.
 *
 * Rules modelled:
 * - §4 An accepted event (202) goes into the function's internal queue; a
 *   separate process (the poller) reads the queue and invokes the function
 *   under the same account / reserved / scaling rules as sync calls, but as
 *   Lambda's own caller (InvokeFlags.INTERNAL: no request-rate quota). So a
 *   burst becomes queueing, not loss.
 * - §1 Who calls: events from AWS services (`source: aws-service`) are accepted
 *   without a limit; an Invoke from your own code (`source: sdk`, the default)
 *   spends a token of the account's request-rate quota (10 × concurrency per
 *   second) at the call and is refused with 429 when there is none; the caller's
 *   SDK client retries it under its own policy and quota (src/models/client.ts),
 *   and a call that stays refused is `rejected`: it never reaches the queue.
 * - §4 Function errors and timeouts are retried `maximumRetryAttempts` times
 *   (0–2, default 2), 1 min after the first failed attempt ends and 2 min after
 *   the second (`retryDelays`; jitter is a parameter, default 0: AWS documents
 *   none, §10 item 5).
 * - §4 Throttles (and system errors) return the event to the queue, and "the
 *   retry interval increases exponentially from 1 second after the first attempt
 *   to a maximum of 5 minutes": each event waits its own backoff after its k-th
 *   throttled read (1 s × 2^(k−1), at most 5 min; doubling is assumed), and
 *   other events may be read meanwhile.
 * - §4 An event whose age reaches `maximumEventAge` (60 s – 6 h, default 6 h) is
 *   never attempted again: it goes to the failure target(s) or is dropped, at
 *   that instant (an event waiting out a backoff expires on time too).
 * - §1 Reserved concurrency 0: events go straight to the failure target, no attempt.
 * - §4 At-least-once: with `duplicateProbability` an accepted event is delivered
 *   twice (a second, independent copy); default 0 (documented, not quantified).
 *
 * Dispatch design (docs/model.md "Asynchronous invocation"). One queue per
 * function, shared by that function's async workloads, made of:
 * - per workload, a FIFO ring of events never tried (ready `queueDelay` after
 *   acceptance); the function's rings are read in order of readiness;
 * - one ring of events whose function-error retry delay has ended, read first.
 * The poller reads the head of the queue whenever capacity may have appeared.
 * Unblocked, it reads until a read is throttled or nothing is ready (on an
 * arrival, a retry coming due, a wake-up). A throttled read sets the event aside
 * for its backoff (in a heap ordered by when it is due, or when it expires) and
 * blocks the poller ("If the queue contains many entries, Lambda increases the
 * retry interval and reduces the rate at which it reads events from the
 * queue"): while blocked, each completion of one of its invocations lets it read
 * one event (the capacity that completion freed), and it reads freely again
 * when a set-aside event comes due or when a completion finds nothing to read. So throttled reads are counted where
 * they happen: one per backoff that ends on a full function, never one per
 * waiting event or per completion. Events set aside come due into the retry
 * ring, read before never-tried events. Never-tried events expire exactly on
 * time (their rings are ordered by age: one timer per ring, at the head's
 * expiry); events in the retry ring are checked when read. Time comparisons are
 * against stored deadlines (acceptedAt + maximumEventAge), never differences,
 * so a timer armed at a deadline always finds it reached.
 *
 * Pipelines (issue 16, src/models/pipeline.ts): when the scenario has them (`pipe`),
 * an event carries its pipeline item; other functions' outputs are accepted into the
 * queue (`acceptOutput`: an Invoke from the function's code spends the request-rate
 * quota like any `source: sdk` call, and one refused is dropped, not retried), an
 * attempt's outcome gives its function's outputs, and a final failure ends the item
 * at the failure target or dropped.
 *
 * Memory is proportional to the events open (rings and slot arrays are typed
 * and grow by doubling); nothing is allocated per event.
 *
 * Two optional observers, each `null` unless set and each one null check per
 * site: `trace` (src/metrics/trace.ts, for `lsim explain` and tests) and `records`
 * (one record per counted event as it ends, with the targets it reached, and per
 * call refused before it became an event: src/metrics/records.ts, for `lsim run
 * --records`). Neither changes the run.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { RngStreams, Rng } from '../../engine/rng.js';
import type { AsyncWorkloadSpec } from './types.js';
import { ArrivalStream } from '../../workload/arrivals.js';
import { ArrivalSource } from '../arrival-source.js';
import { InvokeFlags, Phase, Status, STATUS_NAMES, Throttle, THROTTLE_REASONS, type Invoker, type Platform } from '../../platform/platform.js';
import type { TraceEvent, Tracer } from '../../metrics/trace.js';
import type { Recorder, RequestRecord } from '../../metrics/records.js';
import { ASYNC_FAILURE_REASONS, AsyncFailure, AsyncMeters } from './meters.js';
import { ImmediateCalls } from '../client.js';
import { ExpiryHeap } from '../../platform/environments.js';
import { Fate, type Pipeline } from '../pipeline.js';
import { SourceDelivery, SourceMeters, type SourceHost } from './sources.js';

/** Throttle backoff (docs/sources.md §4, §11 `asyncThrottleBackoffInitialS`/`MaxS`): 1 s, ×2, at most 5 min. */
export const ASYNC_THROTTLE_BACKOFF_INITIAL_MS = 1_000;
export const ASYNC_THROTTLE_BACKOFF_MAX_MS = 300_000;

/** The backoff after an event's k-th throttled read (k ≥ 1). */
export function throttleBackoffMs(k: number): number {
  return Math.min(ASYNC_THROTTLE_BACKOFF_INITIAL_MS * 2 ** Math.min(k - 1, 30), ASYNC_THROTTLE_BACKOFF_MAX_MS);
}

/** A FIFO of slot numbers in a growable typed ring buffer. */
class SlotRing {
  private buf = new Int32Array(64);
  private head = 0;
  size = 0;
  push(slot: number): void {
    if (this.size === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      for (let i = 0; i < this.size; i++) next[i] = this.buf[(this.head + i) & (this.buf.length - 1)];
      this.buf = next;
      this.head = 0;
    }
    this.buf[(this.head + this.size++) & (this.buf.length - 1)] = slot;
  }
  peek(): number {
    return this.buf[this.head];
  }
  shift(): number {
    const slot = this.buf[this.head];
    this.head = (this.head + 1) & (this.buf.length - 1);
    this.size--;
    return slot;
  }
}

/** The internal queue of one function. */
class FunctionQueue {
  readonly workloads: number[] = [];
  /** Events whose function-error retry delay has ended: read before never-tried events. */
  readonly retryRing = new SlotRing();
  /** Throttled events waiting out their backoff, by when they are due (or expire). */
  readonly backoff = new ExpiryHeap();
  /** The last read was throttled: one read per completion until a set-aside event comes due. */
  blocked = false;
  /** The pending wake-up (Infinity: none); wake events at other instants are stale. */
  wakeAt = Infinity;
  constructor(
    readonly index: number,
    readonly fnIndex: number,
  ) {}
}

interface AsyncWorkload {
  spec: AsyncWorkloadSpec;
  cfg: AsyncWorkloadSpec['async'];
  queue: FunctionQueue;
  meters: AsyncMeters;
  /** Never-tried events, in order of acceptance. */
  fresh: SlotRing;
  expiryPending: boolean;
  /** Events of this workload waiting (rings and retry delays), for the depth series. */
  depth: number;
  hasFailureTarget: boolean;
  /** The failure targets a failed event reaches: `dlq`, `on-failure`, `dlq+on-failure`, or '' (dropped). */
  failureTargets: string;
  reservedZero: boolean;
  /** Issue 16: its handle as a first stage of a pipeline (−1: it is none). */
  entry: number;
  rngDuplicates: Rng;
  rngJitter: Rng;
  /** Issue 15: the event source's delivery before the queue (`source: s3 | sns | eventbridge`), or null. */
  delivery: SourceDelivery | null;
}

const COUNTED = 1;
/** The event's last read was throttled: its next read ends a backoff (for the trace). */
const BACKED_OFF = 2;

export class AsyncInvoker implements Invoker {
  private readonly id: number;
  private readonly retryKind: number;
  private readonly wakeKind: number;
  private readonly expireKind: number;
  private readonly workloads: AsyncWorkload[] = [];
  private readonly queues: FunctionQueue[] = [];
  private readonly queueOfFunction = new Map<number, FunctionQueue>();
  // Event slots: one per open event (queued, waiting for a retry, or in flight).
  private acceptedAtMs = new Float64Array(256);
  private workloadOf = new Int32Array(256);
  /** Invocations of the event that ran. */
  private attemptsOf = new Int32Array(256);
  /** Throttled reads of the event (its backoff grows with them). */
  private throttlesOf = new Int32Array(256);
  private flagsOf = new Uint8Array(256);
  private freeSlots = new Int32Array(256);
  private freeCount = 0;
  private usedSlots = 0;
  /** Set only when tracing (lsim explain): request ids per slot, and the events of src/metrics/trace.ts. */
  trace: Tracer | null = null;
  private reqOf = new Int32Array(256);
  /** When tracing: since when the event has been waiting to be read (accepted, or its retry delay ended). */
  private queuedSinceMs = new Float64Array(256);
  /** Set only when records are wanted (src/metrics/records.ts); set it before `add`. */
  records: Recorder | null = null;
  /** Issue 16: the scenario's pipelines (null without); set it before `add`. */
  pipe: Pipeline | null = null;
  /** Pipelines: the event's item (−1: none). */
  private itemOfSlot = new Int32Array(256);

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    private readonly rng: RngStreams,
  ) {
    this.id = platform.addInvoker(this);
    this.retryKind = sim.register((slot) => this.retryDue(slot), 'async/retry-due');
    this.wakeKind = sim.register((q) => this.wake(q), 'async/wake');
    this.expireKind = sim.register((w) => this.expireFresh(w), 'async/expire');
  }

  /** Adds an async workload on function `fnIndex`; its arrivals become an event source. */
  add(spec: AsyncWorkloadSpec, fnIndex: number, meters: AsyncMeters): number {
    const cfg = spec.async;
    const w = this.workloads.length;
    let queue = this.queueOfFunction.get(fnIndex);
    if (!queue) {
      queue = new FunctionQueue(this.queues.length, fnIndex);
      this.queues.push(queue);
      this.queueOfFunction.set(fnIndex, queue);
    }
    queue.workloads.push(w);
    this.workloads.push({
      spec,
      cfg,
      queue,
      meters,
      fresh: new SlotRing(),
      expiryPending: false,
      depth: 0,
      hasFailureTarget: cfg.deadLetterQueue !== null || cfg.onFailure !== null,
      failureTargets: [cfg.deadLetterQueue !== null ? 'dlq' : '', cfg.onFailure !== null ? 'on-failure' : ''].filter((x) => x !== '').join('+'),
      reservedZero: this.platform.functions[fnIndex].spec.reservedConcurrency === 0,
      entry: this.pipe?.entry(spec) ?? -1,
      rngDuplicates: this.rng.stream(`wl/${spec.name}/duplicates`),
      rngJitter: this.rng.stream(`wl/${spec.name}/retry-jitter`),
      delivery: null,
    });
    const wl = this.workloads[w];
    if (cfg.delivery !== null) {
      meters.source = new SourceMeters(meters.fromMs, meters.intervalMs, meters.durationMs, meters.parts);
      wl.delivery = new SourceDelivery(this.sim, cfg.delivery, spec.name, this.rng, meters.source, this.sourceHost(w, wl));
    }
    const delivery = wl.delivery;
    const stream = new ArrivalStream(spec.arrivals, (i) => this.rng.stream(`wl/${spec.name}/arrivals/${i}`));
    // §1: your code's Invoke calls go through the account's request-rate quota; AWS services' events do not.
    const calls =
      cfg.source === 'sdk' && spec.client !== null
        ? new ImmediateCalls(
            this.sim,
            spec.client,
            this.rng.stream(`wl/${spec.name}/client-backoff`),
            (t) => this.platform.admitEvent(fnIndex, t),
            (t, firstAt) => this.accept(w, t, firstAt),
            meters.calls,
          )
        : null;
    if (calls !== null && this.records !== null) {
      const records = this.records;
      calls.onRefused = (outcome, reason, firstAtMs, tMs, attempts) =>
        records.record(this.recordOf(this.workloads[w], -1, firstAtMs, tMs, outcome, reason, attempts, ''));
    }
    const arrive = calls ? (t: number) => calls.arrive(t) : delivery ? (t: number) => delivery.arrive(t) : (t: number) => this.accept(w, t, t);
    this.sim.addSource(new ArrivalSource(stream, arrive));
    return w;
  }

  /** What an event source's delivery (src/models/async/sources.ts) needs of this invoker. */
  private sourceHost(w: number, wl: AsyncWorkload): SourceHost {
    const records = this.records;
    const trace = this.trace;
    return {
      deliver: (t, firstAt, item, request) => this.accept(w, t, firstAt, item, request),
      requestOf: (item) => {
        const ids = this.trace ?? this.records;
        return ids === null ? -1 : item >= 0 ? this.pipe!.requestOf(item) : ids.newRequest();
      },
      enter: (t, request) => (wl.entry >= 0 ? this.pipe!.enter(wl.entry, t, request) : -1),
      copy: (item, t) => this.pipe!.copy(item, t),
      end: (item, t, dlq) => this.pipe!.end(item, t, dlq ? Fate.DLQ : Fate.DROPPED),
      record:
        records === null
          ? null
          : (request, startedMs, endedMs, outcome, attempts, target) =>
              records.record(this.recordOf(wl, request, startedMs, endedMs, outcome, outcome === 'open' ? '' : 'source-retries-exhausted', attempts, target)),
      emit: trace === null ? null : (request, t, type, extra) => this.emit(wl, request, t, type, extra),
    };
  }

  /**
   * Another function's output invokes workload `w` at tMs, as pipeline item `item` (issue 16): an Invoke
   * from the function's code spends the request-rate quota like a `source: sdk` call (§1); refused, it is dropped.
   */
  acceptOutput(w: number, tMs: number, item: number): void {
    const wl = this.workloads[w];
    if (wl.delivery !== null) wl.delivery.arrive(tMs, item);
    else if (wl.cfg.source === 'sdk' && this.platform.admitEvent(wl.queue.fnIndex, tMs) !== Throttle.NONE) this.pipe!.end(item, tMs, Fate.DROPPED);
    else this.accept(w, tMs, tMs, item);
  }

  /** Events open right now in the queue of function `fnIndex` (all workloads, warm-up included). */
  queueDepth(fnIndex: number): number {
    const q = this.queueOfFunction.get(fnIndex);
    return q ? q.workloads.reduce((n, w) => n + this.workloads[w].depth, 0) : 0;
  }

  /**
   * Event accepted at t (202); `firstAt` is when its Invoke call was first made, or its event happened at
   * its source (for the warm-up rule); `item` when another function's output; `request` when an event
   * source already gave it its id (−2: give one here).
   */
  private accept(w: number, t: number, firstAt: number, item = -1, request = -2): void {
    const wl = this.workloads[w];
    const m = wl.meters;
    const counted = firstAt >= m.fromMs;
    const ids = this.trace ?? this.records;
    // An event source's event (issue 15) had its `arrival` at the source: here it is `accepted` into the queue.
    const arrival = request === -2 ? 'arrival' : 'accepted';
    if (request === -2) request = ids === null ? -1 : item >= 0 ? this.pipe!.requestOf(item) : ids.newRequest();
    if (item < 0 && wl.entry >= 0) item = this.pipe!.enter(wl.entry, t, request);
    if (counted) {
      m.accepted++;
      m.acceptedByPart[m.parts.at(t)]++;
      m.acceptedSeries.add(t);
    }
    if (wl.reservedZero) {
      // §1: reserved concurrency 0 sends new events straight to the failure target, no attempt.
      if (this.trace !== null) {
        this.emit(wl, request, t, arrival, {});
        this.emit(wl, request, t, 'done', this.failureOutcome(wl, AsyncFailure.RESERVED_ZERO, 0));
      }
      this.outcome(wl, counted, AsyncFailure.RESERVED_ZERO, t, t, request, 0);
      if (item >= 0) this.pipe!.end(item, t, wl.hasFailureTarget ? Fate.DLQ : Fate.DROPPED);
      return;
    }
    const slot = this.enqueue(w, wl, t, counted);
    this.reqOf[slot] = request;
    this.itemOfSlot[slot] = item;
    if (this.trace !== null) this.traceEvent(slot, t, arrival);
    const p = wl.cfg.duplicateProbability;
    if (p > 0 && wl.rngDuplicates.next() < p) {
      if (counted) m.duplicates++;
      const copy = this.enqueue(w, wl, t, counted);
      // A pipeline's copy stays its request's (lsim explain follows both).
      if (ids !== null) this.reqOf[copy] = item >= 0 ? request : ids.newRequest();
      this.itemOfSlot[copy] = item >= 0 ? this.pipe!.copy(item, t) : -1;
      if (this.trace !== null) this.traceEvent(copy, t, 'arrival', { duplicateOf: this.reqOf[slot] });
    }
    if (!wl.queue.blocked) this.dispatch(wl.queue, t);
  }

  private enqueue(w: number, wl: AsyncWorkload, t: number, counted: boolean): number {
    const slot = this.allocSlot();
    this.acceptedAtMs[slot] = t;
    this.workloadOf[slot] = w;
    this.attemptsOf[slot] = 0;
    this.throttlesOf[slot] = 0;
    this.flagsOf[slot] = counted ? COUNTED : 0;
    if (this.trace !== null) this.queuedSinceMs[slot] = t;
    wl.fresh.push(slot);
    if (counted) wl.meters.queued++;
    this.setDepth(wl, t, 1);
    if (!wl.expiryPending) this.armExpiry(w, wl);
    return slot;
  }

  /** One timer per never-tried ring, at its head's expiry (the ring is ordered by age). */
  private armExpiry(w: number, wl: AsyncWorkload): void {
    wl.expiryPending = true;
    this.sim.schedule(this.acceptedAtMs[wl.fresh.peek()] + wl.cfg.maximumEventAgeMs, Phase.ARRIVAL, this.expireKind, w);
  }

  private expireFresh(w: number): void {
    const wl = this.workloads[w];
    const t = this.sim.now;
    wl.expiryPending = false;
    const ring = wl.fresh;
    while (ring.size > 0 && t >= this.acceptedAtMs[ring.peek()] + wl.cfg.maximumEventAgeMs) {
      const slot = ring.shift();
      this.leaveQueue(wl, slot, t);
      this.fail(wl, slot, AsyncFailure.EVENT_TOO_OLD, t);
    }
    if (ring.size > 0) this.armExpiry(w, wl);
  }

  /**
   * Reads the function's queue while the platform admits invocations; with `credit`, stops after the
   * first read that starts (a completion freed one unit of capacity while the poller was blocked).
   */
  private dispatch(q: FunctionQueue, t: number, credit = false): void {
    const workloads = this.workloads;
    const acceptedAt = this.acceptedAtMs;
    for (;;) {
      let ring: SlotRing;
      let wl: AsyncWorkload;
      if (q.retryRing.size > 0) {
        ring = q.retryRing;
        wl = workloads[this.workloadOf[ring.peek()]];
      } else {
        // The never-tried rings of the function, in order of readiness.
        let best: AsyncWorkload | null = null;
        let bestReady = Infinity;
        const list = q.workloads;
        for (let i = 0; i < list.length; i++) {
          const c = workloads[list[i]];
          if (c.fresh.size === 0) continue;
          const ready = acceptedAt[c.fresh.peek()] + c.cfg.queueDelayMs;
          if (ready < bestReady) {
            bestReady = ready;
            best = c;
          }
        }
        if (best === null || bestReady > t) {
          // Nothing to read: capacity a completion freed stays unused, so the poller reads freely again.
          if (credit) q.blocked = false;
          if (best !== null) this.armWake(q, bestReady);
          return;
        }
        wl = best;
        ring = best.fresh;
      }
      const slot = ring.peek();
      if (t >= acceptedAt[slot] + wl.cfg.maximumEventAgeMs) {
        ring.shift();
        this.leaveQueue(wl, slot, t);
        this.fail(wl, slot, AsyncFailure.EVENT_TOO_OLD, t);
        continue;
      }
      if (this.trace !== null) {
        const backoff = this.flagsOf[slot] & BACKED_OFF ? { reason: 'backoff' } : {};
        this.flagsOf[slot] &= ~BACKED_OFF;
        this.traceEvent(slot, t, 'poll', { attempt: this.attemptsOf[slot] + 1, delayMs: t - this.queuedSinceMs[slot], ...backoff });
      }
      const reason = this.platform.invoke(q.fnIndex, t, this.id, slot, 0, InvokeFlags.INTERNAL);
      ring.shift();
      if (reason === Throttle.NONE) {
        this.leaveQueue(wl, slot, t);
        this.started(wl, slot, t);
        if (credit) return;
        continue;
      }
      // Throttled (§4): the event goes back to the queue and waits its own backoff; the poller slows down.
      const k = ++this.throttlesOf[slot];
      if (this.flagsOf[slot] & COUNTED) {
        wl.meters.throttleRequeues++;
        if (k === 1) wl.meters.eventsThrottled++;
      }
      const due = Math.min(t + throttleBackoffMs(k), acceptedAt[slot] + wl.cfg.maximumEventAgeMs);
      q.backoff.push(due, slot, 0);
      q.blocked = true;
      if (this.trace !== null) {
        this.flagsOf[slot] |= BACKED_OFF;
        this.traceEvent(slot, t, 'throttle', { attempt: this.attemptsOf[slot] + 1, reason: THROTTLE_REASONS[reason], delayMs: due - t });
      }
      this.armWake(q, q.backoff.topTime());
      return;
    }
  }

  /** Makes sure the queue's poller wakes by `at` (a wake-up set for later is superseded). */
  private armWake(q: FunctionQueue, at: number): void {
    if (at >= q.wakeAt) return;
    q.wakeAt = at;
    this.sim.schedule(at, Phase.ARRIVAL, this.wakeKind, q.index);
  }

  private wake(qi: number): void {
    const q = this.queues[qi];
    const t = this.sim.now;
    if (t !== q.wakeAt) return; // superseded
    q.wakeAt = Infinity;
    // Set-aside events whose backoff has ended come due (read before never-tried ones), or expire.
    let due = false;
    while (q.backoff.topTime() <= t) {
      const slot = q.backoff.topId();
      q.backoff.pop();
      const wl = this.workloads[this.workloadOf[slot]];
      if (t >= this.acceptedAtMs[slot] + wl.cfg.maximumEventAgeMs) {
        this.leaveQueue(wl, slot, t);
        this.fail(wl, slot, AsyncFailure.EVENT_TOO_OLD, t);
        continue;
      }
      if (this.trace !== null) this.queuedSinceMs[slot] = t;
      q.retryRing.push(slot);
      due = true;
    }
    if (due || q.backoff.size === 0) q.blocked = false;
    if (!q.blocked) this.dispatch(q, t);
    if (q.backoff.size > 0) this.armWake(q, q.backoff.topTime());
  }

  private started(wl: AsyncWorkload, slot: number, t: number): void {
    const a = ++this.attemptsOf[slot];
    if ((this.flagsOf[slot] & COUNTED) === 0) return;
    const m = wl.meters;
    m.inFlight++;
    m.attempts++;
    if (a === 1) {
      m.ageAtFirstAttemptMs.record(t - this.acceptedAtMs[slot]);
      m.firstAttemptBilledMs += this.platform.lastBilledMs;
    } else {
      m.retryAttempts++;
      m.retryBilledMs += this.platform.lastBilledMs;
    }
  }

  onComplete(slot: number): void {
    const t = this.sim.now;
    const wl = this.workloads[this.workloadOf[slot]];
    const m = wl.meters;
    const counted = (this.flagsOf[slot] & COUNTED) !== 0;
    if (counted) m.inFlight--;
    const status = this.platform.lastStatus;
    if (this.itemOfSlot[slot] >= 0) this.pipe!.processed(this.itemOfSlot[slot], wl.queue.fnIndex, t, status === Status.OK);
    if (status === Status.OK) {
      this.succeed(wl, slot, t);
    } else {
      const a = this.attemptsOf[slot];
      const expiresAt = this.acceptedAtMs[slot] + wl.cfg.maximumEventAgeMs;
      if (a > wl.cfg.maximumRetryAttempts) {
        this.fail(wl, slot, AsyncFailure.RETRIES_EXHAUSTED, t);
      } else if (t >= expiresAt) {
        this.fail(wl, slot, AsyncFailure.EVENT_TOO_OLD, t);
      } else {
        const jitter = wl.cfg.retryJitterMs > 0 ? wl.rngJitter.double() * wl.cfg.retryJitterMs : 0;
        const due = Math.min(t + wl.cfg.retryDelaysMs[a - 1] + jitter, expiresAt);
        if (counted) m.waitingRetry++;
        this.setDepth(wl, t, 1);
        if (this.trace !== null) {
          // reason: the delay was cut short where the event reaches its maximum age.
          const cut = due === expiresAt ? { reason: ASYNC_FAILURE_REASONS[AsyncFailure.EVENT_TOO_OLD] } : {};
          this.traceEvent(slot, t, 'retry', { attempt: a + 1, delayMs: due - t, status: STATUS_NAMES[status], ...cut });
        }
        this.sim.schedule(due, Phase.ARRIVAL, this.retryKind, slot);
      }
    }
    // Capacity of this function was freed: read its queue (one event while the poller is blocked).
    const q = wl.queue;
    this.dispatch(q, t, q.blocked);
  }

  /** The function-error retry delay of `slot` ended (or it reached its maximum age). */
  private retryDue(slot: number): void {
    const t = this.sim.now;
    const wl = this.workloads[this.workloadOf[slot]];
    const counted = (this.flagsOf[slot] & COUNTED) !== 0;
    if (counted) wl.meters.waitingRetry--;
    if (t >= this.acceptedAtMs[slot] + wl.cfg.maximumEventAgeMs) {
      this.setDepth(wl, t, -1);
      this.fail(wl, slot, AsyncFailure.EVENT_TOO_OLD, t);
      return;
    }
    if (counted) wl.meters.queued++;
    if (this.trace !== null) this.queuedSinceMs[slot] = t;
    wl.queue.retryRing.push(slot);
    if (!wl.queue.blocked) this.dispatch(wl.queue, t);
  }

  /** The event left the queue (to run, or as too old). */
  private leaveQueue(wl: AsyncWorkload, slot: number, t: number): void {
    if (this.flagsOf[slot] & COUNTED) wl.meters.queued--;
    this.setDepth(wl, t, -1);
  }

  private setDepth(wl: AsyncWorkload, t: number, delta: number): void {
    wl.depth += delta;
    wl.meters.depth.set(t, wl.depth);
  }

  private succeed(wl: AsyncWorkload, slot: number, t: number): void {
    if (this.trace !== null) this.traceEvent(slot, t, 'done', { outcome: 'ok' });
    if (this.flagsOf[slot] & COUNTED) {
      const m = wl.meters;
      if (this.attemptsOf[slot] === 1) m.succeededFirstTry++;
      else m.succeededAfterRetry++;
      if (wl.cfg.onSuccess !== null) m.onSuccessRecords++;
      if (this.records !== null) {
        const target = wl.cfg.onSuccess !== null ? 'on-success' : '';
        this.records.record(this.recordOf(wl, this.reqOf[slot], this.acceptedAtMs[slot], t, 'ok', '', this.attemptsOf[slot], target));
      }
      m.succeededSeries.add(t);
      m.ageAtCompletionMs.record(t - this.acceptedAtMs[slot]);
    }
    if (this.itemOfSlot[slot] >= 0) this.pipe!.end(this.itemOfSlot[slot], t, Fate.DONE);
    this.freeSlot(slot);
  }

  private fail(wl: AsyncWorkload, slot: number, reason: number, t: number): void {
    if (this.trace !== null) this.traceEvent(slot, t, 'done', this.failureOutcome(wl, reason, this.attemptsOf[slot]));
    this.outcome(wl, (this.flagsOf[slot] & COUNTED) !== 0, reason, this.acceptedAtMs[slot], t, this.reqOf[slot], this.attemptsOf[slot]);
    if (this.itemOfSlot[slot] >= 0) this.pipe!.end(this.itemOfSlot[slot], t, wl.hasFailureTarget ? Fate.DLQ : Fate.DROPPED);
    this.freeSlot(slot);
  }

  /** An event's final failure: to the DLQ and/or on-failure destination, or dropped when there is none (§4). */
  private outcome(wl: AsyncWorkload, counted: boolean, reason: number, acceptedAtMs: number, t: number, request: number, attempts: number): void {
    if (!counted) return;
    const m = wl.meters;
    if (wl.hasFailureTarget) {
      m.failed[reason]++;
      if (wl.cfg.deadLetterQueue !== null) m.deadLetterRecords++;
      if (wl.cfg.onFailure !== null) m.onFailureRecords++;
    } else {
      m.dropped[reason]++;
    }
    if (this.records !== null) {
      const outcome = wl.hasFailureTarget ? 'failed' : 'dropped';
      this.records.record(this.recordOf(wl, request, acceptedAtMs, t, outcome, ASYNC_FAILURE_REASONS[reason], attempts, wl.failureTargets));
    }
    m.failedSeries.add(t);
    m.ageAtCompletionMs.record(t - acceptedAtMs);
  }

  /** A record of one of the workload's requests (only called when records are wanted). */
  private recordOf(
    wl: AsyncWorkload,
    request: number,
    startedMs: number,
    endedMs: number,
    outcome: string,
    reason: string,
    attempts: number,
    target: string,
  ): RequestRecord {
    const fn = this.platform.functions[wl.queue.fnIndex].spec.name;
    return { workload: wl.spec.name, model: 'async', request, function: fn, startedMs, endedMs, outcome, reason, attempts, target, shard: -1, sequence: -1, key: -1 };
  }

  /** After the run, when records are wanted: the counted events still queued, waiting for a retry or in flight. */
  recordOpen(): void {
    for (const wl of this.workloads) wl.delivery?.recordOpen();
    const free = new Uint8Array(this.usedSlots);
    for (let i = 0; i < this.freeCount; i++) free[this.freeSlots[i]] = 1;
    for (let s = 0; s < this.usedSlots; s++) {
      if (free[s] || (this.flagsOf[s] & COUNTED) === 0) continue;
      const wl = this.workloads[this.workloadOf[s]];
      this.records!.record(this.recordOf(wl, this.reqOf[s], this.acceptedAtMs[s], NaN, 'open', '', this.attemptsOf[s], ''));
    }
  }

  /** The `done` trace fields of a final failure: where it went, why, after how many attempts. */
  private failureOutcome(wl: AsyncWorkload, reason: number, attempts: number): Partial<TraceEvent> {
    return { outcome: wl.failureTargets || 'dropped', reason: ASYNC_FAILURE_REASONS[reason], attempt: attempts };
  }

  traceRequest(slot: number): number {
    return this.reqOf[slot];
  }

  itemOf(slot: number): number {
    return this.itemOfSlot[slot];
  }

  /** Emits a trace event about the event in `slot` (only called when tracing). */
  private traceEvent(slot: number, tMs: number, type: string, extra: Partial<TraceEvent> = {}): void {
    this.emit(this.workloads[this.workloadOf[slot]], this.reqOf[slot], tMs, type, { attempt: this.attemptsOf[slot], ...extra });
  }

  private emit(wl: AsyncWorkload, request: number, tMs: number, type: string, extra: Partial<TraceEvent>): void {
    this.trace!.emit({ tMs, type, request, workload: wl.spec.name, function: this.platform.functions[wl.queue.fnIndex].spec.name, ...extra });
  }

  private allocSlot(): number {
    if (this.freeCount > 0) return this.freeSlots[--this.freeCount];
    if (this.usedSlots === this.acceptedAtMs.length) {
      const n = this.usedSlots * 2;
      const grow = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
        const b = make(n);
        b.set(a);
        return b;
      };
      this.acceptedAtMs = grow(this.acceptedAtMs, (k) => new Float64Array(k));
      this.queuedSinceMs = grow(this.queuedSinceMs, (k) => new Float64Array(k));
      this.reqOf = grow(this.reqOf, (k) => new Int32Array(k));
      this.itemOfSlot = grow(this.itemOfSlot, (k) => new Int32Array(k));
      this.workloadOf = grow(this.workloadOf, (k) => new Int32Array(k));
      this.attemptsOf = grow(this.attemptsOf, (k) => new Int32Array(k));
      this.throttlesOf = grow(this.throttlesOf, (k) => new Int32Array(k));
      this.flagsOf = grow(this.flagsOf, (k) => new Uint8Array(k));
      this.freeSlots = grow(this.freeSlots, (k) => new Int32Array(k));
    }
    return this.usedSlots++;
  }

  private freeSlot(slot: number): void {
    this.freeSlots[this.freeCount++] = slot;
  }
}
