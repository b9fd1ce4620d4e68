// simulateInSlices (the CLI's `run` and `compare`, on the process's main thread: src/cli/process.ts)
// returns to the event loop between slices; its result must be simulate()'s, byte for byte, whatever
// the slice, with the same progress calls and the same request records.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate, simulateInSlices, type SimulateOptions } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';

const scenario = (spike: string) => parseScenario(
  `name: slices
seed: 5
duration: 10m
account: { concurrency: 1000 }
functions:
  api:
    duration: { lognormal: { median: 80ms, p99: 600ms } }
    errors: 0.02
workloads:
  - function: api
    arrivals: [{ poisson: 40/s }, { at: 2m, ${spike} }]
    client: { retries: standard, timeout: 300ms }
`,
  'slices.yaml',
);
const sync = scenario('for: 1m, poisson: 600/s');
/** About 2.4 M events: progress calls at 2^20 and 2^21. */
const long = scenario('for: 5m, poisson: 4000/s');

/** The JSON, the progress calls and the records of one run, whole or in slices of `slice` events. */
async function observe(s: ReturnType<typeof parseScenario>, slice?: number, withRecords = true) {
  const progress: number[][] = [];
  const records = createHash('sha256');
  let count = 0;
  const options: SimulateOptions = {
    onProgress: (now, total, events) => progress.push([now, total, events]),
    ...(withRecords
      ? {
          onRecord: (r) => {
            records.update(JSON.stringify(r));
            count++;
          },
        }
      : {}),
  };
  const result = slice === undefined ? simulate(s, options) : await simulateInSlices(s, options, slice);
  return { json: jsonReport(result), progress, records: `${count} ${records.digest('hex')}` };
}

describe('simulateInSlices', () => {
  it('gives simulate()’s JSON and request records, whatever the slice', async () => {
    const whole = await observe(sync);
    expect(whole.records).toMatch(/^\d{5,} /);
    for (const slice of [1, 997, 1 << 18]) expect(await observe(sync, slice)).toEqual(whole);
  });

  it('gives simulate()’s progress calls', async () => {
    const whole = await observe(long, undefined, false);
    expect(whole.progress.map((p) => p[2])).toEqual([1 << 20, 1 << 21]);
    expect(await observe(long, 1 << 18, false)).toEqual(whole);
  });

  it('gives the same JSON on shipped scenarios of other models (SQS, streams, pipelines, async, a trace)', async () => {
    for (const file of ['scenarios/sqs-batch.yaml', 'scenarios/kinesis-stream.yaml', 'scenarios/order-pipeline.yaml', 'scenarios/async-retries.yaml', 'scenarios/trace-replay.yaml']) {
      // Twelve minutes of each is enough for every event kind to occur many times.
      const s = parseScenario(readFileSync(file, 'utf8').replace(/^duration: .*$/m, 'duration: 12m'), file);
      expect(jsonReport(await simulateInSlices(s, {}, 4093)), file).toBe(jsonReport(simulate(s)));
    }
  });

  it('returns to the event loop between slices', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await simulateInSlices(sync, {}, 1000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });
});
