/**
 * An SQS queue feeding a function through an event source mapping
 * (docs/sources.md §5; parameters §11 "SQS event source mapping").
 *
 * The queue. Producers (the workload's arrivals) send messages. A message is
 * visible (waiting), or invisible (received into a batch, or failed and waiting
 * for its visibility timeout). Lambda's pollers receive visible messages into
 * batches and invoke the function synchronously with each batch; on success the
 * batch's messages are deleted (§5). On failure the messages stay invisible
 * until the visibility timeout (VT), counted from the receive, has passed, then
 * reappear with their receive count incremented; a message whose receive count
 * has reached `maxReceiveCount` moves to the queue's DLQ instead (§5 "Redrive").
 * With ReportBatchItemFailures only the failed messages return (§5 "Partial
 * batch response"). Delivery is at least once: a batch that outlives the VT (a
 * long throttle-retry, a slow cold start) lets its messages reappear and be
 * received again while it still runs; those receives are counted as duplicates.
 * A success deletes a message whichever receipt it came from (SQS may keep it
 * when the receipt handle is stale; lsim deletes it: a simplification).
 *
 * Batching (§5): a batch is invoked when it is full (`batchSize`), when the
 * 6 MB payload cap is reached (message size + per-record metadata), or when
 * the batching window ends; without a window, with whatever was visible. A
 * poller's window starts with the first message it receives, and a poller
 * starts a new batch only after its previous invoke finished. Messages are
 * received by one filling batch at a time (AWS does not say how messages spread
 * over pollers; this keeps batches as full as the window allows). The VT of a
 * batch's messages runs from the batch's first receive (a message received
 * later in the window reappears up to one window early: a simplification).
 *
 * Pollers (§5, §10 item 1): the mapping's concurrency (batches in flight)
 * starts at 5 and, while messages wait and every poller is busy, grows by one
 * every 60 s / scaleUpPerMin (300/min current, 60/min legacy) up to the ceiling
 * (1,250 current, 1,000 legacy) and `maximumConcurrency`, but not the
 * function's reserved concurrency: AWS's mappings "don't account for reserved
 * concurrency and can process more messages off your queue than can be sent to
 * your function" (§5), so batches beyond it are throttled (reserved 0 throttles
 * every batch), retried until their visibility timeout, and come back with a
 * higher receive count, which can redrive good messages to the DLQ. That is
 * what MaximumConcurrency is for. With an empty queue and idle pollers it shrinks by one
 * per step (an assumption: AWS publishes no rate) to the floor: 2, or 5 with
 * MaximumConcurrency (§11 `sqsIdleFloor`). A throttle or a function error
 * multiplies it by `errorBackoffFactor` (0.5, §11, an assumption), at most once
 * per step. A throttled batch is retried after 1 s, 2 s, 4 s, … up to 5 min
 * (borrowed from async invocation, §4: AWS gives no numbers for mappings) as
 * long as the retry falls before the VT ends; then its messages go back to the
 * queue (§5 "Backoff after a throttle").
 *
 * Provisioned mode (§5): concurrency = pollers × 10, starting at
 * minPollers × 10, growing 1,000 per minute up to maxPollers × 10 (≤ 20,000);
 * the EPU count is ⌈concurrency / 10⌉, integrated for billing.
 *
 * FIFO (§5 "FIFO ordering"): messages carry a group; a group is locked while
 * any of its messages is invisible, so one batch per group is in flight and
 * concurrency is at most the number of active groups. A batch takes messages in
 * order from the ready groups, several groups per batch (current docs). Failed
 * messages return to the front of their group, in order. With partial batch
 * responses the handler stops at the first failure: it and every later message
 * of the batch return.
 *
 * Invocations are synchronous invokes by Lambda's service, so they count toward
 * the account's request-rate quota, which "applies to sync calls from all
 * sources" (§1): they are not `InvokeFlags.INTERNAL`.
 *
 * Tracing (`lsim explain`, src/metrics/trace.ts): when `trace` is set, each message
 * is a request (its id drawn at the send) and the mapping emits `arrival` (sent),
 * `receive` (into a batch, with the receive count and the time it was visible),
 * `batch` (a batch invoked: its size, why it fired, and the request ids in it in
 * `requests`), `throttle` (the batch's retry, or `outcome: 'vt'` when the retry
 * would pass the VT), `failed` (a delivery failed: held until the VT), `visible`
 * (reappears after the VT) and `done` (`deleted`, or `dlq` at maxReceiveCount).
 * The platform's start/complete carry the batch's first message (`traceRequest`).
 * Every emit is behind one null check. Records (`records`, src/metrics/records.ts):
 * one per message deleted or redriven after the warm-up, as it happens, and one
 * per message left at the end (`finish`), each behind one null check.
 *
 * Pipelines (issue 16, src/models/pipeline.ts): when the scenario has them, a message
 * carries its pipeline item (`pipe` set); other functions' outputs are sent to the queue
 * (`accept`), a message deleted or failed gives its function's outputs, one redriven
 * ends in the DLQ. Each site is one check of the message's item.
 *
 * Memory: typed-array pools of messages (waiting or in flight), batches (in
 * progress or holding failed messages) and batch entries; nothing is allocated
 * per message or per batch once the pools have grown to the peak.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import type { SqsWorkloadSpec } from './types.js';
import { ArrivalStream } from '../../workload/arrivals.js';
import { ArrivalSource } from '../arrival-source.js';
import { InvokeFlags, Phase, Status, STATUS_NAMES, Throttle, THROTTLE_REASONS, type Invoker, type Platform } from '../../platform/platform.js';
import { BATCH_PAYLOAD_LIMIT_BYTES, SQS_REQUESTS, SQS_SCALING } from './block.js';
import { CHUNK_64KB, chunks } from '../../billing/service-prices.js';
import { SqsMeters } from './meters.js';
import type { TraceEvent, Tracer } from '../../metrics/trace.js';
import type { Recorder } from '../../metrics/records.js';
import { Fate, type Pipeline } from '../pipeline.js';

// Message states.
/**
 * Billed requests of receiving a batch of n messages of `bytes` each (docs/billing.md "The rest of the
 * bill"): ReceiveMessage calls of at most 10 messages (SQS_REQUESTS), each billed per started 64 KB chunk
 * of what it returned.
 */
