/**
 * Synchronous invocation (RequestResponse), docs/sources.md §3 and §11 "Sync invocation and clients":
 * the caller waits for the function's answer; a throttle comes back as 429 and the caller's SDK
 * client retries it with backoff (its retry mode, retry quota and rate limiter, src/models/client.ts);
 * a function error or timeout comes back to the caller, who may give up first (client timeout) while
 * the function runs on and bills. No queue: what is refused is lost unless the client retries.
 * Arrivals may also be replayed from a trace file (issue 9: trace-block.ts, trace-replay.ts).
 */
import type { ServiceItem } from '../../billing/service-prices.js';
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
import { VIA_DESCRIPTIONS, viaSchema } from './front-door-block.js';
import { frontDoorResult } from './front-door.js';
import { describeDoorStep } from './front-door-text.js';

/** The service item each front door's requests bill (docs/billing.md "The rest of the bill"); SDK callers bill none. */
const DOOR_ITEMS: Readonly<Record<string, ServiceItem | undefined>> = {
  'apigw-rest': 'apigwRestRequests',
  'apigw-http': 'apigwHttpRequests',
  'function-url': 'functionUrlRequests',
};

export const syncModel: InvocationModel<SyncWorkloadSpec, SyncWorkloadResult> = {
  invoke: 'sync',
  about: 'callers wait for the answer (RequestResponse, e.g. an API behind API Gateway)',
  descriptions: TRACE_DESCRIPTIONS,
  // Issue 15: the front door (src/models/sync/front-door-block.ts).
  block: { key: 'via', schema: viaSchema, descriptions: VIA_DESCRIPTIONS },
  arrivalSource: { key: 'trace', schema: traceBlockSchema, what: 'trace replay' },

  resolve(d: WorkloadDraft, problems: Problems): SyncWorkloadSpec | undefined {
    const trace = resolveTraceArrivals(d.arrivalEntries, d.listed, d.path, d.base.functionName, d.functionNames, problems);
    let via: SyncWorkloadSpec['via'];
    if (d.value.via !== undefined) {
      via = problems.parse(viaSchema, d.value.via, [...d.path, 'via']);
      if (!via) return undefined;
      if (via.door !== 'sdk' && d.value.client !== undefined) {
        problems.add([...d.path, 'client'], `"client" belongs to via: sdk (the SDK's retry modes); the callers of via: ${via.door} set their own retries in via.caller`, 'key');
        return undefined;
      }
      if (via.door !== 'sdk') {
        // A traced payload is checked against the door's own limit (10 MB at API Gateway, 6 MB at a function URL).
        d.arrivalEntries.forEach((entry, j) => {
          const t = (entry as { trace?: unknown }).trace;
          if (t && typeof t === 'object' && 'maxPayload' in t) {
            problems.add([...d.path, 'arrivals', ...(d.listed ? [j] : []), 'trace', 'maxPayload'], `behind via: ${via!.door} the door's payload limit applies (docs/sources.md §3 "Front doors"); remove maxPayload`, 'key');
          }
        });
      } else via = undefined;
    }
    return { ...d.base, invoke: 'sync', client: d.client, ...(trace ? { trace } : {}), ...(via ? { via } : {}) };
  },

  checkAll(workloads, paths, problems) {
    // API Gateway's account-level throttle is one per account and Region (docs/sources.md §3 "Front doors"): every door that sets it agrees.
    let first = -1;
    workloads.forEach((w, i) => {
      const a = w.via?.account;
      if (!a) return;
      if (first < 0) {
        first = i;
        return;
      }
      const b = workloads[first].via!.account!;
      if (a.ratePerS !== b.ratePerS || a.burst !== b.burst) {
        problems.add([...paths[i], 'via', 'account'], `API Gateway's account-level throttle is one bucket per account and Region, shared by every REST and HTTP API: ${formatPath(paths[first])} sets ${b.ratePerS}/s, burst ${b.burst}; give every REST and HTTP API door the same account values (leaving it out means the default 10000/s, burst 5000)`, 'key');
      }
    });
  },

  // docs/billing.md "The rest of the bill": a front door's requests.
  services: (w) => {
    const item = w.via ? DOOR_ITEMS[w.via.door] : undefined;
    return item ? [{ key: ['via'], item }] : [];
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
        const door = sync.doorOfWorkload(w);
        door?.meters.usePart(ctx.parts);
        return () => {
          // docs/billing.md "The rest of the bill": the door's requests (a function URL's on a $0 line).
          const item = door ? DOOR_ITEMS[door.spec.door] : undefined;
          if (door && item) ctx.billService(w.name, item, door.meters.requestsByPart);
          return {
          result: { ...syncWorkloadResult(w.name, w.functionName, w.client, m), ...(traced ? { traceReplay: traced() } : {}), ...(door ? { frontDoor: frontDoorResult(door) } : {}) },
          series: {
            requests: Array.from(m.requestSeries.values),
            throttled: Array.from(m.throttledSeries.values),
            ...(door ? { gatewayThrottled: Array.from(door.meters.gatewayThrottledSeries.values), serverErrors: Array.from(door.meters.serverErrorSeries.values) } : {}),
          },
          };
        };
      },
      recordOpen: () => sync.recordOpen(),
    };
  },

  text: syncText,
  latency: (w) => w.latencyMs,
  // Every request ends answered (served), refused or failed (lost: throttled to the end, errors, timeouts), or still open
  // (in flight, or between a caller's retries: callers never queue, so there is no backlog).
  work: (w) => ({ offered: w.requests, served: w.succeeded, lost: w.requests - w.succeeded - w.openAtEnd, dlq: 0, queued: 0, inFlight: w.openAtEnd }),
  metrics: {
    gatewayThrottleRate: {
      unit: 'ratio',
      combine: 'max',
      describe: "front doors: attempts the API Gateway's own buckets refused (429) per attempt the door received",
      get: (w) => (w.frontDoor && w.frontDoor.doorRequests > 0 ? (w.frontDoor.gatewayThrottled.account + w.frontDoor.gatewayThrottled.stage) / w.frontDoor.doorRequests : null),
    },
    serverErrorRate: {
      unit: 'ratio',
      combine: 'max',
      describe: 'front doors: 5xx answers (Lambda throttles as 500, errors 502, timeouts 504) per attempt the door received',
      get: (w) => {
        const d = w.frontDoor;
        if (!d || d.doorRequests === 0) return null;
        return Object.entries(d.responses).reduce((a, [code, n]) => a + (code.startsWith('5') ? n : 0), 0) / d.doorRequests;
      },
    },
    workAfterTimeoutMs: { unit: 'ms', combine: 'sum', describe: 'front doors: function time spent on requests the gateway had already answered 504', get: (w) => (w.frontDoor ? w.frontDoor.afterTimeout.workMs : null) },
  },
  html: { cards: syncCards, charts: (w) => syncCharts(w) },
  summary: syncSummary,
  explain: { kind: '', from: 'end to end', reasons: false, describe: describeDoorStep },
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

