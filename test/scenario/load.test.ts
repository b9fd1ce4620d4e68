import { PRICE_BOOK_US_EAST_1_2026 } from '../../src/billing/pricebook.js';
import { SERVICE_BOOK_US_EAST_1 } from '../../src/billing/service-prices.js';
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultReportIntervalMs, loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { initPresets } from '../../src/scenario/presets.js';
import type { Scenario } from '../../src/models/index.js';
import type { SyncWorkloadSpec } from '../../src/models/sync/types.js';

const yaml = (...lines: string[]) => lines.join('\n') + '\n';

/** A minimal valid scenario with `extra` lines added to function `api` and `workload` lines replacing its workload. */
function minimal(fnLines: string[] = [], workloadLines = ['    arrivals: { poisson: 10/s }'], top: string[] = []): string {
  return yaml('duration: 10m', ...top, 'functions:', '  api:', '    duration: 100ms', ...fnLines, 'workloads:', '  - function: api', ...workloadLines);
}

const fn = (text: string) => parseScenario(text).functions[0];
const wl = (text: string) => parseScenario(text).workloads[0] as SyncWorkloadSpec;

describe('parseScenario: the example of the format', () => {
  const example = yaml(
    'name: burst',
    'description: Steady traffic, then a 10x burst',
    'seed: 42',
    'duration: 30m',
    'warmup: 1m',
    'account:',
    '  concurrency: 1000',
    '  region: us-east-1',
    '  requestRateFactor: 10',
    '  scaling: per-function-2023',
    'billing:',
    '  granularity: 1ms',
    '  init: billed-2025',
    'functions:',
    '  checkout:',
    '    memory: 1769MB',
    '    architecture: arm64',
    '    timeout: 10s',
    '    ephemeralStorage: 512MB',
    '    reservedConcurrency: 400',
    '    provisionedConcurrency: 50',
    '    duration: { lognormal: { median: 120ms, p99: 900ms } }',
    '    init: nodejs',
    '    keepAlive: fixed-10min-2019',
    '    maxLifetime: 4h',
    '    reuse: mru',
    '    errors: { rate: 0.01, windows: [ { at: 5m, for: 5m, rate: 1 } ] }',
    'workloads:',
    '  - name: checkout-api',
    '    function: checkout',
    '    invoke: sync',
    '    arrivals:',
    '      - { poisson: 200/s }',
    '      - { at: 5m, for: 1m, poisson: 3000/s }',
    '      - { constant: 50/s, at: 0s, until: 10m }',
    '      - { ramp: { from: 0/s, to: 1000/s }, at: 10m, for: 5m }',
    '      - { diurnal: { mean: 100/s, amplitude: 0.5, period: 24h, peak: 14h }, process: poisson }',
    '    client:',
    '      retries: standard',
    '      maxAttempts: 3',
    '      baseDelay: 1s',
    '      maxBackoff: 20s',
    '      timeout: 60s',
    'report:',
    '  interval: 10s',
  );
  const s = parseScenario(example, 'scenarios/burst.yaml');

  it('resolves the top level', () => {
    expect(s.file).toBe('scenarios/burst.yaml');
    expect(s).toMatchObject({ name: 'burst', description: 'Steady traffic, then a 10x burst', seed: '42' });
    expect(s.durationMs).toBe(1_800_000);
    expect(s.warmupMs).toBe(60_000);
    expect(s.report).toEqual({ intervalMs: 10_000 });
    expect(s.billing).toMatchObject({ granularityMs: 1, initBilling: 'billed-2025', priceBook: { name: PRICE_BOOK_US_EAST_1_2026.name } });
  });

  it('resolves the function', () => {
    const f = s.functions[0];
    expect(f).toMatchObject({
      name: 'checkout',
      memoryMb: 1769,
      architecture: 'arm64',
      timeoutMs: 10_000,
      ephemeralStorageMb: 512,
      reservedConcurrency: 400,
      provisionedConcurrency: 50,
      init: initPresets.nodejs,
      keepAlive: { kind: 'fixed', ms: 600_000 },
      keepAlivePreset: 'fixed-10min-2019',
      maxLifetime: { kind: 'fixed', valueMs: 14_400_000 },
      reuse: 'mru',
      errors: { rate: 0.01, windows: [{ startMs: 300_000, endMs: 600_000, rate: 1 }] },
    });
    expect(f.duration).toEqual({ kind: 'lognormal', mu: Math.log(120), sigma: Math.log(900 / 120) / 2.326348 });
  });

  it('resolves the arrival segments', () => {
    expect(s.workloads[0].arrivals).toEqual([
      { process: 'poisson', shape: { kind: 'constant', ratePerS: 200 }, startMs: 0, endMs: 1_800_000 },
      { process: 'poisson', shape: { kind: 'constant', ratePerS: 3000 }, startMs: 300_000, endMs: 360_000 },
      { process: 'constant', shape: { kind: 'constant', ratePerS: 50 }, startMs: 0, endMs: 600_000 },
      { process: 'poisson', shape: { kind: 'ramp', fromPerS: 0, toPerS: 1000 }, startMs: 600_000, endMs: 900_000 },
      {
        process: 'poisson',
        shape: { kind: 'diurnal', meanPerS: 100, amplitude: 0.5, periodMs: 86_400_000, peakAtMs: 50_400_000 },
        startMs: 0,
        endMs: 1_800_000,
      },
    ]);
    expect(s.workloads[0]).toMatchObject({ name: 'checkout-api', functionName: 'checkout', invoke: 'sync' });
  });
});

