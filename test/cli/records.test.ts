// lsim run --records FILE.csv: the async records as CSV (csv-stringify), read back with csv-parse;
// written whole or not at all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { UserError } from '../../src/errors.js';


const tmp = () => mkdtempSync(join(tmpdir(), 'lsim-records-'));

// Three events at 5, 6, 7 s that always fail (d = 2 s, no init): DLQ at t + 186 s. One more workload
// whose events are all older than its 60 s maximum age before they can run (reserved concurrency 1,
// held by a 10-minute invocation): event-too-old, dropped.
const SCENARIO = `
name: records
seed: 1
duration: 1h
functions:
  f: { memory: 1024MB, timeout: 30s, duration: 2s, init: 0ms, errors: 1 }
  slow: { memory: 1024MB, timeout: 15m, duration: 10m, init: 0ms, reservedConcurrency: 1 }
workloads:
  - name: failing
    function: f
    invoke: async
    arrivals: { at: 5s, for: 3s, constant: 1/s }
    async: { deadLetterQueue: sqs }
  - name: stuck
    function: slow
    invoke: async
    arrivals: { for: 2ms, constant: 1000/s }
    async: { maximumEventAge: 60s }
`;

describe('lsim run --records', () => {
  it('writes one row per record, read back with csv-parse to the exact values', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = await cli(['run', 's.yaml', '--records', 'out.csv', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`lsim: wrote ${join(dir, 'out.csv')}: 4 async records\n`);
    const text = readFileSync(join(dir, 'out.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe('workload,event,accepted_at_ms,at_ms,target,reason,attempts,age_ms');
    const rows = parse(text, { columns: true, cast: true }) as Record<string, string | number>[];
    // Events are numbered in order of acceptance across the async workloads: stuck's at 0 and 1 ms
    // come first (0, 1), failing's at 5, 6, 7 s next (2, 3, 4). Rows come in time order.
    expect(rows).toEqual([
      { workload: 'stuck', event: 1, accepted_at_ms: 1, at_ms: 60_001, target: 'dropped', reason: 'event-too-old', attempts: 0, age_ms: 60_000 },
      { workload: 'failing', event: 2, accepted_at_ms: 5000, at_ms: 191_000, target: 'dlq', reason: 'retries-exhausted', attempts: 3, age_ms: 186_000 },
      { workload: 'failing', event: 3, accepted_at_ms: 6000, at_ms: 192_000, target: 'dlq', reason: 'retries-exhausted', attempts: 3, age_ms: 186_000 },
      { workload: 'failing', event: 4, accepted_at_ms: 7000, at_ms: 193_000, target: 'dlq', reason: 'retries-exhausted', attempts: 3, age_ms: 186_000 },
    ]);
    // The same counts as the result.
    const result = JSON.parse(r.stdout);
    expect(result.workloads[0].destinations.deadLetterQueue).toBe(3);
    expect(result.workloads[1].dropped['event-too-old']).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 's.yaml']);
  });

  it('many records (written in chunks) read back to the result counts: scenarios/async-retries.yaml', async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/async-retries.yaml', '--records', join(dir, 'r.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'r.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const w = JSON.parse(r.stdout).workloads[0];
    expect(rows.length).toBeGreaterThan(10_000);
    expect(rows.filter((x) => x.target === 'dlq').length).toBe(w.destinations.deadLetterQueue);
    expect(rows.filter((x) => x.target === 'on-success').length).toBe(w.destinations.onSuccess);
    expect(rows.length).toBe(w.destinations.deadLetterQueue + w.destinations.onFailure + w.destinations.onSuccess + w.dropped.total);
  });

  it('a scenario without async workloads gets a header-only file, and says so', async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/teaching.yaml', '--records', join(dir, 'r.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('0 async records (no async workload: header only)');
    expect(readFileSync(join(dir, 'r.csv'), 'utf8')).toBe('workload,event,accepted_at_ms,at_ms,target,reason,attempts,age_ms\n');
  });

  it('writes nothing when the run fails part-way, nor when the --out reports cannot be written', async () => {
    // Records start at 0 s (reserved concurrency 0); the trace of the other workload has a bad row at 301 s.
    const dir = tmp();
    const yaml = `
name: records-fail
seed: 1
duration: 10m
functions:
  f: { duration: 100ms, reservedConcurrency: 0 }
  g: { duration: 100ms }
workloads:
  - name: events
    function: f
    invoke: async
    arrivals: { constant: 1/s }
    async: { deadLetterQueue: sqs }
  - name: replay
    function: g
    client: { retries: none }
    arrivals:
      trace:
        file: t.csv
        timestamps: s
`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    writeFileSync(join(dir, 't.csv'), ['timestamp', ...Array.from({ length: 300 }, (_, i) => String(i + 1)), 'abc', ''].join('\n'));
    // The failure comes after records were produced.
    let produced = 0;
    expect(() => simulate(parseScenario(yaml, join(dir, 's.yaml')), { onAsyncRecord: () => produced++ })).toThrow(UserError);
    expect(produced).toBeGreaterThan(100);
    const r = await cli(['run', 's.yaml', '--records', 'r.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/t\.csv:302: .*timestamp "abc"/);
    expect(readdirSync(dir).sort()).toEqual(['s.yaml', 't.csv']);

    // A run that succeeds but whose --out folder is a file: no reports, no records.
    writeFileSync(join(dir, 'blocker'), '');
    const o = await cli(['run', writeOk(dir), '--records', 'r.csv', '--out', 'blocker/sub'], { cwd: dir });
    expect(o.code).toBe(2);
    expect(existsSync(join(dir, 'r.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('r.csv'))).toEqual([]);
  });

  it('a records path in a missing folder is a user error before anything runs', async () => {
    const r = await cli(['run', 'scenarios/teaching.yaml', '--records', join(tmp(), 'no', 'such', 'r.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write the records file \(ENOENT\)/);
  });
});

/** Writes the scenario above as ok.yaml in `dir`. */
function writeOk(dir: string): string {
  writeFileSync(join(dir, 'ok.yaml'), SCENARIO);
  return 'ok.yaml';
}
