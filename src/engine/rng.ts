/**
 * Named random streams.
 *
 * Every random draw in lsim comes from a stream named after what it drives
 * (`fn/checkout/duration`, `wl/checkout-sync/arrivals/0`). A stream's seed is
 * derived from the scenario seed and the stream's name only, and streams are
 * created lazily, so adding a function or a workload never changes the draws
 * of another.
 *
 * The generator is xoshiro128** (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021: period 2^128 − 1,
 * passes BigCrush), on four 32-bit words in an Int32Array, so a draw is a few
 * integer operations with no allocation. Its state is seeded from the
 * stream's full name by seedrandom's xor4096, whose string mixing and
 * discarded warm-up make streams with similar names unrelated. (Issue 21:
 * xor4096 itself, drawing from a 128-word JavaScript array and twice per
 * double, was about a sixth of a whole sync run.) xor4096 is imported alone:
 * the package's index also loads its other generators and node:crypto (for
 * seeds from entropy, which lsim never asks for), about 4 ms of every start.
 */
import xor4096 from 'seedrandom/lib/xor4096.js';

/** A uniform random source. */
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of randomness: use for Bernoulli trials and choices. */
  next(): number;
  /** Uniform in [0, 1) with 53 bits of randomness: use for inverse CDFs. */
  double(): number;
}

const TWO_POW_32 = 2 ** 32;
const TWO_POW_26 = 2 ** 26;
const TWO_POW_53 = 2 ** 53;

/** xoshiro128**: `s` is its state, never all zero. */
export class Xoshiro128 implements Rng {
  private readonly s = new Int32Array(4);

  /** Seeded with four 32-bit words (any, all zero excepted: it would stay zero). */
  constructor(a: number, b: number, c: number, d: number) {
    const s = this.s;
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
    if ((a | b | c | d) === 0) throw new RangeError('xoshiro128** cannot be seeded with all zeros');
  }

  /** The next 32-bit output, as an unsigned integer. */
  uint32(): number {
    const s = this.s;
    const s0 = s[0];
    const s1 = s[1];
    const s2 = s[2] ^ s0;
    const s3 = s[3] ^ s1;
    const m = Math.imul(s1, 5);
    const out = Math.imul((m << 7) | (m >>> 25), 9);
    s[0] = s0 ^ s3;
    s[1] = s1 ^ s2;
    s[2] = s2 ^ (s1 << 9);
    s[3] = (s3 << 11) | (s3 >>> 21);
    return out >>> 0;
  }

  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  double(): number {
    // The top 27 and 26 bits of two outputs: 53 bits.
    return ((this.uint32() >>> 5) * TWO_POW_26 + (this.uint32() >>> 6)) / TWO_POW_53;
  }
}

/** The stream named `key`: xoshiro128** seeded from xor4096(key), re-seeded past an all-zero draw (probability 2^−128). */
function seeded(key: string): Xoshiro128 {
  const mix = xor4096(key);
  for (;;) {
    const w = [mix.int32(), mix.int32(), mix.int32(), mix.int32()];
    if ((w[0] | w[1] | w[2] | w[3]) !== 0) return new Xoshiro128(w[0], w[1], w[2], w[3]);
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
      s = seeded(`lsim:${this.seed}:${name}`);
      this.streams.set(name, s);
    }
    return s;
  }
}
