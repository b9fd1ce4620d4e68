// Event sources in front of the async queue (issue 15 item 2, src/models/async/sources.ts,
// docs/sources.md §4 "Event sources in front of the async queue"): the SNS and EventBridge retry
// schedules against their documented sequences, S3's delay against its distribution, conservation of
// events over many seeds, and the determinism of the other draws.
import { describe, expect, it } from 'vitest';
import { erf } from 'simple-statistics';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import type { TraceEvent } from '../../src/metrics/trace.js';
import type { RequestRecord } from '../../src/metrics/records.js';
import type { AsyncWorkloadResult } from '../../src/models/async/types.js';
import { eventBridgeRetryDelayMs, SNS_MAX_RETRIES, snsRetryDelayMs, sourceEventsPerEvent } from '../../src/models/async/sources.js';
import { estimateWork } from '../../src/sim/estimate.js';
import { explainText } from '../../src/report/explain.js';

/** One event at t = 0 from `source`, with the function fast and never failing. */
const oneEvent = (async: string, duration = '1h', interval = '1m') => `
duration: ${duration}
functions:
  f: { duration: 10ms }
workloads:
  - name: w
    function: f
    invoke: async
    arrivals: { at: 0s, for: 1s, constant: 1/s }
    async: ${async}
report: { interval: ${interval} }
`;

function traced(yaml: string): { events: TraceEvent[]; w: AsyncWorkloadResult } {
  const events: TraceEvent[] = [];
  const r = simulate(parseScenario(yaml, 'sources.yaml'), { trace: (e) => events.push(e) });
  return { events, w: r.workloads[0] as AsyncWorkloadResult };
}

/** The times of the source's delivery attempts: the first, then one per `source-retry` (at its time + delay). */
function attemptTimes(events: TraceEvent[]): number[] {
  const first = events.find((e) => e.type === 'arrival')!.tMs;
  return [first, ...events.filter((e) => e.type === 'source-retry').map((e) => e.tMs + e.delayMs!)];
}

describe('the source blocks: defaults with their sources', () => {
  const delivery = (async: string) => {
    const w = parseScenario(oneEvent(async), 'd.yaml').workloads[0];
    return w.invoke === 'async' ? w.async.delivery : undefined;
  };
  it('an unwritten block takes the defaults of docs/sources.md §4 "Event sources in front of the async queue"', () => {
    // S3: lognormal median 1 s, p99 1 min (an assumption): mu = ln(1000 ms), sigma = ln(60) / z(0.99).
    const s3 = delivery('{ source: s3 }');
    expect(s3).toMatchObject({ kind: 's3', duplicateProbability: 0, delay: { kind: 'lognormal' } });
    if (s3?.kind === 's3' && s3.delay.kind === 'lognormal') {
      expect(s3.delay.mu).toBeCloseTo(Math.log(1000), 9);
      expect(s3.delay.sigma).toBeCloseTo(Math.log(60) / 2.3263478740408408, 6);
    }
    expect(delivery('{ source: sns }')).toEqual({ kind: 'sns', deliveryErrorProbability: 0, retryJitter: 0, deadLetterQueue: false });
    expect(delivery('{ source: eventbridge }')).toEqual({
      kind: 'eventbridge',
      deliveryErrorProbability: 0,
      maximumRetryAttempts: 185,
      maximumEventAgeMs: 86_400_000,
      backoffInitialMs: 1000,
      backoffMaxMs: 480_000,
      retryJitter: 0,
      deadLetterQueue: false,
    });
    expect(delivery('{ source: aws-service }')).toBeNull();
  });
});

