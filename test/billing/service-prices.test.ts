// The rest of the bill (docs/billing.md "The rest of the bill", docs/sources.md §15): one test per line
// item whose number would be wrong with a wrong unit (per million vs per thousand vs per unit, per hour,
// per GB, 64 KB / 25 KB / 512 KB chunks), the tiers, the free pools, the zero lines that say why,
// and the prices lsim could not confirm.
import { describe, expect, it } from 'vitest';
import {
  CHUNK_64KB,
  HTTP_API_INCREMENT_BYTES,
  PUT_PAYLOAD_UNIT_BYTES,
  SERVICE_BOOK_US_EAST_1,
  SERVICE_ITEMS,
  chunks,
  serviceBookForRegion,
  serviceLines,
  withServicePrices,
  type ServiceQuantities,
} from '../../src/billing/service-prices.js';
import { PRICED_REGIONS } from '../../src/billing/pricebook.js';
import { UserError } from '../../src/errors.js';

const book = SERVICE_BOOK_US_EAST_1;
/** The single line of `q`, priced in us-east-1. */
function line(q: ServiceQuantities, free = false) {
  const lines = serviceLines(q, book, { free });
  expect(lines).toHaveLength(1);
  return lines[0];
}
const cents = (x: number) => Math.round(x * 100) / 100;

describe('chunks: a payload is billed per started chunk, at least one', () => {
  it('SQS, SNS, EventBridge: 64 KB; a 256 KB payload is 4 requests (§15 [SQS-PRICE])', () => {
    expect(chunks(0, CHUNK_64KB)).toBe(1);
    expect(chunks(1, CHUNK_64KB)).toBe(1);
    expect(chunks(65_536, CHUNK_64KB)).toBe(1);
    expect(chunks(65_537, CHUNK_64KB)).toBe(2);
    expect(chunks(256 * 1024, CHUNK_64KB)).toBe(4);
  });

  it("Kinesis PUT payload units: 25 KB; AWS's 5 KB → 1, 45 KB → 2, 1 MB → 40 (§15 [KDS-PRICE])", () => {
    expect(chunks(5 * 1024, PUT_PAYLOAD_UNIT_BYTES)).toBe(1);
    expect(chunks(45 * 1024, PUT_PAYLOAD_UNIT_BYTES)).toBe(2);
    expect(chunks(1024 * 1024, PUT_PAYLOAD_UNIT_BYTES)).toBe(41); // 1 MiB = 40.96 × 25 KiB; AWS's "40" counts 1 MB as 1,000 KB
    expect(chunks(1000 * 1024, PUT_PAYLOAD_UNIT_BYTES)).toBe(40);
  });

  it('API Gateway HTTP APIs: 512 KB increments', () => {
    expect(chunks(512 * 1024, HTTP_API_INCREMENT_BYTES)).toBe(1);
    expect(chunks(512 * 1024 + 1, HTTP_API_INCREMENT_BYTES)).toBe(2);
  });
});

