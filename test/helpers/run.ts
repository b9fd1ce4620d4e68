import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import type { Result } from '../../src/sim/result.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';

/** A result whose workloads are all sync. */
export type SyncResult = Omit<Result, 'workloads'> & { workloads: SyncWorkloadResult[] };

/** Parses a YAML scenario with only sync workloads given inline and simulates it. */
export function run(yaml: string): SyncResult {
  const r = runAny(yaml);
  if (r.workloads.some((w) => w.invoke !== 'sync')) throw new Error('run() is for sync-only scenarios; use runAny()');
  return r as SyncResult;
}

/** Parses a YAML scenario given inline and simulates it. */
export function runAny(yaml: string): Result {
  return simulate(parseScenario(yaml, 'inline.yaml'));
}

/** Erlang-B blocking probability B(E, c) by the stable recursion B(E,0)=1, B(E,k)=E·B/(k+E·B). */
export function erlangB(offered: number, c: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (offered * b) / (k + offered * b);
  return b;
}