describe('SNS: the delivery policy of AWS-managed endpoints (3 immediate, 2 at 1 s, 10 backing off 1 s → 20 s, 100,000 at 20 s)', () => {
  it('gives the documented phases retry by retry', () => {
    const d = Array.from({ length: 20 }, (_, i) => snsRetryDelayMs(i + 1));
    expect(d.slice(0, 3)).toEqual([0, 0, 0]); // immediate phase
    expect(d.slice(3, 5)).toEqual([1000, 1000]); // pre-backoff: 1 s apart
    expect(d[5]).toBe(1000); // backoff from 1 s ...
    expect(d[14]).toBeCloseTo(20_000, 6); // ... to 20 s over 10 retries
    // Exponential between: a constant ratio, 20^(1/9) (the formula is the assumption stated in sources.ts).
    for (let i = 6; i <= 14; i++) expect(d[i] / d[i - 1]).toBeCloseTo(20 ** (1 / 9), 12);
    expect(d.slice(15)).toEqual([20_000, 20_000, 20_000, 20_000, 20_000]); // post-backoff: 20 s apart
    expect(SNS_MAX_RETRIES).toBe(100_015);
    expect(snsRetryDelayMs(100_015)).toBe(20_000);
    expect(snsRetryDelayMs(100_016)).toBe(-1);
  });

  it('a message Lambda always refuses: 100,016 attempts over 23 days, then the subscription DLQ', () => {
    const { events, w } = traced(oneEvent('{ source: sns, sns: { deliveryErrorProbability: 1, deadLetterQueue: true } }', '24d', '1d'));
    const t = attemptTimes(events);
    expect(t.length).toBe(100_016);
    // Immediate retries at the first attempt's instant; then 1 s, 1 s; then the backoff phase.
    expect(t.slice(0, 7)).toEqual([0, 0, 0, 0, 1000, 2000, 3000]);
    const backoff = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => 1000 * 20 ** (i / 9));
    const afterBackoff = 2000 + backoff.reduce((a, b) => a + b, 0);
    expect(t[15]).toBeCloseTo(afterBackoff, 6);
    expect(t[16] - t[15]).toBeCloseTo(20_000, 6);
    // The last of the 100,000 post-backoff retries: 2,000,000 s after the backoff phase (about 23.2 days).
    expect(t[100_015]).toBeCloseTo(afterBackoff + 100_000 * 20_000, 3);
    expect(t[100_015] / 86_400_000).toBeGreaterThan(23);
    const done = events.find((e) => e.type === 'done')!;
    expect(done).toMatchObject({ outcome: 'source-dlq', attempt: 100_016 });
    expect(done.tMs).toBe(t[100_015]);
    expect(w.sourceDelivery).toMatchObject({ kind: 'sns', events: 1, deliveryAttempts: 100_016, retries: 100_015, delivered: 0, deadLetter: 1, dropped: 0, open: 0 });
    expect(w.accepted).toBe(0); // it never reached Lambda's queue
  });

  it('without a subscription DLQ the message is discarded; a delivery that gets through is accepted by Lambda', () => {
    const dropped = traced(oneEvent('{ source: sns, sns: { deliveryErrorProbability: 1 } }', '24d', '1d')).w;
    expect(dropped.sourceDelivery).toMatchObject({ deadLetter: 0, dropped: 1 });
    const ok = traced(oneEvent('{ source: sns }')).w;
    expect(ok.sourceDelivery).toMatchObject({ deliveryAttempts: 1, retries: 0, delivered: 1 });
    expect(ok.accepted).toBe(1);
    expect(ok.succeededFirstTry).toBe(1);
  });
});

describe('EventBridge: retries with backoff up to MaximumRetryAttempts (185) and MaximumEventAgeInSeconds (24 h)', () => {
  const spec = { backoffInitialMs: 1000, backoffMaxMs: 480_000 };
  it('doubles from 1 s to its cap of 8 min (the assumed base and cap)', () => {
    expect([1, 2, 3, 9, 10, 185].map((k) => eventBridgeRetryDelayMs(spec, k))).toEqual([1000, 2000, 4000, 256_000, 480_000, 480_000]);
  });

  it('by default: 185 retries, the last 84,991 s after the event (inside 24 h), then the target DLQ', () => {
    const { events, w } = traced(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, deadLetterQueue: true } }', '2d', '1h'));
    const t = attemptTimes(events);
    expect(t.length).toBe(186);
    expect(t.slice(0, 11)).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000, 127_000, 255_000, 511_000, 991_000]);
    // 1 + 2 + ... + 256 = 511 s, then 176 retries 480 s apart.
    expect(t[185]).toBe((511 + 176 * 480) * 1000);
    expect(events.find((e) => e.type === 'done')).toMatchObject({ outcome: 'source-dlq', attempt: 186, tMs: t[185] });
    expect(w.sourceDelivery).toMatchObject({ kind: 'eventbridge', deliveryAttempts: 186, retries: 185, deadLetter: 1 });
  });

  it('maximumEventAge stops it first: with 1 h, 15 retries (the 16th would come 3,871 s after the event)', () => {
    const { events } = traced(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumEventAge: 1h } }', '2h'));
    const t = attemptTimes(events);
    expect(t.length).toBe(16);
    expect(t[15]).toBe((511 + 6 * 480) * 1000);
    expect(events.find((e) => e.type === 'done')).toMatchObject({ outcome: 'dropped', attempt: 16 });
  });

  it('maximumRetryAttempts 3: attempts at 0, 1, 3, 7 s; 0: a single attempt', () => {
    expect(attemptTimes(traced(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumRetryAttempts: 3 } }')).events)).toEqual([0, 1000, 3000, 7000]);
    expect(attemptTimes(traced(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumRetryAttempts: 0 } }')).events)).toEqual([0]);
  });

  it('jitter shortens each delay by at most its fraction', () => {
    const t = attemptTimes(traced(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumRetryAttempts: 10, retryJitter: 0.5 } }')).events);
    for (let k = 1; k < t.length; k++) {
      const full = eventBridgeRetryDelayMs(spec, k);
      expect(t[k] - t[k - 1]).toBeGreaterThanOrEqual(full * 0.5);
      expect(t[k] - t[k - 1]).toBeLessThanOrEqual(full);
    }
  });
});

