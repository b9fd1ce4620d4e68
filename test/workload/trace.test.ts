// Trace-driven workloads (issue 9): exact replays, generated traces, mapping,
// bad input and determinism. Every check is exact unless a tolerance is stated.
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { RngStreams } from '../../src/engine/rng.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/models/index.js';
import type { SyncWorkloadSpec, TraceSourceSpec } from '../../src/models/sync/types.js';
import { simulate } from '../../src/sim/simulate.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';
import { jsonReport } from '../../src/report/json.js';
import { ArrivalStream } from '../../src/workload/arrivals.js';
import { PercentileSampler, TRACE_INSTANT_LIMIT, TraceReplay } from '../../src/models/sync/trace-replay.js';
import { CsvRows, MAX_ROW_BYTES, TraceFileError } from '../../src/workload/csv-rows.js';
import { parseIsoTime } from '../../src/workload/iso-time.js';
import { generateTrace, azureDurationsPath } from '../../src/cli/trace.js';
import { main } from '../../src/cli/main.js';
import { InvokeFlags } from '../../src/platform/platform.js';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'lsim-trace-'));
}

/** Writes `files` into a fresh folder with `scenario.yaml` and parses it. */
function scenarioWith(yaml: string, files: Record<string, string> = {}): { dir: string; scenario: Scenario } {
  const dir = tmp();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'scenario.yaml');
  writeFileSync(path, yaml);
  return { dir, scenario: parseScenario(yaml, path) };
}

function traceOf(s: Scenario, i = 0): TraceSourceSpec {
  const w = s.workloads[i] as SyncWorkloadSpec;
  if (!w.trace) throw new Error('no trace');
  return w.trace;
}

/** Every arrival of a workload's trace: [t, fn, durationMs, flags]. */
function replayAll(s: Scenario, i = 0): [number, number, number, number][] {
  const w = s.workloads[i];
  const r = new TraceReplay(traceOf(s, i), w.name, (n) => s.functions.findIndex((f) => f.name === n), 0, s.durationMs, new RngStreams(s.seed));
  const out: [number, number, number, number][] = [];
  for (let t = r.next(); t !== Infinity; t = r.next()) out.push([t, r.fn, r.durationMs, r.flags]);
  return out;
}

function workload(result: ReturnType<typeof simulate>, i = 0): SyncWorkloadResult {
  return result.workloads[i] as SyncWorkloadResult;
}

function header(trace: string, extra = ''): string {
  return `name: t
seed: 5
duration: 10m
report: { interval: 1m }
functions:
  api: { duration: 100ms }
  other: { duration: 30ms }
workloads:
  - function: api
    client: { retries: none }
    arrivals:
      trace:
        file: ${trace}
${extra}`;
}

describe('CsvRows', () => {
  it('reads records across chunk boundaries with their line numbers', () => {
    const dir = tmp();
    const text = 'a,b\n1,2\n\n3,"x,y"\n"4\n5",6\n7,8';
    writeFileSync(join(dir, 'x.csv'), text);
    // A 3-byte chunk splits every record.
    const rows = new CsvRows(join(dir, 'x.csv'), 3);
    const seen: [number, string[]][] = [];
    while (rows.next()) seen.push([rows.line, rows.row]);
    expect(seen).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [4, ['3', 'x,y']],
      [6, ['4\n5', '6']],
      [7, ['7', '8']],
    ]);
  });

  it('refuse a row over 1 MiB at its line: no line break, a line of commas, a quoted field of many lines', () => {
    const dir = tmp();
    const cases: [string, string, number, RegExp][] = [
      // NUL bytes with no line break (a truncated or sparse file), past the bound by 1 MiB.
      ['nul', 'timestamp\n0\n' + '\0'.repeat(2 * MAX_ROW_BYTES), 3, /^a row longer than 1,048,576 bytes \(1 MiB\), the most lsim reads in one row; is this a CSV trace\?$/],
      // 2 M empty fields: no field has a byte, so only the count of fields catches it.
      ['commas', 'timestamp\n0\n' + ','.repeat(2 * MAX_ROW_BYTES) + '\n1\n', 3, /^more than 1,048,576 bytes \(1 MiB\) without a line break/],
      // Blanks that trimming drops: bytes since the last line break.
      ['blanks', 'timestamp\n0\n' + ' '.repeat(2 * MAX_ROW_BYTES) + '\n1\n', 3, /^more than 1,048,576 bytes \(1 MiB\) without a line break/],
      // A quoted field of short lines: the row's bytes; the message points at where the row began.
      ['quoted', 'timestamp,f\n0,"' + 'ab\n'.repeat(MAX_ROW_BYTES / 2) + '"\n', 349_527, /^a row longer than 1,048,576 bytes \(1 MiB\), the most lsim reads in one row \(a quoted field from line 2 on\?\)/],
    ];
    for (const [name, text, line, message] of cases) {
      writeFileSync(join(dir, `${name}.csv`), text);
      const rows = new CsvRows(join(dir, `${name}.csv`));
      expect(rows.next()).toBe(true); // the header
      let error: unknown;
      try {
        while (rows.next());
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(TraceFileError);
      expect((error as TraceFileError).line, name).toBe(line);
      expect((error as TraceFileError).message, name).toMatch(message);
    }
    // A row just under the bound is read whole.
    writeFileSync(join(dir, 'long.csv'), `timestamp,f\n0,${'x'.repeat(MAX_ROW_BYTES - 10)}\n`);
    const rows = new CsvRows(join(dir, 'long.csv'));
    expect(rows.next() && rows.next()).toBe(true);
    expect(rows.row[1].length).toBe(MAX_ROW_BYTES - 10);
    expect(rows.next()).toBe(false);
  });
});

