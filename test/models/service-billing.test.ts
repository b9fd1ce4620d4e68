// Models bill what they measure (RunContext.billService; docs/billing.md "The rest of the bill"): the SQS
// mapping's sends, receives and deletes by 64 KB chunk and its idle pollers' empty receives, the stream's
// shard-hours and PUT payload units (or on-demand stream-hours and GB), DynamoDB Streams' free reads, and
// CloudWatch Logs from `logsPerInvocation`. Closed forms, fixed seeds; each count would differ with a
// wrong chunk, a wrong per-call size or a wrong hour.
import { describe, expect, it } from 'vitest';
import { runSqs, scenario } from './sqs-helpers.js';
import { streamYaml } from './stream-harness.js';
import { runAny } from '../helpers/run.js';
import type { Result } from '../../src/sim/result.js';

const FN = 'duration: 10ms, timeout: 10s, init: 0ms';
const line = (r: Result, item: string) => r.account.cost.bill.services.find((l) => l.item === item);

describe('SQS requests, billed by the mapping', () => {
  it('a 200 KB message is 4 requests to send, 4 to receive alone, and 1 delete', () => {
    // One message a second, each received alone (the 10 ms handler is done long before the next send).
    const { q, r } = runSqs(scenario({ fn: FN, sqs: 'messageSize: 200KB', arrivals: '{ constant: 1/s }', duration: '10m' }));
    expect(q.batches.size.max).toBe(1);
    expect(q.messages.sent).toBe(600);
    expect(q.requests.sends).toBe(600 * 4); // ⌈204,800 / 65,536⌉ = 4
    expect(q.requests.receives).toBe(q.batches.invoked * 4);
    expect(q.requests.deletes).toBe(q.messages.deleted);
    // The month is the 10-minute window × 4,464 (31 days); 1 M requests are free, the rest $0.40 per million.
    const l = line(r, 'sqsStandardRequests')!;
    expect(Math.abs(l.quantity / (q.requests.total * 4464) - 1)).toBeLessThan(1e-8); // both rounded (9 digits, 3 decimals)
    expect(l.usd).toBeCloseTo(((q.requests.total * 4464 - 1e6) * 0.4) / 1e6, 6);
    expect(l.by).toEqual(['q']);
    expect(r.account.cost.bill.monthlyUsd).toBeCloseTo(r.account.cost.monthly.total + l.usd, 6);
  });

  it('receives are ReceiveMessage calls of at most 10 messages; deletes DeleteMessageBatch calls of at most 10', () => {
    // 25 messages at once, batch size 25 with a 1 s window: one batch of 25 = 3 receives (10 + 10 + 5 of 1 KB), 3 deletes.
    const { q } = runSqs(scenario({ fn: FN, sqs: 'batchSize: 25, maximumBatchingWindow: 1s, messageSize: 1KB', arrivals: '{ constant: 1000/s, for: 25ms }', duration: '1m' }));
    expect(q.batches.invoked).toBe(1);
    expect(q.batches.size.max).toBe(25);
    expect(q.requests.sends).toBe(25);
    expect(q.requests.receives).toBe(3);
    expect(q.requests.deletes).toBe(3);
  });

  it('a receive of 10 messages of 10 KB is ⌈100 KB / 64 KB⌉ = 2 requests', () => {
    const { q } = runSqs(scenario({ fn: FN, sqs: 'batchSize: 10, maximumBatchingWindow: 1s, messageSize: 10KB', arrivals: '{ constant: 1000/s, for: 10ms }', duration: '1m' }));
    expect(q.batches.invoked).toBe(1);
    expect(q.requests.receives).toBe(2);
    expect(q.requests.deletes).toBe(1);
  });

  it('idle pollers make one empty receive each per 20 s: at the floor of 2, 2 × 3,600 / 20 = 360 an hour, plus the first minutes above it', () => {
    // One message at t = 0, then an idle hour. The mapping starts at 5 and shrinks by one per 200 ms step to 2.
    const { q } = runSqs(scenario({ fn: FN, sqs: '', arrivals: '{ constant: 1/s, for: 1ms }', duration: '1h' }));
    // Idle poller-ms: 5 slots from 0 less the one busy batch, stepping down to 2 within a second: ≈ 2 × 3,600 s + ~1.2 s.
    expect(q.requests.emptyReceives).toBeGreaterThan(360);
    expect(q.requests.emptyReceives).toBeLessThan(360 + 1);
    // With emptyReceiveEvery 10s the same idle hour makes twice as many.
    const { q: q10 } = runSqs(scenario({ fn: FN, sqs: 'emptyReceiveEvery: 10s', arrivals: '{ constant: 1/s, for: 1ms }', duration: '1h' }));
    expect(q10.requests.emptyReceives).toBeCloseTo(2 * q.requests.emptyReceives, 2); // each rounded to 3 decimals
  });

  it('a FIFO queue bills at the FIFO price', () => {
    const { r } = runSqs(scenario({ fn: FN, sqs: 'fifo: true', arrivals: '{ constant: 10/s }', duration: '10m' }));
    expect(line(r, 'sqsFifoRequests')).toBeDefined();
    expect(line(r, 'sqsStandardRequests')).toBeUndefined();
  });
});