describe('S3 event notifications: delay and duplicates', () => {
  const many = (s3: string, rate = '100/s') => `
duration: 10m
seed: 3
account: { concurrency: 1000 }
functions:
  f: { duration: 10ms }
workloads:
  - name: w
    function: f
    invoke: async
    arrivals: { at: 0s, for: 5m, poisson: ${rate} }
    async: { source: s3, s3: ${s3} }
`;
  const run = (yaml: string) => simulate(parseScenario(yaml, 's3.yaml')).workloads[0] as AsyncWorkloadResult;

  it('a uniform 2–10 s delay: event-to-queue quantiles of the uniform (± 2%)', () => {
    const s = run(many('{ delay: { uniform: { min: 2s, max: 10s } } }')).sourceDelivery!;
    expect(s.delivered).toBeGreaterThan(25_000);
    expect(s.delayMs.p50).toBeGreaterThan(6000 * 0.98);
    expect(s.delayMs.p50).toBeLessThan(6000 * 1.02);
    expect(s.delayMs.p90).toBeGreaterThan(9200 * 0.98);
    expect(s.delayMs.p90).toBeLessThan(9200 * 1.02);
    expect(s.delayMs.max).toBeLessThanOrEqual(10_000 * 1.001);
    expect(s.delayMs.mean).toBeGreaterThan(6000 * 0.99);
    expect(s.delayMs.mean).toBeLessThan(6000 * 1.01);
  });

  // Events arrive in the first 5 min of 10, so no delay of the tail is cut off by the end of the run.
  it('the default delay, lognormal median 1 s and p99 1 min (an assumption): p50 within 3%, p99 within 10% (3.7 sigma at 60,000 events)', () => {
    const s = run(many('{}', '200/s')).sourceDelivery!;
    // Still on its way at the end (10 min): an event of instant t ∈ [0, 5 min) whose delay exceeds 10 min − t.
    // Expected λ ∫ P(D > u) du over u ∈ [5, 10] min (about 18); the count is Poisson: within 4 of its sigmas.
    const sigma = Math.log(60) / 2.326347874040841;
    const survival = (ms: number) => 0.5 * (1 - erf(Math.log(ms / 1000) / sigma / Math.SQRT2));
    let expected = 0;
    for (let u = 300_000 + 50; u < 600_000; u += 100) expected += 0.2 * survival(u) * 100; // 200/s = 0.2 per ms
    expect(Math.abs(s.open - expected)).toBeLessThan(4 * Math.sqrt(expected));
    expect(s.delayMs.p50).toBeGreaterThan(970);
    expect(s.delayMs.p50).toBeLessThan(1030);
    expect(s.delayMs.p99).toBeGreaterThan(54_000);
    expect(s.delayMs.p99).toBeLessThan(66_000);
  });

  it('duplicateProbability 0.05: duplicates / events within 3 sigma, each copy delivered on its own', () => {
    const w = run(many('{ delay: 1s, duplicateProbability: 0.05 }'));
    const s = w.sourceDelivery!;
    const p = s.duplicates / s.events;
    const sigma = Math.sqrt((0.05 * 0.95) / s.events);
    expect(Math.abs(p - 0.05)).toBeLessThan(3 * sigma);
    // A fixed 1 s delay: every notification reaches the queue exactly 1 s after its event.
    expect(s.delayMs.p50).toBeCloseTo(1000, -1);
    expect(s.delayMs.max).toBeLessThanOrEqual(1001);
    expect(s.events + s.duplicates).toBe(s.delivered + s.open);
    expect(w.accepted).toBe(s.delivered);
    expect(s.retries).toBe(0); // S3 documents no retry policy towards Lambda
  });
});

