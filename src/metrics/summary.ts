/** Summaries of meters for results: percentiles of a histogram, and the rounding every result uses so outputs agree byte for byte. */
import type { LogHistogram } from './histogram.js';

/** Percentiles of a latency-like quantity, in ms. */
export interface Percentiles {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Rounds to `digits` decimals (deterministic, no -0). */
export function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** Rounds to `sig` significant digits (for values spanning many magnitudes). */
export function roundSig(x: number, sig: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const digits = sig - 1 - Math.floor(Math.log10(Math.abs(x)));
  return digits > 0 ? round(x, Math.min(digits, 12)) : Math.round(x);
}

export function percentiles(h: LogHistogram): Percentiles {
  if (h.count === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const ms = (v: number) => round(v, 3);
  const [p50, p90, p99, p999] = h.quantiles([0.5, 0.9, 0.99, 0.999]);
  return { count: h.count, mean: ms(h.mean), p50: ms(p50), p90: ms(p90), p99: ms(p99), p999: ms(p999), max: ms(h.max) };
}

/** a / b rounded to 6 decimals; 0 when b is 0 (a share of nothing). */
export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 6) : 0;
}
