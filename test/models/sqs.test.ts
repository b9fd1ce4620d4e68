// SQS event source mapping (src/models/sqs/mapping.ts): tiny runs a reader can check by
// hand. Each expectation follows from the rule stated beside it (docs/sources.md §5).
import { describe, expect, it } from 'vitest';
import { runSqs, scenario } from './sqs-helpers.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

const FN = 'duration: 100ms, timeout: 3s, init: 0ms';

describe('SQS mapping and reserved concurrency (§5: the mapping does not account for it)', () => {
  // Reserved 3, a 3 s handler, 8 msg/s in batches of 10, VT 20 s, maxReceiveCount 2.
  const base = { fn: 'duration: 3s, timeout: 10s, init: 0ms, reservedConcurrency: 3', arrivals: '{ poisson: 8/s }', duration: '10m' };
  const sqs = 'batchSize: 10, visibilityTimeout: 20s, maxReceiveCount: 2';

  it('without maximumConcurrency the extra batches are throttled and good messages reach the DLQ', () => {
    const { q, r } = runSqs(scenario({ ...base, sqs }));
    // The mapping starts at 5 batches for a function that takes 3: at least the first extra batches are throttled.
    expect(r.functions[0].throttles['reserved-concurrency']).toBeGreaterThan(0);
    expect(q.batches.throttledAttempts).toBeGreaterThan(0);
    expect(q.messages.redrivenToDlq).toBeGreaterThan(0);
    // No message is poison: every DLQ message was a good one.
    expect(r.functions[0].errors).toBe(0);
    // The loader says why, at the sqs block.
    expect(q.warnings.some((w) => /workloads\[0\]\.sqs: the mapping can run up to 1250 batches at once \(no maximumConcurrency\), more than the reserved concurrency of "f" \(3\)/.test(w))).toBe(true);
  });

  it('with maximumConcurrency at most the reserved concurrency nothing is throttled and nothing reaches the DLQ', () => {
    for (const max of [2, 3]) {
      const { q, r } = runSqs(scenario({ ...base, sqs: `${sqs}, maximumConcurrency: ${max}` }));
      expect(r.functions[0].throttles.total).toBe(0);
      expect(q.batches.throttledAttempts).toBe(0);
      expect(q.messages.redrivenToDlq).toBe(0);
      expect(q.warnings.some((w) => /reserved concurrency/.test(w))).toBe(false);
    }
  });

  it('two mappings that each fit under the reservation but together do not: both warned, and batches are throttled', () => {
    // docs/sources.md §5: reserved concurrency should be at least the sum of MaximumConcurrency over the function's
    // SQS mappings. Two mappings of maximumConcurrency 5 on a function reserved at 8 run up to 10 batches: under a
    // backlog (3 s handlers, 8 msg/s each, batches of 1) both stay at 5 and 2 of the 10 are throttled.
    const two = (reserved: number) => `
name: two-mappings
seed: 1
duration: 2m
functions:
  f: { duration: 3s, timeout: 10s, init: 0ms, reservedConcurrency: ${reserved} }
workloads:
  - { name: a, function: f, invoke: sqs, arrivals: { poisson: 8/s }, sqs: { batchSize: 1, visibilityTimeout: 1m, maximumConcurrency: 5 } }
  - { name: b, function: f, invoke: sqs, arrivals: { poisson: 8/s }, sqs: { batchSize: 1, visibilityTimeout: 1m, maximumConcurrency: 5 } }
`;
    const over = simulate(parseScenario(two(8), 'two.yaml'));
    for (const [i, w] of over.workloads.entries()) {
      if (w.invoke !== 'sqs') throw new Error('sqs expected');
      expect(w.warnings.filter((x) => /reserved/.test(x))).toEqual([
        expect.stringMatching(
          new RegExp(`^two\\.yaml:${8 + i}:\\d+: workloads\\[${i}\\]\\.sqs\\.maximumConcurrency: the 2 SQS mappings of "f" can run 5 \\+ 5 = 10 batches at once, more than its reserved concurrency \\(8\\)`),
        ),
      ]);
    }
    expect(over.functions[0].throttles['reserved-concurrency']).toBeGreaterThan(0);
    expect(over.functions[0].concurrency.max).toBe(8);
    const fits = simulate(parseScenario(two(10), 'two.yaml'));
    for (const w of fits.workloads) if (w.invoke === 'sqs') expect(w.warnings.filter((x) => /reserved/.test(x))).toEqual([]);
    expect(fits.functions[0].throttles.total).toBe(0);
  });

  it('reserved concurrency 0 throttles every batch; the messages are still received and redriven', () => {
    const { q, r } = runSqs(scenario({ ...base, fn: 'duration: 3s, timeout: 10s, init: 0ms, reservedConcurrency: 0', sqs, duration: '2m' }));
    expect(r.functions[0].invocations).toBe(0);
    expect(q.batches.invoked).toBe(0);
    expect(q.batches.throttledAttempts).toBeGreaterThan(0);
    expect(r.functions[0].throttles['reserved-concurrency']).toBe(q.batches.throttledAttempts);
    // Received twice (VT 20 s each), then to the DLQ: everything sent in the first 80 s has left by 2 min.
    expect(q.messages.redrivenToDlq).toBeGreaterThan(0);
    expect(q.messages.deleted).toBe(0);
  });
});

