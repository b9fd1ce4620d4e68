/**
 * The `trace` entry of a workload's `arrivals` (issue 9): a CSV trace replayed
 * as the workload's requests (src/models/sync/trace-replay.ts). The schema parses the
 * block; {@link resolveTrace} fills in what depends on the workload and the
 * scenario file (rule targets, the file's location), and {@link checkTraceFile}
 * opens the file at load time so `lsim validate` finds a missing file, an empty
 * one or a missing column before any run.
 */
import { isAbsolute, join, dirname } from 'node:path';
import { z } from 'zod';
import { UserError, type Problem } from '../../errors.js';
import type { TraceFileRef, TraceFunctionRule, TraceSourceSpec } from './types.js';
import { accepts, count, didYouMean, durationMs, positiveDuration, sizeMb, strictObject, timeOfDayMs, type Ctx } from '../../scenario/fields.js';
import { autoForm, openRows, readHeader, timestampIn } from './trace-replay.js';
import { ISO_EXAMPLE, type IsoTime } from '../../workload/iso-time.js';

/** Defaults of the `trace` block. */
export const traceDefaults = {
  format: 'requests',
  timestamps: 'auto',
  // CloudWatch's finest standard period for Lambda metrics, and the Azure trace's bin.
  intervalMs: 60_000,
  spread: 'uniform',
  // docs/sources.md §3, §8: 6 MB request payload for sync invocation (taken as 6 × 2^20 bytes).
  maxPayloadMb: 6,
  // The most copies of one traced request `scale` sends: they all arrive at the row's instant, and a
  // run takes at most TRACE_INSTANT_LIMIT (10 M) requests at one instant (trace-replay.ts).
  maxScale: 1_000_000,
  columns: {
    requests: { timestamp: 'timestamp', function: 'function', duration: 'duration_ms', payload: 'payload_bytes', error: 'error', count: 'invocations' },
    'per-minute': { timestamp: 'timestamp', function: 'function', duration: 'duration_ms', payload: 'payload_bytes', error: 'error', count: 'invocations' },
    azure: { timestamp: 'timestamp', function: 'HashFunction', duration: 'duration_ms', payload: 'payload_bytes', error: 'error', count: 'invocations' },
  },
} as const;