describe('conservation: every event ends in exactly one outcome, over many seeds', () => {
  // Three sources into one function: they share its event invoke configuration (docs/sources.md §4).
  const fanIn = (seed: number) => `
duration: 3m
seed: ${seed}
functions:
  f: { duration: { exponential: 200ms }, reservedConcurrency: 5, errors: 0.2 }
workloads:
  - name: s3
    function: f
    invoke: async
    arrivals: { poisson: 8/s }
    async: { source: s3, s3: { delay: { exponential: 20s }, duplicateProbability: 0.1 }, maximumEventAge: 1m, deadLetterQueue: sqs, onFailure: sqs, duplicateProbability: 0.05 }
  - name: sns
    function: f
    invoke: async
    arrivals: { poisson: 8/s }
    async: { source: sns, sns: { deliveryErrorProbability: 0.6, deadLetterQueue: true }, maximumEventAge: 1m, deadLetterQueue: sqs, onFailure: sqs }
  - name: eb
    function: f
    invoke: async
    arrivals: { poisson: 8/s }
    async: { source: eventbridge, eventbridge: { deliveryErrorProbability: 0.5, maximumRetryAttempts: 4, retryJitter: 0.3 }, maximumEventAge: 1m, deadLetterQueue: sqs, onFailure: sqs }
`;
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i', (seed) => {
    const records: RequestRecord[] = [];
    const r = simulate(parseScenario(fanIn(seed), 'fan-in.yaml'), { onRecord: (x) => records.push(x) });
    for (const w of r.workloads as AsyncWorkloadResult[]) {
      const s = w.sourceDelivery!;
      // At the source: every event and duplicate is delivered, given up (DLQ or dropped) or still waiting.
      expect(s.events + s.duplicates).toBe(s.delivered + s.deadLetter + s.dropped + s.open);
      // Attempts: S3 delivers each notification once it is due (no retries); SNS and EventBridge try each
      // event at its instant, then once per retry.
      if (s.kind === 's3') expect([s.deliveryAttempts, s.retries]).toEqual([s.delivered, 0]);
      else expect(s.deliveryAttempts - s.retries).toBe(s.events);
      // In Lambda's queue: what the source delivered, and the queue's own conservation.
      expect(w.accepted).toBe(s.delivered);
      const ok = w.succeededFirstTry + w.succeededAfterRetry;
      expect(w.accepted + w.duplicates).toBe(ok + w.failed.total + w.dropped.total + w.openAtEnd.total);
      // One record per request, each id once: events + S3's duplicates + Lambda's own duplicates.
      const mine = records.filter((x) => x.workload === w.name);
      expect(mine.length).toBe(s.events + s.duplicates + w.duplicates);
      expect(new Set(mine.map((x) => x.request)).size).toBe(mine.length);
      expect(mine.filter((x) => x.target === 'source-dlq').length).toBe(s.deadLetter);
    }
    const [s3, sns, eb] = r.workloads as AsyncWorkloadResult[];
    expect(s3.sourceDelivery!.duplicates).toBeGreaterThan(0);
    expect(sns.sourceDelivery!.retries).toBeGreaterThan(0);
    expect(eb.sourceDelivery!.dropped).toBeGreaterThan(0); // 0.5^5 of its events
  });
});

describe('determinism: a source adds its own streams and moves no other draw', () => {
  const base = `
duration: 5m
seed: 11
functions:
  a: { duration: { lognormal: { median: 100ms, p99: 1s } } }
  b: { duration: 50ms }
workloads:
  - name: api
    function: a
    arrivals: { poisson: 20/s }
`;
  const withSource = (source: string) => `${base}  - name: events
    function: b
    invoke: async
    arrivals: { poisson: 5/s }
    async: ${source}
`;
  it('the sync workload is the same whichever source the async one has', () => {
    const api = (y: string) => JSON.stringify(simulate(parseScenario(y, 'd.yaml')).workloads[0]);
    const ref = api(withSource('{ source: aws-service }'));
    expect(api(withSource('{ source: s3, s3: { duplicateProbability: 0.2 } }'))).toBe(ref);
    expect(api(withSource('{ source: sns, sns: { deliveryErrorProbability: 0.5, retryJitter: 0.5 } }'))).toBe(ref);
    expect(api(withSource('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 0.5 } }'))).toBe(ref);
  });
  it('same scenario and seed: the same result, byte for byte', () => {
    const y = withSource('{ source: sns, sns: { deliveryErrorProbability: 0.3, retryJitter: 0.2 } }');
    expect(JSON.stringify(simulate(parseScenario(y, 'd.yaml')))).toBe(JSON.stringify(simulate(parseScenario(y, 'd.yaml'))));
  });
});

