/**
 * Request records: one per request the result counts, for every invocation model
 * (`SimulateOptions.onRecord`, what `lsim run --records FILE.csv` writes).
 *
 * Off by default. When `onRecord` is set, simulate() hands a {@link Recorder} to
 * every invoker (their `records` field); each record site is one null check when
 * it is unset, and records are objects only when it is set. Nothing is kept: each
 * record is passed on as its request ends, and the requests still open when the
 * run ends are passed on after it (outcome `open`). A new invocation model adds
 * rows the same way: a `model` name, its outcomes below, a `record()` call where
 * its requests end and one for each request open at the end.
 *
 * Which requests: exactly those whose outcome the result counts, so the rows by
 * outcome add up to the result's counts. Sync, async and stream requests and Step
 * Functions executions count by their arrival (after the warm-up); SQS counts deletions and redrives when they
 * happen (after the warm-up) and every message left at the end, as its result does.
 *
 * Outcomes per model (and `reason`):
 * - sync: `ok`, `error`, `timeout` (the function's answer), `throttled` (the last
 *   attempt got a 429; reason: the throttle reason), `client-timeout`,
 *   `rate-limited` (adaptive mode: gave up waiting for a send token), `rejected`
 *   (a traced request over the 6 MB payload limit, 413; reason `payload-too-large`);
 * - async: `ok` (target `on-success` when one is set), `failed` (to the failure
 *   targets: `dlq`, `on-failure` or `dlq+on-failure`) and `dropped` (none set),
 *   reason `retries-exhausted`, `event-too-old` or `reserved-zero`; `rejected`
 *   (the Invoke call stayed refused, 429; reason `request-rate`) and
 *   `rate-limited` (gave up waiting for a send token): calls that never became events;
 * - sqs: `deleted`, `dlq` (redriven at maxReceiveCount; target `dlq`);
 * - stream: `processed` (the checkpoint moved past it), `discarded` (reason
 *   `retries-exhausted` or `record-age`; target `on-failure` when the mapping has
 *   one), `expired` (past the retention; reason `retention`);
 * - stepfunctions: one record per execution: `ok`, `failed`, `timed-out` (reason
 *   `States.Timeout`); attempts 1;
 * - every model: `open` (no outcome when the run ended; reason `waiting` or
 *   `in-flight` for SQS messages and stream records).
 */

/** The invocation model that wrote a record: its `invoke` (src/models/index.ts). */
export type RecordModel = string;

/** One request and how it ended. Numbers that do not apply are -1 (ids, shard, sequence, key) or NaN (times). */
export interface RequestRecord {
  workload: string;
  model: RecordModel;
  /**
   * The request's id, as `lsim explain` numbers requests (0, 1, 2, ... in arrival order across the
   * run's workloads, warm-up included); -1 for a call refused before it became a request of the model
   * (an async Invoke call rejected or rate-limited, a traced request refused with 413).
   */
  request: number;
  function: string;
  /** When it arrived: the sync request's first attempt, the async event's acceptance (a refused call's first try), the SQS send, the stream write, the execution's start. */
  startedMs: number;
  /** When it ended (the response, the final outcome, the deletion, the checkpoint); NaN when open. */
  endedMs: number;
  outcome: string;
  /** Why, for the outcomes that have one; '' otherwise. */
  reason: string;
  /** SDK attempts (sync, refused async calls), invocations that ran (async), receives (SQS), batch deliveries (stream), 1 (a Step Functions execution). */
  attempts: number;
  /** Where a record of the request went: `dlq`, `on-failure`, `dlq+on-failure`, `on-success`; '' for none. */
  target: string;
  /** Streams: the record's shard and its sequence number in the shard. */
  shard: number;
  sequence: number;
  /** The ordering key: a stream record's partition key, a FIFO message's group. */
  key: number;
}

/** What the invocation models call (src/models/<model>/). */
export interface Recorder {
  record(r: RequestRecord): void;
  /** The id of a new request when tracing is off (the tracer numbers requests otherwise, in the same order). */
  newRequest(): number;
}

/** A recorder that numbers requests in arrival order and passes records to `sink`. */
export function makeRecorder(sink: (r: RequestRecord) => void): Recorder {
  let next = 0;
  return { record: sink, newRequest: () => next++ };
}
