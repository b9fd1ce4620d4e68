/**
 * The parts of the billing month as spans of the run (docs/billing.md "The
 * month"): part 0 is the measured window outside every counted part, parts
 * 1…k the counted spans. Meters keep billable usage per part, so a month can
 * weigh each part by how often it happens. Nothing here allocates after the
 * constructors.
 */

export class PartClock {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;

  /** `parts`: the counted spans, inside the measured window [fromMs, endMs), not overlapping. */
  constructor(
    parts: readonly { startMs: number; endMs: number }[],
    readonly fromMs: number,
    readonly endMs: number,
  ) {
    this.starts = Float64Array.from(parts, (p) => p.startMs);
    this.ends = Float64Array.from(parts, (p) => p.endMs);
  }

  /** Parts, the rest of the window included. */
  get count(): number {
    return this.starts.length + 1;
  }

  /** The part the instant tMs of the measured window is in (0: none of the counted parts). */
  at(tMs: number): number {
    const starts = this.starts;
    for (let i = 0; i < starts.length; i++) if (tMs >= starts[i] && tMs < this.ends[i]) return i + 1;
    return 0;
  }

  /** How much of [fromMs, toMs) lies in part `part` and in the measured window. */
  overlapMs(part: number, fromMs: number, toMs: number): number {
    const a = Math.max(fromMs, this.fromMs);
    const b = Math.min(toMs, this.endMs);
    if (!(b > a)) return 0;
    if (part > 0) return Math.max(0, Math.min(b, this.ends[part - 1]) - Math.max(a, this.starts[part - 1]));
    let rest = b - a;
    for (let i = 1; i < this.count; i++) rest -= this.overlapMs(i, a, b);
    return rest;
  }
}

/** ∫ level dt of a step function of time (pollers, configured provisioned concurrency), per part. */
export class PartLevel {
  /** Per part, level-ms over the measured window. */
  readonly totals: Float64Array;
  private level = 0;
  private t = 0;

  constructor(private readonly parts: PartClock) {
    this.totals = new Float64Array(parts.count);
  }

  /** The level becomes `level` at tMs (instants must not decrease). */
  set(tMs: number, level: number): void {
    this.advance(tMs);
    this.level = level;
  }

  /** Integrates the current level up to the end of the run. */
  finish(endMs: number): void {
    this.advance(endMs);
  }

  /** Σ over the parts. */
  get total(): number {
    let sum = 0;
    for (const v of this.totals) sum += v;
    return sum;
  }

  private advance(tMs: number): void {
    if (tMs > this.t && this.level > 0) {
      for (let i = 0; i < this.totals.length; i++) this.totals[i] += this.level * this.parts.overlapMs(i, this.t, tMs);
    }
    if (tMs > this.t) this.t = tMs;
  }
}
