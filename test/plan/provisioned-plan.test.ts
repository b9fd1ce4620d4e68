// Provisioned concurrency plans (docs/sources.md §1, §9): hand-checkable traces of a
// schedule and of target-tracking auto scaling, the billing of configured PC, and
// located problems for bad plans.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { composeUsage, costOf, type FunctionUsage } from '../../src/billing/cost.js';
import { PRICE_BOOK_US_EAST_1_2026 } from '../../src/billing/pricebook.js';
import { UserError } from '../../src/errors.js';
import { run } from '../helpers/run.js';

const scenario = (pc: string, arrivals = '{ constant: 1/s }', duration = '50s', fn = '    duration: 100ms\n    init: 500ms') => `
name: pc
duration: ${duration}
report: { interval: 10s }
functions:
  api:
    memory: 1024MB
${fn}
    provisionedConcurrency: ${pc}
workloads:
  - function: api
    arrivals: ${arrivals}
    client: { retries: none }
`;

describe('provisioned concurrency schedule: exact trace', () => {
  // Requests at 0, 1, 2, … 49 s, 100 ms each, so one environment serves them all.
  // Schedule: 2 configured at 10 s; allocation takes 5 s + 2 / (2/s) = 6 s, then both run their 500 ms
  // init, so they are usable together at 16.5 s; 0 configured at 30 s (the PC environments, idle then, are removed).
  const r = run(scenario('{ schedule: [{ at: 10s, value: 2 }, { at: 30s, value: 0 }], allocationDelay: 5s, allocationRate: 2/s }'));
  const f = r.functions[0];

  it('requests at 17 s … 29 s run on provisioned environments, the others on the one on-demand environment', () => {
    expect(f.invocations).toBe(50);
    expect(f.provisionedInvocations).toBe(13);
    expect(f.coldStarts).toBe(1); // the request at 0 s; the on-demand environment stays warm (10 min keep-alive)
    expect(f.environments.created).toBe(1);
    expect(f.spilloverInvocations).toBe(0);
  });

  it('the allocated PC series and the plan summary follow the schedule', () => {
    // Sampled at each interval end (10, 20, 30, 40, 50 s); the change at 30 s runs before the sample at 30 s.
    expect(r.timeSeries.functions.api.provisioned).toEqual([0, 2, 0, 0, 0]);
    expect(f.provisionedPlan).toEqual({
      kind: 'schedule',
      initial: 0,
      maxConfigured: 2,
      environmentHours: 0.011111, // 2 environments × 20 s configured (billing runs from configuration, not allocation)
      meanConfigured: 0.8, // 40 env-s over 50 s
      changes: 2,
      scaleOuts: 0,
      scaleIns: 0,
    });
    expect(f.environments.provisioned).toBe(2);
  });

  it('PC is billed from configuring to unconfiguring, rounded up to 5 minutes: 2 × 20 s → 2 × 300 s × 1 GB', () => {
    const perGbS = PRICE_BOOK_US_EAST_1_2026.architectures.x86_64!.provisionedUsdPerGbS!;
    expect(f.cost.window.provisionedConcurrency).toBeCloseTo(600 * perGbS, 12);
  });

  it('the init of the two environments allocated at 16 s is billed, on provisioned environments (docs/sources.md §1, §7)', () => {
    // 13 requests of 100 ms and two inits of 500 ms on provisioned environments.
    expect(f.billing.provisionedGbSeconds).toBeCloseTo(13 * 0.1 + 2 * 0.5, 9);
  });

  it('environments are usable only once the longest init of the allocation has run (PC is pre-initialized, §1)', () => {
    // 1 configured at 0 s: allocated at 5 s + 0.5 s, then a 100 s init: usable at 105.5 s. The request at
    // 61 s goes to a cold on-demand environment; the one at 106 s runs on the PC environment.
    const slow = run(
      scenario('{ schedule: [{ at: 0s, value: 1 }], allocationDelay: 5s, allocationRate: 2/s }', '[{ constant: 1/s, at: 61s, for: 1ms }, { constant: 1/s, at: 106s, for: 1ms }]', '2m', '    duration: 1s\n    timeout: 5s\n    init: 100s'),
    ).functions[0];
    expect(slow.invocations).toBe(2);
    expect(slow.coldStarts).toBe(1);
    expect(slow.provisionedInvocations).toBe(1);
  });

  it('an init past the PC limit, max(130 s, timeout), fails there and is tried again, each attempt billed (§2)', () => {
    // 200 configured at 0 s. Each init draws 1 s or 200 s, equally likely: a 200 s draw is stopped at 130 s and
    // drawn again, so an environment's failures are geometric with mean 1 (variance 2): 200 ± 4·√400 in all.
    const fn = '    duration: 100ms\n    timeout: 30s\n    init: { empirical: [1s, 200s] }';
    const f = run(scenario('{ schedule: [{ at: 0s, value: 200 }], allocationDelay: 5s, allocationRate: 1000/s }', '{ constant: 1/s, for: 1ms }', '10s', fn)).functions[0];
    const failures = f.environments.pcInitFailures;
    expect(failures).toBeGreaterThan(120);
    expect(failures).toBeLessThan(280);
    // Billed on the provisioned environments (1 GB): every successful 1 s init and 130 s per failed attempt.
    expect(f.billing.provisionedGbSeconds).toBeCloseTo(200 * 1 + failures * 130, 6);
    // With a 300 s timeout the limit is 300 s: nothing fails.
    const longer = run(scenario('{ schedule: [{ at: 0s, value: 200 }], allocationDelay: 5s, allocationRate: 1000/s }', '{ constant: 1/s, for: 1ms }', '10s', fn.replace('30s', '300s'))).functions[0];
    expect(longer.environments.pcInitFailures).toBe(0);
  });

  it('refuses a PC function whose init would mostly run past the limit', () => {
    const text = scenario('3', '{ constant: 1/s }', '50s', '    duration: 100ms\n    timeout: 30s\n    init: 150s');
    expect(() => parseScenario(text, 'pc.yaml')).toThrow(
      /^pc\.yaml:\d+:\d+: functions\.api\.init: with provisioned concurrency an init may run at most 130 s .* this init's median is 150 s: most inits would fail$/m,
    );
    expect(() => parseScenario(text.replace('timeout: 30s', 'timeout: 200s'), 'pc.yaml')).not.toThrow();
  });

  it('a busy PC environment removed by a decrease finishes its request first', () => {
    // Requests every second taking 1.5 s: at 30 s both PC environments are busy
    // (requests of 28.x and 29.x s), so they leave as they finish, and no request is cut.
    const busy = run(
      scenario(
        '{ schedule: [{ at: 10s, value: 2 }, { at: 30s, value: 0 }], allocationDelay: 5s, allocationRate: 2/s }',
        '{ constant: 1/s }',
        '50s',
        '    duration: 1500ms\n    init: 500ms',
      ),
    ).functions[0];
    expect(busy.invocations).toBe(50);
    expect(busy.errors + busy.timeouts).toBe(0);
    // 17 … 29 s on PC (two environments alternate), the rest on demand.
    expect(busy.provisionedInvocations).toBe(13);
  });
});

