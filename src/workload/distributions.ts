/**
 * Samplers for the duration distributions of a scenario (`DistributionSpec`).
 *
 * Every sampler draws exactly one uniform per sample (by inverse CDF, or one
 * alias-table lookup for `empirical`), so the number of draws a stream has made
 * never depends on the distribution or on the values drawn. `sample` allocates
 * nothing; `mean` and `variance` are exact closed forms of the distribution
 * (not of the sampler's floating-point output).
 */
import type { Rng } from '../engine/rng.js';
import type { DistributionSpec } from '../scenario/types.js';

/** A distribution of a non-negative duration in ms, sampled by inverse transform. */
export interface Sampler {
  /** One value, from exactly one uniform of `rng`. Allocation-free. */
  sample(rng: Rng): number;
  /** Exact mean of the distribution. */
  readonly mean: number;
  /** Exact variance of the distribution. */
  readonly variance: number;
  /** The p-quantile, p in [0, 1] (the smallest x with F(x) ≥ p). */
  quantile(p: number): number;
}

/** Builds the sampler of a spec; throws a RangeError on parameters no distribution has. */
export function makeSampler(spec: DistributionSpec): Sampler {
  switch (spec.kind) {
    case 'fixed':
      return new FixedSampler(spec.valueMs);
    case 'exponential':
      return new ExponentialSampler(spec.meanMs);
    case 'uniform':
      return new UniformSampler(spec.minMs, spec.maxMs);
    case 'normal':
      return new TruncatedNormalSampler(spec.meanMs, spec.sdMs, spec.minMs, spec.maxMs);
    case 'lognormal':
      return new LognormalSampler(spec.mu, spec.sigma);
    case 'empirical':
      return new EmpiricalSampler(spec.valuesMs, spec.weights);
    case 'cdf':
      return new CdfSampler(spec.pointsMs, spec.cumulative);
  }
}

// ---------------------------------------------------------------------------
// The standard normal distribution

/**
 * Φ⁻¹(p), the standard normal quantile: Wichura's AS241 (PPND16, Applied
 * Statistics 37(3), 1988), relative error about 1e-16. Returns −∞ for p ≤ 0,
 * +∞ for p ≥ 1, NaN for NaN.
 */
export function normalQuantile(p: number): number {
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    );
  }
  return normalQuantileTail(p, q);
}

/**
 * Φ⁻¹(p) for |p − 0.5| > 0.425 (q = p − 0.5): AS241's tails, apart so that `normalQuantile`, which draws
 * for every lognormal sample, stays small enough for V8 to inline (issue 21).
 */
function normalQuantileTail(p: number, q: number): number {
  if (!(p > 0)) return p === 0 || p < 0 ? -Infinity : NaN;
  if (p >= 1) return Infinity;
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let x: number;
  if (r <= 5) {
    r -= 1.6;
    x =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1);
  } else {
    r -= 5;
    x =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1);
  }
  return q < 0 ? -x : x;
}

const CDF_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const CDF_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const CDF_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const CDF_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const CDF_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const CDF_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];
const INV_SQRT_2PI = 0.398942280401432677939946059934;

/**
 * Φ(x), the standard normal CDF: W. J. Cody's rational Chebyshev approximations
 * (Math. Comp. 23, 1969) as arranged in R's pnorm, relative error about 1e-16
 * in both tails; 0 below −37.5193 (where Φ underflows).
 */
export function normalCdf(x: number): number {
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    const x2 = x * x;
    let num = CDF_A[4] * x2;
    let den = x2;
    for (let i = 0; i < 3; i++) {
      num = (num + CDF_A[i]) * x2;
      den = (den + CDF_B[i]) * x2;
    }
    return 0.5 + (x * (num + CDF_A[3])) / (den + CDF_B[3]);
  }
  let tail: number;
  if (y <= 5.656854249492380195) {
    let num = CDF_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + CDF_C[i]) * y;
      den = (den + CDF_D[i]) * y;
    }
    tail = gaussianFactor(y) * ((num + CDF_C[7]) / (den + CDF_D[7]));
  } else if (y < 37.5193) {
    const r = 1 / (x * x);
    let num = CDF_P[5] * r;
    let den = r;
    for (let i = 0; i < 4; i++) {
      num = (num + CDF_P[i]) * r;
      den = (den + CDF_Q[i]) * r;
    }
    tail = (gaussianFactor(y) * (INV_SQRT_2PI - (r * (num + CDF_P[4])) / (den + CDF_Q[4]))) / y;
  } else {
    tail = 0;
  }
  return x > 0 ? 1 - tail : tail;
}

