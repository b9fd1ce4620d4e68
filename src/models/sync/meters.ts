/**
 * What an invoker measures per workload: the caller's view (requests, retries,
 * what each request finally got, end-to-end latency). Requests that arrived
 * before `fromMs` (the warm-up) are not counted, nor are their outcomes.
 */
import { LogHistogram } from '../../metrics/histogram.js';
import { BucketCounter } from '../../metrics/timeseries.js';

export class WorkloadMeters {
  /** New requests (first attempts). */
  requests = 0;
  /** Retry attempts the client made. */
  retries = 0;
  succeeded = 0;
  functionErrors = 0;
  functionTimeouts = 0;
  /** Requests whose last attempt was throttled (429). */
  throttled = 0;
  /** Requests whose last attempt timed out at the client. */
  clientTimeouts = 0;
  /** Requests given up because their client's retry quota had too few tokens for the retry they needed. */
  retryQuotaExhausted = 0;
  /** Adaptive mode: requests given up because the wait for a send token was longer than the client's timeout. */
  rateLimited = 0;
  /** Adaptive mode: attempts that waited for a send token, and how long. */
  sendWaits = 0;
  readonly sendWaitMs = new LogHistogram();
  /** Issue 15: requests a front door ended otherwise (integration timeout 504, payload too large 413/500). */
  doorEnded = 0;
  /** From first attempt to the response, for requests that got one (success or function error). */
  readonly latencyMs = new LogHistogram();
  readonly requestSeries: BucketCounter;
  readonly throttledSeries: BucketCounter;

  constructor(
    readonly intervalMs: number,
    readonly durationMs: number,
    readonly fromMs: number,
  ) {
    this.requestSeries = new BucketCounter(intervalMs, durationMs);
    this.throttledSeries = new BucketCounter(intervalMs, durationMs);
  }

  /** Requests with no final outcome when the run ended (in flight or waiting to retry). */
  get openAtEnd(): number {
    return this.requests - this.succeeded - this.functionErrors - this.functionTimeouts - this.throttled - this.clientTimeouts - this.rateLimited - this.doorEnded;
  }
}
