/** The types of the sync model: its workload spec (with trace replay) and its result. */
import type { ArrivalSegment, ClientSpec, WorkloadBase } from '../../scenario/types.js';
import type { Percentiles } from '../../metrics/summary.js';
import type { WorkloadResultBase } from '../model.js';

/** A synchronously invoked workload (docs/sources.md §3). */
export interface SyncWorkloadSpec extends WorkloadBase {
  /** Unique; names the random streams (default: `<function>-<invoke>`). */
  name: string;
  functionName: string;
  invoke: 'sync';
  arrivals: ArrivalSegment[];
  client: ClientSpec;
  /** Arrivals replayed from a trace file, alongside `arrivals` (issue 9; src/models/sync/trace-block.ts). */
  trace?: TraceSourceSpec;
  /** The front door (issue 15, src/models/sync/front-door-block.ts); absent: SDK callers (`via: sdk`). */
  via?: FrontDoorSpec;
}

/** A trace file named by a scenario: where it is and the key that names it, for messages. */
export interface TraceFileRef {
  /** As written in the scenario (results show this). */
  asWritten: string;
  /** Relative to the working directory when the scenario's path is (messages show this). */
  file: string;
  /** Resolved against the scenario file's folder. */
  path: string;
  /** The scenario key naming it, e.g. `workloads[0].arrivals[1].trace.file`. */
  key: string;
}

/** Which trace functions go to which scenario function: the first rule that matches a trace function wins. */
export type TraceFunctionRule =
  | { match: 'name'; name: string; to: string }
  /** Glob: `*` any run of characters, `?` one character. */
  | { match: 'pattern'; pattern: string; to: string }
  /** The n busiest trace functions (most invocations in the window) not taken by an earlier rule. */
  | { match: 'top'; n: number; to: string };

/** A trace source of a sync workload (src/models/sync/trace-replay.ts replays it). */
export interface TraceSourceSpec extends TraceFileRef {
  /** `requests`: one row per request; `per-minute`: counts per interval (CloudWatch); `azure`: Azure Functions 2019 trace. */
  format: 'requests' | 'per-minute' | 'azure';
  /** azure: the function_durations_percentiles file (durations become an empirical distribution per function). */
  durations: TraceFileRef | null;
  /** Header names of the columns (requests, per-minute). */
  columns: { timestamp: string; function: string; duration: string; payload: string; error: string; count: string };
  /** How timestamps are written: ISO 8601, seconds or milliseconds (epoch or offsets), or detected from the first row. */
  timestamps: 'auto' | 'iso' | 's' | 'ms';
  /** per-minute: the period each count covers (60 s). */
  intervalMs: number;
  /** per-minute, azure: how a period's count is placed inside it. */
  spread: 'uniform' | 'poisson';
  /** Trace time runs this many times faster in the simulation (10 = `10x`). */
  speed: number;
  /** Each traced request is sent this many times (fractions by a carried remainder; 3 = `3x`). */
  scale: number;
  /** The part of the trace replayed, from its origin (the first row's timestamp, or `originMs`). */
  window: { fromMs: number; forMs: number | null };
  /** Trace origin in the trace's own time (ms); null = the first row's timestamp. */
  originMs: number | null;
  /** Simulation instant at which the window starts. */
  atMs: number;
  /** Empty: every row goes to the workload's function. */
  functions: TraceFunctionRule[];
  /** Skip (and count) rows that cannot be read instead of stopping with an error. */
  skipBadRows: boolean;
  /** Requests with a larger payload are refused (413) without an invocation (6 MB sync, docs/sources.md §3, §8). */
  maxPayloadBytes: number;
}

/** What the callers' SDK clients did (docs/model.md "Synchronous invocation"). */
export interface ClientResult {
  retryMode: string;
  clients: number;
  /** Requests given up (throttled or timed out) because their client's retry quota could not pay for the retry. */
  retryQuotaExhausted: number;
  /** Adaptive mode: requests given up because the wait for a send token exceeded the client timeout. */
  rateLimited: number;
  /** Adaptive mode: attempts that waited for a send token, and how long they waited. */
  sendWaits: number;
  sendWaitMs: Percentiles;
}

