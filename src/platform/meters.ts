/**
 * What the platform measures per function: counters, streaming histograms and
 * fixed-interval time series. Memory is fixed by the number of intervals, never
 * by the number of invocations. Events before `fromMs` (the warm-up) are not
 * counted; the time series cover the whole run.
 */
import { LogHistogram } from '../metrics/histogram.js';
import { PartClock, PartLevel } from '../metrics/parts.js';
import { BucketCounter, LevelTracker } from '../metrics/timeseries.js';

/** What one function used in one part of the billing month (src/metrics/parts.ts): what billing prices. */
export class PartUsage {
  /** Invocations that ran (billed requests). */
  requests = 0;
  onDemandActualMs = 0;
  onDemandBilledMs = 0;
  /** On provisioned environments: invocations, and the init of PC allocations and recycles. */
  provisionedActualMs = 0;
  provisionedBilledMs = 0;
  /** Streamed bytes beyond the free first 6 MB of each response (docs/sources.md §7). */
  streamedChargeableBytes = 0;
  /** Extra env-ms billed by rounding each provisioned concurrency enable period that ended up to 5 minutes (§7). */
  provisionedRoundingEnvMs = 0;
  /** Cold starts that restored a SnapStart snapshot. */
  snapStartRestores = 0;
  /** New on-demand environments (cold starts and proactive replacements): what tenant isolation charges. */
  newEnvironments = 0;

  /** Duration run (`actualMs`) and billed (`billedMs`, already rounded) on a provisioned or an on-demand environment. */
  addDuration(provisioned: boolean, actualMs: number, billedMs: number): void {
    if (provisioned) {
      this.provisionedActualMs += actualMs;
      this.provisionedBilledMs += billedMs;
    } else {
      this.onDemandActualMs += actualMs;
      this.onDemandBilledMs += billedMs;
    }
  }

  /** Adds `other` into this one. */
  add(other: PartUsage): void {
    this.requests += other.requests;
    this.onDemandActualMs += other.onDemandActualMs;
    this.onDemandBilledMs += other.onDemandBilledMs;
    this.provisionedActualMs += other.provisionedActualMs;
    this.provisionedBilledMs += other.provisionedBilledMs;
    this.streamedChargeableBytes += other.streamedChargeableBytes;
    this.provisionedRoundingEnvMs += other.provisionedRoundingEnvMs;
    this.snapStartRestores += other.snapStartRestores;
    this.newEnvironments += other.newEnvironments;
  }
}

