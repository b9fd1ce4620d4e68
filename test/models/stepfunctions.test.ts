// Step Functions as a caller (issue 16 item 3): retry timelines exact to the policy (with and without
// jitter), Catch routing, Map's MaxConcurrency, Choice by probability, .waitForTaskToken, Express
// billing and its 5-minute limit, conservation over many seeds, and the 40-minute job of
// scenarios/long-job-step-functions.yaml (one function times out at 900 s; a Map of chunks finishes).
import { describe, expect, it } from 'vitest';
import { runAny } from '../helpers/run.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { matches, retryDelayMs } from '../../src/models/stepfunctions/machine.js';
import type { StepFunctionsWorkloadResult } from '../../src/models/stepfunctions/types.js';
import type { Result } from '../../src/sim/result.js';

/** A scenario of one state machine workload over function f (and g, h), `n` executions started at t = 0 unless `arrivals` says otherwise. */
function machine(opts: { fn?: string; extraFns?: string; definition: string; type?: string; n?: number; arrivals?: string; duration?: string; seed?: number }): string {
  const indent = (s: string, k: number) => s.trim().split('\n').map((l) => ' '.repeat(k) + l).join('\n');
  return [
    `duration: ${opts.duration ?? '1h'}`,
    'warmup: 0s',
    `seed: ${opts.seed ?? 1}`,
    'functions:',
    `  f: ${opts.fn ?? '{ duration: 100ms, init: 0s }'}`,
    ...(opts.extraFns ? [indent(opts.extraFns, 2)] : []),
    'workloads:',
    '  - function: f',
    '    invoke: stepfunctions',
    `    arrivals: ${opts.arrivals ?? `[{ at: 0s, for: 1s, constant: ${opts.n ?? 1}/s }]`}`,
    '    stepFunctions:',
    `      type: ${opts.type ?? 'STANDARD'}`,
    '      definition:',
    indent(opts.definition, 8),
    '',
  ].join('\n');
}

const sfn = (r: Result): StepFunctionsWorkloadResult => r.workloads.find((w) => w.invoke === 'stepfunctions') as StepFunctionsWorkloadResult;
const state = (w: StepFunctionsWorkloadResult, name: string) => w.states.find((s) => s.name === name)!;
/** The whole bill's service lines, by item. */
const lines = (r: Result) => Object.fromEntries(r.account.cost.bill.services.map((l) => [l.item, l]));

describe('Retry: the rules', () => {
  const r = { errorEquals: ['States.ALL'], intervalMs: 2000, maxAttempts: 5, backoffRate: 3, maxDelayMs: 10_000, jitter: 'NONE' as const };
  it('waits IntervalSeconds × BackoffRate^(n−1), capped at MaxDelaySeconds', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(r, n))).toEqual([2000, 6000, 10_000, 10_000]);
    expect(retryDelayMs({ ...r, maxDelayMs: Infinity }, 4)).toBe(54_000);
  });
  it('matches States.ALL, exact names, and States.TaskFailed for anything but States.Timeout', () => {
    expect(matches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(matches(['States.TaskFailed'], 'Lambda.Unknown')).toBe(true);
    expect(matches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(matches(['Lambda.TooManyRequestsException'], 'Lambda.Unknown')).toBe(false);
    expect(matches(['Error'], 'Error')).toBe(true);
  });
});

