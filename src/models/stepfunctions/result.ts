/** The result of a Step Functions workload: executions, per-state counts and what the bill counts (docs/sources.md §13). */
import { percentiles, round } from '../../metrics/summary.js';
import type { StateMachineRun } from './machine.js';
import type { StepFunctionsWorkloadResult, StepFunctionsWorkloadSpec } from './types.js';

export function stepFunctionsResult(w: StepFunctionsWorkloadSpec, run: StateMachineRun): StepFunctionsWorkloadResult {
  const m = run.meters;
  let gbS = 0;
  for (const x of m.gbSByPart) gbS += x;
  let requests = 0;
  for (const x of m.requestsByPart) requests += x;
  return {
    name: w.name,
    function: w.functionName,
    invoke: 'stepfunctions',
    type: w.machine.type,
    executions: { started: m.started, succeeded: m.succeeded, failed: m.failed, timedOut: m.timedOut, openAtEnd: run.openAtEnd },
    durationMs: percentiles(m.durationMs),
    failedDurationMs: percentiles(m.failedMs),
    transitions: m.transitions,
    retries: m.retries,
    throttled: m.throttled,
    expressRequests: requests,
    expressGbS: round(gbS, 6),
    states: w.machine.states.map((s, i) => ({ name: s.name, type: s.type, entered: m.entered[i], retries: m.stateRetries[i], caught: m.caught[i], failed: m.stateFailed[i] })),
  };
}
