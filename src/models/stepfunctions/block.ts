/**
 * The `stepFunctions` block of an `invoke: stepfunctions` workload: the workflow type and the state
 * machine, written in the Amazon States Language's own keys (StartAt, States, Type, Next, End, Retry,
 * Catch, ...), so that a definition from the console reads the same (docs/scenario-reference.md
 * "Step Functions"). The rules and their sources: docs/sources.md §13.
 *
 * lsim's own keys, where ASL has none for what a simulation needs: a Task's `FunctionName` (ASL puts
 * it under Parameters; default: the workload's function), `TokenDelay` (how long a `.waitForTaskToken`
 * token takes to come back), `ErrorName` (the error a function error reports); a Choice's
 * `Choices: [{ Probability, Next }]` in place of its conditions; a Map's `Items` (how many items).
 *
 * Every reference is checked where it is written: a Next, Default or Catch Next must name a state of
 * the same States map; a FunctionName a function of the scenario; an Express workflow may not run
 * longer than 5 minutes nor wait for a task token.
 */
import { SFN_EXPRESS_ROUNDING } from '../../billing/service-prices.js';
import { z } from 'zod';
import type { FunctionSpec } from '../../scenario/types.js';
import { countSchema, didYouMean, distributionSchema, isMap, number, probability, sizeMb, strictObject, type Path } from '../../scenario/fields.js';
import type { Problems } from '../model.js';
import type { CatcherSpec, MachineSpec, RetrierSpec, StateSpec } from './types.js';

/** The rules of docs/sources.md §13, with their numbers. */
export const SFN = {
  // §13 "Retry": IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0 by default; JitterStrategy NONE.
  intervalSeconds: 1,
  maxAttempts: 3,
  backoffRate: 2,
  // §13 "Retry": IntervalSeconds, MaxAttempts and MaxDelaySeconds are at most 99999999.
  maxSeconds: 99_999_999,
  // §13 "Standard and Express": a Standard execution runs at most one year, an Express one 5 minutes.
  standardMaxMs: 365 * 24 * 3_600_000,
  expressMaxMs: 5 * 60_000,
  // §13 "Map": an inline Map runs at most 40 iterations at once (MaxConcurrency 0: that limit).
  inlineMapConcurrency: 40,
  // §13 "Step Functions pricing": Express memory is billed in 64 MB chunks; lsim's default is one
  // chunk (an assumption: AWS gives the memory only by examples; it grows with the definition and payloads).
  expressMemoryMb: 64,
  // §13 "Lambda errors": a function error carries its errorType; a JavaScript `throw new Error()` reports "Error" (lsim's default, an assumption).
  functionErrorName: 'Error',
} as const;

const seconds = (above: number | undefined, what: string) => number({ ...(above === undefined ? { min: 0 } : { above }), max: SFN.maxSeconds, what, source: 'docs/sources.md §13' });
const errorList = z.lazy(() =>
  z.array(z.string().min(1)).min(1),
);

const retrierSchema = z.lazy(() =>
  strictObject({
    ErrorEquals: errorList,
    IntervalSeconds: number({ min: 1, max: SFN.maxSeconds, integer: true, what: 'seconds', source: 'docs/sources.md §13' }).optional(),
    MaxAttempts: number({ min: 0, max: SFN.maxSeconds, integer: true, what: 'attempts', source: 'docs/sources.md §13' }).optional(),
    BackoffRate: number({ min: 1, source: 'docs/sources.md §13' }).optional(),
    MaxDelaySeconds: number({ min: 1, max: SFN.maxSeconds, integer: true, what: 'seconds', source: 'docs/sources.md §13' }).optional(),
    JitterStrategy: z.enum(['FULL', 'NONE']).optional(),
    Comment: z.string().optional(),
  }),
);
const catcherSchema = z.lazy(() =>
  strictObject({ ErrorEquals: errorList, Next: z.string().min(1), ResultPath: z.unknown().optional(), Comment: z.string().optional() }),
);

const flow = () => ({ Next: z.string().min(1).optional(), End: z.boolean().optional(), Comment: z.string().optional() });
const handling = () => ({ Retry: z.array(z.unknown()).optional(), Catch: z.array(z.unknown()).optional() });
const ignored = () => ({ InputPath: z.unknown().optional(), OutputPath: z.unknown().optional(), ResultPath: z.unknown().optional(), Parameters: z.unknown().optional(), ResultSelector: z.unknown().optional() });

const RESOURCES = ['arn:aws:states:::lambda:invoke', 'arn:aws:states:::lambda:invoke.waitForTaskToken'] as const;