describe('Retry timelines, exact to the policy', () => {
  it('without jitter: 4 attempts of 100 ms and waits of 2 s, 6 s and 10 s (capped): the execution fails at 18.4 s', () => {
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 100ms, init: 0s, errors: 1 }',
          n: 5,
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry: [{ ErrorEquals: [States.ALL], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 3, MaxDelaySeconds: 10 }]
    End: true`,
        }),
      ),
    );
    expect(w.executions).toEqual({ started: 5, succeeded: 0, failed: 5, timedOut: 0, openAtEnd: 0 });
    expect(w.failedDurationMs.mean).toBe(18_400);
    expect(w.failedDurationMs.max).toBe(18_400);
    expect(w.retries).toBe(15);
    // One transition per state entered and per retry.
    expect(w.transitions).toBe(5 * 4);
    expect(state(w, 'T')).toMatchObject({ entered: 5, retries: 15, caught: 0, failed: 5 });
  });

  it('the defaults: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2 → waits of 1, 2 and 4 s', () => {
    const w = sfn(runAny(machine({ fn: '{ duration: 100ms, init: 0s, errors: 1 }', definition: 'StartAt: T\nStates:\n  T: { Type: Task, Retry: [{ ErrorEquals: [Error] }], End: true }' })));
    expect(w.failedDurationMs.max).toBe(4 * 100 + 1000 + 2000 + 4000);
  });

  it('MaxAttempts 0 never retries; the first retrier that matches decides, even with no attempts left', () => {
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 100ms, init: 0s, errors: 1 }',
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry:
      - { ErrorEquals: [Error], IntervalSeconds: 1, MaxAttempts: 1 }
      - { ErrorEquals: [States.ALL], IntervalSeconds: 1, MaxAttempts: 5 }
    Next: U
  U:
    Type: Task
    Retry: [{ ErrorEquals: [States.ALL], MaxAttempts: 0 }]
    End: true`,
        }),
      ),
    );
    expect(w.failedDurationMs.max).toBe(2 * 100 + 1000);
    expect(state(w, 'T')).toMatchObject({ retries: 1, failed: 1 });
    expect(state(w, 'U').entered).toBe(0);
  });

  it('with JitterStrategy FULL: every wait is uniform in [0, its backoff], so the total lies in [400 ms, 18.4 s] with mean 9.4 s', () => {
    const n = 2000;
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 100ms, init: 0s, errors: 1 }',
          n,
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry: [{ ErrorEquals: [States.ALL], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 3, MaxDelaySeconds: 10, JitterStrategy: FULL }]
    End: true`,
        }),
      ),
    );
    expect(w.executions.failed).toBe(n);
    expect(w.failedDurationMs.max).toBeLessThanOrEqual(18_400);
    expect(w.failedDurationMs.max).toBeGreaterThan(400);
    // Mean 400 + (2000 + 6000 + 10000) / 2; sd of one total √((2² + 6² + 10²)/12) s ≈ 3.42 s, so the
    // mean of 2,000 has a standard error of 76 ms: 4 of them is 305 ms.
    expect(Math.abs(w.failedDurationMs.mean - 9400)).toBeLessThan(305);
    // The first wait alone: a draw in [0, 2 s] would put some totals below 400 ms + 8 s + …: p50 well inside.
    expect(w.failedDurationMs.p50).toBeGreaterThan(4000);
    expect(w.failedDurationMs.p50).toBeLessThan(15_000);
  });

  it('a throttle is Lambda.TooManyRequestsException, which the recommended retrier takes', () => {
    // Reserved concurrency 1 and 10 executions at once: 9 are throttled on their first attempt.
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 100ms, init: 0s, reservedConcurrency: 1 }',
          arrivals: '[{ at: 0s, for: 1ms, constant: 10000/s }]',
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry: [{ ErrorEquals: [Lambda.TooManyRequestsException], IntervalSeconds: 1, MaxAttempts: 20, BackoffRate: 1 }]
    End: true`,
        }),
      ),
    );
    expect(w.executions.started).toBe(10);
    expect(w.executions.succeeded).toBe(10);
    // At t = 0 one runs, 9 are refused; at each whole second one more gets in: 9 + 8 + … + 1 = 45 throttles.
    expect(w.throttled).toBe(45);
    expect(w.retries).toBe(45);
    expect(w.durationMs.max).toBe(9 * 1000 + 100);
  });
});

