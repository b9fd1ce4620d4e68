/**
 * `lsim explain`: the life of the first N requests of a run as a readable
 * timeline — arrival, throttles with their reason, cold start with init, warm
 * start, SDK retries with their backoff, client timeouts, completion; for async
 * events: the queue wait, throttled reads with their backoff, retries after a
 * function error, the DLQ or destination with the reason — for teaching and for
 * checking what the model does.
 *
 * It runs the scenario with tracing on (src/sim/trace.ts) and stops as soon as
 * the first N requests have their final outcome and their invocations have
 * completed, so explaining a long scenario costs only its first moments.
 * Invocation models that do not emit trace events yet are listed at the end.
 */
import type { AsyncSpec, Scenario, SqsSpec } from '../scenario/types.js';
import { simulate } from '../sim/simulate.js';
import { StopTrace, type TraceEvent } from '../sim/trace.js';
import { dur, int } from './format.js';

/** The traced events of the first `n` requests (ids 0..n-1), in time order per request. */
export interface ExplainTrace {
  requests: { id: number; events: TraceEvent[] }[];
  /** Whether the run stopped early because every request was done. */
  stoppedEarly: boolean;
}

/**
 * Runs `scenario` with tracing and collects the events of its first `n` requests, or with
 * `sample` K > 1 of n requests taken every K-th (ids 0, K, 2K, ...).
 */
export function traceRequests(scenario: Scenario, n: number, sample = 1): ExplainTrace {
  const want = (r: number): boolean => r >= 0 && r < n * sample && r % sample === 0;
  const byRequest: TraceEvent[][] = [];
  let arrived = 0;
  let done = 0;
  let open = 0;
  // Batches (SQS, streams): the first message's id → the explained ids in its batch, so the
  // batch's events and the platform's start/complete (which carry the first id) reach them all.
  const batchOf = new Map<number, number[]>();
  const sink = (e: TraceEvent): void => {
    let ids: number[] | undefined;
    if (e.requests !== undefined) {
      ids = e.requests.filter(want);
      if (ids.length > 0) batchOf.set(e.request, ids);
      else batchOf.delete(e.request);
    } else if (e.type === 'start' || e.type === 'complete') ids = batchOf.get(e.request);
    if (ids === undefined) {
      if (!want(e.request)) return;
      ids = [e.request];
    }
    if (ids.length === 0) return;
    for (const id of ids) (byRequest[id] ??= []).push(e);
    switch (e.type) {
      case 'arrival':
        arrived += ids.length;
        break;
      case 'start':
        open++;
        break;
      case 'complete':
        open--;
        break;
      case 'done':
        done += ids.length;
        break;
    }
    if (arrived >= n && done >= n && open === 0) throw new StopTrace();
  };
  let stoppedEarly = false;
  try {
    simulate(scenario, { trace: sink });
  } catch (e) {
    if (!(e instanceof StopTrace)) throw e;
    stoppedEarly = true;
  }
  const requests = byRequest.map((events, id) => ({
    id,
    // Stable sort: events at the same instant keep the order they happened in.
    events: events.map((e, i) => [e, i] as const).sort((a, b) => a[0].tMs - b[0].tMs || a[1] - b[1]).map(([e]) => e),
  }));
  return { requests: requests.filter((r) => r.events !== undefined), stoppedEarly };
}

const REASONS: Record<string, string> = {
  'request-rate': 'account requests/s quota used up',
  'account-concurrency': 'unreserved concurrency pool full',
  'reserved-concurrency': 'reserved concurrency all busy',
  'scaling-rate': 'scaling rule allows no new environment yet',
  'function-request-rate': "function's requests/s cap (10 × reserved or provisioned concurrency) used up",
};

/** A point in simulated time: seconds with microseconds, aligned. */
function at(ms: number): string {
  return `${(ms / 1000).toFixed(6)} s`.padStart(14);
}

