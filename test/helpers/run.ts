import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import type { Result } from '../../src/sim/result.js';

/** Parses a YAML scenario given inline and simulates it. */
export function run(yaml: string): Result {
  return simulate(parseScenario(yaml, 'inline.yaml'));
}

/** Erlang-B blocking probability B(E, c) by the stable recursion B(E,0)=1, B(E,k)=E·B/(k+E·B). */
export function erlangB(offered: number, c: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (offered * b) / (k + offered * b);
  return b;
}
