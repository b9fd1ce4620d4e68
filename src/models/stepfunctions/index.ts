/**
 * Step Functions as a caller (issue 16 item 3), docs/sources.md §13: a workload's arrivals start
 * executions of a state machine (Standard or Express) whose Task states invoke functions and wait for
 * them (request–response, or `.waitForTaskToken`), with Wait, Pass, Choice (by probability), Parallel,
 * Map (MaxConcurrency), Succeed and Fail states, and each Task's, Parallel's and Map's Retry
 * (ErrorEquals, IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds, JitterStrategy) and Catch
 * as AWS documents them (machine.ts). Standard workflows are billed per state transition, Express per
 * request and GB-second (on the whole bill: src/billing/service-prices.ts); the functions' invocations are billed as
 * Lambda, through the platform, like any other caller's.
 */
import type { InvocationModel } from '../model.js';
import { resolveMachine, STEP_FUNCTIONS_DESCRIPTIONS, stepFunctionsBlockSchema } from './block.js';
import { MachineMeters, StateMachineRun } from './machine.js';
import { stepFunctionsResult } from './result.js';
import { stepFunctionsText } from './text.js';
import { stepFunctionsCards, stepFunctionsCharts, stepFunctionsSummary } from './html.js';
import { describeStepFunctions } from './explain.js';
import type { StepFunctionsWorkloadResult, StepFunctionsWorkloadSpec } from './types.js';

export const stepFunctionsModel: InvocationModel<StepFunctionsWorkloadSpec, StepFunctionsWorkloadResult> = {
  invoke: 'stepfunctions',
  about: 'a Step Functions state machine invokes functions (Task, Map, Parallel, Retry, Catch)',
  block: { key: 'stepFunctions', schema: stepFunctionsBlockSchema, descriptions: STEP_FUNCTIONS_DESCRIPTIONS },

  resolve(d, problems) {
    if (d.value.client !== undefined) problems.add([...d.path, 'client'], '"client" goes only with "invoke: sync"', 'key');
    const at = [...d.path, 'stepFunctions'];
    if (d.value.stepFunctions === undefined) {
      problems.add(d.path, 'an "invoke: stepfunctions" workload needs a stepFunctions block with its definition');
      return undefined;
    }
    const block = problems.parse(stepFunctionsBlockSchema, d.value.stepFunctions, at);
    if (!block) return undefined;
    const machine = resolveMachine(block, at, d.base.functionName, d.functions, d.functionNames, problems);
    if (!machine) return undefined;
    return { ...d.base, invoke: 'stepfunctions', machine };
  },

  start(ctx) {
    const { scenario } = ctx;
    const { intervalMs } = scenario.report;
    const intervals = Math.ceil(scenario.durationMs / intervalMs);
    const runs: StateMachineRun[] = [];
    return {
      recordOpen: () => {
        for (const run of runs) run.recordOpen();
      },
      add(w) {
        const meters = new MachineMeters(w.machine.states.length, ctx.parts.count, intervals);
        const run = new StateMachineRun(ctx.sim, ctx.platform, ctx.rng, ctx.parts, w, meters, scenario.warmupMs, intervalMs, scenario.durationMs);
        run.trace = ctx.trace;
        run.records = ctx.records;
        runs.push(run);
        return () => {
          // The state machine's own charges, per part of the month, on the whole bill (docs/billing.md).
          if (w.machine.type === 'STANDARD') ctx.billService(w.name, 'stepFunctionsTransitions', meters.transitionsByPart);
          else {
            ctx.billService(w.name, 'stepFunctionsExpressRequests', meters.requestsByPart);
            ctx.billService(w.name, 'stepFunctionsExpressGbSeconds', meters.gbSByPart);
          }
          return {
          result: stepFunctionsResult(w, run),
          series: {
            started: Array.from(meters.startedSeries),
            succeeded: Array.from(meters.succeededSeries),
            failed: Array.from(meters.failedSeries),
            open: Array.from(meters.openSeries),
          },
          };
        };
      },
    };
  },

  // What the state machine bills beside the functions it invokes (prices checked at load: docs/sources.md §13).
  services: (w) =>
    w.machine.type === 'STANDARD'
      ? [{ key: ['stepFunctions', 'type'], item: 'stepFunctionsTransitions' }]
      : [
          { key: ['stepFunctions', 'type'], item: 'stepFunctionsExpressRequests' },
          { key: ['stepFunctions', 'type'], item: 'stepFunctionsExpressGbSeconds' },
        ],
  text: stepFunctionsText,
  latency: (w) => w.durationMs,
  // Every execution started ends in exactly one outcome, or is still running at the end.
  work: (w) => ({ offered: w.executions.started, served: w.executions.succeeded, lost: w.executions.failed + w.executions.timedOut, dlq: 0, queued: 0, inFlight: w.executions.openAtEnd }),
  metrics: {
    transitions: { unit: 'count', combine: 'sum', describe: 'state transitions of Step Functions executions (states entered and retries)', get: (w) => w.transitions },
  },
  html: { cards: stepFunctionsCards, charts: () => stepFunctionsCharts() },
  summary: stepFunctionsSummary,
  explain: { kind: 'execution ', from: 'from the start of the execution', reasons: false, describe: (e, w) => describeStepFunctions(e, w) },
  init: {
    fn: 'worker',
    workload: 'job',
    block: `    stepFunctions:                   # a Step Functions state machine (Amazon States Language keys)
      type: STANDARD                   # or EXPRESS (5 minutes at most)
      definition:
        StartAt: Work
        States:
          Work:
            Type: Task                 # invokes the workload's function and waits
            Retry:
              - ErrorEquals: [Lambda.TooManyRequestsException, Lambda.ServiceException]
                IntervalSeconds: 1
                MaxAttempts: 3
                BackoffRate: 2
            End: true
`,
  },
};
