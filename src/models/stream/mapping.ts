/**
 * Kinesis and DynamoDB Streams event source mapping (docs/sources.md §6, §11).
 *
 * The stream has N shards. Producers (the workload's arrivals) write records
 * with a partition key; a key hashes to one shard (a fixed integer hash of the
 * key's number, like Kinesis's MD5 of the partition key: independent of the
 * seed). With ParallelizationFactor F, Lambda runs up to F batches per shard at
 * once and keeps order per partition key (§6): lsim splits each shard into F
 * *lanes* by a second hash of the key, and each lane is an independent,
 * strictly ordered reader with its own checkpoint. Concurrency = shards × F.
 *
 * A lane's cycle:
 * - **Polling** (§6): an idle, caught-up lane polls every `pollIntervalMs`
 *   (Kinesis 1 s, DynamoDB 250 ms), on a per-shard phase (shard s of N polls at
 *   s/N of the interval). A poll that finds records takes a batch at once; after
 *   a batch the lane polls again immediately, so a backlog is read back to back.
 *   No event is spent on empty polls: a record written to an empty lane is
 *   picked up at the next instant of its lane's poll schedule.
 * - **Batching** (§6): up to `batchSize` records, capped by the 6 MB payload;
 *   with a batching window W the lane waits up to W after the poll that found
 *   records, unless the batch fills first.
 * - **Outcome**: a batch fails if any record is poison (or fails by the
 *   per-delivery `recordErrors` draw), or by the function's own error rate or a
 *   timeout (drawn by the platform). `InvokeFlags.FAIL` tells the platform; the
 *   per-record work is `extraHandlerMs`.
 * - **Checkpointing** (§6): success advances the checkpoint past the batch.
 *   A failure retries the same batch (the lane waits) until it succeeds, the
 *   records expire (retention) or exceed `maximumRecordAge`, or the retries
 *   exceed `maximumRetryAttempts` (−1 = until expiry); then the batch is
 *   discarded (its shard and sequence range go to the on-failure destination)
 *   and the lane moves on. `bisectBatchOnFunctionError` splits a failed batch
 *   in two (first half ⌈n/2⌉) and retries the halves in order, without using a
 *   retry. With `reportBatchItemFailures` the function returns its failed
 *   records: the checkpoint moves to the lowest one and the rest of the batch is
 *   retried from there (a retry); an unhandled error (the function's error rate,
 *   a timeout) still fails the whole batch and bisects.
 * - **Throttles** (§1, §6) are not retries: the same batch is tried again after
 *   `throttleRetryMs`, until it runs or its records expire.
 * - **IteratorAge** (§6): when a batch finishes (success or failure), the age of
 *   its last record.
 * - **Tumbling windows** (§6, optional): a lane's records are grouped into fixed
 *   windows of write time. Batches of a window move a read position, not the
 *   checkpoint; the window's final invoke (no records, its state) runs when the
 *   window has ended and is fully read, or when the state would pass 1 MB
 *   (early close), and the checkpoint moves past the window when it succeeds.
 *   A failed final invoke is retried under `maximumRetryAttempts`; out of
 *   retries, the window is discarded. Off (0), none of this code runs.
 *
 * Observers, each `null` unless set and each one null check per site:
 * - `trace` (src/metrics/trace.ts, `lsim explain`): a request is a record. The
 *   mapping emits `arrival` (written: shard, lane, sequence, key), per batch
 *   (`requests` holds the ids of its records, `request` the first, which the
 *   platform's start/complete carry): `batch` (read and invoked, `attempt` =
 *   the lane's retry count + 1), `throttle`, `failed` (a function error or
 *   timeout, a failed record, or reported item failures: `reason`), `split`
 *   (bisected), `retry` (the records tried again, after `delayMs`), `delivered`
 *   and `final` (tumbling windows: the batch's records joined the window's
 *   state; the window's final invoke), and per record `done` (`processed`,
 *   `discarded` with its reason, `expired`);
 * - `records` (src/metrics/records.ts, `lsim run --records`): one per record
 *   written after the warm-up, as it is processed, discarded or expires, and
 *   those left at the end (`finish`);
 * - `debug`: structural callbacks for the tests of test/invoke/stream*.
 *
 * Pipelines (issue 16, src/models/pipeline.ts): when the scenario has them (`pipe`), a
 * record carries its pipeline item; other functions' outputs are written to the stream
 * (`accept`, a key drawn as for producers); a record processed gives its function's
 * outputs, one discarded ends at the on-failure destination (or dropped without one),
 * one expired is dropped. A record's item carries no recursion lineage (docs/sources.md §8).
 *
 * Memory: each lane keeps the records it has not finished with in typed-array
 * ring buffers (grown by doubling), so memory follows records retained and
 * pending, never records ever written. No allocation per record or per batch
 * on the hot path.
 */
import type { Simulator } from '../../engine/simulator.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import type { StreamWorkloadSpec } from './types.js';
import { ArrivalStream } from '../../workload/arrivals.js';
import { ArrivalSource } from '../arrival-source.js';
import { InvokeFlags, Phase, Status, STATUS_NAMES, Throttle, THROTTLE_REASONS, type Invoker, type Platform } from '../../platform/platform.js';
import { DISCARD_EXAMPLES, DISCARD_REASONS, StreamMeters } from './meters.js';
import { WINDOW_STATE_LIMIT_BYTES } from './block.js';
import type { TraceEvent, Tracer } from '../../metrics/trace.js';
import type { Recorder } from '../../metrics/records.js';
import { Fate, type Pipeline } from '../pipeline.js';

