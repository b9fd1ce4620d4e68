import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import type { Result } from '../../src/sim/result.js';
import type { SqsWorkloadResult } from '../../src/models/sqs/types.js';

/** Simulates an inline scenario; `sqs(r)` is its first SQS workload. */
export function runSqs(yaml: string): { r: Result; q: SqsWorkloadResult; series: Record<string, number[]> } {
  const r = simulate(parseScenario(yaml, 'inline.yaml'));
  const q = r.workloads.find((w) => w.invoke === 'sqs') as SqsWorkloadResult;
  return { r, q, series: r.timeSeries.workloads[q.name] };
}

/** One function `f` and one SQS workload on it; `fn` and `sqs` are flow maps' contents. */
export function scenario(opts: { fn: string; sqs: string; arrivals: string; duration?: string; seed?: number; extra?: string }): string {
  return `
name: sqs-test
seed: ${opts.seed ?? 1}
duration: ${opts.duration ?? '10m'}
functions:
  f: { ${opts.fn} }
workloads:
  - name: q
    function: f
    invoke: sqs
    arrivals: ${opts.arrivals}
    sqs: { ${opts.sqs} }
${opts.extra ?? ''}`;
}
