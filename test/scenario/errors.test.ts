import { describe, it, expect } from 'vitest';
import { closeSync, mkdirSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile, MAX_SCENARIO_BYTES, parseScenario } from '../../src/scenario/load.js';
import { UserError, type Problem } from '../../src/errors.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

/** Every problem `parseScenario` reports for `text` (in file s.yaml). */
function problemsOf(text: string): Problem[] {
  try {
    parseScenario(text, 's.yaml');
  } catch (e) {
    if (e instanceof UserError) return e.problems;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** The single problem reported for `text`, without its file. */
function problemOf(text: string): Omit<Problem, 'file'> {
  const problems = problemsOf(text);
  expect(problems, JSON.stringify(problems)).toHaveLength(1);
  const [{ file, ...rest }] = problems;
  expect(file).toBe('s.yaml');
  return rest;
}

/** A valid scenario with extra lines in function `api` (from line 5) and the given workload lines (after "  - function: api"). */
function withFunction(...fnLines: string[]): string {
  return yaml('duration: 10m', 'functions:', '  api:', '    duration: 100ms', ...fnLines, 'workloads:', '  - function: api', '    arrivals: { poisson: 10/s }');
}
function withWorkload(...workloadLines: string[]): string {
  // lines 1–4 as above, "workloads:" on 5, "  - function: api" on 6, workloadLines from 7
  return yaml('duration: 10m', 'functions:', '  api:', '    duration: 100ms', 'workloads:', '  - function: api', ...workloadLines);
}

describe('YAML syntax errors', () => {
  it('reports the parser message at its line and column', () => {
    expect(problemOf(yaml('duration: 10m', 'functions: { api: 1', 'workloads: []'))).toEqual({
      line: 3,
      column: 1,
      message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    });
  });
  it('reports a duplicate key', () => {
    expect(problemOf(yaml('duration: 10m', 'duration: 5m'))).toMatchObject({ line: 2, column: 1, message: 'YAML syntax error: duplicate key "duration": a key may appear once in a map' });
  });
  it('reports nesting the parser cannot follow where it passes 100 levels (it gave the parser\'s stack overflow at an arbitrary column)', () => {
    // Line 2: `description: ` is 13 characters, so the 101st "[" is at column 114; a "[" in a comment or quotes does not count.
    const deep = yaml('duration: 10m # [[[', `description: ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    expect(problemOf(deep)).toEqual({
      line: 2,
      column: 114,
      message: 'the document nests too deeply for the YAML parser (lists or maps more than 100 levels deep here); a scenario needs a few levels',
    });
  });
  it('formats problems as file:line:column: path: message', () => {
    expect(() => parseScenario(withFunction('    memory: 1769'), 's.yaml')).toThrow(
      's.yaml:5:13: functions.api.memory: 1769 needs a unit, e.g. "1769MB"; use KB, MB or GB (1 GB = 1024 MB), e.g. "1769MB", "1.5GB", "100KB"',
    );
  });
});

describe('a document that is not a map', () => {
  it.each([
    ['a list', yaml('- a', '- b')],
    ['an empty document', ''],
    ['an empty document', '# only a comment\n'],
    ['the value "hello"', 'hello\n'],
  ])('%s', (what, text) => {
    expect(problemOf(text)).toEqual({
      line: 1,
      column: 1,
      message: `a scenario must be a map of keys (name, duration, functions, workloads, ...), got ${what}`,
    });
  });
});

describe('unknown keys', () => {
  it('suggests the nearest key, located at the key', () => {
    expect(problemOf(withFunction('    memroy: 1769MB'))).toEqual({
      line: 5,
      column: 5,
      path: 'functions.api.memroy',
      message: 'unknown key "memroy" (did you mean "memory"?)',
    });
  });
  it('at the top level and in flow maps', () => {
    const text = yaml('durration: 1m', 'duration: 10m', 'functions: { api: { duration: 1ms } }', 'workloads: [ { function: api, arrivals: { poison: 1/s } } ]');
    expect(problemsOf(text)).toEqual([
      { file: 's.yaml', line: 1, column: 1, path: 'durration', message: 'unknown key "durration" (did you mean "duration"?)' },
      {
        file: 's.yaml',
        line: 4,
        column: 43,
        path: 'workloads[0].arrivals.poison',
        message: 'unknown key "poison" (did you mean "poisson"?)',
      },
    ]);
  });
  it('lists the accepted keys when none is near', () => {
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s }', '    client: { zzz: 1 }')).message).toBe(
      'unknown key "zzz"; expected one of retries, maxAttempts, baseDelay, maxBackoff, timeout, clients, retryQuota',
    );
  });
  it('suggests distribution names and values of enums', () => {
    expect(problemOf(withFunction('    init: { lognorm: { median: 1ms, p99: 2ms } }'))).toEqual({
      line: 5,
      column: 13,
      path: 'functions.api.init.lognorm',
      message:
        'unknown distribution "lognorm" (did you mean "lognormal"?); expected one of fixed, exponential, uniform, normal, lognormal, empirical, cdf',
    });
    expect(problemOf(withFunction('    architecture: arm'))).toMatchObject({
      line: 5,
      column: 19,
      message: '"arm" is not one of x86_64, arm64 (did you mean "arm64"?)',
    });
    expect(problemOf(withFunction('    keepAlive: fixed-10min'))).toMatchObject({
      path: 'functions.api.keepAlive',
      message: expect.stringContaining('(did you mean "fixed-10min-2019"?)'),
    });
  });
  it('maxLifetime and proactiveReplacement are located like any distribution or duration', () => {
    expect(problemOf(withFunction('    maxLifetime: { uniform: { min: 6h, max: 2h } }'))).toMatchObject({
      line: 5,
      path: 'functions.api.maxLifetime.uniform.max',
      message: 'max must be greater than min (6h)',
    });
    expect(problemOf(withFunction('    proactiveReplacement: 6'))).toMatchObject({
      line: 5,
      column: 27,
      path: 'functions.api.proactiveReplacement',
      message: expect.stringContaining('6 needs a unit'),
    });
  });
});

describe('wrong units', () => {
  it('memory without a unit', () => {
    expect(problemOf(withFunction('    memory: 1769'))).toMatchObject({ line: 5, column: 13, path: 'functions.api.memory' });
  });
  it('timeout: 10 seconds', () => {
    expect(problemOf(withFunction('    timeout: 10 seconds'))).toEqual({
      line: 5,
      column: 14,
      path: 'functions.api.timeout',
      message: 'unknown duration unit "seconds" in "10 seconds"; use ms, s, m (or min), h or d, e.g. "250ms", "10s", "1.5h", "8h30m"',
    });
  });
  it('poisson: 200', () => {
    expect(problemOf(withWorkload('    arrivals:', '      - poisson: 200'))).toEqual({
      line: 8,
      column: 18,
      path: 'workloads[0].arrivals[0].poisson',
      message: '200 needs a unit, e.g. "200/s"; use /s, /min (or /m), /h or /d, e.g. "200/s", "12000/min"',
    });
  });
  it('a rate where a duration belongs', () => {
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, at: 1/s }'))).toMatchObject({
      line: 7,
      column: 35,
      path: 'workloads[0].arrivals.at',
      message: expect.stringMatching(/^unknown duration unit "\/s" in "1\/s"/),
    });
  });
});

describe('out-of-range values', () => {
  it('a negative rate', () => {
    expect(problemOf(withWorkload('    arrivals: { poisson: -200/s }'))).toEqual({
      line: 7,
      column: 26,
      path: 'workloads[0].arrivals.poisson',
      message: '"-200/s" must not be negative',
    });
  });
  it.each([
    ['64MB', 'must be a whole number of MB from 128MB to 10240MB (docs/sources.md §7), got 64MB'],
    ['20GB', 'must be a whole number of MB from 128MB to 10240MB (docs/sources.md §7), got 20480MB'],
    ['1769.5MB', 'must be a whole number of MB from 128MB to 10240MB (docs/sources.md §7), got 1769.5MB'],
  ])('memory %s', (memory, message) => {
    expect(problemOf(withFunction(`    memory: ${memory}`))).toEqual({ line: 5, column: 13, path: 'functions.api.memory', message });
  });
  it('timeout over 900 s', () => {
    expect(problemOf(withFunction('    timeout: 901s'))).toEqual({
      line: 5,
      column: 14,
      path: 'functions.api.timeout',
      message: 'must be from 1s to 900s (docs/sources.md §3), got 901s',
    });
  });
  it('an error rate outside [0, 1], in a window', () => {
    expect(problemOf(withFunction('    errors: { windows: [ { at: 1m, for: 1m, rate: 1.5 } ] }'))).toEqual({
      line: 5,
      column: 51,
      path: 'functions.api.errors.windows[0].rate',
      message: 'must be from 0 to 1, got 1.5',
    });
  });
  it('account concurrency and counts', () => {
    expect(problemOf(withFunction('    reservedConcurrency: -1')).message).toBe('must be a whole number of units at least 0, got -1');
    expect(problemOf(withFunction('    provisionedConcurrency: "5"')).message).toBe('expected a whole number, got "5"');
    expect(problemOf(yaml('account: { concurrency: 0 }', withFunction())).message).toBe(
      'must be a whole number of units from 1 to 1000000, got 0',
    );
  });
});

describe('concurrency reservations (docs/sources.md §1)', () => {
  it('reserved concurrency above what the account allows, at the key that pushes it over', () => {
    const text = yaml(
      'duration: 10m',
      'account: { concurrency: 1000 }',
      'functions:',
      '  a: { duration: 1ms, reservedConcurrency: 500 }',
      '  b: { duration: 1ms, provisionedConcurrency: 300 }',
      '  c:',
      '    duration: 1ms',
      '    reservedConcurrency: 200',
      'workloads: [ { function: a, arrivals: { poisson: 1/s } } ]',
    );
    expect(problemOf(text)).toEqual({
      line: 8,
      column: 5,
      path: 'functions.c.reservedConcurrency',
      message:
        'reserved concurrency 200 brings the concurrency set aside to 1000 (reserved 700 + provisioned without a reservation 300), ' +
        'more than the 900 the account allows: concurrency 1000 minus the 100 always left unreserved (docs/sources.md §1)',
    });
  });
  it('exactly the allowed amount is fine', () => {
    expect(() => parseScenario(withFunction('    reservedConcurrency: 900'))).not.toThrow();
  });
  it('provisioned above reserved', () => {
    expect(problemOf(withFunction('    reservedConcurrency: 10', '    provisionedConcurrency: 20'))).toEqual({
      line: 6,
      column: 29,
      path: 'functions.api.provisionedConcurrency',
      message: "provisioned concurrency 20 exceeds the function's reserved concurrency 10 (docs/sources.md §1)",
    });
  });
});

describe('references and names', () => {
  it('a workload naming a missing function gets a suggestion', () => {
    expect(problemOf(yaml('duration: 10m', 'functions: { checkout: { duration: 1ms } }', 'workloads:', '  - function: chekout', '    arrivals: { poisson: 1/s }'))).toEqual({
      line: 4,
      column: 15,
      path: 'workloads[0].function',
      message: 'no function named "chekout" in functions (did you mean "checkout"?)',
    });
  });
  it('duplicate workload names tell the user to add names', () => {
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s }', '  - function: api', '    arrivals: { poisson: 2/s }'))).toEqual({
      line: 8,
      column: 5,
      path: 'workloads[1]',
      message: 'workload name "api-sync" is already used by workloads[0]; give each workload its own "name"',
    });
  });
  it("two async workloads of one function share its event invoke configuration (docs/sources.md §4)", () => {
    const two = (a: string, b: string) =>
      withWorkload('    name: a', '    invoke: async', '    arrivals: { poisson: 1/s }', `    async: ${a}`, '  - function: api', '    name: b', '    invoke: async', '    arrivals: { poisson: 1/s }', `    async: ${b}`);
    expect(problemOf(two('{ maximumRetryAttempts: 0 }', '{ maximumRetryAttempts: 1 }'))).toEqual({
      line: 15,
      column: 14,
      path: 'workloads[1].async.maximumRetryAttempts',
      message:
        'is 1 here but 0 in workloads[0], which also invokes function "api" asynchronously: retries, event age, destinations, ' +
        "the dead-letter queue and the queue delays are the function's (docs/sources.md §4); give both workloads the same value, or give each its own function",
    });
    // A default counts as a value; the same settings, and what is the caller's (its payload, its source), may differ.
    expect(problemOf(two('{ maximumEventAge: 1h }', '{}')).message).toMatch(/^is 6h here but 1h in workloads\[0\]/);
    expect(() => parseScenario(two('{ onFailure: sqs, payloadSize: 1KB }', '{ onFailure: sqs, source: aws-service }'), 's.yaml')).not.toThrow();
  });
  it('missing required keys are reported at the enclosing map', () => {
    expect(problemsOf(yaml('name: x'))).toEqual([
      { file: 's.yaml', line: 1, column: 1, path: 'duration', message: 'missing required key "duration"' },
      { file: 's.yaml', line: 1, column: 1, path: 'functions', message: 'missing required key "functions"' },
      { file: 's.yaml', line: 1, column: 1, path: 'workloads', message: 'missing required key "workloads"' },
    ]);
    expect(problemOf(yaml('duration: 10m', 'functions:', '  api: { memory: 256MB }', 'workloads: [ { function: api, arrivals: { poisson: 1/s } } ]'))).toEqual({
      line: 3,
      column: 8,
      path: 'functions.api.duration',
      message: 'missing required key "duration"',
    });
  });
  it('empty functions and workloads', () => {
    expect(problemsOf(yaml('duration: 10m', 'functions: {}', 'workloads: []')).map((p) => p.message)).toEqual([
      'must define at least one function',
      'must define at least one workload',
    ]);
  });
});

describe('time checks', () => {
  it('warmup not shorter than the duration', () => {
    expect(problemOf(yaml('warmup: 10m', withFunction()))).toEqual({
      line: 1,
      column: 9,
      path: 'warmup',
      message: 'warmup (10m) must be shorter than the duration (10m)',
    });
  });
  it('a segment after the end of the run, or empty', () => {
    expect(problemOf(withWorkload('    arrivals: [ { poisson: 1/s }, { poisson: 1/s, at: 12m } ]'))).toEqual({
      line: 7,
      column: 35,
      path: 'workloads[0].arrivals[1]',
      message: 'starts at 12m, not before the end of the run (10m)',
    });
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, at: 5m, until: 2m }')).message).toBe(
      'is empty: it ends at 2m, not after its start (5m)',
    );
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, for: 0s }')).message).toBe('is empty: it ends at 0ms, not after its start (0ms)');
  });
  it('segment structure: one shape, for or until, process only with ramp/diurnal', () => {
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, constant: 1/s }')).message).toBe(
      'a segment needs exactly one of poisson, constant, ramp, diurnal; got poisson, constant',
    );
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, for: 1m, until: 2m }'))).toMatchObject({
      column: 40,
      message: 'give either "for" or "until", not both',
    });
    expect(problemOf(withWorkload('    arrivals: { poisson: 1/s, process: constant }'))).toMatchObject({
      column: 31,
      message: '"process" goes only with ramp or diurnal',
    });
    expect(problemOf(withWorkload('    arrivals: { diurnal: { mean: 1/s, amplitude: 2 } }')).message).toBe('must be from 0 to 1, got 2');
  });
  it('a report interval giving more than 100,000 intervals', () => {
    expect(problemOf(yaml('report: { interval: 1ms }', withFunction()))).toEqual({
      line: 1,
      column: 21,
      path: 'report.interval',
      message: 'an interval of 1ms gives 600000 intervals over 10m; the most is 100000',
    });
  });
});

describe('distribution checks', () => {
  it.each([
    ['{ uniform: { min: 50ms, max: 10ms } }', 'functions.api.duration.uniform.max', 'max must be greater than min (50ms)'],
    ['{ lognormal: { median: 100ms, p99: 50ms } }', 'functions.api.duration.lognormal.p99', 'p99 must be greater than the median (100ms)'],
    ['{ lognormal: { p99: 50ms } }', 'functions.api.duration.lognormal', 'lognormal needs { median, p99 } or { mean, sigma }, e.g. { median: 120ms, p99: 900ms }'],
    ['{ lognormal: { mean: 100ms, sigma: -1 } }', 'functions.api.duration.lognormal.sigma', 'must be at least 0, got -1'],
    ['{ normal: { mean: 100ms, sd: 1ms, min: 1s, max: 1ms } }', 'functions.api.duration.normal.max', 'max must be greater than min (1s)'],
    ['{ empirical: [] }', 'functions.api.duration.empirical', 'must not be empty'],
    ['{ empirical: { values: [1ms, 2ms], weights: [1] } }', 'functions.api.duration.empirical.weights', 'has 1 weights for 2 values; give one weight per value'],
    ['{ empirical: { values: [1ms], weights: [0] } }', 'functions.api.duration.empirical.weights[0]', 'must be greater than 0, got 0'],
    ['{ exponential: 0ms }', 'functions.api.duration.exponential', 'must be greater than 0ms, got 0ms'],
    ['{ fixed: 1ms, exponential: 1ms }', 'functions.api.duration', 'a distribution is a duration or a map with exactly one of fixed, exponential, uniform, normal, lognormal, empirical, cdf; got fixed, exponential'],
    ['{ cdf: [[1ms, 0]] }', 'functions.api.duration.cdf', 'needs at least two points, from cumulative 0 to cumulative 1'],
    ['{ cdf: [[1ms, 0], 2ms] }', 'functions.api.duration.cdf[1]', 'a point is [duration, cumulative probability], e.g. [5m, 0.3]; got "2ms"'],
    ['{ cdf: [[1ms, 0], [2ms, 1.5]] }', 'functions.api.duration.cdf[1][1]', 'must be from 0 to 1, got 1.5'],
    ['{ cdf: [[1ms, 0], [2, 1]] }', 'functions.api.duration.cdf[1][0]', '2 needs a unit, e.g. "2s"; use ms, s, m (or min), h or d, e.g. "250ms", "10s", "1.5h", "8h30m"'],
    ['{ cdf: [[3m, 0], [3m, 0.5], [4m, 1]] }', 'functions.api.duration.cdf[1][0]', 'must be later than the previous point (3m)'],
    ['{ cdf: [[3m, 0], [4m, 0.5], [5m, 0.4], [6m, 1]] }', 'functions.api.duration.cdf[2][1]', 'a cumulative probability must not decrease; the previous point has 0.5'],
    ['{ cdf: [[3m, 0.1], [4m, 1]] }', 'functions.api.duration.cdf[0][1]', 'the curve must start at 0 (no values below the first point), got 0.1'],
    ['{ cdf: [[3m, 0], [4m, 0.99]] }', 'functions.api.duration.cdf[1][1]', 'the curve must end at exactly 1 (no values above the last point), got 0.99'],
  ])('%s', (text, path, message) => {
    const problem = problemOf(yaml('duration: 10m', 'functions:', '  api:', `    duration: ${text}`, 'workloads: [ { function: api, arrivals: { poisson: 1/s } } ]'));
    expect(problem).toMatchObject({ line: 4, path, message });
  });
});

describe('several problems', () => {
  it('lists all of them, in document order', () => {
    const text = yaml(
      'duration: 30', //                                       1: unit
      'account: { concurrency: 200 }',
      'functions:',
      '  api:',
      '    memroy: 1769MB', //                                  5: unknown key
      '    memory: 64MB', //                                    6: range
      '    timeout: 10 seconds', //                             7: unit
      '    duration: 100ms',
      '    reservedConcurrency: 150', //                        9: over the account
      'workloads:',
      '  - function: apo', //                                  11: missing function
      '    arrivals: [ { poisson: 200 }, { poisson: -1/s } ]', // 12: unit, negative
    );
    expect(problemsOf(text).map((p) => [p.line, p.column, p.path])).toEqual([
      [1, 11, 'duration'],
      [5, 5, 'functions.api.memroy'],
      [6, 13, 'functions.api.memory'],
      [7, 14, 'functions.api.timeout'],
      [11, 15, 'workloads[0].function'],
      [12, 28, 'workloads[0].arrivals[0].poisson'],
      [12, 46, 'workloads[0].arrivals[1].poisson'],
    ]);
  });
  it('checks reservations even when another section is broken', () => {
    const text = yaml('duration: 10', 'functions:', '  api: { duration: 1ms, reservedConcurrency: 950 }', 'workloads: [ { function: api, arrivals: { poisson: 1/s } } ]');
    expect(problemsOf(text).map((p) => p.path)).toEqual(['duration', 'functions.api.reservedConcurrency']);
  });
});

describe('loadScenarioFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-scenario-errors-'));

  it('a missing file', () => {
    const path = join(dir, 'nope.yaml');
    expect(() => loadScenarioFile(path)).toThrow(UserError);
    expect(() => loadScenarioFile(path)).toThrow(`${path}: file not found`);
  });
  it('a directory', () => {
    const path = join(dir, 'sub.yaml');
    mkdirSync(path);
    expect(() => loadScenarioFile(path)).toThrow(`${path}: is a directory, not a scenario file`);
  });
  it('an over-large file, refused before reading', () => {
    const path = join(dir, 'huge.yaml');
    const fd = openSync(path, 'w');
    ftruncateSync(fd, MAX_SCENARIO_BYTES + 1); // sparse: nothing is written
    closeSync(fd);
    expect(() => loadScenarioFile(path)).toThrow(`${path}: is 10.0 MB; a scenario file may be at most 10 MB`);
  });
  it('problems in the file carry its name', () => {
    const path = join(dir, 'bad.yaml');
    writeFileSync(path, withFunction('    memory: 1769'));
    try {
      loadScenarioFile(path);
      expect.unreachable();
    } catch (e) {
      expect((e as UserError).problems[0]).toMatchObject({ file: path, line: 5, column: 13 });
    }
  });
});
