import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { parseOverride, parseOverridePath } from '../../src/scenario/overrides.js';
import { UserError } from '../../src/errors.js';

const YAML = `name: t
duration: 1m
functions:
  api:
    memory: 512MB
    duration: 100ms
workloads:
  - name: web
    function: api
    arrivals: { constant: 10/s }
`;

const set = (...args: string[]) => ({ overrides: args.map((a) => parseOverride(a)) });

function problems(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('override paths', () => {
  it('parses dots, indices, names and quoted keys', () => {
    expect(parseOverridePath('functions.api.memory')).toEqual(['functions', 'api', 'memory']);
    expect(parseOverridePath('workloads[0].client.maxAttempts')).toEqual(['workloads', 0, 'client', 'maxAttempts']);
    expect(parseOverridePath('workloads[web].invoke')).toEqual(['workloads', 'web', 'invoke']);
    expect(parseOverridePath('functions["a.b"].memory')).toEqual(['functions', 'a.b', 'memory']);
  });
  it('rejects malformed arguments', () => {
    expect(() => parseOverride('functions.api.memory')).toThrow(/expected key.path=value/);
    expect(() => parseOverride('functions..memory=1')).toThrow(/empty key/);
    expect(() => parseOverride('a[0=1')).toThrow(/unclosed/);
  });
});

describe('parseScenario with overrides', () => {
  it('replaces a value before validation', () => {
    const s = parseScenario(YAML, 't.yaml', set('functions.api.memory=2048MB'));
    expect(s.functions[0].memoryMb).toBe(2048);
  });
  it('creates missing blocks', () => {
    const s = parseScenario(YAML, 't.yaml', set('billing.granularity=100ms'));
    expect(s.billing.granularityMs).toBe(100);
  });
  it('selects list items by name or index; later overrides win', () => {
    const s = parseScenario(YAML, 't.yaml', set('workloads.web.arrivals={ constant: 20/s }', 'workloads[0].client.maxAttempts=1', 'functions.api.memory=1GB', 'functions.api.memory=256MB'));
    expect(s.functions[0].memoryMb).toBe(256);
    const w = s.workloads[0];
    expect(w.invoke === 'sync' && w.client.maxAttempts).toBe(1);
  });
  it('locates a bad value at the replaced line and names the --set', () => {
    const msg = problems(() => parseScenario(YAML, 't.yaml', set('functions.api.memory=2048XB')));
    expect(msg).toMatch(/^t\.yaml:5:13: functions\.api\.memory: .*\(value from --set functions\.api\.memory=2048XB\)$/m);
  });
  it('locates a key the --set adds at the map it was added to, and names the --set (it gave no line, or no --set)', () => {
    expect(problems(() => parseScenario(YAML, 't.yaml', set('functions.api.bogus=3')))).toMatch(
      /^t\.yaml:5:5: functions\.api\.bogus: unknown key "bogus".*\(value from --set functions\.api\.bogus=3\)$/m,
    );
    // A block the --set made for its path (`coldStart` is not a function key): the problem is on the new block.
    expect(problems(() => parseScenario(YAML, 't.yaml', set('functions.api.coldStart.ms=3')))).toMatch(
      /^t\.yaml:5:5: functions\.api\.coldStart: unknown key "coldStart".*\(value from --set functions\.api\.coldStart\.ms=3\)$/m,
    );
  });
  it('locates a problem deep inside a --set value at the line it replaced (it gave the offset in the --set text as a line of the file)', () => {
    // web's arrivals are on line 10 of YAML, their value at column 15; the bad rate is inside the new map.
    expect(problems(() => parseScenario(YAML, 't.yaml', set('workloads[0].arrivals={ poisson: -1/s }')))).toMatch(
      /^t\.yaml:10:15: workloads\[0\]\.arrivals\.poisson: .*must not be negative.*\(value from --set workloads\[0\]\.arrivals=\{ poisson: -1\/s \}\)$/m,
    );
  });
  it('refuses reserved keys anywhere in a --set, as in the file', () => {
    for (const arg of ['functions.api.__proto__=1', 'account.constructor=1', 'workloads[0].prototype=1', 'functions.api={ duration: 1ms, __proto__: 1 }']) {
      expect(problems(() => parseScenario(YAML, 't.yaml', set(arg)))).toMatch(/cannot be a key \(it is reserved in JavaScript objects\)$/);
    }
  });
  it('names what is missing on an unfollowable path', () => {
    expect(problems(() => parseScenario(YAML, 't.yaml', set('workloads.nope.invoke=async')))).toMatch(/no item named "nope" in workloads \(there are: web\)/);
    expect(problems(() => parseScenario(YAML, 't.yaml', set('workloads[3].invoke=async')))).toMatch(/workloads has 1 item, no \[3\]/);
    expect(problems(() => parseScenario(YAML, 't.yaml', set('duration.x=1')))).toMatch(/duration is a single value/);
  });
  it('a name on a list of unnamed items says the items have none and how to reach them (it said "there are none")', () => {
    const unnamed = YAML.replace('  - name: web\n    function: api', '  - function: api');
    expect(problems(() => parseScenario(unnamed, 't.yaml', set('workloads.api-sync.invoke=async')))).toBe(
      '--set workloads.api-sync.invoke=async: no item named "api-sync" in workloads (its 1 item has no name: give it one, or use its index, workloads[0])',
    );
    const mixed = YAML + '  - function: api\n    arrivals: { constant: 1/s }\n';
    expect(problems(() => parseScenario(mixed, 't.yaml', set('workloads.nope.invoke=async')))).toBe(
      '--set workloads.nope.invoke=async: no item named "nope" in workloads (there are: web; 1 item has no name: give it one, or use its index, workloads[1])',
    );
  });
  it('never creates a function for a key under it: names the functions there are', () => {
    expect(problems(() => parseScenario(YAML, 't.yaml', set('functions.nope.memory=2GB')))).toBe(
      '--set functions.nope.memory=2GB: no function named "nope" in functions (there are: api)',
    );
    expect(problems(() => parseScenario(YAML, 't.yaml', set('functions.apu.memory=2GB')))).toMatch(/no function named "apu" in functions \(did you mean "api"\?\)$/);
    expect(problems(() => parseScenario(YAML, 't.yaml', set('workloads.wbe.invoke=async')))).toMatch(/no item named "wbe" in workloads \(did you mean "web"\?\)$/);
  });
  it('creates option blocks under a function, and a whole function given whole', () => {
    const s = parseScenario(YAML, 't.yaml', set('functions.api.cpu.share=0.5', 'functions.extra={ duration: 5ms }', 'workloads.web.client.retries=none'));
    expect(s.functions.map((f) => [f.name, f.cpu.share])).toEqual([['api', 0.5], ['extra', 0]]);
  });
  it('leaves the scenario unchanged without overrides', () => {
    expect(parseScenario(YAML, 't.yaml', { overrides: [] })).toEqual(parseScenario(YAML, 't.yaml'));
  });
});