export interface SyncWorkloadResult extends WorkloadResultBase {
  name: string;
  function: string;
  invoke: 'sync';
  requests: number;
  retries: number;
  succeeded: number;
  functionErrors: number;
  functionTimeouts: number;
  /** Requests whose final attempt was throttled. */
  throttled: number;
  /** throttled / requests. */
  throttleRate: number;
  clientTimeouts: number;
  /** Requests still waiting (in flight or for a retry) when the run ended. */
  openAtEnd: number;
  /** End to end, from the first attempt to the response, for requests that got one. */
  latencyMs: Percentiles;
  /** The callers' SDK clients (src/models/client.ts). */
  client: ClientResult;
  /** Present when the workload replays a trace (issue 9). */
  traceReplay?: TraceReplayResult;
  /** Present when the workload comes through an HTTP front door (issue 15). */
  frontDoor?: FrontDoorResult;
}

/** What a trace replay read and sent (whole run, warm-up included; docs/model.md "Trace-driven workloads"). */
export interface TraceReplayResult {
  /** The trace file as the scenario names it. */
  file: string;
  format: 'requests' | 'per-minute' | 'azure';
  speed: number;
  scale: number;
  /** Data rows read; rows skipped as unreadable (`skipBadRows`) and the first of them. */
  rows: number;
  badRows: number;
  firstBadRow: { line: number; message: string } | null;
  /** Requests in the trace's window for mapped functions, and sent after `scale`. */
  traced: number;
  sent: number;
  /** Requests of trace functions no rule maps (not sent). */
  unmapped: number;
  functionsMapped: number;
  /** Requests sent with the handler duration from the trace. */
  durationsFromTrace: number;
  /** Requests refused (413) for a payload over the sync limit, after the warm-up: not invocations. */
  payloadTooLarge: number;
}

/** The front doors of a sync workload (issue 15; src/models/sync/front-door.ts). */
export type DoorName = 'sdk' | 'apigw-rest' | 'apigw-http' | 'function-url';
/** Status codes a door's caller may retry. */
export type CallerRetryOn = '429' | '500' | '502' | '504' | '5xx';

/** A token bucket of the door: `ratePerS` refill, `burst` capacity (starts full). */
export interface DoorBucketSpec {
  ratePerS: number;
  burst: number;
}

/** The caller of an HTTP front door: its own retry policy (the door never retries). */
export interface DoorCallerSpec {
  /** Attempts in all, including the first. */
  maxAttempts: number;
  retryOn: CallerRetryOn[];
  /** Fixed wait before each retry. */
  delayMs: number;
  /** The caller gives up after this; null waits for the door's answer. */
  timeoutMs: number | null;
}

/** `via` resolved (src/models/sync/front-door-block.ts; docs/sources.md §3 "Front doors"). */
export interface FrontDoorSpec {
  door: DoorName;
  /** API Gateway's integration timeout (504 to the caller; the function runs on); null for the other doors. */
  integrationTimeoutMs: number | null;
  /** API Gateway's account-level throttle, shared by every REST and HTTP API of the scenario; null for the other doors. */
  account: DoorBucketSpec | null;
  /** A stage or route throttle of this API; null when none. */
  throttle: DoorBucketSpec | null;
  /** The door's own latency, added to each response it gives. */
  overheadMs: number;
  /** Requests with a larger payload are refused by the door (413) before Lambda sees them. */
  maxPayloadBytes: number;
  /** null for `sdk` (its callers are the `client` block). */
  caller: DoorCallerSpec | null;
}

/** What the callers of a front door saw (issue 15; docs/model.md "Front doors"). */
export interface FrontDoorResult {
  door: DoorName;
  /** Requests the door received, first attempts and the caller's retries (what a bill counts: API Gateway requests by API type, or function URL requests). */
  doorRequests: number;
  /** Every answer the door gave, by HTTP status code (one per attempt). */
  responses: Record<string, number>;
  /** Attempts the door's own buckets refused (429): the account-level quota and the stage or route throttle. */
  gatewayThrottled: { account: number; stage: number };
  /** Attempts Lambda refused (a throttle), and the code the caller saw for them. */
  lambdaThrottled: number;
  lambdaThrottleStatus: number;
  /** Requests whose last answer was each outcome (with `openAtEnd`, every request exactly once). */
  outcomes: { ok: number; gatewayThrottled: number; lambdaThrottled: number; functionError: number; integrationTimeout: number; payloadTooLarge: number; callerTimeout: number };
  /** Invocations the gateway had answered 504 for, and the function's run after the 504 (work nobody received). */
  afterTimeout: { invocations: number; workMs: number };
  overheadMs: number;
  integrationTimeoutMs: number | null;
}