describe('parseScenario: defaults', () => {
  it('fills in every default of a minimal scenario', () => {
    const s = parseScenario(minimal(), 'dir/my-scenario.yml');
    const expected: Scenario = {
      file: 'dir/my-scenario.yml',
      name: 'my-scenario', // the file name without extension
      description: '',
      seed: '1',
      durationMs: 600_000,
      warmupMs: 0,
      account: {
        concurrencyLimit: 1000, // docs/sources.md §1
        unreservedMinimum: 100, // docs/sources.md §1
        requestRateFactor: 10, // docs/sources.md §1
        functionRequestRateFactor: 10, // docs/sources.md §1
        region: 'us-east-1',
        scaling: { model: 'per-function-2023', stepEnvs: 1000, windowMs: 10_000, refill: 'continuous' },
        pcAllocation: '6000-per-min', // docs/sources.md §9
        asyncPayloadLimit: '1mb-2025', // docs/sources.md §9: the rule of the 2026 price book's date
      },
      billing: {
        granularityMs: 1, // docs/sources.md §7
        initBilling: 'billed-2025',
        priceBook: PRICE_BOOK_US_EAST_1_2026,
        servicePrices: SERVICE_BOOK_US_EAST_1,
        freeTier: { requests: true, compute: true, provisionedFunctions: false, streaming: false, services: true }, // docs/sources.md §11 applyFreeTier
        // docs/billing.md "The month": 31 days, the window standing for all of them.
        month: { days: 31, of: null, repeat: null, parts: [], restMs: 600_000, restWeight: 4464 },
      },
      functions: [
        {
          name: 'api',
          memoryMb: 128, // docs/sources.md §7
          architecture: 'x86_64',
          timeoutMs: 3000, // docs/sources.md §3
          ephemeralStorageMb: 512, // docs/sources.md §8
          reservedConcurrency: null,
          provisionedConcurrency: 0,
          duration: { kind: 'fixed', valueMs: 100 },
          init: initPresets.nodejs, // docs/sources.md §2
          packaging: 'zip', // docs/sources.md §7: the default, a ZIP on a managed runtime
          keepAlive: { kind: 'fixed', ms: 600_000 }, // docs/sources.md §2 fixed-10min-2019
          keepAlivePreset: 'fixed-10min-2019',
          maxLifetime: { kind: 'uniform', minMs: 2 * 3_600_000, maxMs: 6 * 3_600_000 }, // docs/sources.md §2, §11 maxEnvLifetimeH
          proactiveReplacementMs: 6 * 60_000, // docs/sources.md §2 (Stuyvenberg 2023)
          reuse: 'mru',
          errors: { rate: 0, windows: [] },
          cpu: { share: 0, parallel: false, measuredAtMb: 128, measuredOn: 'x86_64', arm64Speed: 1, arm64SpeedAssumed: true },
          responseStreaming: null,
          snapStart: null,
          provisionedRecycleMs: 4 * 3_600_000, // docs/sources.md §11 pcRecycleIntervalH
          tenantIsolation: false,
          extensions: { mode: 'none', shutdownMs: 0, shutdownAssumed: false }, // docs/sources.md §11 extensionsMode
          edge: false,
          logBytesPerInvocation: 0,
        },
      ],
      workloads: [
        {
          name: 'api-sync',
          functionName: 'api',
          invoke: 'sync',
          arrivals: [{ process: 'poisson', shape: { kind: 'constant', ratePerS: 10 }, startMs: 0, endMs: 600_000 }],
          client: { retryMode: 'standard', maxAttempts: 3, baseDelayMs: 1000, transientBaseDelayMs: 1000, maxBackoffMs: 20_000, timeoutMs: 60_000, clients: 1, retryQuota: 500 },
        },
      ],
      report: { intervalMs: 1000 }, // 600 intervals of 1s
    };
    expect(s).toEqual(expected);
  });

  it('names a scenario without a file "scenario" and leaves out `file`', () => {
    const s = parseScenario(minimal());
    expect(s.name).toBe('scenario');
    expect('file' in s).toBe(false);
  });

  it('keeps a string seed and stringifies a number', () => {
    expect(parseScenario(minimal([], undefined, ['seed: abc'])).seed).toBe('abc');
    expect(parseScenario(minimal([], undefined, ['seed: 7'])).seed).toBe('7');
  });

  it.each([
    [60_000, 1000],
    [3_600_000, 5000],
    [3_600_001, 10_000],
    [86_400_000, 300_000],
    [7 * 86_400_000, 1_800_000],
    [720 * 86_400_000, 86_400_000],
    [1000 * 86_400_000, 86_400_000],
  ])('default report interval for %i ms is %i ms', (durationMs, intervalMs) => {
    expect(defaultReportIntervalMs(durationMs)).toBe(intervalMs);
  });
});

