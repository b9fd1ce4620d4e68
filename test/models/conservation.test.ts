// Conservation with and without a warm-up (issue 22 item 8), for every invocation model and for
// pipelines: over many seeds and warm-ups, everything a workload took in is accounted for exactly once
// in the result (what the measured window counts). Scenarios are small and stressed (errors,
// throttles, backlogs across the warm-up's end); every count is exact, no tolerance.
import { describe, expect, it } from 'vitest';
import { runAny } from '../helpers/run.js';
import type { Result } from '../../src/sim/result.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import type { SqsWorkloadResult } from '../../src/models/sqs/types.js';
import type { StreamWorkloadResult } from '../../src/models/stream/types.js';
import type { StepFunctionsWorkloadResult } from '../../src/models/stepfunctions/types.js';

/** A small deterministic generator for the scenario's knobs (not the simulation's streams). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const SEEDS = 24;
/** Seed i's warm-up: none for even i, else 5–95 s of a 3-minute run (a backlog is usually open at its end). */
const warmupOf = (i: number, u: () => number) => (i % 2 === 0 ? 0 : 5 + Math.floor(u() * 90));

function fn(u: () => number, extra = ''): string {
  const reserved = [2, 5, 20][Math.floor(u() * 3)];
  return `{ duration: { lognormal: { median: 200ms, p99: 2s } }, timeout: 3s, reservedConcurrency: ${reserved}, errors: { rate: 0.02, windows: [{ at: ${Math.floor(u() * 150)}s, for: 20s, rate: 0.5 }] }${extra} }`;
}

function scenario(i: number, warmup: number, functions: string, workloads: string): string {
  return `name: conservation\nseed: ${i}\nduration: 3m\nwarmup: ${warmup}s\nfunctions:\n${functions}\nworkloads:\n${workloads}`;
}

const burst = (u: () => number) => `[{ poisson: 5/s }, { at: ${Math.floor(u() * 120)}s, for: 20s, poisson: 60/s }]`;

