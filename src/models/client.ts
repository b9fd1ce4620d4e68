/**
 * The callers' SDK clients (docs/sources.md §3 "Client (SDK) retries"): which
 * attempts they retry, after what backoff, and the two things that bound a
 * retry storm — the per-client retry quota (standard and adaptive modes) and
 * the adaptive mode's client-side rate limiter.
 *
 * A workload's requests are spread over `clients` clients (an SDK client is one
 * per process; default 1) in turn, so client i sends requests i, i + N, ...:
 * no random draw decides it.
 *
 * Retry modes (presets; botocore is the reference implementation cited):
 * - `none`: every attempt is the last.
 * - `legacy` (botocore's legacy mode): 5 attempts in all, backoff
 *   u × 1 s × 2^(i−1) before retry i, no quota, no rate limiter.
 * - `standard` (botocore's standard mode, "2.0"): 3 attempts, backoff
 *   min(u × base × 2^(i−1), 20 s) with base 1 s; a retry quota of 500 tokens per
 *   client: a retry of a throttle costs 5, a retry after a client timeout 10; a
 *   request that would need a retry when the bucket holds fewer tokens is given
 *   up. A 2xx response gives back 1 token when the request was never retried,
 *   else the cost of its last retry ("we give back whatever quota was associated
 *   with the last acquisition"); the bucket never holds more than 500.
 * - `standard-2026` (the updated behaviour AWS made the default in November 2026):
 *   as standard, but a retry after a non-throttling error (a client timeout) costs
 *   14 tokens and waits from a 50 ms base; throttles keep the 1 s base and cost 5;
 *   the cap applies before the jitter: u × min(base × 2^(i−1), 20 s).
 * - `adaptive`: standard plus a client-side rate limiter (botocore adaptive.py):
 *   off until the first throttle, then a token bucket whose rate follows CUBIC:
 *   at a throttle W_max := the rate in use (the measured send rate, or the
 *   limiter's rate once on) and the rate becomes β·W_max (β = 0.7); after it,
 *   rate(t) = C·(t − t_throttle − K)³ + W_max with C = 0.4 and
 *   K = ∛(W_max·(1 − β)/C), never below 0.5/s and never above twice the measured
 *   send rate. The measured rate is the responses per 0.5 s time bucket,
 *   exponentially smoothed with weight 0.8. The bucket holds at most
 *   max(1, rate) tokens.
 *
 * A request that finds no send token waits for one, in order of arrival at its
 * client (botocore blocks the calling thread until the bucket has a token); the
 * waiting requests are released as tokens appear at the rate in force, so a
 * rate change speeds up or slows down the waits already under way. A request
 * that has waited longer than the client's timeout gives up without sending
 * (`rateLimited`: the caller's own deadline; botocore itself waits forever, so
 * with `timeout: off` lsim does too). Memory: the waiting requests of a client
 * are at most its arrival rate × the timeout. All other state is typed arrays
 * indexed by client; nothing is allocated per request.
 */
import type { Simulator } from '../engine/simulator.js';
import type { ClientSpec } from '../scenario/types.js';
import { Phase, THROTTLE_REASONS } from '../platform/platform.js';

/** Why an attempt needs a retry: the SDK treats throttles and other transient errors differently (2026). */
export const RetryCause = { THROTTLE: 0, TIMEOUT: 1 } as const;

/** Retry-quota token costs and refunds per mode (botocore retries/standard.py; [SDK-2026]). */
export const QUOTA = {
  /** Tokens a client starts with and holds at most (the default of `retryQuota`). */
  capacity: 500,
  noRetryIncrement: 1,
  standard: { throttle: 5, timeout: 10 },
  'standard-2026': { throttle: 5, timeout: 14 },
} as const;

/** The adaptive mode's CUBIC constants (botocore retries/adaptive.py, bucket.py, throttling.py). */
const CUBIC = { beta: 0.7, scale: 0.4, minRate: 0.5, smoothing: 0.8, bucketS: 0.5 } as const;

