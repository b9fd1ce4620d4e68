/**
 * Named random streams.
 *
 * Every random draw in lsim comes from a stream named after what it drives
 * (`fn/checkout/duration`, `wl/checkout-sync/arrivals/0`). A stream's seed is
 * derived from the scenario seed and the stream's name only, and streams are
 * created lazily, so adding a function or a workload never changes the draws
 * of another. The generator is seedrandom's xor4096 (not its ARC4 default,
 * which was about 30% slower in the project's design probe), imported alone: the
 * package's index also loads its other generators and node:crypto (for seeds from
 * entropy, which lsim never asks for), about 4 ms of every start (issue 21).
 */
import type seedrandom from 'seedrandom';
import xor4096 from 'seedrandom/lib/xor4096.js';

/** A uniform random source. */
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of randomness: use for Bernoulli trials and choices. */
  next(): number;
  /** Uniform in [0, 1) with 53 bits of randomness: use for inverse CDFs. */
  double(): number;
}

class SeededStream implements Rng {
  private readonly prng: seedrandom.PRNG;
  constructor(seed: string) {
    this.prng = xor4096(seed);
  }
  next(): number {
    return this.prng();
  }
  double(): number {
    return this.prng.double();
  }
}

/** Factory of named streams for one simulation run. */
export class RngStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly seed: string) {}

  /** The stream with this name, created on first use. */
  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (!s) {
      s = new SeededStream(`lsim:${this.seed}:${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}
