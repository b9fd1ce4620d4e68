/**
 * Statistics across replications: mean, sample standard deviation
 * (simple-statistics) and Student-t confidence intervals for the mean.
 *
 * simple-statistics has no Student-t quantile, so `tQuantile` inverts the t
 * CDF, written with the regularized incomplete beta function (continued
 * fraction, Numerical Recipes §6.4) and `gammaln` from simple-statistics.
 */
import { gammaln, mean, sampleStandardDeviation } from 'simple-statistics';
import { roundSig } from '../metrics/summary.js';

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(gammaln(a + b) - gammaln(a) - gammaln(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(x, a, b)) / a;
  return 1 - (front * betaFraction(1 - x, b, a)) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Student-t CDF with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

const quantileCache = new Map<string, number>();

/** The p-quantile of Student's t with `df` degrees of freedom (p in (0, 1), df ≥ 1), to ~1e-12. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df >= 1)) throw new RangeError(`tQuantile(${p}, ${df})`);
  const key = `${p}:${df}`;
  const cached = quantileCache.get(key);
  if (cached !== undefined) return cached;
  if (p < 0.5) return -tQuantile(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tCdf(hi, df) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  const q = (lo + hi) / 2;
  quantileCache.set(key, q);
  return q;
}

/** A metric over the replications of one point. Rounded to 9 significant digits (deterministic). */
export interface Summary {
  /** Replications with a value (a metric can be undefined in a run, e.g. p99 of a workload that got no response). */
  n: number;
  mean: number | null;
  /** Sample standard deviation (n − 1); null for n < 2. */
  sd: number | null;
  /** Student-t confidence interval for the mean at the sweep's confidence; null for n < 2. */
  ci: [number, number] | null;
}

/** mean ± t(1 − α/2, n − 1) · sd / √n over the defined values. */
export function summarize(values: readonly (number | null)[], confidence: number): Summary {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: null, sd: null, ci: null };
  const m = mean(xs);
  if (n < 2) return { n, mean: r(m), sd: null, ci: null };
  const sd = sampleStandardDeviation(xs);
  const half = (tQuantile(1 - (1 - confidence) / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean: r(m), sd: r(sd), ci: [r(m - half), r(m + half)] };
}

/**
 * A t-interval for the mean of paired differences a[i] − b[i]. The replications
 * of every point share seeds (common random numbers), so differences between two
 * points are paired and their interval is narrower than the two intervals suggest.
 */
export function pairedDifference(a: readonly (number | null)[], b: readonly (number | null)[], confidence: number): Summary {
  const d: (number | null)[] = a.map((x, i) => (x === null || b[i] === null ? null : x - (b[i] as number)));
  return summarize(d, confidence);
}

/** Whether two intervals overlap (either missing counts as overlapping: nothing separates them). */
export function overlaps(a: Summary, b: Summary): boolean {
  if (!a.ci || !b.ci) return true;
  return a.ci[0] <= b.ci[1] && b.ci[0] <= a.ci[1];
}

function r(x: number): number {
  return roundSig(x, 9);
}
