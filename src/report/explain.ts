/**
 * `lsim explain`: the life of requests of a run as a readable timeline —
 * arrival, throttles with their reason, cold start with init, warm start, SDK
 * retries with their backoff, client timeouts, completion; for async events:
 * the queue wait, throttled reads with their backoff, retries after a function
 * error, the DLQ or destination with the reason; for SQS messages and stream
 * records: the batches they were read into and what became of them — for
 * teaching and for checking what the model does.
 *
 * It runs the scenario with tracing on (src/metrics/trace.ts) and stops as soon as
 * the requests it shows have their final outcome and their invocations have
 * completed, so explaining the start of a long scenario costs only its first
 * moments. A request that enters a pipeline (issue 16) is followed through every stage: the
 * messages it leads to carry its id, and its outcome is the pipeline's (`finished` when its last
 * item is done, else where the first was lost). Which requests: the first n (or every K-th) of those arriving at or
 * after `fromMs`; with `failures`, the first n of them that did not end ok
 * (every request not ok, including those still open at the end of the run), so
 * the run goes on until those are known. A request's timeline keeps its first
 * {@link HEAD} and last {@link TAIL} steps (a stalled stream record retries for
 * ever): memory stays bounded whatever the run.
 */
import { modelOf, type Scenario } from '../models/index.js';
import { hasOwnArrivals, pipelineShape } from '../models/pipeline-graph.js';
import { formatDuration } from '../scenario/units.js';
import { simulate } from '../sim/simulate.js';
import { StopTrace, type TraceEvent } from '../metrics/trace.js';
import { dur, int, wrap, escapeControls } from '../format.js';


/** Steps kept at the start and at the end of a long timeline. */
const HEAD = 40;
const TAIL = 20;

/** Final outcomes that are a success, per model: sync and async `ok`, SQS `deleted`, stream `processed`; a pipeline's `finished`. */
const OK_OUTCOMES = new Set(['ok', 'deleted', 'processed', 'finished']);

/** Which requests to explain. */
export interface ExplainSelection {
  /** Every K-th request (default 1). */
  sample?: number;
  /** Only requests arriving at or after this simulated time, ms (default 0). */
  fromMs?: number;
  /** Only requests that did not end ok (including those still open at the end of the run). */
  failures?: boolean;
}

/** One explained request: its steps in time order, `omitted` of them left out in the middle. */
export interface ExplainedRequest {
  id: number;
  events: TraceEvent[];
  omitted: number;
  /** The final outcome's step (`done`); none when the request was open at the end of the run. */
  done: TraceEvent | undefined;
  /** Its outcome, or `open`. */
  outcome: string;
  /** The pipeline it entered (its first stage's workload), if any: then `done` is the pipeline's `end`. */
  pipeline?: string;
}

/** The traced requests, in id order. */
export interface ExplainTrace {
  requests: ExplainedRequest[];
  /** Whether the run stopped early because every request shown was done. */
  stoppedEarly: boolean;
}

/** A request being followed: its first steps, a ring of its last ones, and what is still running for it. */
class Followed {
  readonly head: TraceEvent[] = [];
  readonly tail: TraceEvent[] = [];
  omitted = 0;
  /** Invocations started and not completed. */
  running = 0;
  /** The final outcome's step, once there is one. */
  done: TraceEvent | undefined;
  outcome: string | undefined;
  constructor(
    readonly id: number,
    /** Its pipeline, when it entered one: its outcome comes with the pipeline's `end`. */
    readonly pipeline: string | undefined,
  ) {}
  add(e: TraceEvent): void {
    if (this.head.length < HEAD) this.head.push(e);
    else {
      if (this.tail.length === TAIL) {
        this.tail.shift();
        this.omitted++;
      }
      this.tail.push(e);
    }
  }
}

/**
 * Runs `scenario` with tracing and collects the events of `n` requests: the first n (ids 0..n-1)
 * by default, or as `selection` says.
 */
