/**
 * Samplers of the count distributions of outputs (`CountSpec`, issue 16): how many messages one item
 * sends through one output. Every draw takes exactly one uniform (a fixed count none), so a stream's
 * draws never depend on the values drawn; `mean` and `min` are exact.
 */
import type { Rng } from '../engine/rng.js';
import type { CountSpec } from '../scenario/types.js';
import { makeSampler } from './distributions.js';

export interface CountSampler {
  /** One count, from at most one uniform of `rng`. Allocation-free. */
  sample(rng: Rng): number;
  /** Exact mean. */
  readonly mean: number;
  /** The smallest count it can draw. */
  readonly min: number;
}

export function makeCountSampler(spec: CountSpec): CountSampler {
  switch (spec.kind) {
    case 'fixed':
      return { sample: () => spec.n, mean: spec.n, min: spec.n };
    case 'bernoulli': {
      const p = spec.p;
      return { sample: (rng) => (rng.next() < p ? 1 : 0), mean: p, min: p === 1 ? 1 : 0 };
    }
    case 'uniform': {
      const { min, max } = spec;
      const span = max - min + 1;
      return { sample: (rng) => min + Math.min(span - 1, Math.floor(rng.double() * span)), mean: (min + max) / 2, min };
    }
    case 'empirical': {
      // The duration sampler's alias table over the values (they are whole numbers, in any unit).
      const s = makeSampler({ kind: 'empirical', valuesMs: spec.values, ...(spec.weights ? { weights: spec.weights } : {}) });
      return { sample: (rng) => s.sample(rng), mean: s.mean, min: spec.values.reduce((a, v) => Math.min(a, v)) };
    }
    case 'poisson':
      return poisson(spec.mean);
  }
}

/** Poisson(mean) by inverse transform: the first k whose cumulative probability exceeds one uniform. */
function poisson(mean: number): CountSampler {
  const p0 = Math.exp(-mean);
  return {
    sample(rng) {
      const u = rng.double();
      let k = 0;
      let p = p0;
      let c = p0;
      // The tail beyond k = 100 + 50√mean is far below 1e-16 for the means the schema allows (≤ 100).
      const limit = 100 + 50 * Math.sqrt(mean);
      while (u >= c && k < limit) {
        k++;
        p *= mean / k;
        c += p;
      }
      return k;
    },
    mean,
    min: 0,
  };
}
