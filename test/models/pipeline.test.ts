// Pipelines (issue 16): conservation along a chain, end-to-end latency of a chain of M/M/∞ stages,
// synchronous calls, and Lambda's recursive loop detection (docs/sources.md §8). Seeds are fixed;
// tolerances are stated with the standard errors they allow for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runAny } from '../helpers/run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { UserError, formatProblem } from '../../src/errors.js';
import type { Result } from '../../src/sim/result.js';
import { estimateWork } from '../../src/sim/estimate.js';
import type { PipelineResult, PipelineStageResult } from '../../src/models/pipeline.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import type { SqsWorkloadResult } from '../../src/models/sqs/types.js';
import type { StreamWorkloadResult } from '../../src/models/stream/types.js';

function pipelineOf(r: Result, name: string): PipelineResult {
  const p = r.pipelines?.find((x) => x.name === name);
  if (!p) throw new Error(`no pipeline ${name}`);
  return p;
}
function stage(p: PipelineResult, workload: string): PipelineStageResult {
  return p.stages.find((s) => s.workload === workload)!;
}
function workload<T>(r: Result, name: string): T {
  return r.workloads.find((w) => w.name === name) as T;
}
/** The located messages of a scenario that does not load. */
function problems(yaml: string): string[] {
  try {
    parseScenario(yaml, 'p.yaml');
  } catch (e) {
    if (e instanceof UserError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('the scenario loaded');
}

/**
 * A chain with every way to end: a sync API (throttled by reserved concurrency, no retries: dropped)
 * → an SQS queue (poison messages: the DLQ) → an async function that calls a throttled function
 * (its failures retried, then the DLQ) and fans out → a Kinesis stream (poison records discarded
 * to the on-failure destination) → nothing.
 */
const CHAIN = (seed: number) => `
name: conservation
seed: ${seed}
duration: 90s
functions:
  api:
    duration: { exponential: 40ms }
    reservedConcurrency: 3
    outputs: [{ to: orders }]
  worker:
    duration: { exponential: 60ms }
    errors: 0.02
    outputs: [{ to: billing, count: { empirical: [0, 1, 2] } }]
  biller:
    timeout: 5s
    duration: { exponential: 30ms }
    calls: [{ function: ledger }]
    outputs: [{ to: events, count: { poisson: 1.5 } }, { to: events, on: failure }]
  ledger:
    duration: { exponential: 50ms }
    reservedConcurrency: 2
  sink:
    duration: 5ms
workloads:
  - name: web
    function: api
    arrivals: [{ poisson: 60/s }, { at: 30s, for: 10s, poisson: 200/s }]
    client: { retries: none }
  - name: orders
    function: worker
    invoke: sqs
    sqs: { batchSize: 5, visibilityTimeout: 10s, maxReceiveCount: 2, poison: 0.02, reportBatchItemFailures: true }
  - name: billing
    function: biller
    invoke: async
    async: { source: aws-service, retryDelays: [2s, 4s], deadLetterQueue: sqs }
  - name: events
    function: sink
    invoke: stream
    stream: { shards: 2, batchSize: 20, poison: 0.01, maximumRetryAttempts: 1, onFailure: sqs }
`;

describe('conservation along a chain (every stage: entered = done + in flight + DLQ + dropped)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    it(`seed ${seed}: each stage balances, and agrees with its own model's counts`, () => {
      const r = runAny(CHAIN(seed));
      const p = pipelineOf(r, 'web');
      for (const s of p.stages) expect(s.entered, s.workload).toBe(s.done + s.inFlight + s.dlq + s.dropped);
      const q = p.requests;
      expect(q.entered).toBe(q.finished + q.inFlight + q.inDlq + q.dropped);
      // Each stage's items, counted by the pipeline, are the ones its model counted (no warm-up).
      const web = workload<SyncWorkloadResult>(r, 'web');
      const sWeb = stage(p, 'web');
      expect([sWeb.entered, sWeb.done, sWeb.inFlight, sWeb.dropped]).toEqual([web.requests, web.succeeded, web.openAtEnd, web.throttled + web.functionErrors + web.functionTimeouts]);
      expect(sWeb.dropped).toBeGreaterThan(0);
      const orders = workload<SqsWorkloadResult>(r, 'orders');
      const sOrders = stage(p, 'orders');
      // One message per request answered: what entered the queue is what the API did.
      expect(sOrders.entered).toBe(sWeb.done);
      expect([sOrders.entered, sOrders.done, sOrders.dlq, sOrders.inFlight]).toEqual([
        orders.messages.sent,
        orders.messages.deleted,
        orders.messages.redrivenToDlq,
        orders.messages.waitingAtEnd + orders.messages.inFlightAtEnd,
      ]);
      expect(sOrders.dlq).toBeGreaterThan(0);
      const billing = workload<AsyncWorkloadResult>(r, 'billing');
      const sBilling = stage(p, 'billing');
      expect([sBilling.entered, sBilling.done, sBilling.dlq, sBilling.dropped, sBilling.inFlight]).toEqual([
        billing.accepted + billing.duplicates,
        billing.succeededFirstTry + billing.succeededAfterRetry,
        billing.failed.total,
        billing.dropped.total,
        billing.openAtEnd.total,
      ]);
      expect(billing.retryAttempts).toBeGreaterThan(0);
      const events = workload<StreamWorkloadResult>(r, 'events');
      const sEvents = stage(p, 'events');
      expect([sEvents.entered, sEvents.done, sEvents.dlq, sEvents.dropped, sEvents.inFlight]).toEqual([
        events.records.written,
        events.records.processed,
        events.records.discarded,
        events.records.expired,
        events.records.pendingAtEnd,
      ]);
      // The callee's throttles are the caller's errors (each failed call fails its invocation).
      const biller = r.functions.find((f) => f.name === 'biller')!;
      const ledger = r.functions.find((f) => f.name === 'ledger')!;
      expect(ledger.throttles.total).toBeGreaterThan(0);
      expect(biller.errors).toBe(p.calls.failed);
      expect(p.calls.failed).toBe(ledger.throttles.total + ledger.errors + ledger.timeouts);
    });
  }
});

describe('a chain of M/M/∞ stages: the end-to-end mean is the sum of the stage means', () => {
  // λ = 40/s for 2,500 s (100,000 requests) through sync → async → async, exponential handlers,
  // no init, no limits that bind, async events read at once. Each stage is M/M/∞: its sojourn is
  // its service time, so the mean to stage k is the sum of the first k means. The standard error
  // of the end-to-end mean is √(Σ mᵢ²)/√N = 229 ms/316 = 0.72 ms; the tolerance, 4 ms, is over 5 of them.
  const r = runAny(`
name: mm-infinity
seed: 7
duration: 2500s
account: { concurrency: 5000 }
functions:
  a: { duration: { exponential: 100ms }, init: 0ms, keepAlive: 2h, maxLifetime: off, outputs: [{ to: second }] }
  b: { duration: { exponential: 200ms }, init: 0ms, keepAlive: 2h, maxLifetime: off, outputs: [{ to: third }] }
  c: { duration: { exponential: 50ms }, init: 0ms, keepAlive: 2h, maxLifetime: off }
workloads:
  - { name: first, function: a, arrivals: { poisson: 40/s }, client: { retries: none } }
  - { name: second, function: b, invoke: async, async: { source: aws-service } }
  - { name: third, function: c, invoke: async, async: { source: aws-service } }
`);
  const p = pipelineOf(r, 'first');
  it('to each stage: 100, 300 and 350 ms', () => {
    expect(p.requests.entered).toBeGreaterThan(98_000);
    expect(Math.abs(stage(p, 'first').latencyMs.mean - 100)).toBeLessThan(2);
    expect(Math.abs(stage(p, 'second').latencyMs.mean - 300)).toBeLessThan(4);
    expect(Math.abs(stage(p, 'third').latencyMs.mean - 350)).toBeLessThan(4);
  });
  it('end to end, to the last stage: 350 ms, every request finished but those in flight at the end', () => {
    expect(Math.abs(p.endToEndMs.mean - 350)).toBeLessThan(4);
    expect(p.requests.finished + p.requests.inFlight).toBe(p.requests.entered);
    expect(p.requests.inFlight).toBeLessThan(100);
    expect(p.binding).toBeNull();
  });
});

describe('synchronous calls', () => {
  it("the caller's duration, bill and concurrency include the wait: 100 ms own + 200 ms callee", () => {
    const r = runAny(`
name: calls
seed: 1
duration: 600s
functions:
  api: { duration: 100ms, init: 0ms, keepAlive: 2h, calls: [{ function: auth }] }
  auth: { duration: 200ms, init: 0ms, keepAlive: 2h }
workloads:
  - { name: web, function: api, arrivals: { constant: 10/s, until: 590s }, client: { retries: none } }
`);
    const api = r.functions.find((f) => f.name === 'api')!;
    // 1 ms billing rounds nothing here: each invocation is billed 300 ms.
    // (Arrivals stop at 590 s: every wait has ended by the end of the run.)
    expect(api.billing.actualDurationMs / api.invocations).toBeCloseTo(300, 6);
    expect(api.billing.billedDurationMs).toBe(api.billing.actualDurationMs);
    // Little: the mean number busy is invocations × 300 ms over the 600 s run.
    expect(api.concurrency.mean).toBeCloseTo((api.invocations * 0.3) / 600, 3);
    expect(workload<SyncWorkloadResult>(r, 'web').latencyMs.p50).toBeCloseTo(300, 0);
    expect(api.durationMs.p50).toBeCloseTo(300, 0);
  });

  it("the caller's timeout ends the wait: billed to its timeout, the callee runs on", () => {
    const r = runAny(`
name: timeout
seed: 1
duration: 100s
functions:
  api: { timeout: 1s, duration: 100ms, init: 0ms, keepAlive: 2h, calls: [{ function: slow }] }
  slow: { timeout: 10s, duration: 3s, init: 0ms, keepAlive: 2h }
workloads:
  - { name: web, function: api, arrivals: { constant: 1/s, until: 90s }, client: { retries: none } }
`);
    const api = r.functions.find((f) => f.name === 'api')!;
    const slow = r.functions.find((f) => f.name === 'slow')!;
    expect(api.timeouts).toBe(api.invocations);
    expect(api.billing.actualDurationMs).toBeCloseTo(1000 * api.invocations, 6);
    // The callee is not stopped: each runs its full 3 s (busy invocations × 3 s over the 100 s run).
    expect(slow.errors + slow.timeouts).toBe(0);
    expect(slow.concurrency.mean).toBeCloseTo((slow.invocations * 3) / 100, 3);
    expect(pipelineOf(r, 'web').requests.dropped).toBe(workload<SyncWorkloadResult>(r, 'web').functionTimeouts);
  });

  it("a throttled callee fails its caller, whose own retry policy takes over (async: retried after 1 s)", () => {
    const r = runAny(`
name: throttled-call
seed: 2
duration: 300s
functions:
  consumer: { duration: 20ms, init: 0ms, keepAlive: 2h, calls: [{ function: ledger }] }
  ledger: { duration: 500ms, init: 0ms, keepAlive: 2h, reservedConcurrency: 1 }
workloads:
  - name: events
    function: consumer
    invoke: async
    arrivals: { poisson: 4/s }
    async: { source: aws-service, retryDelays: [1s, 1s], deadLetterQueue: sqs }
`);
    const a = workload<AsyncWorkloadResult>(r, 'events');
    const consumer = r.functions.find((f) => f.name === 'consumer')!;
    const ledger = r.functions.find((f) => f.name === 'ledger')!;
    expect(consumer.errors).toBe(ledger.throttles.total);
    // The async retry policy of the caller: retried twice, then the DLQ.
    expect(a.retryAttempts).toBeGreaterThan(0);
    expect(a.failed['retries-exhausted']).toBeGreaterThan(0);
  });
});

describe("Lambda's recursive loop detection (docs/sources.md §8): a chain stops after 16 invocations", () => {
  // A function that sends its own queue one message with probability p per message processed. Each
  // chain is geometric: the k-th invocation happens with probability p^(k−1). Lambda stops the 17th,
  // so a request makes Σ_{k<16} p^k = (1 − p^16)/(1 − p) invocations on average and is stopped
  // (to the queue's DLQ) with probability p^16. With p = 0.9: 8.147 and 0.1853.
  const loop = (detection: string, via = 'sqs') => `
name: loop
seed: 11
duration: 1200s
functions:
  producer: { duration: 10ms, init: 0ms, keepAlive: 2h, outputs: [{ to: q }] }
  looper:
    duration: 10ms
    init: 0ms
    keepAlive: 2h
    recursiveLoop: ${detection}
    outputs: [{ to: ${via === 'sqs' ? 'q' : 's'}, count: { bernoulli: 0.9 } }]
  relay: { duration: 10ms, init: 0ms, keepAlive: 2h, outputs: [{ to: q }] }
workloads:
  - { name: start, function: producer, arrivals: { poisson: 20/s }, client: { retries: none } }
  - { name: q, function: looper, invoke: sqs, sqs: { batchSize: 1, maxReceiveCount: 5 } }
${via === 'sqs' ? '' : '  - { name: s, function: relay, invoke: stream, stream: { shards: 4 } }'}
`;
  const p = 0.9;
  const N = 24_000;
  it('Terminate: about 8.15 invocations per request, 18.5% stopped into the DLQ, never a 17th', () => {
    const r = runAny(loop('Terminate'));
    const q = stage(pipelineOf(r, 'start'), 'q');
    const requests = pipelineOf(r, 'start').requests.entered;
    expect(requests).toBeGreaterThan(0.95 * N);
    const perRequest = q.done / requests;
    // The number per chain has sd ≈ 5.3 (truncated geometric): se of the mean ≈ 0.035; tolerance 0.15.
    expect(Math.abs(perRequest - (1 - p ** 16) / (1 - p))).toBeLessThan(0.15);
    // se of the stopped share √(0.185 × 0.815 / 24,000) = 0.0025; tolerance 0.012.
    expect(Math.abs(q.stoppedByRecursion / requests - p ** 16)).toBeLessThan(0.012);
    expect(q.dlq).toBe(q.stoppedByRecursion);
    // No chain runs past the bound: the stopped ones made exactly 16 invocations, the others fewer.
    expect(q.done).toBeLessThanOrEqual(16 * requests);
  });
  it('Allow: nothing stopped, 1/(1 − p) = 10 invocations per request', () => {
    const r = runAny(loop('Allow'));
    const q = stage(pipelineOf(r, 'start'), 'q');
    const requests = pipelineOf(r, 'start').requests.entered;
    expect(q.stoppedByRecursion).toBe(0);
    // sd of a geometric count with mean 10 is 9.5: se ≈ 0.06; tolerance 0.3.
    expect(Math.abs(q.done / requests - 1 / (1 - p))).toBeLessThan(0.3);
  });
  it('through a Kinesis stream the lineage is lost: never stopped, even with Terminate', () => {
    const r = runAny(loop('Terminate', 'stream'));
    const pl = pipelineOf(r, 'start');
    const q = stage(pl, 'q');
    expect(q.stoppedByRecursion + stage(pl, 's').stoppedByRecursion).toBe(0);
    expect(Math.abs(q.done / pl.requests.entered - 1 / (1 - p))).toBeLessThan(0.3);
  });
  it('a loop every invocation keeps going is refused at load, at the output that closes it', () => {
    const msgs = problems(`
name: certain
duration: 10s
functions:
  f: { duration: 10ms, outputs: [{ to: q, count: { uniform: { min: 1, max: 2 } } }] }
workloads:
  - { name: q, function: f, invoke: sqs, arrivals: { poisson: 1/s } }
`);
    expect(msgs).toEqual([expect.stringMatching(/^p\.yaml:5:34: functions\.f\.outputs\[0\]: every successful invocation of f starts this loop again \(f sends to q, which invokes f\)/)]);
  });
  it('a loop detection does not stop and whose events come back one or more on average is refused', () => {
    const msgs = problems(`
name: growing
duration: 10s
functions:
  f: { duration: 10ms, outputs: [{ to: s, count: { poisson: 1.2 } }] }
workloads:
  - { name: s, function: f, invoke: stream, arrivals: { poisson: 1/s } }
`);
    expect(msgs).toEqual([expect.stringMatching(/functions\.f\.outputs\[0\]: the loop through f grows without bound: each event makes on average 1\.20 that come back/)]);
  });
});

describe('references between stages are checked where they are written', () => {
  const base = (fn: string, extra = '') => `
name: refs
duration: 10s
functions:
${fn}
  worker: { duration: 10ms }
workloads:
  - { name: web, function: api, arrivals: { poisson: 1/s } }
  - { name: orders, function: worker, invoke: sqs }
${extra}`;
  it('an unknown target names the function, the output and the line, with the nearest name', () => {
    expect(problems(base('  api: { duration: 10ms, outputs: [{ to: ordres }] }'))).toEqual([
      'p.yaml:5:42: functions.api.outputs[0].to: no workload named "ordres" (did you mean "orders"?)',
      'p.yaml:9:5: workloads[1].arrivals: missing required key "arrivals" (a workload without arrivals must be the target of a function\'s outputs)',
    ]);
  });
  it('a sync workload is called, not sent to', () => {
    expect(problems(base('  api: { duration: 10ms, outputs: [{ to: web }, { to: orders }] }'))).toEqual([
      'p.yaml:5:42: functions.api.outputs[0].to: workload "web" is invoke: sync: a function does not send to it; to invoke its function and wait for the answer, use calls: [{ function: api }]',
    ]);
  });
  it('an unknown callee', () => {
    expect(problems(base('  api: { duration: 10ms, outputs: [{ to: orders }], calls: [{ function: wroker }] }'))).toEqual([
      'p.yaml:5:73: functions.api.calls[0].function: no function named "wroker" in functions (did you mean "worker"?)',
    ]);
  });
  it('a sync caller whose client gives up sooner than a calling function can take', () => {
    const yaml = base('  api: { duration: 10ms, timeout: 30s, outputs: [{ to: orders }], calls: [{ function: worker }] }').replace(
      'arrivals: { poisson: 1/s } }',
      'arrivals: { poisson: 1/s }, client: { timeout: 29s } }',
    );
    expect(problems(yaml)).toEqual([expect.stringMatching(/^p\.yaml:8:\d+: workloads\[0\]\.client\.timeout: api calls other functions and can take up to 40s \(its timeout plus the 10 s init limit\)/)]);
  });
  it('a count distribution in error is located inside it', () => {
    expect(problems(base('  api: { duration: 10ms, outputs: [{ to: orders, count: { poison: 2 } }] }'))).toEqual([
      'p.yaml:5:59: functions.api.outputs[0].count.poison: unknown count distribution "poison" (did you mean "poisson"?); expected one of bernoulli, poisson, uniform, empirical',
    ]);
  });
});

describe('the work estimate counts what outputs send on', () => {
  it('100/s for 100 s → an SQS stage with one each → a stream stage with 2.5 each: 10,000 + 10,000 + 25,000', () => {
    const s = parseScenario(`
name: estimate
duration: 100s
functions:
  a: { duration: 10ms, outputs: [{ to: q }] }
  b: { duration: 10ms, outputs: [{ to: s, count: { uniform: { min: 2, max: 3 } } }] }
  c: { duration: 10ms }
workloads:
  - { name: web, function: a, arrivals: { constant: 100/s } }
  - { name: q, function: b, invoke: sqs }
  - { name: s, function: c, invoke: stream }
`);
    expect(estimateWork(s).requests).toBeCloseTo(45_000, 6);
  });
});

describe('docs/scenario-reference.md quotes the pipeline section of reports/order-pipeline.txt', () => {
  it('as it is', () => {
    const doc = readFileSync('docs/scenario-reference.md', 'utf8');
    const quoted = doc.split('`lsim run` ends with (`reports/order-pipeline.txt`):')[1].split('```\n')[1].split('```')[0];
    const report = readFileSync('reports/order-pipeline.txt', 'utf8');
    expect(report.slice(report.indexOf('\nPipeline checkout') + 1)).toBe(quoted);
  });
});

describe('README.md quotes the same section', () => {
  it('as it is', () => {
    const readme = readFileSync('README.md', 'utf8');
    const quoted = readme.split('`npx lsim run scenarios/order-pipeline.yaml` ends with:')[1].split('```\n')[1].split('```')[0];
    const report = readFileSync('reports/order-pipeline.txt', 'utf8');
    expect(report.slice(report.indexOf('\nPipeline checkout') + 1)).toBe(quoted);
  });
});