export class SdkClients {
  readonly count: number;
  /** Set by the last {@link acquireRetry} that gave up because the retry quota was empty. */
  quotaExhausted = false;
  private next = 0;
  private readonly quota: Float64Array | null;
  private readonly capacity: number;
  private readonly costs: { throttle: number; timeout: number } | null;
  private readonly retryable: boolean;
  private readonly capFirst: boolean;
  // Adaptive limiter, per client (null unless adaptive).
  private readonly limiter: {
    enabled: Uint8Array;
    rate: Float64Array;
    tokens: Float64Array;
    lastRefillS: Float64Array;
    measured: Float64Array;
    bucketCount: Float64Array;
    lastBucketS: Float64Array;
    wMax: Float64Array;
    lastThrottleS: Float64Array;
    k: Float64Array;
    /** When the next waiting request gets its token (Infinity: none waits); release events at other times are stale. */
    releaseAt: Float64Array;
    waiting: WaitRing[];
  } | null;
  private readonly maxWaitMs: number;
  private readonly releaseKind: number;

  /**
   * `sim`, `send` and `giveUp` serve the adaptive rate limiter: `send(slot)` is called when a waiting
   * request gets its send token, `giveUp(slot)` when it waited longer than the client's timeout.
   */
  constructor(
    readonly spec: ClientSpec,
    private readonly sim: Simulator,
    private readonly send: (slot: number) => void,
    private readonly giveUp: (slot: number) => void,
  ) {
    const n = spec.clients;
    this.count = n;
    this.retryable = spec.retryMode !== 'none';
    this.capFirst = spec.retryMode === 'standard-2026';
    // The loader gives legacy and none no quota (spec.retryQuota null).
    this.costs = spec.retryQuota === null ? null : spec.retryMode === 'standard-2026' ? QUOTA['standard-2026'] : QUOTA.standard;
    this.capacity = spec.retryQuota ?? 0;
    this.quota = this.costs === null ? null : new Float64Array(n).fill(this.capacity);
    this.maxWaitMs = spec.timeoutMs ?? Infinity;
    if (spec.retryMode === 'adaptive') {
      this.limiter = {
        enabled: new Uint8Array(n),
        rate: new Float64Array(n).fill(1),
        tokens: new Float64Array(n),
        lastRefillS: new Float64Array(n),
        measured: new Float64Array(n),
        bucketCount: new Float64Array(n),
        lastBucketS: new Float64Array(n),
        wMax: new Float64Array(n),
        lastThrottleS: new Float64Array(n),
        k: new Float64Array(n),
        releaseAt: new Float64Array(n).fill(Infinity),
        waiting: Array.from({ length: n }, () => new WaitRing()),
      };
      this.releaseKind = sim.register((c) => this.release(c), 'client/send-token');
    } else {
      this.limiter = null;
      this.releaseKind = -1;
    }
  }

  /** Whether a request's first attempt may be retried at all (a retry mode, and more than one attempt). */
  get retriesFirst(): boolean {
    return this.retryable && this.spec.maxAttempts > 1;
  }

  /** The client that sends the next new request (in turn). */
  assign(): number {
    const c = this.next;
    this.next = c + 1 === this.count ? 0 : c + 1;
    return c;
  }

  /**
   * Whether attempt `attempt` (1-based, just failed for `cause`) may be retried, taking the retry's
   * quota tokens if so. Returns the tokens taken (0 without a quota), or -1 when the request is given
   * up; `quotaExhausted` tells the two give-ups apart.
   */
  acquireRetry(c: number, attempt: number, cause: number): number {
    this.quotaExhausted = false;
    if (!this.retryable || attempt >= this.spec.maxAttempts) return -1;
    if (this.quota === null) return 0;
    const cost = cause === RetryCause.THROTTLE ? this.costs!.throttle : this.costs!.timeout;
    if (this.quota[c] < cost) {
      this.quotaExhausted = true;
      return -1;
    }
    this.quota[c] -= cost;
    return cost;
  }