const STATE_SCHEMAS = {
  Task: z.lazy(() => strictObject({
    Type: z.literal('Task'),
    Resource: z.enum(RESOURCES).optional(),
    FunctionName: z.string().min(1).optional(),
    TokenDelay: distributionSchema.optional(),
    TimeoutSeconds: seconds(0, 'seconds').optional(),
    HeartbeatSeconds: z.unknown().optional(),
    ErrorName: z.string().min(1).optional(),
    ...flow(),
    ...handling(),
    ...ignored(),
  })),
  Wait: z.lazy(() => strictObject({ Type: z.literal('Wait'), Seconds: seconds(undefined, 'seconds'), ...flow(), ...ignored() })),
  Pass: z.lazy(() => strictObject({ Type: z.literal('Pass'), Result: z.unknown().optional(), ...flow(), ...ignored() })),
  Succeed: z.lazy(() => strictObject({ Type: z.literal('Succeed'), Comment: z.string().optional(), InputPath: z.unknown().optional(), OutputPath: z.unknown().optional() })),
  Fail: z.lazy(() => strictObject({ Type: z.literal('Fail'), Error: z.string().min(1).optional(), Cause: z.string().optional(), Comment: z.string().optional() })),
  Choice: z.lazy(() => strictObject({
    Type: z.literal('Choice'),
    Choices: z.array(strictObject({ Probability: probability, Next: z.string().min(1), Comment: z.string().optional() })).min(1),
    Default: z.string().min(1).optional(),
    Comment: z.string().optional(),
    InputPath: z.unknown().optional(),
    OutputPath: z.unknown().optional(),
  })),
  Parallel: z.lazy(() => strictObject({ Type: z.literal('Parallel'), Branches: z.array(z.unknown()).min(1), ...flow(), ...handling(), ...ignored() })),
  Map: z.lazy(() => strictObject({
    Type: z.literal('Map'),
    ItemProcessor: z.unknown(),
    Items: countSchema,
    MaxConcurrency: number({ min: 0, integer: true, what: 'iterations' }).optional(),
    ItemsPath: z.unknown().optional(),
    ItemSelector: z.unknown().optional(),
    ...flow(),
    ...handling(),
    ...ignored(),
  })),
} as const;
const STATE_TYPES = Object.keys(STATE_SCHEMAS);

const machineSchema = z.lazy(() =>
  strictObject({
    StartAt: z.string().min(1),
    States: z.record(z.string(), z.unknown()),
    TimeoutSeconds: seconds(0, 'seconds').optional(),
    Comment: z.string().optional(),
    Version: z.string().optional(),
    QueryLanguage: z.string().optional(),
  }),
);
const processorSchema = z.lazy(() =>
  strictObject({ StartAt: z.string().min(1), States: z.record(z.string(), z.unknown()), ProcessorConfig: z.unknown().optional(), Comment: z.string().optional() }),
);

export const stepFunctionsBlockSchema = z.lazy(() =>
  strictObject({
    type: z.enum(['STANDARD', 'EXPRESS']).default('STANDARD'),
    expressMemory: sizeMb({ min: 64 }).optional(),
    definition: z.unknown(),
  }),
);

export const STEP_FUNCTIONS_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.stepFunctions': 'invoke: stepfunctions: a Step Functions state machine that invokes functions (docs/sources.md §13)',
  'workloads.stepFunctions.type': 'STANDARD (default: billed per state transition, up to a year) or EXPRESS (billed per request and GB-second, up to 5 minutes)',
  'workloads.stepFunctions.expressMemory': 'EXPRESS: the memory billed per execution, rounded up to 64 MB chunks (default 64MB, an assumption)',
  'workloads.stepFunctions.definition': 'the state machine in Amazon States Language keys: StartAt, States, TimeoutSeconds (docs/scenario-reference.md "Step Functions")',
};

type Parsed<K extends keyof typeof STATE_SCHEMAS> = z.output<(typeof STATE_SCHEMAS)[K]>;

