// Sweeps: grids, seeds, equality with individual runs, parallel = serial, shards
// merged = unsharded, confidence-interval coverage on a known M/M/∞ quantity,
// and the recommendation rule.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { UserError } from '../../src/errors.js';
import { gridPoints, parseVary } from '../../src/plan/grid.js';
import { runMetrics } from '../../src/plan/metrics.js';
import { autoWorkers, mergeOutputs, runSweep, type SweepOptions } from '../../src/plan/sweep.js';
import { analyze, type SweepResult } from '../../src/plan/analyze.js';
import { replicationSeed, shardJobs, SHARD_SCHEMA, SWEEP_SCHEMA, type RunRecord, type ShardOutput, type SweepSpec } from '../../src/plan/spec.js';
import { sweepCsv, sweepJson, sweepText } from '../../src/plan/report.js';
import { sweepHtml } from '../../src/plan/page.js';
import { tQuantile, summarize } from '../../src/plan/stats.js';
import { parseObjectives } from '../../src/plan/objectives.js';
import { main } from '../../src/cli/main.js';

const api = `name: api
seed: 5
duration: 90s
warmup: 10s
functions:
  api:
    memory: 512MB
    duration: { lognormal: { median: 120ms, p99: 700ms } }
    cpu: { share: 0.9, measuredAt: 512MB }
workloads:
  - function: api
    arrivals: { poisson: 40/s }
`;

const options = (o: Partial<SweepOptions> = {}): SweepOptions => ({
  file: 'api.yaml',
  text: api,
  vary: ['functions.api.memory=256MB..1024MB:step=256MB', 'functions.api.architecture=x86_64,arm64'],
  replications: 3,
  confidence: 0.95,
  objective: 'p99<=700ms',
  workers: 1,
  ...o,
});

describe('grid', () => {
  it('expands ranges (with the end when the last step falls short), lists and flow values', () => {
    expect(parseVary('functions.api.memory=128MB..512MB:step=128MB').values).toEqual(['128MB', '256MB', '384MB', '512MB']);
    expect(parseVary('functions.api.memory=128MB..600MB:step=256MB').values).toEqual(['128MB', '384MB', '600MB']);
    expect(parseVary('a.b=0.1..0.3:step=0.1').values).toEqual(['0.1', '0.2', '0.3']);
    expect(parseVary('a.b=x86_64, arm64').values).toEqual(['x86_64', 'arm64']);
    expect(parseVary('f.pc=0,{ schedule: [{ at: 9h, value: 100 }, { at: 18h, value: 0 }] },{ autoscaling: { min: 1, max: 9 } }').values).toEqual([
      '0',
      '{ schedule: [{ at: 9h, value: 100 }, { at: 18h, value: 0 }] }',
      '{ autoscaling: { min: 1, max: 9 } }',
    ]);
  });
  it('rejects malformed values with the --vary named', () => {
    expect(() => parseVary('a=1MB..2GB:step=1MB')).toThrow(/--vary a=1MB\.\.2GB:step=1MB: the range .* must use one unit/);
    expect(() => parseVary('a=1..5')).toThrow(/needs a step/);
    expect(() => parseVary('a=1,,2')).toThrow(/empty value/);
    expect(() => parseVary('novalue')).toThrow(/expected key\.path=values/);
  });
  it('the first dimension varies slowest', () => {
    const pts = gridPoints([parseVary('a=1,2'), parseVary('b=x,y,z')]);
    expect(pts.map((p) => p.values.join(''))).toEqual(['1x', '1y', '1z', '2x', '2y', '2z']);
    expect(pts[4].label).toBe('a=2 b=y');
  });
  it('shards are round-robin slices that together cover every job once', () => {
    const all = [1, 2, 3].flatMap((i) => shardJobs(10, { index: i, count: 3 })).sort((a, b) => a - b);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(shardJobs(10, { index: 2, count: 3 })).toEqual([1, 4, 7]);
  });
});