describe('SQS mapping: exact traces', () => {
  it('a batching window collects messages, then fires when it ends', () => {
    // Messages at 0, 100, 200 ms; the window opens with the first and ends at 1 s.
    const { q, r } = runSqs(scenario({ fn: FN, sqs: 'batchSize: 10, maximumBatchingWindow: 1s', arrivals: '{ constant: 10/s, for: 300ms }' }));
    expect(q.batches.invoked).toBe(1);
    expect(q.batches.trigger).toEqual({ full: 0, payloadCap: 0, window: 1, available: 0 });
    expect(q.batches.size.max).toBeCloseTo(3, 2);
    // Invoked at 1 s, 100 ms handler: deleted at 1.1 s; the first message waited 1.1 s, the last 0.9 s.
    expect(q.messages.deleted).toBe(3);
    expect(q.latencyMs.max).toBeCloseTo(1100, 6);
    expect(q.latencyMs.mean).toBeCloseTo(1000, 6);
    expect(r.functions[0].invocations).toBe(1);
  });

  it('a window fills before it ends: the batch fires when full, the next message opens a new window', () => {
    // batchSize 5, window 2 s; messages every 100 ms for 1 s: full at 400 ms and at 900 ms.
    const { q } = runSqs(scenario({ fn: FN, sqs: 'batchSize: 5, maximumBatchingWindow: 2s', arrivals: '{ constant: 10/s, for: 1s }' }));
    expect(q.batches.invoked).toBe(2);
    expect(q.batches.trigger.full).toBe(2);
    expect(q.batches.size.mean).toBe(5);
    // Each message waits for its batch to fill, then 100 ms: the first 400 + 100 ms, the fifth 0 + 100 ms.
    expect(q.latencyMs.max).toBeCloseTo(500, 6);
    expect(q.latencyMs.mean).toBeCloseTo(300, 6);
  });

  it('without a window each message that finds a free poller is its own batch', () => {
    const { q } = runSqs(scenario({ fn: FN, sqs: 'batchSize: 10', arrivals: '{ constant: 2/s, for: 5s }' }));
    expect(q.batches.invoked).toBe(10);
    expect(q.batches.trigger.available).toBe(10);
    expect(q.latencyMs.max).toBeCloseTo(100, 6);
  });

  it('a failed batch reappears after exactly the visibility timeout; after maxReceiveCount receives it goes to the DLQ', () => {
    // One poison message at t = 0; VT 30 s: received at 0, 30 s and 60 s, then redriven at 90 s (third receive = maxReceiveCount).
    const { q, series, r } = runSqs(
      scenario({
        fn: FN,
        sqs: 'poison: 1, visibilityTimeout: 30s, maxReceiveCount: 3',
        arrivals: '{ constant: 1/s, for: 1s }',
        duration: '5m',
        extra: 'report: { interval: 10s }',
      }),
    );
    expect(q.batches.invoked).toBe(3);
    expect(series.batches.slice(0, 10)).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 0]);
    expect(q.messages.failedDeliveries).toBe(3);
    expect(q.messages.redrivenToDlq).toBe(1);
    expect(series.redrivenToDlq[9]).toBe(1); // at 90 s
    expect(q.queue.maxAgeOfOldestMs).toBe(90_000);
    expect(q.messages.deleted).toBe(0);
    expect(r.functions[0].errors).toBe(3); // without partial batch response the handler throws
    expect(q.batches.failed).toBe(3);
    // maxReceiveCount 3 < 5: AWS's advice, as a located warning.
    expect(q.warnings).toHaveLength(1);
    expect(q.warnings[0]).toMatch(/^inline\.yaml:\d+:\d+: workloads\[0\]\.sqs\.maxReceiveCount: 3 is under 5/);
  });

  it('maxReceiveCount 1: the first failed receive sends the message to the DLQ one visibility timeout later', () => {
    const { q } = runSqs(
      scenario({ fn: FN, sqs: 'poison: 1, visibilityTimeout: 20s, maxReceiveCount: 1', arrivals: '{ constant: 1/s, for: 1s }', duration: '1m' }),
    );
    expect(q.batches.invoked).toBe(1);
    expect(q.messages.redrivenToDlq).toBe(1);
    expect(q.queue.maxAgeOfOldestMs).toBe(20_000);
  });

  it('window + function timeout above the VT: Lambda uses window + timeout + 30 s as the VT (§5)', () => {
    // Timeout 30 s, VT 40 s, window 20 s: 20 + 30 > 40, so the effective VT is 20 + 30 + 30 = 80 s. One poison
    // message at 0 opens the window; the batch runs at 20 s and fails; with maxReceiveCount 1 the message goes
    // to the DLQ when the VT of its receive (at 0) ends: at 80 s, not at the queue's 40 s.
    const { q } = runSqs(
      scenario({
        fn: 'duration: 100ms, timeout: 30s, init: 0ms',
        sqs: 'poison: 1, visibilityTimeout: 40s, maximumBatchingWindow: 20s, maxReceiveCount: 1',
        arrivals: '{ constant: 1/s, for: 1s }',
        duration: '3m',
      }),
    );
    expect(q.config.effectiveVisibilityTimeoutMs).toBe(80_000);
    expect(q.batches.invoked).toBe(1);
    expect(q.messages.redrivenToDlq).toBe(1);
    expect(q.queue.maxAgeOfOldestMs).toBe(80_000);
  });

  it('without a DLQ a poison message comes back every visibility timeout until the run ends', () => {
    const { q } = runSqs(scenario({ fn: FN, sqs: 'poison: 1, visibilityTimeout: 30s', arrivals: '{ constant: 1/s, for: 1s }', duration: '5m' }));
    expect(q.batches.invoked).toBe(10); // 0, 30, …, 270 s
    expect(q.messages.inFlightAtEnd).toBe(1);
    expect(q.queue.maxAgeOfOldestMs).toBe(300_000);
  });

  it('a batch that outlives the visibility timeout is received again while it runs: a duplicate', () => {
    // VT 10 s = the function timeout; cold start 2 s + 9 s handler = 11 s. At 10 s the message reappears and a
    // second poller receives it (a second cold start: 11 s). The first invocation deletes it at 11 s.
    const { q, r } = runSqs(
      scenario({ fn: 'duration: 9s, timeout: 10s, init: 2s', sqs: 'visibilityTimeout: 10s', arrivals: '{ constant: 1/s, for: 1s }', duration: '1m' }),
    );
    expect(q.messages.duplicates).toBe(1);
    expect(q.messages.deleted).toBe(1);
    expect(r.functions[0].invocations).toBe(2);
    expect(q.latencyMs.max).toBeCloseTo(11_000, 6);
    expect(q.messages.inFlightAtEnd + q.messages.waitingAtEnd).toBe(0);
    // 10 s < 6 × 10 s: the visibility-timeout warning.
    expect(q.warnings.some((w) => /visibilityTimeout: 10s is under 6 × the function timeout \(1m/.test(w))).toBe(true);
  });

  it('throttled batches are retried at 1, 2, 4, … s until the visibility timeout ends, then the messages return', () => {
    // Reserved concurrency 1 is held 0–50 s by a sync call. The message (sent at 1 ms) is throttled at 0, 1, 3, 7, 15
    // and 31 s (+1 ms); the next retry (63 s) would pass the VT end (60 s), so it returns at 60 s and runs 60–110 s.
    const { q, r } = runSqs(
      scenario({
        fn: 'duration: 50s, timeout: 60s, init: 0ms, reservedConcurrency: 1',
        sqs: 'visibilityTimeout: 60s',
        arrivals: '{ constant: 1/s, for: 1s }',
        duration: '5m',
        extra: `  - function: f
    arrivals: { constant: 1/s, for: 1s }
    client: { retries: none }`,
      }).replace('    invoke: sqs\n    arrivals: { constant: 1/s, for: 1s }', '    invoke: sqs\n    arrivals: { constant: 1/s, at: 1ms, for: 1s }'),
    );
    expect(q.batches.throttledAttempts).toBe(6);
    expect(q.batches.expiredWhileThrottled).toBe(1);
    expect(q.messages.deleted).toBe(1);
    expect(q.latencyMs.max).toBeCloseTo(110_000, 3);
    expect(r.functions[0].throttles['reserved-concurrency']).toBe(6);
    // The mapping does not account for reserved concurrency (§5): it keeps its initial 5 pollers.
    expect(q.pollers.concurrency.max).toBe(5);
  });

  it('partial batch response: only the failed messages return', () => {
    const common = { fn: FN, arrivals: '{ constant: 1000/s, for: 10ms }', duration: '2m' };
    // Ten messages in 10 ms and a 1 s window: one batch of 10. Poison draws: same seed and stream in both runs.
    const sqs = 'batchSize: 10, maximumBatchingWindow: 1s, poison: 0.3, visibilityTimeout: 31s, maxReceiveCount: 2';
    const whole = runSqs(scenario({ ...common, sqs })).q;
    const partial = runSqs(scenario({ ...common, sqs: sqs + ', reportBatchItemFailures: true' })).q;
    const poisoned = partial.messages.redrivenToDlq;
    expect(poisoned).toBeGreaterThan(0);
    expect(poisoned).toBeLessThan(10);
    // With partial responses: the good messages are deleted at once, each poison message fails twice then goes to the DLQ.
    expect(partial.messages.deleted).toBe(10 - poisoned);
    expect(partial.messages.failedDeliveries).toBe(2 * poisoned);
    expect(partial.batches.failed).toBe(0);
    expect(partial.batches.partial).toBe(2);
    // Without: the whole batch fails both times and all ten go to the DLQ.
    expect(whole.messages.deleted).toBe(0);
    expect(whole.messages.redrivenToDlq).toBe(10);
    expect(whole.messages.failedDeliveries).toBe(20);
  });

  it('the 6 MB payload cap: 1 MB messages plus 1 KB metadata give batches of 5', () => {
    const { q } = runSqs(
      scenario({ fn: FN, sqs: 'batchSize: 10, messageSize: 1MB', arrivals: '{ constant: 1000/s, for: 10ms }', duration: '1m' }).replace(
        'sqs: {',
        'sqs: { maximumConcurrency: 2, maximumBatchingWindow: 1s,',
      ),
    );
    expect(q.config.maxMessagesPerBatch).toBe(5);
    expect(q.batches.trigger.payloadCap).toBe(2);
    expect(q.batches.size.mean).toBe(5);
  });

  it('the 6 MB payload cap binds without a message size: 6 MB / 1 KB of metadata = 6,144 records', () => {
    const cfg = (sqs: string) =>
      runSqs(scenario({ fn: FN, sqs, arrivals: '{ constant: 1000/s, for: 10ms }', duration: '1m' })).q.config.maxMessagesPerBatch;
    expect(cfg('batchSize: 10000, maximumBatchingWindow: 5s')).toBe(6144);
    // 1 B bodies are never looser than no size.
    expect(cfg('batchSize: 10000, maximumBatchingWindow: 5s, messageSize: 1B')).toBe(Math.floor(6 * 2 ** 20 / 1025));
    expect(cfg('batchSize: 10000, maximumBatchingWindow: 5s, recordOverhead: 0B')).toBe(10000);
  });

  it('FIFO: one batch per message group in flight, so concurrency is at most the number of groups', () => {
    const { q, r } = runSqs(
      scenario({ fn: 'duration: 1s, timeout: 3s, init: 0ms', sqs: 'fifo: true, groups: 3, batchSize: 10', arrivals: '{ poisson: 200/s }', duration: '2m' }),
    );
    expect(r.functions[0].concurrency.max).toBe(3);
    expect(q.pollers.busy.max).toBe(3);
    // Three groups, each a batch of 10 per second: 30 messages/s.
    expect(q.messages.deleted / 120).toBeGreaterThan(29);
    expect(q.messages.deleted / 120).toBeLessThanOrEqual(30);
  });

  it('FIFO: a poison message blocks its group (retries finish before more is read from it)', () => {
    // One group, every message poison, no DLQ: the first batch returns every 30 s and nothing else is read.
    const { q } = runSqs(
      scenario({ fn: FN, sqs: 'fifo: true, batchSize: 2, poison: 1, visibilityTimeout: 30s', arrivals: '{ constant: 1/s, for: 10s }', duration: '2m' }),
    );
    expect(q.batches.invoked).toBe(4); // 0, 30, 60, 90 s
    expect(q.batches.size.max).toBeCloseTo(2, 2);
    expect(q.messages.waitingAtEnd).toBe(8);
    expect(q.messages.inFlightAtEnd).toBe(2);
  });

  it('FIFO with partial batch responses: the first failure and every later message of the batch return, in order (§5)', () => {
    // One group, batches of up to 10, 20 % poison, ReportBatchItemFailures. §5: on FIFO the function stops at the
    // first failure and reports it and every message after it; one batch of the group is in flight at a time,
    // so the group's batches run one after another and its messages are deleted in send order.
    for (const seed of [1, 2, 3]) {
      const s = parseScenario(
        scenario({
          seed,
          fn: 'duration: 100ms, timeout: 3s, init: 0ms',
          sqs: 'fifo: true, batchSize: 10, poison: 0.2, reportBatchItemFailures: true, maxReceiveCount: 3, visibilityTimeout: 30s',
          arrivals: '{ constant: 50/s, for: 2s }',
          duration: '10m',
        }),
      );
      let batch: number[] = [];
      let failed: number[] = [];
      let lastEnd = -Infinity;
      let lastDeleted = -1;
      let followersDeletedLater = 0;
      const returned = new Set<number>();
      const close = () => {
        // The failed messages are exactly a suffix of the batch: from the first failure to the end.
        if (failed.length > 0) {
          expect(failed).toEqual(batch.slice(batch.length - failed.length));
          for (const m of failed.slice(1)) returned.add(m);
        }
        batch = [];
        failed = [];
      };
      simulate(s, {
        trace: (e) => {
          if (e.type === 'batch') {
            close();
            expect(e.tMs).toBeGreaterThanOrEqual(lastEnd);
            batch = e.requests!;
          } else if (e.type === 'complete') lastEnd = e.tMs;
          else if (e.type === 'failed') failed.push(e.request);
          else if (e.type === 'done' && e.outcome === 'deleted') {
            expect(e.request).toBeGreaterThan(lastDeleted);
            lastDeleted = e.request;
            if (returned.has(e.request)) followersDeletedLater++;
          }
        },
      });
      close();
      // Good messages behind a poison one came back and were deleted later: the rule made a difference.
      expect(followersDeletedLater).toBeGreaterThan(0);
    }
  });

  it('provisioned mode: pollers = ⌈concurrency / 10⌉, billed as EPU-seconds', () => {
    // No traffic: the mapping stays at minPollers = 3 (30 concurrent invokes) for 10 minutes.
    const { q } = runSqs(scenario({ fn: FN, sqs: 'provisioned: { minPollers: 3, maxPollers: 10 }', arrivals: '{ constant: 1/s, at: 599s }' }));
    expect(q.config.scaling).toBe('provisioned');
    expect(q.pollers.concurrency.max).toBe(30);
    expect(q.eventPollerEpuSeconds).toBe(3 * 600);
  });
});
