/**
 * lsim's library API: load a scenario, simulate it, format its result.
 *
 *   const result = simulate(loadScenarioFile('scenarios/burst.yaml'));
 *
 * Documented, with a tested example, in docs/api.md.
 */
export { simulate, simulateInSlices, type SimulateOptions } from './sim/simulate.js';
export type { RequestRecord } from './metrics/records.js';
export type { Result, FunctionResult, TimeSeries } from './sim/result.js';
export type { Scenario, WorkloadResult } from './models/index.js';
export type { Percentiles } from './metrics/summary.js';
export { loadScenarioFile, parseScenario } from './scenario/load.js';
export { scenarioJsonSchema } from './scenario/json-schema.js';
export { textReport } from './report/text.js';
export { jsonReport } from './report/json.js';
export { UserError, type Problem } from './errors.js';