describe('parseScenario: account scaling', () => {
  const account = (...lines: string[]) => parseScenario(minimal([], undefined, ['account:', ...lines])).account;

  it('legacy preset takes its burst from the Region (docs/sources.md §1)', () => {
    expect(account('  scaling: regional-burst-legacy').scaling).toEqual({
      model: 'regional-burst-legacy',
      burstEnvs: 3000,
      ratePerMin: 500,
    });
    expect(account('  region: eu-central-1', '  scaling: regional-burst-legacy').scaling).toMatchObject({ burstEnvs: 1000 });
    expect(account('  region: ap-south-1', '  scaling: { model: regional-burst-legacy }').scaling).toMatchObject({
      burstEnvs: 500,
    });
  });

  it('accepts explicit parameters of both models', () => {
    expect(account('  scaling: { model: regional-burst-legacy, burst: 2000, rate: 600/min }').scaling).toEqual({
      model: 'regional-burst-legacy',
      burstEnvs: 2000,
      ratePerMin: 600,
    });
    expect(account('  scaling: { model: per-function-2023, step: 500, window: 5s, refill: stepwise }').scaling).toEqual({
      model: 'per-function-2023',
      stepEnvs: 500,
      windowMs: 5000,
      refill: 'stepwise',
    });
  });

  it('accepts concurrency, region, request-rate factor and billing', () => {
    const s = parseScenario(
      minimal([], undefined, [
        'account: { concurrency: 5000, region: eu-west-1, requestRateFactor: 2.5 }',
        'billing: { granularity: 100ms, init: unbilled-zip-managed-legacy }',
      ]),
    );
    expect(s.account).toMatchObject({ concurrencyLimit: 5000, region: 'eu-west-1', requestRateFactor: 2.5 });
    expect(s.billing).toMatchObject({ granularityMs: 100, initBilling: 'unbilled-zip-managed-legacy' });
  });
});

