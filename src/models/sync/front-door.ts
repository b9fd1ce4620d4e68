/**
 * HTTP front doors of sync workloads (issue 15): API Gateway REST and HTTP APIs and Lambda function
 * URLs, docs/sources.md §3 "Front doors: API Gateway and function URLs".
 *
 * - API Gateway throttles with token buckets: the account-level quota per Region (10,000 requests/s,
 *   bucket 5,000), shared by every REST and HTTP API, and an optional stage or route throttle. A
 *   refused request gets 429 from the gateway and never reaches Lambda.
 * - API Gateway never retries a Lambda invocation. If Lambda refuses the invocation (a throttle) the
 *   gateway answers 500; if the function runs and fails (an error or its own timeout) 502; if the
 *   integration timeout passes first, 504, while the function keeps running and billing.
 * - A function URL has no gateway quota: Lambda's own limits apply, including the per-function cap of
 *   10 × reserved concurrency requests per second (the platform's `functionRequestRateFactor`).
 *   A throttle is 429, a function error or timeout 502; no integration timeout (the function's own).
 * - Payloads: 10 MB per request at API Gateway, 6 MB for Lambda's sync invocation and for a function
 *   URL. A request over the door's limit gets 413 from the door; one between 6 MB and 10 MB passes
 *   API Gateway and is refused by Lambda, which the gateway answers 500.
 * - The door's own latency (`overheadMs`, an assumption) is added to each answer it gives.
 * - An HTTP API bills each request in 512 KB increments of its payload (a traced payload column; a
 *   request without one is one increment); a REST API and a function URL bill a request as one.
 * - The caller may retry by its own policy (`via.caller`): fixed delay, on the codes it lists.
 */
import type { PartClock } from '../../metrics/parts.js';
import { ContinuousBucket } from '../../platform/token-bucket.js';
import { BucketCounter } from '../../metrics/timeseries.js';
import { chunks, HTTP_API_INCREMENT_BYTES } from '../../billing/service-prices.js';
import type { DoorBucketSpec, DoorName, FrontDoorResult, FrontDoorSpec } from './types.js';

/** HTTP status codes the doors answer with. */
export const Http = { OK: 200, TOO_LARGE: 413, TOO_MANY: 429, INTERNAL: 500, BAD_GATEWAY: 502, TIMEOUT: 504 } as const;
/** docs/sources.md §3: 6 MB for a synchronous invocation's request. */
const LAMBDA_SYNC_PAYLOAD_BYTES = 6 * 2 ** 20;
const CODES = [200, 413, 429, 500, 502, 504] as const;

/** A token bucket of `burst` tokens refilled continuously at `ratePerS` (admitted by t: burst + rate × t at most). */
export function doorBucket(b: DoorBucketSpec): ContinuousBucket {
  return new ContinuousBucket(b.burst, (b.burst / b.ratePerS) * 1000);
}

/** What the caller sees when Lambda throttles the invocation behind the door. */
export function lambdaThrottleStatus(door: DoorName): number {
  return door === 'function-url' ? Http.TOO_MANY : Http.INTERNAL;
}

/** Whether the door's caller retries an answer of `code` (its own policy, not the door's). */
export function callerRetries(spec: FrontDoorSpec, code: number): boolean {
  const on = spec.caller?.retryOn ?? [];
  return on.includes(String(code) as never) || (code >= 500 && on.includes('5xx'));
}

