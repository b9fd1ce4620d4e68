// `lsim price`: every AWS worked example of docs/sources.md §12 reproduced to the cent from the
// command line, traffic typed the way the Pricing Calculator takes it, Regions, the items the
// price book prices (pollers, SnapStart, tenant isolation, Lambda@Edge, async payloads, the
// streaming allowance), and the arithmetic slips of issue 17 item 5.
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import type { CostReport } from '../../src/billing/cost.js';
import type { PricedMonth } from '../../src/cli/price.js';

async function price(...args: string[]): Promise<PricedMonth> {
  const r = await cli(['price', ...args, '--format', 'json']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as PricedMonth;
}

/**
 * Every line AWS publishes within a cent, the others zero, the total within a cent, and the total the
 * way AWS adds it (the line items rounded to the cent) exactly.
 */
function expectBill(r: PricedMonth, published: Partial<CostReport['lines']> & { total: number }): void {
  for (const [item, usd] of Object.entries(r.lines)) {
    expect(Math.abs(usd - (published[item as keyof CostReport['lines']] ?? 0)), `${item}: ${usd}`).toBeLessThanOrEqual(0.01);
  }
  expect(Math.abs(r.totalUsd - published.total)).toBeLessThanOrEqual(0.01);
  expect(r.bill.roundedLinesUsd).toBe(published.total);
}

describe("AWS's worked examples (docs/sources.md §12) by lsim price", () => {
  it('A1 mobile backend: $2.33 + $0.40 = $2.73', async () => {
    expectBill(await price('--requests', '3M', '--duration', '120ms', '--memory', '1536MB'), { duration: 2.33, requests: 0.4, total: 2.73 });
  });

  it('A3 BERT with 2 GB of ephemeral storage: $105.33 + $1 + $0.08 = $106.41', async () => {
    const r = await price('--requests', '6M', '--duration', '280ms', '--memory', '4096MB', '--storage', '2048MB');
    expectBill(r, { duration: 105.33, requests: 1, ephemeralStorage: 0.08, total: 106.41 });
  });

  it('B1 PC launch (free tier for the PC function, as AWS applies it): $18 + $0.40 + $0.73 + $0.83 = $19.96', async () => {
    const r = await price('--requests', '3M', '--duration', '120ms', '--memory', '1536MB', '--pc', '100', '--pc-hours', '8', '--pc-requests', '500k', '--pc-duration', '100ms', '--free-tier-pc');
    expectBill(r, { provisionedConcurrency: 18, requests: 0.4, provisionedDuration: 0.73, duration: 0.83, total: 19.96 });
  });

  it('D1 streaming, the 100 GB allowance used up: $30.83 + $0.40 + $7.81 = $39.04', async () => {
    const r = await price('--requests', '3M', '--duration', '500ms', '--memory', '1536MB', '--streamed-gb', '976.5625');
    expectBill(r, { duration: 30.83, requests: 0.4, streaming: 7.81, total: 39.04 });
    // Unrounded the lines add to 39.045895; the text says both.
    const text = (await cli(['price', '--requests', '3M', '--duration', '500ms', '--memory', '1536MB', '--streamed-gb', '976.5625'])).stdout;
    expect(text).toMatch(/total +\$39\.05\n/);
    expect(text).toMatch(/AWS's worked examples add the line items rounded to the cent: \$39\.04/);
  });

  it('G1 the 100 ms era: $18.34 + $0.40 = $18.74', async () => {
    const r = await price('--requests', '3M', '--duration', '1s', '--memory', '512MB', '--price-book', 'legacy-100ms');
    expectBill(r, { duration: 18.34, requests: 0.4, total: 18.74 });
  });

  it('H: 2 M invocations a day for 30 days of 28 ms at 1 GB, no free tier: $112 at 100 ms, $40 at 1 ms', async () => {
    const h = ['--requests', '2M', '--per-day', '--days', '30', '--duration', '28ms', '--memory', '1GB', '--no-free-tier'];
    expectBill(await price(...h, '--granularity', '100ms'), { duration: 100, requests: 12, total: 112 });
    expectBill(await price(...h, '--granularity', '1ms'), { duration: 28, requests: 12, total: 40 });
  });
});

describe('traffic as the Pricing Calculator takes it', () => {
  it('--rate 100/s over a 31-day month is 267,840,000 requests; over 30 days 259,200,000', async () => {
    expect((await price('--rate', '100/s', '--duration', '10ms')).functions[0].quantities.invocations).toBe(267_840_000);
    expect((await price('--rate', '6000/min', '--days', '30', '--duration', '10ms')).functions[0].quantities.invocations).toBe(259_200_000);
  });

  it('--requests 100k --per-day is 3.1 M in a 31-day month; the text says which month', async () => {
    expect((await price('--requests', '100k', '--per-day', '--duration', '10ms')).functions[0].quantities.invocations).toBe(3_100_000);
    const text = await cli(['price', '--requests', '1M', '--duration', '10ms', '--days', '28']);
    expect(text.stdout).toMatch(/^Monthly cost \(us-east-1-2026, 2026-01-01; month = 28 days\)/);
  });

  it('the traffic once: neither or both of --requests and --rate, and a bad month, exit 2', async () => {
    expect((await cli(['price', '--duration', '10ms'])).stderr).toMatch(/--requests: give the traffic once/);
    expect((await cli(['price', '--requests', '1M', '--rate', '1/s', '--duration', '10ms'])).code).toBe(2);
    const days = await cli(['price', '--requests', '1M', '--duration', '10ms', '--days', '32']);
    expect(days).toMatchObject({ code: 2, stderr: 'lsim: --days: a month has 28 to 31 days, got 32\n' });
  });
});

describe('Regions (docs/sources.md §7 "Prices by Region")', () => {
  it('--region eu-west-1 prices requests and duration as us-east-1 does, from its own book', async () => {
    const eu = await price('--requests', '3M', '--duration', '120ms', '--memory', '1536MB', '--region', 'eu-west-1');
    expect(eu.priceBook).toMatchObject({ name: 'eu-west-1-2026', region: 'eu-west-1' });
    expectBill(eu, { duration: 2.33, requests: 0.4, total: 2.73 });
  });

  it('a price not confirmed for the Region, an unknown Region and a book of another Region: exit 2, saying so', async () => {
    const pc = await cli(['price', '--requests', '3M', '--duration', '120ms', '--region', 'sa-east-1', '--pc', '10', '--pc-hours', '744']);
    expect(pc.code).toBe(2);
    expect(pc.stderr).toMatch(/sa-east-1-2026 price book has no confirmed provisioned concurrency price for sa-east-1 \(docs\/sources\.md §7 "Prices by Region"\)/);
    const unknown = await cli(['price', '--requests', '3M', '--duration', '120ms', '--region', 'mars-1']);
    expect(unknown.stderr).toMatch(/^lsim: --region: lsim has no prices for mars-1; the Regions with a price book are us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, ap-southeast-1, ap-northeast-1, ap-south-1, sa-east-1\n$/);
    const mismatch = await cli(['price', '--requests', '3M', '--duration', '120ms', '--region', 'eu-west-1', '--price-book', 'legacy-100ms']);
    expect(mismatch.stderr).toBe('lsim: --price-book: legacy-100ms is for us-east-1, not --region eu-west-1\n');
  });
});

describe('what the price book prices, reachable from lsim price', () => {
  it('SQS provisioned mode: 2 pollers all month = 1,488 EPU-hours × $0.00925 = $13.764', async () => {
    expect((await price('--requests', '0', '--duration', '0ms', '--sqs-epu-hours', '1488')).lines.pollers).toBeCloseTo(13.764, 9);
  });

  it('SnapStart: 1 GB cached all of a 31-day month ($4.03) and 10,000 restores ($1.40)', async () => {
    // 2,678,400 GB-s × 0.0000015046 = 4.02992064; 10,000 GB × 0.0001397998 = 1.397998.
    const r = await price('--requests', '0', '--duration', '0ms', '--memory', '1GB', '--snapstart-restores', '10k');
    expect(r.lines.snapStart).toBeCloseTo(4.02992064 + 1.397998, 9);
  });

  it('tenant isolation: 20,000 new environments of 512 MB × $0.000167 per GB = $1.67', async () => {
    expect((await price('--requests', '0', '--duration', '0ms', '--memory', '512MB', '--tenant-environments', '20k')).lines.tenantIsolation).toBeCloseTo(1.67, 12);
  });

  it('Lambda@Edge: 10 M requests of 50 ms at 128 MB = $6 + $3.13, no free tier', async () => {
    const r = await price('--requests', '10M', '--duration', '50ms', '--edge');
    expect(r.lines.edge).toBeCloseTo(6 + 62_500 * 0.00005001, 9);
    expect(r.lines.requests + r.lines.duration).toBe(0);
  });

  it('async payloads of 300 KB: each is 2 requests (256 KB + one 64 KB chunk); 1 MB is 13', async () => {
    expect((await price('--requests', '1M', '--duration', '10ms', '--async-payload', '300KB', '--no-free-tier')).functions[0].quantities.billedRequests).toBe(2e6);
    expect((await price('--requests', '1M', '--duration', '10ms', '--async-payload', '1MB', '--no-free-tier')).lines.requests).toBeCloseTo(13 * 0.2, 12);
    expect((await cli(['price', '--requests', '1M', '--duration', '10ms', '--async-payload', '2MB'])).stderr).toMatch(/--async-payload: an async event is at most 1 MB/);
  });

  it('under the 100 ms era book an async event is at most 256 KB (docs/sources.md §9: 1 MB from October 2025)', async () => {
    const r = await cli(['price', '--requests', '1M', '--duration', '10ms', '--price-book', 'legacy-100ms', '--async-payload', '300KB']);
    expect(r.stderr).toBe(
      "lsim: --async-payload: an async event was at most 256 KB before October 2025 (the rule of the us-east-1-legacy-100ms price book's date, 2020-11-30; docs/sources.md §9): Invoke refused a larger one (413); got 300 KB\n",
    );
    expect(r.code).toBe(2);
    expect((await price('--requests', '1M', '--duration', '10ms', '--price-book', 'legacy-100ms', '--async-payload', '256KB', '--no-free-tier')).functions[0].quantities.billedRequests).toBe(1e6);
  });

  it('the streaming allowance: --free-streaming takes 100 GiB off', async () => {
    const r = await price('--requests', '3M', '--duration', '500ms', '--memory', '1536MB', '--streamed-gb', '976.5625', '--free-streaming');
    expect(r.lines.streaming).toBeCloseTo((976.5625 - 100) * 0.008, 9);
  });
});

describe('arithmetic slips (issue 17 item 5)', () => {
  it('--pc without --pc-hours is refused instead of billing zero hours', async () => {
    const r = await cli(['price', '--requests', '3M', '--duration', '120ms', '--pc', '10']);
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lsim: --pc-hours: is needed with provisioned concurrency: the hours it is enabled in the month (all of a 31-day month is 744)\n',
    });
    expect((await cli(['price', '--requests', '3M', '--duration', '120ms', '--pc-hours', '8'])).stderr).toMatch(/--pc-hours: needs provisioned concurrency > 0/);
    expect((await cli(['price', '--requests', '3M', '--duration', '120ms', '--pc', '1', '--pc-hours', '745'])).stderr).toMatch(/--pc-hours: is more than the 744 hours/);
  });

  it('more requests on provisioned concurrency than it can serve are refused, saying how many fit', async () => {
    // 1 environment for 1 h serves 3,600 s; 1 M requests of 1 s would keep it busy 1 M s.
    const over = ['price', '--requests', '1M', '--duration', '1s', '--pc', '1', '--pc-hours', '1', '--pc-requests', '1M', '--pc-duration', '1s'];
    expect(await cli(over)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'lsim: --pc-requests: 1000000 requests on provisioned concurrency keep it busy 1000000 s, more than 1 environment enabled 1 h can serve (3600 s): at most 3600 fit; the rest spill over, and are billed, on demand (docs/sources.md §1, §2, §7)\n',
    });
    // Exactly full is allowed.
    expect((await cli([...over.slice(0, 10), '3600', '--pc-duration', '1s'])).code).toBe(0);
  });

  it('a function the scenario loader would refuse is refused: memory, /tmp, SnapStart with PC or a large /tmp', async () => {
    const base = ['price', '--requests', '1M', '--duration', '100ms'];
    const err = async (...a: string[]) => {
      const r = await cli([...base, ...a]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      return r.stderr;
    };
    expect(await err('--memory', '64MB')).toBe('lsim: --memory: a function has 128 to 10,240 MB of memory in 1 MB steps (docs/sources.md §7), got 64 MB\n');
    expect(await err('--memory', '10241MB')).toMatch(/got 10241 MB/);
    expect(await err('--memory', '1000.5MB')).toMatch(/in 1 MB steps/);
    expect(await err('--storage', '256MB')).toMatch(/^lsim: --storage: a function has 512 to 10,240 MB of ephemeral storage/);
    expect(await err('--snapstart-restores', '10', '--pc', '1', '--pc-hours', '1')).toMatch(/SnapStart cannot be combined with provisioned concurrency/);
    expect(await err('--snapstart-restores', '10', '--storage', '1GB')).toMatch(/more than 512 MB of ephemeral storage/);
    expect((await cli([...base, '--memory', '10240MB', '--storage', '10240MB'])).code).toBe(0);
  });

  it('--no-free-requests gives a PC function no compute free tier either (the pricing page rule)', async () => {
    const b1 = ['--requests', '3M', '--duration', '120ms', '--memory', '1536MB', '--pc', '100', '--pc-hours', '8', '--pc-requests', '500k', '--pc-duration', '100ms'];
    const r = await price(...b1, '--no-free-requests');
    expect(r.freeTierUsed).toEqual({ requests: 0, gbSeconds: 0, streamedGb: 0 });
    // 450,000 on-demand GB-s all charged: 7.500015.
    expect(r.lines.duration).toBeCloseTo(7.500015, 6);
    // With --free-tier-pc the compute allowance applies and the requests stay charged.
    const pc = await price(...b1, '--no-free-requests', '--free-tier-pc');
    expect(pc.freeTierUsed.gbSeconds).toBe(400_000);
    expect(pc.lines.requests).toBeCloseTo(0.6, 12);
  });
});