/** Bisection depth ≤ ⌈log2 10,000⌉ = 14, plus the batch being retried: 20 is ample. */
const STACK = 20;
const FLAG_POISON = 1;
/** A record discarded inside an open tumbling window: counted already, skipped at the window's checkpoint. */
const FLAG_DISCARDED = 2;

/** murmur3's 32-bit finalizer: a fixed, well-mixed hash of an integer. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The shard of partition key `key` among `shards` (hash range split evenly, as Kinesis does). */
export function shardOfKey(key: number, shards: number): number {
  return Math.floor((mix32(key + 1) / 4294967296) * shards);
}

/** The lane (0 … factor−1) of `key` within its shard. */
export function laneOfKey(key: number, factor: number): number {
  return mix32((key + 1) ^ 0x5bd1e995) % factor;
}

/** One lane's records not yet finished with, in write order: a ring over parallel typed arrays. */
class LaneRing {
  writeMs = new Float64Array(16);
  key = new Int32Array(16);
  seq = new Float64Array(16);
  flags = new Uint8Array(16);
  /** Tracing or records: the record's request id, and the invocations it was delivered in. */
  req = new Int32Array(16);
  deliveries = new Int32Array(16);
  /** Pipelines: the record's item (−1: none). */
  item = new Int32Array(16);
  mask = 15;
  /** Absolute positions: records ever pushed = tail; records removed = head. */
  head = 0;
  tail = 0;

  get count(): number {
    return this.tail - this.head;
  }

  push(tMs: number, key: number, seq: number, flags: number, req: number, item: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    const i = this.tail & this.mask;
    this.writeMs[i] = tMs;
    this.key[i] = key;
    this.seq[i] = seq;
    this.flags[i] = flags;
    this.req[i] = req;
    this.deliveries[i] = 0;
    this.item[i] = item;
    this.tail++;
  }

  private grow(): void {
    const n = (this.mask + 1) * 2;
    const w = new Float64Array(n);
    const k = new Int32Array(n);
    const s = new Float64Array(n);
    const f = new Uint8Array(n);
    const r = new Int32Array(n);
    const d = new Int32Array(n);
    const it = new Int32Array(n);
    for (let p = this.head; p < this.tail; p++) {
      const a = p & this.mask;
      const b = p & (n - 1);
      w[b] = this.writeMs[a];
      k[b] = this.key[a];
      s[b] = this.seq[a];
      f[b] = this.flags[a];
      r[b] = this.req[a];
      d[b] = this.deliveries[a];
      it[b] = this.item[a];
    }
    this.writeMs = w;
    this.key = k;
    this.seq = s;
    this.flags = f;
    this.req = r;
    this.deliveries = d;
    this.item = it;
    this.mask = n - 1;
  }
}

/** Events a test can observe (debug hook; unset in normal runs). */
export interface StreamDebug {
  /** A batch started: lane, first record's sequence, records. */
  batch?(tMs: number, shard: number, lane: number, firstSeq: number, n: number): void;
  /** A batch finished: 'ok', 'partial', 'failed', 'split'. */
  done?(tMs: number, shard: number, lane: number, outcome: 'ok' | 'partial' | 'failed' | 'split', n: number): void;
  /** A record was processed successfully (its batch succeeded, or it came before the lowest failed record). */
  processed?(tMs: number, shard: number, key: number, seq: number, writtenMs: number): void;
  discarded?(tMs: number, shard: number, firstSeq: number, lastSeq: number, reason: string): void;
  throttled?(tMs: number, shard: number, lane: number): void;
  /** Tumbling windows: a final invoke started for the window's `n` delivered records (`early`: state full). */
  final?(tMs: number, shard: number, lane: number, n: number, early: boolean): void;
  /** Tumbling windows: a final invoke finished; on success the checkpoint moved past the window. */
  finalDone?(tMs: number, shard: number, lane: number, ok: boolean, n: number): void;
}