/** One workload's door: its stage bucket and what it measured (after the warm-up). */
export class DoorMeters {
  doorRequests = 0;
  /** Billed door requests per part of the billing month (the gateway's bill; docs/billing.md "The rest of the bill"). */
  requestsByPart = new Float64Array(1);
  private parts: PartClock | null = null;
  /** Counts the door's requests per part of `parts` from now on. */
  usePart(parts: PartClock): void {
    this.parts = parts;
    this.requestsByPart = new Float64Array(parts.count);
  }
  /**
   * One request reached the door at tMs (after the warm-up), billed as `billed` requests (an HTTP API's
   * 512 KB increments); 0 for one the gateway's own quota throttled, which API Gateway does not bill
   * (docs/sources.md §15).
   */
  request(tMs: number, billed: number): void {
    this.doorRequests++;
    if (billed > 0) this.requestsByPart[this.parts === null ? 0 : this.parts.at(tMs)] += billed;
  }
  readonly responses = new Float64Array(CODES.length);
  throttledAccount = 0;
  throttledStage = 0;
  lambdaThrottled = 0;
  ok = 0;
  gatewayThrottled = 0;
  lambdaThrottledFinal = 0;
  functionError = 0;
  integrationTimeout = 0;
  payloadTooLarge = 0;
  callerTimeout = 0;
  afterTimeoutInvocations = 0;
  afterTimeoutWorkMs = 0;
  /** Per interval: attempts the gateway's buckets refused (429), and 5xx answers (500, 502, 504). */
  readonly gatewayThrottledSeries: BucketCounter;
  readonly serverErrorSeries: BucketCounter;
  constructor(intervalMs: number, durationMs: number) {
    this.gatewayThrottledSeries = new BucketCounter(intervalMs, durationMs);
    this.serverErrorSeries = new BucketCounter(intervalMs, durationMs);
  }

  answer(code: number): void {
    const i = CODES.indexOf(code as (typeof CODES)[number]);
    this.responses[i]++;
  }
}

/** The door of one workload at run time. */
export class Door {
  readonly stage: ContinuousBucket | null;
  readonly meters: DoorMeters;
  /** Lambda's own limit on a sync request (6 MB): a larger one that passed API Gateway is refused by Lambda (500). */
  readonly lambdaLimitBytes = LAMBDA_SYNC_PAYLOAD_BYTES;
  constructor(
    readonly spec: FrontDoorSpec,
    /** The account-level API Gateway bucket (shared); null for a function URL. */
    readonly account: ContinuousBucket | null,
    intervalMs: number,
    durationMs: number,
  ) {
    this.meters = new DoorMeters(intervalMs, durationMs);
    this.stage = spec.throttle ? doorBucket(spec.throttle) : null;
  }

  /**
   * The requests the door's bill counts for one carrying `payloadBytes` (0: not known, as for a
   * synthetic request): an HTTP API meters 512 KB increments, the others count a request as one.
   */
  billedRequests(payloadBytes: number): number {
    return this.spec.door === 'apigw-http' ? chunks(payloadBytes, HTTP_API_INCREMENT_BYTES) : 1;
  }

  /** Takes the gateway's tokens at tMs: 0 admitted, 1 refused by the account quota, 2 by the stage throttle (no token taken then). */
  admit(tMs: number): 0 | 1 | 2 {
    if (this.account !== null && this.account.available(tMs) < 1) return 1;
    if (this.stage !== null && this.stage.available(tMs) < 1) return 2;
    this.account?.take(tMs);
    this.stage?.take(tMs);
    return 0;
  }
}

export function frontDoorResult(d: Door): FrontDoorResult {
  const m = d.meters;
  const responses: Record<string, number> = {};
  CODES.forEach((c, i) => {
    if (m.responses[i] > 0) responses[String(c)] = m.responses[i];
  });
  return {
    door: d.spec.door,
    doorRequests: m.doorRequests,
    responses,
    gatewayThrottled: { account: m.throttledAccount, stage: m.throttledStage },
    lambdaThrottled: m.lambdaThrottled,
    lambdaThrottleStatus: lambdaThrottleStatus(d.spec.door),
    outcomes: {
      ok: m.ok,
      gatewayThrottled: m.gatewayThrottled,
      lambdaThrottled: m.lambdaThrottledFinal,
      functionError: m.functionError,
      integrationTimeout: m.integrationTimeout,
      payloadTooLarge: m.payloadTooLarge,
      callerTimeout: m.callerTimeout,
    },
    afterTimeout: { invocations: m.afterTimeoutInvocations, workMs: Math.round(m.afterTimeoutWorkMs * 1000) / 1000 },
    overheadMs: d.spec.overheadMs,
    integrationTimeoutMs: d.spec.integrationTimeoutMs,
  };
}