describe('lsim explain follows an event from its source', () => {
  it('an EventBridge event refused three times: each retry, then the target DLQ, timed from the event', () => {
    const text = explainText(parseScenario(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumRetryAttempts: 2, deadLetterQueue: true } }'), 'x.yaml'), 1);
    expect(text).toContain('the event happens at EventBridge, which invokes the function asynchronously');
    expect(text.replace(/\s+/g, ' ')).toContain('EventBridge tries again in 1.00 s (delivery attempt 2)');
    expect(text.replace(/\s+/g, ' ')).toContain('EventBridge tries again in 2.00 s (delivery attempt 3)');
    // The explain text wraps long lines: compare with the whitespace folded.
    expect(text.replace(/\s+/g, ' ')).toContain('EventBridge gives up after 3 delivery attempts: to its own dead-letter queue (SQS), never reaching Lambda');
    expect(text).toContain('= source-dlq (source-retries-exhausted) after 3.00 s from the event');
  });
  it('an S3 notification: its delay, then the queue and the invocation', () => {
    const text = explainText(parseScenario(oneEvent('{ source: s3, s3: { delay: 4s } }'), 'x.yaml'), 1);
    expect(text).toContain('S3 delivers its notification in 4.00 s');
    expect(text).toMatch(/4\.000000 s {2}S3's delivery is accepted \(202\) into the async queue/);
    expect(text).toMatch(/= ok after 4\.\d+ s from the event/);
  });
});

describe('pipelines (issue 16): a function output delivered through an event source', () => {
  const pipe = (async: string) => `
duration: 5m
seed: 4
functions:
  api: { duration: 20ms, outputs: [{ to: events, count: 2 }] }
  worker: { duration: 50ms }
workloads:
  - name: web
    function: api
    arrivals: { poisson: 20/s }
  - name: events
    function: worker
    invoke: async
    async: ${async}
`;
  it("EventBridge always refused: every item ends in the target's DLQ, none reaches Lambda", () => {
    const r = simulate(parseScenario(pipe('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 1, maximumRetryAttempts: 2, deadLetterQueue: true } }'), 'p.yaml'));
    const w = r.workloads[1] as AsyncWorkloadResult;
    const stage = r.pipelines![0].stages[1];
    expect(w.accepted).toBe(0);
    expect(stage.entered).toBe(w.sourceDelivery!.events);
    expect(stage.dlq).toBe(w.sourceDelivery!.deadLetter);
    expect(stage.entered).toBe(stage.dlq + stage.inFlight);
    expect(r.pipelines![0].requests.finished).toBe(0);
  });
  it("S3's duplicates are copies of the item: entered = events + duplicates, each done once delivered and run", () => {
    const r = simulate(parseScenario(pipe('{ source: s3, s3: { delay: 2s, duplicateProbability: 0.2 } }'), 'p.yaml'));
    const s = (r.workloads[1] as AsyncWorkloadResult).sourceDelivery!;
    const stage = r.pipelines![0].stages[1];
    expect(stage.entered).toBe(s.events + s.duplicates);
    expect(stage.entered).toBe(stage.done + stage.inFlight + stage.dlq + stage.dropped);
    expect(stage.latencyMs.p50).toBeGreaterThan(2000); // the 2 s notification delay is part of the stage's latency
  });
});

describe('the work estimate counts a source\'s retries and duplicates (issue 22 item 6)', () => {
  it('expected attempts per event: geometric, at most the policy\'s or the run\'s', () => {
    const eb = { kind: 'eventbridge', deliveryErrorProbability: 0.5, maximumRetryAttempts: 185, maximumEventAgeMs: 86_400_000, backoffInitialMs: 1000, backoffMaxMs: 480_000, retryJitter: 0, deadLetterQueue: false } as const;
    expect(sourceEventsPerEvent(eb, 3_600_000)).toBeCloseTo(2, 12); // 1 + 1/2 + 1/4 + …
    expect(sourceEventsPerEvent({ ...eb, deliveryErrorProbability: 1 }, 3_600_000)).toBe(186);
    // SNS always refused over an hour: 16 attempts in the first phases, then one per 20 s.
    expect(sourceEventsPerEvent({ kind: 'sns', deliveryErrorProbability: 1, retryJitter: 0, deadLetterQueue: false }, 3_600_000)).toBe(16 + 180);
    expect(sourceEventsPerEvent({ kind: 's3', delay: { kind: 'fixed', valueMs: 0 }, duplicateProbability: 0.25 }, 1)).toBe(1.25);
    const sc = parseScenario(oneEvent('{ source: eventbridge, eventbridge: { deliveryErrorProbability: 0.5 } }'), 'e.yaml');
    expect(estimateWork(sc).requests).toBeCloseTo(2, 9); // one event, two attempts expected
  });
});