describe('parseIsoTime', () => {
  it('reads the extended form with a zone, exactly', () => {
    const at = (text: string) => parseIsoTime(text).ms;
    expect(at('2024-03-05T12:00:00Z')).toBe(Date.UTC(2024, 2, 5, 12));
    expect(at('2024-03-05t12:00z')).toBe(Date.UTC(2024, 2, 5, 12));
    expect(at('2024-03-05 12:00:00.1239Z')).toBe(Date.UTC(2024, 2, 5, 12, 0, 0, 123));
    expect(at('2024-03-05T12:00:00,5Z')).toBe(Date.UTC(2024, 2, 5, 12, 0, 0, 500));
    expect(at('2024-03-05T12:00:00+02:00')).toBe(Date.UTC(2024, 2, 5, 10));
    expect(at('2024-03-05T12:00:00+0200')).toBe(Date.UTC(2024, 2, 5, 10));
    expect(at('2024-03-05T12:00:00+02')).toBe(Date.UTC(2024, 2, 5, 10));
    expect(at('2024-03-05T12:00:00-05:30')).toBe(Date.UTC(2024, 2, 5, 17, 30));
    expect(at('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    // Year 99 is 99, not 1999 (Date.UTC's reading of two-digit years).
    expect(new Date(at('0099-01-01T00:00:00Z')!).getUTCFullYear()).toBe(99);
  });

  it('refuses a time without a zone, an impossible date and free text, saying why', () => {
    const why = (text: string) => parseIsoTime(text).problem;
    expect(why('2024-03-05T12:00:00')).toBe("it has no time zone; add Z or an offset such as +02:00 (without one it would be read in this machine's zone)");
    expect(why('2024-03-05 12:00:00')).toMatch(/^it has no time zone/);
    expect(why('2024-02-30T12:00:00Z')).toBe('February 2024 has no day 30');
    expect(why('2023-02-29T12:00:00Z')).toBe('February 2023 has no day 29');
    expect(why('2024-04-31T00:00:00Z')).toBe('April 2024 has no day 31');
    expect(why('2024-13-01T00:00:00Z')).toBe('there is no month 13');
    expect(why('2024-03-05T24:00:00Z')).toMatch(/^24:00:00 is not a time of day/);
    expect(why('2024-03-05T12:60Z')).toMatch(/^12:60 is not a time of day/);
    expect(why('2024-03-05T12:00:00+24:00')).toBe('+24:00 is not a time zone offset (at most ±23:59)');
    expect(why('2024-03-05')).toBe('a date alone is not a time; write the time of day and a zone too, like 2024-03-05T00:00:00Z');
    for (const text of ['March 5', 'March 5 2024', '-1', '1', '1e400', '', '20240305T120000Z', '+002024-03-05T12:00:00Z', '2024-3-5T12:00:00Z']) {
      expect(why(text), text).toBe('expected an ISO 8601 date and time with a zone, like 2024-03-05T12:00:00Z');
    }
  });
});

describe('per-request traces', () => {
  const csv = [
    'timestamp,function,duration_ms,error,payload_bytes',
    '1700000000000,api,250,0,100',
    '1700000000013.5,api,,,',
    '1700000000013.5,other,40,1,',
    '1700000060000.25,api,5,false,7000000',
    '1700000061000,nobody,5,,',
  ].join('\n');

  it('replay exact timestamps, durations and outcomes, mapped by name and pattern', () => {
    const { scenario } = scenarioWith(
      header('t.csv', '        timestamps: ms\n        functions: [{ name: api }, { pattern: "oth*", to: other }]\n'),
      { 't.csv': csv },
    );
    const H = InvokeFlags.HANDLER_MS;
    expect(replayAll(scenario)).toEqual([
      [0, 0, 250, H | InvokeFlags.SUCCEED],
      [13.5, 0, NaN, 0],
      [13.5, 1, 40, H | InvokeFlags.FAIL],
      [60000.25, 0, 5, H | InvokeFlags.SUCCEED],
    ]);
    const r = simulate(scenario);
    const w = workload(r);
    // 5 rows; "nobody" is unmapped; the 7,000,000-byte payload is over 6 MB (6 × 2^20 = 6,291,456 bytes).
    expect(w.traceReplay).toMatchObject({ rows: 5, traced: 4, sent: 4, unmapped: 1, payloadTooLarge: 1, durationsFromTrace: 3, functionsMapped: 2 });
    expect(w.requests).toBe(3);
    expect(r.functions[0].invocations).toBe(2);
    expect(r.functions[0].durationMs.max).toBe(250);
    expect(r.functions[0].durationMs.mean).toBe(175); // (250 + drawn fixed 100) / 2
    expect(r.functions[1].errors).toBe(1);
    expect(r.functions[1].durationMs.max).toBe(40);
  });

  it('apply speed, scale, window, origin and at', () => {
    const rows = ['timestamp', ...[0, 10, 20, 30, 40, 50].map((s) => `2024-05-01T00:00:${String(s).padStart(2, '0')}.000Z`)].join('\n');
    const { scenario } = scenarioWith(
      header('t.csv', '        speed: 10x\n        scale: 1.5x\n        window: { from: 10s, for: 30s }\n        origin: "2024-05-01T00:00:00Z"\n        at: 1s\n'),
      { 't.csv': rows },
    );
    // Rows at 10, 20, 30 s (40 s is the window's end, excluded) → 1 s + (x − 10 s)/10;
    // scale 1.5 sends floor(1.5 + carry) copies: 1, 2, 1.
    expect(replayAll(scenario).map((a) => a[0])).toEqual([1000, 2000, 2000, 3000]);
  });

  it('detect ISO, epoch seconds and epoch milliseconds', () => {
    for (const [stamp0, stamp1] of [
      ['2024-01-01T00:00:00Z', '2024-01-01T00:00:01.5Z'],
      ['1704067200', '1704067201.5'],
      ['1704067200000', '1704067201500'],
    ]) {
      const { scenario } = scenarioWith(header('t.csv'), { 't.csv': `timestamp\n${stamp0}\n${stamp1}\n` });
      expect(replayAll(scenario).map((a) => a[0])).toEqual([0, 1500]);
    }
  });

  it('stop reading at the end of the run', () => {
    const rows = ['timestamp', ...Array.from({ length: 1000 }, (_, i) => String(i * 1000))].join('\n');
    const { scenario } = scenarioWith(header('t.csv', '        timestamps: ms\n'), { 't.csv': rows });
    const r = simulate(scenario);
    // 10 minutes: arrivals at 0 … 599 s; the row at 600 s ends the replay.
    expect(workload(r).traceReplay?.sent).toBe(600);
    expect(workload(r).traceReplay?.rows).toBe(601);
  });
});

describe('generated traces replay the scenario', () => {
  const synthetic = `name: gen
seed: 11
duration: 30m
report: { interval: 1m }
functions:
  api: { duration: 80ms }
  jobs: { duration: 300ms }
workloads:
  - function: api
    client: { retries: none }
    arrivals:
      - poisson: 40/s
      - ramp: { from: 0/s, to: 120/s }
        process: poisson
        at: 5m
        for: 10m
  - function: jobs
    client: { retries: none }
    arrivals: { constant: 3.3/s }
`;

  /** Requests per minute and per function of the synthetic run (platform attempts: no retries, no throttles here). */
  function perMinute(r: ReturnType<typeof simulate>): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const f of r.functions) out[f.name] = r.timeSeries.functions[f.name].invocations;
    return out;
  }

  const base = simulate(parseScenario(synthetic, 'gen.yaml'));

  function replayOf(format: string, extra: string, file: string, dir: string) {
    const yaml = `name: replay
seed: 99
duration: 30m
report: { interval: 1m }
account: { concurrency: 1000 }
functions:
  api: { duration: 80ms }
  jobs: { duration: 300ms }
workloads:
  - function: api
    client: { retries: none }
    arrivals:
      trace:
        file: ${file}
        format: ${format}
        functions: [{ name: api }, { name: jobs, to: jobs }]
${extra}`;
    const path = join(dir, 'replay.yaml');
    writeFileSync(path, yaml);
    return simulate(parseScenario(yaml, path));
  }

  for (const [format, extra] of [
    ['per-minute', '        spread: uniform\n'],
    ['per-minute', '        spread: poisson\n'],
    ['azure', '        spread: poisson\n'],
    ['requests', '        origin: "2024-01-01T00:00:00Z"\n'],
  ] as const) {
    it(`${format}${extra.includes('poisson') ? ' (poisson spread)' : ''}: invocations per minute and function exactly`, () => {
      const dir = tmp();
      const { requests } = generateTrace(parseScenario(synthetic, 'gen.yaml'), { format, out: join(dir, 'trace.csv') });
      expect(requests).toBe(base.account.invocations);
      const r = replayOf(format, extra, 'trace.csv', dir);
      expect(r.account.throttles.total).toBe(0);
      expect(perMinute(r)).toEqual(perMinute(base));
    });
  }

  it('requests with --timestamps ms: the same instants (within 1e-3 ms: epoch ms in a double)', () => {
    const dir = tmp();
    const s = parseScenario(synthetic, 'gen.yaml');
    generateTrace(s, { format: 'requests', out: join(dir, 'trace.csv'), timestamps: 'ms' });
    const { scenario } = scenarioWith(
      header(join(dir, 'trace.csv'), '        timestamps: ms\n        origin: 1704067200000\n        functions: [{ name: api }, { name: jobs, to: other }]\n').replace('duration: 10m', 'duration: 30m'),
    );
    const got = replayAll(scenario);
    const rng = new RngStreams(s.seed);
    const want: number[] = [];
    s.workloads.forEach((w) => {
      const a = new ArrivalStream(w.arrivals, (i) => rng.stream(`wl/${w.name}/arrivals/${i}`));
      for (let t = a.next(); t !== Infinity; t = a.next()) want.push(t);
    });
    want.sort((a, b) => a - b);
    expect(got.length).toBe(want.length);
    let worst = 0;
    got.forEach(([t], i) => (worst = Math.max(worst, Math.abs(t - want[i]))));
    expect(worst).toBeLessThan(1e-3);
  });

  it('scale 3x triples every minute exactly; speed 2x packs the trace into half the time', () => {
    const dir = tmp();
    generateTrace(parseScenario(synthetic, 'gen.yaml'), { format: 'per-minute', out: join(dir, 'trace.csv') });
    const tripled = replayOf('per-minute', '        scale: 3x\n', 'trace.csv', dir);
    expect(perMinute(tripled).jobs).toEqual(perMinute(base).jobs.map((n) => 3 * n));
    const fast = replayOf('per-minute', '        speed: 2x\n', 'trace.csv', dir);
    const b = perMinute(base).jobs;
    expect(perMinute(fast).jobs.slice(0, 15)).toEqual(Array.from({ length: 15 }, (_, i) => b[2 * i] + b[2 * i + 1]));
  });

  it('azure durations become an empirical distribution per function', () => {
    const dir = tmp();
    const yaml = synthetic.replace('api: { duration: 80ms }', 'api: { duration: { lognormal: { median: 80ms, p99: 900ms } } }');
    generateTrace(parseScenario(yaml, 'gen.yaml'), { format: 'azure', out: join(dir, 'trace.csv') });
    const durations = readFileSync(azureDurationsPath(join(dir, 'trace.csv')), 'utf8').split('\n');
    expect(durations[0]).toContain('percentile_Average_50');
    const r = replayOf('azure', '        durations: trace.durations.csv\n', 'trace.csv', dir);
    const api = r.functions.find((f) => f.name === 'api')!;
    // The piecewise-linear CDF through the percentiles has median 80 ms exactly; the sample
    // median of ~100,000 draws is within 2% (the density near the median makes that > 6 sd).
    expect(api.durationMs.count).toBeGreaterThan(90_000);
    expect(Math.abs(api.durationMs.p50 / 80 - 1)).toBeLessThan(0.02);
    expect(workload(r).traceReplay!.durationsFromTrace).toBe(r.account.invocations);
  });
});

