/** `lsim explain`'s sentences for a Step Functions execution (src/models/stepfunctions/machine.ts); undefined for the platform's steps. */
import { dur } from '../../format.js';
import type { TraceEvent } from '../../metrics/trace.js';
import type { StepFunctionsWorkloadSpec } from './types.js';

export function describeStepFunctions(e: TraceEvent, w: StepFunctionsWorkloadSpec): string | undefined {
  switch (e.type) {
    case 'arrival':
      return `execution starts (${w.machine.type}, TimeoutSeconds ${w.machine.timeoutMs / 1000})`;
    case 'state':
      return e.status === 'Task' ? `enters ${e.reason} (Task): invokes ${e.function} and waits` : `enters ${e.reason} (${e.status})`;
    case 'retry':
      return `${e.outcome} fails with ${e.reason}: retry ${e.attempt} in ${dur(e.delayMs ?? 0)}`;
    case 'caught':
      return `${e.outcome} fails with ${e.reason}: caught, on to its Catch's Next`;
    case 'state-failed':
      return `${e.outcome} fails with ${e.reason}: no Retry or Catch left for it`;
    case 'token':
      return `${e.outcome}: the function returned; its task token comes back in ${dur(e.delayMs ?? 0)} (SendTaskSuccess)`;
    case 'done':
      return e.outcome === 'ok' ? 'the execution succeeds' : e.outcome === 'timed-out' ? "the execution times out (the state machine's TimeoutSeconds)" : 'the execution fails';
    default:
      return undefined;
  }
}
