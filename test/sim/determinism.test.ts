import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { run } from '../helpers/run.js';

const one = `
name: det
seed: 77
duration: 10m
account: { concurrency: 5000 }
functions:
  api:
    duration: { lognormal: { median: 80ms, p99: 600ms } }
    keepAlive: shilkov-5-7min-2021
    errors: 0.01
workloads:
  - function: api
    arrivals: [{ poisson: 50/s }, { at: 2m, for: 1m, poisson: 400/s }]
    client: { retries: standard, timeout: 300ms }
`;
const two =
  one.replace('functions:\n', 'functions:\n  other:\n    duration: { exponential: 300ms }\n') +
  `  - function: other
    arrivals: { poisson: 80/s }
`;

describe('determinism', () => {
  it('same scenario and seed: byte-identical JSON', () => {
    const a = jsonReport(simulate(parseScenario(one, 'a.yaml')));
    const b = jsonReport(simulate(parseScenario(one, 'a.yaml')));
    expect(a).toBe(b);
  });

  it('another seed gives another run', () => {
    const a = run(one);
    const b = run(one.replace('seed: 77', 'seed: 78'));
    expect(a.functions[0].durationMs).not.toEqual(b.functions[0].durationMs);
  });

  it("adding a function and its workload leaves the first function's draws unchanged", () => {
    const a = run(one);
    const b = run(two);
    const api = b.functions.find((f) => f.name === 'api')!;
    expect(b.functions).toHaveLength(2);
    // Everything but the cost: the account's free tier is now shared by two functions.
    const withoutCost = ({ cost: _, ...rest }: (typeof b.functions)[number]) => rest;
    expect(withoutCost(api)).toEqual(withoutCost(a.functions[0]));
    expect(b.workloads.find((w) => w.name === 'api-sync')).toEqual(a.workloads[0]);
  });
});