/** One `invoke: stream` workload: the stream, its shards and lanes, and the mapping's pollers. */
export class StreamMapping implements Invoker {
  /** Optional debug hook for tests. */
  debug: StreamDebug | null = null;
  /** Set only when tracing (lsim explain): the events of src/metrics/trace.ts. */
  trace: Tracer | null = null;
  /** Set only when records are wanted (src/metrics/records.ts). */
  records: Recorder | null = null;
  /** Issue 16: the scenario's pipelines (null without), and this workload's handle as a first stage (−1: it is none). */
  pipe: Pipeline | null = null;
  entry = -1;
  private readonly id: number;
  private readonly fnName: string;
  private readonly wakeKind: number;
  private readonly factor: number;
  private readonly lanes: LaneRing[];
  private readonly busy: Uint8Array;
  private readonly wakeAt: Float64Array;
  private readonly lastPollMs: Float64Array;
  private readonly windowEndMs: Float64Array;
  private readonly retries: Int32Array;
  /** 1 while a retry has been decided and not yet invoked: it is counted when it runs (a batch can age out first). */
  private readonly retryDue: Uint8Array;
  private readonly batchN: Int32Array;
  private readonly failAt: Int32Array;
  /** Per lane, a stack of absolute batch ends: the batch being retried and the halves of bisections. */
  private readonly stack: Float64Array;
  private readonly stackLen: Int32Array;
  private readonly shardSeq: Float64Array;
  /** Tracing only: per lane, the request id of the invocation's first record (what start/complete carry). */
  private readonly lead: Int32Array;
  /** Tumbling windows (0 = off). Per lane: the read position (records before it and after the
   *  checkpoint `head` were delivered in the open window), the window's state, an early close,
   *  whether the invocation in flight is a final invoke, and whether the lane waits for its window's end. */
  private readonly windowMs: number;
  private readonly readPos: Float64Array;
  private readonly stateBytes: Float64Array;
  private readonly closeEarly: Uint8Array;
  private readonly finalBusy: Uint8Array;
  private readonly waitEnd: Uint8Array;
  private readonly rngKeys: Rng;
  private readonly rngPoison: Rng;
  private readonly rngRecordErrors: Rng;
  /** Zipf CDF over keys when keySkew > 0. */
  private readonly keyCdf: Float64Array | null;
  private written = 0;
  private nextPoison = 0;
  private inFlight = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly platform: Platform,
    rng: RngStreams,
    private readonly spec: StreamWorkloadSpec,
    private readonly fnIndex: number,
    readonly meters: StreamMeters,
  ) {
    const s = spec.stream;
    this.id = platform.addInvoker(this);
    this.fnName = platform.functions[fnIndex].spec.name;
    this.wakeKind = sim.register((lane) => this.wake(lane), 'stream/wake');
    this.factor = s.parallelizationFactor;
    const n = s.shards * this.factor;
    this.lanes = Array.from({ length: n }, () => new LaneRing());
    this.busy = new Uint8Array(n);
    this.wakeAt = new Float64Array(n).fill(NaN);
    this.lastPollMs = new Float64Array(n);
    // Shard s polls at s/N of the interval: its last (empty) poll was one interval before that.
    for (let lane = 0; lane < n; lane++) {
      const shard = Math.floor(lane / this.factor);
      this.lastPollMs[lane] = (shard / s.shards) * s.pollIntervalMs - s.pollIntervalMs;
    }
    this.windowEndMs = new Float64Array(n).fill(NaN);
    this.retries = new Int32Array(n);
    this.retryDue = new Uint8Array(n);
    this.batchN = new Int32Array(n);
    this.failAt = new Int32Array(n);
    this.stack = new Float64Array(n * STACK);
    this.stackLen = new Int32Array(n);
    this.shardSeq = new Float64Array(s.shards);
    this.lead = new Int32Array(n).fill(-1);
    this.windowMs = s.tumblingWindowMs;
    const w = this.windowMs > 0 ? n : 0;
    this.readPos = new Float64Array(w);
    this.stateBytes = new Float64Array(w);
    this.closeEarly = new Uint8Array(w);
    this.finalBusy = new Uint8Array(w);
    this.waitEnd = new Uint8Array(w);
    const prefix = `wl/${spec.name}/`;
    this.rngKeys = rng.stream(prefix + 'keys');
    this.rngPoison = rng.stream(prefix + 'poison');
    this.rngRecordErrors = rng.stream(prefix + 'record-errors');
    this.keyCdf = s.keySkew > 0 ? zipfCdf(s.keys, s.keySkew) : null;
    const arrivals = new ArrivalStream(spec.arrivals, (i) => rng.stream(`${prefix}arrivals/${i}`));
    sim.addSource(new ArrivalSource(arrivals, (t) => this.write(t)));
  }

  // ------------------------------------------------------------------ producers

  private drawKey(): number {
    const s = this.spec.stream;
    const r = this.rngKeys;
    if (s.hotKeyShare > 0 && r.next() < s.hotKeyShare) return 0;
    const cdf = this.keyCdf;
    if (cdf === null) return Math.floor(r.next() * s.keys);
    const u = r.double();
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Another function's output written to the stream at tMs, as pipeline item `item` (issue 16). */
  accept(tMs: number, item: number): void {
    this.write(tMs, item);
  }

  /** A producer writes one record at tMs (another function's output: `item`). */
  private write(tMs: number, item = -1): void {
    const s = this.spec.stream;
    const m = this.meters;
    const n = ++this.written;
    const key = this.drawKey();
    const shard = shardOfKey(key, s.shards);
    const lane = shard * this.factor + (this.factor > 1 ? laneOfKey(key, this.factor) : 0);
    let flags = 0;
    const list = s.poisonRecords;
    if (this.nextPoison < list.length && list[this.nextPoison] === n) {
      flags = FLAG_POISON;
      this.nextPoison++;
    }
    if (s.poison > 0 && this.rngPoison.next() < s.poison) flags = FLAG_POISON;
    const ring = this.lanes[lane];
    const seq = this.shardSeq[shard]++;
    const ids = this.trace ?? this.records;
    const req = ids === null ? -1 : item >= 0 ? this.pipe!.requestOf(item) : ids.newRequest();
    if (this.trace !== null) {
      const place = { shard, sequence: seq, key, ...(this.factor > 1 ? { lane: lane % this.factor } : {}) };
      this.trace.emit({ tMs, type: 'arrival', request: req, workload: this.spec.name, function: this.fnName, ...place });
    }
    ring.push(tMs, key, seq, flags, req, item >= 0 || this.entry < 0 ? item : this.pipe!.enter(this.entry, tMs, req));
    if (tMs >= m.fromMs) {
      m.written++;
      m.writtenByPart[m.parts.at(tMs)]++;
      m.shardWritten[shard]++;
      m.writtenSeries.add(tMs);
    }
    if (this.busy[lane]) return;
    const windowed = this.windowMs > 0;
    if (windowed && this.waitEnd[lane]) {
      // Caught up and waiting for the tumbling window's end: read the new record at the next poll if that comes first.
      const last = this.lastPollMs[lane];
      const next = last + (Math.floor((tMs - last) / s.pollIntervalMs) + 1) * s.pollIntervalMs;
      if (next < this.wakeAt[lane]) {
        this.waitEnd[lane] = 0;
        this.wakeLater(lane, next);
      }
      return;
    }
    if (this.wakeAt[lane] === this.wakeAt[lane]) {
      // Waiting (window, retry delay or throttle backoff): a window ends early when the batch is full.
      const avail = windowed ? ring.tail - this.readPos[lane] : ring.count;
      if (this.windowEndMs[lane] === this.windowEndMs[lane] && avail >= s.maxRecordsPerBatch && this.stackLen[lane] === 0) {
        this.wakeAt[lane] = NaN;
        this.windowEndMs[lane] = NaN;
        this.start(lane, tMs);
      }
      return;
    }
    // Idle and caught up: the next poll of the lane's schedule (a poll at exactly tMs ran before this write).
    const last = this.lastPollMs[lane];
    const every = s.pollIntervalMs;
    this.wakeLater(lane, last + (Math.floor((tMs - last) / every) + 1) * every);
  }

  // ------------------------------------------------------------------ pollers

  private wakeLater(lane: number, tMs: number): void {
    this.wakeAt[lane] = tMs;
    this.sim.schedule(tMs, Phase.ARRIVAL, this.wakeKind, lane);
  }

  private wake(lane: number): void {
    const t = this.sim.now;
    if (this.wakeAt[lane] !== t || this.busy[lane]) return; // superseded
    this.wakeAt[lane] = NaN;
    this.poll(lane, t);
  }

  /** The lane reads at tMs: drops expired and too-old records, then starts a batch, opens a window, or goes idle. */
  private poll(lane: number, tMs: number): void {
    if (this.windowMs > 0) {
      this.pollWindowed(lane, tMs);
      return;
    }
    const ring = this.lanes[lane];
    this.dropOld(lane, tMs);
    if (ring.count === 0) {
      this.lastPollMs[lane] = tMs;
      this.windowEndMs[lane] = NaN;
      return;
    }
    this.startOrBatch(lane, tMs, ring.count);
  }

  /** End of the tumbling window that holds a record written at `writeMs` (windows aligned to t = 0). */
  private windowEnd(writeMs: number): number {
    return (Math.floor(writeMs / this.windowMs) + 1) * this.windowMs;
  }

  /** Where the lane's next batch starts: the checkpoint, or with tumbling windows the read position. */
  private base(lane: number): number {
    return this.windowMs > 0 ? this.readPos[lane] : this.lanes[lane].head;
  }

  /**
   * `poll` with tumbling windows. The open window is the records delivered since the checkpoint
   * (head … readPos). It gets its final invoke when its state is full (early close), or once the
   * window has ended and every record of it has been delivered; the lane waits for the end when
   * caught up. Otherwise the next batch is read from readPos as without windows.
   */
  private pollWindowed(lane: number, tMs: number): void {
    const ring = this.lanes[lane];
    this.waitEnd[lane] = 0;
    this.dropOld(lane, tMs);
    if (this.readPos[lane] <= ring.head) {
      // Nothing delivered since the checkpoint (or it all expired): no window is open.
      this.readPos[lane] = ring.head;
      this.stateBytes[lane] = 0;
      this.closeEarly[lane] = 0;
    }
    const pos = this.readPos[lane];
    if (pos > ring.head) {
      const end = this.windowEnd(ring.writeMs[ring.head & ring.mask]);
      const caughtUp = pos === ring.tail || ring.writeMs[pos & ring.mask] >= end;
      if (this.closeEarly[lane] || (tMs >= end && caughtUp)) {
        this.windowEndMs[lane] = NaN;
        this.startFinal(lane, tMs);
        return;
      }
      if (pos === ring.tail) {
        this.lastPollMs[lane] = tMs;
        this.windowEndMs[lane] = NaN;
        this.waitEnd[lane] = 1;
        this.wakeLater(lane, end);
        return;
      }
    } else if (ring.count === 0) {
      this.lastPollMs[lane] = tMs;
      this.windowEndMs[lane] = NaN;
      return;
    }
    this.startOrBatch(lane, tMs, ring.tail - pos);
  }

  /**
   * Starts the lane's batch at tMs, unless the batching window holds it (§6): with no bisected halves
   * waiting and fewer than a full batch of `ready` records, the first poll opens the window and the batch
   * waits for its end.
   */
  private startOrBatch(lane: number, tMs: number, ready: number): void {
    const s = this.spec.stream;
    if (this.stackLen[lane] === 0 && s.maximumBatchingWindowMs > 0 && ready < s.maxRecordsPerBatch) {
      const end = this.windowEndMs[lane];
      if (end !== end) {
        this.windowEndMs[lane] = tMs + s.maximumBatchingWindowMs;
        this.wakeLater(lane, tMs + s.maximumBatchingWindowMs);
        return;
      }
      if (tMs < end) {
        this.wakeLater(lane, end);
        return;
      }
    }
    this.windowEndMs[lane] = NaN;
    this.start(lane, tMs);
  }

  /** Tumbling windows: the window's final invoke (`isFinalInvokeForWindow`), carrying its state and no records. */
  private startFinal(lane: number, tMs: number): void {
    const s = this.spec.stream;
    const ring = this.lanes[lane];
    const fin = s.windowFinalInvokeMs;
    const windowed = this.readPos[lane] - ring.head;
    if (this.trace !== null) this.traceBatch(lane, ring.head, windowed, tMs, 'final', this.closeEarly[lane] ? { reason: 'state-full' } : {});
    const reason = this.platform.invoke(this.fnIndex, tMs, this.id, lane, fin >= 0 ? fin : 0, fin >= 0 ? InvokeFlags.HANDLER_MS : 0);
    const shard = Math.floor(lane / this.factor);
    const m = this.meters;
    if (reason !== Throttle.NONE) {
      this.throttled(lane, ring.head, windowed, tMs, reason);
      return;
    }
    this.busy[lane] = 1;
    this.finalBusy[lane] = 1;
    m.concurrency.set(tMs, ++this.inFlight);
    if (tMs >= m.fromMs) m.finalInvokes++;
    this.retryStarted(lane, tMs, 0);
    this.debug?.final?.(tMs, shard, lane, windowed, this.closeEarly[lane] === 1);
  }

  /** The invocation of `k` records from `from` was throttled: tried again after `throttleRetryMs` (§1, §6). */
  private throttled(lane: number, from: number, k: number, tMs: number, reason: number): void {
    const s = this.spec.stream;
    if (tMs >= this.meters.fromMs) this.meters.throttled++;
    this.debug?.throttled?.(tMs, Math.floor(lane / this.factor), lane);
    if (this.trace !== null) this.traceBatch(lane, from, k, tMs, 'throttle', { reason: THROTTLE_REASONS[reason], delayMs: s.throttleRetryMs });
    this.wakeLater(lane, tMs + s.throttleRetryMs);
  }

  /** A final invoke finished: success checkpoints the window; a failure is retried under the mapping's retry rules. */
  private finalDone(lane: number, tMs: number, ok: boolean): void {
    const s = this.spec.stream;
    const m = this.meters;
    const ring = this.lanes[lane];
    const n = this.readPos[lane] - ring.head;
    const shard = Math.floor(lane / this.factor);
    const counted = tMs >= m.fromMs;
    this.debug?.finalDone?.(tMs, shard, lane, ok, n);
    let delay = 0;
    if (ok) {
      if (counted) {
        m.windowsClosed++;
        if (this.closeEarly[lane]) m.windowsClosedEarly++;
      }
      this.processed(lane, n, tMs);
      this.resetRetries(lane);
      this.stateBytes[lane] = 0;
      this.closeEarly[lane] = 0;
    } else {
      if (counted) m.finalInvokesFailed++;
      if (this.trace !== null) this.traceBatch(lane, ring.head, n, tMs, 'failed', { status: STATUS_NAMES[this.platform.lastStatus], reason: 'final-invoke' });
      const max = s.maximumRetryAttempts;
      if (max >= 0 && this.retries[lane] >= max) {
        this.discard(lane, ring.head, n, 0, tMs);
        this.resetRetries(lane);
        this.stateBytes[lane] = 0;
        this.closeEarly[lane] = 0;
      } else {
        this.retries[lane]++;
        this.retryDue[lane] = 1;
        delay = s.retryDelayMs;
        if (this.trace !== null) this.traceBatch(lane, ring.head, n, tMs, 'retry', { attempt: this.retries[lane], delayMs: delay });
      }
    }
    if (delay > 0) this.wakeLater(lane, tMs + delay);
    else this.poll(lane, tMs);
  }

  /** Tumbling windows: the first `k` records from the read position were handled by the function; they join the window's state. */
  private delivered(lane: number, k: number, tMs: number): void {
    if (this.trace !== null) this.traceBatch(lane, this.readPos[lane], k, tMs, 'delivered', {});
    this.readPos[lane] += k;
    const per = this.spec.stream.windowStateBytesPerRecord;
    const state = (this.stateBytes[lane] += k * per);
    if (per > 0 && state + per > WINDOW_STATE_LIMIT_BYTES) this.closeEarly[lane] = 1;
    this.popReached(lane);
  }

  /** Invokes the function with the lane's next batch. */
  private start(lane: number, tMs: number): void {
    const s = this.spec.stream;
    const ring = this.lanes[lane];
    const sl = this.stackLen[lane];
    const base = this.base(lane);
    let n = Math.min(ring.tail - base, s.maxRecordsPerBatch);
    if (sl > 0) n = Math.min(n, this.stack[lane * STACK + sl - 1] - base);
    const mask = ring.mask;
    if (this.windowMs > 0) {
      // A batch holds records of one window, and no more than the window's state has room for.
      const end = this.windowEnd(ring.writeMs[base & mask]);
      let k = 1;
      while (k < n && ring.writeMs[(base + k) & mask] < end) k++;
      n = k;
      const per = s.windowStateBytesPerRecord;
      if (per > 0) n = Math.min(n, Math.max(1, Math.floor((WINDOW_STATE_LIMIT_BYTES - this.stateBytes[lane]) / per)));
    }
    // Which records fail in this delivery: poison ones always, others by the per-delivery draw.
    let failAt = -1;
    const flags = ring.flags;
    const pe = s.recordErrors;
    for (let i = 0; i < n; i++) {
      if (flags[(base + i) & mask] & FLAG_POISON || (pe > 0 && this.rngRecordErrors.next() < pe)) {
        failAt = i;
        break;
      }
    }
    // Mapping invokes are synchronous invokes, counted toward the request-rate quota like the SQS mapping's (§1).
    const invokeFlags = failAt >= 0 && !s.reportBatchItemFailures ? InvokeFlags.FAIL : 0;
    if (this.trace !== null) this.traceBatch(lane, base, n, tMs, 'batch', { attempt: this.retries[lane] + 1 });
    const reason = this.platform.invoke(this.fnIndex, tMs, this.id, lane, s.perRecordMs * n, invokeFlags);
    const shard = Math.floor(lane / this.factor);
    const m = this.meters;
    if (reason !== Throttle.NONE) {
      this.throttled(lane, base, n, tMs, reason);
      return;
    }
    if (this.trace !== null || this.records !== null) for (let i = 0; i < n; i++) ring.deliveries[(base + i) & mask]++;
    this.retryStarted(lane, tMs, n);
    this.busy[lane] = 1;
    this.batchN[lane] = n;
    this.failAt[lane] = failAt;
    m.concurrency.set(tMs, ++this.inFlight);
    if (tMs >= m.fromMs) {
      m.batches++;
      m.batchSize.record(n);
      m.readByPart[m.parts.at(tMs)] += n;
    }
    this.debug?.batch?.(tMs, shard, lane, ring.seq[base & mask], n);
  }

  onComplete(lane: number): void {
    const t = this.sim.now;
    const s = this.spec.stream;
    const m = this.meters;
    const status = this.platform.lastStatus;
    const ring = this.lanes[lane];
    const n = this.batchN[lane];
    const shard = Math.floor(lane / this.factor);
    this.busy[lane] = 0;
    m.concurrency.set(t, --this.inFlight);
    if (this.windowMs > 0 && this.finalBusy[lane]) {
      // A final invoke carries no records: no IteratorAge.
      this.finalBusy[lane] = 0;
      this.finalDone(lane, t, status === Status.OK);
      return;
    }
    const base = this.base(lane);
    m.iteratorAge(shard, t, t - ring.writeMs[(base + n - 1) & ring.mask]);
    const counted = t >= m.fromMs;
    let delay = 0;
    // Issue 16: the records of a failed delivery give their function's on-failure outputs.
    if (this.pipe !== null && this.pipe.sendsOnFailure(this.fnIndex) && (status !== Status.OK || this.failAt[lane] >= 0)) {
      for (let p = base + (status === Status.OK ? this.failAt[lane] : 0), end = base + n; p < end; p++) {
        const it = ring.item[p & ring.mask];
        if (it >= 0 && !(ring.flags[p & ring.mask] & FLAG_DISCARDED)) this.pipe.processed(it, this.fnIndex, t, false);
      }
    }
    if (status === Status.OK && this.failAt[lane] < 0) {
      if (counted) m.batchesSucceeded++;
      this.debug?.done?.(t, shard, lane, 'ok', n);
      if (this.windowMs > 0) this.delivered(lane, n, t);
      else this.processed(lane, n, t);
      this.resetRetries(lane);
    } else if (status === Status.OK) {
      // reportBatchItemFailures: checkpoint at the lowest failed record, retry from there.
      const ok = this.failAt[lane];
      if (counted) m.batchesPartial++;
      this.debug?.done?.(t, shard, lane, 'partial', n);
      if (this.trace !== null) this.traceBatch(lane, base + ok, n - ok, t, 'failed', { reason: 'item-failure' });
      if (this.windowMs > 0) this.delivered(lane, ok, t);
      else this.processed(lane, ok, t);
      delay = this.failed(lane, n - ok, t);
    } else if (s.bisectBatchOnFunctionError && n > 1) {
      if (counted) {
        m.batchesFailed++;
        m.splits++;
      }
      this.debug?.done?.(t, shard, lane, 'split', n);
      if (this.trace !== null) this.traceBatch(lane, base, n, t, 'split', { ...this.failure(lane, status), delayMs: s.retryDelayMs });
      this.pushEnd(lane, base + n);
      this.pushEnd(lane, base + Math.ceil(n / 2));
      delay = s.retryDelayMs;
    } else {
      if (counted) m.batchesFailed++;
      this.debug?.done?.(t, shard, lane, 'failed', n);
      if (this.trace !== null) this.traceBatch(lane, base, n, t, 'failed', this.failure(lane, status));
      delay = this.failed(lane, n, t);
    }
    if (delay > 0) this.wakeLater(lane, t + delay);
    else this.poll(lane, t);
  }

  /** The first `k` records of the lane failed: retry them, or discard them when out of retries. Returns the retry delay. */
  private failed(lane: number, k: number, tMs: number): number {
    const s = this.spec.stream;
    const max = s.maximumRetryAttempts;
    if (max >= 0 && this.retries[lane] >= max) {
      this.discard(lane, this.base(lane), k, 0, tMs);
      this.resetRetries(lane);
      return 0;
    }
    this.retries[lane]++;
    this.retryDue[lane] = 1;
    if (this.trace !== null) this.traceBatch(lane, this.base(lane), k, tMs, 'retry', { attempt: this.retries[lane], delayMs: s.retryDelayMs });
    this.pushEnd(lane, this.base(lane) + k);
    return s.retryDelayMs;
  }

  /** An invoke of `n` records started: a retry when one was due (§6 `maximumRetryAttempts` counts these). */
  private retryStarted(lane: number, tMs: number, n: number): void {
    if (this.retryDue[lane] === 0) return;
    this.retryDue[lane] = 0;
    if (tMs >= this.meters.fromMs) {
      this.meters.retries++;
      this.meters.recordsRetried += n;
    }
  }

  /** The batch being retried is gone (discarded, expired or checkpointed): the next one starts with its full retries. */
  private resetRetries(lane: number): void {
    this.retries[lane] = 0;
    this.retryDue[lane] = 0;
  }

  private pushEnd(lane: number, end: number): void {
    const base = lane * STACK;
    const sl = this.stackLen[lane];
    if (sl > 0 && this.stack[base + sl - 1] === end) return;
    this.stack[base + sl] = end;
    this.stackLen[lane] = sl + 1;
  }

  /** Drops batch ends the checkpoint has reached. */
  private popReached(lane: number): void {
    const head = this.base(lane);
    const base = lane * STACK;
    let sl = this.stackLen[lane];
    while (sl > 0 && this.stack[base + sl - 1] <= head) sl--;
    this.stackLen[lane] = sl;
  }

  /** The first `k` records of the lane succeeded: the checkpoint moves past them. */
  private processed(lane: number, k: number, tMs: number): void {
    const m = this.meters;
    const ring = this.lanes[lane];
    const shard = Math.floor(lane / this.factor);
    const from = m.fromMs;
    const debug = this.debug?.processed;
    const { trace, records } = this;
    let counted = 0;
    for (let p = ring.head, end = ring.head + k; p < end; p++) {
      const i = p & ring.mask;
      if (ring.flags[i] & FLAG_DISCARDED) continue;
      if (ring.writeMs[i] >= from) {
        counted++;
        if (records !== null) this.record(ring, i, shard, tMs, 'processed', '', '');
      }
      if (debug) debug(tMs, shard, ring.key[i], ring.seq[i], ring.writeMs[i]);
      if (trace !== null) this.traceRecord(ring, i, tMs, 'done', { outcome: 'processed', attempt: ring.deliveries[i] });
      const it = ring.item[i];
      if (it >= 0) {
        this.pipe!.processed(it, this.fnIndex, tMs, true);
        this.pipe!.end(it, tMs, Fate.DONE);
      }
    }
    ring.head += k;
    m.processed += counted;
    m.shardProcessed[shard] += counted;
    if (counted > 0) m.processedSeries.add(tMs, counted);
    this.popReached(lane);
  }

  /**
   * Lambda gives up on `k` records from position `from` (the checkpoint, or with tumbling windows the
   * read position inside an open window): one on-failure message with the shard and sequence range (§6).
   */
  private discard(lane: number, from: number, k: number, reason: number, tMs: number): void {
    const m = this.meters;
    const ring = this.lanes[lane];
    const shard = Math.floor(lane / this.factor);
    const first = ring.seq[from & ring.mask];
    const last = ring.seq[(from + k - 1) & ring.mask];
    const why = DISCARD_REASONS[reason];
    const target = this.spec.stream.onFailure !== null ? 'on-failure' : '';
    const { trace, records } = this;
    let counted = 0;
    for (let p = from, end = from + k; p < end; p++) {
      const i = p & ring.mask;
      if (ring.flags[i] & FLAG_DISCARDED) continue;
      if (ring.writeMs[i] >= m.fromMs) {
        counted++;
        if (records !== null) this.record(ring, i, shard, tMs, 'discarded', why, target);
      }
      if (trace !== null) this.traceRecord(ring, i, tMs, 'done', { outcome: 'discarded', reason: why, attempt: ring.deliveries[i] });
      if (ring.item[i] >= 0) this.pipe!.end(ring.item[i], tMs, target !== '' ? Fate.DLQ : Fate.DROPPED);
    }
    if (from === ring.head) {
      ring.head += k;
      if (this.windowMs > 0 && this.readPos[lane] < ring.head) this.readPos[lane] = ring.head;
    } else {
      // Inside an open window: the records stay in the ring until the window's checkpoint, marked.
      for (let p = from, end = from + k; p < end; p++) ring.flags[p & ring.mask] |= FLAG_DISCARDED;
      this.readPos[lane] = from + k;
    }
    m.discarded += counted;
    m.shardDiscarded[shard] += counted;
    if (tMs >= m.fromMs) {
      m.discardedBatches[reason]++;
      if (m.discardExamples.length < DISCARD_EXAMPLES) {
        m.discardExamples.push({ shard, firstSequence: first, lastSequence: last, records: k, reason: why, atMs: tMs });
      }
    }
    this.debug?.discarded?.(tMs, shard, first, last, why);
    this.popReached(lane);
  }

  /** Before a read: records past retention expire; records older than maximumRecordAge are discarded (§6). */
  private dropOld(lane: number, tMs: number): void {
    const s = this.spec.stream;
    const m = this.meters;
    const ring = this.lanes[lane];
    const shard = Math.floor(lane / this.factor);
    const retention = s.retentionMs;
    const { trace, records } = this;
    let expired = 0;
    const head0 = ring.head;
    while (ring.count > 0) {
      const i = ring.head & ring.mask;
      const w = ring.writeMs[i];
      if (w + retention > tMs) break;
      if (!(ring.flags[i] & FLAG_DISCARDED)) {
        if (w >= m.fromMs) {
          expired++;
          if (records !== null) this.record(ring, i, shard, w + retention, 'expired', 'retention', '');
        }
        if (trace !== null) this.traceRecord(ring, i, w + retention, 'done', { outcome: 'expired', reason: 'retention', attempt: ring.deliveries[i] });
        if (ring.item[i] >= 0) this.pipe!.end(ring.item[i], w + retention, Fate.DROPPED);
      }
      ring.head++;
    }
    if (expired > 0) {
      m.expired += expired;
      m.shardExpired[shard] += expired;
    }
    if (ring.head !== head0) this.resetRetries(lane);
    const maxAge = s.maximumRecordAgeMs;
    if (maxAge >= 0) {
      for (;;) {
        let k = 0;
        const limit = Math.min(ring.count, s.maxRecordsPerBatch);
        while (k < limit && tMs - ring.writeMs[(ring.head + k) & ring.mask] > maxAge) k++;
        if (k === 0) break;
        this.discard(lane, ring.head, k, 1, tMs);
        this.resetRetries(lane);
      }
    }
    this.popReached(lane);
  }

  /** At the end of the run: records still in the stream are pending, or expired if past retention. */
  finish(endMs: number): void {
    const m = this.meters;
    const retention = this.spec.stream.retentionMs;
    for (let lane = 0; lane < this.lanes.length; lane++) {
      const ring = this.lanes[lane];
      const shard = Math.floor(lane / this.factor);
      // Records in the invocation in flight: the batch, or with tumbling windows the window of a final invoke.
      let inFrom = ring.head;
      let inTo = ring.head;
      if (this.busy[lane]) {
        if (this.windowMs > 0 && this.finalBusy[lane]) inTo = this.readPos[lane];
        else {
          inFrom = this.base(lane);
          inTo = inFrom + this.batchN[lane];
        }
      }
      for (let p = ring.head; p < ring.tail; p++) {
        const i = p & ring.mask;
        const w = ring.writeMs[i];
        if (w < m.fromMs || ring.flags[i] & FLAG_DISCARDED) continue;
        const inFlight = p >= inFrom && p < inTo;
        if (!inFlight && w + retention <= endMs) {
          if (ring.item[i] >= 0) this.pipe!.end(ring.item[i], w + retention, Fate.DROPPED);
          m.expired++;
          m.shardExpired[shard]++;
          if (this.records !== null) this.record(ring, i, shard, w + retention, 'expired', 'retention', '');
        } else {
          m.pendingAtEnd++;
          m.shardPending[shard]++;
          if (inFlight) m.inFlightAtEnd++;
          if (this.records !== null) this.record(ring, i, shard, NaN, 'open', inFlight ? 'in-flight' : 'waiting', '');
        }
      }
    }
    m.concurrency.finish(endMs);
  }

  /** Why a batch failed as a whole (trace only): a record in it failed, or the function erred or timed out. */
  private failure(lane: number, status: number): Partial<TraceEvent> {
    return { status: STATUS_NAMES[status], ...(this.failAt[lane] >= 0 ? { reason: 'record-failed' } : {}) };
  }

  traceRequest(lane: number): number {
    return this.lead[lane];
  }

  /** Issue 16: the item of the first record of the lane's batch in flight (calls its function makes are made for it). */
  itemOf(lane: number): number {
    const ring = this.lanes[lane];
    return ring.item[this.base(lane) & ring.mask];
  }

  /** A batch-level trace event about `k` records of the lane from position `from`: `request` is the first, `requests` all. */
  private traceBatch(lane: number, from: number, k: number, tMs: number, type: string, extra: Partial<TraceEvent>): void {
    const ring = this.lanes[lane];
    const requests: number[] = [];
    for (let p = from, end = from + k; p < end; p++) if (!(ring.flags[p & ring.mask] & FLAG_DISCARDED)) requests.push(ring.req[p & ring.mask]);
    const request = requests.length > 0 ? requests[0] : -1;
    if (type === 'batch' || type === 'final') this.lead[lane] = request;
    const place = { shard: Math.floor(lane / this.factor), ...(this.factor > 1 ? { lane: lane % this.factor } : {}) };
    this.trace!.emit({ tMs, type, request, workload: this.spec.name, function: this.fnName, requests, ...place, ...extra });
  }

  /** A trace event about the record at ring index i. */
  private traceRecord(ring: LaneRing, i: number, tMs: number, type: string, extra: Partial<TraceEvent>): void {
    this.trace!.emit({ tMs, type, request: ring.req[i], workload: this.spec.name, function: this.fnName, ...extra });
  }

  /** Records the record at ring index i (only called when records are wanted). */
  private record(ring: LaneRing, i: number, shard: number, endedMs: number, outcome: string, reason: string, target: string): void {
    this.records!.record({
      workload: this.spec.name,
      model: 'stream',
      request: ring.req[i],
      function: this.fnName,
      startedMs: ring.writeMs[i],
      endedMs,
      outcome,
      reason,
      attempts: ring.deliveries[i],
      target,
      shard,
      sequence: ring.seq[i],
      key: ring.key[i],
    });
  }

  /** Records held in memory right now (for tests of the memory bound). */
  get retained(): number {
    let n = 0;
    for (const r of this.lanes) n += r.count;
    return n;
  }
}

/** CDF of a Zipf law with exponent `s` over `n` keys (key i has weight 1/(i+1)^s). */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  for (let i = 0; i < n; i++) cdf[i] /= sum;
  cdf[n - 1] = 1;
  return cdf;
}
