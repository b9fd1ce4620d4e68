// Starting a model (issue 13.4): lsim init writes a scenario that validates and runs; lsim schema prints a
// JSON Schema that ajv (an independent implementation of draft-07) compiles and that every shipped
// scenario, every template and the reference's example satisfy, while typical mistakes fail it.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { MODELS, scenarioTemplate } from '../../src/cli/init.js';
import { DESCRIPTIONS } from '../../src/scenario/json-schema.js';
import { cli, STACK } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'lsim-start-'));

async function schema(): Promise<Record<string, unknown>> {
  const r = await cli(['schema']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

async function validator() {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(await schema());
}

describe('lsim schema', () => {
  it('is a draft-07 JSON Schema that ajv compiles in strict mode', async () => {
    const s = await schema();
    expect(s.$schema).toBe('http://json-schema.org/draft-07/schema#');
    await validator();
  });

  it('every shipped scenario, every init template and the reference example validate', async () => {
    const validate = await validator();
    const reference = readFileSync('docs/scenario-reference.md', 'utf8').split('## A complete example')[1].split('```yaml\n')[1].split('```')[0];
    const documents: [string, string][] = [
      ...readdirSync('scenarios')
        .filter((f) => f.endsWith('.yaml'))
        .map((f): [string, string] => [f, readFileSync(join('scenarios', f), 'utf8')]),
      ...MODELS.map((m): [string, string] => [`init --model ${m}`, scenarioTemplate(m)]),
      ['docs/scenario-reference.md', reference],
    ];
    expect(documents.length).toBeGreaterThan(16);
    for (const [name, text] of documents) {
      validate(parse(text));
      expect({ name, errors: validate.errors ?? null }).toEqual({ name, errors: null });
    }
  });

  it('catches what editors should flag: unknown keys, enums, values without units, missing required keys', async () => {
    const validate = await validator();
    const bad = parse(`
duration: 10
functions:
  f: { memroy: 1GB, architecture: arm, duration: { lognormal: { median: 5ms } }, provisionedConcurrency: { schedule: [{ at: 25h, value: 1 }] } }
workloads:
  - { function: f, invoke: lambda, arrivals: { poisson: 5 }, sqs: { batchsize: 10 } }
`);
    expect(validate(bad)).toBe(false);
    const where = new Set(validate.errors!.map((e) => `${e.instancePath} ${e.message}`));
    for (const expected of [
      '/duration must be string',
      '/functions/f must NOT have additional properties',
      '/functions/f/architecture must be equal to one of the allowed values',
      '/workloads/0/invoke must be equal to one of the allowed values',
      '/workloads/0/sqs must NOT have additional properties',
      '/workloads/0/arrivals/poisson must be string',
    ]) {
      expect(where).toContain(expected);
    }
    expect(validate({})).toBe(false);
    expect(validate.errors!.map((e) => e.params)).toEqual([{ missingProperty: 'duration' }, { missingProperty: 'functions' }, { missingProperty: 'workloads' }]);
  });

  it('describes every key, and every description is used', async () => {
    const text = JSON.stringify(await schema());
    const properties: [string, Record<string, unknown>][] = [];
    const visit = (node: unknown, at: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${at}[${i}]`));
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === 'properties') for (const [p, s] of Object.entries(v as object)) properties.push([`${at}.${p}`, s]);
          visit(v, `${at}.${k}`);
        }
      }
    };
    visit(JSON.parse(text), '');
    expect(properties.length).toBeGreaterThan(150);
    expect(properties.filter(([, s]) => typeof s.description !== 'string').map(([p]) => p)).toEqual([]);
    expect(Object.entries(DESCRIPTIONS).filter(([, d]) => !text.includes(JSON.stringify(d))).map(([k]) => k)).toEqual([]);
  });
});

describe('lsim init', () => {
  it.each(MODELS)('--model %s writes a commented scenario that validates and runs', async (model) => {
    const dir = tmp();
    const r = await cli(['init', '--model', model, '--out', 's.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('lsim: wrote s.yaml; check it with  lsim validate s.yaml  and run it with  lsim run s.yaml\n');
    const text = readFileSync(join(dir, 's.yaml'), 'utf8');
    expect(text).toBe(scenarioTemplate(model));
    expect(text).toMatch(/^# yaml-language-server: \$schema=lsim\.schema\.json\n/);
    expect(text).toContain(`invoke: ${model}`);
    const validated = await cli(['validate', 's.yaml'], { cwd: dir });
    expect(validated).toEqual({ code: 0, stdout: 's.yaml: ok (1 function, 1 workload, 30m)\n', stderr: '' });
    const run = await cli(['run', 's.yaml', '--format', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.scenario.name).toBe(`my-${model}`);
    expect(result.functions[0].invocations).toBeGreaterThan(10_000);
  });

  it('refuses to overwrite without --force (exit 2, file untouched); --force overwrites', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'scenario.yaml'), 'mine\n');
    const refused = await cli(['init'], { cwd: dir });
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'lsim: scenario.yaml: already exists; give --force to overwrite it, or another --out\n' });
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe('mine\n');
    expect((await cli(['init', '--force', '--model', 'async'], { cwd: dir })).code).toBe(0);
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe(scenarioTemplate('async'));
  });

  it('without flags and without a terminal: sync, to scenario.yaml; --out - prints it', async () => {
    const dir = tmp();
    expect((await cli(['init'], { cwd: dir, stdin: ['stream\n'] })).code).toBe(0);
    expect(readFileSync(join(dir, 'scenario.yaml'), 'utf8')).toBe(scenarioTemplate('sync'));
    const printed = await cli(['init', '--model', 'sqs', '--out', '-'], { cwd: dir });
    expect(printed).toEqual({ code: 0, stdout: scenarioTemplate('sqs'), stderr: '' });
  });

  it('on a terminal it asks for the model once; a bad answer writes nothing (exit 2)', async () => {
    const dir = tmp();
    const terminal = (answer: string) => Object.assign([answer], { isTTY: true });
    const asked = await cli(['init', '--out', 'q.yaml'], { cwd: dir, stdin: terminal('sqs\n'), stderrTTY: true });
    expect(asked.code).toBe(0);
    expect(asked.stderr).toMatch(/^Invocation model\?\n  sync {4}.*\n  async .*\n  sqs {5}.*\n  stream .*\n  stepfunctions .*\nModel \[sync\]: lsim: wrote q\.yaml/);
    expect(readFileSync(join(dir, 'q.yaml'), 'utf8')).toBe(scenarioTemplate('sqs'));
    expect((await cli(['init', '--out', 'd.yaml'], { cwd: dir, stdin: terminal('\n'), stderrTTY: true })).code).toBe(0);
    expect(readFileSync(join(dir, 'd.yaml'), 'utf8')).toBe(scenarioTemplate('sync'));
    const bad = await cli(['init', '--out', 'b.yaml'], { cwd: dir, stdin: terminal('kafka\n'), stderrTTY: true });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/lsim: "kafka" is not an invocation model; choose one of sync, async, sqs, stream, stepfunctions\n$/);
    expect(bad.stderr).not.toMatch(STACK);
    expect(existsSync(join(dir, 'b.yaml'))).toBe(false);
  });

  it('an unknown --model: exit 2 listing the models', async () => {
    const r = await cli(['init', '--model', 'kafka', '--out', '-']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Choices: "sync", "async", "sqs", "stream"/);
  });
});