describe('PC allocation rules (docs/sources.md §9 "PC allocation")', () => {
  // Two functions configure 4,000 and 1,000 PC at 0 s; init 0 ms, allocationDelay 1 min (default).
  const allocated = (rule: string) => {
    const r = run(`
duration: 6m
report: { interval: 10s }
account: { concurrency: 10000${rule} }
functions:
  a: { duration: 100ms, init: 0ms, provisionedConcurrency: { schedule: [{ at: 0s, value: 4000 }] } }
  b: { duration: 100ms, init: 0ms, provisionedConcurrency: { schedule: [{ at: 0s, value: 1000 }] } }
workloads:
  - { function: a, arrivals: { constant: 1/s }, client: { retries: none } }
  - { function: b, arrivals: { constant: 1/s }, client: { retries: none } }
`);
    // The first 10 s sample with all of each function's PC allocated.
    const at = (fn: string) => 10 * (r.timeSeries.functions[fn]!.provisioned!.findIndex((v) => v > 0) + 1);
    return [at('a'), at('b'), r.timeSeries.functions.a!.provisioned!.at(-1), r.timeSeries.functions.b!.provisioned!.at(-1)];
  };

  it('current rule: 6,000 per minute per function, each on its own', () => {
    // a: 60 s + 4,000 / 6,000 min = 100 s; b: 60 s + 10 s = 70 s.
    expect(allocated('')).toEqual([100, 70, 4000, 1000]);
  });

  it('legacy rule: the Region\'s burst (3,000 in us-east-1), then 500 per minute, shared by both functions', () => {
    // a takes the 3,000 and 1,000 more at 500/min: 60 s + 2 min = 180 s. b's 1,000 come after: 60 s + 4 min = 300 s.
    expect(allocated(', pcAllocation: legacy-burst-500')).toEqual([180, 300, 4000, 1000]);
  });
});

