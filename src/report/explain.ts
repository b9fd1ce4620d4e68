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
import type { AsyncSpec, Scenario } from '../scenario/types.js';
import { simulate } from '../sim/simulate.js';
import { StopTrace, type TraceEvent } from '../sim/trace.js';
import { dur, int } from './format.js';

/** The traced events of the first `n` requests (ids 0..n-1), in time order per request. */
export interface ExplainTrace {
  requests: { id: number; events: TraceEvent[] }[];
  /** Whether the run stopped early because every request was done. */
  stoppedEarly: boolean;
}

/** Runs `scenario` with tracing and collects the events of its first `n` requests. */
export function traceRequests(scenario: Scenario, n: number): ExplainTrace {
  const byRequest: TraceEvent[][] = [];
  let arrived = 0;
  let done = 0;
  let open = 0;
  const sink = (e: TraceEvent): void => {
    if (e.request < 0 || e.request >= n) return;
    (byRequest[e.request] ??= []).push(e);
    switch (e.type) {
      case 'arrival':
        arrived++;
        break;
      case 'start':
        open++;
        break;
      case 'complete':
        open--;
        break;
      case 'done':
        done++;
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
};

/** A point in simulated time: seconds with microseconds, aligned. */
function at(ms: number): string {
  return `${(ms / 1000).toFixed(6)} s`.padStart(14);
}

/** The timeline of the first `n` requests of `scenario`, as text. */
export function explainText(scenario: Scenario, n: number): string {
  const trace = traceRequests(scenario, n);
  const out: string[] = [];
  out.push(`lsim explain · ${scenario.name} · seed ${scenario.seed} · the first ${int(n)} request${n === 1 ? '' : 's'}`);
  out.push(`times are simulated seconds from the start of the run${scenario.warmupMs > 0 ? ` (the warm-up counts too)` : ''}`);
  const asyncOf = new Map<string, AsyncSpec>();
  for (const w of scenario.workloads) if (w.invoke === 'async') asyncOf.set(w.name, w.async);
  const outcomes = new Map<string, number>();
  for (const r of trace.requests) {
    const first = r.events[0];
    const cfg = asyncOf.get(first.workload ?? '');
    out.push('');
    out.push(`request ${r.id} · ${cfg ? 'async ' : ''}workload ${first.workload ?? '?'} → function ${first.function ?? '?'}`);
    let arrivedAt = first.tMs;
    let outcome = 'open at the end of the run';
    for (const e of r.events) {
      out.push(`${at(e.tMs)}  ${cfg ? describeAsync(e, cfg) : describe(e)}`);
      if (e.type === 'arrival') arrivedAt = e.tMs;
      if (e.type === 'done') {
        const why = cfg && e.outcome !== 'ok' ? ` (${e.reason ?? '?'})` : '';
        outcome = `${e.outcome ?? '?'}${why} after ${dur(e.tMs - arrivedAt)} ${cfg ? 'from acceptance' : 'end to end'}`;
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
  const untraced = scenario.workloads.filter((w) => w.invoke !== 'sync' && w.invoke !== 'async');
  if (untraced.length > 0) {
    out.push(`not traced yet: ${untraced.map((w) => `${w.name} (invoke ${w.invoke})`).join(', ')} — the timeline shows sync and async requests`);
  }
  out.push('');
  return out.join('\n');
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
      return `queued ${e.delayMs ? dur(e.delayMs) : '0 s'}; the poller reads it for attempt ${e.attempt} of ${attempts}`;
    case 'throttle':
      // The poller reads again when the backoff ends or when one of its invocations completes.
      return `throttled (429 ${e.reason}): back off ${dur(e.delayMs ?? 0)} or until a completion`;
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
          ? `cold start on environment ${e.env}: init ${dur(e.initMs ?? 0)}`
          : `warm start on environment ${e.env}`;
      const ends = e.status === 'ok' ? '' : e.status === 'timeout' ? ', then times out' : ', then fails (function error)';
      return `${how}, handler ${dur(e.durationMs ?? 0)}${ends}`;
    }
    case 'complete':
      return `invocation on environment ${e.env} ends (${e.status}); ${e.status === 'timeout' ? 'environment reset: next use re-inits' : 'the environment goes idle'}`;
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