/** Compiles the block into a {@link MachineSpec}; problems are located under `path` (the block). */
export function resolveMachine(block: z.output<typeof stepFunctionsBlockSchema>, path: Path, workloadFunction: string, functions: readonly FunctionSpec[], functionNames: readonly string[] | undefined, problems: Problems): MachineSpec | undefined {
  const before = problems.list.length;
  const express = block.type === 'EXPRESS';
  const defPath = [...path, 'definition'];
  const def = problems.parse(machineSchema, block.definition, defPath);
  if (!def) return undefined;
  const maxMs = express ? SFN.expressMaxMs : SFN.standardMaxMs;
  const timeoutMs = def.TimeoutSeconds !== undefined ? def.TimeoutSeconds * 1000 : maxMs;
  if (timeoutMs > maxMs) {
    problems.add([...defPath, 'TimeoutSeconds'], express ? `an EXPRESS execution runs at most 5 minutes (300 seconds, docs/sources.md §13), got ${def.TimeoutSeconds}; use type: STANDARD for longer work` : `a STANDARD execution runs at most one year (docs/sources.md §13), got ${def.TimeoutSeconds} seconds`);
  }
  const states: StateSpec[] = [];
  const fnIndex = new Map(functions.map((f, i) => [f.name, i]));
  const names = functionNames ?? functions.map((f) => f.name);
  // Each States map is compiled on its own: names are resolved within it (ASL scopes them so).
  const compile = (m: { StartAt: string; States: Record<string, unknown> }, at: Path): number => {
    const local = Object.keys(m.States);
    const base = states.length;
    const index = new Map(local.map((n, i) => [n, base + i]));
    for (const n of local) states.push({ type: 'Pass', name: n, next: -1 });
    const ref = (name: string, where: Path): number => {
      const i = index.get(name);
      if (i !== undefined) return i;
      problems.add(where, `no state named "${name}" in this States map${didYouMean(name, local) || `; its states are ${local.join(', ')}`}`);
      return -1;
    };
    const start = ref(m.StartAt, [...at, 'StartAt']);
    local.forEach((name, k) => {
      const sp = [...at, 'States', name];
      const raw = m.States[name];
      const type = isMap(raw) ? raw.Type : undefined;
      if (typeof type !== 'string' || !(type in STATE_SCHEMAS)) {
        problems.add(isMap(raw) && raw.Type !== undefined ? [...sp, 'Type'] : sp, `a state needs a Type, one of ${STATE_TYPES.join(', ')}${typeof type === 'string' ? `; got "${type}"${didYouMean(type, STATE_TYPES)}` : ''}`);
        return;
      }
      const s = problems.parse(STATE_SCHEMAS[type as keyof typeof STATE_SCHEMAS], raw, sp);
      if (!s) return;
      const next = (): number => {
        const f = s as { Next?: string; End?: boolean };
        if (type === 'Succeed' || type === 'Fail' || type === 'Choice') return -1;
        if (f.Next !== undefined && f.End === true) problems.add([...sp, 'End'], 'a state has either Next or End: true, not both');
        if (f.Next !== undefined) return ref(f.Next, [...sp, 'Next']);
        if (f.End !== true) problems.add(sp, `state "${name}" needs Next (a state) or End: true`);
        return -1;
      };
      const common = { name, next: next() };
      const retry = (list: unknown[] | undefined) => retriers(list, [...sp, 'Retry'], problems);
      const catches = (list: unknown[] | undefined): CatcherSpec[] =>
        (list ?? []).flatMap((c, j) => {
          const cp = [...sp, 'Catch', j];
          const parsed = problems.parse(catcherSchema, c, cp);
          if (!parsed) return [];
          checkAll(parsed.ErrorEquals, [...cp, 'ErrorEquals'], problems);
          return [{ errorEquals: parsed.ErrorEquals, next: ref(parsed.Next, [...cp, 'Next']) }];
        });
      let spec: StateSpec;
      switch (type) {
        case 'Task': {
          const t = s as Parsed<'Task'>;
          const fnName = t.FunctionName ?? workloadFunction;
          const fi = fnIndex.get(fnName);
          if (fi === undefined && t.FunctionName !== undefined && functionNames) {
            problems.add([...sp, 'FunctionName'], `no function named "${fnName}" in functions${didYouMean(fnName, names) || `; the functions are ${names.join(', ')}`}`);
          }
          const waits = t.Resource === RESOURCES[1];
          if (waits && express) problems.add([...sp, 'Resource'], 'an EXPRESS workflow cannot wait for a task token (.waitForTaskToken is Standard only, docs/sources.md §13); use type: STANDARD');
          if (waits && t.TokenDelay === undefined) problems.add(sp, `a .waitForTaskToken Task needs TokenDelay: how long after the function returns the token comes back`);
          if (!waits && t.TokenDelay !== undefined) problems.add([...sp, 'TokenDelay'], `TokenDelay goes only with Resource: ${RESOURCES[1]}`, 'key');
          spec = {
            ...common,
            type: 'Task',
            fn: fi ?? -1,
            functionName: fnName,
            tokenDelay: waits ? (t.TokenDelay ?? null) : null,
            timeoutMs: t.TimeoutSeconds !== undefined ? t.TimeoutSeconds * 1000 : Infinity,
            errorName: t.ErrorName ?? SFN.functionErrorName,
            retry: retry(t.Retry),
            catch: catches(t.Catch),
          };
          break;
        }
        case 'Wait':
          spec = { ...common, type: 'Wait', ms: (s as Parsed<'Wait'>).Seconds * 1000 };
          break;
        case 'Pass':
          spec = { ...common, type: 'Pass' };
          break;
        case 'Succeed':
          spec = { ...common, type: 'Succeed' };
          break;
        case 'Fail':
          spec = { ...common, type: 'Fail', error: (s as Parsed<'Fail'>).Error ?? 'States.Fail' };
          break;
        case 'Choice': {
          const c = s as Parsed<'Choice'>;
          let sum = 0;
          const cumulative = c.Choices.map((x) => (sum += x.Probability));
          if (sum > 1 + 1e-9) problems.add([...sp, 'Choices'], `the probabilities add up to ${+sum.toFixed(6)}, more than 1`);
          spec = {
            ...common,
            type: 'Choice',
            cumulative,
            targets: c.Choices.map((x, j) => ref(x.Next, [...sp, 'Choices', j, 'Next'])),
            default: c.Default !== undefined ? ref(c.Default, [...sp, 'Default']) : -1,
          };
          break;
        }
        case 'Parallel': {
          const p = s as Parsed<'Parallel'>;
          const branches = p.Branches.flatMap((b, j) => {
            const bp = [...sp, 'Branches', j];
            const parsed = problems.parse(processorSchema, b, bp);
            return parsed ? [compile(parsed, bp)] : [];
          });
          spec = { ...common, type: 'Parallel', branches, retry: retry(p.Retry), catch: catches(p.Catch) };
          break;
        }
        default: {
          const mp = s as Parsed<'Map'>;
          const pp = [...sp, 'ItemProcessor'];
          const parsed = problems.parse(processorSchema, mp.ItemProcessor, pp);
          const processor = parsed ? compile(parsed, pp) : -1;
          const mc = mp.MaxConcurrency ?? 0;
          if (mc > SFN.inlineMapConcurrency) problems.add([...sp, 'MaxConcurrency'], `an inline Map runs at most ${SFN.inlineMapConcurrency} iterations at once (docs/sources.md §13), got ${mc}`);
          spec = { ...common, type: 'Map', processor, items: mp.Items, maxConcurrency: mc === 0 ? SFN.inlineMapConcurrency : mc, retry: retry(mp.Retry), catch: catches(mp.Catch) };
        }
      }
      states[base + k] = spec;
    });
    return start;
  };
  const start = compile(def, defPath);
  if (problems.list.length > before) return undefined;
  const memory = block.expressMemory ?? SFN.expressMemoryMb;
  return { type: block.type, start, timeoutMs, states, expressMemoryMb: Math.ceil(memory / SFN_EXPRESS_ROUNDING.mb) * SFN_EXPRESS_ROUNDING.mb };
}