describe('provisioned concurrency auto scaling (target tracking)', () => {
  // 10 requests/s of exactly 1 s keep 10 environments busy; 2 PC environments are always
  // both busy (utilization 1 > target 0.5) and the rest spills over to on-demand.
  const auto = (arrivals: string, duration = '5m') =>
    run(
      scenario(
        '{ autoscaling: { target: 0.5, min: 2, max: 20 }, allocationDelay: 30s, allocationRate: 60000/s }',
        arrivals,
        duration,
        '    duration: 1s\n    init: 0ms',
      ).replace('report: { interval: 10s }', 'report: { interval: 1m }'),
    ).functions[0];

  it('scales out only after three one-minute datapoints above target, to ⌈mean in use / target⌉', () => {
    const f = auto('{ constant: 10/s }');
    // Datapoints at 1, 2, 3 min are above target: at 3 min the configuration becomes ⌈2 / 0.5⌉ = 4,
    // usable 30 s (+ 2/60000 s) later. The counters restart; the next three (4, 5, 6 min) are past the run.
    expect(f.provisionedPlan!.scaleOuts).toBe(1);
    expect(f.provisionedPlan!.maxConfigured).toBe(4);
  });

  it('the allocated series shows the new capacity only after the allocation delay', () => {
    const res = run(
      scenario('{ autoscaling: { target: 0.5, min: 2, max: 20 }, allocationDelay: 30s, allocationRate: 60000/s }', '{ constant: 10/s }', '5m', '    duration: 1s\n    init: 0ms').replace(
        'report: { interval: 10s }',
        'report: { interval: 1m }',
      ),
    );
    expect(res.timeSeries.functions.api.provisioned).toEqual([2, 2, 2, 4, 4]);
  });

  it('two datapoints above target are not enough', () => {
    // Load for 140 s (last request ends at 140.9 s): datapoints at 1 and 2 min are above target;
    // at 3 min utilization is 20.9 / 60 ≈ 0.35, not above it, and the count starts again. No scaling.
    const f = auto('{ constant: 10/s, for: 140s }');
    expect(f.provisionedPlan!.scaleOuts).toBe(0);
    expect(f.provisionedPlan!.changes).toBe(0);
  });

  it('scales in after scaleInDatapoints below 90% of target, not below min', () => {
    // Load for 4 min then nothing: scale out at 3 min to 4 (usable at 3.5 min); the datapoint at
    // 4 min is above target (mean in use 3 of 4); idle from 4 min 0.9 s on, the datapoints at 5, 6
    // and 7 min are below 0.45 → with scaleInDatapoints 3 it scales in at 7 min to min = 2. A
    // datapoint runs before the interval sample at the same instant, so the interval ending at 7 min shows 2.
    const res = run(
      scenario(
        '{ autoscaling: { target: 0.5, min: 2, max: 20, scaleInDatapoints: 3 }, allocationDelay: 30s, allocationRate: 60000/s }',
        '{ constant: 10/s, for: 4m }',
        '10m',
        '    duration: 1s\n    init: 0ms',
      ).replace('report: { interval: 10s }', 'report: { interval: 1m }'),
    );
    const p = res.functions[0].provisionedPlan!;
    expect(p.scaleOuts).toBe(1);
    expect(p.scaleIns).toBe(1);
    expect(res.timeSeries.functions.api.provisioned).toEqual([2, 2, 2, 4, 4, 4, 2, 2, 2, 2]);
  });
});