describe('streams, billed by the mapping', () => {
  it('provisioned Kinesis: shards × the month\'s hours, and a PUT payload unit per started 25 KB of each record', () => {
    // 3 shards over a 1-minute window that stands for a 31-day month: 3 × 744 shard-hours = $33.48.
    const r = runAny(streamYaml({ stream: '{ shards: 3, recordSize: 30KB }', arrivals: '{ constant: 100/s }', duration: '1m' }));
    const hours = line(r, 'kinesisShardHours')!;
    expect(hours.quantity).toBeCloseTo(3 * 744, 6);
    expect(hours.usd).toBeCloseTo(3 * 744 * 0.015, 9);
    // 6,000 records in the minute × 44,640 minutes, 2 units each (30 KB > 25 KB).
    const units = line(r, 'kinesisPutPayloadUnits')!;
    expect(units.quantity).toBeCloseTo(6000 * 44_640 * 2, 0);
    expect(units.usd).toBeCloseTo((6000 * 44_640 * 2 * 0.014) / 1e6, 6);
  });

  it('on-demand Kinesis needs its prices; given, it bills stream-hours and GB in (1 KB per started KB) and out', () => {
    const yaml = streamYaml({ stream: '{ capacityMode: on-demand, shards: 2, recordSize: 1.5KB }', arrivals: '{ constant: 100/s }', duration: '1m' });
    expect(() => runAny(yaml)).toThrow(/capacityMode: the us-east-1-services-2026 service prices have no confirmed .*billing\.servicePrices\.kinesisOnDemandStreamHours/);
    const priced = `${yaml}billing:\n  servicePrices: { kinesisOnDemandStreamHours: 0.04, kinesisOnDemandGbIn: 0.08, kinesisOnDemandGbOut: 0.04 }\n`;
    const r = runAny(priced);
    expect(line(r, 'kinesisOnDemandStreamHours')!.quantity).toBeCloseTo(744, 6); // one stream, whatever its shards
    expect(line(r, 'kinesisOnDemandGbIn')!.quantity).toBeCloseTo((6000 * 44_640 * 2) / 2 ** 20, 6); // 1.5 KB → 2 KB
    expect(line(r, 'kinesisOnDemandGbOut')!.quantity).toBeGreaterThan(0);
  });

  it('DynamoDB Streams: the trigger\'s GetRecords (4 per shard per second) on a $0 line that says why', () => {
    const r = runAny(streamYaml({ stream: '{ source: dynamodb, shards: 2 }', arrivals: '{ constant: 10/s }', duration: '1m' }));
    const reads = line(r, 'dynamodbStreamsLambdaReads')!;
    expect(reads.quantity).toBeCloseTo(2 * 4 * 31 * 86_400, 3);
    expect(reads.usd).toBe(0);
    expect(reads.note).toMatch(/free/);
    expect(r.account.cost.bill.servicesMonthlyUsd).toBe(0);
  });
});

