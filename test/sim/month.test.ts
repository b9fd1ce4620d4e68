// The month made of what happens in it (docs/billing.md "The month", issue 17 item 1), Regions in a
// scenario (item 2), the billable features reachable from a scenario (item 4) and the fixed slips of
// the simulation's billing (item 5). Constant arrivals and fixed durations, so every figure is exact.
import { describe, expect, it } from 'vitest';
import { run, runAny } from '../helpers/run.js';
import { parseScenario } from '../../src/scenario/load.js';
import { UserError } from '../../src/errors.js';
import { monthAssumption } from '../../src/report/format.js';

const REQUEST = 0.2 / 1e6;
const PC_PRICE = 0.0000041667;

const burst = (month: string) => `
name: m
duration: 10m
billing: { freeTier: false, month: ${month} }
functions:
  f: { memory: 1024MB, duration: 100ms, init: 0ms, keepAlive: 1h }
workloads:
  - function: f
    arrivals: [{ constant: 10/s }, { at: 3m, for: 2m, constant: 100/s }]
    client: { retries: none }
`;

function problems(yaml: string): string[] {
  try {
    parseScenario(yaml, 'm.yaml');
  } catch (e) {
    if (e instanceof UserError) return e.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('billing.month: the month made of parts of the window', () => {
  it('the default: 31 days, the window filling them, said in the report', () => {
    const r = run(burst('{}'));
    expect(r.account.cost.month).toEqual({ days: 31, of: null, repeat: null, rest: { ms: 600_000, weight: 4464 }, parts: [] });
    expect(monthAssumption(r.account.cost.month)).toBe('month = 31 days: window × 4,464');
    // 6,000 + 12,000 requests a window × 4,464.
    expect(r.account.cost.monthly.requests).toBeCloseTo(18_000 * 4464 * REQUEST, 9);
  });

  it('"this 2-minute burst happens twice a day": the burst 62 times in March, the rest of the window the rest of the month', () => {
    const r = run(burst('{ of: 2026-03, parts: [{ name: burst, at: 3m, for: 2m, times: 2/day }] }'));
    const m = r.account.cost.month;
    // 31 days = 44,640 min; the burst 62 × 2 min = 124 min; the other 8 min of the window stand for 44,516 min.
    expect(m.parts).toEqual([{ name: 'burst', startMs: 180_000, endMs: 300_000, per: '2/day', times: 62 }]);
    expect(m.rest).toEqual({ ms: 480_000, weight: 5564.5 });
    expect(monthAssumption(m)).toBe('month = 2026-03 (31 days): burst 2/day × 62 + rest of window × 5,564.5');
    // Requests: the base 10/s all month, and 100/s for 124 minutes.
    const requests = 10 * 44_640 * 60 + 100 * 124 * 60;
    expect(r.account.cost.monthly.requests).toBeCloseTo(requests * REQUEST, 9);
    // The window itself is priced as it is.
    expect(r.account.cost.window.requests).toBeCloseTo(18_000 * REQUEST, 12);
  });

  it('weekday and weekend day shapes: a 2-day window, day 1 for each weekday of March 2026 (22) and day 2 for each weekend day (9)', () => {
    const r = run(`
name: week
duration: 2d
billing: { freeTier: false, month: { of: 2026-03, parts: [{ name: weekday, at: 0h, for: 1d, times: 1/weekday }, { name: weekend, at: 1d, for: 1d, times: 1/weekend-day }] } }
functions:
  f: { memory: 1024MB, duration: 100ms, init: 0ms }
workloads:
  - { function: f, arrivals: [{ constant: 1000/d, until: 1d }, { constant: 100/d, at: 1d }], client: { retries: none } }
`);
    expect(r.account.cost.month.rest).toEqual({ ms: 0, weight: 0 });
    expect(r.account.cost.monthly.requests).toBeCloseTo((1000 * 22 + 100 * 9) * REQUEST, 12);
    expect(monthAssumption(r.account.cost.month)).toBe('month = 2026-03 (31 days): weekday 1/weekday × 22 + weekend 1/weekend-day × 9');
  });

  it('window × N stays an explicit choice: repeat: 4320 is 30 days of a 31-day month', () => {
    const r = run(burst('{ repeat: 4320 }'));
    expect(r.account.cost.monthly.requests).toBeCloseTo(18_000 * 4320 * REQUEST, 9);
    expect(monthAssumption(r.account.cost.month)).toBe('month = window × 4,320 (repeat; 30 of 31 days)');
  });

  it('the tiers and the free tier apply to the month\'s totals', () => {
    // 18,000 × 4,464 = 80,352,000 requests − 1 M free; 8,035,200 GB-s − 400,000 free.
    const r = run(burst('{}').replace('freeTier: false', 'freeTier: true'));
    expect(r.account.cost.monthly.requests).toBeCloseTo((80_352_000 - 1e6) * REQUEST, 9);
    expect(r.account.cost.monthly.duration).toBeCloseTo((8_035_200 - 400_000) * 0.0000166667, 6);
  });

  it('bad months are located problems', () => {
    const at = (month: string) => problems(burst(month));
    expect(at('{ days: 30, of: 2026-03 }')).toEqual(['4:38 billing.month.days: give "days" or "of", not both (2026-03 has its own length)']);
    expect(at('{ days: 32 }')[0]).toMatch(/^4:44 billing.month.days: must be a whole number of days from 28 to 31, got 32/);
    expect(at('{ of: 2026-13 }')).toEqual(['4:42 billing.month.of: a month is written YYYY-MM, e.g. 2026-03']);
    expect(at('{ repeat: 5000 }')).toEqual(['4:46 billing.month.repeat: 5000 copies of the 10m window last 50000m, more than the 31-day month']);
    expect(at('{ repeat: 2, parts: [] }')[0]).toMatch(/billing.month.repeat: "repeat" makes the month copies of the whole window/);
    expect(at('{ parts: [{ at: 3m, for: 2m, times: 1/weekday }] }')).toEqual([
      '4:72 billing.month.parts[0].times: counting per weekday needs a given month: set billing.month.of (e.g. 2026-03) to know its weekdays',
    ]);
    expect(at('{ parts: [{ at: 3m, for: 2m, times: 2/fortnight }] }')[0]).toMatch(/parts\[0\]\.times: how often the part happens: a count per month, day, weekday, weekend-day/);
    expect(at('{ parts: [{ at: 9m, for: 2m, times: 1 }] }')).toEqual(['4:46 billing.month.parts[0]: ends at 11m, after the end of the run (10m)']);
    expect(at('{ parts: [{ at: 1m, for: 5m, times: 1 }, { name: b, at: 3m, for: 2m, times: 1 }] }')[0]).toMatch(/parts\[1\]: overlaps "part 1" \(1m to 6m\)/);
    expect(at('{ parts: [{ at: 0m, for: 10m, times: 100 }] }')[0]).toMatch(/the parts cover the whole window and happen for 1000m, so nothing stands for the other/);
    expect(at('{ parts: [{ at: 0m, for: 5m, times: 10000 }] }')[0]).toMatch(/the parts happen for 50000m in all, more than the 31-day month/);
  });

  it('a part in the warm-up is refused: parts are spans of the measured window', () => {
    expect(problems(burst('{ parts: [{ at: 0s, for: 1m, times: 1 }] }').replace('duration: 10m', 'duration: 10m\nwarmup: 2m'))[0]).toMatch(
      /billing.month.parts\[0\]: starts at 0ms, in the warm-up: a part is a span of the measured window \(2m to 10m\)/,
    );
  });
});

describe('Regions in a scenario (docs/sources.md §7 "Prices by Region")', () => {
  it('account.region selects its book; on-demand costs as in us-east-1', () => {
    const eu = run(burst('{}').replace('name: m', 'name: m\naccount: { region: ap-south-1 }'));
    const us = run(burst('{}'));
    expect(eu.account.cost).toMatchObject({ priceBook: 'ap-south-1-2026 (2026-01-01)', region: 'ap-south-1' });
    expect(eu.account.cost.monthly).toEqual(us.account.cost.monthly);
    expect(eu.account.cost.lines.map((l) => l.source)).toEqual(['§7 "Prices by Region" (ap-south-1, read 2026)', '§7 "Prices by Region" (ap-south-1, read 2026)']);
  });

  it('a Region without prices, a book of another Region, and a price not confirmed for the Region are located', () => {
    const doc = (account: string, billing: string, fn = '') => `name: r\nduration: 1m\naccount: ${account}\nbilling: ${billing}\nfunctions:\n  f: { duration: 1s${fn} }\nworkloads:\n  - { function: f, arrivals: { poisson: 1/s } }\n`;
    expect(problems(doc('{ region: mars-1 }', '{}'))).toEqual([
      '3:20 account.region: lsim has no prices for mars-1; the Regions with a price book are us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, ap-southeast-1, ap-northeast-1, ap-south-1, sa-east-1 (docs/billing.md "Regions")',
    ]);
    expect(problems(doc('{ region: eu-west-1 }', '{ priceBook: us-east-1-2026 }'))).toEqual(['4:23 billing.priceBook: the us-east-1-2026 price book is for us-east-1, but account.region is eu-west-1']);
    expect(problems(doc('{ region: eu-central-1 }', '{}', ', provisionedConcurrency: 2'))).toEqual([
      '6:22 functions.f.provisionedConcurrency: the eu-central-1-2026 price book has no confirmed provisioned concurrency price for eu-central-1 (docs/sources.md §7 "Prices by Region"); give it in billing.prices (architectures.x86_64.provisionedUsdPerGbS, architectures.x86_64.provisionedDurationUsdPerGbS)',
    ]);
    // Given in billing.prices, it is priced.
    expect(problems(doc('{ region: eu-central-1 }', '{ prices: { architectures: { x86_64: { provisionedUsdPerGbS: 0.0000041667, provisionedDurationUsdPerGbS: 0.0000097222 } } } }', ', provisionedConcurrency: 2'))).toEqual([]);
  });
});

describe('billing rules the price book implies (issue 17 item 5)', () => {
  const rules = (billing: string) => parseScenario(`name: b\nduration: 1m\nbilling: ${billing}\nfunctions:\n  f: { duration: 1s }\nworkloads:\n  - { function: f, arrivals: { poisson: 1/s } }\n`).billing;
  it('the 100 ms era book alone implies 100 ms granularity and unbilled INIT; set explicitly, they stand', () => {
    expect(rules('{ priceBook: legacy-100ms }')).toMatchObject({ granularityMs: 100, initBilling: 'unbilled-zip-managed-legacy' });
    expect(rules('{ priceBook: legacy-100ms, granularity: 1ms, init: billed-2025 }')).toMatchObject({ granularityMs: 1, initBilling: 'billed-2025' });
    expect(rules('{}')).toMatchObject({ granularityMs: 1, initBilling: 'billed-2025' });
  });
});

describe('provisioned concurrency is re-initialized every few hours, billed (docs/sources.md §1, §7, §11 pcRecycleIntervalH)', () => {
  const pc = (recycle: string) =>
    run(`
name: pc
duration: 10h
billing: { freeTier: false, month: { days: 30 } }
functions:
  f: { memory: 2048MB, duration: 100ms, init: 1s, provisionedConcurrency: 2, provisionedRecycle: ${recycle} }
workloads:
  - { function: f, arrivals: { constant: 1/min }, client: { retries: none } }
`).functions[0];

  it('every 2 h each of 2 environments re-runs its 1 s init: 10 in 10 h, billed on provisioned environments', () => {
    const f = pc('2h');
    expect(f.environments.provisionedReinits).toBe(10);
    // 600 requests of 100 ms and 10 inits of 1 s at 2 GB.
    expect(f.billing.provisionedGbSeconds).toBeCloseTo(2 * (600 * 0.1 + 10 * 1), 9);
    expect(f.coldStarts).toBe(0);
  });

  it('off: never (and static PC in a 30-day month is 2 × 2 GB × 2,592,000 s)', () => {
    const f = pc('off');
    expect(f.environments.provisionedReinits).toBe(0);
    expect(f.billing.provisionedGbSeconds).toBeCloseTo(2 * 600 * 0.1, 9);
    expect(f.cost.monthly.provisionedConcurrency).toBeCloseTo(2 * 2 * 2_592_000 * PC_PRICE, 6);
  });
});

describe('SnapStart, tenant isolation, Lambda@Edge and async payloads from a scenario (issue 17 item 4)', () => {
  const one = (fn: string, extra = '') =>
    runAny(`
name: f
duration: 1h
billing: { freeTier: false, month: { days: 30 } }
functions:
  f: { memory: 1024MB, duration: 100ms, keepAlive: 1m, maxLifetime: off${fn} }
workloads:
  - { function: f, arrivals: { constant: 6/h }, client: { retries: none }${extra} }
`).functions[0];

  it('SnapStart: each cold start restores (300 ms, free) and runs its hooks (50 ms, billed) instead of init', () => {
    const f = one(', snapStart: { restore: 300ms, hooks: 50ms, runtime: python }');
    // One request every 10 min with a 1-minute keep-alive: every one is a cold start.
    expect(f.coldStarts).toBe(6);
    expect(f.initMs.p50).toBeCloseTo(350, 0);
    expect(f.billing.snapStartRestores).toBe(6);
    expect(f.billing.billedDurationMs).toBe(6 * 150);
    // A 30-day month: cache 1 GB × 2,592,000 s × 0.0000015046; 720 × 6 restores × 1 GB × 0.0001397998.
    expect(f.cost.monthly.snapStart).toBeCloseTo(2_592_000 * 0.0000015046 + 4320 * 0.0001397998, 7);
    expect(one(', snapStart: { restore: 300ms, runtime: java }').cost.monthly.snapStart).toBe(0);
  });

  it('SnapStart with provisioned concurrency, or more than 512 MB of /tmp, is located', () => {
    const doc = (fn: string) => `name: s\nduration: 1m\nfunctions:\n  f: { duration: 1s, ${fn} }\nworkloads:\n  - { function: f, arrivals: { poisson: 1/s } }\n`;
    expect(problems(doc('snapStart: { restore: 1s, runtime: java }, provisionedConcurrency: 1'))[0]).toMatch(/^4:22 functions.f.snapStart: SnapStart cannot be combined with provisioned concurrency/);
    expect(problems(doc('snapStart: { restore: 1s, runtime: java }, ephemeralStorage: 1GB'))[0]).toMatch(/functions.f.snapStart: SnapStart cannot be combined with more than 512 MB of ephemeral storage/);
  });

  it('tenant isolation: each new environment is charged per GB ($0.000167)', () => {
    const f = one(', init: 0ms, tenantIsolation: true');
    expect(f.environments.created).toBe(6);
    expect(f.cost.window.tenantIsolation).toBeCloseTo(6 * 0.000167, 12);
  });

  it('Lambda@Edge: priced on its own line at $0.60 per million requests and $0.00005001 per GB-s', () => {
    const f = one(', init: 0ms, edge: true');
    expect(f.cost.window.edge).toBeCloseTo(6 * 0.6e-6 + 6 * 0.1 * 0.00005001, 12);
    expect(f.cost.window.requests + f.cost.window.duration).toBe(0);
  });

  it('async payloads of 300 KB: each accepted event adds one request chunk', () => {
    const doc = `
name: a
duration: 1h
billing: { freeTier: false }
functions:
  f: { memory: 1024MB, duration: 100ms, init: 0ms }
workloads:
  - { function: f, invoke: async, arrivals: { constant: 1/min }, async: { payloadSize: 300KB } }
`;
    const r = runAny(doc);
    // 60 events: 60 invocations + 60 extra chunks.
    expect(r.functions[0].cost.window.requests).toBeCloseTo(120 * REQUEST, 12);
    expect(runAny(doc.replace('300KB', '256KB')).functions[0].cost.window.requests).toBeCloseTo(60 * REQUEST, 12);
    expect(problems(doc.replace('300KB', '2MB'))[0]).toMatch(/workloads\[0\]\.async\.payloadSize: must be from 0MB to 1MB \(docs\/sources\.md §4\)/);
  });

  it("extensions: each environment's end runs their shutdown phase, billed as duration (docs/sources.md §2, §7)", () => {
    // One request an hour, keep-alive 10 min: every request is cold and each environment is reclaimed 10 min later.
    const doc = (ext: string, billing = '') =>
      `name: e\nduration: 2h\nbilling: { freeTier: false${billing} }\nfunctions:\n  f: { memory: 1024MB, duration: 100ms, init: 0ms, keepAlive: 10m, maxLifetime: off${ext} }\nworkloads:\n  - { function: f, arrivals: { constant: 1/h } }\n`;
    const billed = (ext: string, billing = '') => {
      const f = runAny(doc(ext, billing)).functions[0];
      return { shutdowns: f.environments.shutdowns, ms: f.billing.billedDurationMs, assumed: f.extensions?.shutdownAssumed };
    };
    expect(billed('')).toEqual({ shutdowns: 0, ms: 200, assumed: undefined });
    // External: the 2,000 ms limit by default, said to be an assumption; internal: 500 ms.
    expect(billed(', extensions: external')).toEqual({ shutdowns: 2, ms: 200 + 2 * 2000, assumed: true });
    expect(billed(', extensions: internal')).toEqual({ shutdowns: 2, ms: 200 + 2 * 500, assumed: true });
    expect(billed(', extensions: { mode: external, shutdown: 250ms }')).toEqual({ shutdowns: 2, ms: 200 + 2 * 250, assumed: false });
    // Rounded like any billed duration: 250 ms is 300 ms at 100 ms granularity.
    expect(billed(', extensions: { mode: external, shutdown: 250ms }', ', granularity: 100ms').ms).toBe(200 + 2 * 300);
    expect(problems(doc(', extensions: { mode: internal, shutdown: 600ms }'))[0]).toMatch(
      /^5:\d+ functions\.f\.extensions\.shutdown: the shutdown phase with internal extensions lasts at most 500 ms \(docs\/sources\.md §2\), got 600 ms/,
    );
    expect(problems(doc(', extensions: outside'))[0]).toMatch(/functions\.f\.extensions/);
  });

  it('extensions: an environment retired at its lifetime and replaced in the background shuts down too', () => {
    const doc = (ext: string) =>
      `name: e\nduration: 3h\nbilling: { freeTier: false }\nfunctions:\n  f: { memory: 1024MB, duration: 100ms, init: 0ms, maxLifetime: 1h${ext} }\nworkloads:\n  - { function: f, arrivals: { poisson: 20/s } }\n`;
    const plain = runAny(doc('')).functions[0];
    const f = runAny(doc(', extensions: { mode: external, shutdown: 40ms }')).functions[0];
    // The same run (shutdown draws nothing), every environment that ended in it billed 40 ms more.
    expect(f.invocations).toBe(plain.invocations);
    expect(f.environments.retired).toBeGreaterThan(0);
    expect(f.environments.proactiveInits).toBeGreaterThan(0);
    expect(f.environments.shutdowns).toBe(f.environments.retired + f.environments.reclaimed);
    expect(f.billing.billedDurationMs - plain.billing.billedDurationMs).toBeCloseTo(40 * f.environments.shutdowns, 6);
  });

  it('the async payload limit is a preset (docs/sources.md §9): 256 KB before October 2025, the legacy book\'s default', () => {
    const doc = (account: string, billing: string, size: string) =>
      `name: a\nduration: 1h\n${account}billing: { freeTier: false${billing} }\nfunctions:\n  f: { memory: 1024MB, duration: 100ms, init: 0ms }\nworkloads:\n  - { function: f, invoke: async, arrivals: { constant: 1/min }, async: { payloadSize: ${size} } }\n`;
    const legacyBook = ', priceBook: legacy-100ms';
    // The 2020 book's date is before the change: a 300 KB event was refused at Invoke then.
    expect(problems(doc('', legacyBook, '300KB'))).toEqual([
      "7:88 workloads[0].async.payloadSize: an async event was at most 256 KB before October 2025 (the rule of the us-east-1-legacy-100ms price book's date, 2020-11-30; account.asyncPayloadLimit: 1mb-2025 lifts it; docs/sources.md §9): Invoke refused a larger one (413); got 300 KB",
    ]);
    expect(problems(doc('account: { asyncPayloadLimit: 256kb-legacy }\n', '', '257KB'))[0]).toMatch(
      /^8:88 workloads\[0\]\.async\.payloadSize: an async event was at most 256 KB before October 2025 \(account\.asyncPayloadLimit: 256kb-legacy; /,
    );
    // 256 KB fits either rule, one request an event; the current rule on the legacy book bills 300 KB's extra chunk.
    expect(runAny(doc('account: { asyncPayloadLimit: 256kb-legacy }\n', '', '256KB')).functions[0].cost.window.requests).toBeCloseTo(60 * REQUEST, 12);
    const lifted = runAny(doc('account: { asyncPayloadLimit: 1mb-2025 }\n', legacyBook, '300KB'));
    expect(lifted.functions[0].cost.window.requests).toBeCloseTo(120 * 0.2e-6, 12); // the 2020 book: $0.20 per million
  });
});
