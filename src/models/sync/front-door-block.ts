/**
 * The `via` key of a sync workload (issue 15): the front door its callers come through, with its
 * documented rules (docs/sources.md §3 "Front doors: API Gateway and function URLs"). `sdk` (the
 * default) is today's direct SDK caller with the `client` block; `apigw-rest`, `apigw-http` and
 * `function-url` are HTTP front doors whose callers set their own retry policy in `via.caller`.
 * Every default cites docs/sources.md; where AWS publishes no number it is said to be an assumption.
 */
import { z } from 'zod';
import { count, durationMs, isMap, orOff, ratePerS, strictObject, delegate, accepts } from '../../scenario/fields.js';
import { formatDuration } from '../../scenario/units.js';
import type { FrontDoorSpec, DoorName, CallerRetryOn } from './types.js';

export const DOORS = ['sdk', 'apigw-rest', 'apigw-http', 'function-url'] as const;
const MB = 2 ** 20;

/** Defaults and limits of the doors, each with its source. */
export const doorDefaults = {
  // docs/sources.md §3 "Front doors": API Gateway's throttle quota per account and Region, 10,000 requests/s
  // with a token bucket of 5,000 (the default Regions; 2,500/1,250 in some newer Regions).
  accountRatePerS: 10_000,
  accountBurst: 5_000,
  // docs/sources.md §3 "Front doors": REST integration timeout 50 ms – 29 s, 29 s by default.
  restTimeoutMs: { min: 50, max: 29_000, default: 29_000 },
  // docs/sources.md §3 "Front doors": HTTP API maximum integration timeout 30 s (not raisable); lsim takes 50 ms as its
  // minimum too (an assumption: the HTTP API quotas page gives only the maximum).
  httpTimeoutMs: { min: 50, max: 30_000, default: 30_000 },
  // docs/sources.md §3 "Front doors": 10 MB request payload for REST and HTTP APIs; 6 MB for a Lambda sync invocation
  // and a function URL in BUFFERED mode.
  gatewayPayloadBytes: 10 * MB,
  lambdaPayloadBytes: 6 * MB,
  // Assumption (docs/sources.md §3 "Front doors"): AWS publishes no figure for the gateway's own latency; CloudWatch's
  // Latency − IntegrationLatency measures it for a real API.
  overheadMs: { 'apigw-rest': 10, 'apigw-http': 5, 'function-url': 5 } as Record<Exclude<DoorName, 'sdk'>, number>,
  // Assumption: AWS cannot know the door's callers; by default they do not retry (a browser's fetch does not).
  callerAttempts: 1,
  callerRetryOn: ['5xx'] as CallerRetryOn[],
  callerDelayMs: 1_000,
} as const;

const RETRY_ON = ['429', '500', '502', '504', '5xx'] as const;

const bucketSchema = z.lazy(() =>
  strictObject({
    rate: ratePerS({ above: 0 }),
    burst: count(1, 10_000_000),
  }),
);

const callerSchema = z.lazy(() =>
  strictObject({
    attempts: count(1, 10).default(doorDefaults.callerAttempts),
    on: z.array(accepts(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.enum(RETRY_ON)), { enum: [...RETRY_ON, 429, 500, 502, 504] })).min(1).default([...doorDefaults.callerRetryOn]),
    delay: durationMs().default(doorDefaults.callerDelayMs),
    timeout: orOff(durationMs({ above: 0 })).default(null),
  }),
);

const viaMapSchema = z.lazy(() =>
  strictObject({
    door: z.enum(DOORS, { message: `must be one of ${DOORS.join(', ')} (alb is not modelled: docs/sources.md §3 "Front doors")` }),
    timeout: durationMs().optional(),
    throttle: bucketSchema.optional(),
    account: bucketSchema.optional(),
    overhead: durationMs().optional(),
    caller: callerSchema.optional(),
  }),
);

/** Which keys each door has, beside `door` (a key of another door is refused at the key). */
const KEYS_OF: Record<DoorName, readonly string[]> = {
  sdk: [],
  'apigw-rest': ['timeout', 'throttle', 'account', 'overhead', 'caller'],
  'apigw-http': ['timeout', 'throttle', 'account', 'overhead', 'caller'],
  'function-url': ['overhead', 'caller'],
};