export function traceRequests(scenario: Scenario, n: number, selection: ExplainSelection = {}): ExplainTrace {
  const sample = selection.sample ?? 1;
  const fromMs = selection.fromMs ?? 0;
  const failures = selection.failures === true;
  const qualifies = (r: Followed): boolean => !failures || !OK_OUTCOMES.has(r.outcome!);
  const followed = new Map<number, Followed>();
  /** Followed requests in arrival (= id) order; `lo` is the first still without an outcome. */
  const order: Followed[] = [];
  let lo = 0;
  /** The requests shown, once decided: qualifying, in id order, none undecided before them. */
  const shown: Followed[] = [];
  let arrivals = 0;
  let chosen = 0;
  let qualified = 0;
  // Batches (SQS, streams): the first id of a batch about to be invoked → the followed ids in it, then
  // by environment once it starts, so the platform's start/complete (which carry the first id) reach
  // them all, even when one id leads several batches at once (a pipeline's messages share their request's id).
  const batchOf = new Map<number, number[]>();
  const runningOn = new Map<number, number[]>();
  // Pipelines: the workloads where requests enter one; the messages a request leads to arrive with its (older) id.
  const entries = pipelineEntries(scenario);
  let newest = -1;
  const sink = (e: TraceEvent): void => {
    if (e.type === 'arrival' && e.request > newest) {
      newest = e.request;
      if (e.tMs < fromMs || arrivals++ % sample !== 0) return;
      // Enough: every later request has a higher id than the n already chosen (or qualifying).
      if (failures ? qualified >= n : chosen >= n) return;
      const r = new Followed(e.request, entries.has(e.workload ?? '') ? e.workload : undefined);
      followed.set(e.request, r);
      order.push(r);
      chosen++;
    }
    let ids: number[] | undefined;
    if (e.requests !== undefined) {
      ids = e.requests.filter((id) => followed.has(id));
      if (e.type === 'batch' || e.type === 'final') batchOf.set(e.request, ids);
      else if (e.type === 'throttle') batchOf.delete(e.request);
    } else if (e.type === 'start') {
      ids = batchOf.get(e.request)?.filter((id) => followed.has(id));
      batchOf.delete(e.request);
      if (ids !== undefined && e.env !== undefined) runningOn.set(e.env, ids);
    } else if (e.type === 'complete' && e.env !== undefined) {
      ids = runningOn.get(e.env)?.filter((id) => followed.has(id));
      runningOn.delete(e.env);
    }
    ids ??= followed.has(e.request) ? [e.request] : [];
    if (ids.length === 0) return;
    for (const id of ids) {
      const r = followed.get(id)!;
      r.add(e);
      if (e.type === 'start') r.running++;
      else if (e.type === 'complete') r.running--;
      else if (e.type === (r.pipeline === undefined ? 'done' : 'end') && r.outcome === undefined) {
        r.done = e;
        r.outcome = e.outcome ?? '?';
        if (qualifies(r)) qualified++;
        else {
          // A success is not shown with --failures: stop following it, and let its steps go.
          followed.delete(id);
          r.head.length = r.tail.length = 0;
        }
      }
    }
    if (e.type !== 'done' && e.type !== 'complete' && e.type !== 'end') return;
    while (lo < order.length && order[lo].outcome !== undefined) {
      if (qualifies(order[lo])) shown.push(order[lo]);
      lo++;
    }
    if (lo > 4096) {
      order.splice(0, lo);
      lo = 0;
    }
    if (shown.length >= n && shown.slice(0, n).every((r) => r.running === 0)) throw new StopTrace();
  };
  let stoppedEarly = false;
  try {
    simulate(scenario, { trace: sink });
  } catch (e) {
    if (!(e instanceof StopTrace)) throw e;
    stoppedEarly = true;
  }
  if (!stoppedEarly) {
    // The run ended: requests still without an outcome are open, and count as not ok.
    for (; lo < order.length; lo++) {
      order[lo].outcome ??= 'open';
      if (qualifies(order[lo])) shown.push(order[lo]);
    }
  }
  const requests = shown.slice(0, n).map((r) => {
    // Stable sort: events at the same instant keep the order they happened in.
    const events = [...r.head, ...r.tail].map((e, i) => [e, i] as const).sort((a, b) => a[0].tMs - b[0].tMs || a[1] - b[1]).map(([e]) => e);
    return { id: r.id, events, omitted: r.omitted, done: r.done, outcome: r.outcome!, ...(r.pipeline !== undefined ? { pipeline: r.pipeline } : {}) };
  });
  return { requests, stoppedEarly };
}

