// The playground's controls (issue 20) edit the scenario's YAML: each sets the key it names (and the
// document keeps its comments and other keys), the values read back are those set, and every lesson
// runs. Node-side checks; test/play/browser.test.ts drives the page itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTROLS, settingsOf, withControls } from '../../src/play/controls.js';
import { LESSONS } from '../../src/play/lessons.js';
import { playRun } from '../../src/play/run.js';
import { playPage, fileStart } from '../../src/play/page.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { ensureBuilt } from '../helpers/build.js';

const teaching = readFileSync('scenarios/teaching.yaml', 'utf8');
const sources = readFileSync('docs/sources.md', 'utf8');

describe('controls', () => {
  it('each cites a section docs/sources.md has, and states its rule in one sentence', () => {
    for (const c of CONTROLS) {
      const m = /^§(\d+) "(.+)"$/.exec(c.source);
      expect(m, c.id).not.toBeNull();
      expect(sources, `${c.id}: ${c.source}`).toMatch(new RegExp(`^##+ (${m![1]}\\. )?${m![2].replace(/[()]/g, '\\$&')}$`, 'm'));
      expect(c.rule.trim().split(/(?<=[a-z0-9)])\. /).length, c.id).toBe(1);
    }
  });

  it('set the keys they name, keep the comments, and read back what they set', () => {
    const yaml = withControls(teaching, [
      ['rate', 20],
      ['burstHeight', 300],
      ['burstLength', 15],
      ['burstAt', 50],
      ['reserved', 40],
      ['provisioned', 10],
      ['memory', 2048],
      ['architecture', 'arm64'],
      ['keepAlive', 'shilkov-5-7min-2021'],
      ['scaling', 'regional-burst-legacy'],
      ['granularity', '100ms'],
    ]);
    expect(yaml.startsWith('# A small scenario for teaching')).toBe(true);
    const s = parseScenario(yaml, 'playground.yaml');
    const f = s.functions[0];
    expect(f).toMatchObject({ memoryMb: 2048, architecture: 'arm64', reservedConcurrency: 40, provisionedConcurrency: 10 });
    expect(s.billing.granularityMs).toBe(100);
    expect(yaml).toContain('keepAlive: shilkov-5-7min-2021');
    expect(yaml).toContain('scaling: regional-burst-legacy');
    expect(yaml).toContain('granularity: 100ms');
    expect(yaml).toContain('- { poisson: 20/s }');
    expect(yaml).toContain('- { at: 50s, for: 15s, poisson: 300/s }');
    expect(settingsOf(yaml)).toMatchObject({ rate: 20, burstHeight: 300, burstLength: 15, burstAt: 50, reserved: 40, provisioned: 10, memory: 2048, architecture: 'arm64', keepAlive: 'shilkov-5-7min-2021', scaling: 'regional-burst-legacy', granularity: '100ms' });
    // Back to none: the keys go, the burst segment goes.
    const back = withControls(yaml, [['reserved', -1], ['provisioned', 0], ['burstHeight', 0]]);
    expect(back).not.toContain('reservedConcurrency');
    expect(back).not.toContain('provisionedConcurrency');
    expect(back).not.toContain('at: 50s');
    expect(settingsOf(back)).toMatchObject({ reserved: -1, provisioned: 0, burstHeight: 0, rate: 20 });
  });

  it('callers and invocation models: the keys of the others are removed, so the loader accepts the result', () => {
    const cases: [string, number | string][][] = [
      [['caller', 'apigw-rest']],
      [['caller', 'function-url']],
      [['caller', 'sdk-none']],
      [['caller', 'apigw-rest'], ['caller', 'sdk']],
      [['invoke', 'async']],
      [['invoke', 'sqs'], ['sqsBatch', 100], ['sqsWindow', 2]],
      [['invoke', 'stream'], ['shards', 4], ['parallelization', 3]],
    ];
    for (const changes of cases) {
      const yaml = withControls(teaching, changes);
      const w = parseScenario(yaml, 'playground.yaml').workloads[0] as unknown as Record<string, unknown>;
      const set = Object.fromEntries(changes);
      expect(w.invoke, JSON.stringify(changes)).toBe(set.invoke ?? 'sync');
      expect(settingsOf(yaml), JSON.stringify(changes)).toMatchObject(set);
      if (set.caller === 'apigw-rest' && set.invoke === undefined) expect((w.via as { door: string }).door).toBe('apigw-rest');
      if (set.invoke === 'sqs') expect(w.sqs).toMatchObject({ batchSize: 100, maximumBatchingWindowMs: 2000 });
      if (set.invoke === 'stream') expect(w.stream).toMatchObject({ shards: 4, parallelizationFactor: 3 });
    }
  });

  it('a door goes with the sync model: back from SQS, the caller is the SDK', () => {
    const yaml = withControls(teaching, [['caller', 'apigw-rest'], ['invoke', 'sqs'], ['invoke', 'sync']]);
    expect(settingsOf(yaml)).toMatchObject({ invoke: 'sync', caller: 'sdk' });
    expect(parseScenario(yaml, 'playground.yaml').workloads[0]).not.toHaveProperty('via');
  });

  it('a value the loader refuses comes back with its located message, and the YAML that was refused', () => {
    const out = playRun(teaching, [['memory', 64]]);
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.message).toMatch(/^playground\.yaml:13:\d+: functions\.api\.memory: /);
    expect(out.yaml).toContain('memory: 64MB');
    // A run above the limits lsim run refuses without --allow-large is refused here too (54 billion requests).
    const big = playRun(teaching.replace('duration: 2m', 'duration: 3000h'), [['rate', 5000]]);
    expect(big.ok).toBe(false);
    if (!big.ok) expect(big.message).toContain('requests');
  });
});

