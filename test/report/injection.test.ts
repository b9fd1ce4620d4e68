// Injection (issue 22 item 9): control characters from a scenario never reach the terminal raw (text
// report, explain, compare, sweep, validate, error messages), and every CSV lsim writes neutralises
// formula injection in text cells, reversibly, without touching numbers.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell, csvCellValue, escapeControls } from '../../src/format.js';
import { cli, STACK } from '../helpers/cli.js';

describe('escapeControls', () => {
  it('makes every control character visible and keeps line breaks and ordinary text', () => {
    expect(escapeControls('a\x1b]0;pwned\x07b\nc\td\r\x7f\x9b\u202e\u2066é€')).toBe('a\\x1b]0;pwned\\x07b\nc\\x09d\\x0d\\x7f\\x9b\\u202e\\u2066é€');
    expect(escapeControls('plain text · 1,000 ms')).toBe('plain text · 1,000 ms');
  });
});

describe('csvCell / csvCellValue', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+SUM(A1)', "'+SUM(A1)"],
    ['-fn', "'-fn"],
    ['@x', "'@x"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=x", "''=x"], // already quoted by someone: one more, so reading back gives it exactly
    ['-12.5', '-12.5'], // numbers stay numbers
    ['+3e-4', '+3e-4'],
    ['-', "'-"],
    ['api', 'api'],
    ["'plain", "'plain"],
  ])('%j → %j and back', (raw, cell) => {
    expect(csvCell(raw)).toBe(cell);
    expect(csvCellValue(cell)).toBe(raw);
  });
});

const NAMES = `
name: "evil\\e]0;title\\a"
description: "line\\e[2Jcleared"
seed: 1
duration: 2m
functions:
  "=cmd|' /C calc'!A0": { duration: 50ms }
  "-fn\\e[31m": { duration: 50ms }
workloads:
  - { name: "@wl", function: "=cmd|' /C calc'!A0", arrivals: { poisson: 5/s } }
  - { name: "+q\\u202e", function: "-fn\\e[31m", invoke: sqs, arrivals: { poisson: 5/s } }
`;

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-inject-'));
  writeFileSync(join(dir, 's.yaml'), NAMES);
  return dir;
}

/** No ESC, BEL, C1 or bidi control anywhere in terminal text. */
const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminal output escapes the scenario’s control characters', () => {
  it.each([
    ['run (text report)', ['run', 's.yaml']],
    ['run --summary', ['run', 's.yaml', '--summary']],
    ['explain', ['explain', 's.yaml', '-n', '3']],
    ['compare', ['compare', 's.yaml', '--set', 'seed=2']],
    ['sweep', ['sweep', 's.yaml', '--vary', 'seed=1,2']],
    ['validate', ['validate', 's.yaml']],
  ])('%s', async (_what, args) => {
    const r = await cli(args, { cwd: folder() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain(args[0] === 'validate' ? 's.yaml: ok' : args[0] === 'compare' ? '-fn\\x1b[31m' : 'evil\\x1b]0;title\\x07');
  });

  it('error messages', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'bad.yaml'), NAMES.replace('duration: 50ms }', 'duration: 50ms, memory: "\\e[2J" }'));
    const r = await cli(['run', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toMatch(/memory/);
  });

  it('the JSON keeps the names exactly (JSON escapes them itself)', async () => {
    const r = await cli(['run', 's.yaml', '--format', 'json'], { cwd: folder() });
    const j = JSON.parse(r.stdout);
    expect(j.scenario.name).toBe('evil\x1b]0;title\x07');
    expect(j.functions.map((f: { name: string }) => f.name)).toEqual(["=cmd|' /C calc'!A0", '-fn\x1b[31m']);
  });
});

describe('every CSV lsim writes neutralises formula injection; numbers stay numbers', () => {
  /** Every cell of every CSV file in `dir`: text cells, and whether a numeric-looking cell parses. */
  function cells(dir: string): string[] {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .flatMap((f) => (parse(readFileSync(join(dir, f), 'utf8')) as string[][]).flat());
  }
  const dangerous = (c: string) => /^[=+\-@\t\r]/.test(c) && !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(c);

  it('run --out (timeseries, summary, workloads) and --records', async () => {
    const dir = folder();
    const r = await cli(['run', 's.yaml', '--out', 'out', '--records', 'out.csv'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const all = [...cells(join(dir, 'out')), ...cells(dir)];
    expect(all.filter(dangerous)).toEqual([]);
    expect(all).toContain("'=cmd|' /C calc'!A0");
    expect(all).toContain("'@wl");
    // Reversible: each neutralised cell reads back to the name.
    expect(all.filter((c) => c.startsWith("'")).map(csvCellValue)).toEqual(expect.arrayContaining(["=cmd|' /C calc'!A0", '@wl', '+q\u202e', '-fn\x1b[31m']));
  });

  it('sweep --out (sweep.csv): a negative number stays a number', async () => {
    const dir = folder();
    const r = await cli(['sweep', 's.yaml', '--vary', 'seed=-1,2', '--out', 'sw'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const rows = parse(readFileSync(join(dir, 'sw', 'sweep.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.seed)).toEqual(['-1', '2']);
    expect(cells(join(dir, 'sw')).filter(dangerous)).toEqual([]);
  });

  it('trace generate (requests, per-minute, azure), and the trace replays to the same function', async () => {
    const dir = folder();
    for (const format of ['requests', 'per-minute', 'azure']) {
      const r = await cli(['trace', 'generate', 's.yaml', '--format', format, '--out', `${format}.csv`], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(cells(dir).filter(dangerous)).toEqual([]);
    expect(cells(dir)).toContain("'=cmd|' /C calc'!A0");
    // Replayed with a rule naming the original (un-neutralised) function: its rows, and only they, map to it.
    writeFileSync(
      join(dir, 'replay.yaml'),
      `duration: 2m\nfunctions:\n  f: { duration: 50ms }\nworkloads:\n  - function: f\n    arrivals:\n      trace: { file: requests.csv, functions: [{ name: "=cmd|' /C calc'!A0", to: f }] }\n`,
    );
    const replay = await cli(['run', 'replay.yaml', '--format', 'json'], { cwd: dir });
    expect(replay.code, replay.stderr).toBe(0);
    const generated = (parse(readFileSync(join(dir, 'requests.csv'), 'utf8'), { columns: true }) as Record<string, string>[]).filter((x) => x.function.startsWith("'="));
    expect(generated.length).toBeGreaterThan(300);
    expect(JSON.parse(replay.stdout).functions[0].attempts).toBe(generated.length);
  });
});
