/** The types of the Step Functions model (issue 16 item 3): the workload spec, the compiled state machine and the result. */
import type { CountSpec, DistributionSpec, WorkloadBase } from '../../scenario/types.js';
import type { Percentiles } from '../../metrics/summary.js';
import type { WorkloadResultBase } from '../model.js';

/** A retrier of a Task, Parallel or Map state (docs/sources.md §13 "Retry"). */
export interface RetrierSpec {
  errorEquals: string[];
  intervalMs: number;
  maxAttempts: number;
  backoffRate: number;
  /** Cap of the interval; Infinity when not set. */
  maxDelayMs: number;
  jitter: 'FULL' | 'NONE';
}

/** A catcher (docs/sources.md §13 "Catch"): the state index it goes to. */
export interface CatcherSpec {
  errorEquals: string[];
  next: number;
}

interface StateCommon {
  name: string;
  /** Index of the next state in {@link MachineSpec.states}; −1 = End. */
  next: number;
}

export type StateSpec =
  | (StateCommon & {
      type: 'Task';
      /** Index of the function in the scenario's functions. */
      fn: number;
      functionName: string;
      /** `.waitForTaskToken`: how long after the function returns the token comes back (SendTaskSuccess); null = request–response. */
      tokenDelay: DistributionSpec | null;
      /** TimeoutSeconds of the state; Infinity when not set. */
      timeoutMs: number;
      /** The error name of a function error (the errorType the handler throws). */
      errorName: string;
      retry: RetrierSpec[];
      catch: CatcherSpec[];
    })
  | (StateCommon & { type: 'Wait'; ms: number })
  | (StateCommon & { type: 'Pass' })
  | (StateCommon & { type: 'Succeed' })
  | (StateCommon & { type: 'Fail'; error: string })
  | (StateCommon & {
      type: 'Choice';
      /** Cumulative probabilities of the choices, in order, and their targets; the rest goes to `default` (−1: none). */
      cumulative: number[];
      targets: number[];
      default: number;
    })
  | (StateCommon & { type: 'Parallel'; branches: number[]; retry: RetrierSpec[]; catch: CatcherSpec[] })
  | (StateCommon & {
      type: 'Map';
      /** The first state of the item processor. */
      processor: number;
      items: CountSpec;
      /** Iterations at once (0 in the definition: the inline Map's limit, docs/sources.md §13). */
      maxConcurrency: number;
      retry: RetrierSpec[];
      catch: CatcherSpec[];
    });

/** A state machine with every sub-machine (Parallel branches, Map item processors) flattened into one list of states. */
export interface MachineSpec {
  type: 'STANDARD' | 'EXPRESS';
  /** Index of StartAt. */
  start: number;
  /** The execution's TimeoutSeconds (Express: at most 5 minutes; Standard: one year). */
  timeoutMs: number;
  states: StateSpec[];
  /** Express: the memory billed per execution, MB (a multiple of 64). */
  expressMemoryMb: number;
}

export interface StepFunctionsWorkloadSpec extends WorkloadBase {
  invoke: 'stepfunctions';
  machine: MachineSpec;
}

/** Per state: how often it was entered, retried, caught an error, and failed (errors no retrier or catcher took). */
export interface StateResult {
  name: string;
  type: string;
  entered: number;
  retries: number;
  caught: number;
  failed: number;
}

export interface StepFunctionsWorkloadResult extends WorkloadResultBase {
  invoke: 'stepfunctions';
  type: 'STANDARD' | 'EXPRESS';
  executions: { started: number; succeeded: number; failed: number; timedOut: number; openAtEnd: number };
  /** From the start of an execution to its end, of executions that succeeded. */
  durationMs: Percentiles;
  /** From the start to the end of executions that failed or timed out. */
  failedDurationMs: Percentiles;
  transitions: number;
  retries: number;
  /** Task invocations refused by Lambda (Lambda.TooManyRequestsException). */
  throttled: number;
  /** Express: executions started (billed as requests). */
  expressRequests: number;
  /** Express: executions' billed GB-seconds (100 ms increments × memory in 64 MB chunks). */
  expressGbS: number;
  states: StateResult[];
}