describe('Catch', () => {
  const failing = '{ duration: 100ms, init: 0s, errors: 1 }';
  it('routes an error to the first catcher that matches, after the retries', () => {
    const w = sfn(
      runAny(
        machine({
          fn: failing,
          n: 3,
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry: [{ ErrorEquals: [Error], IntervalSeconds: 1, MaxAttempts: 1 }]
    Catch:
      - { ErrorEquals: [Lambda.Unknown], Next: Wrong }
      - { ErrorEquals: [States.ALL], Next: Recover }
    Next: Wrong
  Recover: { Type: Pass, End: true }
  Wrong: { Type: Fail, Error: Wrong }`,
        }),
      ),
    );
    expect(w.executions).toMatchObject({ started: 3, succeeded: 3, failed: 0 });
    expect(state(w, 'T')).toMatchObject({ retries: 3, caught: 3, failed: 0 });
    expect(state(w, 'Recover').entered).toBe(3);
    expect(state(w, 'Wrong').entered).toBe(0);
    expect(w.durationMs.max).toBe(1200);
  });

  it('a state TimeoutSeconds is States.Timeout: States.TaskFailed does not catch it, States.Timeout does', () => {
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 5s, init: 0s, timeout: 1m }',
          definition: `
StartAt: T
States:
  T:
    Type: Task
    TimeoutSeconds: 2
    Catch:
      - { ErrorEquals: [States.TaskFailed], Next: A }
      - { ErrorEquals: [States.Timeout], Next: B }
    End: true
  A: { Type: Succeed }
  B: { Type: Succeed }`,
        }),
      ),
    );
    expect(state(w, 'A').entered).toBe(0);
    expect(state(w, 'B').entered).toBe(1);
    expect(w.durationMs.max).toBe(2000);
  });

  it('a function timeout is Lambda.Unknown', () => {
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 5s, init: 0s, timeout: 1s }',
          definition: `
StartAt: T
States:
  T:
    Type: Task
    Catch: [{ ErrorEquals: [Lambda.Unknown], Next: A }]
    End: true
  A: { Type: Succeed }`,
        }),
      ),
    );
    expect(state(w, 'A').entered).toBe(1);
    expect(w.durationMs.max).toBe(1000);
  });

  it('a failed Map iteration fails the Map with its error, and the Map\'s Catch takes it', () => {
    const w = sfn(
      runAny(
        machine({
          extraFns: 'g: { duration: 1s, init: 0s, errors: 1 }',
          definition: `
StartAt: M
States:
  M:
    Type: Map
    Items: 5
    MaxConcurrency: 2
    ItemProcessor:
      StartAt: G
      States:
        G: { Type: Task, FunctionName: g, End: true }
    Catch: [{ ErrorEquals: [Error], Next: Caught }]
    End: true
  Caught: { Type: Pass, End: true }`,
        }),
      ),
    );
    expect(w.executions.succeeded).toBe(1);
    expect(state(w, 'M').caught).toBe(1);
    // The first iteration to fail stops the other: both fail at 1 s; only 2 of the 5 started.
    expect(state(w, 'G').entered).toBe(2);
    expect(w.durationMs.max).toBe(1000);
  });
});

describe('Map and Parallel', () => {
  it('a Map runs at most MaxConcurrency iterations at once: 20 items of 10 s, 3 at a time, take 7 rounds', () => {
    const r = runAny(
      machine({
        extraFns: 'g: { duration: 10s, init: 0s, timeout: 1m }',
        definition: `
StartAt: M
States:
  M:
    Type: Map
    Items: 20
    MaxConcurrency: 3
    ItemProcessor:
      StartAt: G
      States:
        G: { Type: Task, FunctionName: g, End: true }
    End: true`,
      }),
    );
    const w = sfn(r);
    expect(r.functions.find((f) => f.name === 'g')!.concurrency.max).toBe(3);
    expect(w.durationMs.max).toBe(7 * 10_000);
    expect(state(w, 'G').entered).toBe(20);
    // Transitions: the Map state and each iteration's one state.
    expect(w.transitions).toBe(21);
  });

  it('MaxConcurrency 0 is the inline Map\'s 40 at once', () => {
    const r = runAny(
      machine({
        extraFns: 'g: { duration: 10s, init: 0s, timeout: 1m }',
        definition: 'StartAt: M\nStates:\n  M: { Type: Map, Items: 100, ItemProcessor: { StartAt: G, States: { G: { Type: Task, FunctionName: g, End: true } } }, End: true }',
      }),
    );
    expect(r.functions.find((f) => f.name === 'g')!.concurrency.max).toBe(40);
    expect(sfn(r).durationMs.max).toBe(3 * 10_000);
  });

  it('a Parallel state ends when its slowest branch does', () => {
    const w = sfn(
      runAny(
        machine({
          extraFns: 'g: { duration: 3s, init: 0s, timeout: 1m }\nh: { duration: 7s, init: 0s, timeout: 1m }',
          definition: `
StartAt: P
States:
  P:
    Type: Parallel
    Branches:
      - { StartAt: G, States: { G: { Type: Task, FunctionName: g, End: true } } }
      - { StartAt: H, States: { H: { Type: Task, FunctionName: h, Next: W }, W: { Type: Wait, Seconds: 2, End: true } } }
    Next: T
  T: { Type: Task, End: true }`,
        }),
      ),
    );
    expect(w.durationMs.max).toBe(7000 + 2000 + 100);
    expect(w.transitions).toBe(5);
  });
});

describe('Choice, Wait and .waitForTaskToken', () => {
  it('a Choice takes each branch with its Probability', () => {
    const n = 4000;
    const w = sfn(
      runAny(
        machine({
          arrivals: `[{ constant: ${n}/h }]`,
          definition: `
StartAt: C
States:
  C:
    Type: Choice
    Choices: [{ Probability: 0.3, Next: A }, { Probability: 0.5, Next: B }]
    Default: D
  A: { Type: Succeed }
  B: { Type: Succeed }
  D: { Type: Succeed }`,
        }),
      ),
    );
    const started = w.executions.started;
    expect(started).toBe(n);
    // Binomial: 4 standard deviations of a share of 4,000 at p = 0.5 is 0.032.
    expect(Math.abs(state(w, 'A').entered / started - 0.3)).toBeLessThan(0.03);
    expect(Math.abs(state(w, 'B').entered / started - 0.5)).toBeLessThan(0.032);
    expect(Math.abs(state(w, 'D').entered / started - 0.2)).toBeLessThan(0.026);
    expect(state(w, 'A').entered + state(w, 'B').entered + state(w, 'D').entered).toBe(started);
  });

  it('a .waitForTaskToken Task ends TokenDelay after its function returns; a Wait waits Seconds', () => {
    const w = sfn(
      runAny(
        machine({
          definition: `
StartAt: W
States:
  W: { Type: Wait, Seconds: 30, Next: T }
  T:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke.waitForTaskToken
    TokenDelay: 10m
    End: true`,
        }),
      ),
    );
    expect(w.durationMs.max).toBe(30_000 + 100 + 600_000);
    // The function is billed for its 100 ms, not for the wait for the token.
  });

  it('the state TimeoutSeconds covers the wait for the token', () => {
    const w = sfn(runAny(machine({ definition: 'StartAt: T\nStates:\n  T: { Type: Task, Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", TokenDelay: 10m, TimeoutSeconds: 60, End: true }' })));
    expect(w.executions.failed).toBe(1);
    expect(w.failedDurationMs.max).toBe(60_000);
  });
});

describe('Standard and Express', () => {
  it('an execution past its TimeoutSeconds times out', () => {
    const w = sfn(runAny(machine({ definition: 'StartAt: W\nTimeoutSeconds: 10\nStates:\n  W: { Type: Wait, Seconds: 20, End: true }' })));
    expect(w.executions).toMatchObject({ started: 1, timedOut: 1, succeeded: 0 });
  });

  it('Express: 5 minutes at most; billed per request and per GB-second in 100 ms and 64 MB steps', () => {
    const w = sfn(
      runAny(
        machine({
          type: 'EXPRESS',
          fn: '{ duration: 1234ms, init: 0s }',
          n: 10,
          definition: 'StartAt: T\nStates:\n  T: { Type: Task, Next: W }\n  W: { Type: Wait, Seconds: 400, End: true }',
        }),
      ),
    );
    expect(w.executions).toMatchObject({ started: 10, timedOut: 10 });
    expect(w.failedDurationMs.max).toBe(300_000);
    // 10 × 300 s × 64/1024 GB.
    expect(w.expressGbS).toBe(187.5);
    const d = sfn(runAny(machine({ type: 'EXPRESS', fn: '{ duration: 1234ms, init: 0s }', n: 10, definition: 'StartAt: T\nStates:\n  T: { Type: Task, End: true }' })));
    // 1.234 s is billed as 1.3 s.
    expect(d.expressGbS).toBeCloseTo(10 * 1.3 * (64 / 1024), 9);
    // On the whole bill: 10 requests at $1/M and 0.8125 GB-s at $0.00001667, each weighed into the month.
    expect(d.expressRequests).toBe(10);
    const bill = lines(runAny(machine({ type: 'EXPRESS', fn: '{ duration: 1234ms, init: 0s }', n: 10, definition: 'StartAt: T\nStates:\n  T: { Type: Task, End: true }' })));
    expect(bill.stepFunctionsExpressRequests.usd).toBeCloseTo(bill.stepFunctionsExpressRequests.quantity * 1e-6, 12);
    expect(bill.stepFunctionsExpressGbSeconds.usd).toBeCloseTo(bill.stepFunctionsExpressGbSeconds.quantity * 0.00001667, 12);
    expect(bill.stepFunctionsExpressGbSeconds.quantity / bill.stepFunctionsExpressRequests.quantity).toBeCloseTo(0.8125 / 10, 12);
  });

  it('Standard: $0.025 per 1,000 transitions, 4,000 free a month', () => {
    const w = sfn(runAny(machine({ n: 10, definition: 'StartAt: A\nStates:\n  A: { Type: Pass, Next: B }\n  B: { Type: Task, End: true }' })));
    expect(w.transitions).toBe(20);
    const r = runAny(machine({ n: 10, definition: 'StartAt: A\nStates:\n  A: { Type: Pass, Next: B }\n  B: { Type: Task, End: true }' }));
    const t = lines(r).stepFunctionsTransitions;
    // The month's transitions are the window's weighed by the month; 4,000 are free (the scenario's free tier).
    const month = r.account.cost.month;
    expect(t.quantity).toBeCloseTo(20 * month.rest.weight, 6);
    expect(t.usd).toBeCloseTo(Math.max(0, t.quantity - t.freeQuantity) * 0.000025, 12);
    expect(t.by).toEqual([w.name]);
  });
});

describe('conservation: every execution ends in exactly one outcome', () => {
  const definition = `
StartAt: C
TimeoutSeconds: 120
States:
  C:
    Type: Choice
    Choices: [{ Probability: 0.5, Next: M }]
    Default: P
  M:
    Type: Map
    Items: { uniform: { min: 0, max: 6 } }
    MaxConcurrency: 2
    ItemProcessor:
      StartAt: G
      States:
        G:
          Type: Task
          FunctionName: g
          TimeoutSeconds: 8
          Retry: [{ ErrorEquals: [States.TaskFailed], IntervalSeconds: 1, MaxAttempts: 2, JitterStrategy: FULL }]
          End: true
    Catch: [{ ErrorEquals: [States.Timeout], Next: Recover }]
    Next: Done
  P:
    Type: Parallel
    Branches:
      - { StartAt: T, States: { T: { Type: Task, Retry: [{ ErrorEquals: [States.ALL], MaxAttempts: 1 }], End: true } } }
      - { StartAt: W, States: { W: { Type: Wait, Seconds: 3, Next: H }, H: { Type: Task, FunctionName: g, End: true } } }
    Next: Done
  Recover: { Type: Pass, End: true }
  Done: { Type: Succeed }`;
  it('over 20 seeds: started = succeeded + failed + timed out + open', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const w = sfn(
        runAny(
          machine({
            seed,
            duration: '10m',
            fn: '{ duration: { exponential: 2s }, init: 0s, errors: 0.2, reservedConcurrency: 5 }',
            extraFns: 'g: { duration: { exponential: 4s }, init: 0s, errors: 0.1, timeout: 20s, reservedConcurrency: 4 }',
            arrivals: '[{ poisson: 1/s }]',
            definition,
          }),
        ),
      );
      const e = w.executions;
      expect(e.started).toBeGreaterThan(450);
      expect(e.succeeded + e.failed + e.timedOut + e.openAtEnd).toBe(e.started);
      expect(e.openAtEnd).toBeGreaterThanOrEqual(0);
      expect(e.openAtEnd).toBeLessThan(e.started / 5);
      expect(e.failed).toBeGreaterThan(0);
      expect(state(w, 'C').entered).toBe(e.started);
      expect(state(w, 'M').entered + state(w, 'P').entered).toBeLessThanOrEqual(e.started);
    }
  });
});

describe('scenarios/long-job-step-functions.yaml: a 40-minute job', () => {
  const r = simulate(loadScenarioFile('scenarios/long-job-step-functions.yaml'));
  const one = r.workloads.find((w) => w.name === 'one-function') as StepFunctionsWorkloadResult;
  const chunked = r.workloads.find((w) => w.name === 'chunked') as StepFunctionsWorkloadResult;
  it('as one function: every invocation times out at 900 s and every execution fails', () => {
    const whole = r.functions.find((f) => f.name === 'whole-job')!;
    expect(whole.timeouts).toBe(whole.invocations);
    expect(one.executions.succeeded).toBe(0);
    expect(one.executions.failed + one.executions.openAtEnd).toBe(one.executions.started);
    // 900 s of handler time plus the cold start: at least 900 s, under 901 s.
    expect(one.failedDurationMs.p50).toBeGreaterThanOrEqual(900_000);
    expect(one.failedDurationMs.max).toBeLessThan(901_000);
  });
  it('as a Map of 16 chunks of 2.5 min, 4 at once: it finishes in 4 rounds, about 10 minutes', () => {
    expect(chunked.executions.failed).toBe(0);
    expect(chunked.executions.succeeded).toBeGreaterThanOrEqual(chunked.executions.started - 1);
    // 4 rounds of chunks of 150 ± 15 s (each round waits for its slowest of 4 only in part: a new chunk starts as one ends),
    // plus a split of ~2 s and a merge of ~3 s: between 4 × 150 s and 4 × 150 s + 1 minute.
    expect(chunked.durationMs.p50).toBeGreaterThan(600_000);
    expect(chunked.durationMs.max).toBeLessThan(15 * 60_000);
    expect(r.functions.find((f) => f.name === 'chunk')!.concurrency.max).toBeLessThanOrEqual(8);
  });
});

describe('lsim explain follows an execution', () => {
  it('through its states, retries and Catch, to one outcome', async () => {
    const { traceRequests } = await import('../../src/report/explain.js');
    const { parseScenario } = await import('../../src/scenario/load.js');
    const s = parseScenario(
      machine({
        fn: '{ duration: 100ms, init: 0s, errors: 1 }',
        definition: `
StartAt: T
States:
  T:
    Type: Task
    Retry: [{ ErrorEquals: [Error], IntervalSeconds: 2, MaxAttempts: 1 }]
    Catch: [{ ErrorEquals: [States.ALL], Next: Later }]
    End: true
  Later:
    Type: Task
    Resource: arn:aws:states:::lambda:invoke.waitForTaskToken
    TokenDelay: 1m
    End: true`,
      }).replace('errors: 1', 'errors: { rate: 0, windows: [{ at: 0s, for: 2150ms, rate: 1 }] }'),
      'inline.yaml',
    );
    const t = traceRequests(s, 1);
    const steps = t.requests[0].events.map((e) => `${e.tMs} ${e.type}${e.type === 'state' ? ` ${e.reason}` : ''}`);
    expect(steps).toEqual(['0 arrival', '0 state T', '0 start', '100 complete', '100 retry', '2100 start', '2200 complete', '2200 caught', '2200 state Later', '2200 start', '2300 complete', '2300 token', '62300 done']);
    expect(t.requests[0].outcome).toBe('ok');
  });
});

describe("docs/scenario-reference.md's worked example", () => {
  it('loads and runs: 16 chunks per execution, 18 transitions plus its retries', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync('docs/scenario-reference.md', 'utf8');
    const example = doc.split('## Step Functions: `invoke: stepfunctions`')[1].split('```yaml\n')[1].split('```')[0];
    const r = runAny(`duration: 3d\nwarmup: 0s\n${example}`);
    const w = sfn(r);
    expect(w.executions.started).toBe(3);
    expect(state(w, 'Chunk').entered).toBe(48);
    expect(w.transitions).toBe(3 * 18 + w.retries);
    expect(w.executions.succeeded + w.executions.failed).toBe(3);
  });
});

describe('jitter, one retry at a time', () => {
  it('one FULL-jittered retry of 10 s: totals uniform on [200 ms, 10.2 s], median 5.2 s', () => {
    const n = 2000;
    const w = sfn(
      runAny(
        machine({
          fn: '{ duration: 100ms, init: 0s, errors: 1 }',
          n,
          definition: 'StartAt: T\nStates:\n  T: { Type: Task, Retry: [{ ErrorEquals: [Error], IntervalSeconds: 10, MaxAttempts: 1, JitterStrategy: FULL }], End: true }',
        }),
      ),
    );
    expect(w.failedDurationMs.count).toBe(n);
    expect(w.failedDurationMs.max).toBeLessThanOrEqual(10_200);
    // The sample median of 2,000 uniforms over 10 s has a standard error of 10 s / (2√2000) ≈ 112 ms: 4 of them.
    expect(Math.abs(w.failedDurationMs.p50 - 5200)).toBeLessThan(450);
    expect(Math.abs(w.failedDurationMs.mean - 5200)).toBeLessThan(4 * (10_000 / Math.sqrt(12 * n)));
  });
});

describe('determinism', () => {
  it("adding a Step Functions workload does not move another workload's draws", () => {
    const base = 'duration: 10m\nseed: 7\nfunctions:\n  api: { duration: { exponential: 50ms }, errors: 0.01 }\n  f: { duration: { exponential: 1s }, errors: 0.1 }\nworkloads:\n  - function: api\n    arrivals: { poisson: 20/s }\n';
    const extra =
      '  - function: f\n    invoke: stepfunctions\n    arrivals: { poisson: 2/s }\n    stepFunctions:\n      definition:\n        StartAt: T\n        States:\n          T: { Type: Task, Retry: [{ ErrorEquals: [States.ALL], JitterStrategy: FULL }], End: true }\n';
    const a = runAny(base).workloads[0];
    const b = runAny(base + extra).workloads[0];
    expect(b).toEqual(a);
    expect(JSON.stringify(runAny(base + extra))).toBe(JSON.stringify(runAny(base + extra)));
  });
});
