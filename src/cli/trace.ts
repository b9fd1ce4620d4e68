/**
 * `lsim trace generate`: writes a trace from a scenario's arrival processes, in
 * any format lsim replays (src/models/sync/trace-replay.ts), so examples and tests need
 * no downloaded data. Arrivals come from the very streams a run uses
 * (`wl/<workload>/arrivals/<segment>`), so a generated trace replays the
 * scenario's own arrivals: per-minute counts exactly, per-request instants to
 * the millisecond (ISO) or exactly (`--timestamps ms`).
 *
 * Output is streamed (requests and per-minute hold nothing but the current
 * minute; azure holds 1,440 counts per function) through src/report/write.ts
 * `StreamFile`: a temporary beside the target, every write's byte count checked,
 * renamed into place only when complete; on failure (or a signal) removed.
 */
import { checkWork, estimateWork } from '../sim/estimate.js';
import { basename, dirname, extname, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { stringify } from 'csv-stringify/sync';
import { UserError } from '../errors.js';
import { csvCell } from '../format.js';
import { StreamFile } from '../report/write.js';
import { RngStreams, type Rng } from '../engine/rng.js';
import type { Scenario } from '../models/index.js';
import { ArrivalStream } from '../workload/arrivals.js';
import { makeSampler, type Sampler } from '../workload/distributions.js';
import { AZURE_PERCENTILES } from '../models/sync/trace-replay.js';
import { parseIsoTime } from '../workload/iso-time.js';
import { loadForCli, resolveArg } from './input.js';
import type { CliIo } from './io.js';

export const TRACE_FORMATS = ['requests', 'per-minute', 'azure'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface GenerateOptions {
  format: TraceFormat;
  /** Output file; azure also writes `<name>.durations.csv` beside it. */
  out: string;
  /** Trace time of the simulation's instant 0 (ISO 8601 with a zone, src/workload/iso-time.ts; default 2024-01-01T00:00:00Z). */
  start?: string;
  /** requests: ISO 8601 (ms, rounded down) or epoch milliseconds (exact). */
  timestamps?: 'iso' | 'ms';
  /** requests: add a duration_ms column drawn from each function's distribution (stream `trace/<fn>/duration`). */
  durations?: boolean;
  /** requests: add an error column (1/0) drawn with each function's error rate at the instant (stream `trace/<fn>/errors`). */
  errors?: boolean;
}

const MINUTE_MS = 60_000;
/** The trace time of the simulation's instant 0 when `--start` is not given. */
const DEFAULT_START = '2024-01-01T00:00:00Z';
/** The end of 9999-12-31 UTC: the last instant with a four-digit year. */
const LAST_ISO_MS = Date.UTC(10000, 0, 1);
const AZURE_MINUTES = 1440;

/** A CSV line of fields (quoted where needed by csv-stringify; text a spreadsheet would run as a formula neutralised, src/format.ts `csvCell`). */
function csvLine(fields: (string | number)[]): string {
  return stringify([fields], { record_delimiter: 'unix', cast: { string: (v: string) => csvCell(v) } });
}

/** A trace file, written whole or not at all (src/report/write.ts `StreamFile`: byte counts checked, a temporary renamed into place). */
class AtomicFile extends StreamFile {
  constructor(readonly target: string) {
    super(target, '--out');
  }
}

/** The scenario's arrivals in time order, each with its workload's function. */
class MergedArrivals {
  private readonly streams: ArrivalStream[];
  private readonly pending: Float64Array;
  readonly fnOf: number[];
  /** The function of the arrival `next()` returned last. */
  fn = 0;
  constructor(scenario: Scenario, rng: RngStreams) {
    const workloads = scenario.workloads.filter((w) => w.arrivals.length > 0);
    this.streams = workloads.map((w) => new ArrivalStream(w.arrivals, (i) => rng.stream(`wl/${w.name}/arrivals/${i}`)));
    this.fnOf = workloads.map((w) => scenario.functions.findIndex((f) => f.name === w.functionName));
    this.pending = Float64Array.from(this.streams, (s) => s.next());
  }
  /** The next arrival in ms (ties: the earlier workload), Infinity at the end. */
  next(): number {
    const p = this.pending;
    let best = -1;
    for (let i = 0; i < p.length; i++) if (best < 0 || p[i] < p[best]) best = i;
    if (best < 0 || p[best] === Infinity) return Infinity;
    const t = p[best];
    p[best] = this.streams[best].next();
    this.fn = this.fnOf[best];
    return t;
  }
}

/**
 * Writes the trace of `scenario` in `options.format`; returns the files written
 * and the number of requests. Nothing is left behind on failure.
 */
export function generateTrace(scenario: Scenario, options: GenerateOptions): { files: string[]; requests: number } {
  const start = parseIsoTime(options.start ?? DEFAULT_START);
  if (start.problem !== undefined) throw new UserError(`--start: ${JSON.stringify(options.start)} is not a valid time: ${start.problem}`);
  const startMs = start.ms;
  // ISO 8601 has four-digit years: a trace past 9999 could not be written in it (nor replayed).
  if (startMs + scenario.durationMs > LAST_ISO_MS) {
    throw new UserError(`--start: ${JSON.stringify(options.start)} is too late: the scenario's ${scenario.durationMs / MINUTE_MS} minutes from it run past the year 9999`);
  }
  if (options.format === 'azure' && scenario.durationMs > AZURE_MINUTES * MINUTE_MS) {
    throw new UserError(`an azure trace covers one day (1,440 minutes); the scenario runs ${scenario.durationMs / MINUTE_MS} minutes`);
  }
  const rng = new RngStreams(scenario.seed);
  const arrivals = new MergedArrivals(scenario, rng);
  const names = scenario.functions.map((f) => csvLine([f.name]).trimEnd());
  const files: AtomicFile[] = [];
  try {
    const out = new AtomicFile(options.out);
    files.push(out);
    let requests = 0;
    if (options.format === 'requests') requests = writeRequests(out, arrivals, scenario, names, startMs, options, rng);
    else if (options.format === 'per-minute') requests = writePerMinute(out, arrivals, scenario, names, startMs);
    else {
      const durationsFile = new AtomicFile(azureDurationsPath(options.out));
      files.push(durationsFile);
      requests = writeAzure(out, durationsFile, arrivals, scenario);
    }
    for (const f of files) f.close();
    for (const f of files) f.commit();
    return { files: files.map((f) => f.target), requests };
  } catch (e) {
    for (const f of files) f.abort();
    throw e;
  }
}

/** `x.csv` → `x.durations.csv`. */
export function azureDurationsPath(out: string): string {
  const ext = extname(out);
  return join(dirname(out), `${basename(out, ext)}.durations${ext || '.csv'}`);
}

function writeRequests(
  out: AtomicFile,
  arrivals: MergedArrivals,
  scenario: Scenario,
  names: string[],
  startMs: number,
  options: GenerateOptions,
  rng: RngStreams,
): number {
  const withDurations = options.durations === true;
  const withErrors = options.errors === true;
  const errorRngs: Rng[] = scenario.functions.map((f) => rng.stream(`trace/${f.name}/errors`));
  const errorRate = (fn: number, t: number) => {
    const e = scenario.functions[fn].errors;
    const w = e.windows.find((x) => t >= x.startMs && t < x.endMs);
    return w ? w.rate : e.rate;
  };
  const iso = (options.timestamps ?? 'iso') === 'iso';
  const samplers: Sampler[] = scenario.functions.map((f) => makeSampler(f.duration));
  const rngs: Rng[] = scenario.functions.map((f) => rng.stream(`trace/${f.name}/duration`));
  out.write(csvLine(['timestamp', 'function', ...(withDurations ? ['duration_ms'] : []), ...(withErrors ? ['error'] : [])]));
  let n = 0;
  for (let t = arrivals.next(); t !== Infinity; t = arrivals.next()) {
    const fn = arrivals.fn;
    // ISO keeps milliseconds: rounding down never moves a request into the next minute.
    const stamp = iso ? new Date(startMs + Math.floor(t)).toISOString() : String(startMs + t);
    let line = `${stamp},${names[fn]}`;
    if (withDurations) line += `,${Math.round(samplers[fn].sample(rngs[fn]) * 1000) / 1000}`;
    if (withErrors) line += errorRngs[fn].next() < errorRate(fn, t) ? ',1' : ',0';
    out.write(line + '\n');
    n++;
  }
  return n;
}

function writePerMinute(out: AtomicFile, arrivals: MergedArrivals, scenario: Scenario, names: string[], startMs: number): number {
  out.write(csvLine(['timestamp', 'function', 'invocations']));
  const used = new Set(arrivals.fnOf);
  const fns = scenario.functions.map((_, i) => i).filter((i) => used.has(i));
  const counts = new Float64Array(scenario.functions.length);
  const minutes = Math.ceil(scenario.durationMs / MINUTE_MS);
  let t = arrivals.next();
  let n = 0;
  for (let m = 0; m < minutes; m++) {
    counts.fill(0);
    const end = (m + 1) * MINUTE_MS;
    for (; t < end; t = arrivals.next()) {
      counts[arrivals.fn]++;
      n++;
    }
    const stamp = new Date(startMs + m * MINUTE_MS).toISOString();
    for (const f of fns) out.write(`${stamp},${names[f]},${counts[f]}\n`);
  }
  return n;
}

function writeAzure(out: AtomicFile, durations: AtomicFile, arrivals: MergedArrivals, scenario: Scenario): number {
  const used = new Set(arrivals.fnOf);
  const fns = scenario.functions.map((_, i) => i).filter((i) => used.has(i));
  const counts = scenario.functions.map(() => new Uint32Array(AZURE_MINUTES));
  let n = 0;
  for (let t = arrivals.next(); t !== Infinity; t = arrivals.next()) {
    counts[arrivals.fn][Math.floor(t / MINUTE_MS)]++;
    n++;
  }
  const minuteCols = Array.from({ length: AZURE_MINUTES }, (_, i) => String(i + 1));
  out.write(csvLine(['HashOwner', 'HashApp', 'HashFunction', 'Trigger', ...minuteCols]));
  for (const f of fns) out.write(csvLine(['lsim', scenario.name, scenario.functions[f].name, 'http', ...Array.from(counts[f])]));
  // The duration-percentile file, from each function's distribution (no draws): p0 and p100
  // stand for the smallest and largest of `count` values, at 0.5/count and 1 − 0.5/count.
  durations.write(
    csvLine(['HashOwner', 'HashApp', 'HashFunction', 'Average', 'Count', 'Minimum', 'Maximum', ...AZURE_PERCENTILES.map(([c]) => c)]),
  );
  for (const f of fns) {
    const s = makeSampler(scenario.functions[f].duration);
    const count = counts[f].reduce((a, b) => a + b, 0);
    const edge = count > 0 ? 0.5 / count : 0.5;
    const q = (p: number) => round3(s.quantile(p === 0 ? edge : p === 1 ? 1 - edge : p));
    const values = AZURE_PERCENTILES.map(([, p]) => q(p));
    durations.write(csvLine(['lsim', scenario.name, scenario.functions[f].name, round3(s.mean), count, values[0], values[values.length - 1], ...values]));
  }
  return n;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** `lsim trace generate <scenario> --format … --out file.csv`. */
export function traceCommand(io: CliIo): CommandModule {
  return {
    command: 'trace <action> <scenario>',
    describe: "Trace tools: 'generate' writes a trace from a scenario's arrival processes",
    builder: (y: Argv) =>
      y
        .positional('action', { choices: ['generate'] as const, demandOption: true })
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file, or - for standard input' })
        .option('format', { alias: 'f', choices: TRACE_FORMATS, default: 'requests' as TraceFormat, describe: 'trace format' })
        .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'CSV file to write (azure also writes <name>.durations.csv)' })
        .option('seed', { type: 'string', describe: "override the scenario's seed" })
        .option('start', { type: 'string', describe: 'trace time of the simulation start (ISO 8601 with a zone, default 2024-01-01T00:00:00Z)' })
        .option('timestamps', { choices: ['iso', 'ms'] as const, default: 'iso' as const, describe: 'requests: ISO 8601 (ms) or epoch ms (exact)' })
        .option('durations', { type: 'boolean', default: false, describe: "requests: add a duration_ms column drawn from each function's distribution" })
        .option('errors', { type: 'boolean', default: false, describe: "requests: add an error column drawn with each function's error rate" })
        .option('allow-large', { type: 'boolean', describe: 'write even when the trace is estimated above the request limit (docs/scenario-reference.md)' }),
    handler: async (args) => {
      const a = args as unknown as {
        scenario: string;
        format: TraceFormat;
        out: string;
        seed?: string;
        start?: string;
        timestamps: 'iso' | 'ms';
        durations: boolean;
        errors: boolean;
        allowLarge?: boolean;
      };
      if (a.out === '') throw new UserError('--out: the path is empty; give a file name');
      const scenario = await loadForCli(io, a.scenario, [], a.seed);
      checkWork(scenario.file, [estimateWork(scenario)], a.allowLarge === true);
      const { files, requests } = generateTrace(scenario, {
        format: a.format,
        out: resolveArg(io, a.out),
        start: a.start,
        timestamps: a.timestamps,
        durations: a.durations,
        errors: a.errors,
      });
      io.stderr.write(`lsim: wrote ${files.join(', ')} (${requests.toLocaleString('en-US')} requests)\n`);
    },
  };
}
