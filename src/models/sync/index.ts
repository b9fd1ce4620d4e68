/**
 * Synchronous invocation (RequestResponse), docs/sources.md §3 and §11 "Sync invocation and clients":
 * the caller waits for the function's answer; a throttle comes back as 429 and the caller's SDK
 * client retries it with backoff (its retry mode, retry quota and rate limiter, src/models/client.ts);
 * a function error or timeout comes back to the caller, who may give up first (client timeout) while
 * the function runs on and bills. No queue: what is refused is lost unless the client retries.
 * Arrivals may also be replayed from a trace file (issue 9: trace-block.ts, trace-replay.ts).
 */
import { syncCards, syncCharts, syncSummary } from './html.js';
import type { InvocationModel, Problems, WorkloadDraft } from '../model.js';
import type { Path } from '../../scenario/fields.js';
import { formatPath } from '../../scenario/fields.js';
import { WorkloadMeters } from './meters.js';
import { SyncInvoker } from './invoker.js';
import { syncWorkloadResult } from './result.js';
import { syncText } from './text.js';
import { checkTraceFile, resolveTrace, traceBlockSchema, TRACE_DESCRIPTIONS } from './trace-block.js';
import type { SyncWorkloadResult, SyncWorkloadSpec, TraceSourceSpec } from './types.js';

export const syncModel: InvocationModel<SyncWorkloadSpec, SyncWorkloadResult> = {
  invoke: 'sync',
  about: 'callers wait for the answer (RequestResponse, e.g. an API behind API Gateway)',
  descriptions: TRACE_DESCRIPTIONS,
  arrivalSource: { key: 'trace', schema: traceBlockSchema, what: 'trace replay' },

  resolve(d: WorkloadDraft, problems: Problems): SyncWorkloadSpec | undefined {
    const trace = resolveTraceArrivals(d.arrivalEntries, d.listed, d.path, d.base.functionName, d.functionNames, problems);
    return { ...d.base, invoke: 'sync', client: d.client, ...(trace ? { trace } : {}) };
  },

  start(ctx) {
    const sync = new SyncInvoker(ctx.sim, ctx.platform, ctx.rng);
    sync.trace = ctx.trace;
    sync.records = ctx.records;
    sync.pipe = ctx.pipeline;
    const { intervalMs } = ctx.scenario.report;
    const { durationMs, warmupMs } = ctx.scenario;
    return {
      add(w, fnIndex) {
        const m = new WorkloadMeters(intervalMs, durationMs, warmupMs);
        // Issue 9: requests may also come from a trace file (trace-replay.ts).
        const traced = w.trace ? sync.addTraced({ ...w, trace: w.trace }, fnIndex, m, durationMs, ctx.functionIndex) : (sync.add(w, fnIndex, m), null);
        return () => ({
          result: { ...syncWorkloadResult(w.name, w.functionName, w.client, m), ...(traced ? { traceReplay: traced() } : {}) },
          series: { requests: Array.from(m.requestSeries.values), throttled: Array.from(m.throttledSeries.values) },
        });
      },
      recordOpen: () => sync.recordOpen(),
    };
  },

  text: syncText,
  latency: (w) => w.latencyMs,
  // Every request ends answered (served), refused or failed (lost: throttled to the end, errors, timeouts), or still open
  // (in flight, or between a caller's retries: callers never queue, so there is no backlog).
  work: (w) => ({ offered: w.requests, served: w.succeeded, lost: w.requests - w.succeeded - w.openAtEnd, dlq: 0, queued: 0, inFlight: w.openAtEnd }),
  html: { cards: syncCards, charts: () => syncCharts() },
  summary: syncSummary,
  explain: { kind: '', from: 'end to end', reasons: false },
  init: {
    fn: 'api',
    workload: 'web',
    block: `    client:                          # the SDK client of the callers
      retries: standard                # or none
      maxAttempts: 3                   # including the first
      timeout: 30s                     # the caller gives up after this; "off" waits forever
`,
  },
};

/**
 * The trace entry of a sync workload's `arrivals` (issue 9, src/models/sync/trace-block.ts):
 * at most one; its file is opened and its header checked now. Trace entries of
 * other invocation models are refused by the loader (src/scenario/load.ts).
 */
function resolveTraceArrivals(
  entries: readonly object[],
  listed: boolean,
  path: Path,
  workloadFunction: string,
  functionNames: readonly string[] | undefined,
  problems: Problems,
): TraceSourceSpec | undefined {
  let found: TraceSourceSpec | undefined;
  entries.forEach((entry, j) => {
    if (!('trace' in entry)) return;
    const at = listed ? [...path, 'arrivals', j, 'trace'] : [...path, 'arrivals', 'trace'];
    if (found) {
      problems.add(at, 'a workload replays at most one trace; give each trace its own workload', 'key');
      return;
    }
    const block = problems.parse(traceBlockSchema, entry.trace, at);
    if (!block) return;
    const { spec, problems: keyProblems } = resolveTrace(block, workloadFunction, functionNames, problems.file, (sub) => formatPath([...at, ...sub]));
    for (const p of keyProblems) problems.add([...at, ...p.key], p.message, p.at ?? 'value');
    if (keyProblems.length) return;
    const fileProblems = checkTraceFile(spec);
    for (const p of fileProblems) {
      // A file that cannot be opened is located at the scenario key; a bad header in the trace file.
      if (p.line === undefined) problems.add([...at, p.path === spec.durations?.key ? 'durations' : 'file'], `${p.file}: ${p.message}`);
      else problems.list.push(p);
    }
    if (fileProblems.length === 0) found = spec;
  });
  return found;
}

