/**
 * Fixed-interval time series over [0, durationMs): bucket i covers
 * [i·intervalMs, min((i+1)·intervalMs, durationMs)), so the last bucket may be
 * partial. Both classes allocate only in their constructors.
 */

function bucketCount(intervalMs: number, durationMs: number): number {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs))) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
  if (!(durationMs >= 0 && Number.isFinite(durationMs))) throw new RangeError(`durationMs must be ≥ 0, got ${durationMs}`);
  return Math.ceil(durationMs / intervalMs);
}

/** Counts of events per interval (events outside [0, durationMs) are ignored). */
export class BucketCounter {
  /** The count of bucket i. */
  readonly values: Float64Array;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
  ) {
    this.values = new Float64Array(bucketCount(intervalMs, durationMs));
  }

  /** The bucket of the last `addAcross`, and the instants that certainly fall in it (an empty span at first). */
  private bucket = 0;
  private bucketFrom = Infinity;
  private bucketTo = -Infinity;

  /** Adds n events at instant tMs. */
  add(tMs: number, n = 1): void {
    // Issue 21: most events fall in the bucket of the one before (a division per event was ~10% of a throttled run).
    if (tMs >= this.bucketFrom && tMs < this.bucketTo) this.values[this.bucket] += n;
    else this.addAcross(tMs, n);
  }

  /**
   * `add` by the definition: bucket ⌊tMs / intervalMs⌋. The span kept for the fast path is the bucket's
   * [i·interval, (i+1)·interval) narrowed by 4·10^−16 at each end, inside which the division cannot round
   * to another bucket (its error is under 2.3·10^−16, relative), so both paths give the same bucket.
   */
  private addAcross(tMs: number, n: number): void {
    if (!(tMs >= 0 && tMs < this.durationMs)) return;
    // t < duration, but the division may round up to the bucket count.
    const i = Math.min(Math.floor(tMs / this.intervalMs), this.values.length - 1);
    this.values[i] += n;
    this.bucket = i;
    this.bucketFrom = i * this.intervalMs * (1 + 4e-16);
    this.bucketTo = Math.min((i + 1) * this.intervalMs * (1 - 4e-16), this.durationMs);
  }
}

/**
 * A non-negative step function of time (a level such as concurrency), 0 until
 * the first `set`, integrated exactly: each bucket keeps ∫ level dt and the
 * highest level set within it (including levels held for no time, as when two
 * changes share an instant) or carried into it. The overall mean and max cover
 * [fromMs, endMs] only (a warm-up before fromMs is ignored); bucket values cover
 * the whole run. `set` is O(1) amortized: crossing k buckets costs O(k).
 */
export class LevelTracker {
  private readonly area: Float64Array;
  private readonly peak: Float64Array;
  /** The level is integrated up to this instant. */
  private t = 0;
  private level = 0;
  private areaAfterFrom = 0;
  private peakAfterFrom = 0;
  /** Bucket of the instant `t`, and where it ends (−Infinity once past the run): the fast path of `set`. */
  private bucket = 0;
  private bucketEnd = -Infinity;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs = 0,
  ) {
    const n = bucketCount(intervalMs, durationMs);
    this.area = new Float64Array(n);
    this.peak = new Float64Array(n);
  }

  /** The level becomes `level` (≥ 0) at tMs; instants must not decrease. */
  set(tMs: number, level: number): void {
    const t = this.t;
    if (tMs >= t && tMs < this.bucketEnd && t >= this.fromMs && level >= 0) {
      // Fast path (most calls, and small enough to be inlined into the platform's): still inside the
      // bucket of the previous change, past the warm-up.
      const a = this.level * (tMs - t);
      this.area[this.bucket] += a;
      this.areaAfterFrom += a;
      this.t = tMs;
      this.level = level;
      if (level > this.peak[this.bucket]) this.peak[this.bucket] = level;
      if (level > this.peakAfterFrom) this.peakAfterFrom = level;
    } else this.setAcross(tMs, level);
  }

  /** `set` into another bucket, or before the warm-up's end. */
  private setAcross(tMs: number, level: number): void {
    if (!(level >= 0)) throw new RangeError(`LevelTracker: level must be ≥ 0, got ${level}`);
    this.advance(tMs);
    if (tMs < this.durationMs) {
      this.bucket = this.bucketOf(tMs);
      this.bucketEnd = Math.min((this.bucket + 1) * this.intervalMs, this.durationMs);
    } else {
      this.bucketEnd = -Infinity;
    }
    this.level = level;
    if (tMs < this.durationMs && level > this.peak[this.bucket]) this.peak[this.bucket] = level;
    if (tMs >= this.fromMs && level > this.peakAfterFrom) this.peakAfterFrom = level;
  }

  /** Integrates the current level up to endMs, the end of the observation. */
  finish(endMs: number): void {
    this.advance(endMs);
  }

  /** Time-weighted mean level in bucket i (over the time integrated so far). */
  bucketMean(i: number): number {
    const start = i * this.intervalMs;
    return this.area[i] / (Math.min(start + this.intervalMs, this.durationMs) - start);
  }

  /** Highest level in bucket i. */
  bucketMax(i: number): number {
    return this.peak[i];
  }

  /** Time-weighted mean level over [fromMs, endMs]; 0 if that span is empty. */
  get mean(): number {
    return this.t > this.fromMs ? this.areaAfterFrom / (this.t - this.fromMs) : 0;
  }

  /** Highest level over [fromMs, endMs]. */
  get max(): number {
    return this.peakAfterFrom;
  }

  private bucketOf(tMs: number): number {
    return Math.min(Math.floor(tMs / this.intervalMs), this.peak.length - 1);
  }

  /** Integrates the current level over [this.t, tMs). */
  private advance(tMs: number): void {
    if (tMs < this.t) throw new RangeError(`LevelTracker: time went back from ${this.t} to ${tMs}`);
    if (tMs === this.t) return;
    const level = this.level;
    const from = this.t;
    const heldFrom = Math.max(from, this.fromMs);
    if (tMs > heldFrom) {
      this.areaAfterFrom += level * (tMs - heldFrom);
      if (level > this.peakAfterFrom) this.peakAfterFrom = level;
    }
    const end = Math.min(tMs, this.durationMs);
    for (let i = from < this.durationMs ? this.bucketOf(from) : this.peak.length; i < this.peak.length; i++) {
      const bucketStart = i * this.intervalMs;
      const bucketEnd = Math.min(bucketStart + this.intervalMs, this.durationMs);
      const dt = Math.min(end, bucketEnd) - Math.max(from, bucketStart);
      if (dt > 0) {
        this.area[i] += level * dt;
        if (level > this.peak[i]) this.peak[i] = level;
      }
      if (bucketEnd >= end) break;
    }
    this.t = tMs;
  }
}
