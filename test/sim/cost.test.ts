// The cost model through the simulation: AWS's worked examples
// (docs/sources.md §12) reproduced by simulating their traffic with fixed
// durations, each line item within $0.01 of AWS's published figure. Each
// scenario says which month its window stands for with `billing.month`: a day
// like every day of a 30-day month, or a launch day whose 8 hours happen once.
import { describe, expect, it } from 'vitest';
import { run, runAny } from '../helpers/run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { UserError } from '../../src/errors.js';
import type { CostFigures } from '../../src/sim/result.js';

const day = (fn: string, perDay: number, billing: string) => `
name: cost
seed: 1
duration: 1d
account: { concurrency: 1000 }
billing: ${billing}
functions:
  f:
${fn}
    init: 0ms
    keepAlive: 2h
workloads:
  - function: f
    arrivals: { constant: ${perDay}/d }
    client: { retries: none }
`;

/** Every published line within $0.01, and the lines AWS does not list zero. */
function expectBill(m: CostFigures, published: Partial<CostFigures> & { total: number }): void {
  for (const [item, usd] of Object.entries(m) as [keyof CostFigures, number][]) {
    expect(Math.abs(usd - (published[item] ?? 0)), `${item}: ${usd}`).toBeLessThanOrEqual(0.01);
  }
}

describe('AWS pricing examples through a simulated month', () => {
  it('A1: 3 M requests of 120 ms at 1,536 MB, x86, in June 2026 (a day like each of its 30) → $0.40 + $2.33 = $2.73', () => {
    const r = run(day('    memory: 1536MB\n    duration: 120ms', 100_000, '{ freeTier: true, month: { of: 2026-06 } }'));
    expect(r.functions[0].invocations).toBe(100_000);
    expect(r.account.cost.month).toMatchObject({ days: 30, of: '2026-06', rest: { ms: 86_400_000, weight: 30 } });
    expectBill(r.account.cost.monthly, { requests: 0.4, duration: 2.33, total: 2.73 });
  });

  it('A3: 6 M requests of 280 ms at 4,096 MB with 2,048 MB storage, 30 days → $105.33 + $1 + $0.08 = $106.41', () => {
    const r = run(day('    memory: 4096MB\n    ephemeralStorage: 2048MB\n    duration: 280ms', 200_000, '{ freeTier: true, month: { days: 30 } }'));
    expectBill(r.account.cost.monthly, { duration: 105.33, requests: 1, ephemeralStorage: 0.08, total: 106.41 });
  });

  it('G1 (100 ms era): 3 M executions of 1 s at 512 MB → $18.34 + $0.40 = $18.74, the legacy book alone implying its rules', () => {
    const r = run(day('    memory: 512MB\n    duration: 1s', 100_000, '{ priceBook: legacy-100ms, month: { days: 30 } }'));
    expect(r.scenario).toMatchObject({ billingGranularityMs: 100, initBilling: 'unbilled-zip-managed-legacy' });
    expectBill(r.account.cost.monthly, { duration: 18.34, requests: 0.4, total: 18.74 });
  });

  it('H: 100,000 users × 20 invocations a day × 30 days of 28 ms at 1 GB, no free tier: $100 of compute at 100 ms, $28 at 1 ms', () => {
    const fn = '    memory: 1024MB\n    duration: 28ms';
    const old = run(day(fn, 2_000_000, '{ freeTier: false, granularity: 100ms, month: { days: 30 } }'));
    const now = run(day(fn, 2_000_000, '{ freeTier: false, granularity: 1ms, month: { days: 30 } }'));
    expectBill(old.account.cost.monthly, { requests: 12, duration: 100, total: 112 });
    expectBill(now.account.cost.monthly, { requests: 12, duration: 28, total: 40 });
    // The teaching point: 72% of the old bill's billed duration was rounding.
    expect(old.functions[0].cost.rounding.share).toBeCloseTo(0.72, 6);
    expect(now.functions[0].cost.rounding.share).toBe(0);
  });
});