describe('statistics', () => {
  it('Student-t quantiles match published tables (to 1e-6)', () => {
    expect(tQuantile(0.975, 1)).toBeCloseTo(12.706205, 5);
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.776445, 6);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042272, 6);
    expect(tQuantile(0.995, 10)).toBeCloseTo(3.169273, 6);
    expect(tQuantile(0.025, 4)).toBeCloseTo(-2.776445, 6);
  });
  it('summarize: mean ± t·sd/√n', () => {
    const s = summarize([1, 2, 3, 4, 5], 0.95);
    // mean 3, sd √2.5, half-width 2.776445 × 1.581139 / √5 = 1.963243
    expect(s.mean).toBe(3);
    expect(s.sd).toBeCloseTo(Math.sqrt(2.5), 8);
    expect(s.ci![0]).toBeCloseTo(3 - 1.963243, 5);
    expect(s.ci![1]).toBeCloseTo(3 + 1.963243, 5);
    expect(summarize([7], 0.95)).toEqual({ n: 1, mean: 7, sd: null, ci: null });
  });

  it('t-intervals cover the mean concurrency of M/M/∞ (λ·E[S] = 10) at about 95% over 200 experiments', async () => {
    // 10/s Poisson arrivals, exponential 1 s handlers, no init, no limit (and a 900 s timeout:
    // the default 3 s would truncate the exponential, E[min(S, 3 s)] = 0.95 s): the number in
    // service is Poisson with mean 10 in steady state (30 s warm-up ≫ E[S]). Each
    // experiment is a one-point sweep with 5 replications; its 95% t-interval of
    // meanConcurrency covers 10 with probability ≈ 0.95. Over 200 independent experiments
    // the count of covering intervals is Binomial(200, 0.95): mean 190, sd 3.08; accept
    // 181 … 199 (±3 sd, ≈ 0.3% false alarms).
    const mm = (k: number) => `name: mm-inf
seed: cov-${k}
duration: 130s
warmup: 30s
account: { concurrency: 10000 }
functions:
  f: { duration: { exponential: 1s }, init: 0ms, timeout: 900s }
workloads:
  - function: f
    arrivals: { poisson: 10/s }
`;
    let covered = 0;
    for (let k = 0; k < 200; k++) {
      const r = (await runSweep({ file: 'mm.yaml', text: mm(k), vary: [], replications: 5, confidence: 0.95, workers: 1 })) as SweepResult;
      const ci = r.points[0].stats.meanConcurrency.ci!;
      if (ci[0] <= 10 && 10 <= ci[1]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(181);
    expect(covered).toBeLessThanOrEqual(199);
  }, 120_000);
});

