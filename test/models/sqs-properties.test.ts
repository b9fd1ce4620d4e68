// SQS event source mapping: the poller ramp, conservation of messages over
// many seeds, saturation throughput in closed form, determinism and located
// input problems. Seeds are fixed; tolerances are stated beside each check.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { UserError } from '../../src/errors.js';
import type { SqsWorkloadSpec } from '../../src/models/sqs/types.js';
import type { SqsWorkloadResult } from '../../src/models/sqs/types.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { runSqs, scenario } from './sqs-helpers.js';

describe('SQS mapping: poller scaling', () => {
  // 100,000 messages in the first 10 s, 10 s per batch of one: messages wait for the whole run.
  const backlog = (sqs: string, duration = '3m') =>
    runSqs(
      scenario({
        fn: 'duration: 10s, timeout: 60s, init: 0ms',
        sqs: `batchSize: 1, visibilityTimeout: 6m, ${sqs}`,
        arrivals: '{ constant: 10000/s, for: 10s }',
        duration,
        extra: 'account: { concurrency: 5000 }\nreport: { interval: 1s }',
      }),
    );

  it('current: starts at 5 and adds 300 per minute (one every 200 ms) while messages wait', () => {
    const { series, q, r } = backlog('scaling: current');
    // In second i the last step is at i + 0.8 s: 5 + (5i + 4).
    const expected = series.pollerConcurrencyMax.map((_, i) => 9 + 5 * i);
    expect(series.pollerConcurrencyMax).toEqual(expected);
    expect(q.pollers.concurrency.atEnd).toBe(5 + 899); // steps at 0.2, 0.4, …, 179.8 s
    expect(r.functions[0].throttles.total).toBe(0);
    expect(q.pollers.backoffs).toBe(0);
  });

  it('legacy: +60 per minute (one a second)', () => {
    const { series, q } = backlog('scaling: legacy');
    expect(series.pollerConcurrencyMax).toEqual(series.pollerConcurrencyMax.map((_, i) => 5 + i));
    expect(q.pollers.concurrency.atEnd).toBe(5 + 179); // steps at 1, 2, …, 179 s
  });

  it('maximumConcurrency caps the ramp', () => {
    const { q } = backlog('maximumConcurrency: 50');
    expect(q.pollers.concurrency.max).toBe(50);
    expect(q.pollers.busy.max).toBe(50);
  });

  it('provisioned mode ramps at 1,000 per minute from minPollers × 10, up to maxPollers × 10', () => {
    const { q, series } = backlog('provisioned: { minPollers: 2, maxPollers: 50 }');
    // One step every 60 ms from 20: in second 0 the last step is at 960 ms (16 steps): 36.
    expect(series.pollerConcurrencyMax[0]).toBe(36);
    expect(q.pollers.concurrency.max).toBe(500);
  });

  it('the ramp stops at the preset ceiling: 1,250 (current, at 249 s) and 1,000 (legacy, at 995 s) (§5, §10 item 1)', () => {
    // current: 5 + one step every 200 ms; the 1,245th step (249.0 s) reaches 1,250 and no step goes past it.
    const current = backlog('scaling: current', '5m');
    expect(current.series.pollerConcurrencyMax[248]).toBe(1249);
    expect(current.series.pollerConcurrencyMax[249]).toBe(1250);
    expect(current.q.pollers.concurrency.max).toBe(1250);
    expect(current.q.pollers.concurrency.atEnd).toBe(1250);
    expect(current.q.pollers.busy.max).toBe(1250);
    // legacy: 5 + one a second; the 995th step (995 s) reaches 1,000.
    const legacy = backlog('scaling: legacy', '17m');
    expect(legacy.series.pollerConcurrencyMax[994]).toBe(999);
    expect(legacy.series.pollerConcurrencyMax[995]).toBe(1000);
    expect(legacy.q.pollers.concurrency.max).toBe(1000);
    expect(legacy.q.pollers.concurrency.atEnd).toBe(1000);
  });

  it('an idle mapping scales down to the floor of 2', () => {
    const { q } = runSqs(scenario({ fn: 'duration: 100ms, init: 0ms', sqs: '', arrivals: '{ constant: 1/s, at: 5m }' }));
    expect(q.pollers.concurrency.atEnd).toBe(2);
  });

  it('with maximumConcurrency the idle floor is 5, not 2 (§5), and never above maximumConcurrency', () => {
    const idle = (sqs: string) => runSqs(scenario({ fn: 'duration: 100ms, init: 0ms', sqs, arrivals: '{ constant: 1/s, at: 5m }' })).q;
    expect(idle('maximumConcurrency: 20').pollers.concurrency).toMatchObject({ max: 5, atEnd: 5 });
    // MaximumConcurrency 3: the mapping starts at 3 and stays there (the floor is min(5, 3)).
    expect(idle('maximumConcurrency: 3').pollers.concurrency).toMatchObject({ max: 3, atEnd: 3 });
  });

  it('function errors halve the concurrency (errorBackoffFactor 0.5), at most once per step', () => {
    const { q, series } = runSqs(
      scenario({
        fn: 'duration: 1s, timeout: 3s, init: 0ms, errors: { rate: 0, windows: [{ at: 60s, for: 1s, rate: 1 }] }',
        sqs: 'batchSize: 1',
        arrivals: '{ constant: 500/s }',
        duration: '2m',
        extra: 'report: { interval: 1s }',
      }),
    );
    expect(q.pollers.backoffs).toBeGreaterThan(0);
    // Before the error window the mapping had ramped to about 5 + 300 = 305; afterwards it is far lower.
    expect(series.pollerConcurrencyMax[59]).toBeGreaterThan(280);
    expect(Math.min(...series.pollerConcurrencyMax.slice(61, 63))).toBeLessThan(20);
  });
});