const MODELS: [string, (i: number) => { yaml: string; warmup: number }, (r: Result) => void][] = [
  [
    'sync: requests = succeeded + errors + timeouts + throttled + client timeouts + open at the end',
    (i) => {
      const u = lcg(100 + i);
      const warmup = warmupOf(i, u);
      const retries = ['none', 'standard', 'legacy'][Math.floor(u() * 3)];
      return { warmup, yaml: scenario(i, warmup, `  f: ${fn(u)}`, `  - name: w\n    function: f\n    arrivals: ${burst(u)}\n    client: { retries: ${retries}, timeout: 2s }\n`) };
    },
    (r) => {
      const w = r.workloads[0] as SyncWorkloadResult;
      expect(w.requests).toBeGreaterThan(200);
      expect(w.succeeded + w.functionErrors + w.functionTimeouts + w.throttled + w.clientTimeouts + w.openAtEnd).toBe(w.requests);
    },
  ],
  [
    'async: accepted + duplicates = succeeded + failed + dropped + open at the end',
    (i) => {
      const u = lcg(200 + i);
      const warmup = warmupOf(i, u);
      const target = ['', ', deadLetterQueue: sqs', ', onFailure: s3'][Math.floor(u() * 3)];
      return {
        warmup,
        yaml: scenario(i, warmup, `  f: ${fn(u)}`, `  - name: w\n    function: f\n    invoke: async\n    arrivals: ${burst(u)}\n    async: { maximumRetryAttempts: ${Math.floor(u() * 3)}, maximumEventAge: 90s, duplicateProbability: 0.05${target} }\n`),
      };
    },
    (r) => {
      const w = r.workloads[0] as AsyncWorkloadResult;
      expect(w.accepted).toBeGreaterThan(200);
      expect(w.succeededFirstTry + w.succeededAfterRetry + w.failed.total + w.dropped.total + w.openAtEnd.total).toBe(w.accepted + w.duplicates);
    },
  ],
  [
    'sqs: queued at the start + sent = deleted + to the DLQ + waiting + in flight at the end',
    (i) => {
      const u = lcg(300 + i);
      const warmup = warmupOf(i, u);
      const fifo = u() < 0.3 ? 'fifo: true, groups: 5, ' : '';
      return {
        warmup,
        yaml: scenario(
          i,
          warmup,
          `  f: ${fn(u)}`,
          `  - name: w\n    function: f\n    invoke: sqs\n    arrivals: ${burst(u)}\n    sqs: { ${fifo}batchSize: ${[1, 10][Math.floor(u() * 2)]}, visibilityTimeout: 20s, maxReceiveCount: 3, poison: 0.01, reportBatchItemFailures: ${u() < 0.5} }\n`,
        ),
      };
    },
    (r) => {
      const m = (r.workloads[0] as SqsWorkloadResult).messages;
      expect(m.sent).toBeGreaterThan(200);
      expect(m.deleted + m.redrivenToDlq + m.waitingAtEnd + m.inFlightAtEnd).toBe(m.queuedAtStart + m.sent);
      if (r.scenario.warmupMs === 0) expect(m.queuedAtStart).toBe(0);
    },
  ],
  [
    'stream: written = processed + discarded + expired + pending at the end',
    (i) => {
      const u = lcg(400 + i);
      const warmup = warmupOf(i, u);
      return {
        warmup,
        yaml: scenario(
          i,
          warmup,
          `  f: ${fn(u)}`,
          `  - name: w\n    function: f\n    invoke: stream\n    arrivals: ${burst(u)}\n    stream: { source: kinesis, shards: 2, batchSize: ${[1, 10][Math.floor(u() * 2)]}, maximumRetryAttempts: ${Math.floor(u() * 3)}, bisectBatchOnFunctionError: ${u() < 0.5}, poisonRecords: [50] }\n`,
        ),
      };
    },
    (r) => {
      const rec = (r.workloads[0] as StreamWorkloadResult).records;
      expect(rec.written).toBeGreaterThan(200);
      expect(rec.processed + rec.discarded + rec.expired + rec.pendingAtEnd).toBe(rec.written);
      expect(rec.inFlightAtEnd).toBeLessThanOrEqual(rec.pendingAtEnd);
    },
  ],
  [
    'step functions: started = succeeded + failed + timed out + open at the end',
    (i) => {
      const u = lcg(600 + i);
      const warmup = warmupOf(i, u);
      const type = u() < 0.5 ? 'STANDARD' : 'EXPRESS';
      const timeout = [2, 20, 300][Math.floor(u() * 3)];
      const definition =
        `{ StartAt: Split, TimeoutSeconds: ${timeout}, States: { ` +
        `Split: { Type: Task, Next: Chunks, Retry: [{ ErrorEquals: [States.ALL], MaxAttempts: ${Math.floor(u() * 3)} }] }, ` +
        `Chunks: { Type: Map, Items: { uniform: { min: 1, max: 6 } }, MaxConcurrency: ${1 + Math.floor(u() * 4)}, ` +
        `ItemProcessor: { StartAt: Chunk, States: { Chunk: { Type: Task, FunctionName: g, Retry: [{ ErrorEquals: [Lambda.TooManyRequestsException], MaxAttempts: 2, IntervalSeconds: 1 }], End: true } } }, ` +
        `Catch: [{ ErrorEquals: [States.ALL], Next: Failed }], End: true }, ` +
        `Failed: { Type: Fail, Error: ChunkFailed } } }`;
      return {
        warmup,
        yaml: scenario(i, warmup, `  f: ${fn(u)}\n  g: ${fn(u)}`, `  - name: w\n    function: f\n    invoke: stepfunctions\n    arrivals: ${burst(u)}\n    stepFunctions: { type: ${type}, definition: ${definition} }\n`),
      };
    },
    (r) => {
      const x = (r.workloads[0] as StepFunctionsWorkloadResult).executions;
      expect(x.started).toBeGreaterThan(200);
      expect(x.succeeded + x.failed + x.timedOut + x.openAtEnd).toBe(x.started);
    },
  ],
  [
    'pipelines: per pipeline and stage, entered = done + in flight + DLQ + dropped',
    (i) => {
      const u = lcg(500 + i);
      const warmup = warmupOf(i, u);
      const functions = [
        `  api: ${fn(u, ', outputs: [{ to: orders }]')}`,
        `  worker: ${fn(u, ', outputs: [{ to: events, count: { uniform: { min: 0, max: 2 } } }, { to: retry, on: failure }]')}`,
        `  notifier: ${fn(u)}`,
        `  fixer: ${fn(u)}`,
      ].join('\n');
      const workloads = [
        `  - name: checkout\n    function: api\n    arrivals: ${burst(u)}\n    client: { retries: standard }`,
        `  - name: orders\n    function: worker\n    invoke: sqs\n    sqs: { batchSize: 5, visibilityTimeout: 20s, maxReceiveCount: 3, reportBatchItemFailures: true }`,
        `  - name: events\n    function: notifier\n    invoke: stream\n    stream: { source: kinesis, shards: 2, batchSize: 10, maximumRetryAttempts: 1 }`,
        `  - name: retry\n    function: fixer\n    invoke: async\n    async: { maximumRetryAttempts: 1, maximumEventAge: 1m }`,
      ].join('\n');
      return { warmup, yaml: scenario(i, warmup, functions, workloads + '\n') };
    },
    (r) => {
      expect(r.pipelines?.length).toBe(1);
      for (const p of r.pipelines!) {
        expect(p.requests.entered).toBeGreaterThan(200);
        expect(p.requests.finished + p.requests.inFlight + p.requests.inDlq + p.requests.dropped).toBe(p.requests.entered);
        for (const s of p.stages) expect(s.done + s.inFlight + s.dlq + s.dropped, s.workload).toBe(s.entered);
      }
      // Each model's own balance holds inside the pipeline too.
      const q = r.workloads.find((w) => w.name === 'orders') as SqsWorkloadResult;
      expect(q.messages.deleted + q.messages.redrivenToDlq + q.messages.waitingAtEnd + q.messages.inFlightAtEnd).toBe(q.messages.queuedAtStart + q.messages.sent);
      const e = (r.workloads.find((w) => w.name === 'events') as StreamWorkloadResult).records;
      expect(e.processed + e.discarded + e.expired + e.pendingAtEnd).toBe(e.written);
    },
  ],
];