/** exp(−y²/2), split as exp(−s²/2)·exp(−(y−s)(y+s)/2) with s = y rounded down to 1/16, to keep its relative precision (Cody). */
function gaussianFactor(y: number): number {
  const s = Math.trunc(y * 16) / 16;
  return Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (y - s) * (y + s));
}

/** φ(x), the standard normal density. */
function normalPdf(x: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
}

// ---------------------------------------------------------------------------
// Samplers

function requireFinite(name: string, v: number, min = -Infinity): void {
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a finite number ≥ ${min}, got ${v}`);
}

/** A constant. Still draws one uniform, so that every sampler advances its stream alike. */
class FixedSampler implements Sampler {
  readonly mean: number;
  readonly variance = 0;
  constructor(private readonly value: number) {
    requireFinite('valueMs', value, 0);
    this.mean = value;
  }
  sample(rng: Rng): number {
    rng.next();
    return this.value;
  }
  quantile(): number {
    return this.value;
  }
}

/** Exponential by inversion: −mean·ln(1 − u). */
class ExponentialSampler implements Sampler {
  readonly variance: number;
  constructor(readonly mean: number) {
    requireFinite('meanMs', mean, 0);
    this.variance = mean * mean;
  }
  sample(rng: Rng): number {
    return -this.mean * Math.log(1 - rng.double());
  }
  quantile(p: number): number {
    return -this.mean * Math.log(1 - p);
  }
}

/** Uniform on [min, max): min + (max − min)·u. */
class UniformSampler implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly width: number;
  constructor(
    private readonly min: number,
    max: number,
  ) {
    requireFinite('minMs', min, 0);
    requireFinite('maxMs', max, min);
    this.width = max - min;
    this.mean = min + this.width / 2;
    this.variance = (this.width * this.width) / 12;
  }
  sample(rng: Rng): number {
    return this.min + this.width * rng.double();
  }
  quantile(p: number): number {
    return this.min + this.width * p;
  }
}

/**
 * Normal(μ, σ) truncated to [min, max], by inversion on the truncated range:
 * x = μ + σ·Φ⁻¹(Φ(α) + u·(Φ(β) − Φ(α))) with α, β the standardized bounds.
 * When the range lies above the mean it inverts the mirror image instead,
 * x = μ − σ·Φ⁻¹(Φ(−α) − u·(Φ(−α) − Φ(−β))), so the CDF values stay below ½
 * and keep their relative precision far in the tail.
 */
class TruncatedNormalSampler implements Sampler {
  readonly mean: number;
  readonly variance: number;
  /** σ, or −σ when mirrored. */
  private readonly scale: number;
  /** Φ⁻¹ is evaluated at pStart + u·pSlope. */
  private readonly pStart: number;
  private readonly pSlope: number;

  constructor(
    private readonly mu: number,
    sd: number,
    private readonly min: number,
    private readonly max: number,
  ) {
    requireFinite('meanMs', mu);
    requireFinite('sdMs', sd, 0);
    if (!(min >= 0 && min <= max)) throw new RangeError(`normal: need 0 ≤ minMs ≤ maxMs, got [${min}, ${max}]`);
    if (sd === 0 || min === max) {
      // A point mass at the mean clamped into [min, max].
      this.scale = 0;
      this.pStart = 0.5;
      this.pSlope = 0;
      this.mean = Math.min(max, Math.max(min, mu));
      this.variance = 0;
      return;
    }
    const alpha = (min - mu) / sd;
    const beta = (max - mu) / sd;
    const mirrored = alpha > 0;
    const pAlpha = mirrored ? normalCdf(-alpha) : normalCdf(alpha);
    const pBeta = mirrored ? normalCdf(-beta) : normalCdf(beta);
    const mass = mirrored ? pAlpha - pBeta : pBeta - pAlpha;
    if (!(mass > 0)) throw new RangeError(`normal(${mu}, ${sd}) has no probability mass on [${min}, ${max}]`);
    this.scale = mirrored ? -sd : sd;
    this.pStart = pAlpha;
    this.pSlope = mirrored ? -mass : mass;
    const m = truncatedNormalMoments(alpha, beta, mass);
    this.mean = mu + sd * m.mean;
    this.variance = sd * sd * m.variance;
  }

  sample(rng: Rng): number {
    return this.quantile(rng.double());
  }

  quantile(p: number): number {
    const x = this.mu + this.scale * normalQuantile(this.pStart + p * this.pSlope);
    // Rounding can leave x a hair outside the range.
    return x < this.min ? this.min : x > this.max ? this.max : x;
  }
}

/**
 * Mean and variance of a standard normal truncated to [α, β] with mass Z:
 * m = (φ(α) − φ(β))/Z, v = 1 + (αφ(α) − βφ(β))/Z − m² (infinite bounds contribute 0).
 */
function truncatedNormalMoments(alpha: number, beta: number, mass: number): { mean: number; variance: number } {
  const pa = Number.isFinite(alpha) ? normalPdf(alpha) : 0;
  const pb = Number.isFinite(beta) ? normalPdf(beta) : 0;
  const mean = (pa - pb) / mass;
  const apa = Number.isFinite(alpha) ? alpha * pa : 0;
  const bpb = Number.isFinite(beta) ? beta * pb : 0;
  return { mean, variance: Math.max(0, 1 + (apa - bpb) / mass - mean * mean) };
}

/** Lognormal by inversion: exp(μ + σ·Φ⁻¹(u)). */
class LognormalSampler implements Sampler {
  readonly mean: number;
  readonly variance: number;
  constructor(
    private readonly mu: number,
    private readonly sigma: number,
  ) {
    requireFinite('mu', mu);
    requireFinite('sigma', sigma, 0);
    const s2 = sigma * sigma;
    this.mean = Math.exp(mu + s2 / 2);
    this.variance = Math.expm1(s2) * Math.exp(2 * mu + s2);
  }
  sample(rng: Rng): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(rng.double()));
  }
  quantile(p: number): number {
    return Math.exp(this.mu + this.sigma * normalQuantile(p));
  }
}

/**
 * A discrete distribution on listed values, by Walker's alias method (Vose's
 * construction, "A linear algorithm for generating random numbers with a given
 * distribution", IEEE TSE 1991). One uniform u picks column ⌊u·n⌋ and its
 * fractional part decides between the column's value and its alias.
 */
class EmpiricalSampler implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly values: Float64Array;
  /** Probability of keeping column i's own value rather than its alias. */
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;
  /** Sorted values and their cumulative probabilities, for `quantile`. */
  private readonly sorted: Float64Array;
  private readonly cumulative: Float64Array;

  constructor(valuesMs: number[], weights?: number[]) {
    const n = valuesMs.length;
    if (n === 0) throw new RangeError('empirical: needs at least one value');
    if (weights && weights.length !== n) throw new RangeError('empirical: weights and values differ in length');
    valuesMs.forEach((v, i) => requireFinite(`valuesMs[${i}]`, v, 0));
    const w = weights ?? new Array<number>(n).fill(1);
    w.forEach((x, i) => {
      if (!(Number.isFinite(x) && x > 0)) throw new RangeError(`empirical: weights[${i}] must be positive, got ${x}`);
    });
    const total = w.reduce((a, b) => a + b, 0);
    const prob = w.map((x) => x / total);

    this.values = Float64Array.from(valuesMs);
    this.mean = prob.reduce((a, p, i) => a + p * valuesMs[i], 0);
    this.variance = prob.reduce((a, p, i) => a + p * (valuesMs[i] - this.mean) ** 2, 0);
    [this.keep, this.alias] = buildAliasTable(prob);

    const order = valuesMs.map((_, i) => i).sort((a, b) => valuesMs[a] - valuesMs[b] || a - b);
    this.sorted = Float64Array.from(order, (i) => valuesMs[i]);
    this.cumulative = new Float64Array(n);
    let c = 0;
    order.forEach((i, k) => (this.cumulative[k] = c += prob[i]));
    this.cumulative[n - 1] = 1;
  }

  sample(rng: Rng): number {
    const x = rng.double() * this.values.length;
    const i = Math.floor(x);
    return x - i < this.keep[i] ? this.values[i] : this.values[this.alias[i]];
  }

  quantile(p: number): number {
    // Smallest k with cumulative[k] ≥ p (binary search).
    let lo = 0;
    let hi = this.sorted.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] >= p) hi = mid;
      else lo = mid + 1;
    }
    return this.sorted[lo];
  }
}

/**
 * A piecewise-linear cumulative curve through (pointsMs[i], cumulative[i]), by
 * inversion: u falls in the first segment whose upper cumulative value reaches
 * it and is interpolated linearly inside it (flat segments hold no mass and are
 * never chosen). The density is uniform on each segment, so the moments are
 * sums over segments of Δc·(a + b)/2 and Δc·(a² + ab + b²)/3.
 */
class CdfSampler implements Sampler {
  readonly mean: number;
  readonly variance: number;
  private readonly xs: Float64Array;
  private readonly cs: Float64Array;

  constructor(pointsMs: number[], cumulative: number[]) {
    const n = pointsMs.length;
    if (n < 2 || cumulative.length !== n) throw new RangeError('cdf: needs at least two points, each with a time and a cumulative probability');
    pointsMs.forEach((x, i) => {
      requireFinite(`pointsMs[${i}]`, x, 0);
      if (i > 0 && !(x > pointsMs[i - 1])) throw new RangeError(`cdf: pointsMs must increase, got ${pointsMs[i - 1]} then ${x}`);
    });
    cumulative.forEach((c, i) => {
      if (!(c >= (i > 0 ? cumulative[i - 1] : 0) && c <= 1)) throw new RangeError(`cdf: cumulative must not decrease and stay in [0, 1], got ${c} at ${i}`);
    });
    if (cumulative[0] !== 0 || cumulative[n - 1] !== 1) throw new RangeError('cdf: cumulative must run from exactly 0 to exactly 1');
    this.xs = Float64Array.from(pointsMs);
    this.cs = Float64Array.from(cumulative);
    let m1 = 0;
    let m2 = 0;
    for (let i = 1; i < n; i++) {
      const dc = cumulative[i] - cumulative[i - 1];
      const a = pointsMs[i - 1];
      const b = pointsMs[i];
      m1 += (dc * (a + b)) / 2;
      m2 += (dc * (a * a + a * b + b * b)) / 3;
    }
    this.mean = m1;
    this.variance = Math.max(0, m2 - m1 * m1);
  }

  sample(rng: Rng): number {
    return this.quantile(rng.double());
  }

  quantile(p: number): number {
    const cs = this.cs;
    const xs = this.xs;
    if (!(p > 0)) return xs[0];
    // Smallest i ≥ 1 with cs[i] ≥ p (binary search); cs[i − 1] < p there.
    let lo = 1;
    let hi = cs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cs[mid] >= p) hi = mid;
      else lo = mid + 1;
    }
    const c0 = cs[lo - 1];
    return xs[lo - 1] + ((Math.min(p, 1) - c0) / (cs[lo] - c0)) * (xs[lo] - xs[lo - 1]);
  }
}

/** Vose's alias table for probabilities summing to 1: [keep probability, alias index] per column. */
function buildAliasTable(prob: number[]): [Float64Array, Int32Array] {
  const n = prob.length;
  const keep = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = prob.map((p) => p * n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((s, i) => (s < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    keep[s] = scaled[s];
    alias[s] = l;
    scaled[l] = scaled[l] + scaled[s] - 1;
    (scaled[l] < 1 ? small : large).push(l);
  }
  // Whatever is left is 1 up to rounding: those columns always keep their own value.
  for (const i of large) keep[i] = 1;
  for (const i of small) keep[i] = 1;
  return [keep, alias];
}