export function receiveRequests(n: number, bytes: number): number {
  const per = SQS_REQUESTS.messagesPerCall;
  const full = Math.floor(n / per);
  const rest = n - full * per;
  return full * chunks(per * bytes, CHUNK_64KB) + (rest > 0 ? chunks(rest * bytes, CHUNK_64KB) : 0);
}

const M_FREE = 0;
const M_VISIBLE = 1;
const M_INVISIBLE = 2;
const F_POISON = 1;

// Batch states.
const B_FREE = 0;
const B_FILLING = 1;
const B_RETRYING = 2;
const B_RUNNING = 3;
/** Completed with failed messages held until the VT ends. */
const B_HOLDING = 4;

/** Throttle retries: 1 s, doubling, at most 5 min (docs/sources.md §4, borrowed; see the header). */
const RETRY_BASE_MS = 1000;
const RETRY_MAX_MS = 300_000;

const NIL = -1;

// Why a batch was invoked (trace only).
const T_RETRY = 0;
const T_FULL = 1;
const T_PAYLOAD = 2;
const T_WINDOW = 3;
const T_AVAILABLE = 4;
const TRIGGERS = ['throttle-retry', 'full', 'payload-cap', 'window', 'available'];

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, n: number, fill?: number): T {
  const b = new (a.constructor as { new (n: number): T })(n);
  b.set(a);
  if (fill !== undefined) b.fill(fill, a.length);
  return b;
}

export class SqsMapping implements Invoker {
  /** Set only when tracing (lsim explain): the events of src/metrics/trace.ts. */
  trace: Tracer | null = null;
  /** Set only when records are wanted (src/metrics/records.ts). */
  records: Recorder | null = null;
  /** Issue 16: the scenario's pipelines (null without), and this workload's handle as a first stage (−1: it is none). */
  pipe: Pipeline | null = null;
  entry = -1;
  private readonly id: number;
  private readonly fifo: boolean;
  private readonly vtMs: number;
  private readonly windowMs: number;
  private readonly batchSize: number;
  /** Messages per batch allowed by both batchSize and the 6 MB payload cap. */
  private readonly maxCount: number;
  private readonly maxReceive: number;
  /** Billed requests of one SendMessage (its 64 KB chunks), and the body size receives are billed by. */
  private readonly sendChunks: number;
  private readonly messageBytes: number;
  private readonly partial: boolean;
  private readonly perMessageMs: number;
  private readonly poison: number;
  private readonly messageErrors: number;
  private readonly backoffFactor: number;
  private readonly provisioned: boolean;
  // Poller scaling.
  private readonly stepMs: number;
  private readonly cap: number;
  private readonly floor: number;
  private target: number;
  private busy = 0;
  private filling = NIL;
  private lastBackoffAt = -Infinity;

  // Random streams.
  private readonly rngGroup: Rng;
  private readonly rngPoison: Rng;
  private readonly rngErrors: Rng;
  /** FIFO with skew: cumulative Zipf weights of the groups. */
  private readonly groupCdf: Float64Array | null;

  // Message pool.
  private mSent = new Float64Array(1024);
  private mRecv = new Int32Array(1024);
  private mGen = new Int32Array(1024);
  private mState = new Uint8Array(1024);
  private mFlags = new Uint8Array(1024);
  private mGroup = new Int32Array(1024);
  /** Deliveries of the message in batches not yet finished. */
  private mRunning = new Int32Array(1024);
  /** Visible list of the message's group (doubly linked). */
  private mPrev = new Int32Array(1024);
  private mNext = new Int32Array(1024);
  /** All messages not deleted, in send order (doubly linked): the head is the oldest. */
  private lPrev = new Int32Array(1024);
  private lNext = new Int32Array(1024);
  /** Tracing or records: the message's request id; tracing only: when it last became visible. */
  private mReq = new Int32Array(1024);
  private mVisAt = new Float64Array(1024);
  /** Pipelines: the message's item (−1: none). */
  private mItem = new Int32Array(1024);
  private mUsed = 0;
  private mFree = NIL;
  private liveHead = NIL;
  private liveTail = NIL;
  private visibleCount = 0;
  private invisibleCount = 0;

