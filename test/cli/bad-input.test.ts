// Bad input, class by class (issue 22): every one exits 2 with a located message and no stack trace,
// and leaves no file behind in the folder it was run in.
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setWriteFunction } from '../../src/report/write.js';
import { cli, STACK } from '../helpers/cli.js';

const WORKLOAD = 'workloads:\n  - function: f\n    arrivals: { poisson: 1/s }\n';
/** An async workload whose `async` block is on line 8. */
const ASYNC = (block: string, extra = '') => `workloads:\n  - function: f\n    invoke: async\n    arrivals: { poisson: 1/s }\n${extra}    async: ${block}\n`;
const scenario = (functions: string, rest = WORKLOAD) => `duration: 10m\nfunctions:\n${functions}\n${rest}`;

/** A Step Functions workload (issue 16 item 3) whose definition's first state is on line 13 of `scenario(…)`. */
const SFN = (states: string, type = 'STANDARD', extra = '') =>
  `workloads:\n  - function: f\n    invoke: stepfunctions\n    arrivals: { poisson: 1/s }\n    stepFunctions:\n      type: ${type}\n      definition:\n        StartAt: A\n${extra}        States:\n${states}`;

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
  // Event sources in front of the async queue (issue 15 item 2): an unknown source, a block of another source, impossible values.
  ['an unknown async source', scenario('  f: { duration: 1ms }', ASYNC('{ source: kinesis }')), [':8:', 'workloads[0].async.source', '"kinesis" is not one of sdk, aws-service, s3, sns, eventbridge']],
  ['an s3 block beside source: sns', scenario('  f: { duration: 1ms }', ASYNC('{ source: sns, s3: { delay: 1s } }')), [':8:', 'workloads[0].async.s3', '"s3" goes only with "source: s3"', '"source: sns"']],
  ['an eventbridge block with the default source', scenario('  f: { duration: 1ms }', ASYNC('{ eventbridge: { maximumRetryAttempts: 3 } }')), [':8:', 'workloads[0].async.eventbridge', '"source: sdk"']],
  ['an SNS key misspelt', scenario('  f: { duration: 1ms }', ASYNC('{ source: sns, sns: { deliveryErrorProbabilty: 0.1 } }')), [':8:', 'workloads[0].async.sns.deliveryErrorProbabilty', 'did you mean "deliveryErrorProbability"']],
  ['186 EventBridge retries', scenario('  f: { duration: 1ms }', ASYNC('{ source: eventbridge, eventbridge: { maximumRetryAttempts: 186 } }')), [':8:', 'workloads[0].async.eventbridge.maximumRetryAttempts', 'from 0 to 185', 'got 186']],
  ['an EventBridge event age of 25 h', scenario('  f: { duration: 1ms }', ASYNC('{ source: eventbridge, eventbridge: { maximumEventAge: 25h } }')), [':8:', 'workloads[0].async.eventbridge.maximumEventAge', 'from 1m to 1d', 'got 25h']],
  ['an EventBridge backoff cap below its base', scenario('  f: { duration: 1ms }', ASYNC('{ source: eventbridge, eventbridge: { backoffInitial: 1m, backoffMax: 1s } }')), [':8:', 'eventbridge.backoffMax', 'must be at least backoffInitial']],
  ['an S3 duplicate probability of 1.5', scenario('  f: { duration: 1ms }', ASYNC('{ source: s3, s3: { duplicateProbability: 1.5 } }')), [':8:', 'workloads[0].async.s3.duplicateProbability', 'from 0 to 1', 'got 1.5']],
  ['an S3 delay that is no distribution', scenario('  f: { duration: 1ms }', ASYNC('{ source: s3, s3: { delay: { gamma: 1s } } }')), [':8:', 'workloads[0].async.s3.delay.gamma', 'unknown distribution "gamma"']],
  ['an SNS dead-letter queue that is not true or false', scenario('  f: { duration: 1ms }', ASYNC('{ source: sns, sns: { deadLetterQueue: sqs } }')), [':8:', 'workloads[0].async.sns.deadLetterQueue', 'expected true or false']],
  ['an SDK client on an S3 source', scenario('  f: { duration: 1ms }', ASYNC('{ source: s3 }', '    client: { retries: standard }\n')), [':8:', 'workloads[0].client', '"client" goes only with callers that use an SDK', '"async.source: s3"']],
  // Keys that reach JavaScript's prototype, duplicates, aliases (22.10).
  ['__proto__ as a function name', scenario('  __proto__: { duration: 1ms }\n  f: { duration: 1ms }'), [':3:3:', '"__proto__" cannot be a key']],
  ['constructor inside a function', scenario('  f: { duration: 1ms, constructor: 1 }'), [':3:', '"constructor" cannot be a key']],
  ['prototype inside account', 'duration: 10m\naccount: { prototype: 1 }\nfunctions:\n  f: { duration: 1ms }\n' + WORKLOAD, [':2:', '"prototype" cannot be a key']],
  ['__proto__ inside a segment', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    arrivals: { poisson: 1/s, __proto__: {} }\n'), ['"__proto__" cannot be a key']],
  // Front doors of sync workloads (issue 15): the door's maximum, an unknown door, a key of another door.
  ['an HTTP API integration timeout above 30 s', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: { door: apigw-http, timeout: 40s }\n    arrivals: { poisson: 1/s }\n'), [':6:', 'workloads[0].via.timeout', 'from 50ms to 30s', 'got 40s']],
  ['a REST API integration timeout above 29 s', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: { door: apigw-rest, timeout: 30s }\n    arrivals: { poisson: 1/s }\n'), [':6:', 'workloads[0].via.timeout', 'from 50ms to 29s']],
  ['an unknown door', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: alb\n    arrivals: { poisson: 1/s }\n'), [':6:', 'workloads[0].via', 'alb is not modelled']],
  ['a key of another door', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: { door: function-url, timeout: 10s }\n    arrivals: { poisson: 1/s }\n'), [':6:', 'workloads[0].via.timeout', 'belongs to apigw-rest and apigw-http, not to via: function-url']],
  ['an SDK client beside a door', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: apigw-rest\n    client: { retries: standard }\n    arrivals: { poisson: 1/s }\n'), [':7:', 'workloads[0].client', 'belongs to via: sdk']],
  ['a door on an async workload', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    invoke: async\n    via: apigw-rest\n    arrivals: { poisson: 1/s }\n'), [':7:', 'workloads[0].via', 'goes only with "invoke: sync"']],
  ['two account-level gateway throttles', scenario('  f: { duration: 1ms }', 'workloads:\n  - function: f\n    via: { door: apigw-rest, account: { rate: 100/s, burst: 10 } }\n    arrivals: { poisson: 1/s }\n  - name: g\n    function: f\n    via: apigw-http\n    arrivals: { poisson: 1/s }\n'), [':10:', 'workloads[1].via.account', 'one bucket per account and Region']],
  ['a calling function behind a 29 s integration timeout', scenario('  f: { duration: 1ms, timeout: 30s, calls: [{ function: g }] }\n  g: { duration: 1ms }', 'workloads:\n  - function: f\n    via: apigw-rest\n    arrivals: { poisson: 1/s }\n'), [':7:', 'workloads[0].via', 'the apigw-rest integration timeout (29s)', 'shorten its timeout to 19s']],
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
  // Control characters from the scenario reach the message escaped, never raw (22.9).
  ['an escape sequence in a function name', scenario('  f: { duration: 1ms }\n  "g\\e]0;pwned\\a": { duration: 1ms, memory: 1MB }'), [':4:', 'functions["g\\u001b]0;pwned\\u0007"].memory']],
  ['a bidi override in a workload name', scenario('  f: { duration: 1ms }', 'workloads:\n  - { name: "w\\u202e", function: nope, arrivals: { poisson: 1/s } }\n'), [':5:', 'nope']],
  // Step Functions (issue 16 item 3): references and limits, located at the key.
  ['a Step Functions Next naming no state', scenario('  f: { duration: 1ms }', SFN('          A: { Type: Task, Next: Bee }\n          B: { Type: Succeed }\n')), [':13:', 'workloads[0].stepFunctions.definition.States.A.Next', 'no state named "Bee"', 'did you mean "B"']],
  ['a Step Functions Task of an unknown function', scenario('  f: { duration: 1ms }', SFN('          A: { Type: Task, FunctionName: g, End: true }\n')), [':13:', 'workloads[0].stepFunctions.definition.States.A.FunctionName', 'no function named "g"']],
  ['an Express workflow of 10 minutes', scenario('  f: { duration: 1ms }', SFN('          A: { Type: Succeed }\n', 'EXPRESS', '        TimeoutSeconds: 600\n')), [':12:', 'workloads[0].stepFunctions.definition.TimeoutSeconds', 'at most 5 minutes', 'type: STANDARD']],
  ['an Express workflow waiting for a task token', scenario('  f: { duration: 1ms }', SFN('          A: { Type: Task, Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", TokenDelay: 1m, End: true }\n', 'EXPRESS')), [':13:', 'workloads[0].stepFunctions.definition.States.A.Resource', 'Standard only']],
  ['a Map state over the inline limit', scenario('  f: { duration: 1ms }', SFN('          A: { Type: Map, Items: 5, MaxConcurrency: 41, ItemProcessor: { StartAt: T, States: { T: { Type: Task, End: true } } }, End: true }\n')), [':13:', 'States.A.MaxConcurrency', 'at most 40']],
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
    expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
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

// Trace files (the trace audit): a row of megabytes, times without a zone or impossible, a duplicate
// column, a scale past its bound. Each one exits 2 with the file, the line and the key, and writes nothing.
const TRACED = (trace: string) => `duration: 1m\nfunctions:\n  api: { duration: 100ms }\nworkloads:\n  - function: api\n    arrivals: { trace: { file: req.csv, ${trace} } }\n`;
/** [what, trace block keys, the trace file, arguments, fragments the message must contain (in order)] */
const TRACE_CASES: [string, string, string, string[], string[]][] = [
  [
    'a trace row of 2 MB without a line break',
    'timestamps: ms',
    'timestamp,function\n0,api\n' + 'x'.repeat(2 << 20),
    ['run', 's.yaml', '--out', 'out'],
    ['req.csv:3: ', 'workloads[0].arrivals.trace.file: ', 'a row longer than 1,048,576 bytes (1 MiB), the most lsim reads in one row'],
  ],
  [
    'a trace time without a zone',
    'timestamps: iso',
    'timestamp,function\n2024-03-05T12:00:00Z,api\n2024-03-05 12:00:30,api\n',
    ['run', 's.yaml', '--out', 'out'],
    ['req.csv:3: ', 'workloads[0].arrivals.trace.file: ', 'timestamp "2024-03-05 12:00:30" is not a valid time: it has no time zone; add Z or an offset such as +02:00'],
  ],
  [
    'an impossible trace date',
    'timestamps: auto',
    'timestamp,function\n2024-03-05T12:00:00Z,api\n2024-02-30T12:00:30Z,api\n',
    ['run', 's.yaml', '--out', 'out'],
    ['req.csv:3: ', 'timestamp "2024-02-30T12:00:30Z" is not a valid time: February 2024 has no day 30'],
  ],
  ['an infinite trace timestamp', 'timestamps: ms', 'timestamp,function\n0,api\n1e400,api\n', ['run', 's.yaml', '--out', 'out'], ['req.csv:3: ', 'timestamp "1e400" is not a valid time: a number of milliseconds must be finite']],
  [
    'a duplicate trace header column',
    'timestamps: ms',
    'timestamp,timestamp,function\n0,1,api\n',
    ['run', 's.yaml', '--out', 'out'],
    ['req.csv:1: ', 'workloads[0].arrivals.trace.file: ', 'the header names the column "timestamp" twice (columns 1 and 2)'],
  ],
  [
    'a trace scale of 1e12 from --set',
    'timestamps: ms',
    'timestamp,function\n0,api\n',
    ['run', 's.yaml', '--set', 'workloads[0].arrivals.trace.scale=1e12', '--out', 'out'],
    ['s.yaml:6:', 'workloads[0].arrivals.trace.scale: ', 'at most 1,000,000x', 'got 1000000000000'],
  ],
  ...['-1', '1', 'March 5', '2024-02-30T00:00:00Z', '2024-03-05 12:00:00'].map(
    (start): [string, string, string, string[], string[]] => [
      `trace generate --start ${JSON.stringify(start)}`,
      'timestamps: ms',
      'timestamp,function\n0,api\n',
      ['trace', 'generate', 's.yaml', '--start', start, '--out', 't.csv'],
      [`--start: ${JSON.stringify(start)} is not a valid time: `],
    ],
  ),
];

describe('bad trace input: exit 2, the file, line and key, no stack trace, nothing written', () => {
  it.each(TRACE_CASES)('%s', async (_what, block, trace, args, fragments) => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-bad-trace-'));
    writeFileSync(join(dir, 's.yaml'), TRACED(block));
    writeFileSync(join(dir, 'req.csv'), trace);
    const r = await cli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(/internal error/);
    // One line, and short: a megabyte cell is never quoted whole.
    expect(r.stderr.split('\n').length).toBe(2);
    expect(r.stderr.length).toBeLessThan(500);
    let from = 0;
    for (const f of fragments) {
      const at = r.stderr.indexOf(f, from);
      expect(at, `"${f}" in ${r.stderr}`).toBeGreaterThanOrEqual(0);
      from = at + f.length;
    }
    expect(readdirSync(dir).sort()).toEqual(['req.csv', 's.yaml']);
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
    [
      // Issue 15: 864,000 SNS messages that Lambda always refuses, each retried every 20 s for the whole day: 16 + 4,320 attempts.
      'an SNS source whose deliveries all fail, for a day',
      'duration: 1d\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - function: f\n    invoke: async\n    arrivals: { poisson: 10/s }\n    async: { source: sns, sns: { deliveryErrorProbability: 1 } }\n',
      ['3,746,304,000 requests'],
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

// Output problems (issue 22 items 3 and 7): one line naming the path and the reason, exit 2, no stack
// trace, nothing half-written (no temporary, no partial file) in the folder.
const OK = 'name: ok\nduration: 10s\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - function: f\n    arrivals: { poisson: 20/s }\n';
/** [what, arguments, prepare the folder, the one line expected (a regular expression)] */
const OUTPUT_CASES: [string, string[], (dir: string) => void, RegExp][] = [
  ['--records naming a directory', ['run', 's.yaml', '--records', 'sub'], (d) => mkdirSync(join(d, 'sub')), /^lsim: --records sub: is a directory, not a file\n$/],
  ['--records with an empty path', ['run', 's.yaml', '--records', ''], () => {}, /^lsim: --records: the path is empty; give a file name\n$/],
  ['--records in a missing folder', ['run', 's.yaml', '--records', 'no/r.csv'], () => {}, /^lsim: --records no\/r\.csv: cannot write: no such file or directory \(ENOENT\)\n$/],
  ['--records under /proc', ['run', 's.yaml', '--records', '/proc/self/r.csv'], () => {}, /^lsim: --records \/proc\/self\/r\.csv: is on a virtual file system/],
  ['trace generate --out naming a directory', ['trace', 'generate', 's.yaml', '--out', 'sub'], (d) => mkdirSync(join(d, 'sub')), /^lsim: --out .*sub: is a directory, not a file\n$/],
  ['trace generate --out with an empty path', ['trace', 'generate', 's.yaml', '--out', ''], () => {}, /^lsim: --out: the path is empty; give a file name\n$/],
  ['trace generate --out in a missing folder', ['trace', 'generate', 's.yaml', '--out', 'no/t.csv'], () => {}, /^lsim: --out .*no\/t\.csv: cannot write: no such file or directory \(ENOENT\)\n$/],
  ['run --out naming a file', ['run', 's.yaml', '--out', 'f'], (d) => writeFileSync(join(d, 'f'), ''), /^lsim: --out .*f: is a file, not a directory\n$/],
  ['run --out under /proc', ['run', 's.yaml', '--out', '/proc/self/out'], () => {}, /^lsim: --out \/proc\/self\/out: is on a virtual file system/],
  ['--records /dev/full', ['run', 's.yaml', '--records', '/dev/full'], () => {}, /^lsim: --records \/dev\/full: is on a virtual file system/],
  // Not /dev/stdout either: a temporary in /dev would be renamed over the link.
  ['--records /dev/stdout', ['run', 's.yaml', '--records', '/dev/stdout'], () => {}, /^lsim: --records \/dev\/stdout: is on a virtual file system/],
  // A full disk and a device that takes nothing, injected at the write function (src/report/write.ts).
  ['--records through a file', ['run', 's.yaml', '--records', 'afile/r.csv'], (dir) => writeFileSync(join(dir, 'afile'), ''), /^lsim: --records afile\/r\.csv: afile is a file, not a directory\n$/],
  ['trace generate --out through a file', ['trace', 'generate', 's.yaml', '--out', 'afile/t.csv'], (dir) => writeFileSync(join(dir, 'afile'), ''), /^lsim: --out .*afile\/t\.csv: .*afile is a file, not a directory\n$/],
  ['--records on a full disk', ['run', 's.yaml', '--records', 'r.csv'], () => setWriteFunction(fullDisk), /^lsim: --records r\.csv: cannot write: no space left on the device \(ENOSPC\); nothing was written\n$/],
  ['trace generate on a full disk', ['trace', 'generate', 's.yaml', '--out', 't.csv'], () => setWriteFunction(fullDisk), /^lsim: --out .*t\.csv: cannot write: no space left on the device \(ENOSPC\); nothing was written\n$/],
  ['--records on a device that takes no bytes', ['run', 's.yaml', '--records', 'r.csv'], () => setWriteFunction(() => 0), /^lsim: --records r\.csv: cannot write: a write took no bytes \(ESHORT\); nothing was written\n$/],
];

/** A write that fails as a full disk does. */
const fullDisk = (): number => {
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
};

describe('output problems: one line naming the path, exit 2, nothing half-written', () => {
  afterEach(() => setWriteFunction());
  it.each(OUTPUT_CASES)('%s', async (_what, args, prepare, line) => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-out-'));
    writeFileSync(join(dir, 's.yaml'), OK);
    prepare(dir);
    const before = readdirSync(dir).sort();
    const r = await cli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split('\n').length).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(before);
    if (before.includes('sub')) expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });
});

// Options (src/cli/options.ts): a single-valued option given twice, a value that starts with "-" and a digit, an
// empty value, a number that is not one. Each is one line naming the flag and what was typed, exit 2, nothing written.
/** [arguments, the whole of stderr] */
const OPTION_CASES: [string[], string][] = [
  [['run', 's.yaml', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['run', 's.yaml', '-o', 'a', '--out', 'b', '-o', 'c'], 'lsim: --out given 3 times (a, b and c): give it once\n'],
  [['run', 's.yaml', '--records', 'x', '--records', 'y'], 'lsim: --records given twice (x and y): give it once\n'],
  [['run', 's.yaml', '--seed', '1', '--seed', '2'], 'lsim: --seed given twice (1 and 2): give it once\n'],
  [['compare', 's.yaml', '--set', 'seed=2', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['sweep', 's.yaml', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['merge', 'x.json', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['play', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['trace', 'generate', 's.yaml', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['init', '-o', 'a', '-o', 'b'], 'lsim: --out given twice (a and b): give it once\n'],
  [['init', '-m', 'sync', '-m', 'async'], 'lsim: --model given twice (sync and async): give it once\n'],
  [['price', '--duration', '1ms', '--requests', '1M', '--requests', '2M'], 'lsim: --requests given twice (1M and 2M): give it once\n'],
  [['price', '--duration', '1ms', '--requests', '1M', '--sqs-requests', '1M', '--sqs-requests', '2M'], 'lsim: --sqs-requests given twice (1M and 2M): give it once\n'],
  [['price', '--duration', '1ms', '--requests', '1M', '--sns-publishes', '1M', '--sns-publishes=2M'], 'lsim: --sns-publishes given twice (1M and 2M): give it once\n'],
  [['price', '--duration', '1ms', '--requests', '1M', '--pc', '1', '--pc-hours', '1', '--pc-requests', '1k', '--pc-requests', '2k'], 'lsim: --pc-requests given twice (1k and 2k): give it once\n'],
  // Negative values as separate arguments reach the value's own check, as --duration=-1ms does.
  [['price', '--duration', '-1ms', '--requests', '1M'], 'lsim: --duration: "-1ms" must not be negative\n'],
  [['price', '--rate', '-100/s', '--duration', '1ms'], 'lsim: --rate: "-100/s" must not be negative\n'],
  [['explain', 's.yaml', '--from', '-5s'], 'lsim: --from: "-5s" must not be negative; or a time of day like "08:15" or "18:30:00"\n'],
  [['sweep', 's.yaml', '--vary', 'functions.f.memory=128MB,256MB', '--guard', '-1%'], 'lsim: --guard -1%: expected off or a share of the work offered, such as 0.1% or 0.001\n'],
  [['run', 's.yaml', '-o'], 'lsim: -o: needs a value\n'],
  [['run', 's.yaml', '--records', '--progress'], 'lsim: --records: needs a value\n'],
  // Empty values.
  [['run', 's.yaml', '-o', ''], 'lsim: --out: the path is empty; give a directory\n'],
  [['compare', 's.yaml', '--set', 'seed=2', '-o', ''], 'lsim: --out: the path is empty; give a directory\n'],
  [['sweep', 's.yaml', '-o', ''], 'lsim: --out: the path is empty; give a directory\n'],
  [['play', '-o', ''], 'lsim: --out: the path is empty; give a directory\n'],
  [['init', '-o', ''], 'lsim: --out: the path is empty; give a file name\n'],
  [['run', 's.yaml', '--seed', ''], 'lsim: --seed: the value is empty; give one, or leave the option out\n'],
  [['price', '--duration', '1ms', '--requests', '1M', '--region', ''], 'lsim: --region: the value is empty; give one, or leave the option out\n'],
  // A number option whose value is not a number (yargs makes it NaN): named as typed.
  [['price', '--duration', '1ms', '--requests', '1M', '--savings-plan', 'NaN'], 'lsim: --savings-plan: expected a number, got "NaN"\n'],
  [['explain', 's.yaml', '-n', 'ten'], 'lsim: --requests: expected a number, got "ten"\n'],
  [['sweep', 's.yaml', '--vary', 'seed=1,2', '--confidence', 'Infinity'], 'lsim: --confidence: expected a finite number, got "Infinity"\n'],
];

describe('options: given twice, negative, empty or not a number: exit 2, one line naming the flag', () => {
  it.each(OPTION_CASES)('%j', async (args, stderr) => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-opt-'));
    writeFileSync(join(dir, 's.yaml'), OK);
    const r = await cli(args, { cwd: dir });
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });
});

// --out and --records that would destroy something (a report set replaces its directory as a whole,
// src/report/write.ts): refused before anything runs, exit 2, nothing written or moved.
describe('--out that would replace the working directory, or collide with --records: refused up front', () => {
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-where-'));
    writeFileSync(join(dir, 's.yaml'), OK);
    return dir;
  };
  const HINT = 'which lsim would replace as a whole; give a new or empty directory, e.g. --out reports';

  it.each([
    [['run', 's.yaml', '-o', '.'], `lsim: --out .: is the current directory, ${HINT}\n`],
    [['run', 's.yaml', '-o', './'], `lsim: --out ./: is the current directory, ${HINT}\n`],
    [['compare', 's.yaml', '--set', 'seed=2', '-o', '.'], `lsim: --out .: is the current directory, ${HINT}\n`],
    [['sweep', 's.yaml', '--vary', 'functions.f.memory=128MB,256MB', '-o', '.'], `lsim: --out .: is the current directory, ${HINT}\n`],
    [['merge', 'x.json', '-o', '.'], `lsim: --out .: is the current directory, ${HINT}\n`],
    [['run', 's.yaml', '-o', '/'], `lsim: --out /: is the root directory, ${HINT}\n`],
    [['run', 's.yaml', '--records', 'o3', '-o', 'o3'], 'lsim: --records o3: is the --out directory o3 itself, which lsim replaces as a whole; write the records to a file outside it\n'],
    [['run', 's.yaml', '--records', 'o3/../o3', '-o', 'o3'], 'lsim: --records o3/../o3: is the --out directory o3 itself, which lsim replaces as a whole; write the records to a file outside it\n'],
    [['run', 's.yaml', '--records', 'a', '-o', 'a/b'], 'lsim: --out a/b: is inside --records a, which is a file; give them paths apart\n'],
  ])('%j', async (args, stderr) => {
    const dir = folder();
    const r = await cli(args, { cwd: dir });
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  });

  it('an --out above the current directory names it; the directory is left where it was', async () => {
    const dir = folder();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const r = await cli(['run', '../s.yaml', '-o', '..'], { cwd: sub });
    expect(r.stderr).toBe(`lsim: --out ..: holds the current directory (${sub}), ${HINT}\n`);
    expect(r.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['s.yaml', 'sub']);
  });

  it('a symbolic link to the current directory is the current directory', async () => {
    const dir = folder();
    symlinkSync('.', join(dir, 'here'));
    const r = await cli(['run', 's.yaml', '-o', 'here'], { cwd: dir });
    expect(r.stderr).toBe(`lsim: --out here: is the current directory, ${HINT}\n`);
    expect(r.code).toBe(2);
    expect(lstatSync(join(dir, 'here')).isSymbolicLink()).toBe(true);
  });

  it('--out through a file names the file; play --out naming a file says so', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'afile'), 'x');
    const run = await cli(['run', 's.yaml', '-o', 'afile/sub'], { cwd: dir });
    expect(run.stderr).toBe('lsim: --out afile/sub: afile is a file, not a directory\n');
    expect(run.code).toBe(2);
    const init = await cli(['init', '-o', 'afile/s.yaml'], { cwd: dir });
    expect(init.stderr).toBe('lsim: --out afile/s.yaml: afile is a file, not a directory\n');
    expect(init.code).toBe(2);
    const play = await cli(['play', '-o', 'afile'], { cwd: dir });
    expect(play.stderr).toBe('lsim: --out afile: is a file, not a directory; --out names the directory playground.html is written into\n');
    expect(play.code).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['afile', 's.yaml']);
  });

  it('--out a symbolic link: the set is written through it into the directory it points to; the link stays', async () => {
    const dir = folder();
    expect((await cli(['run', 's.yaml', '-o', 'real', '--seed', '1'], { cwd: dir })).code).toBe(0);
    symlinkSync('real', join(dir, 'lnk'));
    const r = await cli(['run', 's.yaml', '-o', 'lnk', '--seed', '2'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^lsim: wrote lnk\/report\.txt, lnk\/result\.json, /);
    expect(lstatSync(join(dir, 'lnk')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'real', 'result.json'), 'utf8')).scenario.seed).toBe('2');
    expect(readdirSync(dir).sort()).toEqual(['lnk', 'real', 's.yaml']);
    // A link to nothing is refused.
    symlinkSync('missing', join(dir, 'dangling'));
    const d = await cli(['run', 's.yaml', '-o', 'dangling'], { cwd: dir });
    expect(d.stderr).toBe('lsim: --out dangling: is a symbolic link to a directory that does not exist; create it, or give another --out\n');
    expect(d.code).toBe(2);
  });
});
