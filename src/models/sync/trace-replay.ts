/**
 * Trace replay: the arrivals of a sync workload read from a CSV trace, streamed
 * (src/workload/csv-rows.ts), so memory does not grow with the trace's length.
 *
 * Formats (docs/model.md "Trace-driven workloads"):
 * - `requests`: one row per request: timestamp, and optionally function, handler
 *   duration (ms), payload size (bytes) and an error flag;
 * - `per-minute`: one row per period (and function) with an invocation count, as
 *   CloudWatch exports the `Invocations` metric;
 * - `azure`: the Azure Functions public trace (Shahrad et al., ATC 2020): one row
 *   per function with per-minute count columns `1`…`1440`, and optionally its
 *   duration-percentile file, turned into an empirical distribution per function.
 *
 * A period's count is placed inside the period `uniform`ly (the k-th of n at
 * (k + ½)/n of it) or as a `poisson` process conditioned on the count (n sorted
 * uniforms, generated in order by the order-statistics recursion
 * x ← x + (1 − x)(1 − U^{1/m}) with m still to place), so replaying a per-minute
 * trace reproduces its counts exactly. Trace time maps to simulation time as
 * t = at + (trace − origin − window.from) / speed; `scale` sends each traced
 * request floor(scale + carry) times, carrying the fraction.
 *
 * Random draws come from the workload's own streams: `wl/<w>/trace/spread` and
 * `wl/<w>/trace/durations`.
 *
 * Function names are read as lsim writes them (`lsim trace generate` neutralises
 * formula injection, src/format.ts `csvCell`): a name cell of a quote before `=`,
 * `+`, `-`, `@`, a tab or a carriage return loses that one quote (`csvCellValue`).
 */
import { UserError } from '../../errors.js';
import { csvCellValue } from '../../format.js';
import type { Rng, RngStreams } from '../../engine/rng.js';
import { InvokeFlags } from '../../platform/platform.js';
import type { TraceFileRef, TraceFunctionRule, TraceSourceSpec } from './types.js';
import { CsvRows, TraceFileError } from '../../workload/csv-rows.js';
import { parseIsoTime, type IsoTime } from '../../workload/iso-time.js';

/**
 * The most requests a replay sends at one simulated instant (a row's copies under `scale` share its
 * instant, as do rows with equal timestamps): half the simulator's stall guard (src/engine/simulator.ts
 * STALL_LIMIT, 20 M events in a row at one instant), so a trace that asks for more is refused as such.
 */
export const TRACE_INSTANT_LIMIT = 10_000_000;

/** What a replay read and sent (counts over the whole run, warm-up included). */
export interface TraceStats {
  /** Data rows read (not counting the header). */
  rows: number;
  /** Rows skipped as unreadable (`skipBadRows`), and the first of them. */
  badRows: number;
  firstBadRow: { line: number; message: string } | null;
  /** Requests the trace holds in the window for mapped functions (before `scale`). */
  traced: number;
  /** Requests sent (after `scale`). */
  sent: number;
  /** Requests of trace functions no rule maps (not sent). */
  unmapped: number;
  /** Requests sent with a handler duration from the trace (its column or the Azure percentiles). */
  durationsFromTrace: number;
}

