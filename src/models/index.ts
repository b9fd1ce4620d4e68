/**
 * The registry of invocation models: adding a model is adding its folder and one line here
 * (docs/architecture.md "How to add an invocation model"). The order is the order of `invoke`'s
 * values in messages and of the models' sections in the terminal report.
 */
import type { ScenarioOf } from '../scenario/types.js';
import type { InvocationModel } from './model.js';
import { syncModel } from './sync/index.js';
import { asyncModel } from './async/index.js';
import { sqsModel } from './sqs/index.js';
import { streamModel } from './stream/index.js';
import { stepFunctionsModel } from './stepfunctions/index.js';
import type { SyncWorkloadResult, SyncWorkloadSpec } from './sync/types.js';
import type { AsyncWorkloadResult, AsyncWorkloadSpec } from './async/types.js';
import type { SqsWorkloadResult, SqsWorkloadSpec } from './sqs/types.js';
import type { StreamWorkloadResult, StreamWorkloadSpec } from './stream/types.js';
import type { StepFunctionsWorkloadResult, StepFunctionsWorkloadSpec } from './stepfunctions/types.js';

export const MODELS: readonly InvocationModel[] = [syncModel, asyncModel, sqsModel, streamModel, stepFunctionsModel];

/** A workload, by invocation model (`invoke`). */
export type WorkloadSpec = SyncWorkloadSpec | AsyncWorkloadSpec | SqsWorkloadSpec | StreamWorkloadSpec | StepFunctionsWorkloadSpec;
/** A workload's result, by invocation model (`invoke`). */
export type WorkloadResult = SyncWorkloadResult | AsyncWorkloadResult | SqsWorkloadResult | StreamWorkloadResult | StepFunctionsWorkloadResult;
/** A loaded scenario with every model's workloads. */
export type Scenario = ScenarioOf<WorkloadSpec>;

/** The `invoke` values, in registry order. */
export const MODEL_NAMES = MODELS.map((m) => m.invoke);

const BY_INVOKE = new Map(MODELS.map((m) => [m.invoke, m]));

/** The model of an `invoke` value. @throws Error for a value no model has (the loader refuses those first). */
export function modelOf(invoke: string): InvocationModel {
  const m = BY_INVOKE.get(invoke);
  if (!m) throw new Error(`no invocation model "${invoke}"`);
  return m;
}