describe('billing rules in the simulation', () => {
  it('the window is priced without free tier; the month with it', () => {
    const r = run(day('    memory: 1536MB\n    duration: 120ms', 100_000, '{ freeTier: true }'));
    const w = r.account.cost.window;
    // One day: 100,000 × $0.2/M = $0.02; 100,000 × 0.12 s × 1.5 GB × $0.0000166667 = $0.30.
    expect(w.requests).toBeCloseTo(0.02, 6);
    expect(w.duration).toBeCloseTo(18_000 * 0.0000166667, 6);
  });

  it('no free tier for a function with provisioned concurrency (pricing page rule)', () => {
    const r = run(`
name: pcfree
duration: 1d
account: { concurrency: 1000 }
billing: { month: { days: 30 } }
functions:
  plain: { memory: 1024MB, duration: 100ms, init: 0ms, keepAlive: 2h }
  warm: { memory: 1024MB, duration: 100ms, init: 0ms, reservedConcurrency: 10, provisionedConcurrency: 5 }
workloads:
  - { function: plain, arrivals: { constant: 10000/d }, client: { retries: none } }
  - { function: warm, arrivals: { constant: 10000/d }, client: { retries: none } }
`);
    const [plain, warm] = r.functions;
    // 300,000 requests a month each: plain's are all free (1 M free), warm pays $0.06.
    expect(plain.cost.monthly.requests).toBe(0);
    expect(warm.cost.monthly.requests).toBeCloseTo(0.06, 6);
    // PC: 5 × 1 GB × 30 days × $0.0000041667 = $54.00.
    expect(Math.abs(warm.cost.monthly.provisionedConcurrency - 5 * 2_592_000 * 0.0000041667)).toBeLessThan(0.01);
    expect(warm.provisionedInvocations).toBe(warm.invocations);
  });

  it('a throttled request is not billed; a retried attempt that runs is', () => {
    const r = run(`
name: thr
duration: 1m
functions:
  f: { memory: 1024MB, reservedConcurrency: 1, duration: 2s, init: 0ms }
workloads:
  - { function: f, arrivals: { at: 0s, for: 2ms, constant: 1000/s }, client: { retries: standard, baseDelay: 1s } }
`);
    const f = r.functions[0];
    // Two requests at 0 and 1 ms: the second is throttled, then retried until a try lands after 2 s or it runs out.
    expect(f.invocations).toBe(r.workloads[0].succeeded);
    expect(f.billing.billedDurationMs).toBe(2000 * f.invocations);
    expect(r.account.cost.window.requests).toBeCloseTo(f.invocations * 0.0000002, 9);
  });
});

describe('memory buys CPU (cpu-bound handlers)', () => {
  const at = (memory: string, cpu: string) =>
    run(`
name: cpu
duration: 1m
functions:
  f: { memory: ${memory}, duration: 1s, init: 0ms, timeout: 10s, cpu: ${cpu} }
workloads:
  - { function: f, arrivals: { constant: 1/s }, client: { retries: none } }
`).functions[0].durationMs.mean;
  it('half the memory doubles fully CPU-bound work (below one vCPU)', () => {
    expect(at('512MB', '{ share: 1, measuredAt: 1024MB }')).toBeCloseTo(2000, 0);
  });
  it('single-threaded work stops speeding up at 1,769 MB; parallel work keeps going', () => {
    expect(at('3538MB', '{ share: 1, measuredAt: 1024MB }')).toBeCloseTo((1000 * 1024) / 1769, 0);
    expect(at('3538MB', '{ share: 1, measuredAt: 1024MB, parallel: true }')).toBeCloseTo((1000 * 1024) / 3538, 0);
  });
  it('only the CPU share scales: 40% CPU-bound at double the memory takes 80%', () => {
    expect(at('1024MB', '{ share: 0.4, measuredAt: 512MB }')).toBeCloseTo(800, 0);
  });
});

describe('bad billing input is located', () => {
  const problems = (billing: string) => {
    try {
      parseScenario(`name: b\nduration: 1m\nbilling: ${billing}\nfunctions:\n  f: { duration: 1s }\nworkloads:\n  - { function: f, arrivals: { poisson: 1/s } }\n`, 'b.yaml');
    } catch (e) {
      if (e instanceof UserError) return e.problems;
      throw e;
    }
    return [];
  };
  it('a negative price', () => {
    const [p] = problems('{ prices: { requestUsdPerMillion: -0.2 } }');
    expect(p).toMatchObject({ file: 'b.yaml', line: 3, path: 'billing.prices.requestUsdPerMillion' });
    expect(p.message).toMatch(/negative/);
  });
  it('an unknown granularity', () => {
    const [p] = problems('{ granularity: 10ms }');
    expect(p).toMatchObject({ line: 3, path: 'billing.granularity' });
    expect(p.message).toMatch(/1ms .* or 100ms/);
  });
  it('an unknown price key, with a suggestion', () => {
    const [p] = problems('{ prices: { requestUsdPerMilion: 1 } }');
    expect(p.path).toBe('billing.prices.requestUsdPerMilion');
    expect(p.message).toMatch(/did you mean "requestUsdPerMillion"/);
  });
  it('a savings plan above 100%', () => {
    expect(problems('{ savingsPlan: 120 }').map((p) => p.path)).toEqual(['billing.savingsPlan']);
  });
});

describe('event poller units (SQS provisioned mode)', () => {
  it('3 pollers for 10 minutes: 1,800 EPU-seconds × $0.00925/h = $0.004625 in the window', () => {
    const r = runAny(`
name: epu
duration: 10m
functions:
  f: { duration: 100ms, timeout: 3s, init: 0ms }
workloads:
  - { name: q, function: f, invoke: sqs, arrivals: { constant: 1/s, at: 599s }, sqs: { provisioned: { minPollers: 3, maxPollers: 10 } } }
`);
    expect(r.functions[0].cost.window.pollers).toBeCloseTo((1800 / 3600) * 0.00925, 9);
    // A 31-day month of it: 3 EPUs × 744 h × $0.00925 = $20.646.
    expect(r.functions[0].cost.monthly.pollers).toBeCloseTo(20.646, 6);
  });
});