export class FunctionMeters {
  /** Requests that reached the function (first tries and retries), throttled or not. */
  attempts = 0;
  invocations = 0;
  /** Indexed by Throttle reason. */
  readonly throttles = [0, 0, 0, 0, 0, 0];
  errors = 0;
  timeouts = 0;
  coldStarts = 0;
  /** Cold starts whose init ran past the on-demand limit (10 s) and was re-run inside the invoke (docs/sources.md §2). */
  initOverruns = 0;
  /** Of the errors: SnapStart cold starts whose after-restore hooks ran past 10 s (`SnapStartTimeoutException`, docs/sources.md §2). */
  snapStartTimeouts = 0;
  provisionedInvocations = 0;
  spilloverInvocations = 0;
  /** Every new on-demand environment, proactive replacements included. */
  environmentsCreated = 0;
  /** Ended for idleness (keep-alive). */
  environmentsReclaimed = 0;
  /** Ended at their maximum lifetime (docs/sources.md §2). */
  environmentsRetired = 0;
  /** Environments that ended in the window and ran their extensions' shutdown phase (billed; none without extensions). */
  shutdowns = 0;
  /** Replacements Lambda initialized in the background for retired environments: no request waited for them. */
  proactiveInits = 0;
  maxOnDemandAlive = 0;
  provisionedAlive = 0;
  /**
   * Provisioned concurrency plans only (schedule / auto scaling), else null:
   * the configured PC over time (its ∫ dt per part is what PC billing charges),
   * configuration changes, and the allocated PC at each interval's end.
   */
  provisioned: { configured: PartLevel; scaleOuts: number; scaleIns: number; changes: number; maxConfigured: number; series: Float64Array } | null = null;
  /** Re-initializations of provisioned environments (recycling, docs/sources.md §1), billed. */
  provisionedReinits = 0;
  /** Provisioned-environment inits stopped at their limit, max(130 s, timeout) (docs/sources.md §2), billed and tried again. */
  pcInitFailures = 0;
  /** Billable usage per part of the month (index: PartClock.at). */
  readonly usage: PartUsage[];
  /** Bytes of streamed responses (docs/sources.md §7). */
  streamedBytes = 0;
  /** Handler duration of every invocation (to the timeout for timeouts). */
  readonly handlerMs = new LogHistogram();
  /** Init duration of cold starts (the init phase: at most the 10 s limit). */
  readonly initMs = new LogHistogram();
  /** Init re-run inside the invoke phase after an overrun (to the timeout when the invocation timed out). */
  readonly initRerunMs = new LogHistogram();
  readonly concurrency: LevelTracker;
  readonly invocationSeries: BucketCounter;
  readonly throttleSeries: BucketCounter;
  readonly coldStartSeries: BucketCounter;
  readonly errorSeries: BucketCounter;
  /** On-demand environments alive at the end of each interval. */
  readonly environmentSeries: Float64Array;
  /** Scaling allowance (new environments that could be created) at the end of each interval. */
  readonly scalingAllowanceSeries: Float64Array;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs: number,
    /** The parts of the billing month (default: the whole measured window as one). */
    readonly parts: PartClock = new PartClock([], fromMs, durationMs),
  ) {
    this.usage = Array.from({ length: parts.count }, () => new PartUsage());
    this.concurrency = new LevelTracker(intervalMs, durationMs, fromMs);
    this.invocationSeries = new BucketCounter(intervalMs, durationMs);
    this.throttleSeries = new BucketCounter(intervalMs, durationMs);
    this.coldStartSeries = new BucketCounter(intervalMs, durationMs);
    this.errorSeries = new BucketCounter(intervalMs, durationMs);
    const n = Math.ceil(durationMs / intervalMs);
    this.environmentSeries = new Float64Array(n);
    this.scalingAllowanceSeries = new Float64Array(n);
  }

  /**
   * ∫ environments alive dt over the measured window [fromMs, durationMs], all and provisioned:
   * each environment adds max(from, its end) − max(from, its start), added when it ends, so an
   * end applied after it happened (a lazy idle reclaim) still counts at its own instant.
   * `finishEnvironments` ends those alive at the end of the run.
   */
  private aliveEnvMs = 0;
  private provisionedAliveEnvMs = 0;

  environmentStarted(tMs: number, provisioned: boolean): void {
    const a = Math.max(this.fromMs, tMs);
    this.aliveEnvMs -= a;
    if (provisioned) this.provisionedAliveEnvMs -= a;
  }

  environmentEnded(tMs: number, provisioned: boolean): void {
    const a = Math.max(this.fromMs, Math.min(this.durationMs, tMs));
    this.aliveEnvMs += a;
    if (provisioned) this.provisionedAliveEnvMs += a;
  }

  /** Ends the environments still alive (`alive` in all, `provisioned` of them PC) at the end of the run. */
  finishEnvironments(alive: number, provisioned: number): void {
    this.aliveEnvMs += alive * this.durationMs;
    this.provisionedAliveEnvMs += provisioned * this.durationMs;
  }

  /** Time-weighted mean environments alive over the measured window (after `finishEnvironments`), all and provisioned. */
  meanEnvironments(): { alive: number; provisioned: number } {
    const span = this.durationMs - this.fromMs;
    return { alive: this.aliveEnvMs / span, provisioned: this.provisionedAliveEnvMs / span };
  }

  /** Records the environment count and scaling allowance at an interval's end (tMs). */
  sampleEnvironments(tMs: number, alive: number, allowance: number): void {
    const i = Math.ceil(tMs / this.intervalMs) - 1;
    if (i >= 0 && i < this.environmentSeries.length) {
      this.environmentSeries[i] = alive;
      this.scalingAllowanceSeries[i] = allowance;
    }
  }

  /** The usage of the part the instant tMs is in. */
  usageAt(tMs: number): PartUsage {
    return this.usage[this.parts.at(tMs)];
  }

  /** The usage over the whole measured window. */
  totalUsage(): PartUsage {
    const total = new PartUsage();
    for (const u of this.usage) total.add(u);
    return total;
  }
}