  /** The backoff before retry `retry` (1-based) after `cause`, from a uniform draw u in [0, 1). */
  backoffMs(retry: number, cause: number, u: number): number {
    const s = this.spec;
    const base = cause === RetryCause.TIMEOUT ? s.transientBaseDelayMs : s.baseDelayMs;
    // The 2026 behaviour caps the exponential before the jitter; the earlier modes jitter, then cap.
    return this.capFirst ? u * Math.min(base * 2 ** (retry - 1), s.maxBackoffMs) : Math.min(u * base * 2 ** (retry - 1), s.maxBackoffMs);
  }

  /** A 2xx response reached client c for a request whose last retry took `lastRetryCost` tokens (0: never retried). */
  succeeded(c: number, retried: boolean, lastRetryCost: number): void {
    const q = this.quota;
    if (q === null) return;
    const v = q[c] + (retried ? lastRetryCost : QUOTA.noRetryIncrement);
    q[c] = v < this.capacity ? v : this.capacity;
  }

  /** Whether the adaptive limiter exists (send waits and response feedback apply). */
  get adaptive(): boolean {
    return this.limiter !== null;
  }

  /**
   * Before each attempt: true when request `slot` of client c may be sent now. Otherwise (adaptive,
   * limiter on, no token) it waits in the client's queue and `send(slot)` (or `giveUp(slot)`) is
   * called later.
   */
  acquireSend(c: number, slot: number, tMs: number): boolean {
    const L = this.limiter;
    if (L === null || !L.enabled[c]) return true;
    this.refill(c, tMs);
    const q = L.waiting[c];
    if (q.size === 0 && L.tokens[c] >= 1) {
      L.tokens[c] -= 1;
      return true;
    }
    q.push(slot, tMs);
    this.scheduleRelease(c, tMs);
    return false;
  }

  private refill(c: number, tMs: number): void {
    const L = this.limiter!;
    const t = tMs / 1000;
    const rate = L.rate[c];
    const capacity = rate > 1 ? rate : 1;
    const filled = L.tokens[c] + (t - L.lastRefillS[c]) * rate;
    L.tokens[c] = filled < capacity ? filled : capacity;
    L.lastRefillS[c] = t;
  }

  /** Schedules the release of client c's next waiting request, when the bucket will hold a token at the current rate. */
  private scheduleRelease(c: number, tMs: number): void {
    const L = this.limiter!;
    if (L.waiting[c].size === 0) {
      L.releaseAt[c] = Infinity;
      return;
    }
    // At least a microsecond ahead when a token is short, so float rounding can never stall the clock.
    const at = L.tokens[c] >= 1 ? tMs : Math.max(tMs + ((1 - L.tokens[c]) / L.rate[c]) * 1000, tMs + 1e-3);
    if (at === L.releaseAt[c]) return;
    L.releaseAt[c] = at;
    this.sim.schedule(at, Phase.ARRIVAL, this.releaseKind, c);
  }

  /** Hands out the tokens client c's bucket holds now to its waiting requests, oldest first. */
  private release(c: number): void {
    const L = this.limiter!;
    const t = this.sim.now;
    if (t !== L.releaseAt[c]) return; // superseded by a rate change
    L.releaseAt[c] = Infinity;
    this.refill(c, t);
    const q = L.waiting[c];
    while (q.size > 0) {
      if (t - q.peekTime() > this.maxWaitMs) {
        this.giveUp(q.shift());
        continue;
      }
      if (L.tokens[c] < 1) break;
      L.tokens[c] -= 1;
      this.send(q.shift());
    }
    this.scheduleRelease(c, t);
  }