describe("the rest of the bill by lsim price (docs/sources.md §15)", () => {
  async function bill(...args: string[]) {
    const r = await cli(['price', ...args, '--format', 'json']);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as CostReport & { bill: { totalUsd: number; lambdaUsd: number; servicesUsd: number; services: { item: string; quantity: number; usd: number }[] } };
  }

  it('K1, the AWS Pricing Calculator\'s Kinesis estimate: 10 shards × 730 h = $109.50, 26.28 B PUT payload units = $367.92, $477.42', async () => {
    // §15 [KDS-CALC]: 10,000 records/s of 0.5 KB, 10 shards; the calculator's month is 730 hours (2,628,000 s).
    const r = await bill('--requests', '0', '--duration', '0ms', '--kinesis-shard-hours', '7300', '--kinesis-records', '26.28B', '--kinesis-record-size', '0.5KB');
    const by = Object.fromEntries(r.bill.services.map((l) => [l.item, l]));
    expect(by.kinesisShardHours.quantity).toBe(7300);
    expect(Math.round(by.kinesisShardHours.usd * 100) / 100).toBe(109.5);
    expect(by.kinesisPutPayloadUnits.quantity).toBe(26.28e9);
    expect(Math.round(by.kinesisPutPayloadUnits.usd * 100) / 100).toBe(367.92);
    expect(Math.round(r.bill.totalUsd * 100) / 100).toBe(477.42);
    expect(r.bill.lambdaUsd).toBe(0);
  });

  it('K1 typed as shards and a rate: shards × 24 × --days hours, the rate over the month', async () => {
    // A rate is taken over the month of --days: 10,000/s × 31 days; shards × 24 × 31 hours.
    const r = await bill('--requests', '0', '--duration', '0ms', '--kinesis-shards', '10', '--kinesis-records', '10000/s', '--kinesis-record-size', '0.5KB');
    const by = Object.fromEntries(r.bill.services.map((l) => [l.item, l]));
    expect(by.kinesisShardHours.quantity).toBe(10 * 744);
    expect(by.kinesisPutPayloadUnits.quantity).toBeCloseTo(10_000 * 31 * 86_400, 3);
  });

  it('SQS: each request of a 256 KB message is 4 billed requests; the whole bill adds Lambda', async () => {
    const r = await bill('--requests', '3M', '--duration', '120ms', '--memory', '1536MB', '--sqs-requests', '10M', '--sqs-message-size', '256KB');
    const [sqs] = r.bill.services;
    expect(sqs.quantity).toBe(40e6);
    expect(sqs.usd).toBeCloseTo(39 * 0.4, 9);
    expect(Math.round(r.bill.lambdaUsd * 100) / 100).toBe(2.73); // A1
    expect(r.bill.totalUsd).toBeCloseTo(r.bill.lambdaUsd + 15.6, 9);
  });

  it('a price the book lacks is refused, naming the flag that gives it (exit 2)', async () => {
    const r = await cli(['price', '--requests', '0', '--duration', '0ms', '--kinesis-mode', 'on-demand', '--kinesis-shards', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--service-price kinesisOnDemandStreamHours=<USD per stream-hour>/);
    const given = await bill('--requests', '0', '--duration', '0ms', '--kinesis-mode', 'on-demand', '--kinesis-shards', '1', '--service-price', 'kinesisOnDemandStreamHours=0.04');
    expect(given.bill.servicesUsd).toBeCloseTo(0.04 * 744, 9);
  });
});

describe('bad flags name the flag as typed and the value given (exit 2)', () => {
  const base = ['price', '--requests', '1M', '--duration', '10ms'];
  it.each([
    [['--logs-gb=-1'], 'lsim: --logs-gb: must be a finite non-negative number, got -1\n'],
    [['--transfer-out-gb', '-2'], 'lsim: --transfer-out-gb: must be a finite non-negative number, got -2\n'],
    // Not the shard-hours made of it (-1 × 744).
    [['--kinesis-shards=-1'], 'lsim: --kinesis-shards: must be a finite non-negative number, got -1\n'],
    [['--kinesis-shard-hours', '10', '--kinesis-efo-consumers', '-1'], 'lsim: --kinesis-efo-consumers: must be a finite non-negative number, got -1\n'],
    [['--savings-plan=-5'], 'lsim: --savings-plan: is a discount in percent, from 0 to 100; got -5\n'],
    [['--savings-plan', '101'], 'lsim: --savings-plan: is a discount in percent, from 0 to 100; got 101\n'],
    // NaN was a discount of 0.
    [['--savings-plan', 'NaN'], 'lsim: --savings-plan: expected a number, got "NaN"\n'],
    [['--pc', '1.5', '--pc-hours', '744'], 'lsim: --pc: is a number of execution environments, a whole number; got 1.5\n'],
    // 1e400 is Infinity to yargs: it was "from 0 to 100; got Infinity".
    [['--savings-plan', '1e400'], 'lsim: --savings-plan: expected a finite number, got "1e400"\n'],
    [['--kinesis-shards', '2.5'], 'lsim: --kinesis-shards: is a count, a whole number; got 2.5\n'],
    [['--kinesis-shard-hours', '10', '--kinesis-efo-consumers', '1.5'], 'lsim: --kinesis-efo-consumers: is a count, a whole number; got 1.5\n'],
  ])('%j', async (flags, stderr) => {
    const r = await cli([...base, ...flags]);
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a savings plan of 17 % still discounts compute', async () => {
    const plain = await price(...base.slice(1), '--memory', '1GB', '--no-free-tier');
    const planned = await price(...base.slice(1), '--memory', '1GB', '--no-free-tier', '--savings-plan', '17');
    expect(planned.lines.duration).toBeCloseTo(plain.lines.duration * 0.83, 9);
  });
});
