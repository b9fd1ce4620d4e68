/** The result of a Step Functions workload: executions, per-state counts and the Step Functions bill (docs/sources.md §13). */
import { percentiles, round, roundSig } from '../../metrics/summary.js';
import type { ScenarioBase } from '../../scenario/types.js';
import { STEP_FUNCTIONS_PRICES as PRICES } from '../../billing/stepfunctions-prices.js';
import type { StateMachineRun } from './machine.js';
import type { StepFunctionsCostLine, StepFunctionsWorkloadResult, StepFunctionsWorkloadSpec } from './types.js';

/**
 * The bill of the quantities per part: the window as simulated (no free tier) and the month
 * (each part weighed by how often it happens in billing.month; Standard's 4,000 free transitions a
 * month when the scenario's free tier is on, `billing.freeTier.requests`).
 */
export function stepFunctionsCost(
  type: 'STANDARD' | 'EXPRESS',
  q: { transitions: ArrayLike<number>; requests: ArrayLike<number>; gbS: ArrayLike<number> },
  weights: readonly number[],
  freeTier: boolean,
): StepFunctionsWorkloadResult['cost'] {
  const sum = (a: ArrayLike<number>, w: (p: number) => number) => {
    let s = 0;
    for (let p = 0; p < a.length; p++) s += a[p] * w(p);
    return s;
  };
  const bill = (w: (p: number) => number, free: boolean): { usd: number; lines: StepFunctionsCostLine[] } => {
    if (type === 'STANDARD') {
      const n = Math.max(0, sum(q.transitions, w) - (free ? PRICES.freeTransitionsPerMonth : 0));
      const usd = n * PRICES.usdPerTransition;
      return { usd, lines: [{ service: 'AWS Step Functions', item: 'stateTransitions', usd: roundSig(usd, 9), source: PRICES.source }] };
    }
    const requests = sum(q.requests, w) * PRICES.expressUsdPerRequest;
    const duration = sum(q.gbS, w) * PRICES.expressUsdPerGbS;
    return {
      usd: requests + duration,
      lines: [
        { service: 'AWS Step Functions', item: 'expressRequests', usd: roundSig(requests, 9), source: PRICES.source },
        { service: 'AWS Step Functions', item: 'expressDuration', usd: roundSig(duration, 9), source: PRICES.source },
      ],
    };
  };
  const window = bill(() => 1, false);
  const month = bill((p) => weights[p], freeTier);
  return { windowUsd: roundSig(window.usd, 9), monthlyUsd: roundSig(month.usd, 9), lines: month.lines };
}

export function stepFunctionsResult(w: StepFunctionsWorkloadSpec, run: StateMachineRun, scenario: ScenarioBase): StepFunctionsWorkloadResult {
  const m = run.meters;
  const month = scenario.billing.month;
  const weights = [month.restWeight, ...month.parts.map((p) => p.times)];
  let gbS = 0;
  for (const x of m.gbSByPart) gbS += x;
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
    expressGbS: round(gbS, 6),
    states: w.machine.states.map((s, i) => ({ name: s.name, type: s.type, entered: m.entered[i], retries: m.stateRetries[i], caught: m.caught[i], failed: m.stateFailed[i] })),
    cost: stepFunctionsCost(w.machine.type, { transitions: m.transitionsByPart, requests: m.requestsByPart, gbS: m.gbSByPart }, weights, scenario.billing.freeTier.requests),
  };
}