describe('a sweep is the individual runs of its points', () => {
  let result: SweepResult;
  beforeAll(async () => {
    result = (await runSweep(options())) as SweepResult;
  });

  it('every run equals simulate() of the point with the replication seed', () => {
    expect(result.runs).toHaveLength(8 * 3);
    for (const run of result.runs.filter((_, i) => i % 5 === 0)) {
      const p = result.points[run.point];
      const overrides = Object.entries(p.settings).map(([key, value]) => ({ path: key.split('.'), value, source: key }));
      const scenario = parseScenario(api, 'api.yaml', { overrides });
      scenario.seed = replicationSeed('5', run.replication);
      expect(run.seed).toBe(scenario.seed);
      expect(run.metrics).toEqual(runMetrics(simulate(scenario), result.spec.metrics));
    }
  });

  it('replication 0 uses the scenario seed (one replication reproduces lsim run), others <seed>#r', () => {
    expect(result.runs.slice(0, 3).map((r) => r.seed)).toEqual(['5', '5#1', '5#2']);
  });

  it('the recommendation is the cheapest point meeting every objective', () => {
    const feasible = result.points.filter((p) => p.stats.p99.mean! <= 700);
    expect(feasible.length).toBeGreaterThan(0);
    expect(feasible.length).toBeLessThan(result.points.length);
    const cheapest = feasible.reduce((a, b) => (b.stats.cost.mean! < a.stats.cost.mean! ? b : a));
    expect(result.recommendation.point).toBe(cheapest.index);
    for (const p of result.points) {
      if (p.stats.p99.mean! > 700) expect(p.reason).toMatch(/^fails p99 .* > 700\.0 ms/);
    }
  });

  it('the frontier is exactly the non-dominated points', () => {
    const xy = result.points.map((p) => [p.stats.cost.mean!, p.stats.p99.mean!]);
    const dominated = (i: number) => xy.some(([x, y], j) => j !== i && x <= xy[i][0] && y <= xy[i][1] && (x < xy[i][0] || y < xy[i][1]));
    expect([...result.frontier].sort()).toEqual(xy.map((_, i) => i).filter((i) => !dominated(i)).sort());
  });

  it('reports render: text, CSV with a row per point, HTML with the chart inlined', () => {
    expect(sweepText(result)).toMatch(/Recommendation: #\d+ memory=\d+MB architecture=/);
    expect(sweepCsv(result).trim().split('\n')).toHaveLength(9);
    const html = sweepHtml(result);
    expect(html).toContain('new Chart(');
    expect(html).toMatch(/Chart\.js v4/);
    expect(html).not.toMatch(/<script src=/);
  });

  it('shards merged equal the unsharded sweep, byte for byte', async () => {
    const shards = await Promise.all([1, 2, 3].map((i) => runSweep(options({ shard: `${i}/3` })) as Promise<ShardOutput>));
    expect(shards.map((s) => s.runs.length)).toEqual([8, 8, 8]);
    const merged = mergeOutputs([...shards].reverse().map((s, i) => ({ file: `s${i}.json`, text: sweepJson(s) })));
    expect(sweepJson(merged)).toBe(sweepJson(result));
    expect(() => mergeOutputs(shards.slice(0, 2).map((s, i) => ({ file: `s${i}.json`, text: sweepJson(s) })))).toThrow(/8 of 24 runs are missing/);
    expect(() => mergeOutputs([shards[0], shards[0]].map((s, i) => ({ file: `s${i}.json`, text: sweepJson(s) })))).toThrow(/also in s0\.json/);
    const other = { ...shards[1], spec: { ...shards[1].spec, replications: 4 } };
    expect(() => mergeOutputs([shards[0], other].map((s, i) => ({ file: `s${i}.json`, text: sweepJson(s) })))).toThrow(/s1\.json: belongs to another sweep than s0\.json \(they differ in replications\)/);
  });

  it('an objective or minimised metric on a function or workload the scenario lacks is refused before any run', async () => {
    await expect(runSweep(options({ objective: 'coldStartRate@nope<=1%' }))).rejects.toThrow(/^--objective coldStartRate@nope<=1%: coldStartRate@nope: the scenario has no function named "nope" \(it has api\)$/);
    await expect(runSweep(options({ objective: 'p99<=1s', minimise: 'cost=0.5,p99@web=0.5' }))).rejects.toThrow(/--minimise p99@web: p99@web: the scenario has no workload named "web"/);
  });

  it('a file that is JSON but not a whole sweep output is refused, naming the file and what is wrong (it crashed with a TypeError)', async () => {
    const shard = (await runSweep(options({ shard: '1/3' }))) as ShardOutput;
    const refused = (text: string) => {
      try {
        mergeOutputs([{ file: 'x.json', text }]);
      } catch (e) {
        if (e instanceof UserError) return e.message;
        throw e;
      }
      throw new Error('accepted');
    };
    expect(refused('null')).toBe(`x.json: not a sweep output (schema undefined; expected ${SHARD_SCHEMA} or ${SWEEP_SCHEMA})`);
    expect(refused(JSON.stringify({ schema: SHARD_SCHEMA, spec: {}, runs: [{}] }))).toMatch(/^x\.json: not a whole sweep output: spec\.scenario: /);
    expect(refused(JSON.stringify({ ...shard, runs: [{}] }))).toMatch(/^x\.json: not a whole sweep output: runs\.0\.point: /);
    expect(refused(JSON.stringify({ ...shard, spec: { ...shard.spec, vary: 'memory' } }))).toMatch(/^x\.json: not a whole sweep output: spec\.vary: /);
  });
});

describe('parallel runs', () => {
  it('--workers left to lsim: the CPU count, but one worker per 2 M estimated requests, and all for a trace', () => {
    const runs = (requests: number, n: number) => Array.from({ length: n }, () => ({ requests: requests / n, backlog: 0 }));
    // The bench's quick sweep: 100 runs, 1.2 M requests in all, is faster in one thread than in two.
    expect(autoWorkers(runs(1.2e6, 100), 8, false)).toBe(1);
    expect(autoWorkers(runs(5e6, 100), 8, false)).toBe(2);
    expect(autoWorkers(runs(1e9, 100), 8, false)).toBe(8);
    // Never more workers than runs, never fewer than one.
    expect(autoWorkers(runs(1e9, 3), 8, false)).toBe(3);
    expect(autoWorkers([], 8, false)).toBe(1);
    // A traced point's requests are not in the estimate: every core.
    expect(autoWorkers(runs(1e3, 10), 8, true)).toBe(8);
  });

  it('two worker threads give the serial result byte for byte', async () => {
    ensureBuilt();
    const o = options({ replications: 2 });
    const serial = sweepJson((await runSweep(o)) as SweepResult);
    const parallel = sweepJson((await runSweep({ ...o, workers: 2 })) as SweepResult);
    expect(parallel).toBe(serial);
  }, 120_000);
});

describe('objectives and the recommendation rule', () => {
  const spec = (objective: string, minimise = [{ metric: 'cost', weight: 1 }]): SweepSpec => ({
    scenario: { file: 'x.yaml', name: 'x', seed: '1', sha256: '' },
    vary: [{ key: 'functions.f.memory', values: ['a', 'b', 'c', 'd'] }],
    replications: 2,
    confidence: 0.95,
    metrics: ['cost', 'p99', 'throttleRate'],
    objectives: parseObjectives(objective),
    minimise,
    latencyMetric: 'p99',
    skipped: [],
    guard: null,
  });
  // (cost, p99, throttleRate) per point, two replications each.
  const table = [
    [10, 900, 0],
    [20, 700, 0.002],
    [30, 600, 0],
    [40, 500, 0],
  ];
  const runs: RunRecord[] = table.flatMap(([cost, p99, throttleRate], point) =>
    [0, 1].map((replication) => ({ point, replication, seed: String(replication), events: 0, month: 'month = 31 days: window × 744; no free tier', metrics: { cost: cost + replication, p99, throttleRate } })),
  );

  it('cheapest point meeting every objective, with the reason each other point lost', () => {
    const r = analyze(spec('p99<=800ms,throttleRate<=0.1%'), runs);
    expect(r.recommendation.point).toBe(2);
    expect(r.points[0].reason).toBe('fails p99 900.0 ms > 800.0 ms');
    expect(r.points[1].reason).toBe('fails throttleRate 0.20% > 0.10%');
    expect(r.points[3].reason).toMatch(/meets every objective, but cost \$40\.50 is \+\$10\.00 above the recommendation/);
    // Both replications differ by exactly +10 (common seeds): a zero-width paired interval, separable.
    expect(r.recommendation.separation!.separable).toBe(true);
    expect(r.frontier).toEqual([0, 1, 2, 3]);
  });

  it('minimise latency instead; or report the closest point when none meets the objectives', () => {
    expect(analyze(spec('throttleRate<=0.1%', [{ metric: 'p99', weight: 1 }]), runs).recommendation.point).toBe(3);
    const none = analyze(spec('p99<=100ms'), runs);
    expect(none.recommendation.point).toBeNull();
    // Every point fails p99 <= 100 ms; the nearest (500 ms: 4× over) is the closest, not the cheapest.
    expect(none.recommendation.summary).toMatch(/no configuration meets every objective; the closest \(normalised distance 4\) is #3/);
  });

  it('objective parsing locates mistakes', () => {
    expect(() => parseObjectives('p99<=800')).toThrow(/p99 needs a duration/);
    expect(() => parseObjectives('latency<=1s')).toThrow(/unknown metric "latency"/);
    expect(parseObjectives('throttleRate<0.5%,cost<=$1200')[0].value).toBeCloseTo(0.005, 12);
  });
});

describe('lsim sweep and lsim merge on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-sweep-'));
  writeFileSync(join(dir, 'api.yaml'), api);
  const cli = async (args: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd: dir });
    return { code, stdout, stderr };
  };

  it('a bad value is a located problem naming the --vary (exit 2)', async () => {
    // Every point invalid: the sweep is refused with each problem (one invalid point among valid ones is skipped, test/plan/decisions.test.ts).
    const r = await cli(['sweep', join(dir, 'api.yaml'), '--vary', 'functions.api.memory=64MB,100MB', '-j', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/api\.yaml:7:13: functions\.api\.memory: must be a whole number of MB from 128MB to 10240MB .*got 64MB \(value from --vary functions\.api\.memory=64MB\)/);
  });

  it('shards written with --out merge into the same JSON as the whole sweep', async () => {
    const base = ['sweep', join(dir, 'api.yaml'), '--vary', 'functions.api.memory=256MB,512MB', '-n', '2', '-j', '1'];
    const whole = await cli([...base, "--format", "json"]);
    expect(whole.code).toBe(0);
    for (const i of [1, 2]) expect((await cli([...base, '--shard', `${i}/2`, '--out', join(dir, 'shards')])).code).toBe(0);
    const merged = await cli(['merge', ...[1, 2].map((i) => join(dir, 'shards', `shard-${i}-of-2.json`)), '--format', 'json']);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole.stdout);
    expect(JSON.parse(readFileSync(join(dir, 'shards', 'shard-1-of-2.json'), 'utf8')).schema).toBe('lsim.sweep-shard/1');
  });

  it('merge --out onto the folder of the shards it merges is refused, and the shards are kept (it deleted them)', async () => {
    const base = ['sweep', join(dir, 'api.yaml'), '--vary', 'functions.api.memory=256MB,512MB', '-j', '1'];
    const folder = join(dir, 'keep');
    for (const i of [1, 2]) expect((await cli([...base, '--shard', `${i}/2`, '--out', folder])).code).toBe(0);
    for (const files of [[folder], [join(folder, 'shard-1-of-2.json'), join(folder, 'shard-2-of-2.json')]]) {
      const r = await cli(['merge', ...files, '--out', folder]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`lsim: --out ${folder}: holds the shard files being merged (shard-1-of-2.json, shard-2-of-2.json), which writing the report set there would delete; give another directory\n`);
      expect(readdirSync(folder).sort()).toEqual(['shard-1-of-2.json', 'shard-2-of-2.json']);
    }
    const elsewhere = await cli(['merge', folder, '--out', join(dir, 'report')]);
    expect(elsewhere.code).toBe(0);
    expect(readdirSync(join(dir, 'report')).sort()).toEqual(['sweep.csv', 'sweep.html', 'sweep.json', 'sweep.txt']);
  });

  it('bad flags are problems, not stack traces', async () => {
    const r = await cli(['sweep', join(dir, 'api.yaml'), '--objective', 'p99<=fast', '--replications', '0', '-j', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/p99 needs a duration/);
    expect(r.stderr).toMatch(/--replications must be a whole number/);
  });
});

// Keep UserError referenced for readers: every failure above is a UserError (exit 2).
void UserError;