/** A speed-up or multiplier: a number > 0 or text like "10x" / "0.5x". */
const FACTOR = /^\s*\d+(\.\d+)?\s*[xX]?\s*$/;
const factorOf = (max: number, why: string) =>
  accepts(
    z.unknown().transform((v, ctx: Ctx) => {
      const n = typeof v === 'number' ? v : typeof v === 'string' && FACTOR.test(v) ? parseFloat(v) : NaN;
      if (n > 0 && Number.isFinite(n) && n <= max) return n;
      if (n > max && Number.isFinite(max)) {
        ctx.addIssue({ code: 'custom', message: `expected a factor greater than 0 and at most ${max.toLocaleString('en-US')}x (${why}), got ${JSON.stringify(v)}` });
        return z.NEVER;
      }
      ctx.addIssue({ code: 'custom', message: `expected a factor greater than 0 like 10x or 0.5x, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }),
    { anyOf: [{ type: 'number', exclusiveMinimum: 0, ...(Number.isFinite(max) ? { maximum: max } : {}) }, { type: 'string', pattern: FACTOR.source }] },
  );
const factor = factorOf(Infinity, '');

const ruleSchema = z.lazy(() =>
  strictObject({
    name: z.string().min(1).optional(),
    pattern: z.string().min(1).optional(),
    top: count(1).optional(),
    to: z.string().min(1).optional(),
  }).transform((r, ctx) => {
    const given = (['name', 'pattern', 'top'] as const).filter((k) => r[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', message: `a rule needs exactly one of name, pattern, top; got ${given.length ? given.join(', ') : 'none'}` });
      return z.NEVER;
    }
    return r;
  }),
);

const columnsSchema = z.lazy(() =>
  strictObject({
    timestamp: z.string().min(1).optional(),
    function: z.string().min(1).optional(),
    duration: z.string().min(1).optional(),
    payload: z.string().min(1).optional(),
    error: z.string().min(1).optional(),
    count: z.string().min(1).optional(),
  }),
);

export const traceBlockSchema = z.lazy(() =>
  strictObject({
    file: z.string().min(1),
    format: z.enum(['requests', 'per-minute', 'azure']).default(traceDefaults.format),
    durations: z.string().min(1).optional(),
    columns: columnsSchema.optional(),
    timestamps: z.enum(['auto', 'iso', 's', 'ms']).default(traceDefaults.timestamps),
    interval: positiveDuration.optional(),
    spread: z.enum(['uniform', 'poisson']).optional(),
    speed: factor.default(1),
    scale: factorOf(traceDefaults.maxScale, 'the copies of a traced request share its instant').default(1),
    window: strictObject({ from: durationMs().default(0), for: positiveDuration.optional() }).optional(),
    origin: z.union([z.string(), z.number()]).optional(),
    at: timeOfDayMs().default(0),
    functions: z.array(ruleSchema).optional(),
    skipBadRows: z.boolean().default(false),
    maxPayload: sizeMb({ above: 0 }).default(traceDefaults.maxPayloadMb),
  }),
);

export type TraceBlock = z.output<typeof traceBlockSchema>;

/** A problem at a key under the trace block (path relative to it). */
export interface TraceKeyProblem {
  key: (string | number)[];
  message: string;
  at?: 'key' | 'value';
}

/** A trace file path as the user sees it: relative to the scenario file's folder. */
export function traceFileRef(file: string, scenarioFile: string | undefined, key: string): TraceFileRef {
  const path = isAbsolute(file) || scenarioFile === undefined ? file : join(dirname(scenarioFile), file);
  return { asWritten: file, file: path, path, key };
}

/**
 * The resolved trace source of a workload calling `workloadFunction`; problems
 * (relative to the block) for what the schema alone cannot check.
 */
export function resolveTrace(
  b: TraceBlock,
  workloadFunction: string,
  functionNames: readonly string[] | undefined,
  scenarioFile: string | undefined,
  keyOf: (sub: (string | number)[]) => string,
): { spec: TraceSourceSpec; problems: TraceKeyProblem[] } {
  const problems: TraceKeyProblem[] = [];
  if (b.format === 'requests') {
    if (b.interval !== undefined) problems.push({ key: ['interval'], message: '"interval" goes only with format per-minute or azure', at: 'key' });
    if (b.spread !== undefined) problems.push({ key: ['spread'], message: '"spread" goes only with format per-minute or azure', at: 'key' });
  }
  if (b.durations !== undefined && b.format !== 'azure') {
    problems.push({ key: ['durations'], message: '"durations" (the Azure duration-percentile file) goes only with format azure', at: 'key' });
  }
  const functions: TraceFunctionRule[] = (b.functions ?? []).map((r, i) => {
    const to = r.to ?? workloadFunction;
    if (functionNames && !functionNames.includes(to)) {
      const hint = didYouMean(to, functionNames) || `; the functions are ${functionNames.join(', ')}`;
      problems.push({ key: ['functions', i, 'to'], message: `no function named "${to}" in functions${hint}` });
    }
    if (r.name !== undefined) return { match: 'name', name: r.name, to };
    if (r.pattern !== undefined) return { match: 'pattern', pattern: r.pattern, to };
    return { match: 'top', n: r.top!, to };
  });
  let originMs: number | null = null;
  if (b.origin !== undefined) {
    const origin = originToMs(b.origin, b.timestamps);
    if (origin.problem !== undefined) {
      problems.push({ key: ['origin'], message: `${JSON.stringify(b.origin)} is not a valid time: ${origin.problem} (write it like the trace's timestamps)` });
      originMs = NaN;
    } else originMs = origin.ms;
  }
  const defaults = traceDefaults.columns[b.format];
  const spec: TraceSourceSpec = {
    ...traceFileRef(b.file, scenarioFile, keyOf(['file'])),
    format: b.format,
    durations: b.durations === undefined ? null : traceFileRef(b.durations, scenarioFile, keyOf(['durations'])),
    columns: { ...defaults, ...(b.columns ?? {}) },
    timestamps: b.timestamps,
    intervalMs: b.interval ?? traceDefaults.intervalMs,
    spread: b.spread ?? traceDefaults.spread,
    speed: b.speed,
    scale: b.scale,
    window: { fromMs: b.window?.from ?? 0, forMs: b.window?.for ?? null },
    originMs,
    atMs: b.at,
    functions,
    skipBadRows: b.skipBadRows,
    maxPayloadBytes: b.maxPayload * 1024 * 1024,
  };
  return { spec, problems };
}

/** An `origin` in the trace's own time (ms), read like its timestamps; or why it is not a time. */
function originToMs(v: string | number, form: TraceSourceSpec['timestamps']): IsoTime {
  const text = String(v);
  if (form === 'auto') return timestampIn(text, autoForm(text));
  if (form === 'iso' && typeof v === 'number') return { problem: `expected an ISO 8601 date and time with a zone, like ${ISO_EXAMPLE} (the trace's timestamps are iso)` };
  return timestampIn(text, form);
}

/**
 * Opens the trace (and its durations file) and reads the header: a missing or
 * unreadable file, an empty one or a missing column is a problem now, not in
 * the middle of a run. Rows are checked as they are replayed.
 */
export function checkTraceFile(spec: TraceSourceSpec): Problem[] {
  const problems: Problem[] = [];
  const check = (open: () => void) => {
    try {
      open();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(...e.problems);
    }
  };
  check(() => {
    const rows = openRows(spec);
    try {
      readHeader(spec, rows);
    } finally {
      rows.close();
    }
  });
  if (spec.durations) {
    const ref = spec.durations;
    check(() => openRows(ref).close());
  }
  return problems;
}

/** The JSON-schema descriptions of a trace entry's keys (src/scenario/json-schema.ts merges them). */
export const TRACE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'arrival.trace': 'Replay a CSV trace (sync workloads only; at most one per workload).',
  'arrival.trace.file': 'The trace file, relative to the scenario file\'s folder (required).',
  'arrival.trace.format': 'requests (a row per request; default), per-minute (a count per period) or azure (the Azure Functions 2019 trace).',
  'arrival.trace.durations': 'azure only: the function_durations_percentiles file.',
  'arrival.trace.columns': 'Header names of the columns, when not the defaults.',
  'arrival.trace.columns.timestamp': 'The timestamp column. Default timestamp.',
  'arrival.trace.columns.function': 'The function column. Default function (azure: HashFunction).',
  'arrival.trace.columns.duration': 'The handler duration column, in ms. Default duration_ms.',
  'arrival.trace.columns.payload': 'The payload size column, in bytes. Default payload_bytes.',
  'arrival.trace.columns.error': 'The error column (1/true/yes/error or 0/false/no/ok). Default error.',
  'arrival.trace.columns.count': 'per-minute: the count column. Default invocations.',
  'arrival.trace.timestamps': 'auto (default), iso, s or ms.',
  'arrival.trace.interval': 'per-minute and azure: the period of each count. Default 1m.',
  'arrival.trace.spread': 'per-minute and azure: uniform (default) or poisson within each period.',
  'arrival.trace.speed': 'Trace time runs this much faster, e.g. 10x. Default 1x.',
  'arrival.trace.scale': 'Each traced request is sent this many times on average, e.g. 2x. Default 1x; at most 1,000,000x.',
  'arrival.trace.window': 'The part replayed: { from, for }, from the origin. Default: the whole trace.',
  'arrival.trace.window.from': 'Start of the part replayed (a duration from the origin). Default 0s.',
  'arrival.trace.window.for': 'Length of the part replayed (a duration > 0). Default: to the end.',
  'arrival.trace.origin': 'The trace instant window.from counts from, written like the trace\'s timestamps. Default: the first row\'s.',
  'arrival.trace.at': 'The simulation instant at which the window starts: a duration or a clock time. Default 0s.',
  'arrival.trace.functions': 'Rules mapping trace functions to scenario functions, first match wins: [{ name | pattern | top, to }].',
  'arrival.trace.functions.name': 'A trace function\'s name.',
  'arrival.trace.functions.pattern': 'A glob of trace function names (*, ?).',
  'arrival.trace.functions.top': 'The n busiest trace functions not taken by an earlier rule.',
  'arrival.trace.functions.to': 'The scenario function. Default: the workload\'s.',
  'arrival.trace.skipBadRows': 'Skip and count unreadable or unsorted rows instead of stopping. Default false.',
  'arrival.trace.maxPayload': 'Requests with a larger payload are refused (413). Default 6MB.',
};