describe("the services' quantities are weighed into the month like Lambda's", () => {
  it('records written only in a burst that happens 2/day of a 30-day month: 60 × the burst, not window × N', () => {
    // 1,200 records (10/s for 2 min) in the burst part; none in the rest of the 10-minute window.
    const yaml =
      streamYaml({ stream: '{ shards: 2, recordSize: 30KB }', arrivals: '{ constant: 10/s, at: 2m, for: 2m }', duration: '10m' }) +
      'billing:\n  month: { days: 30, parts: [ { name: burst, at: 2m, for: 2m, times: 2/day } ] }\n';
    const r = runAny(yaml);
    expect(line(r, 'kinesisPutPayloadUnits')!.quantity).toBeCloseTo(1200 * 60 * 2, 6);
    // The shards are there all month, whatever the parts: 2 × 720 h.
    expect(line(r, 'kinesisShardHours')!.quantity).toBeCloseTo(2 * 720, 6);
    // The window is priced as it is, without the month's weights.
    expect(r.account.cost.bill.windowUsd).toBeCloseTo(r.account.cost.window.total + (2 * 10 * 0.015) / 60 + (1200 * 2 * 0.014) / 1e6, 6);
  });
});

describe('CloudWatch Logs from what each invocation logs', () => {
  it('logsPerInvocation × invocations, in GB, 5 GB free', () => {
    const yaml = `
name: logs
duration: 10m
functions:
  api: { duration: 10ms, init: 0ms, logsPerInvocation: 2KB }
workloads:
  - function: api
    arrivals: { constant: 10/s }
`;
    const r = runAny(yaml);
    const logs = line(r, 'logsIngestedGb')!;
    const gb = (r.account.invocations * 4464 * 2048) / 2 ** 30;
    expect(logs.quantity).toBeCloseTo(gb, 6);
    expect(logs.usd).toBeCloseTo((gb - 5) * 0.5, 6);
    expect(logs.by).toEqual(['function api']);
  });
});

describe('front doors and event sources bill their requests', () => {
  const fn = `functions:\n  api: { duration: 10ms, init: 0ms }\n`;
  it('an API Gateway REST door bills each request it received, at $3.50 per million; a function URL a $0 line', () => {
    const yaml = `name: doors\nduration: 10m\n${fn}workloads:\n  - { name: rest, function: api, arrivals: { constant: 10/s }, via: apigw-rest }\n  - { name: url, function: api, arrivals: { constant: 10/s }, via: function-url }\n`;
    const r = runAny(yaml);
    const rest = r.workloads.find((w) => w.name === 'rest') as unknown as { frontDoor: { doorRequests: number } };
    const l = line(r, 'apigwRestRequests')!;
    expect(l.quantity).toBeCloseTo(rest.frontDoor.doorRequests * 4464, 3);
    expect(l.usd).toBeCloseTo((rest.frontDoor.doorRequests * 4464 * 3.5) / 1e6, 6);
    expect(l.by).toEqual(['rest']);
    expect(line(r, 'functionUrlRequests')!.usd).toBe(0);
  });

  it('an SNS source bills its publishes (1 M free) and its deliveries to Lambda at $0; EventBridge its events', () => {
    const yaml = `name: sources\nduration: 10m\n${fn}workloads:\n  - { name: topic, function: api, invoke: async, arrivals: { constant: 10/s }, async: { source: sns } }\n  - { name: bus, function: api, invoke: async, arrivals: { constant: 10/s }, async: { source: eventbridge, payloadSize: 100KB } }\n`;
    const r = runAny(yaml);
    const publishes = line(r, 'snsPublishes')!;
    expect(publishes.quantity).toBeCloseTo(6000 * 4464, 3); // 10/s × 600 s, one 64 KB chunk each (the default size)
    expect(publishes.usd).toBeCloseTo(((6000 * 4464 - 1e6) * 0.5) / 1e6, 6);
    expect(line(r, 'snsLambdaDeliveries')!.usd).toBe(0);
    const events = line(r, 'eventbridgeCustomEvents')!;
    expect(events.quantity).toBeCloseTo(6000 * 4464 * 2, 3); // 100 KB: two 64 KB chunks
    expect(events.usd).toBeCloseTo((6000 * 4464 * 2 * 1) / 1e6, 6);
  });
});
