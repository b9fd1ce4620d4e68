// lsim run --records FILE.csv: one row per request for every invocation model (csv-stringify), read
// back with csv-parse; numbers as numbers, text neutralised against formula injection; written whole
// or not at all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { UserError } from '../../src/errors.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { traceRequests } from '../../src/report/explain.js';
import { STACK } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lsim-records-'));
const HEADER = 'workload,model,request,function,started_ms,ended_ms,latency_ms,outcome,reason,attempts,target,shard,sequence,key';

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
  it('writes one row per request, in the order they end, with the targets the async records reached', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 's.yaml'), SCENARIO);
    const r = await cli(['run', 's.yaml', '--records', 'out.csv', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`lsim: wrote ${join(dir, 'out.csv')}: 5 request records\n`);
    expect(JSON.parse(r.stdout).workloads[0].destinations.deadLetterQueue).toBe(3);
    // Request ids number arrivals across the workloads: stuck's at 0 and 1 ms come first (0, 1), failing's at
    // 5, 6, 7 s next (2, 3, 4). Event 0 of stuck holds the one environment for 10 minutes; event 1 ages out.
    // Empty cells: no shard, sequence or key for async events, no reason or target for a plain success.
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(
      [
        HEADER,
        'stuck,async,1,slow,1,60001,60000,dropped,event-too-old,0,,,,',
        'failing,async,2,f,5000,191000,186000,failed,retries-exhausted,3,dlq,,,',
        'failing,async,3,f,6000,192000,186000,failed,retries-exhausted,3,dlq,,,',
        'failing,async,4,f,7000,193000,186000,failed,retries-exhausted,3,dlq,,,',
        'stuck,async,0,slow,0,600000,600000,ok,,1,,,,',
        '',
      ].join('\n'),
    );
    expect(readdirSync(dir).sort()).toEqual(['out.csv', 's.yaml']);
  });

  it('many rows (written in chunks) read back to the result counts: scenarios/async-retries.yaml', async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/async-retries.yaml', '--records', join(dir, 'r.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'r.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const w = JSON.parse(r.stdout).workloads[0];
    expect(rows.length).toBeGreaterThan(100_000);
    expect(rows.filter((x) => x.target === 'dlq').length).toBe(w.destinations.deadLetterQueue);
    expect(rows.filter((x) => x.target === 'on-success').length).toBe(w.destinations.onSuccess);
    expect(rows.length).toBe(w.accepted + w.duplicates);
  });

  it('every model writes rows: a stream record has its shard, sequence and key, read back as numbers', async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/kinesis-stream.yaml', '--set', 'duration=1m', '--records', join(dir, 'r.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'r.csv'), 'utf8');
    expect(stringify(parse(text) as string[][])).toBe(text);
    const rows = parse(text, { columns: true, cast: true }) as Record<string, string | number>[];
    const [pf1, pf4] = JSON.parse(r.stdout).workloads;
    expect(rows.length).toBe(pf1.records.written + pf4.records.written);
    expect(rows.filter((x) => x.outcome === 'processed').length).toBe(pf1.records.processed + pf4.records.processed);
    for (const x of rows.slice(0, 100)) {
      expect([x.model, typeof x.shard, typeof x.sequence, typeof x.key, typeof x.latency_ms]).toEqual(['stream', 'number', 'number', 'number', 'number']);
    }
    expect(r.stderr).toBe(`lsim: wrote ${join(dir, 'r.csv')}: ${rows.length.toLocaleString('en-US')} request records\n`);
  });

  it('Step Functions: one row per execution, adding up to the executions the result counts, with the ids and outcomes lsim explain tells', async () => {
    const dir = tmp();
    const file = 'scenarios/long-job-step-functions.yaml';
    const r = await cli(['run', file, '--records', join(dir, 'r.csv'), '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'r.csv'), 'utf8'), { columns: true, cast: true }) as Record<string, string | number>[];
    for (const w of JSON.parse(r.stdout).workloads) {
      const mine = rows.filter((x) => x.workload === w.name);
      const x = w.executions;
      expect(mine.every((row) => row.model === 'stepfunctions' && row.function === w.function)).toBe(true);
      const count = (outcome: string) => mine.filter((row) => row.outcome === outcome).length;
      expect([mine.length, count('ok'), count('failed'), count('timed-out'), count('open')]).toEqual([x.started, x.succeeded, x.failed, x.timedOut, x.openAtEnd]);
    }
    const byId = new Map(rows.map((x) => [x.request, x]));
    for (const { id, events } of traceRequests(loadScenarioFile(file), 4).requests) {
      const done = events.find((e) => e.type === 'done');
      expect(byId.get(id)?.outcome).toBe(done ? done.outcome : 'open');
    }
  });

  it("a sync request's id is the one lsim explain tells, with the same outcome", async () => {
    const dir = tmp();
    const r = await cli(['run', 'scenarios/teaching.yaml', '--records', join(dir, 'r.csv')]);
    expect(r.code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'r.csv'), 'utf8'), { columns: true, cast: true }) as Record<string, string | number>[];
    const byId = new Map(rows.map((x) => [x.request, x]));
    for (const { id, events } of traceRequests(loadScenarioFile('scenarios/teaching.yaml'), 16).requests) {
      const done = events.find((e) => e.type === 'done')!;
      expect([byId.get(id)?.outcome, byId.get(id)?.ended_ms]).toEqual([done.outcome, Math.round(done.tMs * 1000) / 1000]);
    }
  });

  it('neutralises text that a spreadsheet would run as a formula, and quotes commas and quotes', async () => {
    const dir = tmp();
    const yaml = `
name: injection
seed: 1
duration: 10s
functions:
  "@fn": { duration: 100ms }
  "-fn,1": { duration: 100ms }
workloads:
  - { name: '=HYPERLINK("http://x")', function: "@fn", arrivals: { at: 1s, for: 1s, constant: 1/s } }
  - { name: "+plus", function: "-fn,1", arrivals: { at: 2s, for: 1s, constant: 1/s } }
`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    const r = await cli(['run', 's.yaml', '--records', 'r.csv'], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'r.csv'), 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")",sync,0,'@fn,1000,`);
    expect(text).toContain(`'+plus,sync,1,"'-fn,1",2000,`);
    // Quoted exactly as csv-stringify quotes.
    expect(stringify(parse(text) as string[][])).toBe(text);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.workload, x.function])).toEqual([
      [`'=HYPERLINK("http://x")`, `'@fn`],
      [`'+plus`, `'-fn,1`],
    ]);
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
    expect(() => simulate(parseScenario(yaml, join(dir, 's.yaml')), { onRecord: () => produced++ })).toThrow(UserError);
    expect(produced).toBeGreaterThan(100);
    const r = await cli(['run', 's.yaml', '--records', 'r.csv'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/t\.csv:302: .*timestamp "abc"/);
    expect(r.stderr).not.toMatch(STACK);
    expect(readdirSync(dir).sort()).toEqual(['s.yaml', 't.csv']);

    // A run that succeeds but whose --out folder is a file: no reports, no records.
    writeFileSync(join(dir, 'blocker'), '');
    const o = await cli(['run', writeOk(dir), '--records', 'r.csv', '--out', 'blocker/sub'], { cwd: dir });
    expect(o.code).toBe(2);
    expect(existsSync(join(dir, 'r.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('r.csv'))).toEqual([]);
  });

  it('a records file inside the --out directory is refused before anything runs, naming both (it named a temporary)', async () => {
    const dir = tmp();
    writeOk(dir);
    expect((await cli(['run', 'ok.yaml', '--out', 'out', '--format', 'json'], { cwd: dir })).code).toBe(0);
    const before = readdirSync(join(dir, 'out')).sort();
    for (const records of ['out/r.csv', join(dir, 'out', 'sub', '..', 'r.csv')]) {
      const r = await cli(['run', 'ok.yaml', '--out', 'out', '--records', records], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`lsim: --records ${records}: is inside --out out, which lsim replaces as a whole; write the records outside it\n`);
      expect(r.stdout).toBe('');
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(before);
    }
  });

  it('--records - is refused before the run (standard output carries the report; a file named "-" was written)', async () => {
    const dir = tmp();
    writeOk(dir);
    const r = await cli(['run', 'ok.yaml', '--records', '-'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('lsim: --records -: the records go to a file, since standard output carries the report; give a path, e.g. --records records.csv\n');
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['ok.yaml']);
  });

  it('a records path in a missing folder is a user error before anything runs', async () => {
    const r = await cli(['run', 'scenarios/teaching.yaml', '--records', join(tmp(), 'no', 'such', 'r.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lsim: --records .*no\/such\/r\.csv: cannot write: no such file or directory \(ENOENT\)\n$/);
  });
});

/** Writes the scenario above as ok.yaml in `dir`. */
function writeOk(dir: string): string {
  writeFileSync(join(dir, 'ok.yaml'), SCENARIO);
  return 'ok.yaml';
}