/** `via`: a door's name, or a map with `door` and that door's settings. */
export const viaSchema = z.lazy(() =>
  accepts(
    z.unknown().transform((v, ctx): FrontDoorSpec => {
      const raw = isMap(v) ? v : { door: v };
      const m = delegate(viaMapSchema, raw, ctx);
      if ((m as unknown) === z.NEVER || typeof m !== 'object' || m === null) return z.NEVER;
      const door = m.door;
      const own = KEYS_OF[door];
      let bad = false;
      for (const key of Object.keys(raw)) {
        if (key === 'door' || own.includes(key)) continue;
        if (!(key in viaMapSchema.unwrap().shape)) continue;
        const owners = DOORS.filter((d) => KEYS_OF[d].includes(key));
        ctx.addIssue({ code: 'custom', path: [key], message: `"${key}" belongs to ${owners.join(' and ')}, not to via: ${door}${door === 'sdk' ? ' (the SDK caller is set in the client block)' : ''}`, params: { at: 'key' } });
        bad = true;
      }
      if (bad) return z.NEVER;
      return resolveDoor(m, ctx);
    }),
    (walk) => ({ anyOf: [{ enum: [...DOORS] }, walk(viaMapSchema)] }),
  ),
);

function resolveDoor(m: z.output<typeof viaMapSchema>, ctx: z.core.$RefinementCtx<unknown>): FrontDoorSpec {
  const door = m.door;
  const gateway = door === 'apigw-rest' || door === 'apigw-http';
  let timeoutMs: number | null = null;
  if (gateway) {
    const range = door === 'apigw-rest' ? doorDefaults.restTimeoutMs : doorDefaults.httpTimeoutMs;
    timeoutMs = m.timeout ?? range.default;
    if (timeoutMs < range.min || timeoutMs > range.max) {
      const what = door === 'apigw-rest' ? 'a REST API integration timeout' : 'an HTTP API integration timeout';
      const raise = door === 'apigw-rest' ? '; a Regional REST API can be raised above 29 s only by a quota request, which lsim does not model' : '';
      ctx.addIssue({ code: 'custom', path: ['timeout'], message: `${what} must be from ${formatDuration(range.min)} to ${formatDuration(range.max)} (docs/sources.md §3 "Front doors"), got ${formatDuration(timeoutMs)}${raise}` });
      return z.NEVER;
    }
  }
  const c = m.caller;
  return {
    door,
    integrationTimeoutMs: timeoutMs,
    account: gateway ? { ratePerS: m.account?.rate ?? doorDefaults.accountRatePerS, burst: m.account?.burst ?? doorDefaults.accountBurst } : null,
    throttle: gateway && m.throttle ? { ratePerS: m.throttle.rate, burst: m.throttle.burst } : null,
    overheadMs: door === 'sdk' ? 0 : (m.overhead ?? doorDefaults.overheadMs[door]),
    maxPayloadBytes: gateway ? doorDefaults.gatewayPayloadBytes : doorDefaults.lambdaPayloadBytes,
    caller:
      door === 'sdk'
        ? null
        : {
            maxAttempts: c?.attempts ?? doorDefaults.callerAttempts,
            retryOn: c?.on ?? [...doorDefaults.callerRetryOn],
            delayMs: c?.delay ?? doorDefaults.callerDelayMs,
            timeoutMs: c?.timeout ?? null,
          },
  };
}

/** JSON-schema descriptions of `via` (merged into `lsim schema`). */
export const VIA_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.via': 'invoke: sync only: the front door the callers come through: sdk (default: SDK clients, the client block), apigw-rest, apigw-http or function-url; a name or a map with door (docs/sources.md §3 "Front doors").',
  'workloads.via.door': 'sdk, apigw-rest, apigw-http or function-url (alb is not modelled).',
  'workloads.via.timeout': 'API Gateway integration timeout: REST 50ms–29s (default 29s), HTTP 50ms–30s (default 30s). The gateway answers 504; the function runs on and bills.',
  'workloads.via.throttle': 'API Gateway stage or route throttle, { rate, burst } (token bucket). Default: none.',
  'workloads.via.throttle.rate': 'Requests per second the bucket refills (e.g. 1000/s).',
  'workloads.via.throttle.burst': 'Tokens the bucket holds (starts full).',
  'workloads.via.account.rate': 'Requests per second (default 10000/s).',
  'workloads.via.account.burst': 'Tokens the bucket holds (default 5000).',
  'workloads.via.account': "API Gateway's account-level throttle per Region, shared by every REST and HTTP API of the scenario, { rate, burst }. Default 10000/s, 5000.",
  'workloads.via.overhead': "The door's own latency added to each response (a duration). Default REST 10ms, HTTP 5ms, function URL 5ms (assumptions: AWS publishes no figure).",
  'workloads.via.caller': "The door's callers' own retry policy (not the door's: API Gateway never retries).",
  'workloads.via.caller.attempts': 'Attempts in all, including the first, 1–10. Default 1 (no retries).',
  'workloads.via.caller.on': 'Status codes retried: a list of 429, 500, 502, 504, 5xx. Default [5xx].',
  'workloads.via.caller.delay': 'Wait before each retry (a fixed duration, no jitter). Default 1s.',
  'workloads.via.caller.timeout': 'The caller gives up after this (a duration) or "off" (default: it waits for the door\'s answer).',
};