/** The timeline of the first `n` requests of `scenario` (or n requests, every `sample`-th), as text. */
export function explainText(scenario: Scenario, n: number, sample = 1): string {
  const trace = traceRequests(scenario, n, sample);
  const out: string[] = [];
  const which = sample > 1 ? `${int(n)} request${n === 1 ? '' : 's'}, every ${ordinal(sample)}` : `the first ${int(n)} request${n === 1 ? '' : 's'}`;
  out.push(`lsim explain · ${scenario.name} · seed ${scenario.seed} · ${which}`);
  out.push(`times are simulated seconds from the start of the run${scenario.warmupMs > 0 ? ` (the warm-up counts too)` : ''}`);
  const asyncOf = new Map<string, AsyncSpec>();
  const sqsOf = new Map<string, SqsSpec>();
  for (const w of scenario.workloads) {
    if (w.invoke === 'async') asyncOf.set(w.name, w.async);
    if (w.invoke === 'sqs') sqsOf.set(w.name, w.sqs);
  }
  const explained = (r: number): boolean => r < n * sample && r % sample === 0;
  const outcomes = new Map<string, number>();
  for (const r of trace.requests) {
    const first = r.events[0];
    const cfg = asyncOf.get(first.workload ?? '');
    const sqs = sqsOf.get(first.workload ?? '');
    out.push('');
    const kind = cfg ? 'async ' : sqs ? `SQS message · ` : '';
    out.push(`request ${r.id} · ${kind}workload ${first.workload ?? '?'} → function ${first.function ?? '?'}`);
    let arrivedAt = first.tMs;
    let outcome = 'open at the end of the run';
    for (const e of r.events) {
      const line = cfg ? describeAsync(e, cfg) : sqs ? describeSqs(e, sqs, r.id, explained) : describe(e);
      out.push(`${at(e.tMs)}  ${line}`);
      if (e.type === 'arrival') arrivedAt = e.tMs;
      if (e.type === 'done') {
        const why = (cfg || sqs) && e.reason !== undefined && e.outcome !== 'ok' ? ` (${e.reason})` : '';
        const from = cfg ? 'from acceptance' : sqs ? 'from the send' : 'end to end';
        outcome = `${e.outcome ?? '?'}${why} after ${dur(e.tMs - arrivedAt)} ${from}`;
      }
    }
    out.push(`${''.padStart(14)}  = ${outcome}`);
    const key = r.events.find((e) => e.type === 'done')?.outcome ?? 'open';
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  out.push('');
  if (trace.requests.length === 0) out.push('No request was traced.');
  else {
    const parts = [...outcomes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${int(v)} ${k}`);
    out.push(`${int(trace.requests.length)} request${trace.requests.length === 1 ? '' : 's'}: ${parts.join(', ')}`);
  }
  const untraced = scenario.workloads.filter((w) => w.invoke !== 'sync' && w.invoke !== 'async' && w.invoke !== 'sqs');
  if (untraced.length > 0) {
    const shown = 'the timeline shows sync, async and SQS requests';
    out.push(`not traced yet: ${untraced.map((w) => `${w.name} (invoke ${w.invoke})`).join(', ')} — ${shown}`);
  }
  out.push('');
  return out.join('\n');
}

/** 2 → "2nd", 10 → "10th". */
function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${int(k)}${suffix}`;
}

/** The other explained requests of a batch event: " with requests 1, 2, 3 (+4 more)", or ''. */
function companions(e: TraceEvent, self: number, explained: (r: number) => boolean): string {
  const others = (e.requests ?? []).filter((r) => r !== self && explained(r));
  if (others.length === 0) return '';
  const shown = others.slice(0, 4).join(', ');
  return ` with request${others.length === 1 ? '' : 's'} ${shown}${others.length > 4 ? ` (+${others.length - 4} more)` : ''}`;
}

const BATCH_TRIGGERS: Record<string, string> = {
  full: 'full',
  'payload-cap': 'the 6 MB payload cap',
  window: 'the batching window ended',
  available: 'what was visible',
};

/** One step of an SQS message (src/invoke/sqs.ts); the platform's steps read as for sync. */
function describeSqs(e: TraceEvent, cfg: SqsSpec, self: number, explained: (r: number) => boolean): string {
  const max = cfg.maxReceiveCount;
  switch (e.type) {
    case 'arrival':
      return `sent to the queue (visibility timeout ${dur(cfg.effectiveVisibilityTimeoutMs)}${max !== null ? `, maxReceiveCount ${max}` : ''})`;
    case 'receive': {
      const n = `receive ${e.attempt}${max !== null ? ` of ${max}` : ''}`;
      const window = e.durationMs !== undefined ? `; window closes in ${dur(e.durationMs)}` : '';
      const dup = e.reason === 'still-running' ? '; its earlier batch still runs (a duplicate)' : '';
      return `received into a batch (${n}), visible for ${dur(e.delayMs ?? 0)}${window}${dup}`;
    }
    case 'batch': {
      const n = e.requests?.length ?? 0;
      const why = e.reason === 'throttle-retry' ? `throttle retry ${(e.attempt ?? 2) - 1}` : (BATCH_TRIGGERS[e.reason ?? ''] ?? e.reason);
      return `batch of ${int(n)} message${n === 1 ? '' : 's'} invoked (${why})${companions(e, self, explained)}`;
    }
    case 'throttle':
      return e.outcome === 'vt'
        ? `batch throttled (429 ${e.reason}): no retry before the visibility timeout, back in ${dur(e.delayMs ?? 0)}`
        : `batch throttled (429 ${e.reason}): retried in ${dur(e.delayMs ?? 0)}`;
    case 'failed': {
      const how = e.reason === 'item-failure' ? 'reported as a failed item' : e.status === 'timeout' ? 'the batch timed out' : 'the batch failed (function error)';
      return `${how}: invisible until the visibility timeout, ${dur(e.delayMs ?? 0)} from now`;
    }
    case 'visible':
      return e.reason === 'throttled'
        ? `visible again: its throttled batch ran out of visibility (${e.attempt} receives)`
        : `visible again after the visibility timeout (received ${e.attempt} time${e.attempt === 1 ? '' : 's'})`;
    case 'done':
      return e.outcome === 'dlq'
        ? `redriven to the DLQ: received ${e.attempt} times (maxReceiveCount ${max ?? '?'})`
        : `deleted: its batch succeeded (receive ${e.attempt})`;
    default:
      return describe(e);
  }
}

const FAILURE_REASONS: Record<string, string> = {
  'retries-exhausted': 'retries exhausted',
  'event-too-old': 'event too old',
  'reserved-zero': 'reserved concurrency is 0, no attempt',
};

/** One step of an async event (src/invoke/async.ts) as a sentence; the platform's steps read as for sync. */
function describeAsync(e: TraceEvent, cfg: AsyncSpec): string {
  const attempts = cfg.maximumRetryAttempts + 1;
  switch (e.type) {
    case 'arrival':
      return e.duplicateOf !== undefined
        ? `accepted again (202): an at-least-once duplicate of request ${e.duplicateOf}`
        : 'accepted (202) into the async queue';
    case 'poll':
      return e.reason === 'backoff'
        ? `its backoff over, the poller reads it again for attempt ${e.attempt} of ${attempts}`
        : `queued ${e.delayMs ? dur(e.delayMs) : '0 s'}; the poller reads it for attempt ${e.attempt} of ${attempts}`;
    case 'throttle':
      // §4: the event goes back to the queue for its own backoff; other events may be read meanwhile.
      return `throttled (429 ${e.reason}): back in the queue in ${dur(e.delayMs ?? 0)}, others first`;
    case 'retry': {
      const after = e.status === 'timeout' ? 'a timeout' : 'function error';
      return e.reason === 'event-too-old'
        ? `retry after ${after} cut to ${dur(e.delayMs ?? 0)}: the event reaches its maximum age then`
        : `retry in ${dur(e.delayMs ?? 0)} after ${after} (attempt ${e.attempt} of ${attempts})`;
    }
    case 'done': {
      const why = FAILURE_REASONS[e.reason ?? ''] ?? e.reason;
      const n = e.attempt ?? 0;
      const after = n > 0 ? ` after ${n} attempt${n === 1 ? '' : 's'}` : '';
      switch (e.outcome) {
        case 'ok':
          return `succeeded${cfg.onSuccess !== null ? `; a record goes to the on-success destination (${cfg.onSuccess})` : ''}`;
        case 'dropped':
          return `dropped: ${why}${after} (no DLQ or on-failure destination)`;
        default: {
          const to = [cfg.deadLetterQueue !== null ? `DLQ (${cfg.deadLetterQueue})` : '', cfg.onFailure !== null ? `on-failure (${cfg.onFailure})` : ''];
          return `to ${to.filter((x) => x !== '').join(' and ')}: ${why}${after}`;
        }
      }
    }
    default:
      return describe(e);
  }
}

/** One event as a sentence. */
function describe(e: TraceEvent): string {
  switch (e.type) {
    case 'arrival':
      return 'arrives; attempt 1';
    case 'throttle':
      return `attempt ${e.attempt ?? '?'} throttled (429 ${e.reason}): ${REASONS[e.reason ?? ''] ?? e.reason}`;
    case 'start': {
      const how = e.provisioned
        ? `starts on provisioned environment ${e.env}${e.cold ? ' (re-init after a timeout)' : ''}`
        : e.cold
          ? `cold start on environment ${e.env}: init ${dur(e.initMs ?? 0)}${e.initRerunMs !== undefined ? ' (over the 10 s limit: cut)' : ''}`
          : `warm start on environment ${e.env}`;
      const ends = e.status === 'ok' ? '' : e.status === 'timeout' ? ', then times out' : ', then fails (function error)';
      const invoke =
        e.initRerunMs !== undefined
          ? `invoke ${dur(e.durationMs ?? 0)}: the init re-run (${dur(e.initRerunMs)}), then the handler`
          : `handler ${dur(e.durationMs ?? 0)}`;
      return `${how}, ${invoke}${ends}`;
    }
    case 'complete':
      return `invocation on environment ${e.env} ends (${e.status}); ${
        e.retired ? 'the environment is past its lifetime: retired' : e.status === 'timeout' ? 'environment reset: next use re-inits' : 'the environment goes idle'
      }`;
    case 'retry':
      return `SDK backs off ${dur(e.delayMs ?? 0)}, then attempt ${e.attempt}`;
    case 'client-timeout':
      return `client stops waiting after ${dur(e.delayMs ?? 0)}; the invocation runs on (and bills)`;
    case 'done':
      return `caller gets ${e.outcome === 'ok' ? 'the response' : e.outcome === 'throttled' ? 'a 429 and gives up' : e.outcome === 'client-timeout' ? 'no response and gives up' : e.outcome === 'timeout' ? 'an error response: the function timed out' : 'an error response: the function failed'}`;
    default: {
      // Events of other invocation models: show their fields as they come.
      const fields = Object.entries(e)
        .filter(([k]) => !['tMs', 'type', 'request', 'workload', 'function'].includes(k))
        .map(([k, v]) => `${k} ${typeof v === 'number' && k.endsWith('Ms') ? dur(v) : String(v)}`);
      return `${e.type}${fields.length ? ` (${fields.join(', ')})` : ''}`;
    }
  }
}
