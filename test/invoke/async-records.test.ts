// Async records (issue 4): SimulateOptions.onAsyncRecord gets one record per record that reaches a
// target, and one per dropped event, with the reason. Each expectation follows from docs/sources.md §4
// as stated next to it.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import type { AsyncRecord } from '../../src/invoke/async.js';

const scenario = (fn: string, arrivals: string, async: string, extra = '') => `
name: async-records
seed: 1
duration: 1h
${extra}
functions:
  f:
    memory: 1024MB
    timeout: 15m
    init: 0ms
${fn}
workloads:
  - name: events
    function: f
    invoke: async
    arrivals: ${arrivals}
    async: ${async}
`;

function records(yaml: string): AsyncRecord[] {
  const out: AsyncRecord[] = [];
  simulate(parseScenario(yaml, 'records.yaml'), { onAsyncRecord: (r) => out.push(r) });
  return out;
}

/** Three events at 5, 6 and 7 s. */
const THREE = '{ at: 5s, for: 3s, constant: 1/s }';

describe('onAsyncRecord', () => {
  it('3 failing events → 3 DLQ records, retries exhausted after 3 attempts, at t + 3d + 180 s', () => {
    // d = 2 s: attempts at t, t + 62 s, t + 184 s; the third ends at t + 186 s.
    const r = records(scenario('    duration: 2s\n    errors: 1', THREE, '{ deadLetterQueue: sqs }'));
    expect(r).toEqual([0, 1, 2].map((i) => ({
      workload: 'events',
      event: i,
      acceptedAtMs: 5000 + 1000 * i,
      atMs: 191_000 + 1000 * i,
      target: 'dlq',
      reason: 'retries-exhausted',
      attempts: 3,
      ageMs: 186_000,
    })));
  });

  it('both failure targets: one record each; no target: one dropped record', () => {
    const both = records(scenario('    duration: 2s\n    errors: 1', THREE, '{ maximumRetryAttempts: 0, deadLetterQueue: sns, onFailure: s3 }'));
    expect(both.map((x) => `${x.event} ${x.target} ${x.reason} ${x.attempts} ${x.atMs}`)).toEqual([
      '0 dlq retries-exhausted 1 7000',
      '0 on-failure retries-exhausted 1 7000',
      '1 dlq retries-exhausted 1 8000',
      '1 on-failure retries-exhausted 1 8000',
      '2 dlq retries-exhausted 1 9000',
      '2 on-failure retries-exhausted 1 9000',
    ]);
    const none = records(scenario('    duration: 2s\n    errors: 1', THREE, '{ maximumRetryAttempts: 0 }'));
    expect(none.map((x) => `${x.event} ${x.target} ${x.reason}`)).toEqual(['0 dropped retries-exhausted', '1 dropped retries-exhausted', '2 dropped retries-exhausted']);
  });

  it('an event that expires in the queue: event-too-old with no attempt', () => {
    // Reserved concurrency 1 and a 10-minute handler: event 0 (0 s) runs; event 1 (1 ms) waits and
    // reaches its 60 s maximum age at 60,001 ms without an attempt (test/invoke/async.test.ts).
    const r = records(scenario('    reservedConcurrency: 1\n    duration: 10m', '{ for: 2ms, constant: 1000/s }', '{ maximumEventAge: 60s, onFailure: sqs }'));
    expect(r).toEqual([
      { workload: 'events', event: 1, acceptedAtMs: 1, atMs: 60_001, target: 'on-failure', reason: 'event-too-old', attempts: 0, ageMs: 60_000 },
    ]);
  });

  it('reserved concurrency 0: reserved-zero at once; successes with an on-success destination: success', () => {
    const zero = records(scenario('    reservedConcurrency: 0\n    duration: 2s', THREE, '{ deadLetterQueue: sqs }'));
    expect(zero.map((x) => `${x.event} ${x.target} ${x.reason} ${x.attempts} ${x.ageMs}`)).toEqual([
      '0 dlq reserved-zero 0 0',
      '1 dlq reserved-zero 0 0',
      '2 dlq reserved-zero 0 0',
    ]);
    const ok = records(scenario('    duration: 2s', THREE, '{ onSuccess: eventbridge, deadLetterQueue: sqs }'));
    expect(ok.map((x) => `${x.event} ${x.target} ${x.reason} ${x.attempts} ${x.atMs}`)).toEqual([
      '0 on-success success 1 7000',
      '1 on-success success 1 8000',
      '2 on-success success 1 9000',
    ]);
  });

  it('events accepted during the warm-up give no record, like the counts', () => {
    // Warm-up 6 s: the event at 5 s is not counted; those at 6 and 7 s are.
    const r = records(scenario('    duration: 2s\n    errors: 1', THREE, '{ deadLetterQueue: sqs }', 'warmup: 6s'));
    expect(r.map((x) => x.event)).toEqual([1, 2]);
  });

  it('matches the result counts and does not change the run (scenarios/async-retries.yaml)', () => {
    const s = loadScenarioFile('scenarios/async-retries.yaml');
    const got: AsyncRecord[] = [];
    const withRecords = simulate(s, { onAsyncRecord: (r) => got.push(r) });
    expect(jsonReport(withRecords)).toBe(jsonReport(simulate(s)));
    for (const w of withRecords.workloads) {
      if (w.invoke !== 'async') continue;
      const mine = got.filter((r) => r.workload === w.name);
      const count = (target: string, reason?: string) => mine.filter((r) => r.target === target && (reason === undefined || r.reason === reason)).length;
      expect(count('dlq')).toBe(w.destinations.deadLetterQueue);
      expect(count('on-failure')).toBe(w.destinations.onFailure);
      expect(count('on-success')).toBe(w.destinations.onSuccess);
      expect(count('dropped')).toBe(w.dropped.total);
      for (const reason of ['retries-exhausted', 'event-too-old', 'reserved-zero'] as const) {
        if (w.config.deadLetterQueue !== null) expect(count('dlq', reason)).toBe(w.failed[reason]);
        expect(count('dropped', reason)).toBe(w.dropped[reason]);
      }
    }
    expect(got.length).toBeGreaterThan(0);
  });
});