describe('parseScenario: distributions', () => {
  const dist = (text: string) => fn(minimal([`    init: ${text}`])).init;

  it.each<[string, unknown]>([
    ['120ms', { kind: 'fixed', valueMs: 120 }],
    ['{ fixed: 2s }', { kind: 'fixed', valueMs: 2000 }],
    ['{ exponential: 200ms }', { kind: 'exponential', meanMs: 200 }],
    ['{ exponential: { mean: 200ms } }', { kind: 'exponential', meanMs: 200 }],
    ['{ uniform: { min: 10ms, max: 50ms } }', { kind: 'uniform', minMs: 10, maxMs: 50 }],
    ['{ normal: { mean: 100ms, sd: 20ms } }', { kind: 'normal', meanMs: 100, sdMs: 20, minMs: 0, maxMs: Infinity }],
    ['{ normal: { mean: 100ms, sd: 20ms, min: 50ms, max: 1s } }', { kind: 'normal', meanMs: 100, sdMs: 20, minMs: 50, maxMs: 1000 }],
    ['{ empirical: [10ms, 20ms, 35ms] }', { kind: 'empirical', valuesMs: [10, 20, 35] }],
    ['{ empirical: { values: [10ms, 20ms], weights: [1, 3] } }', { kind: 'empirical', valuesMs: [10, 20], weights: [1, 3] }],
    ['{ empirical: { values: [10ms] } }', { kind: 'empirical', valuesMs: [10] }],
  ])('%s', (text, expected) => {
    expect(dist(text)).toEqual(expected);
  });

  it('lognormal from median and p99', () => {
    expect(dist('{ lognormal: { median: 120ms, p99: 900ms } }')).toEqual({
      kind: 'lognormal',
      mu: Math.log(120),
      sigma: Math.log(900 / 120) / 2.326348,
    });
  });

  it('lognormal from mean and sigma', () => {
    expect(dist('{ lognormal: { mean: 200ms, sigma: 0.5 } }')).toEqual({ kind: 'lognormal', mu: Math.log(200) - 0.125, sigma: 0.5 });
  });

  it.each(Object.keys(initPresets))('init preset %s', (runtime) => {
    expect(dist(runtime)).toEqual(initPresets[runtime]);
  });
});

describe('parseScenario: keep-alive, lifetime, reuse, errors', () => {
  it.each([
    ['fixed-10min-2019', { kind: 'fixed', ms: 600_000 }],
    ['legacy-5min-2016', { kind: 'fixed', ms: 300_000 }],
    ['wang-27min-2017', { kind: 'fixed', ms: 1_620_000 }],
    ['random-25-60min-2019', { kind: 'distribution', dist: { kind: 'uniform', minMs: 1_500_000, maxMs: 3_600_000 } }],
    ['shilkov-5-7min-2021', { kind: 'distribution', dist: { kind: 'cdf', pointsMs: [180_000, 240_000, 300_000, 360_000, 420_000], cumulative: [0, 0.003, 0.003, 0.406, 1] } }],
  ])('keep-alive preset %s', (preset, spec) => {
    const f = fn(minimal([`    keepAlive: ${preset}`]));
    expect(f.keepAlive).toEqual(spec);
    expect(f.keepAlivePreset).toBe(preset);
  });

  it('keep-alive as a duration is fixed, as a distribution is custom', () => {
    expect(fn(minimal(['    keepAlive: 15m']))).toMatchObject({ keepAlive: { kind: 'fixed', ms: 900_000 }, keepAlivePreset: 'custom' });
    expect(fn(minimal(['    keepAlive: { exponential: 10m }']))).toMatchObject({
      keepAlive: { kind: 'distribution', dist: { kind: 'exponential', meanMs: 600_000 } },
      keepAlivePreset: 'custom',
    });
  });

  it('maxLifetime is a distribution (a duration is fixed); proactiveReplacement a duration; both may be off', () => {
    expect(fn(minimal(['    maxLifetime: { lognormal: { median: 4h, p99: 8h } }', '    proactiveReplacement: 30s']))).toMatchObject({
      maxLifetime: { kind: 'lognormal', mu: Math.log(4 * 3_600_000) },
      proactiveReplacementMs: 30_000,
    });
    expect(fn(minimal(['    maxLifetime: 3h']))).toMatchObject({ maxLifetime: { kind: 'fixed', valueMs: 3 * 3_600_000 } });
    expect(fn(minimal(['    proactiveReplacement: off']))).toMatchObject({ proactiveReplacementMs: null });
  });

  it('maxLifetime "off" is null; reuse lru; memory in GB', () => {
    expect(fn(minimal(['    maxLifetime: off', '    reuse: lru', '    memory: 1.5GB', '    ephemeralStorage: 10GB']))).toMatchObject({
      maxLifetime: null,
      reuse: 'lru',
      memoryMb: 1536,
      ephemeralStorageMb: 10240,
    });
  });

  it('errors as a probability or with windows (for, until, default end)', () => {
    expect(fn(minimal(['    errors: 0.05'])).errors).toEqual({ rate: 0.05, windows: [] });
    expect(fn(minimal(['    errors: { windows: [ { at: 1m, until: 2m, rate: 0.5 }, { at: 9m, rate: 1 } ] }'])).errors).toEqual({
      rate: 0,
      windows: [
        { startMs: 60_000, endMs: 120_000, rate: 0.5 },
        { startMs: 540_000, endMs: 600_000, rate: 1 },
      ],
    });
  });
});