/** Header names, lower-cased, to column indexes. */
function headerIndex(header: string[]): Map<string, number> {
  const m = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

/**
 * A column lsim reads that the header names twice (names match ignoring case): which one holds the
 * data is anyone's guess, so it is a problem, not the first silently. Other columns may repeat.
 */
function duplicateColumn(header: string[], read: readonly string[]): string | null {
  const positions = new Map<string, number[]>();
  header.forEach((h, i) => {
    const k = h.toLowerCase();
    const at = positions.get(k);
    if (at) at.push(i + 1);
    else positions.set(k, [i + 1]);
  });
  for (const name of read) {
    const at = positions.get(name.toLowerCase()) ?? [];
    if (at.length > 1) {
      const spelt = [...new Set(at.map((i) => header[i - 1]))];
      return (
        `the header names the column ${cellText(name)} ${at.length === 2 ? 'twice' : `${at.length} times`} (columns ${at.join(', ').replace(/, (\d+)$/, ' and $1')}` +
        `${spelt.length > 1 ? `: ${spelt.map(cellText).join(', ')}, matched ignoring case` : ''}); rename or remove all but one`
      );
    }
  }
  return null;
}

/** A located, user-facing problem in a trace file. */
export function traceError(ref: TraceFileRef, line: number | undefined, message: string): UserError {
  return new UserError([{ file: ref.file, line, path: ref.key, message }]);
}

/** Opens a trace file for reading rows, turning file problems into located errors. */
export function openRows(ref: TraceFileRef): CsvRows {
  try {
    return new CsvRows(ref.path);
  } catch (e) {
    if (e instanceof TraceFileError) throw traceError(ref, e.line, e.message);
    throw e;
  }
}

/** Advances `rows`, turning CSV syntax problems into located errors. */
function advance(rows: CsvRows, ref: TraceFileRef): boolean {
  try {
    return rows.next();
  } catch (e) {
    if (e instanceof TraceFileError) throw traceError(ref, e.line, e.message);
    throw e;
  }
}

/** The columns a format needs, located in the header; throws a located error naming what is missing. */
export interface TraceColumns {
  timestamp: number;
  function: number;
  duration: number;
  payload: number;
  error: number;
  count: number;
  /** azure: the column of minute m + 1 for m = 0…minutes − 1. */
  minutes: number[];
}

/**
 * Reads the header row of `spec`'s file and finds its columns.
 * @throws UserError (file, line 1, scenario key) for an empty file or a missing column.
 */
export function readHeader(spec: TraceSourceSpec, rows: CsvRows): TraceColumns {
  if (!advance(rows, spec)) throw traceError(spec, 1, 'the trace file is empty: expected a header row naming its columns');
  const header = rows.row;
  const at = headerIndex(header);
  const c = spec.columns;
  const find = (name: string) => at.get(name.toLowerCase()) ?? -1;
  const cols: TraceColumns = {
    timestamp: find(c.timestamp),
    function: find(c.function),
    duration: find(c.duration),
    payload: find(c.payload),
    error: find(c.error),
    count: find(c.count),
    minutes: [],
  };
  const need: string[] = [];
  const has = header.map(cellText).join(', ');
  if (spec.format === 'azure') {
    if (cols.function < 0) need.push(c.function);
    for (let m = 1; ; m++) {
      const i = at.get(String(m));
      if (i === undefined) break;
      cols.minutes.push(i);
    }
    if (cols.minutes.length === 0) need.push('1 (the first minute column)');
  } else {
    if (cols.timestamp < 0) need.push(c.timestamp);
    if (spec.format === 'per-minute' && cols.count < 0) need.push(c.count);
    if (spec.functions.length > 0 && cols.function < 0) need.push(`${c.function} (the rules under "functions" match it)`);
  }
  const read =
    spec.format === 'azure'
      ? [c.function, ...cols.minutes.map((_, m) => String(m + 1))]
      : spec.format === 'per-minute'
        ? [c.timestamp, c.function, c.count]
        : [c.timestamp, c.function, c.duration, c.payload, c.error];
  const twice = duplicateColumn(header, read);
  if (twice !== null) throw traceError(spec, rows.line, twice);
  if (need.length) {
    throw traceError(
      spec,
      rows.line,
      `the header has no column ${need.map((n) => `"${n.replace(/ \(.*$/, '')}"${/ \(/.test(n) ? n.slice(n.indexOf(' ')) : ''}`).join(', ')}; ` +
        `its columns are ${has} (rename with "columns" in the scenario)`,
    );
  }
  return cols;
}

/** A non-negative finite number, or NaN. Empty text is NaN. */
function nonNegative(text: string): number {
  if (text === '') return NaN;
  const v = Number(text);
  return v >= 0 && Number.isFinite(v) ? v : NaN;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The largest epoch time in ms, either way (JavaScript's range of dates: ±273,790 years). */
const MAX_TIME_MS = 8.64e15;

/**
 * A timestamp's ms in one form, or why it is not one (a phrase after "is not a valid time: "):
 * `iso`, an ISO 8601 date and time with a zone (src/workload/iso-time.ts); `s` and `ms`, a finite
 * number within JavaScript's range of dates.
 */
export function timestampIn(text: string, form: 'iso' | 's' | 'ms'): IsoTime {
  if (form === 'iso') return parseIsoTime(text);
  const unit = form === 's' ? 'seconds' : 'milliseconds';
  if (!NUMERIC.test(text)) return { problem: `expected a number of ${unit}` };
  const ms = form === 's' ? Number(text) * 1000 : Number(text);
  if (!(Math.abs(ms) <= MAX_TIME_MS)) return { problem: `a number of ${unit} must be finite and within ±${(form === 's' ? MAX_TIME_MS / 1000 : MAX_TIME_MS).toLocaleString('en-US')} (±273,790 years, the range of dates)` };
  return { ms };
}

/** The form `auto` takes for `text`: a number ≥ 1e11 is epoch ms (1e11 s would be the year 5138), a smaller one seconds, anything else ISO. */
export function autoForm(text: string): 'iso' | 's' | 'ms' {
  return NUMERIC.test(text) ? (Number(text) >= 1e11 ? 'ms' : 's') : 'iso';
}

/** Parses timestamps in one declared (or once detected) form. */
class Timestamps {
  private form: 'iso' | 's' | 'ms' | 'auto';
  /** Why the last timestamp that parsed to NaN is not a time. */
  problem = '';
  constructor(form: TraceSourceSpec['timestamps']) {
    this.form = form;
  }
  /** ms in the trace's own time, or NaN (and `problem` says why). */
  parse(text: string): number {
    // Decided once, on the first timestamp.
    if (this.form === 'auto') this.form = autoForm(text);
    const t = timestampIn(text, this.form);
    if (t.problem !== undefined) {
      this.problem = t.problem;
      return NaN;
    }
    return t.ms;
  }
}

/** A cell quoted for a message, cut to its first 60 characters. */
export function cellText(text: string): string {
  return text.length <= 60 ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, 60))}… (${text.length.toLocaleString('en-US')} characters)`;
}

/** Glob to RegExp: `*` any run, `?` one character, everything else literal. */
function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Trace function name → scenario function index (−1: not mapped), by the
 * first matching rule; no rules send everything to the workload's function.
 */
class FunctionMap {
  private readonly memo = new Map<string, number>();
  private readonly matchers: ((name: string) => boolean)[];
  private readonly targets: number[];
  mapped = 0;
  constructor(
    rules: TraceFunctionRule[],
    fnIndexOf: (name: string) => number,
    private readonly defaultFn: number,
    /** Invocations per trace function, for `top` rules (null when no rule needs it). */
    counts: Map<string, number> | null,
  ) {
    this.matchers = [];
    this.targets = [];
    const taken = new Set<string>();
    const names = counts ? [...counts.keys()] : [];
    for (const rule of rules) {
      this.targets.push(fnIndexOf(rule.to));
      if (rule.match === 'name') {
        const name = rule.name;
        this.matchers.push((n) => n === name);
        taken.add(name);
      } else if (rule.match === 'pattern') {
        const re = globRegExp(rule.pattern);
        this.matchers.push((n) => re.test(n));
        for (const n of names) if (re.test(n)) taken.add(n);
      } else {
        // The n busiest not taken by an earlier rule; ties by name, for determinism.
        const ranked = names
          .filter((n) => !taken.has(n))
          .sort((a, b) => counts!.get(b)! - counts!.get(a)! || (a < b ? -1 : a > b ? 1 : 0))
          .slice(0, rule.n);
        const chosen = new Set(ranked);
        for (const n of ranked) taken.add(n);
        this.matchers.push((n) => chosen.has(n));
      }
    }
  }
  /** The scenario function of trace function `name`, or −1. */
  of(name: string): number {
    if (this.matchers.length === 0) return this.defaultFn;
    let fn = this.memo.get(name);
    if (fn === undefined) {
      fn = -1;
      for (let i = 0; i < this.matchers.length; i++) {
        if (this.matchers[i](name)) {
          fn = this.targets[i];
          break;
        }
      }
      this.memo.set(name, fn);
      if (fn >= 0) this.mapped++;
    }
    return fn;
  }
}

/**
 * A piecewise-linear inverse CDF through (p, value) points: the Azure trace's
 * duration percentiles (0, 1, 25, 50, 75, 99, 100) as an empirical
 * distribution. Values are made non-decreasing (the published percentiles are
 * averages over days and can cross). One uniform per draw.
 */
export class PercentileSampler {
  private readonly p: Float64Array;
  private readonly v: Float64Array;
  constructor(points: readonly (readonly [number, number])[]) {
    this.p = Float64Array.from(points, (x) => x[0]);
    this.v = Float64Array.from(points, (x) => x[1]);
    for (let i = 1; i < this.v.length; i++) if (this.v[i] < this.v[i - 1]) this.v[i] = this.v[i - 1];
  }
  quantile(u: number): number {
    const p = this.p;
    const v = this.v;
    if (u <= p[0]) return v[0];
    for (let i = 1; i < p.length; i++) {
      if (u <= p[i]) return v[i - 1] + ((v[i] - v[i - 1]) * (u - p[i - 1])) / (p[i] - p[i - 1]);
    }
    return v[v.length - 1];
  }
  sample(rng: Rng): number {
    return this.quantile(rng.double());
  }
}

/** The Azure duration-percentile columns and their probabilities. */
export const AZURE_PERCENTILES: readonly (readonly [string, number])[] = [
  ['percentile_Average_0', 0],
  ['percentile_Average_1', 0.01],
  ['percentile_Average_25', 0.25],
  ['percentile_Average_50', 0.5],
  ['percentile_Average_75', 0.75],
  ['percentile_Average_99', 0.99],
  ['percentile_Average_100', 1],
];

/** Reads the Azure duration-percentile file: a sampler per function the map keeps. */
function readAzureDurations(ref: TraceFileRef, functionColumn: string, keep: (name: string) => boolean, onBad: (line: number, message: string) => void): Map<string, PercentileSampler> {
  const rows = openRows(ref);
  if (!advance(rows, ref)) throw traceError(ref, 1, 'the durations file is empty: expected a header row naming its columns');
  const at = headerIndex(rows.row);
  const fnCol = at.get(functionColumn.toLowerCase()) ?? -1;
  const cols = AZURE_PERCENTILES.map(([name]) => at.get(name.toLowerCase()) ?? -1);
  const twice = duplicateColumn(rows.row, [functionColumn, ...AZURE_PERCENTILES.map(([n]) => n)]);
  if (twice !== null) {
    rows.close();
    throw traceError(ref, rows.line, twice);
  }
  const missing = [functionColumn, ...AZURE_PERCENTILES.map(([n]) => n)].filter((_, i) => (i === 0 ? fnCol : cols[i - 1]) < 0);
  if (missing.length) {
    rows.close();
    throw traceError(ref, rows.line, `the header has no column ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  const out = new Map<string, PercentileSampler>();
  while (advance(rows, ref)) {
    const row = rows.row;
    const name = csvCellValue(row[fnCol] ?? '');
    if (!keep(name)) continue;
    const points: [number, number][] = [];
    let bad = '';
    AZURE_PERCENTILES.forEach(([col, p], i) => {
      const v = nonNegative(row[cols[i]] ?? '');
      if (Number.isNaN(v) && !bad) bad = `${col} ${cellText(row[cols[i]] ?? '')} is not a duration in ms (a number ≥ 0)`;
      points.push([p, v]);
    });
    if (bad) onBad(rows.line, bad);
    else out.set(name, new PercentileSampler(points));
  }
  return out;
}

/** Truthy and falsy words of an error column. */
const ERROR_TRUE = new Set(['1', 'true', 'yes', 'error', 'failed', 'fail']);
const ERROR_FALSE = new Set(['0', 'false', 'no', 'ok', 'success', 'succeeded']);

/**
 * One workload's trace as a pull stream of arrivals: `next()` returns the next
 * arrival's simulation instant (non-decreasing; Infinity at the end) and sets
 * `fn` (scenario function index), `durationMs` (NaN: draw from the function's
 * distribution), `flags` (InvokeFlags) and `tooLarge` (payload over the limit).
 */
export class TraceReplay {
  fn = 0;
  durationMs = NaN;
  flags = 0;
  tooLarge = false;
  /** The row's payload in bytes (0 when the trace gives none; issue 15's doors check it against their own limits). */
  payloadBytes = 0;
  readonly stats: TraceStats = {
    rows: 0,
    badRows: 0,
    firstBadRow: null,
    traced: 0,
    sent: 0,
    unmapped: 0,
    durationsFromTrace: 0,
  };

  private readonly spec: TraceSourceSpec;
  private readonly map: FunctionMap;
  private readonly spreadRng: Rng;
  private readonly durationRng: Rng;
  private readonly endMs: number;
  private readonly windowEnd: number;
  private rows: CsvRows | null = null;
  private cols!: TraceColumns;
  private readonly ts: Timestamps;
  private origin: number;
  private lastTs = -Infinity;
  private lastLine = 0;
  private done = false;

  // requests: copies of the current row still to send
  private copies = 0;
  private pendingT = 0;

  // per-minute and azure: the current period's entries, merged by a heap on their next fraction
  private periodTrace = 0;
  private entries = 0;
  private entFn = new Int32Array(16);
  private entTrace = new Int32Array(16);
  private entN = new Float64Array(16);
  private entK = new Float64Array(16);
  private entX = new Float64Array(16);
  private heap = new Int32Array(16);
  private heapSize = 0;
  /** Carried fraction of `scale`, per trace function id. */
  private carries = new Float64Array(16);
  private readonly traceIds = new Map<string, number>();
  // azure: per mapped function, its counts per minute
  private azure: { fn: number; trace: number; counts: Uint32Array }[] = [];
  private azureMinute = 0;
  private samplers: (PercentileSampler | undefined)[] = [];

  /**
   * @param fnIndexOf scenario function name → index
   * @param defaultFn the workload's function (rows when no rules are given)
   * @param durationMs the run's duration: reading stops once trace time maps past it
   */
  constructor(spec: TraceSourceSpec, workload: string, fnIndexOf: (name: string) => number, defaultFn: number, durationMs: number, rng: RngStreams) {
    this.spec = spec;
    this.endMs = durationMs;
    this.windowEnd = spec.window.forMs === null ? Infinity : spec.window.fromMs + spec.window.forMs;
    this.spreadRng = rng.stream(`wl/${workload}/trace/spread`);
    this.durationRng = rng.stream(`wl/${workload}/trace/durations`);
    this.ts = new Timestamps(spec.timestamps);
    this.origin = spec.originMs ?? NaN;
    const counts = spec.functions.some((r) => r.match === 'top') ? this.countFunctions() : null;
    this.map = new FunctionMap(spec.functions, fnIndexOf, defaultFn, counts);
    if (spec.format === 'azure') this.loadAzure();
    else {
      this.rows = openRows(spec);
      this.cols = readHeader(spec, this.rows);
      if (!this.peekFirstRow()) throw traceError(spec, this.rows.line || 1, 'the trace file has a header but no rows');
    }
  }

  /** Trace functions mapped to a scenario function so far (with no rules: distinct function names seen). */
  get functionsMapped(): number {
    return this.spec.functions.length ? this.map.mapped : this.traceIds.size;
  }

  /** The next arrival's simulation instant, or Infinity. */
  next(): number {
    const t = this.spec.format === 'requests' ? this.nextRequest() : this.nextSpread();
    if (t === Infinity) this.finish();
    else {
      this.stats.sent++;
      if (t !== this.instantMs) {
        this.instantMs = t;
        this.atInstant = 1;
      } else if (++this.atInstant > TRACE_INSTANT_LIMIT) this.tooManyAtOnce(t);
    }
    return t;
  }
  private instantMs = NaN;
  private atInstant = 0;

  /** More than TRACE_INSTANT_LIMIT requests at one instant: a located problem, not a stalled clock. */
  private tooManyAtOnce(t: number): never {
    this.rows?.close();
    const spec = this.spec;
    const line = spec.format === 'requests' ? this.rows?.line : spec.format === 'per-minute' ? this.periodLine : undefined;
    const what =
      spec.format === 'requests'
        ? `rows with the same ${spec.columns.timestamp} (up to line ${line})`
        : spec.format === 'per-minute'
          ? `the period of line ${line}`
          : `minute ${this.azureMinute}`;
    throw traceError(
      spec,
      line,
      `more than ${TRACE_INSTANT_LIMIT.toLocaleString('en-US')} requests at one simulated instant (${t} ms): ${what} × scale ${spec.scale}` +
        `${spec.speed === 1 ? '' : ` at speed ${spec.speed}x`}; lower "scale" (or "speed")`,
    );
  }

  private finish(): void {
    this.done = true;
    this.rows?.close();
  }

  /** Records a bad row (or throws when bad rows are not skipped). */
  private bad(line: number, message: string): void {
    if (!this.spec.skipBadRows) {
      this.rows?.close();
      throw traceError(this.spec, line, `${message} (set "skipBadRows: true" to skip such rows)`);
    }
    this.stats.badRows++;
    this.stats.firstBadRow ??= { line, message };
  }

  /** Simulation instant of trace instant `traceMs`, or NaN before the window; Infinity past its end or the run's. */
  private simTime(traceMs: number): number {
    const rel = traceMs - this.origin - this.spec.window.fromMs;
    if (rel < 0) return NaN;
    if (rel >= this.windowEnd - this.spec.window.fromMs) return Infinity;
    const t = this.spec.atMs + rel / this.spec.speed;
    return t < this.endMs ? t : Infinity;
  }

  /** Copies of one traced request to send, by `scale` with a carried fraction (per trace function id). */
  private copiesOf(traced: number, id: number): number {
    if (this.spec.scale === 1) return traced;
    const exact = traced * this.spec.scale + this.carries[id];
    const n = Math.floor(exact + 1e-9);
    this.carries[id] = exact - n;
    return n;
  }

  private traceId(name: string): number {
    let id = this.traceIds.get(name);
    if (id === undefined) {
      id = this.traceIds.size;
      this.traceIds.set(name, id);
      if (id >= this.carries.length) this.carries = grow(this.carries, id + 1);
    }
    return id;
  }

  /** Reads and checks a timestamp cell; NaN (after reporting) when bad or out of order. */
  private timestampOf(line: number): number {
    const text = this.rows!.row[this.cols.timestamp] ?? '';
    const t = this.ts.parse(text);
    if (Number.isNaN(t)) {
      this.bad(line, `${this.spec.columns.timestamp} ${cellText(text)} is not a valid time: ${this.ts.problem}`);
      return NaN;
    }
    if (t < this.lastTs) {
      this.bad(line, `${this.spec.columns.timestamp} ${cellText(text)} is earlier than the previous row's (line ${this.lastLine}); traces must be sorted by time`);
      return NaN;
    }
    this.lastTs = t;
    this.lastLine = line;
    if (Number.isNaN(this.origin)) this.origin = t;
    return t;
  }

  /** Reads the first data row (so that an empty trace is found at once); false when there is none. */
  private peekFirstRow(): boolean {
    if (!advance(this.rows!, this.spec)) return false;
    this.havePeeked = true;
    return true;
  }
  private havePeeked = false;

  private nextRow(): boolean {
    if (this.done) return false;
    if (this.havePeeked) {
      this.havePeeked = false;
      this.stats.rows++;
      return true;
    }
    if (!advance(this.rows!, this.spec)) return false;
    this.stats.rows++;
    return true;
  }

  // -------------------------------------------------------------------------
  // requests

  private nextRequest(): number {
    for (;;) {
      if (this.copies > 0) {
        this.copies--;
        return this.pendingT;
      }
      if (!this.nextRow()) return Infinity;
      const rows = this.rows!;
      const line = rows.line;
      const tr = this.timestampOf(line);
      if (Number.isNaN(tr)) continue;
      const t = this.simTime(tr);
      if (Number.isNaN(t)) continue;
      if (t === Infinity) return Infinity;
      const row = rows.row;
      const c = this.cols;
      const name = c.function >= 0 ? csvCellValue(row[c.function] ?? '') : '';
      const fn = this.map.of(name);
      if (fn < 0) {
        this.stats.unmapped++;
        continue;
      }
      let duration = NaN;
      if (c.duration >= 0 && row[c.duration] !== undefined && row[c.duration] !== '') {
        duration = nonNegative(row[c.duration]);
        if (Number.isNaN(duration)) {
          this.bad(line, `${this.spec.columns.duration} ${cellText(row[c.duration])} is not a duration in ms (a number ≥ 0)`);
          continue;
        }
      }
      let flags = 0;
      if (c.error >= 0 && row[c.error] !== undefined && row[c.error] !== '') {
        const e = row[c.error].toLowerCase();
        if (ERROR_TRUE.has(e)) flags = InvokeFlags.FAIL;
        else if (ERROR_FALSE.has(e)) flags = InvokeFlags.SUCCEED;
        else {
          this.bad(line, `${this.spec.columns.error} ${cellText(row[c.error])} is not an error flag (1/0, true/false, yes/no)`);
          continue;
        }
      }
      let tooLarge = false;
      let payloadBytes = 0;
      if (c.payload >= 0 && row[c.payload] !== undefined && row[c.payload] !== '') {
        const bytes = nonNegative(row[c.payload]);
        if (Number.isNaN(bytes)) {
          this.bad(line, `${this.spec.columns.payload} ${cellText(row[c.payload])} is not a size in bytes (a number ≥ 0)`);
          continue;
        }
        tooLarge = bytes > this.spec.maxPayloadBytes;
        payloadBytes = bytes;
      }
      this.stats.traced++;
      const copies = this.copiesOf(1, this.traceId(name));
      if (copies === 0) continue;
      if (!Number.isNaN(duration)) {
        flags |= InvokeFlags.HANDLER_MS;
        this.stats.durationsFromTrace += copies;
      }
      this.fn = fn;
      this.durationMs = duration;
      this.flags = flags;
      this.tooLarge = tooLarge;
      this.payloadBytes = payloadBytes;
      this.pendingT = t;
      this.copies = copies - 1;
      return t;
    }
  }

  // -------------------------------------------------------------------------
  // per-minute and azure: periods of counts, spread inside the period

  private nextSpread(): number {
    for (;;) {
      if (this.heapSize === 0) {
        if (this.done || !(this.spec.format === 'azure' ? this.azurePeriod() : this.perMinutePeriod())) return Infinity;
        continue;
      }
      const e = this.heap[0];
      const x = this.entX[e];
      // Advance entry e to its next fraction (or drop it), then restore the heap.
      const k = this.entK[e] + 1;
      this.entK[e] = k;
      if (k >= this.entN[e]) this.heapPop();
      else {
        this.entX[e] = this.nextFraction(x, this.entN[e], k);
        this.siftDown(0);
      }
      const t = this.simTime(this.periodTrace + x * this.spec.intervalMs);
      if (Number.isNaN(t)) continue;
      if (t === Infinity) {
        // Later periods map later still: nothing more to send.
        this.heapSize = 0;
        this.done = true;
        return Infinity;
      }
      this.fn = this.entFn[e];
      this.tooLarge = false;
      this.payloadBytes = 0;
      const sampler = this.samplers[this.entTrace[e]];
      if (sampler) {
        this.durationMs = sampler.sample(this.durationRng);
        this.flags = InvokeFlags.HANDLER_MS;
        this.stats.durationsFromTrace++;
      } else {
        this.durationMs = NaN;
        this.flags = 0;
      }
      return t;
    }
  }

  /** The fraction of the period of arrival k (0-based) of n, given arrival k − 1 at `prev`. */
  private nextFraction(prev: number, n: number, k: number): number {
    if (this.spec.spread === 'uniform') return (k + 0.5) / n;
    // Order statistics of n uniforms, in order: the minimum of the m = n − k left lies in (prev, 1).
    const m = n - k;
    return prev + (1 - prev) * (1 - Math.pow(1 - this.spreadRng.double(), 1 / m));
  }

  /** Adds an entry for `count` traced requests of trace function `id` to the period. */
  private addEntry(fn: number, id: number, traced: number): void {
    this.stats.traced += traced;
    const n = this.copiesOf(traced, id);
    if (n <= 0) return;
    const e = this.entries++;
    if (e >= this.entFn.length) {
      const size = e * 2;
      this.entFn = grow32(this.entFn, size);
      this.entTrace = grow32(this.entTrace, size);
      this.entN = grow(this.entN, size);
      this.entK = grow(this.entK, size);
      this.entX = grow(this.entX, size);
      this.heap = grow32(this.heap, size);
    }
    this.entFn[e] = fn;
    this.entTrace[e] = id;
    this.entN[e] = n;
    this.entK[e] = 0;
    this.entX[e] = this.spec.spread === 'uniform' ? 0.5 / n : this.nextFraction(0, n, 0);
    this.heap[this.heapSize++] = e;
  }

  private heapify(): void {
    for (let i = (this.heapSize >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private less(a: number, b: number): boolean {
    const xa = this.entX[a];
    const xb = this.entX[b];
    return xa < xb || (xa === xb && a < b);
  }

  private siftDown(i: number): void {
    const h = this.heap;
    const n = this.heapSize;
    const e = h[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && this.less(h[c + 1], h[c])) c++;
      if (!this.less(h[c], e)) break;
      h[i] = h[c];
      i = c;
    }
    h[i] = e;
  }

  private heapPop(): void {
    this.heap[0] = this.heap[--this.heapSize];
    if (this.heapSize > 0) this.siftDown(0);
  }

  /** Reads the next period of a per-minute trace (the rows sharing a timestamp) that has arrivals; false at the end. */
  private perMinutePeriod(): boolean {
    for (;;) {
      this.entries = 0;
      this.heapSize = 0;
      let periodTs: number;
      let periodLine: number;
      let first: string[];
      if (this.ahead) {
        ({ ts: periodTs, line: periodLine, row: first } = this.ahead);
        this.ahead = null;
      } else {
        for (;;) {
          if (!this.nextRow()) return false;
          periodTs = this.periodTimestamp(this.rows!.line, -Infinity, 0);
          if (!Number.isNaN(periodTs)) break;
        }
        periodLine = this.rows!.line;
        first = this.rows!.row;
      }
      if (Number.isNaN(this.origin)) this.origin = periodTs;
      // A period belongs to the window when it starts in it.
      const start = this.simTime(periodTs);
      if (start === Infinity) return false;
      const counting = !Number.isNaN(start);
      if (counting) this.countRow(first, periodLine);
      while (this.nextRow()) {
        const line = this.rows!.line;
        const ts = this.periodTimestamp(line, periodTs, periodLine);
        if (Number.isNaN(ts)) continue;
        if (ts === periodTs) {
          if (counting) this.countRow(this.rows!.row, line);
          continue;
        }
        this.ahead = { ts, line, row: this.rows!.row };
        break;
      }
      this.periodTrace = periodTs;
      this.periodLine = periodLine;
      this.heapify();
      if (this.heapSize > 0) return true;
      if (!this.ahead) return false;
    }
  }
  private ahead: { ts: number; line: number; row: string[] } | null = null;
  /** per-minute: the line of the period being sent. */
  private periodLine = 0;

  /** The timestamp of a per-minute row: NaN (reported) when unreadable, earlier than the period's, or inside it. */
  private periodTimestamp(line: number, periodTs: number, periodLine: number): number {
    const text = this.rows!.row[this.cols.timestamp] ?? '';
    const ts = this.ts.parse(text);
    if (Number.isNaN(ts)) {
      this.bad(line, `${this.spec.columns.timestamp} ${cellText(text)} is not a valid time: ${this.ts.problem}`);
      return NaN;
    }
    if (ts === periodTs) return ts;
    if (ts < periodTs) {
      this.bad(line, `${this.spec.columns.timestamp} ${cellText(text)} is earlier than the previous row's (line ${periodLine}); traces must be sorted by time`);
      return NaN;
    }
    if (ts < periodTs + this.spec.intervalMs) {
      this.bad(
        line,
        `${this.spec.columns.timestamp} ${cellText(text)} is less than one interval (${this.spec.intervalMs / 1000} s) after the previous period's ` +
          `(line ${periodLine}); set "interval" to the trace's period`,
      );
      return NaN;
    }
    return ts;
  }

  /** Adds one per-minute row's count to the period being built. */
  private countRow(row: string[], line: number): void {
    const text = row[this.cols.count] ?? '';
    const count = nonNegative(text);
    if (!Number.isInteger(count)) {
      this.bad(line, `${this.spec.columns.count} ${cellText(text)} is not a count (a whole number ≥ 0)`);
      return;
    }
    const name = this.cols.function >= 0 ? csvCellValue(row[this.cols.function] ?? '') : '';
    const fn = this.map.of(name);
    if (fn < 0) {
      this.stats.unmapped += count;
      return;
    }
    if (count > 0) this.addEntry(fn, this.traceId(name), count);
  }

  /** Azure: loads the counts of mapped functions (and their duration samplers). */
  private loadAzure(): void {
    const spec = this.spec;
    const rows = openRows(spec);
    this.cols = readHeader(spec, rows);
    const minutes = this.cols.minutes;
    let any = false;
    while (advance(rows, spec)) {
      any = true;
      this.stats.rows++;
      const row = rows.row;
      const name = csvCellValue(row[this.cols.function] ?? '');
      const counts = new Uint32Array(minutes.length);
      let bad = '';
      let total = 0;
      for (let m = 0; m < minutes.length; m++) {
        const text = row[minutes[m]] ?? '';
        const v = text === '' ? 0 : nonNegative(text);
        if (!Number.isInteger(v) || v > 0xffffffff) {
          bad = `minute ${m + 1} count ${cellText(text)} is not a count (a whole number ≥ 0)`;
          break;
        }
        counts[m] = v;
        total += v;
      }
      if (bad) {
        this.bad(rows.line, bad);
        continue;
      }
      const fn = this.map.of(name);
      if (fn < 0) {
        this.stats.unmapped += total;
        continue;
      }
      const id = this.traceId(name);
      this.azure.push({ fn, trace: id, counts });
    }
    if (!any) throw traceError(spec, rows.line || 1, 'the trace file has a header but no rows');
    this.origin = spec.originMs ?? 0;
    if (spec.durations) {
      const byName = readAzureDurations(spec.durations, spec.columns.function, (n) => this.traceIds.has(n), (line, message) => {
        if (!spec.skipBadRows) throw traceError(spec.durations!, line, `${message} (set "skipBadRows: true" to skip such rows)`);
        this.stats.badRows++;
      });
      for (const [name, s] of byName) this.samplers[this.traceIds.get(name)!] = s;
    }
  }

  /** Azure: the next minute with counts; false after the last. */
  private azurePeriod(): boolean {
    const minutes = this.cols.minutes.length;
    while (this.azureMinute < minutes) {
      const m = this.azureMinute++;
      this.periodTrace = m * this.spec.intervalMs;
      const start = this.simTime(this.periodTrace);
      if (start === Infinity) return false;
      if (Number.isNaN(start) && Number.isNaN(this.simTime(this.periodTrace + this.spec.intervalMs))) continue;
      this.entries = 0;
      this.heapSize = 0;
      for (const a of this.azure) if (a.counts[m] > 0) this.addEntry(a.fn, a.trace, a.counts[m]);
      this.heapify();
      if (this.heapSize > 0) return true;
    }
    return false;
  }

  /** Invocations per trace function within the window (a first pass over the file, for `top` rules). */
  private countFunctions(): Map<string, number> {
    const spec = this.spec;
    const counts = new Map<string, number>();
    const rows = openRows(spec);
    const cols = readHeader(spec, rows);
    const ts = new Timestamps(spec.timestamps);
    let origin = spec.originMs ?? (spec.format === 'azure' ? 0 : NaN);
    const from = spec.window.fromMs;
    const inWindow = (traceMs: number) => traceMs - origin >= from && traceMs - origin < this.windowEnd;
    while (advance(rows, spec)) {
      const row = rows.row;
      const name = csvCellValue(row[cols.function] ?? '');
      let n = 0;
      if (spec.format === 'azure') {
        for (let m = 0; m < cols.minutes.length; m++) {
          const v = nonNegative(row[cols.minutes[m]] ?? '');
          if (Number.isInteger(v) && inWindow(m * spec.intervalMs)) n += v;
        }
      } else {
        const t = ts.parse(row[cols.timestamp] ?? '');
        if (Number.isNaN(t)) continue;
        if (Number.isNaN(origin)) origin = t;
        if (!inWindow(t)) continue;
        n = spec.format === 'requests' ? 1 : nonNegative(row[cols.count] ?? '');
        if (!Number.isInteger(n)) continue;
      }
      counts.set(name, (counts.get(name) ?? 0) + n);
    }
    return counts;
  }
}

function grow(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function grow32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