describe('SQS mapping: conservation of messages', () => {
  // sent = deleted + redriven + waiting + in flight, whatever happens: errors, timeouts, poison, throttles, FIFO, duplicates.
  const variants = [
    'poison: 0.01, messageErrors: 0.02, maxReceiveCount: 3, batchSize: 10',
    'poison: 0.01, reportBatchItemFailures: true, maxReceiveCount: 4, batchSize: 50, maximumBatchingWindow: 2s, messageSize: 200KB',
    'fifo: true, groups: 20, groupSkew: 1.2, poison: 0.005, maxReceiveCount: 2, batchSize: 10',
    'fifo: true, groups: 5, reportBatchItemFailures: true, messageErrors: 0.05, batchSize: 5',
    'visibilityTimeout: 4s, messageErrors: 0.01, maxReceiveCount: 5, maximumConcurrency: 20',
  ];
  for (const [i, sqs] of variants.entries()) {
    it(`variant ${i}: ${sqs}`, () => {
      for (let seed = 1; seed <= 8; seed++) {
        const { q, r } = runSqs(
          scenario({
            fn: 'duration: { lognormal: { median: 300ms, p99: 3s } }, timeout: 4s, errors: 0.01, reservedConcurrency: 30',
            sqs: sqs.includes('visibilityTimeout') ? sqs : `${sqs}, visibilityTimeout: 30s`,
            arrivals: '[{ poisson: 80/s }, { at: 2m, for: 1m, poisson: 600/s }]',
            duration: '6m',
            seed,
          }),
        );
        const m = q.messages;
        expect(m.sent).toBeGreaterThan(40_000);
        expect(m.deleted + m.redrivenToDlq + m.waitingAtEnd + m.inFlightAtEnd).toBe(m.sent);
        // Every invocation that ran carried one batch.
        expect(r.functions[0].invocations).toBe(q.batches.invoked);
        expect(q.latencyMs.count).toBe(m.deleted);
      }
    });
  }
});

describe('SQS mapping: saturation throughput', () => {
  it('= concurrency × batch size / batch duration (10 × 10 / 400 ms = 250 messages/s)', () => {
    // Handler 200 ms + 20 ms per message × 10 = 400 ms; maximumConcurrency 10; far more offered (2,000/s).
    const { q, r } = runSqs(
      scenario({
        fn: 'duration: 200ms, timeout: 3s, init: 0ms',
        sqs: 'batchSize: 10, perMessage: 20ms, maximumConcurrency: 10, visibilityTimeout: 15m',
        arrivals: '{ poisson: 2000/s }',
        duration: '10m',
      }),
    );
    const rate = q.messages.deleted / 600;
    // The ramp from 5 to 10 pollers takes 1 s: within 0.5% of 250/s.
    expect(Math.abs(rate - 250) / 250).toBeLessThan(0.005);
    // Only the first few batches, before the backlog forms, are smaller.
    expect(q.batches.size.p50).toBe(10);
    expect(q.batches.size.mean).toBeGreaterThan(9.99);
    expect(r.functions[0].concurrency.max).toBe(10);
    expect(r.functions[0].durationMs.max).toBeCloseTo(400, 6);
  });
});

