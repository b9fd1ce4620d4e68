/**
 * A streaming histogram of non-negative values (durations in ms) with bounded
 * relative error, in the style of DDSketch (Masson, Rim & Lee, "DDSketch: a fast
 * and fully-mergeable quantile sketch with relative-error guarantees", VLDB 2019).
 */

/** Half-width of a bucket, relative: every reported quantile is within this of a true sample quantile. */
const RELATIVE_ERROR = 0.001;
/** Bucket i covers (γ^(k−1), γ^k] with k = i + KEY_OFFSET. */
const GAMMA = (1 + RELATIVE_ERROR) / (1 - RELATIVE_ERROR);
const LN_GAMMA = Math.log(GAMMA);
const INV_LN_GAMMA = 1 / LN_GAMMA;
/** Values below this go to the underflow bucket, which reports the minimum. */
const MIN_TRACKED = 1e-3;
/** Values above this go to the overflow bucket, which reports the maximum. */
const MAX_TRACKED = 1e10;
const KEY_OFFSET = Math.ceil(Math.log(MIN_TRACKED) * INV_LN_GAMMA);
const TOP_INDEX = Math.ceil(Math.log(MAX_TRACKED) * INV_LN_GAMMA) - KEY_OFFSET;

/** The bucket of a value in [MIN_TRACKED, MAX_TRACKED]; the clamps only guard against rounding at the ends of the range. */
function bucketOf(v: number): number {
  return Math.min(TOP_INDEX, Math.max(0, Math.ceil(Math.log(v) * INV_LN_GAMMA) - KEY_OFFSET));
}

/**
 * Log-bucketed histogram: bucket i counts values in (γ^(k−1), γ^k] and reports
 * 2γ^k/(γ+1), within 0.1% of anything in the bucket (DDSketch's mapping). The
 * count, sum, min, max and mean are exact. Values in [1e-3, 1e10] ms are
 * bucketed; smaller ones (and 0) are counted in an underflow bucket that
 * reports the minimum, larger ones in an overflow bucket that reports the
 * maximum. Memory: one
 * Float64Array, grown (by doubling) to the highest bucket used, at most
 * ~15 000 entries (120 KB). `record` is O(1), one Math.log, allocation-free
 * except on those rare growths.
 */
export class LogHistogram {
  /** The relative error bound of `quantile` for values in the bucketed range. */
  static readonly relativeError = RELATIVE_ERROR;

  private counts = new Float64Array(0);
  private underflow = 0;
  private overflow = 0;
  private n = 0;
  private total = 0;
  private lo = Infinity;
  private hi = -Infinity;

  /** Number of values recorded. */
  get count(): number {
    return this.n;
  }
  /** Exact sum of the values recorded. */
  get sum(): number {
    return this.total;
  }
  /** Exact mean; 0 when empty. */
  get mean(): number {
    return this.n === 0 ? 0 : this.total / this.n;
  }
  /** Exact minimum; 0 when empty. */
  get min(): number {
    return this.n === 0 ? 0 : this.lo;
  }
  /** Exact maximum; 0 when empty. */
  get max(): number {
    return this.n === 0 ? 0 : this.hi;
  }

  /** Records one value (finite, ≥ 0; throws a RangeError otherwise). */
  record(v: number): void {
    // recordN(v, 1) without the count's checks: the hot path records one or two values per
    // invocation (issue 21). Same arithmetic, so the same state: v × 1 is v exactly.
    if (!(v >= 0 && v < Infinity)) throw new RangeError(`LogHistogram: cannot record ${v}`);
    this.n++;
    this.total += v;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    if (v < MIN_TRACKED) {
      this.underflow++;
      return;
    }
    if (v > MAX_TRACKED) {
      this.overflow++;
      return;
    }
    const i = bucketOf(v);
    if (i >= this.counts.length) this.grow(i + 1);
    this.counts[i]++;
  }

  /** Records `n` (≥ 0) occurrences of the value v. */
  recordN(v: number, n: number): void {
    if (!(v >= 0 && v < Infinity)) throw new RangeError(`LogHistogram: cannot record ${v}`);
    if (!(n > 0)) {
      if (n === 0) return;
      throw new RangeError(`LogHistogram: cannot record a count of ${n}`);
    }
    this.n += n;
    this.total += v * n;
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    if (v < MIN_TRACKED) {
      this.underflow += n;
      return;
    }
    if (v > MAX_TRACKED) {
      this.overflow += n;
      return;
    }
    const i = bucketOf(v);
    if (i >= this.counts.length) this.grow(i + 1);
    this.counts[i] += n;
  }

  /**
   * The p-quantile (p in [0, 1]): the smallest recorded value v such that at
   * least p·count values are ≤ v, reported as its bucket's representative
   * clamped to [min, max]. p = 0 gives the exact min and p = 1 the exact max.
   * 0 when empty.
   */
  quantile(p: number): number {
    return this.quantiles([p])[0];
  }

  /**
   * `quantile` of each of `ps` (ascending), in one scan of the buckets (a report's four percentiles:
   * issue 21, start-up, where the scans ran uncompiled).
   */
  quantiles(ps: readonly number[]): number[] {
    const out = new Array<number>(ps.length);
    let k = 0;
    if (this.n === 0) return out.fill(0);
    for (; k < ps.length && !(ps[k] > 0); k++) out[k] = this.lo;
    // A rank within a relative 1e-12 of an integer is taken as that integer (0.7 × 10 is 7.000000000000001).
    const need = (p: number): number => p * this.n * (1 - 1e-12);
    let cum = this.underflow;
    for (; k < ps.length && ps[k] < 1 && cum >= need(ps[k]); k++) out[k] = this.lo;
    const counts = this.counts;
    // No value is below the minimum, so every bucket below the minimum's is empty: the scan starts there
    // (issue 21: from bucket 0 it was 10,000-odd empty buckets per quantile of durations in ms, at start-up uncompiled).
    for (let i = this.lo < MIN_TRACKED ? 0 : bucketOf(this.lo); i < counts.length && k < ps.length && ps[k] < 1; i++) {
      cum += counts[i];
      for (; k < ps.length && ps[k] < 1 && cum >= need(ps[k]); k++) out[k] = this.representative(i);
    }
    // p ≥ 1, or in the overflow bucket.
    for (; k < ps.length; k++) out[k] = this.hi;
    return out;
  }

  /** Adds every value of `other` to this histogram. */
  merge(other: LogHistogram): void {
    if (other.n === 0) return;
    if (other.counts.length > this.counts.length) this.grow(other.counts.length);
    // Below the minimum's bucket every bucket of `other` is empty (see quantile).
    for (let i = other.lo < MIN_TRACKED ? 0 : bucketOf(other.lo); i < other.counts.length; i++) this.counts[i] += other.counts[i];
    this.underflow += other.underflow;
    this.overflow += other.overflow;
    this.n += other.n;
    this.total += other.total;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
  }

  /** Bucket i's representative value 2γ^k/(γ+1), clamped to [min, max]. */
  private representative(i: number): number {
    const v = (2 * Math.exp((i + KEY_OFFSET) * LN_GAMMA)) / (GAMMA + 1);
    return v < this.lo ? this.lo : v > this.hi ? this.hi : v;
  }

  /** Grows the bucket array to at least `length` entries (doubling, capped at the top bucket). */
  private grow(length: number): void {
    const next = new Float64Array(Math.min(TOP_INDEX + 1, Math.max(length, 2 * this.counts.length)));
    next.set(this.counts);
    this.counts = next;
  }
}
