/**
 * Token buckets for the scaling-rate rules and the request-rate quota
 * (docs/sources.md §1). A bucket starts full and never holds more than its
 * capacity: unused allowance does not carry over.
 */
export interface Bucket {
  /** Takes one token at time t if one is available. */
  take(tMs: number): boolean;
  /** Whole tokens available at time t (for reports). */
  available(tMs: number): number;
}

/** Taking and counting tokens; subclasses say how the bucket refills. */
abstract class RefillingBucket implements Bucket {
  protected tokens: number;
  constructor(protected capacity: number) {
    this.tokens = capacity;
  }
  protected abstract refill(tMs: number): void;
  take(tMs: number): boolean {
    this.refill(tMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  available(tMs: number): number {
    this.refill(tMs);
    return Math.floor(this.tokens);
  }
}

/** Refilled continuously at `capacity / periodMs` (the 2023 rule: "refilled continuously"). */
export class ContinuousBucket extends RefillingBucket {
  private last = 0;
  protected perMs: number;
  constructor(
    capacity: number,
    private readonly periodMs: number,
  ) {
    super(capacity);
    this.perMs = capacity / periodMs;
  }
  /** From tMs on, holds and refills `capacity` per period (tokens above the new capacity are lost). */
  resize(capacity: number, tMs: number): void {
    this.refill(tMs);
    this.capacity = capacity;
    this.perMs = capacity / this.periodMs;
    if (this.tokens > capacity) this.tokens = capacity;
  }
  protected refill(tMs: number): void {
    if (tMs > this.last) {
      const t = this.tokens + (tMs - this.last) * this.perMs;
      this.tokens = t < this.capacity ? t : this.capacity;
      this.last = tMs;
    }
  }
}

/** Refilled whole at each multiple of `periodMs` (the literal reading of "1,000 every 10 s"). */
export class StepwiseBucket extends RefillingBucket {
  private window = 0;
  constructor(
    capacity: number,
    private readonly periodMs: number,
  ) {
    super(capacity);
  }
  protected refill(tMs: number): void {
    const w = Math.floor(tMs / this.periodMs);
    if (w > this.window) {
      this.window = w;
      this.tokens = this.capacity;
    }
  }
}

/**
 * The legacy regional rule: an initial burst of `burst` environments, then
 * `ratePerMin` more per minute, refilling to the burst size when demand falls
 * (so a later burst can use it again).
 */
export class BurstBucket extends ContinuousBucket {
  constructor(burst: number, ratePerMin: number) {
    super(burst, burst / (ratePerMin / 60_000));
  }
}

/**
 * The legacy PC allocation budget (docs/sources.md §9): the burst at once, then `ratePerMin`, shared by
 * the Region. An allocation may overdraw it; `reserve` says how long until its last environment is
 * allocated. Cancelled allocations are not refunded.
 */
export class AllocationBudget extends BurstBucket {
  /** Takes `n` environments' allowance at tMs; returns the wait (ms) until the last of them is covered. */
  reserve(n: number, tMs: number): number {
    this.refill(tMs);
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }
}