describe('SQS mapping: determinism', () => {
  const one = scenario({
    fn: 'duration: { exponential: 200ms }, timeout: 3s, errors: 0.01',
    sqs: 'poison: 0.01, maxReceiveCount: 3, batchSize: 20, maximumBatchingWindow: 1s',
    arrivals: '{ poisson: 300/s }',
    seed: 11,
  });
  it('same scenario and seed: byte-identical JSON', () => {
    expect(jsonReport(simulate(parseScenario(one, 'a.yaml')))).toBe(jsonReport(simulate(parseScenario(one, 'a.yaml'))));
  });
  it("adding another function and workload leaves the mapping's draws unchanged", () => {
    const two = one.replace('functions:\n', 'functions:\n  g: { duration: 50ms }\n') + '  - function: g\n    arrivals: { poisson: 50/s }\n';
    const a = runSqs(one);
    const b = runSqs(two);
    expect(b.r.functions).toHaveLength(2);
    // Only the warning's line number moves (the new function is a line above).
    expect({ ...b.q, warnings: [] }).toEqual({ ...a.q, warnings: [] });
  });
});

describe('SQS mapping: scenario input', () => {
  const problems = (sqs: string, fn = 'duration: 100ms, timeout: 30s'): string[] => {
    try {
      parseScenario(scenario({ fn, sqs, arrivals: '{ poisson: 1/s }' }), 'in.yaml');
    } catch (e) {
      if (e instanceof UserError) return e.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
      throw e;
    }
    return [];
  };

  it('FIFO batch size at most 10, no window on FIFO', () => {
    expect(problems('fifo: true, batchSize: 20, visibilityTimeout: 3m')).toEqual([
      expect.stringMatching(/^\d+:\d+ workloads\[0\]\.sqs\.batchSize: must be at most 10 for a FIFO queue \(docs\/sources\.md §5\), got 20$/),
    ]);
    expect(problems('fifo: true, maximumBatchingWindow: 5s, visibilityTimeout: 3m')[0]).toMatch(/sqs\.maximumBatchingWindow: a batching window is for standard queues only/);
  });

  it('a batch size above 10 needs a window of at least 1 s', () => {
    expect(problems('batchSize: 100, visibilityTimeout: 3m')[0]).toMatch(
      /sqs\.batchSize: a batch size above 10 needs maximumBatchingWindow of at least 1s \(docs\/sources\.md §5\), got 0ms/,
    );
    expect(problems('batchSize: 100, maximumBatchingWindow: 1s, visibilityTimeout: 3m')).toEqual([]);
  });

  it('ranges: batch size 1–10,000, window 0–300 s, maximumConcurrency 2–1,000', () => {
    expect(problems('batchSize: 20000, maximumBatchingWindow: 1s, visibilityTimeout: 3m')[0]).toMatch(/batchSize: must be a whole number .*from 1 to 10000/);
    expect(problems('maximumBatchingWindow: 301s, visibilityTimeout: 40m')[0]).toMatch(/maximumBatchingWindow: must be .*to 5m/);
    expect(problems('maximumConcurrency: 1, visibilityTimeout: 3m')[0]).toMatch(/maximumConcurrency: must be a whole number .*from 2 to 1000/);
  });

  it('the batching window and the visibility timeout are whole seconds, as AWS sets them (docs/sources.md §5)', () => {
    expect(problems('maximumBatchingWindow: 1500ms, visibilityTimeout: 3m')).toEqual([
      expect.stringMatching(/sqs\.maximumBatchingWindow: must be a whole number of seconds: AWS sets MaximumBatchingWindowInSeconds in seconds \(docs\/sources\.md §5\), got 1\.5s$/),
    ]);
    expect(problems('visibilityTimeout: 180500ms')).toEqual([
      expect.stringMatching(/sqs\.visibilityTimeout: must be a whole number of seconds: AWS sets the queue's VisibilityTimeout in seconds \(SQS: 0 s to 12 h, docs\/sources\.md §5\), got 180\.5s$/),
    ]);
    expect(problems('maximumBatchingWindow: 2s, visibilityTimeout: 3m')).toEqual([]);
  });

  it('the visibility timeout may not be shorter than the function timeout; under 6 × it is a warning', () => {
    expect(problems('visibilityTimeout: 20s')[0]).toMatch(/sqs\.visibilityTimeout: 20s is shorter than the timeout of function "f" \(30s\)/);
    const s = parseScenario(scenario({ fn: 'duration: 100ms, timeout: 30s', sqs: 'visibilityTimeout: 1m', arrivals: '{ poisson: 1/s }' }), 'w.yaml');
    const w = s.workloads[0] as SqsWorkloadSpec;
    expect(w.warnings).toEqual([expect.stringMatching(/^w\.yaml:\d+:\d+: workloads\[0\]\.sqs\.visibilityTimeout: 1m is under 6 × the function timeout \(3m/)]);
    // docs/sources.md §5: window + timeout > VT → Lambda uses window + timeout + 30 s.
    const s2 = parseScenario(scenario({ fn: 'duration: 100ms, timeout: 30s', sqs: 'visibilityTimeout: 40s, maximumBatchingWindow: 20s', arrivals: '{ poisson: 1/s }' }));
    expect((s2.workloads[0] as SqsWorkloadSpec).sqs.effectiveVisibilityTimeoutMs).toBe(80_000);
  });

  it('provisioned mode excludes maximumConcurrency; groups only for FIFO; sizes need units; typos get suggestions', () => {
    expect(problems('provisioned: true, maximumConcurrency: 10, visibilityTimeout: 3m')[0]).toMatch(/maximumConcurrency: cannot be combined with provisioned mode/);
    expect(problems('groups: 4, visibilityTimeout: 3m')[0]).toMatch(/sqs\.groups: message groups are for FIFO queues only/);
    expect(problems('messageSize: 4, visibilityTimeout: 3m')[0]).toMatch(/sqs\.messageSize: 4 needs a unit, e\.g\. "4KB"/);
    expect(problems('batchSzie: 4, visibilityTimeout: 3m')[0]).toMatch(/sqs\.batchSzie: unknown key "batchSzie" \(did you mean "batchSize"\?\)/);
  });

  it('"sqs" goes only with invoke: sqs, and "client" not with it', () => {
    const text = scenario({ fn: 'duration: 100ms', sqs: '', arrivals: '{ poisson: 1/s }' });
    expect(() => parseScenario(text.replace('    invoke: sqs\n', ''))).toThrow(/workloads\[0\]\.sqs: "sqs" goes only with "invoke: sqs"/);
    expect(() => parseScenario(text + '    client: { retries: none }\n')).toThrow(/workloads\[0\]\.client: "client" goes only with "invoke: sync"/);
  });

  it('another model\'s block beside invoke: sqs is refused, whichever model it belongs to', () => {
    const text = scenario({ fn: 'duration: 100ms', sqs: '', arrivals: '{ poisson: 1/s }' });
    expect(() => parseScenario(text + '    async: { maximumRetryAttempts: 1 }\n')).toThrow(/workloads\[0\]\.async: "async" goes only with "invoke: async"/);
    expect(() => parseScenario(text + '    stream: { shards: 2 }\n')).toThrow(/workloads\[0\]\.stream: "stream" goes only with "invoke: stream"/);
  });
});

describe('SQS mapping: warnings in lsim validate and the report', () => {
  it('validate prints the located warning and still succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-sqs-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, scenario({ fn: 'duration: 100ms, timeout: 30s', sqs: 'visibilityTimeout: 1m', arrivals: '{ poisson: 1/s }' }));
    let out = '';
    const code = await main(['validate', file], { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, cwd: process.cwd() });
    expect(code).toBe(0);
    expect(out).toMatch(/: ok \(1 function, 1 workload, 10m\)\n  warning: .*w\.yaml:\d+:\d+: workloads\[0\]\.sqs\.visibilityTimeout: 1m is under 6 × the function timeout/);
  });
});

// Keeps the result type honest for the reader: every SQS result field the report uses exists.
export type _Check = SqsWorkloadResult['queue']['maxAgeOfOldestMs'];