describe('conservation with and without a warm-up, every model', () => {
  for (const [law, make, check] of MODELS) {
    it(law, () => {
      let withBacklog = 0;
      for (let i = 0; i < SEEDS; i++) {
        const { yaml, warmup } = make(i);
        const r = runAny(yaml);
        expect(r.scenario.warmupMs).toBe(warmup * 1000);
        try {
          check(r);
        } catch (e) {
          throw new Error(`seed ${i}, warm-up ${warmup}s: ${(e as Error).message}`);
        }
        const q = r.workloads.find((w) => w.invoke === 'sqs') as SqsWorkloadResult | undefined;
        if (q && q.messages.queuedAtStart > 0) withBacklog++;
      }
      // The SQS cases must really carry a backlog over the warm-up's end for the check to mean something.
      if (law.startsWith('sqs')) expect(withBacklog).toBeGreaterThan(0);
    });
  }
});

describe('SQS: the warm-up backlog in closed form', () => {
  it('reserved concurrency 0 (nothing is processed): queued at the start = the sends of the warm-up', () => {
    // constant 10/s: one send every 100 ms, 300 in the 30 s warm-up and 300 in the measured 30 s.
    const r = runAny(
      'name: backlog\nseed: 1\nduration: 60s\nwarmup: 30s\nfunctions:\n  f: { duration: 100ms, reservedConcurrency: 0 }\nworkloads:\n  - name: q\n    function: f\n    invoke: sqs\n    arrivals: { constant: 10/s }\n    sqs: { visibilityTimeout: 10m }\n',
    );
    const m = (r.workloads[0] as SqsWorkloadResult).messages;
    expect([m.queuedAtStart, m.sent, m.deleted, m.waitingAtEnd + m.inFlightAtEnd]).toEqual([300, 300, 0, 600]);
  });
});