describe('one line per item, its unit and its price (us-east-1, read 2026-12-02)', () => {
  it('SQS standard: $0.40 per million, 1 M free: 3 M requests cost $0.80', () => {
    const l = line({ sqsStandardRequests: 3e6 }, true);
    expect(l.freeQuantity).toBe(1e6);
    expect(l.usd).toBeCloseTo(0.8, 12);
    expect(line({ sqsStandardRequests: 3e6 }).usd).toBeCloseTo(1.2, 12);
  });

  it('SQS standard tiers: 150 B requests = 100 B × $0.40/M + 50 B × $0.30/M = $55,000', () => {
    expect(line({ sqsStandardRequests: 150e9 }).usd).toBeCloseTo(55_000, 6);
    expect(line({ sqsStandardRequests: 250e9 }).usd).toBeCloseTo(40_000 + 30_000 + 12_000, 6);
  });

  it('SQS FIFO: $0.50 per million; the 1 M free requests are shared with standard queues in proportion', () => {
    expect(line({ sqsFifoRequests: 2e6 }).usd).toBeCloseTo(1, 12);
    const [std, fifo] = serviceLines({ sqsStandardRequests: 3e6, sqsFifoRequests: 1e6 }, book, { free: true });
    expect(std.freeQuantity).toBeCloseTo(750_000, 6);
    expect(fifo.freeQuantity).toBeCloseTo(250_000, 6);
    expect(std.usd + fifo.usd).toBeCloseTo(2.25 * 0.4 + 0.75 * 0.5, 12);
  });

  it('Kinesis provisioned: $0.015 per shard-hour (10 shards × 730 h = $109.50), $0.014 per million PUT payload units', () => {
    expect(line({ kinesisShardHours: 7300 }).usd).toBeCloseTo(109.5, 9);
    expect(line({ kinesisPutPayloadUnits: 26.28e9 }).usd).toBeCloseTo(367.92, 9);
  });

  it('Kinesis enhanced fan-out: $0.015 per consumer-shard-hour', () => {
    expect(line({ kinesisEfoConsumerShardHours: 2 * 4 * 744 }).usd).toBeCloseTo(0.015 * 5952, 9);
  });

  it('DynamoDB Streams reads by a Lambda trigger: a $0 line that says why', () => {
    const l = line({ dynamodbStreamsLambdaReads: 1e7 });
    expect(l.usd).toBe(0);
    expect(l.price).toBe('free');
    expect(l.note).toMatch(/Lambda triggers/);
  });

  it('API Gateway REST: $3.50/M to 333 M, $2.80/M to 1 B: 1 B requests cost $3,033.10', () => {
    expect(line({ apigwRestRequests: 1e6 }).usd).toBeCloseTo(3.5, 12);
    expect(line({ apigwRestRequests: 1e9 }).usd).toBeCloseTo(333 * 3.5 + 667 * 2.8, 6);
  });

  it('API Gateway HTTP: $1.00/M to 300 M, $0.90 above; no free tier applied (12 months, new accounts only)', () => {
    expect(line({ apigwHttpRequests: 400e6 }, true).usd).toBeCloseTo(300 + 90, 9);
  });

  it('function URLs: no charge beyond Lambda', () => {
    const l = line({ functionUrlRequests: 5e6 });
    expect(l.usd).toBe(0);
    expect(l.note).toMatch(/Lambda invocation/);
  });

  it('SNS: $0.50 per million publishes, 1 M free; deliveries to Lambda free', () => {
    expect(line({ snsPublishes: 3e6 }, true).usd).toBeCloseTo(1, 12);
    expect(line({ snsLambdaDeliveries: 3e6 }, true).usd).toBe(0);
  });

  it('EventBridge: $1.00 per million custom events', () => {
    expect(line({ eventbridgeCustomEvents: 5e6 }, true).usd).toBeCloseTo(5, 12);
  });

  it('Step Functions: $0.025 per 1,000 transitions, 4,000 free: 4 transitions × 100,000 runs = $9.90', () => {
    expect(cents(line({ stepFunctionsTransitions: 400_000 }, true).usd)).toBe(9.9);
  });

  it('CloudWatch Logs (Lambda): $0.50 per GB to 10 TB, then $0.25; 5 GB free', () => {
    expect(line({ logsIngestedGb: 10 }, true).usd).toBeCloseTo(2.5, 12);
    expect(line({ logsIngestedGb: 20 * 1024 }).usd).toBeCloseTo(10 * 1024 * 0.5 + 10 * 1024 * 0.25, 9);
  });

  it('data transfer out: $0.09 per GB, 100 GB free', () => {
    expect(line({ dataTransferOutGb: 200 }, true).usd).toBeCloseTo(9, 12);
  });
});

describe('prices lsim could not confirm, and given prices', () => {
  it('on-demand Kinesis is refused with the key that gives its price', () => {
    expect(() => serviceLines({ kinesisOnDemandStreamHours: 744 }, book, { free: true })).toThrow(/billing\.servicePrices\.kinesisOnDemandStreamHours \(USD per stream-hour\)/);
    const given = withServicePrices(book, { kinesisOnDemandStreamHours: 0.04 });
    const [l] = serviceLines({ kinesisOnDemandStreamHours: 744 }, given, { free: true });
    expect(l.usd).toBeCloseTo(29.76, 12);
    expect(l.source).toMatch(/given/);
  });

  it('a given price is checked: unknown item, negative or non-numeric', () => {
    try {
      withServicePrices(book, { sqsRequests: 1, snsPublishes: -1, eventbridgeCustomEvents: 'one' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).problems.map((p) => p.path)).toEqual(['sqsRequests', 'snsPublishes', 'eventbridgeCustomEvents']);
    }
  });

  it('every Region with a Lambda book has a service book: Step Functions from its table, the free lines, the rest unconfirmed', () => {
    for (const region of PRICED_REGIONS) expect(serviceBookForRegion(region)?.region).toBe(region);
    const mumbai = serviceBookForRegion('ap-south-1')!;
    expect(serviceLines({ stepFunctionsTransitions: 1_004_000 }, mumbai, { free: true })[0].usd).toBeCloseTo(28.5, 9);
    expect(serviceLines({ dynamodbStreamsLambdaReads: 10 }, mumbai, { free: true })[0].usd).toBe(0);
    expect(() => serviceLines({ sqsStandardRequests: 10 }, mumbai, { free: true })).toThrow(/not confirmed|no confirmed/);
    expect(serviceBookForRegion('af-south-1')).toBeUndefined();
  });

  it('every us-east-1 item has a source, and a null price only where §15 says the sources disagree', () => {
    for (const item of SERVICE_ITEMS) {
      const p = book.prices[item];
      expect(p.source).toMatch(/§15/);
      if (p.tiers === null) expect(p.source).toMatch(/not confirmed/);
    }
  });
});