  /** Adaptive: a response (or a client timeout) reached client c at tMs; `throttled` when it was a 429. */
  response(c: number, tMs: number, throttled: boolean): void {
    const L = this.limiter!;
    const t = tMs / 1000;
    // The send-rate clock: responses per 0.5 s time bucket, smoothed.
    const bucket = Math.floor(t / CUBIC.bucketS) * CUBIC.bucketS;
    L.bucketCount[c]++;
    if (bucket > L.lastBucketS[c]) {
      const current = L.bucketCount[c] / (bucket - L.lastBucketS[c]);
      L.measured[c] = current * CUBIC.smoothing + L.measured[c] * (1 - CUBIC.smoothing);
      L.bucketCount[c] = 0;
      L.lastBucketS[c] = bucket;
    }
    const measured = L.measured[c];
    let rate: number;
    if (throttled) {
      const inUse = L.enabled[c] ? Math.min(measured, L.rate[c]) : measured;
      L.wMax[c] = inUse;
      L.k[c] = Math.cbrt((inUse * (1 - CUBIC.beta)) / CUBIC.scale);
      L.lastThrottleS[c] = t;
      rate = inUse * CUBIC.beta;
      if (!L.enabled[c]) {
        L.enabled[c] = 1;
        L.tokens[c] = 0;
        L.lastRefillS[c] = t;
        L.rate[c] = rate;
      }
    } else {
      if (!L.enabled[c]) return;
      const dt = t - L.lastThrottleS[c] - L.k[c];
      rate = CUBIC.scale * dt * dt * dt + L.wMax[c];
    }
    if (rate > 2 * measured) rate = 2 * measured;
    if (rate < CUBIC.minRate) rate = CUBIC.minRate;
    // Refill at the old rate up to now, then switch; the waiting requests move with the new rate.
    this.refill(c, tMs);
    L.rate[c] = rate;
    if (L.waiting[c].size > 0) this.scheduleRelease(c, tMs);
  }
}

/** A FIFO of (slot, time) in growable typed rings: the requests waiting for a client's send token. */
class WaitRing {
  private slots = new Int32Array(16);
  private times = new Float64Array(16);
  private head = 0;
  size = 0;
  push(slot: number, tMs: number): void {
    if (this.size === this.slots.length) {
      const n = this.size * 2;
      const slots = new Int32Array(n);
      const times = new Float64Array(n);
      for (let i = 0; i < this.size; i++) {
        const j = (this.head + i) & (this.slots.length - 1);
        slots[i] = this.slots[j];
        times[i] = this.times[j];
      }
      this.slots = slots;
      this.times = times;
      this.head = 0;
    }
    const j = (this.head + this.size++) & (this.slots.length - 1);
    this.slots[j] = slot;
    this.times[j] = tMs;
  }
  peekTime(): number {
    return this.times[this.head];
  }
  shift(): number {
    const slot = this.slots[this.head];
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.size--;
    return slot;
  }
}

/** What {@link ImmediateCalls} counts (calls first sent after the warm-up only). */
export interface CallMeters {
  fromMs: number;
  /** Retries the SDK made after a 429. */
  retries: number;
  /** Calls that ended refused (429 on their last attempt). */
  rejected: number;
  /** Of those, the ones whose client's retry quota could not pay for another try. */
  retryQuotaExhausted: number;
  /** Adaptive mode: calls given up unsent after waiting longer than the client timeout for a send token. */
  rateLimited: number;
}

/**
 * Calls answered at once, accepted or throttled, such as an asynchronous Invoke (202 or 429): the
 * SDK side of them, with the clients' retries, retry quota and rate limiter. `tryCall(tMs)` makes one
 * attempt and returns 0 when it is accepted, else the throttle reason; `accepted(tMs, firstAtMs)` is
 * called for a call that got through (with when it was first sent, for the warm-up rule). Slots are typed arrays; nothing is allocated per call.
 * `onRefused`, when set, is told each counted call that never got through (one null check per give-up).
 */
