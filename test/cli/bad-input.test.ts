// Bad input, class by class (issue 22): every one exits 2 with a located message and no stack trace,
// and leaves no file behind in the folder it was run in.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, STACK } from '../helpers/cli.js';

const WORKLOAD = 'workloads:\n  - function: f\n    arrivals: { poisson: 1/s }\n';
const scenario = (functions: string, rest = WORKLOAD) => `duration: 10m\nfunctions:\n${functions}\n${rest}`;

/** [what, scenario text, fragments the message must contain (in order)] */
const CASES: [string, string, string[]][] = [
  // Finite numbers that overflow with their unit, and derived parameters (22.2).
  ['a uniform max of 1e308h', scenario('  f: { duration: { uniform: { min: 1ms, max: 1e308h } } }'), [':3:', 'functions.f.duration.uniform.max', 'longer than any duration lsim accepts']],
  ['an exponential mean of 1e308h', scenario('  f: { duration: { exponential: 1e308h } }'), [':3:', 'functions.f.duration.exponential', '100 years']],
  ['a lognormal p99 of 1e30h', scenario('  f: { duration: { lognormal: { median: 100ms, p99: 1e30h } } }'), ['functions.f.duration.lognormal.p99', '100 years']],
  ['a lognormal sigma of 1e300', scenario('  f: { duration: { lognormal: { mean: 100ms, sigma: 1e300 } } }'), ['functions.f.duration.lognormal.sigma', 'sigma (1.00e+300) is too large']],
  ['a fixed duration of 1e308h', scenario('  f: { duration: 1e308h }'), ['functions.f.duration', '100 years']],
  ['a run of 1e308h', 'duration: 1e308h\nfunctions:\n  f: { duration: 1ms }\n' + WORKLOAD, [':1:', 'duration', '100 years']],
  ['a diurnal period of 1e308h', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    arrivals: { diurnal: { mean: 1/s, amplitude: 0.5, period: 1e308h } }\n'), ['workloads[0].arrivals.diurnal.period', '100 years']],
  ['a report interval of 1e308h', scenario('  f: { duration: 1ms }', WORKLOAD + 'report: { interval: 1e308h }\n'), ['report.interval', '100 years']],
  ['a rate of 1e400/s', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    arrivals: { poisson: 1e400/s }\n'), ['workloads[0].arrivals.poisson', 'is not a finite number']],
  // Keys that reach JavaScript's prototype, duplicates, aliases (22.10).
  ['__proto__ as a function name', scenario('  __proto__: { duration: 1ms }\n  f: { duration: 1ms }'), [':3:3:', '"__proto__" cannot be a key']],
  ['constructor inside a function', scenario('  f: { duration: 1ms, constructor: 1 }'), [':3:', '"constructor" cannot be a key']],
  ['prototype inside account', 'duration: 10m\naccount: { prototype: 1 }\nfunctions:\n  f: { duration: 1ms }\n' + WORKLOAD, [':2:', '"prototype" cannot be a key']],
  ['__proto__ inside a segment', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    arrivals: { poisson: 1/s, __proto__: {} }\n'), ['"__proto__" cannot be a key']],
  ['a duplicate key', 'duration: 10m\nduration: 5m\nfunctions:\n  f: { duration: 1ms }\n' + WORKLOAD, [':2:1:', 'duplicate key "duration"']],
  ['a duplicate key in a flow map', scenario('  f: { duration: 1ms, memory: 128MB, memory: 256MB }'), [':3:', 'duplicate key "memory"']],
  ['an unresolved alias', scenario('  f: { duration: *nope }'), [':3:', 'the alias *nope names no anchor &nope']],
  [
    'an alias bomb',
    ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`), scenario('  f: { duration: 1ms }')].join('\n'),
    [':2:', 'aliases expand to more than 1000 copies'],
  ],
  // The rest of the bill (docs/billing.md "The rest of the bill").
  ['an unknown service price', scenario('  f: { duration: 1ms }', WORKLOAD + 'billing:\n  servicePrices: { sqsRequests: 0.4 }\n'), ['billing.servicePrices.sqsRequests', 'is not a service price']],
  ['a negative service price', scenario('  f: { duration: 1ms }', WORKLOAD + 'billing:\n  servicePrices: { snsPublishes: -1 }\n'), ['billing.servicePrices.snsPublishes', 'a number ≥ 0']],
  [
    'on-demand Kinesis without its prices',
    scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    invoke: stream\n    arrivals: { poisson: 1/s }\n    stream: { capacityMode: on-demand }\n'),
    ['workloads[0].stream.capacityMode', 'no confirmed', 'billing.servicePrices.kinesisOnDemandStreamHours'],
  ],
  [
    'a capacity mode on a DynamoDB stream',
    scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    invoke: stream\n    arrivals: { poisson: 1/s }\n    stream: { source: dynamodb, capacityMode: provisioned }\n'),
    ['workloads[0].stream.capacityMode', 'for Kinesis streams'],
  ],
  ['SQS requests in a Region without confirmed SQS prices', 'duration: 10m\naccount: { region: eu-west-1 }\nfunctions:\n  f: { duration: 1ms }\nworkloads:\n  - function: f\n    invoke: sqs\n    arrivals: { poisson: 1/s }\n', ['workloads[0].sqs', 'eu-west-1', 'billing.servicePrices.sqsStandardRequests']],
  ['a negative log volume', scenario('  f: { duration: 1ms, logsPerInvocation: -1KB }'), ['functions.f.logsPerInvocation']],
];

describe('bad input: exit 2, a located message, no stack trace, no file left', () => {
  it.each(CASES)('%s', async (_what, text, fragments) => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-bad-'));
    writeFileSync(join(dir, 's.yaml'), text);
    const r = await cli(['run', 's.yaml', '--out', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(/internal error/);
    let from = 0;
    for (const f of fragments) {
      const at = r.stderr.indexOf(f, from);
      expect(at, `"${f}" in ${r.stderr}`).toBeGreaterThanOrEqual(0);
      from = at + f.length;
    }
    expect(r.stderr).toMatch(/^lsim: (\d+ problems:\n)?\S*s\.yaml:\d+:\d+: /);
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });
});

describe('absurd load (issue 22 item 6): refused with the estimate unless --allow-large', () => {
  const write = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-large-'));
    writeFileSync(join(dir, 's.yaml'), text);
    return dir;
  };
  const f = 'functions:\n  f: { duration: 10ms }\n';
  it.each([
    ['10 billion arrivals in 10 s', `duration: 10s\naccount: { concurrency: 1000000 }\n${f}workloads:\n  - function: f\n    arrivals: { poisson: 1e9/s }\n`, ['10,000,000,000 requests', 'about 1 h 23 min']],
    ['a 100-year run at 10/s', `duration: 36500d\n${f}workloads:\n  - function: f\n    arrivals: { poisson: 10/s }\n`, ['31,536,000,000 requests']],
    [
      'an async backlog of half a billion events',
      'duration: 30d\nfunctions:\n  f: { duration: 1s, reservedConcurrency: 1 }\nworkloads:\n  - function: f\n    invoke: async\n    arrivals: { poisson: 200/s }\n',
      ['a backlog of 515,808,000 queued messages or events'],
    ],
  ])('%s', async (_what, text, fragments) => {
    const dir = write(text);
    for (const args of [['run', 's.yaml'], ['trace', 'generate', 's.yaml', '--out', 't.csv'], ['compare', 's.yaml', '--set', 'seed=2']]) {
      const r = await cli(args, { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).toMatch(/s\.yaml: this run is estimated at /);
      // compare runs the scenario twice: its estimate is the sum of both.
      if (args[0] !== 'compare') for (const frag of fragments) expect(r.stderr).toContain(frag);
      expect(r.stderr).toContain('--allow-large');
    }
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });

  it('a sweep adds up its points × replications', async () => {
    const dir = write(`duration: 10m\n${f}workloads:\n  - function: f\n    arrivals: { poisson: 100000/s }\n`);
    // 60 M requests a run: 20 runs make 1.2 billion.
    const r = await cli(['sweep', 's.yaml', '--vary', 'functions.f.memory=128MB,256MB', '--replications', '10'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('1,200,000,000 requests over its 20 runs');
  });

  it('--allow-large runs it', async () => {
    const dir = write(`duration: 10s\naccount: { concurrency: 1000000 }\n${f}workloads:\n  - function: f\n    arrivals: { poisson: 1e9/s }\n`);
    const r = await cli(['run', 's.yaml', '--allow-large', '--set', 'duration=1ms', '--format', 'json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).functions[0].attempts).toBeGreaterThan(500_000);
  });
});