describe('lessons', () => {
  it('each runs, under its own file name, to the bytes lsim run gives for its YAML', () => {
    expect(LESSONS.map((l) => l.id)).toEqual(['burst-throttle', 'what-pc-buys', 'sqs-vs-async', 'billing-100ms']);
    for (const l of LESSONS) {
      const out = playRun(l.yaml, []);
      expect(out.ok, l.id).toBe(true);
      if (!out.ok) continue;
      expect(out.json).toBe(jsonReport(simulate(parseScenario(l.yaml, 'playground.yaml'))));
      expect(out.data.charts.length).toBeGreaterThan(4);
    }
  });

  it('say what their controls show: the burst throttles at 50 reserved and not at 500; PC lowers cold starts and p99 and costs; the outage; 100 ms billing costs more', () => {
    const throttles = (yaml: string) => JSON.parse(jsonReport(simulate(parseScenario(yaml, 'playground.yaml')))).functions[0].throttles.total as number;
    const burst = LESSONS[0].yaml;
    expect(throttles(burst)).toBeGreaterThan(1000);
    expect(throttles(withControls(burst, [['reserved', 500]]))).toBe(0);
    // Without the SDK's retries the callers lose more of the burst.
    const lost = (yaml: string) => {
      const w = simulate(parseScenario(yaml, 'playground.yaml')).workloads[0];
      return w.invoke === 'sync' ? w.requests - w.succeeded : NaN;
    };
    expect(lost(withControls(burst, [['caller', 'sdk-none']]))).toBeGreaterThan(lost(burst));
    const fn = (yaml: string) => simulate(parseScenario(yaml, 'playground.yaml')).functions[0];
    const pc = LESSONS[1].yaml;
    const pc25 = simulate(parseScenario(withControls(pc, [['provisioned', 25]]), 'playground.yaml'));
    const pc0 = simulate(parseScenario(pc, 'playground.yaml'));
    expect(pc25.functions[0].coldStartRate).toBeLessThan(pc0.functions[0].coldStartRate / 2);
    expect(pc25.workloads[0].invoke === 'sync' && pc0.workloads[0].invoke === 'sync' && pc25.workloads[0].latencyMs.p99 < pc0.workloads[0].latencyMs.p99).toBe(true);
    expect(pc25.functions[0].cost.monthly.total).toBeGreaterThan(pc0.functions[0].cost.monthly.total * 1.5);
    // The outage: async retries the failed events a minute later and loses none; SQS retries after the
    // visibility timeout, deletes every message in the end, in fewer invocations.
    const outage = LESSONS[2].yaml;
    const a = simulate(parseScenario(outage, 'playground.yaml'));
    const q = simulate(parseScenario(withControls(outage, [['invoke', 'sqs']]), 'playground.yaml'));
    const aw = a.workloads[0];
    const qw = q.workloads[0];
    if (aw.invoke !== 'async' || qw.invoke !== 'sqs') throw new Error('models');
    expect(aw.succeededAfterRetry).toBeGreaterThan(1000);
    expect(aw.failed.total).toBe(0);
    expect(qw.messages.failedDeliveries).toBeGreaterThan(1000);
    expect(qw.messages.sent - qw.messages.deleted).toBeLessThan(10);
    expect(q.functions[0].invocations).toBeLessThan(a.functions[0].invocations);
    // 25 ms median at 100 ms billing: every invocation is billed 100 ms (p99 60 ms), about 4× the 1 ms bill's duration line.
    const line = (yaml: string) => fn(yaml).cost.lines.filter((l) => l.item.startsWith('duration')).reduce((a, l) => a + l.usd, 0);
    const bill = LESSONS[3].yaml;
    const ratio = line(withControls(bill, [['granularity', '100ms']])) / line(bill);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(4.5);
  });
});

describe('page', () => {
  it('is the same bytes for the same inputs, holds the worker, the lessons and no address to fetch', () => {
    ensureBuilt();
    const a = playPage([fileStart('scenarios/teaching.yaml', teaching, 0)]);
    expect(playPage([fileStart('scenarios/teaching.yaml', teaching, 0)])).toBe(a);
    expect(a).toContain('id="play-worker"');
    for (const l of LESSONS) expect(a).toContain(JSON.stringify(l.title));
    expect(a.match(/<\/script>/g)!.length).toBe(a.match(/<script/g)!.length);
    expect(a).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']https?:/);
  });
});