describe('billing of configured PC environment-ms (FunctionUsage.provisionedEnvMs)', () => {
  const base: FunctionUsage = {
    name: 'f',
    architecture: 'x86_64',
    memoryMb: 2048,
    ephemeralStorageMb: 512,
    requests: 0,
    billedOnDemandMs: 0,
    actualOnDemandMs: 0,
    billedProvisionedMs: 0,
    actualProvisionedMs: 0,
    provisionedConcurrency: 100,
    provisionedEnabledMs: 0,
  };
  const book = PRICE_BOOK_US_EAST_1_2026;
  const opts = { periodMs: 86_400_000, freeTier: { requests: false, compute: false } };
  const pcPrice = book.architectures.x86_64!.provisionedUsdPerGbS!;

  it('100 environments for 9 h of a day cost 100 × 2 GB × 32,400 s × the PC price', () => {
    const c = costOf([{ ...base, provisionedEnvMs: 100 * 9 * 3_600_000 }], book, opts);
    expect(c.lines.provisionedConcurrency).toBeCloseTo(100 * 2 * 32_400 * pcPrice, 9);
  });

  it('equals the static form for a constant configuration on a 5-minute multiple', () => {
    const staticForm = costOf([{ ...base, provisionedEnabledMs: 3_600_000 }], book, opts);
    const planForm = costOf([{ ...base, provisionedEnvMs: 100 * 3_600_000 }], book, opts);
    expect(planForm.lines.provisionedConcurrency).toBeCloseTo(staticForm.lines.provisionedConcurrency, 12);
  });

  it('is composed into the month like the rest of the usage', () => {
    const month = composeUsage([{ usage: { ...base, provisionedEnvMs: 100 * 9 * 3_600_000 }, weight: 30 }]);
    expect(costOf([month], book, { ...opts, periodMs: 30 * 86_400_000 }).lines.provisionedConcurrency).toBeCloseTo(30 * 100 * 2 * 32_400 * pcPrice, 6);
  });

  it('rejects a negative value', () => {
    expect(() => costOf([{ ...base, provisionedEnvMs: -1 }], book, opts)).toThrow(/provisionedEnvMs/);
  });
});

describe('bad plans are located problems', () => {
  const problems = (pc: string) => {
    try {
      parseScenario(scenario(pc), 'pc.yaml');
    } catch (e) {
      if (e instanceof UserError) return e.message;
      throw e;
    }
    return '';
  };
  it('schedule out of order', () => {
    expect(problems('{ schedule: [{ at: 30s, value: 2 }, { at: 10s, value: 0 }] }')).toMatch(
      /pc\.yaml:10:\d+: functions\.api\.provisionedConcurrency\.schedule\[1\]\.at: must be later than the entry before \(30s\)/,
    );
  });
  it('both forms, or neither', () => {
    expect(problems('{ schedule: [{ at: 1s, value: 1 }], autoscaling: { min: 1, max: 2 } }')).toMatch(/either "schedule".*or "autoscaling"/);
  });
  it('autoscaling max below min, min of 0', () => {
    expect(problems('{ autoscaling: { min: 5, max: 2 } }')).toMatch(/provisionedConcurrency\.autoscaling\.max: must be at least min \(5\)/);
    expect(problems('{ autoscaling: { min: 0, max: 2 } }')).toMatch(/provisionedConcurrency\.autoscaling\.min: must be/);
  });
  it('a plan above reserved concurrency', () => {
    expect(() => parseScenario(scenario('{ schedule: [{ at: 1s, value: 50 }] }').replace('    memory: 1024MB', '    memory: 1024MB\n    reservedConcurrency: 10'), 'pc.yaml')).toThrow(
      /provisioned concurrency 50 exceeds the function's reserved concurrency 10/,
    );
  });
});