/** The pipelines of a scenario by their first stage's name: their stages, in order. */
function pipelineEntries(scenario: Scenario): Map<string, Scenario['workloads']> {
  const shape = pipelineShape(scenario.functions, scenario.workloads, scenario.workloads.map(hasOwnArrivals));
  return new Map(shape.pipelines.map((p) => [scenario.workloads[p.entry].name, p.stages.map((i) => scenario.workloads[i])]));
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

/** Which requests a timeline shows, for its title. */
function selected(n: number, sel: ExplainSelection): string {
  const sample = sel.sample ?? 1;
  const plural = n === 1 ? '' : 's';
  const which = sample > 1 ? `${int(n)} request${plural}, every ${ordinal(sample)}` : `the first ${int(n)} request${plural}`;
  const from = (sel.fromMs ?? 0) > 0 ? ` from ${formatDuration(sel.fromMs!)}` : '';
  return `${which}${from}${sel.failures ? ` that did not end ok` : ''}`;
}

/** The timeline of `n` requests of `scenario` (the first n, or as `selection` says), as text. */
/** The report for a terminal: control characters from the scenario's text escaped (src/format.ts `escapeControls`). */
export function explainText(scenario: Scenario, n: number, selection: ExplainSelection = {}): string {
  return escapeControls(explainTextUnescaped(scenario, n, selection));
}

function explainTextUnescaped(scenario: Scenario, n: number, selection: ExplainSelection): string {
  const trace = traceRequests(scenario, n, selection);
  const out: string[] = [];
  const push = (line: string, indent = 2) => out.push(...wrap(line, indent));
  push(`lsim explain · ${scenario.name} · seed ${scenario.seed} · ${selected(n, selection)}`);
  out.push(`times are simulated seconds from the start of the run${scenario.warmupMs > 0 ? ` (the warm-up counts too)` : ''}`);
  const workloads = new Map(scenario.workloads.map((w) => [w.name, w]));
  const pipelines = pipelineEntries(scenario);
  const shownIds = new Set(trace.requests.map((r) => r.id));
  const explained = (r: number): boolean => shownIds.has(r);
  const outcomes = new Map<string, number>();
  for (const r of trace.requests) {
    const first = r.events[0];
    const w = workloads.get(first.workload ?? '');
    out.push('');
    const model = w ? modelOf(w.invoke) : undefined;
    const stages = r.pipeline !== undefined ? pipelines.get(r.pipeline)! : undefined;
    if (stages) push(`request ${r.id} · pipeline ${r.pipeline}: ${stages.map((s) => `${s.name} (${s.invoke} → ${s.functionName})`).join(' → ')}`);
    else push(`request ${r.id} · ${model?.explain.kind ?? ''}workload ${first.workload ?? '?'} → function ${first.function ?? '?'}`);
    // Each step in the words of its own workload's model; in a pipeline, named by its stage.
    const line = (e: TraceEvent): string => {
      const own = PIPELINE_STEPS.has(e.type) ? undefined : e.workload !== undefined ? workloads.get(e.workload) : undefined;
      const ew = own ?? w;
      const text = (PIPELINE_STEPS.has(e.type) ? undefined : ew && modelOf(ew.invoke).explain.describe?.(e, ew, r.id, explained)) ?? describe(e);
      return stages && own ? `${own.name}: ${text}` : text;
    };
    r.events.forEach((e, i) => {
      if (r.omitted > 0 && i === HEAD) out.push(`${''.padStart(14)}  … ${int(r.omitted)} more step${r.omitted === 1 ? '' : 's'} like these …`);
      push(`${at(e.tMs)}  ${line(e)}`, 18);
    });
    const done = r.done;
    let outcome = 'open at the end of the run';
    if (done !== undefined && stages) outcome = `${done.outcome ?? '?'} after ${dur(done.tMs - first.tMs)} end to end`;
    else if (done !== undefined) {
      const why = model?.explain.reasons && done.reason !== undefined && done.outcome !== 'ok' ? ` (${done.reason})` : '';
      const from = (w && model?.explain.fromOf?.(w)) ?? model?.explain.from ?? 'end to end';
      outcome = `${done.outcome ?? '?'}${why} after ${dur(done.tMs - first.tMs)} ${from}`;
    }
    push(`${''.padStart(14)}  = ${outcome}`, 18);
    outcomes.set(r.outcome, (outcomes.get(r.outcome) ?? 0) + 1);
  }
  out.push('');
  if (trace.requests.length === 0) out.push(selection.failures ? 'No request was traced that did not end ok.' : 'No request was traced.');
  else {
    const parts = [...outcomes.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${int(v)} ${k}`);
    push(`${int(trace.requests.length)} request${trace.requests.length === 1 ? '' : 's'}: ${parts.join(', ')}`);
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

/** The steps the pipeline itself adds to a request's timeline (src/models/pipeline.ts). */
const PIPELINE_STEPS = new Set(['send', 'stopped', 'call', 'call-done', 'call-abandoned', 'end']);

/** One event as a sentence. */
function describe(e: TraceEvent): string {
  switch (e.type) {
    case 'send':
      return `${e.function} sends ${e.reason === 'messages' ? 'a message' : e.reason === 'events' ? 'an event' : 'a record'} to ${e.workload}`;
    case 'stopped':
      return `stopped by Lambda's recursive loop detection: ${e.function} has run ${e.attempt} times in this chain (${e.outcome === 'dlq' ? 'to the DLQ or on-failure destination' : 'dropped'})`;
    case 'call':
      return `calls ${e.function} synchronously and waits`;
    case 'call-done':
      return e.status === 'ok'
        ? `${e.function} answers: the call succeeded`
        : e.status === 'throttled'
          ? `the call to ${e.function} is throttled (429 ${e.reason}): it fails, and so does the invocation waiting for it`
          : e.status === 'stopped'
            ? `the call to ${e.function} is refused (RecursiveInvocationException): the invocation waiting for it fails`
            : `${e.function} ${e.status === 'timeout' ? 'times out' : 'fails'}: so does the invocation waiting for it`;
    case 'call-abandoned':
      return `the caller times out while it waits for ${e.function}, which runs on`;
    case 'end':
      return e.outcome === 'finished' ? "the request's last message is done: it finished" : `the request's last message is done; it lost one (${e.outcome})`;
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