export class ImmediateCalls {
  private readonly clients: SdkClients;
  private readonly retryKind: number;
  private firstAtMs = new Float64Array(64);
  private attemptOf = new Int32Array(64);
  private clientOf = new Int32Array(64);
  private costOf = new Int32Array(64);
  private free: number[] = [];
  private used = 0;
  /** Set only when records are wanted: a counted call given up, refused (429, with the throttle reason) or rate-limited. */
  onRefused: ((outcome: 'rejected' | 'rate-limited', reason: string, firstAtMs: number, tMs: number, attempts: number) => void) | null = null;

  constructor(
    private readonly sim: Simulator,
    spec: ClientSpec,
    private readonly rngBackoff: { double(): number },
    private readonly tryCall: (tMs: number) => number,
    private readonly accepted: (tMs: number, firstAtMs: number) => void,
    readonly meters: CallMeters,
  ) {
    this.clients = new SdkClients(
      spec,
      sim,
      (slot) => this.send(slot, sim.now),
      (slot) => {
        if (this.firstAtMs[slot] >= meters.fromMs) {
          meters.rateLimited++;
          if (this.onRefused !== null) this.onRefused('rate-limited', '', this.firstAtMs[slot], sim.now, this.attemptOf[slot]);
        }
        this.free.push(slot);
      },
    );
    this.retryKind = sim.register((slot) => this.attempt(slot, sim.now), 'client/retry');
  }

  /** A new call at tMs. */
  arrive(tMs: number): void {
    const slot = this.free.length > 0 ? this.free.pop()! : this.alloc();
    this.firstAtMs[slot] = tMs;
    this.attemptOf[slot] = 1;
    this.clientOf[slot] = this.clients.assign();
    this.costOf[slot] = 0;
    this.attempt(slot, tMs);
  }

  private attempt(slot: number, tMs: number): void {
    if (this.clients.acquireSend(this.clientOf[slot], slot, tMs)) this.send(slot, tMs);
  }

  private send(slot: number, tMs: number): void {
    const c = this.clientOf[slot];
    const clients = this.clients;
    const m = this.meters;
    const counted = this.firstAtMs[slot] >= m.fromMs;
    const refused = this.tryCall(tMs);
    if (refused === 0) {
      clients.succeeded(c, this.attemptOf[slot] > 1, this.costOf[slot]);
      if (clients.adaptive) clients.response(c, tMs, false);
      this.free.push(slot);
      this.accepted(tMs, this.firstAtMs[slot]);
      return;
    }
    if (clients.adaptive) clients.response(c, tMs, true);
    const attempt = this.attemptOf[slot];
    const cost = clients.acquireRetry(c, attempt, RetryCause.THROTTLE);
    if (cost < 0) {
      if (counted) {
        m.rejected++;
        if (clients.quotaExhausted) m.retryQuotaExhausted++;
        if (this.onRefused !== null) this.onRefused('rejected', THROTTLE_REASONS[refused], this.firstAtMs[slot], tMs, attempt);
      }
      this.free.push(slot);
      return;
    }
    if (counted) m.retries++;
    this.attemptOf[slot] = attempt + 1;
    this.costOf[slot] = cost;
    this.sim.schedule(tMs + clients.backoffMs(attempt, RetryCause.THROTTLE, this.rngBackoff.double()), Phase.ARRIVAL, this.retryKind, slot);
  }

  private alloc(): number {
    if (this.used === this.firstAtMs.length) {
      const n = this.used * 2;
      const grow = <T extends Float64Array | Int32Array>(a: T, b: T): T => (b.set(a), b);
      this.firstAtMs = grow(this.firstAtMs, new Float64Array(n));
      this.attemptOf = grow(this.attemptOf, new Int32Array(n));
      this.clientOf = grow(this.clientOf, new Int32Array(n));
      this.costOf = grow(this.costOf, new Int32Array(n));
    }
    return this.used++;
  }
}