describe('PercentileSampler', () => {
  it('interpolates linearly between percentiles and repairs crossing values', () => {
    const s = new PercentileSampler([
      [0, 10],
      [0.5, 20],
      [0.75, 15], // crosses: taken as 20
      [1, 40],
    ]);
    expect(s.quantile(0)).toBe(10);
    expect(s.quantile(0.25)).toBe(15);
    expect(s.quantile(0.5)).toBe(20);
    expect(s.quantile(0.75)).toBe(20);
    expect(s.quantile(0.875)).toBe(30);
    expect(s.quantile(1)).toBe(40);
  });
});

describe('per-minute traces', () => {
  it('spread each count evenly: the k-th of n at (k + ½)/n of the minute', () => {
    const { scenario } = scenarioWith(header('t.csv', '        format: per-minute\n'), {
      't.csv': 'Timestamp,Invocations\n2024-01-01T00:00:00Z,2\n2024-01-01T00:01:00Z,0\n2024-01-01T00:03:00Z,4\n',
    });
    expect(replayAll(scenario).map((a) => a[0])).toEqual([15000, 45000, 187500, 202500, 217500, 232500]);
  });

  it('map the top-N busiest functions', () => {
    const rows = ['timestamp,function,invocations'];
    for (let m = 0; m < 3; m++) {
      const t = `2024-01-01T00:0${m}:00Z`;
      rows.push(`${t},small,1`, `${t},big,30`, `${t},mid,10`);
    }
    const { scenario } = scenarioWith(header('t.csv', '        format: per-minute\n        functions: [{ top: 1 }, { top: 1, to: other }]\n'), {
      't.csv': rows.join('\n'),
    });
    const r = simulate(scenario);
    expect(r.functions.map((f) => f.invocations)).toEqual([90, 30]);
    expect(workload(r).traceReplay).toMatchObject({ unmapped: 3, functionsMapped: 2, traced: 120 });
  });
});

