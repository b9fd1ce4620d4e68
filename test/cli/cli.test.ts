import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';


const small = `name: small
seed: 3
duration: 2m
functions:
  f: { duration: 50ms }
workloads:
  - function: f
    arrivals: { poisson: 20/s }
`;

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'lsim-cli-'));
}

describe('lsim run', () => {
  it('prints the text report', async () => {
    const r = await cli(['run', 'scenarios/steady-api.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lsim · steady-api · seed 7/);
    expect(r.stdout).toContain('Workloads');
    expect(r.stderr).toBe('');
  });

  it('prints JSON with --format json, and --seed overrides the seed', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), small);
    const r = await cli(['run', 's.yaml', '--format', 'json', '--seed', '9'], { cwd: dir });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.schema).toBe('lsim.result/2');
    expect(json.scenario.seed).toBe('9');
  });

  it('--out writes the text, JSON, HTML and CSV reports whole, and nothing else', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), small);
    const r = await cli(['run', 's.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['bill.csv', 'report.html', 'report.txt', 'result.json', 'summary.csv', 'timeseries.csv', 'workloads.csv']);
    expect(JSON.parse(readFileSync(join(dir, 'out', 'result.json'), 'utf8')).scenario.name).toBe('small');
    expect(readFileSync(join(dir, 'out', 'report.txt'), 'utf8')).toBe(r.stdout);
    // Run again into the same directory: every file there is lsim's, so the set is replaced (bill.csv was once refused).
    const again = await cli(['run', 's.yaml', '--out', 'out', '--seed', '2'], { cwd: dir });
    expect(again.stderr).not.toMatch(/did not write/);
    expect(again.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'report.txt'), 'utf8')).toBe(again.stdout);
  });

  it('bad input: exit 2, every problem with file:line:column, no stack trace, nothing written', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'bad.yaml'),
      `name: bad
duration: 10m
functions:
  f:
    memroy: 512MB
    memory: 20000MB
    timeout: 1000s
    duration: 50ms
workloads:
  - function: f
    arrivals: { poisson: -5/s }
`,
    );
    const r = await cli(['run', 'bad.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:5:5: functions\.f\.memroy: .*did you mean "memory"/);
    expect(r.stderr).toMatch(/bad\.yaml:6:\d+: functions\.f\.memory: /);
    expect(r.stderr).toMatch(/bad\.yaml:7:\d+: functions\.f\.timeout: /);
    expect(r.stderr).toMatch(/bad\.yaml:11:\d+: workloads\[0\]\.arrivals\.poisson: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(r.stdout).toBe('');
  });

  it('a missing scenario file: exit 2 naming the file', async () => {
    const r = await cli(['run', 'no/such/file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('file.yaml');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown command or option: exit 2', async () => {
    expect((await cli(['fly'])).code).toBe(2);
    expect((await cli(['run', 'scenarios/burst.yaml', '--colour'])).code).toBe(2);
  });
});

describe('lsim validate', () => {
  it('accepts every shipped scenario, the bench\'s too', async () => {
    const files = ['scenarios', 'bench/scenarios'].flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
    const r = await cli(['validate', ...files]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^(bench\/)?scenarios\/.*: ok \(/.test(l))).toHaveLength(files.length);
  });

  it('reports problems of every file given', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), 'name: a\nduration: 10 minutes\nfunctions: {}\nworkloads: []\n');
    writeFileSync(join(dir, 'b.yaml'), 'name: b\nduration: [oops\n');
    const r = await cli(['validate', 'a.yaml', 'b.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/a\.yaml:2:\d+: duration: /);
    expect(r.stderr).toMatch(/b\.yaml:\d+:\d+: /);
  });
});

describe('lsim price', () => {
  it("reproduces AWS's example A1 ($2.73 a month)", async () => {
    const r = await cli(['price', '--requests', '3000000', '--duration', '120ms', '--memory', '1536MB']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/total\s+\$2\.73/);
  });
  it('prints JSON line items with --format json', async () => {
    const r = await cli(['price', '--requests', '60000000', '--duration', '28ms', '--memory', '1GB', '--granularity', '100ms', '--no-free-tier', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.lines.duration).toBeCloseTo(100.0002, 4);
    expect(json.lines.requests).toBeCloseTo(12, 9);
  });
  it('bad flags: exit 2 naming each flag', async () => {
    const r = await cli(['price', '--requests', '10', '--duration', '5', '--memory', 'lots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--duration: /);
    expect(r.stderr).toMatch(/--memory: /);
  });
});

describe('input people type (issue 13.3)', () => {
  it('lsim price --requests 3M, 2.5k, 1.2B: the same as the digits', async () => {
    const digits = await cli(['price', '--requests', '3000000', '--duration', '120ms', '--memory', '1536MB']);
    expect(await cli(['price', '--requests', '3M', '--duration', '120ms', '--memory', '1536MB'])).toEqual(digits);
    const k = await cli(['price', '--requests', '2.5k', '--format', 'json', '--duration', '1s', '--no-free-tier']);
    expect(JSON.parse(k.stdout).functions[0].quantities.billedRequests).toBe(2500);
    const b = await cli(['price', '--requests', '1.2B', '--pc', '10', '--pc-hours', '720', '--pc-requests', '0.5B', '--duration', '10ms', '--format', 'json']);
    expect(JSON.parse(b.stdout).functions[0].quantities.billedRequests).toBe(1.2e9);
  });

  it('lsim price --requests 3m: exit 2 naming the flag and what is accepted', async () => {
    const r = await cli(['price', '--requests', '3m', '--duration', '120ms']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'lsim: --requests: "3m" is not a count; write a number, optionally with k (thousand), M (million) or B (billion), e.g. "3000000", "3M", "2.5k", "1.2B"\n' });
  });

  it('--set functions.nope.memory=2GB: no function "nope", nothing created; exit 2', async () => {
    const r = await cli(['run', 'scenarios/teaching.yaml', '--set', 'functions.nope.memory=2GB']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'lsim: --set functions.nope.memory=2GB: no function named "nope" in functions (there are: api)\n' });
    const near = await cli(['compare', 'scenarios/burst.yaml', '--set', 'functions.chekout.memory=2GB']);
    expect(near.stderr).toBe('lsim: --set functions.chekout.memory=2GB: no function named "chekout" in functions (did you mean "checkout"?)\n');
  });

  it('compound durations and clock times in a scenario run; a bad clock time is located, exit 2', async () => {
    const dir = tmp();
    const yaml = (at: string) =>
      `name: office\nduration: 1d\nfunctions:\n  f:\n    duration: 50ms\n    provisionedConcurrency: { schedule: [{ at: ${at}, value: 2 }, { at: 18:30, value: 0 }] }\n` +
      `workloads:\n  - function: f\n    arrivals: { poisson: 0.2/s, at: 8h30m, until: 17:45:30 }\n`;
    writeFileSync(join(dir, 'ok.yaml'), yaml('08:15'));
    writeFileSync(join(dir, 'bad.yaml'), yaml('25:00'));
    expect((await cli(['validate', 'ok.yaml'], { cwd: dir })).stdout).toBe('ok.yaml: ok (1 function, 1 workload, 1d)\n');
    const bad = await cli(['run', 'bad.yaml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lsim: \S*bad\.yaml:6:48: functions\.f\.provisionedConcurrency\.schedule\[0\]\.at: "25:00" is not a time of day/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
