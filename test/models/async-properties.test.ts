// Asynchronous invocation: conservation over many seeds and fault patterns,
// async latency = sync latency + queue delay, determinism, and located input problems.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { UserError } from '../../src/errors.js';
import type { Result } from '../../src/sim/result.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';
import { runAny } from '../helpers/run.js';

const asyncOf = (r: Result, name: string) => r.workloads.find((w) => w.name === name) as AsyncWorkloadResult;
const syncOf = (r: Result, name: string) => r.workloads.find((w) => w.name === name) as SyncWorkloadResult;

/** A small deterministic generator for the fault patterns (not the simulation's streams). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('async: conservation', () => {
  // accepted + duplicates = succeeded + failed + dropped + open at the end, whatever happens.
  const cases = Array.from({ length: 24 }, (_, i) => i);
  for (const i of cases) {
    it(`case ${i}: every accepted event is accounted for exactly once`, () => {
      const u = lcg(1000 + i);
      const reserved = [1, 3, 10, null][Math.floor(u() * 4)];
      const errorRate = [0, 0.2, 0.7, 1][Math.floor(u() * 4)];
      const outageAt = Math.floor(u() * 120);
      const timeout = u() < 0.3 ? '1s' : '30s';
      const maxAge = ['60s', '2m', '6h'][Math.floor(u() * 3)];
      const retries = Math.floor(u() * 3);
      const target = ['', ', deadLetterQueue: sqs', ', onFailure: s3', ', deadLetterQueue: sns, onFailure: lambda'][Math.floor(u() * 4)];
      const dup = u() < 0.5 ? 0 : 0.1;
      const warmup = u() < 0.5 ? '0s' : '30s';
      const r = runAny(`
name: conservation-${i}
seed: ${i}
duration: 5m
warmup: ${warmup}
functions:
  f:
    timeout: ${timeout}
${reserved === null ? '' : `    reservedConcurrency: ${reserved}`}
    duration: { lognormal: { median: 400ms, p99: 3s } }
    errors: { rate: ${errorRate / 4}, windows: [{ at: ${outageAt}s, for: 60s, rate: ${errorRate} }] }
workloads:
  - function: f
    invoke: async
    arrivals: [{ poisson: 4/s }, { at: ${Math.floor(u() * 200)}s, for: 5s, poisson: 80/s }]
    async: { maximumRetryAttempts: ${retries}, maximumEventAge: ${maxAge}, duplicateProbability: ${dup}, retryJitter: 5s${target} }
`);
      const w = asyncOf(r, 'f-async');
      const ended = w.succeededFirstTry + w.succeededAfterRetry + w.failed.total + w.dropped.total;
      expect(w.accepted).toBeGreaterThan(0);
      expect(w.accepted + w.duplicates).toBe(ended + w.openAtEnd.total);
      expect(w.openAtEnd.total).toBe(w.openAtEnd.queued + w.openAtEnd.waitingRetry + w.openAtEnd.inFlight);
      expect(w.openAtEnd.inFlight).toBeLessThanOrEqual(reserved ?? 1000);
      // Every failure record goes to the configured targets, and drops happen only without one.
      if (target === '') expect(w.failed.total).toBe(0);
      else expect(w.dropped.total).toBe(0);
      if (target.includes('deadLetterQueue')) expect(w.destinations.deadLetterQueue).toBe(w.failed.total);
      if (target.includes('onFailure')) expect(w.destinations.onFailure).toBe(w.failed.total);
      // Retries: never more than maximumRetryAttempts per event.
      expect(w.retryAttempts).toBeLessThanOrEqual(retries * (w.accepted + w.duplicates));
      expect(w.succeededAfterRetry).toBeLessThanOrEqual(w.retryAttempts);
      if (warmup === '0s') {
        // Without a warm-up the function's own counters see exactly the workload's invocations and throttles.
        const f = r.functions[0];
        expect(w.attempts).toBe(f.invocations);
        expect(w.throttleRequeues).toBe(f.throttles.total);
        // Lambda's pollers are not subject to the request-rate quota (InvokeFlags.INTERNAL).
        expect(f.throttles['request-rate']).toBe(0);
      }
    });
  }
});

describe('async: latency', () => {
  const scenarioWith = (invoke: string) => `
name: latency
seed: 5
duration: 20m
functions:
  f:
    timeout: 30s # no timeouts: async would retry them, sync would not
    duration: { lognormal: { median: 120ms, p99: 900ms } }
workloads:
  - name: w
    function: f
    ${invoke}
    arrivals: { poisson: 20/s, for: 15m }
`;

  it('with ample concurrency and no errors, async latency = sync latency + queue delay', () => {
    // Arrivals stop 5 min before the end, so every event completes in both runs.
    // Same workload name and function: the same arrivals and the same duration and init draws;
    // every invocation starts exactly queueDelay later, so each event's age at completion is its
    // sync latency + 250 ms. Compared on the exact count, mean and max (float tolerance 1e-6 ms).
    const sync = syncOf(runAny(scenarioWith('invoke: sync\n    client: { retries: none }')), 'w');
    const async = asyncOf(runAny(scenarioWith('invoke: async\n    async: { queueDelay: 250ms }')), 'w');
    expect(async.succeededFirstTry).toBe(sync.succeeded);
    expect(async.retryAttempts + async.throttleRequeues).toBe(0);
    expect(async.ageAtCompletionMs.count).toBe(sync.latencyMs.count);
    expect(async.ageAtCompletionMs.mean).toBeCloseTo(sync.latencyMs.mean + 250, 2);
    expect(async.ageAtCompletionMs.max).toBeCloseTo(sync.latencyMs.max + 250, 6);
    // The queue delay is the whole of the age at the first attempt.
    expect(async.ageAtFirstAttemptMs.mean).toBeCloseTo(250, 6);
    expect(async.ageAtFirstAttemptMs.max).toBeCloseTo(250, 6);
  });
});

describe('async: determinism', () => {
  const base = `
name: det
seed: 9
duration: 10m
functions:
  api:
    duration: { lognormal: { median: 80ms, p99: 600ms } }
    errors: 0.01
workloads:
  - function: api
    arrivals: [{ poisson: 50/s }, { at: 2m, for: 1m, poisson: 400/s }]
`;
  const withAsync =
    base.replace('functions:\n', 'functions:\n  worker:\n    reservedConcurrency: 5\n    duration: 2s\n    errors: 0.3\n') +
    `  - function: worker
    invoke: async
    arrivals: { poisson: 10/s }
    async: { deadLetterQueue: sqs, duplicateProbability: 0.05, retryJitter: 10s }
`;

  it('same scenario and seed: byte-identical JSON', () => {
    const a = jsonReport(simulate(parseScenario(withAsync, 'a.yaml')));
    const b = jsonReport(simulate(parseScenario(withAsync, 'a.yaml')));
    expect(a).toBe(b);
  });

  it('adding an async workload on another function leaves the sync workload and its function unchanged', () => {
    const a = runAny(base);
    const b = runAny(withAsync);
    const withoutCost = ({ cost: _, ...rest }: Result['functions'][number] & { cost?: unknown }) => rest;
    expect(withoutCost(b.functions.find((f) => f.name === 'api')!)).toEqual(withoutCost(a.functions[0]));
    expect(syncOf(b, 'api-sync')).toEqual(syncOf(a, 'api-sync'));
    expect(asyncOf(b, 'worker-async').accepted).toBeGreaterThan(5000);
  });
});

describe('async: scenario input', () => {
  const doc = (workload: string) => `
name: bad
duration: 1m
functions:
  f: { duration: 10ms }
workloads:
  - function: f
${workload}
    arrivals: { poisson: 1/s }
`;
  const problems = (yaml: string) => {
    try {
      parseScenario(yaml, 'bad.yaml');
    } catch (e) {
      if (e instanceof UserError) return e.problems.map((p) => `${p.line}:${p.column} ${p.path} ${p.message}`);
      throw e;
    }
    return [];
  };

  it('defaults follow docs/sources.md §4', () => {
    const sc = parseScenario(doc('    invoke: async'), 'ok.yaml');
    const w = sc.workloads[0];
    expect(w.invoke).toBe('async');
    if (w.invoke !== 'async') return;
    expect(w.async).toEqual({
      source: 'sdk', // docs/sources.md §1: a direct Invoke from your code
      delivery: null, // issue 15: no event source's own delivery before the queue
      maximumRetryAttempts: 2,
      retryDelaysMs: [60_000, 120_000],
      retryJitterMs: 0,
      maximumEventAgeMs: 21_600_000,
      queueDelayMs: 0,
      duplicateProbability: 0,
      deadLetterQueue: null,
      onFailure: null,
      onSuccess: null,
      payloadBytes: 262_144, // docs/sources.md §4: up to 256 KB an event is one request
    });
  });

  it('out-of-range values, unknown targets and keys are located', () => {
    const list = problems(
      doc('    invoke: async\n    async: { maximumRetryAttempts: 3, maximumEventAge: 30s, deadLetterQueue: kafka, onSucess: sqs }'),
    );
    expect(list).toEqual([
      expect.stringMatching(/^9:36 workloads\[0\]\.async\.maximumRetryAttempts must be a whole number of units from 0 to 2 \(docs\/sources\.md §4\), got 3/),
      expect.stringMatching(/^9:56 workloads\[0\]\.async\.maximumEventAge must be from 1m to 6h \(docs\/sources\.md §4\), got 30s/),
      expect.stringMatching(/^9:78 workloads\[0\]\.async\.deadLetterQueue "kafka" is not one of sqs, sns/),
      expect.stringMatching(/^9:85 workloads\[0\]\.async\.onSucess unknown key "onSucess" \(did you mean "onSuccess"\?\)/),
    ]);
  });

  it('maximumEventAge is a whole number of seconds (MaximumEventAgeInSeconds, docs/sources.md §4)', () => {
    expect(problems(doc('    invoke: async\n    async: { maximumEventAge: 90500ms }'))).toEqual([
      '9:31 workloads[0].async.maximumEventAge must be a whole number of seconds: AWS sets MaximumEventAgeInSeconds in seconds (docs/sources.md §4), got 90.5s',
    ]);
    expect(problems(doc('    invoke: async\n    async: { maximumEventAge: 90s }'))).toEqual([]);
  });

  it('an S3 bucket is an on-failure destination only (docs/sources.md §4): onSuccess: s3 says so, at the value', () => {
    expect(problems(doc('    invoke: async\n    async: { onSuccess: s3, onFailure: s3 }'))).toEqual([
      '9:25 workloads[0].async.onSuccess an S3 bucket receives on-failure records only (docs/sources.md §4); use sqs, sns, lambda or eventbridge, or put s3 under onFailure',
    ]);
    expect(problems(doc('    invoke: async\n    async: { onSuccess: kafka }'))).toEqual([
      expect.stringMatching(/^9:25 workloads\[0\]\.async\.onSuccess "kafka" is not one of sqs, sns, lambda, eventbridge/),
    ]);
    expect(problems(doc('    invoke: async\n    async: { onSuccess: lambda, onFailure: s3 }'))).toEqual([]);
  });

  it('"async" without invoke: async, and "client" with an AWS-service source, are problems at the key', () => {
    expect(problems(doc('    async: { queueDelay: 1s }'))).toEqual([expect.stringMatching(/^8:5 workloads\[0\]\.async "async" goes only with "invoke: async"/)]);
    expect(problems(doc('    invoke: async\n    async: { source: aws-service }\n    client: { retries: none }'))).toEqual([
      expect.stringMatching(/^10:5 workloads\[0\]\.client "client" goes only with callers that use an SDK; this workload has "async.source: aws-service"/),
    ]);
    // Your own code's Invoke calls go through an SDK client, which may retry a 429.
    expect(problems(doc('    invoke: async\n    client: { retries: none }'))).toEqual([]);
  });
});
