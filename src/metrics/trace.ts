/**
 * Tracing: the life of individual requests, for `lsim explain` and for tests.
 *
 * Off by default. When `SimulateOptions.trace` is set, simulate() hands a
 * {@link Tracer} to the platform and to the invokers (their `trace` field);
 * every emit site is guarded by a null check, so a run without tracing pays one
 * comparison per site and allocates nothing.
 *
 * Who emits what:
 * - invokers: `arrival` (a new request gets its id), `retry` (with the backoff),
 *   `client-timeout`, `done` (the request's final outcome), and any event of
 *   their own model (`queued`, `dlq`, ...: the `type` is an open string);
 * - the async invoker: `arrival` (accepted into the queue; `duplicateOf` for an
 *   at-least-once copy), `poll` (read from the queue for an attempt, after
 *   `delayMs` in it), `throttle` (with the reason and the backoff in `delayMs`),
 *   `retry` (after a function error or timeout, in `delayMs`), `done` (`ok`, or
 *   the failure target(s) `dlq` / `on-failure` / `dlq+on-failure` or `dropped`,
 *   with the reason and the attempts made);
 * - the SQS mapping (src/models/sqs/mapping.ts) and the stream mapping
 *   (src/models/stream/mapping.ts): a request is a message or a record; batch-level
 *   events (`batch`, `throttle`, ...) carry the first message's id in `request`
 *   and all of the batch's ids in `requests`; the platform's start/complete of
 *   the batch carry the first id of the last `batch` (through `traceRequest`) —
 *   consumers fan them out;
 * - the platform: `start` (cold or warm, on which environment, init and handler
 *   time, how it will end), `complete`.
 *
 * Request ids number the run's requests 0, 1, 2, ... in arrival order across all
 * workloads. The platform learns an invocation's request id from its invoker
 * (`Invoker.traceRequest(token)`); -1 when the invoker does not say.
 */

/** One step in a request's life. Fields beyond `tMs`, `type` and `request` depend on the type. */
export interface TraceEvent {
  /** Simulated time, ms. */
  tMs: number;
  /** arrival, throttle, start, complete, retry, client-timeout, done, or an invoker's own. */
  type: string;
  /** The request's id (0-based, in arrival order), or -1 when not about one request. */
  request: number;
  workload?: string;
  function?: string;
  /** 1 for the first try. */
  attempt?: number;
  /** Throttle reason (`scaling-rate`, `account-concurrency`, ...), or why an async event failed (`retries-exhausted`, ...). */
  reason?: string;
  /** Execution environment id (ids are reused after an environment is reclaimed). */
  env?: number;
  cold?: boolean;
  provisioned?: boolean;
  /** Init duration of a cold start, ms (at most the 10 s on-demand limit). */
  initMs?: number;
  /** An init past the 10 s limit: its re-run inside the invoke phase, ms (part of `durationMs`). */
  initRerunMs?: number;
  /** Handler (invoke phase) duration, ms; to the timeout for a timeout. */
  durationMs?: number;
  /** How the invocation ends: ok, error, timeout. */
  status?: string;
  /** `complete`: the environment reached its maximum lifetime during the invocation and is retired, not replaced. */
  retired?: boolean;
  /** A wait before the next step (retry backoff), ms. */
  delayMs?: number;
  /** The final outcome of a request (`done`): ok, error, timeout, throttled, client-timeout, dlq, dropped, ... */
  outcome?: string;
  /** A batch-level event (SQS, streams): the request ids of every message or record in the batch. */
  requests?: number[];
  /** An async event delivered twice (at-least-once): the request id of the original. */
  duplicateOf?: number;
  /** Streams: the record's (or batch's) shard, its lane in the shard (ParallelizationFactor > 1), a record's sequence number in its shard and partition key. */
  shard?: number;
  lane?: number;
  sequence?: number;
  key?: number;
}

/** What the platform and invokers call. */
export interface Tracer {
  emit(e: TraceEvent): void;
  /** The id of a new request. */
  newRequest(): number;
}

/** A tracer that numbers requests in arrival order and passes events to `sink`. */
export function makeTracer(sink: (e: TraceEvent) => void): Tracer {
  let next = 0;
  return {
    emit: sink,
    newRequest: () => next++,
  };
}

/** Thrown by a trace sink to end a run early (`lsim explain` stops once its requests are done). */
export class StopTrace extends Error {
  constructor() {
    super('trace complete');
    this.name = 'StopTrace';
  }
}