  // Groups (one for a standard queue).
  private readonly gHead: Int32Array;
  private readonly gTail: Int32Array;
  /** FIFO: messages of the group invisible under their current receipt (the group is locked while > 0). */
  private readonly gHeld: Int32Array;
  private readonly gReady: Uint8Array;
  private readonly ready: Int32Array;
  private readyHead = 0;
  private readyCount = 0;

  // Batch pool.
  private bState = new Uint8Array(64);
  private bRecvAt = new Float64Array(64);
  private bWindowEnd = new Float64Array(64);
  private bHead = new Int32Array(64);
  private bTail = new Int32Array(64);
  private bCount = new Int32Array(64);
  private bAttempts = new Int32Array(64);
  private bVtPending = new Uint8Array(64);
  /** Tracing only: the request id of the batch's first message (what start/complete carry). */
  private bLead = new Int32Array(64);
  private bUsed = 0;
  private bFree = NIL;

  // Batch entries (one per message delivery).
  private eMsg = new Int32Array(1024);
  private eGen = new Int32Array(1024);
  private eRecv = new Int32Array(1024);
  private eFail = new Uint8Array(1024);
  private eNext = new Int32Array(1024);
  private eUsed = 0;
  private eFree = NIL;

  private readonly windowKind: number;
  private readonly vtKind: number;
  private readonly retryKind: number;
  private readonly scaleKind: number;
  private readonly sampleKind: number;

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    rng: RngStreams,
    readonly spec: SqsWorkloadSpec,
    private readonly fnIndex: number,
    readonly meters: SqsMeters,
  ) {
    const q = spec.sqs;
    this.fifo = q.fifo;
    this.vtMs = q.effectiveVisibilityTimeoutMs;
    this.windowMs = q.maximumBatchingWindowMs;
    this.batchSize = q.batchSize;
    // §5: the 6 MB cap counts each record's metadata too, so it binds even when the body size is not given.
    const payloadCount = Math.floor(BATCH_PAYLOAD_LIMIT_BYTES / ((q.messageBytes ?? 0) + q.recordOverheadBytes));
    this.maxCount = Math.max(1, Math.min(q.batchSize, payloadCount));
    this.maxReceive = q.maxReceiveCount ?? Infinity;
    // No messageSize: each message is taken to fit in one 64 KB chunk.
    this.messageBytes = q.messageBytes ?? 0;
    this.sendChunks = chunks(this.messageBytes, CHUNK_64KB);
    this.partial = q.reportBatchItemFailures;
    this.perMessageMs = q.perMessageMs;
    this.poison = q.poison;
    this.messageErrors = q.messageErrors;
    this.backoffFactor = q.errorBackoffFactor;
    this.provisioned = q.provisioned !== null;

    // The mapping's concurrency ignores the function's reserved concurrency (§5, §1): batches beyond
    // it are throttled by the platform and take the throttle-retry / visibility-timeout path.
    const S = SQS_SCALING;
    if (q.provisioned) {
      this.stepMs = 60_000 / S.provisionedScaleUpPerMin;
      this.cap = Math.min(q.provisioned.maxPollers * S.invokesPerPoller, S.provisionedCeiling);
      this.floor = Math.min(q.provisioned.minPollers * S.invokesPerPoller, this.cap);
      this.target = this.floor;
    } else {
      const preset = S[q.scaling];
      this.stepMs = 60_000 / preset.scaleUpPerMin;
      this.cap = Math.min(preset.ceiling, q.maximumConcurrency ?? Infinity);
      const floor = q.maximumConcurrency === null ? S.idleFloor : S.idleFloorWithMaximumConcurrency;
      this.floor = Math.min(floor, this.cap);
      this.target = Math.min(S.initialConcurrency, this.cap);
    }

    const G = q.groups;
    this.gHead = new Int32Array(G).fill(NIL);
    this.gTail = new Int32Array(G).fill(NIL);
    this.gHeld = new Int32Array(G);
    this.gReady = new Uint8Array(G);
    this.ready = new Int32Array(G);
    if (q.fifo && q.groupSkew > 0 && G > 1) {
      this.groupCdf = new Float64Array(G);
      let sum = 0;
      for (let g = 0; g < G; g++) this.groupCdf[g] = sum += 1 / Math.pow(g + 1, q.groupSkew);
      for (let g = 0; g < G; g++) this.groupCdf[g] /= sum;
    } else this.groupCdf = null;

    const prefix = `wl/${spec.name}/`;
    this.rngGroup = rng.stream(prefix + 'group');
    this.rngPoison = rng.stream(prefix + 'poison');
    this.rngErrors = rng.stream(prefix + 'message-errors');

    this.id = platform.addInvoker(this);
    this.windowKind = sim.register((b) => this.windowEnded(b), 'sqs/window');
    this.vtKind = sim.register((b) => this.visibilityEnded(b), 'sqs/visibility');
    this.retryKind = sim.register((b) => this.invoke(b, this.sim.now), 'sqs/throttle-retry');
    this.scaleKind = sim.register(() => this.scaleStep(), 'sqs/scale');
    this.sampleKind = sim.register((i) => this.sample(i), 'sqs/sample');

    const m = meters;
    m.setTarget(0, this.target);
    if (this.provisioned) m.setEpus(0, Math.ceil(this.target / S.invokesPerPoller));
    sim.schedule(this.stepMs, Phase.SAMPLE, this.scaleKind, 0);
    if (m.intervalMs < m.durationMs) sim.schedule(m.intervalMs, Phase.SAMPLE, this.sampleKind, 0);

    const stream = new ArrivalStream(spec.arrivals, (i) => rng.stream(`${prefix}arrivals/${i}`));
    sim.addSource(new ArrivalSource(stream, (t) => this.send(t)));
  }

  // -------------------------------------------------------------------------
  // Producers and the queue

  /** Another function's output sent to the queue at t, as pipeline item `item` (issue 16). */
  accept(t: number, item: number): void {
    this.send(t, item);
  }

  private send(t: number, item = NIL): void {
    const m = this.meters;
    if (t >= m.fromMs) {
      m.sent++;
      m.sentSeries.add(t);
      m.sendRequests[m.parts.at(t)] += this.sendChunks;
    } else m.queuedAtStart++;
    const s = this.allocMessage();
    this.mSent[s] = t;
    this.mRecv[s] = 0;
    this.mRunning[s] = 0;
    this.mFlags[s] = this.poison > 0 && this.rngPoison.next() < this.poison ? F_POISON : 0;
    this.mGroup[s] = this.fifo ? this.drawGroup() : 0;
    const ids = this.trace ?? this.records;
    if (ids !== null) this.mReq[s] = item >= 0 ? this.pipe!.requestOf(item) : ids.newRequest();
    this.mItem[s] = item >= 0 || this.entry < 0 ? item : this.pipe!.enter(this.entry, t, ids !== null ? this.mReq[s] : -1);
    if (this.trace !== null) {
      this.mVisAt[s] = t;
      this.traceMsg(s, t, 'arrival');
    }
    // Append to the live list (send order).
    this.lPrev[s] = this.liveTail;
    this.lNext[s] = NIL;
    if (this.liveTail >= 0) this.lNext[this.liveTail] = s;
    else this.liveHead = s;
    this.liveTail = s;
    this.makeVisible(s, t, false);
    this.dispatch(t);
  }

  private drawGroup(): number {
    const G = this.gHead.length;
    const cdf = this.groupCdf;
    const u = this.rngGroup.double();
    if (cdf === null) return Math.min(G - 1, Math.floor(u * G));
    let lo = 0;
    let hi = G - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Puts message s on its group's visible list: at the back, or (FIFO returns) after `after` / at the front. */
  private makeVisible(s: number, t: number, front: boolean, after = NIL): void {
    const g = this.mGroup[s];
    this.mState[s] = M_VISIBLE;
    if (front) {
      const next = after >= 0 ? this.mNext[after] : this.gHead[g];
      this.mPrev[s] = after;
      this.mNext[s] = next;
      if (after >= 0) this.mNext[after] = s;
      else this.gHead[g] = s;
      if (next >= 0) this.mPrev[next] = s;
      else this.gTail[g] = s;
    } else {
      const tail = this.gTail[g];
      this.mPrev[s] = tail;
      this.mNext[s] = NIL;
      if (tail >= 0) this.mNext[tail] = s;
      else this.gHead[g] = s;
      this.gTail[g] = s;
    }
    this.visibleCount++;
    this.meters.visible.set(t, this.visibleCount);
    if (this.fifo) this.markReady(g);
  }

  private markReady(g: number): void {
    if (this.gReady[g] || this.gHeld[g] > 0 || this.gHead[g] < 0) return;
    this.gReady[g] = 1;
    const n = this.ready.length;
    this.ready[(this.readyHead + this.readyCount) % n] = g;
    this.readyCount++;
  }

  private unlinkVisible(s: number): void {
    const g = this.mGroup[s];
    const p = this.mPrev[s];
    const n = this.mNext[s];
    if (p >= 0) this.mNext[p] = n;
    else this.gHead[g] = n;
    if (n >= 0) this.mPrev[n] = p;
    else this.gTail[g] = p;
    this.visibleCount--;
  }

  /** Removes a message for good (deleted or redriven) and frees its slot. */
  private removeMessage(s: number, t: number): void {
    const state = this.mState[s];
    if (state === M_VISIBLE) {
      this.unlinkVisible(s);
      this.meters.visible.set(t, this.visibleCount);
    } else {
      this.invisibleCount--;
      this.meters.inFlight.set(t, this.invisibleCount);
      if (this.fifo && --this.gHeld[this.mGroup[s]] === 0) this.markReady(this.mGroup[s]);
    }
    const age = t - this.mSent[s];
    if (t >= this.meters.fromMs && age > this.meters.maxAgeMs) this.meters.maxAgeMs = age;
    const p = this.lPrev[s];
    const n = this.lNext[s];
    if (p >= 0) this.lNext[p] = n;
    else this.liveHead = n;
    if (n >= 0) this.lPrev[n] = p;
    else this.liveTail = p;
    this.mState[s] = M_FREE;
    this.mGen[s]++;
    this.mNext[s] = this.mFree;
    this.mFree = s;
  }

  /** Whether a receive would get a message now. */
  private available(): boolean {
    return this.fifo ? this.readyCount > 0 : this.visibleCount > 0;
  }

  /** FIFO: the first ready group (unlocked, with visible messages), taken off the ready ring; NIL if none. */
  private takeReadyGroup(): number {
    while (this.readyCount > 0) {
      const g = this.ready[this.readyHead];
      this.popReady();
      if (this.gHead[g] >= 0 && this.gHeld[g] === 0) return g;
    }
    return NIL;
  }

  private popReady(): void {
    this.gReady[this.ready[this.readyHead]] = 0;
    this.readyHead = (this.readyHead + 1) % this.ready.length;
    this.readyCount--;
  }

  // -------------------------------------------------------------------------
  // Batches

  /** Starts batches while pollers are free and messages are available. */
  private dispatch(t: number): void {
    if (this.filling >= 0) {
      this.fill(this.filling, t);
      if (this.filling >= 0) return;
    }
    while (this.busy < this.target && this.available()) {
      const b = this.allocBatch();
      this.bState[b] = B_FILLING;
      this.bRecvAt[b] = t;
      this.bHead[b] = NIL;
      this.bTail[b] = NIL;
      this.bCount[b] = 0;
      this.bAttempts[b] = 0;
      this.bVtPending[b] = 0;
      this.busy++;
      this.meters.setBusy(t, this.busy);
      if (this.windowMs > 0) {
        this.filling = b;
        this.bWindowEnd[b] = t + this.windowMs;
        this.sim.schedule(t + this.windowMs, Phase.ARRIVAL, this.windowKind, b);
        this.fill(b, t);
        if (this.filling >= 0) return;
      } else {
        this.fill(b, t);
        if (this.bState[b] !== B_FILLING) continue;
        if (this.bCount[b] === 0) {
          // Only stale entries on the FIFO ready ring: nothing to receive after all.
          this.busy--;
          this.meters.setBusy(t, this.busy);
          this.freeBatch(b);
          break;
        }
        if (t >= this.meters.fromMs) this.meters.triggerAvailable++;
        this.invoke(b, t, T_AVAILABLE);
      }
    }
  }

  /** Receives available messages into batch b; invokes it when full or at the payload cap. */
  private fill(b: number, t: number): void {
    let count = this.bCount[b];
    const max = this.maxCount;
    if (this.fifo) {
      // Whole runs of a group, in order; the group is then locked until its messages are gone or back.
      while (count < max) {
        const g = this.takeReadyGroup();
        if (g < 0) break;
        for (let s = this.gHead[g]; s >= 0 && count < max; s = this.gHead[g]) {
          this.receive(s, b, t);
          count++;
        }
      }
    } else {
      for (let s = this.gHead[0]; s >= 0 && count < max; s = this.gHead[0]) {
        this.receive(s, b, t);
        count++;
      }
    }
    this.bCount[b] = count;
    if (count >= max) {
      if (this.filling === b) this.filling = NIL;
      if (t >= this.meters.fromMs) {
        if (max < this.batchSize) this.meters.triggerPayload++;
        else this.meters.triggerFull++;
      }
      this.invoke(b, t, max < this.batchSize ? T_PAYLOAD : T_FULL);
    }
  }

  private receive(s: number, b: number, t: number): void {
    this.unlinkVisible(s);
    this.mState[s] = M_INVISIBLE;
    this.mRecv[s]++;
    if (this.trace !== null) {
      const still = this.mRunning[s] > 0 ? { reason: 'still-running' } : {};
      const window = this.windowMs > 0 ? { durationMs: this.bWindowEnd[b] - t } : {};
      this.traceMsg(s, t, 'receive', { attempt: this.mRecv[s], delayMs: t - this.mVisAt[s], ...window, ...still });
    }
    if (this.mRunning[s] > 0 && t >= this.meters.fromMs) this.meters.duplicates++;
    this.mRunning[s]++;
    if (this.fifo) this.gHeld[this.mGroup[s]]++;
    this.invisibleCount++;
    this.meters.visible.set(t, this.visibleCount);
    this.meters.inFlight.set(t, this.invisibleCount);
    const e = this.allocEntry();
    this.eMsg[e] = s;
    this.eGen[e] = this.mGen[s];
    this.eRecv[e] = this.mRecv[s];
    this.eFail[e] = 0;
    this.eNext[e] = NIL;
    if (this.bTail[b] >= 0) this.eNext[this.bTail[b]] = e;
    else this.bHead[b] = e;
    this.bTail[b] = e;
  }

  private windowEnded(b: number): void {
    const t = this.sim.now;
    if (this.bState[b] !== B_FILLING || this.bWindowEnd[b] !== t) return;
    if (this.filling === b) this.filling = NIL;
    if (t >= this.meters.fromMs) this.meters.triggerWindow++;
    this.invoke(b, t, T_WINDOW);
    this.dispatch(t);
  }

  /** Invokes batch b (first try or a throttle retry). */
  private invoke(b: number, t: number, why = T_RETRY): void {
    const m = this.meters;
    const n = this.bCount[b];
    if (this.trace !== null) this.traceBatch(b, t, 'batch', { reason: TRIGGERS[why], attempt: this.bAttempts[b] + 1 });
    // Which deliveries fail: poison messages always, others with probability messageErrors.
    let anyFail = false;
    let failFrom = false;
    for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) {
      const s = this.eMsg[e];
      let fail = failFrom || (this.mFlags[s] & F_POISON) !== 0;
      if (!fail && this.messageErrors > 0 && this.rngErrors.next() < this.messageErrors) fail = true;
      // FIFO partial response: stop at the first failure; it and every later message return (§5).
      if (fail && this.fifo) failFrom = true;
      this.eFail[e] = fail ? 1 : 0;
      anyFail ||= fail;
    }
    const flags = anyFail && !this.partial ? InvokeFlags.FAIL : InvokeFlags.NONE;
    const reason = this.platform.invoke(this.fnIndex, t, this.id, b, this.perMessageMs * n, flags);
    if (reason !== Throttle.NONE) {
      if (t >= m.fromMs) m.throttledAttempts++;
      this.backOff(t);
      const attempt = ++this.bAttempts[b];
      const retryAt = t + Math.min(RETRY_BASE_MS * 2 ** (attempt - 1), RETRY_MAX_MS);
      this.bState[b] = B_RETRYING;
      const vtAt = this.bRecvAt[b] + this.vtMs;
      if (this.trace !== null) {
        const to = retryAt < vtAt ? { delayMs: retryAt - t } : { delayMs: Math.max(0, vtAt - t), outcome: 'vt' };
        this.traceBatch(b, t, 'throttle', { reason: THROTTLE_REASONS[reason], attempt, ...to });
      }
      if (retryAt < vtAt) this.sim.schedule(retryAt, Phase.ARRIVAL, this.retryKind, b);
      else this.scheduleVt(b, t);
      return;
    }
    this.bState[b] = B_RUNNING;
    // The batch's messages were received (ReceiveMessage, at most 10 a call, each 64 KB chunk billed), once per batch.
    if (why !== T_RETRY && t >= m.fromMs) m.receiveRequests[m.parts.at(t)] += receiveRequests(n, this.messageBytes);
    if (t >= m.fromMs) {
      m.batches++;
      m.batchSeries.add(t);
      m.deliveries += n;
      m.batchSize.record(n);
    }
    // A batch that will outlive the VT lets its messages reappear while it runs.
    if (t + this.platform.lastLatencyMs > this.bRecvAt[b] + this.vtMs) this.scheduleVt(b, t);
  }

  private scheduleVt(b: number, t: number): void {
    this.bVtPending[b] = 1;
    this.sim.schedule(Math.max(t, this.bRecvAt[b] + this.vtMs), Phase.ARRIVAL, this.vtKind, b);
  }

  onComplete(b: number): void {
    const t = this.sim.now;
    const m = this.meters;
    const counted = t >= m.fromMs;
    const status = this.platform.lastStatus;
    this.busy--;
    m.setBusy(t, this.busy);
    let held = 0;
    if (status !== Status.OK) {
      // A function error or timeout: the whole batch fails and reappears after the VT (§5).
      if (counted) {
        m.failedBatches++;
        m.failedDeliveries += this.bCount[b];
      }
      this.backOff(t);
      for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) {
        const s = this.eMsg[e];
        if (this.eGen[e] !== this.mGen[s]) continue;
        this.mRunning[s]--;
        if (this.mItem[s] >= 0) this.pipe!.processed(this.mItem[s], this.fnIndex, t, false);
        if (this.mState[s] === M_INVISIBLE && this.mRecv[s] === this.eRecv[e]) {
          held++;
          if (this.trace !== null) this.traceMsg(s, t, 'failed', { status: STATUS_NAMES[status], delayMs: this.bRecvAt[b] + this.vtMs - t });
        }
      }
    } else {
      let failed = 0;
      for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) {
        const s = this.eMsg[e];
        if (this.eFail[e]) failed++;
        if (this.eGen[e] !== this.mGen[s]) continue;
        this.mRunning[s]--;
        const item = this.mItem[s];
        if (this.eFail[e]) {
          if (item >= 0) this.pipe!.processed(item, this.fnIndex, t, false);
          if (this.mState[s] === M_INVISIBLE && this.mRecv[s] === this.eRecv[e]) {
            held++;
            if (this.trace !== null) this.traceMsg(s, t, 'failed', { reason: 'item-failure', delayMs: this.bRecvAt[b] + this.vtMs - t });
          }
        } else {
          if (this.trace !== null) this.traceMsg(s, t, 'done', { outcome: 'deleted', attempt: this.eRecv[e] });
          if (counted) {
            m.deleted++;
            m.deletedSeries.add(t);
            if (this.mSent[s] >= m.fromMs) m.latencyMs.record(t - this.mSent[s]);
            if (this.records !== null) this.recordMsg(s, t, 'deleted', '', '');
          } else m.queuedAtStart--;
          if (item >= 0) {
            this.pipe!.processed(item, this.fnIndex, t, true);
            this.pipe!.end(item, t, Fate.DONE);
          }
          this.removeMessage(s, t);
        }
      }
      // The succeeded messages are deleted with DeleteMessageBatch, at most 10 a call.
      if (counted && this.bCount[b] > failed) m.deleteRequests[m.parts.at(t)] += Math.ceil((this.bCount[b] - failed) / SQS_REQUESTS.messagesPerCall);
      if (failed > 0 && counted) {
        m.partialBatches++;
        m.failedDeliveries += failed;
      }
    }
    if (held > 0 && !this.bVtPending[b]) {
      this.bState[b] = B_HOLDING;
      this.scheduleVt(b, t);
    } else if (this.bVtPending[b]) {
      this.bState[b] = B_HOLDING;
    } else {
      this.freeBatch(b);
    }
    this.dispatch(t);
  }

  /** The VT of batch b's receive has ended: its messages still held under that receipt reappear or go to the DLQ. */
  private visibilityEnded(b: number): void {
    const t = this.sim.now;
    const m = this.meters;
    const state = this.bState[b];
    this.bVtPending[b] = 0;
    if (state === B_RETRYING) {
      // Throttle retries ran out of visibility: the messages go back to the queue (§5).
      this.busy--;
      m.setBusy(t, this.busy);
      if (t >= m.fromMs) m.batchesExpiredThrottled++;
      for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) if (this.eGen[e] === this.mGen[this.eMsg[e]]) this.mRunning[this.eMsg[e]]--;
    }
    // FIFO: returned messages go back to the front of their group, in order.
    let after = NIL;
    let afterGroup = NIL;
    for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) {
      const s = this.eMsg[e];
      if (this.eGen[e] !== this.mGen[s] || this.mState[s] !== M_INVISIBLE || this.mRecv[s] !== this.eRecv[e]) continue;
      if (this.mRecv[s] >= this.maxReceive) {
        if (t >= m.fromMs) {
          m.redriven++;
          m.redrivenSeries.add(t);
          if (this.records !== null) this.recordMsg(s, t, 'dlq', 'max-receive-count', 'dlq');
        } else m.queuedAtStart--;
        if (this.trace !== null) this.traceMsg(s, t, 'done', { outcome: 'dlq', attempt: this.mRecv[s], reason: 'max-receive-count' });
        if (this.mItem[s] >= 0) this.pipe!.end(this.mItem[s], t, Fate.DLQ);
        this.removeMessage(s, t);
        continue;
      }
      this.invisibleCount--;
      m.inFlight.set(t, this.invisibleCount);
      if (this.trace !== null) {
        this.mVisAt[s] = t;
        this.traceMsg(s, t, 'visible', { attempt: this.mRecv[s], ...(state === B_RETRYING ? { reason: 'throttled' } : {}) });
      }
      const g = this.mGroup[s];
      if (this.fifo) {
        if (g !== afterGroup) {
          after = NIL;
          afterGroup = g;
        }
        this.gHeld[g]--;
        this.makeVisible(s, t, true, after);
        after = s;
      } else {
        this.makeVisible(s, t, false);
      }
    }
    if (state === B_RETRYING || state === B_HOLDING) this.freeBatch(b);
    this.dispatch(t);
  }

  // -------------------------------------------------------------------------
  // Tracing (only called when `trace` is set)

  traceRequest(b: number): number {
    return this.bLead[b];
  }

  /** Issue 16: the item of batch b's first message (calls its function makes are made for it). */
  itemOf(b: number): number {
    return this.bHead[b] >= 0 ? this.mItem[this.eMsg[this.bHead[b]]] : NIL;
  }

  private traceMsg(s: number, tMs: number, type: string, extra: Partial<TraceEvent> = {}): void {
    const fn = this.platform.functions[this.fnIndex].spec.name;
    this.trace!.emit({ tMs, type, request: this.mReq[s], workload: this.spec.name, function: fn, ...extra });
  }

  /** A batch-level event: `request` is the batch's first message, `requests` all of its messages. */
  private traceBatch(b: number, tMs: number, type: string, extra: Partial<TraceEvent>): void {
    const requests: number[] = [];
    for (let e = this.bHead[b]; e >= 0; e = this.eNext[e]) requests.push(this.mReq[this.eMsg[e]]);
    this.bLead[b] = requests.length > 0 ? requests[0] : -1;
    const fn = this.platform.functions[this.fnIndex].spec.name;
    this.trace!.emit({ tMs, type, request: this.bLead[b], workload: this.spec.name, function: fn, requests, ...extra });
  }

  // -------------------------------------------------------------------------
  // Pollers

  /** A throttle or function error: the mapping lowers its concurrency (§5), at most once per scaling step. */
  private backOff(t: number): void {
    if (t - this.lastBackoffAt < this.stepMs) return;
    const next = Math.max(this.floor, Math.floor(this.target * this.backoffFactor));
    this.lastBackoffAt = t;
    if (next === this.target) return;
    if (t >= this.meters.fromMs) this.meters.backoffs++;
    this.setTarget(t, next);
  }

  private setTarget(t: number, n: number): void {
    this.target = n;
    this.meters.setTarget(t, n);
    if (this.provisioned) this.meters.setEpus(t, Math.ceil(n / SQS_SCALING.invokesPerPoller));
  }

  private scaleStep(): void {
    const t = this.sim.now;
    if (this.available() && this.busy >= this.target) {
      if (this.target < this.cap && t - this.lastBackoffAt >= this.stepMs) {
        this.setTarget(t, this.target + 1);
        this.dispatch(t);
      }
    } else if (this.visibleCount === 0 && this.busy < this.target && this.target > this.floor) {
      this.setTarget(t, this.target - 1);
    }
    const next = t + this.stepMs;
    if (next < this.meters.durationMs) this.sim.schedule(next, Phase.SAMPLE, this.scaleKind, 0);
  }

  /** End of interval i: the age of the oldest message not deleted. */
  private sample(i: number): void {
    const t = this.sim.now;
    const m = this.meters;
    m.oldestAgeSeries[i] = this.liveHead >= 0 ? t - this.mSent[this.liveHead] : 0;
    const next = t + m.intervalMs;
    if (next < m.durationMs) this.sim.schedule(next, Phase.SAMPLE, this.sampleKind, i + 1);
  }

  /** Records message s (only called when records are wanted). */
  private recordMsg(s: number, endedMs: number, outcome: string, reason: string, target: string): void {
    this.records!.record({
      workload: this.spec.name,
      model: 'sqs',
      request: this.mReq[s],
      function: this.platform.functions[this.fnIndex].spec.name,
      startedMs: this.mSent[s],
      endedMs,
      outcome,
      reason,
      attempts: this.mRecv[s],
      target,
      shard: -1,
      sequence: -1,
      key: this.fifo ? this.mGroup[s] : -1,
    });
  }

  /** Closes the measurements at the end of the run; with records, records every message not deleted, oldest first. */
  finish(endMs: number): void {
    if (this.records !== null) {
      for (let s = this.liveHead; s >= 0; s = this.lNext[s]) this.recordMsg(s, NaN, 'open', this.mState[s] === M_VISIBLE ? 'waiting' : 'in-flight', '');
    }
    const m = this.meters;
    const n = m.oldestAgeSeries.length;
    const age = this.liveHead >= 0 ? endMs - this.mSent[this.liveHead] : 0;
    m.oldestAgeSeries[n - 1] = age;
    if (age > m.maxAgeMs) m.maxAgeMs = age;
    m.finish(endMs);
  }

  /** Messages per batch allowed by batchSize and the 6 MB payload cap. */
  get maxMessagesPerBatch(): number {
    return this.maxCount;
  }
  /** Messages visible (waiting) now. */
  get waiting(): number {
    return this.visibleCount;
  }
  /** Messages received and not yet deleted or visible again. */
  get inFlight(): number {
    return this.invisibleCount;
  }
  /** The mapping's concurrency now. */
  get concurrency(): number {
    return this.target;
  }

  // -------------------------------------------------------------------------
  // Pools

  private allocMessage(): number {
    if (this.mFree >= 0) {
      const s = this.mFree;
      this.mFree = this.mNext[s];
      return s;
    }
    if (this.mUsed === this.mSent.length) {
      const n = this.mUsed * 2;
      this.mSent = grow(this.mSent, n);
      this.mRecv = grow(this.mRecv, n);
      this.mGen = grow(this.mGen, n);
      this.mState = grow(this.mState, n);
      this.mFlags = grow(this.mFlags, n);
      this.mGroup = grow(this.mGroup, n);
      this.mRunning = grow(this.mRunning, n);
      this.mPrev = grow(this.mPrev, n);
      this.mNext = grow(this.mNext, n);
      this.lPrev = grow(this.lPrev, n);
      this.lNext = grow(this.lNext, n);
      this.mReq = grow(this.mReq, n);
      this.mVisAt = grow(this.mVisAt, n);
      this.mItem = grow(this.mItem, n);
    }
    return this.mUsed++;
  }

  private allocBatch(): number {
    if (this.bFree >= 0) {
      const b = this.bFree;
      this.bFree = this.bHead[b];
      return b;
    }
    if (this.bUsed === this.bState.length) {
      const n = this.bUsed * 2;
      this.bState = grow(this.bState, n);
      this.bRecvAt = grow(this.bRecvAt, n);
      this.bWindowEnd = grow(this.bWindowEnd, n);
      this.bHead = grow(this.bHead, n);
      this.bTail = grow(this.bTail, n);
      this.bCount = grow(this.bCount, n);
      this.bAttempts = grow(this.bAttempts, n);
      this.bVtPending = grow(this.bVtPending, n);
      this.bLead = grow(this.bLead, n);
    }
    return this.bUsed++;
  }

  private freeBatch(b: number): void {
    // Entries back to their pool in one splice.
    if (this.bHead[b] >= 0) {
      this.eNext[this.bTail[b]] = this.eFree;
      this.eFree = this.bHead[b];
    }
    this.bState[b] = B_FREE;
    this.bHead[b] = this.bFree;
    this.bFree = b;
  }

  private allocEntry(): number {
    if (this.eFree >= 0) {
      const e = this.eFree;
      this.eFree = this.eNext[e];
      return e;
    }
    if (this.eUsed === this.eMsg.length) {
      const n = this.eUsed * 2;
      this.eMsg = grow(this.eMsg, n);
      this.eGen = grow(this.eGen, n);
      this.eRecv = grow(this.eRecv, n);
      this.eFail = grow(this.eFail, n);
      this.eNext = grow(this.eNext, n);
    }
    return this.eUsed++;
  }
}