describe('parseScenario: workloads', () => {
  it('takes a single segment without a list, and clips a segment to the run', () => {
    expect(wl(minimal([], ['    arrivals: { constant: 12000/min, at: 8m, for: 1h }'])).arrivals).toEqual([
      { process: 'constant', shape: { kind: 'constant', ratePerS: 200 }, startMs: 480_000, endMs: 600_000 },
    ]);
  });

  it('ramp and diurnal accept process constant; diurnal period and peak default to 24h and 0s', () => {
    const arrivals = wl(
      minimal([], [
        '    arrivals:',
        '      - { ramp: { from: 1/s, to: 2/s }, process: constant }',
        '      - { diurnal: { mean: 3/h, amplitude: 1 } }',
      ]),
    ).arrivals;
    expect(arrivals[0]).toEqual({ process: 'constant', shape: { kind: 'ramp', fromPerS: 1, toPerS: 2 }, startMs: 0, endMs: 600_000 });
    expect(arrivals[1].shape).toEqual({ kind: 'diurnal', meanPerS: 3 / 3600, amplitude: 1, periodMs: 86_400_000, peakAtMs: 0 });
  });

  it('accepts a client without retries or timeout', () => {
    expect(wl(minimal([], ['    arrivals: { poisson: 1/s }', '    client: { retries: none, timeout: off, maxAttempts: 1 }'])).client).toEqual({
      retryMode: 'none',
      maxAttempts: 1,
      baseDelayMs: 1000,
      transientBaseDelayMs: 1000,
      maxBackoffMs: 20_000,
      timeoutMs: null,
      clients: 1,
      retryQuota: null, // no retries, no quota
    });
  });

  it('retry modes: legacy makes 5 attempts without a quota; standard-2026 waits 50 ms after a client timeout', () => {
    const client = (c: string) => wl(minimal([], ['    arrivals: { poisson: 1/s }', `    client: ${c}`])).client;
    expect(client('{ retries: legacy }')).toMatchObject({ maxAttempts: 5, retryQuota: null, baseDelayMs: 1000 });
    expect(client('{ retries: standard }')).toMatchObject({ maxAttempts: 3, retryQuota: 500, transientBaseDelayMs: 1000 });
    expect(client('{ retries: standard-2026 }')).toMatchObject({ maxAttempts: 3, retryQuota: 500, baseDelayMs: 1000, transientBaseDelayMs: 50 });
    expect(client('{ retries: adaptive, clients: 8, retryQuota: off }')).toMatchObject({ retryMode: 'adaptive', clients: 8, retryQuota: null });
  });
});

describe('loadScenarioFile', () => {
  it('reads a file and names the scenario after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-scenario-'));
    const path = join(dir, 'steady.yaml');
    writeFileSync(path, minimal());
    const s = loadScenarioFile(path);
    expect(s.name).toBe('steady');
    expect(s.file).toBe(path);
  });
});

describe('clock times where a schedule wants a time of day', () => {
  it('provisioned concurrency schedules, arrival and error-window spans, diurnal peaks (the run starts at midnight)', () => {
    const s = parseScenario(
      yaml(
        'duration: 1d',
        'functions:',
        '  api:',
        '    duration: 100ms',
        '    provisionedConcurrency: { schedule: [{ at: 08:15, value: 2 }, { at: 18:30:00, value: 0 }] }',
        '    errors: { windows: [{ at: 12:00, until: 12:30, rate: 1 }] }',
        'workloads:',
        '  - function: api',
        '    arrivals:',
        '      - { poisson: 1/s, at: 09:00, until: 17h30m }',
        '      - { diurnal: { mean: 1/s, amplitude: 0.5, peak: 14:00 } }',
      ),
    );
    expect(s.functions[0].provisionedPlan?.schedule).toEqual([{ atMs: 29_700_000, value: 2 }, { atMs: 66_600_000, value: 0 }]);
    expect(s.functions[0].errors.windows).toEqual([{ startMs: 43_200_000, endMs: 45_000_000, rate: 1 }]);
    const [busy, diurnal] = s.workloads[0].arrivals;
    expect([busy.startMs, busy.endMs]).toEqual([32_400_000, 63_000_000]);
    expect(diurnal.shape).toMatchObject({ kind: 'diurnal', peakAtMs: 50_400_000 });
  });
  it('only there: a timeout is a duration, not a clock time', () => {
    expect(() => parseScenario(minimal(['    timeout: 00:10']))).toThrow(/functions\.api\.timeout: unknown duration unit ":10" in "00:10"/);
  });
});