describe('the cost of async retries', () => {
  it('every event fails: 2 retries each, priced as requests plus duration at the first tier', () => {
    const r = runAny(`
name: retries
duration: 1h
functions:
  f: { memory: 1024MB, duration: 100ms, init: 0ms, errors: 1 }
workloads:
  - { name: a, function: f, invoke: async, arrivals: { constant: 10/min, for: 30m }, async: {} }
`);
    const a = r.workloads[0];
    if (a.invoke !== 'async') throw new Error('expected an async workload');
    // 300 events, each retried 60 s and 180 s after it started: 600 retries of 100 ms at 1 GB.
    expect(a.retryAttempts).toBe(600);
    expect(a.billing.retryGbSeconds).toBeCloseTo(60, 9);
    expect(a.billing.retryUsd).toBeCloseTo(600 * 0.0000002 + 60 * 0.0000166667, 9);
  });
});

describe('AWS pricing example B1 through a simulated month (a launch day with provisioned concurrency on a schedule)', () => {
  it('100 PC for 8 h of launch day with 500,000 requests of 100 ms on it; 2.5 M of 120 ms on-demand in the month → $18 + $0.40 + $0.73 + $0.83 = $19.96', () => {
    // The window is launch day; its 8 launch hours happen once in the 30-day month and the rest of the
    // day stands for every other hour. Two functions stand for the app's two kinds of traffic (lsim's
    // durations are per function): the launch traffic on provisioned environments (usable after the
    // 1-minute allocation delay and 1 s of allocation at 6,000/min, so its requests start at 12:01:01),
    // and the rest on demand, 2.5 M / 30 a day.
    // AWS's example applies the free tier to requests and on-demand compute despite PC (§10 item 10).
    const r = run(`
name: b1
duration: 1d
billing:
  freeTier: { requests: true, compute: true, provisionedFunctions: true }
  month: { days: 30, parts: [{ name: launch, at: 12h, until: 20h, times: 1/month }] }
functions:
  launch:
    memory: 1536MB
    duration: 100ms
    init: 0ms
    provisionedConcurrency: { schedule: [{ at: 12h, value: 100 }, { at: 20h, value: 0 }] }
  app:
    memory: 1536MB
    duration: 120ms
    init: 0ms
    keepAlive: 2h
workloads:
  - { function: launch, arrivals: { constant: 17.397960959/s, at: 43261s, until: 20h }, client: { retries: none } }
  - { function: app, arrivals: { constant: 83333.3333333/d }, client: { retries: none } }
`);
    const [launch, app] = r.functions;
    expect(launch.provisionedInvocations).toBe(launch.invocations);
    expect(Math.abs(launch.invocations - 500_000)).toBeLessThanOrEqual(1);
    expect(r.account.cost.month.parts).toEqual([{ name: 'launch', startMs: 43_200_000, endMs: 72_000_000, per: '1/month', times: 1 }]);
    // The other 16 hours of the day stand for the other 29 days 16 hours: × 44.5.
    expect(r.account.cost.month.rest).toEqual({ ms: 57_600_000, weight: 44.5 });
    expect(Math.abs(app.invocations - 83_333)).toBeLessThanOrEqual(1);
    expectBill(r.account.cost.monthly, { provisionedConcurrency: 18, requests: 0.4, provisionedDuration: 0.73, duration: 0.83, total: 19.96 });
  });
});

describe('AWS pricing example D1 through a simulated month (response streaming)', () => {
  it('3 M requests of 500 ms at 1,536 MB in April 2026; 2 M stream 100 KB, 1 M stream 7 MB → $30.83 + $0.40 + $7.81 = $39.04', () => {
    // Two functions stand for the two response sizes (a list of sizes would draw them at random); a day like each of April's 30.
    const fn = (size: string) => `{ memory: 1536MB, duration: 500ms, init: 0ms, keepAlive: 2h, responseStreaming: { size: ${size} } }`;
    const r = run(`
name: d1
duration: 1d
billing: { month: { of: 2026-04 } }
functions:
  small: ${fn('100KB')}
  large: ${fn('7MB')}
workloads:
  - { function: small, arrivals: { constant: 66666.6666667/d }, client: { retries: none } }
  - { function: large, arrivals: { constant: 33333.3333333/d }, client: { retries: none } }
`);
    const [small, large] = r.functions;
    // 1 M × (7 MB − 6 MB free per response) = 976.5625 GB a month; the 100 KB responses are all free.
    expect(small.billing.streamedChargeableGb).toBe(0);
    expect(Math.abs((large.billing.streamedChargeableGb ?? 0) * 30 - 976.5625)).toBeLessThan(0.05);
    expectBill(r.account.cost.monthly, { duration: 30.83, requests: 0.4, streaming: 7.81, total: 39.04 });
  });
});
