/**
 * Token buckets for the scaling-rate rules and the request-rate quota
 * (lambda-facts §1). A bucket starts full and never holds more than its
 * capacity: unused allowance does not carry over.
 */
export interface Bucket {
  /** Takes one token at time t if one is available. */
  take(tMs: number): boolean;
  /** Tokens available at time t (for reports). */
  available(tMs: number): number;
}

/** Refilled continuously at `capacity / periodMs` (the 2023 rule: "refilled continuously"). */
export class ContinuousBucket implements Bucket {
  private tokens: number;
  private last = 0;
  private readonly perMs: number;
  constructor(
    private readonly capacity: number,
    periodMs: number,
  ) {
    this.tokens = capacity;
    this.perMs = capacity / periodMs;
  }
  private refill(tMs: number): void {
    if (tMs > this.last) {
      const t = this.tokens + (tMs - this.last) * this.perMs;
      this.tokens = t < this.capacity ? t : this.capacity;
      this.last = tMs;
    }
  }
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

/** Refilled whole at each multiple of `periodMs` (the literal reading of "1,000 every 10 s"). */
export class StepwiseBucket implements Bucket {
  private tokens: number;
  private window = 0;
  constructor(
    private readonly capacity: number,
    private readonly periodMs: number,
  ) {
    this.tokens = capacity;
  }
  private refill(tMs: number): void {
    const w = Math.floor(tMs / this.periodMs);
    if (w > this.window) {
      this.window = w;
      this.tokens = this.capacity;
    }
  }
  take(tMs: number): boolean {
    this.refill(tMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
  available(tMs: number): number {
    this.refill(tMs);
    return this.tokens;
  }
}

/**
 * The legacy regional rule: an initial burst of `burst` environments, then
 * `ratePerMs` more over time, refilling to the burst size when demand falls
 * (so a later burst can use it again).
 */
export class BurstBucket extends ContinuousBucket {
  constructor(burst: number, ratePerMin: number) {
    super(burst, burst / (ratePerMin / 60_000));
  }
}