/** A Retry list; States.ALL must stand alone and in the last retrier (docs/sources.md §13). */
function retriers(list: unknown[] | undefined, at: Path, problems: Problems): RetrierSpec[] {
  const out: RetrierSpec[] = [];
  (list ?? []).forEach((r, j) => {
    const parsed = problems.parse(retrierSchema, r, [...at, j]);
    if (!parsed) return;
    checkAll(parsed.ErrorEquals, [...at, j, 'ErrorEquals'], problems);
    if (parsed.ErrorEquals.includes('States.ALL') && j !== list!.length - 1) problems.add([...at, j, 'ErrorEquals'], 'a retrier with States.ALL must be the last one');
    out.push({
      errorEquals: parsed.ErrorEquals,
      intervalMs: (parsed.IntervalSeconds ?? SFN.intervalSeconds) * 1000,
      maxAttempts: parsed.MaxAttempts ?? SFN.maxAttempts,
      backoffRate: parsed.BackoffRate ?? SFN.backoffRate,
      maxDelayMs: parsed.MaxDelaySeconds !== undefined ? parsed.MaxDelaySeconds * 1000 : Infinity,
      jitter: parsed.JitterStrategy ?? 'NONE',
    });
  });
  return out;
}

function checkAll(errors: string[], at: Path, problems: Problems): void {
  if (errors.includes('States.ALL') && errors.length > 1) problems.add(at, 'States.ALL must be the only error name in its ErrorEquals');
}