describe('bad traces', () => {
  function runError(trace: string, extra = '', file = 't.csv'): string {
    try {
      const { scenario } = scenarioWith(header(file, extra), { 't.csv': trace });
      simulate(scenario);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as UserError).message;
    }
    throw new Error('no error');
  }

  it('unsorted timestamps: file, line and the scenario key', () => {
    const msg = runError('timestamp\n2024-01-01T00:00:05Z\n2024-01-01T00:00:01Z\n');
    expect(msg).toMatch(/t\.csv:3: workloads\[0\]\.arrivals\.trace\.file: timestamp "2024-01-01T00:00:01Z" is earlier than the previous row's \(line 2\)/);
  });

  it('bad numbers', () => {
    expect(runError('timestamp,duration_ms\n1,abc\n', '        timestamps: s\n')).toMatch(/t\.csv:2: .*duration_ms "abc" is not a duration in ms/);
    expect(runError('timestamp\nyesterday\n')).toMatch(/t\.csv:2: .*timestamp "yesterday" is not a valid time: expected an ISO 8601 date and time with a zone/);
    expect(runError('timestamp,invocations\n2024-01-01T00:00:00Z,2.5\n', '        format: per-minute\n')).toMatch(
      /t\.csv:2: .*invocations "2\.5" is not a count/,
    );
    expect(runError('timestamp\n"1\n')).toMatch(/t\.csv:\d+: .*not valid CSV/);
  });

  it('missing columns, an empty file, a header alone and a missing file are found when loading', () => {
    const load = (trace: string | null, extra = '') => {
      try {
        scenarioWith(header('t.csv', extra), trace === null ? {} : { 't.csv': trace });
      } catch (e) {
        return (e as UserError).message;
      }
      throw new Error('no error');
    };
    expect(load('time,fn\n1,a\n')).toMatch(/t\.csv:1: workloads\[0\]\.arrivals\.trace\.file: the header has no column "timestamp"; its columns are "time", "fn"/);
    expect(load('timestamp\n1\n', '        functions: [{ name: a }]\n')).toMatch(/no column "function"/);
    expect(load('')).toMatch(/t\.csv:1: workloads\[0\]\.arrivals\.trace\.file: the trace file is empty/);
    expect(load(null)).toMatch(/scenario\.yaml:13:\d+: workloads\[0\]\.arrivals\.trace\.file: .*t\.csv: trace file not found/);
    expect(() => simulate(scenarioWith(header('t.csv'), { 't.csv': 'timestamp\n' }).scenario)).toThrow(/t\.csv:1: .*header but no rows/);
  });

  it('scenario keys: unknown keys, a rule naming no function, a trace on an async workload', () => {
    const load = (yaml: string) => {
      try {
        scenarioWith(yaml, { 't.csv': 'timestamp\n1\n' });
      } catch (e) {
        return (e as UserError).message;
      }
      throw new Error('no error');
    };
    expect(load(header('t.csv', '        sped: 2x\n'))).toMatch(/unknown key "sped" \(did you mean "speed"\?\)/);
    expect(load(header('t.csv', '        functions: [{ name: x, to: apj }]\n'))).toMatch(/functions\[0\]\.to: no function named "apj" in functions \(did you mean "api"\?\)/);
    expect(load(header('t.csv', '        spread: poisson\n'))).toMatch(/"spread" goes only with format per-minute or azure/);
    expect(load(header('t.csv', '        speed: fast\n'))).toMatch(/expected a factor greater than 0/);
    expect(load(header('t.csv').replace('client: { retries: none }', 'invoke: async'))).toMatch(/trace replay goes only with "invoke: sync"/);
  });

  it('a time without a zone is refused at its row, whatever the machine\'s zone', () => {
    const tz = process.env.TZ;
    try {
      for (const zone of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
        process.env.TZ = zone;
        for (const stamp of ['2024-03-05 12:00:00', '2024-03-05T12:00:00', '2024-03-05T12:00']) {
          expect(runError(`timestamp\n2024-03-05T11:59:00Z\n${stamp}\n`).replace(/^.*\//, '')).toBe(
            `t.csv:3: workloads[0].arrivals.trace.file: timestamp ${JSON.stringify(stamp)} is not a valid time: it has no time zone; ` +
              `add Z or an offset such as +02:00 (without one it would be read in this machine's zone) (set "skipBadRows: true" to skip such rows)`,
          );
        }
        // With an offset, the same instants in every zone: 12:00+09:00 is 03:00Z, 1 s after the first row.
        const { scenario } = scenarioWith(header('t.csv'), { 't.csv': 'timestamp\n2024-03-05T02:59:59Z\n2024-03-05T12:00:00+09:00\n' });
        expect(replayAll(scenario).map((a) => a[0])).toEqual([0, 1000]);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('an impossible date, free text and an infinite number are not valid times (not "earlier than the previous row")', () => {
    const rows = (stamp: string) => `timestamp\n2024-03-05T12:00:00Z\n${stamp}\n`;
    expect(runError(rows('2024-02-30T12:00:30Z'))).toMatch(/t\.csv:3: .*timestamp "2024-02-30T12:00:30Z" is not a valid time: February 2024 has no day 30 \(set/);
    expect(runError(rows('March 5 2024'))).toMatch(/t\.csv:3: .*timestamp "March 5 2024" is not a valid time: expected an ISO 8601 date and time with a zone, like 2024-03-05T12:00:00Z/);
    expect(runError(rows('2024-03-05'))).toMatch(/t\.csv:3: .*"2024-03-05" is not a valid time: a date alone is not a time/);
    expect(runError('timestamp\n0\n1e400\n', '        timestamps: ms\n')).toMatch(
      /t\.csv:3: .*timestamp "1e400" is not a valid time: a number of milliseconds must be finite and within ±8,640,000,000,000,000/,
    );
    // auto decides on the first row: 1e400 reads as epoch ms, and is refused there.
    expect(runError('timestamp\n1e400\n')).toMatch(/t\.csv:2: .*timestamp "1e400" is not a valid time: a number of milliseconds must be finite/);
    expect(runError('timestamp\n1\n1e13\n', '        timestamps: s\n')).toMatch(/t\.csv:3: .*"1e13" is not a valid time: a number of seconds must be finite and within ±8,640,000,000,000 /);
    // per-minute rows too, and a renamed column is named as the header names it.
    expect(runError('t,invocations\n2024-03-05T12:00:00\n', '        format: per-minute\n        columns: { timestamp: t }\n')).toMatch(/t\.csv:2: .*: t "2024-03-05T12:00:00" is not a valid time: it has no time zone/);
    // A long cell is quoted cut short.
    expect(runError(rows('x'.repeat(5000)))).toMatch(new RegExp(`timestamp "${'x'.repeat(60)}"… \\(5,000 characters\\) is not a valid time`));
  });

  it('an origin without a zone, in free text or past the range of dates is refused at its key', () => {
    const load = (origin: string, extra = '') => {
      try {
        scenarioWith(header('t.csv', `        origin: ${origin}\n${extra}`), { 't.csv': 'timestamp\n2024-03-05T12:00:00Z\n' });
      } catch (e) {
        return (e as UserError).message;
      }
      throw new Error('no error');
    };
    expect(load('"2024-03-05 12:00:00"')).toMatch(
      /scenario\.yaml:14:\d+: workloads\[0\]\.arrivals\.trace\.origin: "2024-03-05 12:00:00" is not a valid time: it has no time zone; add Z or an offset such as \+02:00/,
    );
    expect(load('"March 5"')).toMatch(/trace\.origin: "March 5" is not a valid time: expected an ISO 8601 date and time with a zone/);
    expect(load('1e20', '        timestamps: ms\n')).toMatch(/trace\.origin: 100000000000000000000 is not a valid time: a number of milliseconds must be finite and within/);
  });

  it('a column lsim reads named twice in the header is refused at line 1, when loading', () => {
    const load = (csv: string, extra = '') => {
      try {
        scenarioWith(header('t.csv', extra), { 't.csv': csv });
      } catch (e) {
        return (e as UserError).message;
      }
      return 'accepted';
    };
    expect(load('timestamp,timestamp,function\n0,1,api\n')).toMatch(
      /t\.csv:1: workloads\[0\]\.arrivals\.trace\.file: the header names the column "timestamp" twice \(columns 1 and 2\); rename or remove all but one$/,
    );
    expect(load('Function,timestamp,FUNCTION,function\n')).toMatch(
      /t\.csv:1: .*the header names the column "function" 3 times \(columns 1, 3 and 4: "Function", "FUNCTION", "function", matched ignoring case\)/,
    );
    expect(load('timestamp,n,n\n0,1,1\n', '        format: per-minute\n        columns: { count: n }\n')).toMatch(/t\.csv:1: .*the column "n" twice \(columns 2 and 3\)/);
    // A repeated column lsim does not read is no problem (nor is duration_ms in a per-minute trace).
    expect(load('timestamp,note,note\n0,a,b\n')).toBe('accepted');
    expect(load('timestamp,invocations,duration_ms,duration_ms\n2024-03-05T12:00:00Z,1,5,5\n', '        format: per-minute\n')).toBe('accepted');
  });

  it('scale above 1,000,000x is refused at its key', () => {
    const load = (scale: string) => {
      try {
        scenarioWith(header('t.csv', `        scale: ${scale}\n`), { 't.csv': 'timestamp\n0\n' });
      } catch (e) {
        return (e as UserError).message;
      }
      return 'accepted';
    };
    expect(load('1e12')).toMatch(
      /scenario\.yaml:14:\d+: workloads\[0\]\.arrivals\.trace\.scale: expected a factor greater than 0 and at most 1,000,000x \(the copies of a traced request share its instant\), got 1000000000000/,
    );
    expect(load('"2000000x"')).toMatch(/trace\.scale: expected a factor greater than 0 and at most 1,000,000x/);
    expect(load('.inf')).toMatch(/trace\.scale: expected a factor greater than 0 and at most 1,000,000x/);
    expect(load('1000000x')).toBe('accepted');
  });

  it('more than 10,000,000 requests at one instant is a located problem, not a stalled clock', () => {
    // 11 rows at instant 0, a million copies each: the 11th row takes the instant past 10 M.
    const { scenario } = scenarioWith(header('t.csv', '        timestamps: ms\n        scale: 1000000x\n'), { 't.csv': `timestamp\n${'0\n'.repeat(11)}5\n` });
    const r = new TraceReplay(traceOf(scenario), 'w', () => 0, 0, scenario.durationMs, new RngStreams(scenario.seed));
    let sent = 0;
    let error: unknown;
    try {
      while (r.next() !== Infinity) sent++;
    } catch (e) {
      error = e;
    }
    expect(sent).toBe(TRACE_INSTANT_LIMIT);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(
      /t\.csv:12: workloads\[0\]\.arrivals\.trace\.file: more than 10,000,000 requests at one simulated instant \(0 ms\): rows with the same timestamp \(up to line 12\) × scale 1000000; lower "scale"/,
    );
    // Ten rows (exactly 10 M) are sent.
    const ten = scenarioWith(header('t.csv', '        timestamps: ms\n        scale: 1000000x\n'), { 't.csv': `timestamp\n${'0\n'.repeat(10)}5\n` }).scenario;
    const r10 = new TraceReplay(traceOf(ten), 'w', () => 0, 0, ten.durationMs, new RngStreams(scenario.seed));
    let n = 0;
    while (r10.next() !== Infinity) n++;
    expect(n).toBe(11_000_000);
  });

  it('skipBadRows counts and skips', () => {
    const { scenario } = scenarioWith(header('t.csv', '        timestamps: s\n        skipBadRows: true\n'), {
      't.csv': 'timestamp,duration_ms\n1,5\n0.5,5\nx,5\n2,-1\n3,5\n',
    });
    const r = simulate(scenario);
    expect(workload(r).traceReplay).toMatchObject({ rows: 5, badRows: 3, sent: 2, firstBadRow: { line: 3 } });
  });

  it('exit code 2 from the CLI, and no report written', async () => {
    const { dir } = scenarioWith(header('t.csv', '        timestamps: s\n'), { 't.csv': 'timestamp\n5\n1\n' });
    let stderr = '';
    const out = join(dir, 'out');
    const code = await main(['run', join(dir, 'scenario.yaml'), '--out', out], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      cwd: process.cwd(),
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(/t\.csv:3: workloads\[0\]\.arrivals\.trace\.file: timestamp "1" is earlier/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('lsim trace generate', () => {
  it('writes the file whole, and nothing on failure', async () => {
    const dir = tmp();
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: process.cwd() };
    expect(await main(['trace', 'generate', 'scenarios/steady-api.yaml', '--format', 'per-minute', '--out', join(dir, 'pm.csv')], io)).toBe(0);
    const lines = readFileSync(join(dir, 'pm.csv'), 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('timestamp,function,invocations');
    expect(lines.length).toBe(61);
    expect(await main(['trace', 'generate', 'scenarios/steady-api.yaml', '--out', join(dir, 'no-such-dir', 'x.csv')], io)).toBe(2);
    expect(await main(['trace', 'generate', 'scenarios/steady-api.yaml', '--start', 'soon', '--out', join(dir, 'y.csv')], io)).toBe(2);
    expect(readdirSync(dir)).toEqual(['pm.csv']);
  });
});

describe('lsim trace generate --start', () => {
  it('takes an ISO 8601 date and time with a zone (an offset moves the stamps) and refuses anything else', async () => {
    const dir = tmp();
    const scenario = parseScenario('name: g\nduration: 2m\nfunctions:\n  api: { duration: 10ms }\nworkloads:\n  - function: api\n    arrivals: { constant: 1/s }\n');
    const out = join(dir, 'pm.csv');
    generateTrace(scenario, { format: 'per-minute', out, start: '2024-03-05T00:00:00+01:00' });
    expect(readFileSync(out, 'utf8')).toBe('timestamp,function,invocations\n2024-03-04T23:00:00.000Z,api,60\n2024-03-04T23:01:00.000Z,api,60\n');
    const refusal = (start: string) => {
      try {
        generateTrace(scenario, { format: 'per-minute', out: join(dir, 'x.csv'), start });
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        return (e as UserError).message;
      }
      throw new Error('no error');
    };
    for (const start of ['-1', '1', 'March 5', 'soon']) expect(refusal(start)).toBe(`--start: ${JSON.stringify(start)} is not a valid time: expected an ISO 8601 date and time with a zone, like 2024-03-05T12:00:00Z`);
    expect(refusal('2024-02-30T00:00:00Z')).toBe('--start: "2024-02-30T00:00:00Z" is not a valid time: February 2024 has no day 30');
    expect(refusal('2024-03-05 12:00:00')).toMatch(/^--start: "2024-03-05 12:00:00" is not a valid time: it has no time zone; add Z or an offset such as \+02:00/);
    expect(refusal('9999-12-31T23:59:30Z')).toBe('--start: "9999-12-31T23:59:30Z" is too late: the scenario\'s 2 minutes from it run past the year 9999');
    expect(readdirSync(dir)).toEqual(['pm.csv']);
  });
});

describe('determinism', () => {
  it('same seed, same result; another workload does not change the replay', () => {
    const csv = ['timestamp,invocations', ...Array.from({ length: 10 }, (_, m) => `${m * 60},${50 + m}`)].join('\n');
    const extra = '        format: per-minute\n        spread: poisson\n        timestamps: s\n';
    const a = scenarioWith(header('t.csv', extra), { 't.csv': csv }).scenario;
    const b = scenarioWith(header('t.csv', extra), { 't.csv': csv }).scenario;
    expect(jsonReport(simulate(a))).toBe(jsonReport(simulate(b)));
    const withNeighbour = scenarioWith(header('t.csv', extra) + '  - function: other\n    arrivals: { poisson: 5/s }\n', { 't.csv': csv }).scenario;
    expect(replayAll(withNeighbour)).toEqual(replayAll(a));
  });
});
