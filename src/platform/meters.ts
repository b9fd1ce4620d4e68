/**
 * What the platform measures per function: counters, streaming histograms and
 * fixed-interval time series. Memory is fixed by the number of intervals, never
 * by the number of invocations. Events before `fromMs` (the warm-up) are not
 * counted; the time series cover the whole run.
 */
import { LogHistogram } from '../metrics/histogram.js';
import { BucketCounter, LevelTracker } from '../metrics/timeseries.js';

export class FunctionMeters {
  /** Requests that reached the function (first tries and retries), throttled or not. */
  attempts = 0;
  invocations = 0;
  /** Indexed by Throttle reason. */
  readonly throttles = [0, 0, 0, 0, 0, 0];
  errors = 0;
  timeouts = 0;
  coldStarts = 0;
  provisionedInvocations = 0;
  spilloverInvocations = 0;
  environmentsCreated = 0;
  environmentsReclaimed = 0;
  maxOnDemandAlive = 0;
  provisionedAlive = 0;
  /**
   * Provisioned concurrency plans only (schedule / auto scaling), else null:
   * ∫ configured PC dt over the measured window (environment-ms, what PC billing
   * charges), configuration changes, and the allocated PC at each interval's end.
   */
  provisioned: { envMs: number; scaleOuts: number; scaleIns: number; changes: number; maxConfigured: number; series: Float64Array } | null = null;
  onDemandActualMs = 0;
  onDemandBilledMs = 0;
  provisionedActualMs = 0;
  provisionedBilledMs = 0;
  /** Streamed responses: their bytes, and the bytes beyond the free first 6 MB of each (docs/sources.md §7). */
  streamedBytes = 0;
  streamedChargeableBytes = 0;
  /** Handler duration of every invocation (to the timeout for timeouts). */
  readonly handlerMs = new LogHistogram();
  /** Init duration of cold starts. */
  readonly initMs = new LogHistogram();
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
  ) {
    this.concurrency = new LevelTracker(intervalMs, durationMs, fromMs);
    this.invocationSeries = new BucketCounter(intervalMs, durationMs);
    this.throttleSeries = new BucketCounter(intervalMs, durationMs);
    this.coldStartSeries = new BucketCounter(intervalMs, durationMs);
    this.errorSeries = new BucketCounter(intervalMs, durationMs);
    const n = Math.ceil(durationMs / intervalMs);
    this.environmentSeries = new Float64Array(n);
    this.scalingAllowanceSeries = new Float64Array(n);
  }

  /** Records the environment count and scaling allowance at an interval's end (tMs). */
  sampleEnvironments(tMs: number, alive: number, allowance: number): void {
    const i = Math.ceil(tMs / this.intervalMs) - 1;
    if (i >= 0 && i < this.environmentSeries.length) {
      this.environmentSeries[i] = alive;
      this.scalingAllowanceSeries[i] = allowance;
    }
  }

  get throttleTotal(): number {
    let s = 0;
    for (const n of this.throttles) s += n;
    return s;
  }
}
