// The report commands through main(): formats, --out files, compare, explain, colour and progress rules.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, STACK } from '../helpers/cli.js';


const tmp = () => mkdtempSync(join(tmpdir(), 'lsim-reports-'));
const ESC = '\x1b[';

describe('lsim run formats', () => {
  it('--format csv prints the summary table; --format html a whole page', async () => {
    const csv = await cli(['run', 'scenarios/teaching.yaml', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\n')[0]).toMatch(/^function,memory_mb,attempts,invocations,/);
    expect(csv.stdout.split('\n')[1]).toMatch(/^api,512,/);
    const html = await cli(['run', 'scenarios/teaching.yaml', '--format', 'html']);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toMatch(/<\/html>\n$/);
  });

  it('--out files equal what each format prints', async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/teaching.yaml', '--out', dir, '--format', 'html']);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toBe(r.stdout);
    const csv = await cli(['run', 'scenarios/teaching.yaml', '--format', 'csv']);
    expect(readFileSync(join(dir, 'summary.csv'), 'utf8')).toBe(csv.stdout);
    expect(readFileSync(join(dir, 'timeseries.csv'), 'utf8').split('\n')[0]).toBe(
      'start_ms,function,invocations,throttles,cold_starts,errors,concurrency_mean,concurrency_max,environments,scaling_allowance',
    );
  });

  it('colours the text report only when stdout is a terminal, never in --out files', async () => {
    const dir = tmp();
    const tty = await cli(['run', 'scenarios/teaching.yaml', '--out', dir], { stdoutTTY: true });
    expect(tty.stdout).toContain(ESC);
    expect(readFileSync(join(dir, 'report.txt'), 'utf8')).not.toContain(ESC);
    expect(tty.stdout.replace(/\x1b\[\d+m/g, '')).toBe(readFileSync(join(dir, 'report.txt'), 'utf8'));
    const pipe = await cli(['run', 'scenarios/teaching.yaml']);
    expect(pipe.stdout).not.toContain(ESC);
    const json = await cli(['run', 'scenarios/teaching.yaml', '--format', 'json'], { stdoutTTY: true });
    expect(json.stdout).not.toContain(ESC);
  });

  it('progress: never with --format json or when stderr is not a terminal (short runs print nothing anyway)', async () => {
    const json = await cli(['run', 'scenarios/teaching.yaml', '--format', 'json'], { stderrTTY: true });
    expect(json.stderr).toBe('');
    const pipe = await cli(['run', 'scenarios/teaching.yaml']);
    expect(pipe.stderr).toBe('');
  });

  it('--set changes the scenario; a bad value is located and names the --set', async () => {
    const r = await cli(['run', 'scenarios/teaching.yaml', '--format', 'json', '--set', 'functions.api.memory=1024MB']);
    expect(JSON.parse(r.stdout).functions[0].memoryMb).toBe(1024);
    const bad = await cli(['run', 'scenarios/teaching.yaml', '--set', 'functions.api.memory=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^lsim: scenarios\/teaching\.yaml:13:13: functions\.api\.memory: .*\(value from --set functions\.api\.memory=lots\)\n$/);
    const malformed = await cli(['run', 'scenarios/teaching.yaml', '--set', 'functions.api.memory']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/expected key\.path=value/);
  });
});

describe('lsim compare', () => {
  it('one scenario and --set: the golden table', async () => {
    const r = await cli(['compare', 'scenarios/teaching.yaml', '--set', 'billing.granularity=100ms', '--set', 'functions.api.reservedConcurrency=6']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('reports/compare-teaching.txt', 'utf8'));
  });

  it('two files, JSON and --out', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'b.yaml'), readFileSync('scenarios/teaching.yaml', 'utf8').replace('reservedConcurrency: 3', 'reservedConcurrency: 4'));
    const r = await cli(['compare', 'scenarios/teaching.yaml', join(dir, 'b.yaml'), '--format', 'json', '--out', join(dir, 'out')]);
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.schema).toBe('lsim.compare/1');
    expect(c.runs.map((x: { label: string }) => x.label)).toEqual(['teaching', 'b']);
    expect(readFileSync(join(dir, 'out', 'compare.json'), 'utf8')).toBe(r.stdout);
    expect(readFileSync(join(dir, 'out', 'compare.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('needs two runs; reports every bad file', async () => {
    const one = await cli(['compare', 'scenarios/teaching.yaml']);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/needs two scenarios, or one scenario and at least one --set/);
    const two = await cli(['compare', 'nope-a.yaml', 'nope-b.yaml']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('nope-a.yaml: file not found');
    expect(two.stderr).toContain('nope-b.yaml: file not found');
  });
});

describe('lsim explain', () => {
  it('prints the golden timeline', async () => {
    const r = await cli(['explain', 'scenarios/teaching.yaml', '--requests', '16']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync('reports/explain-teaching.txt', 'utf8'));
  });
  it('rejects a bad --requests', async () => {
    const r = await cli(['explain', 'scenarios/teaching.yaml', '--requests', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--requests: expected a whole number/);
  });
  it('streams, --from and --failures: prints the stream golden timeline', async () => {
    const r = await cli(['explain', 'scenarios/stream-poison-record.yaml', '--from', '59.3s', '--failures', '-n', '2']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(readFileSync('reports/explain-stream.txt', 'utf8'));
  });
  it('--from takes a duration or a clock time', async () => {
    const a = await cli(['explain', 'scenarios/teaching.yaml', '--from', '1m', '-n', '2']);
    const b = await cli(['explain', 'scenarios/teaching.yaml', '--from', '00:01', '-n', '2']);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout).toContain('· the first 2 requests from 1m\n');
    expect(b.stdout).toBe(a.stdout);
  });
  it('rejects a bad --from, or one past the end of the run, without a stack trace and with nothing on stdout', async () => {
    for (const [from, message] of [
      ['soon', /^lsim: --from: "soon" is not a duration/],
      ['3m', /^lsim: --from 3m: the run ends at 2m; give a time before it\n$/],
    ] as const) {
      const r = await cli(['explain', 'scenarios/teaching.yaml', '--from', from]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
  });
});
