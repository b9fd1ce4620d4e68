// docs/playground.md's lessons table quotes what each lesson's controls show; those figures are
// lsim's own for the lesson's YAML (the page runs the same simulator, test/play/browser.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withControls } from '../../src/play/controls.js';
import { LESSONS } from '../../src/play/lessons.js';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

const run = (yaml: string) => simulate(parseScenario(yaml, 'playground.yaml'));
const row = (title: string) => {
  const line = readFileSync('docs/playground.md', 'utf8').split('\n').find((l) => l.startsWith(`| ${title} |`));
  expect(line, title).toBeDefined();
  return line!;
};
const usd = (x: number) => `$${x.toFixed(2)}`;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

describe('docs/playground.md: the lessons table', () => {
  it('"What does provisioned concurrency buy?": the cold-start shares, p99s and costs of none, 25 and 10', () => {
    const yaml = LESSONS.find((l) => l.id === 'what-pc-buys')!.yaml;
    const [none, pc25, pc10] = [yaml, withControls(yaml, [['provisioned', 25]]), withControls(yaml, [['provisioned', 10]])].map(run);
    const p99 = (r: ReturnType<typeof run>) => (r.workloads[0].invoke === 'sync' ? r.workloads[0].latencyMs.p99 : NaN);
    const line = row('What does provisioned concurrency buy?');
    expect(line).toContain(`(${pct(none.functions[0].coldStartRate)} to ${pct(pc25.functions[0].coldStartRate)})`);
    expect(line).toContain(`(${(p99(none) / 1000).toFixed(2)} s to ${p99(pc25).toFixed(1)} ms)`);
    expect(line).toContain(`(${usd(none.account.cost.monthly.total)} to ${usd(pc25.account.cost.monthly.total)}:`);
    const w10 = pc10.workloads[0];
    if (w10.invoke !== 'sync') throw new Error('sync');
    expect(line).toContain(`(${(100 * w10.throttled / w10.requests).toFixed(1)}% of callers get a 429, p99 ${(w10.latencyMs.p99 / 1000).toFixed(2)} s)`);
  });

  it('"SQS vs async under an outage": retries, failed deliveries, deletions and invocations', () => {
    const yaml = LESSONS.find((l) => l.id === 'sqs-vs-async')!.yaml;
    const a = run(yaml);
    const q = run(withControls(yaml, [['invoke', 'sqs']]));
    const aw = a.workloads[0];
    const qw = q.workloads[0];
    if (aw.invoke !== 'async' || qw.invoke !== 'sqs') throw new Error('models');
    const n = (x: number) => x.toLocaleString('en-US');
    const line = row('SQS vs async under an outage');
    expect(aw.failed.total).toBe(0);
    expect(line).toContain(`(${n(aw.succeededAfterRetry)} "ok after retry", none failed)`);
    expect(line).toContain(`(${n(qw.messages.failedDeliveries)} failed deliveries)`);
    expect(line).toContain(`(${n(qw.messages.deleted)} of ${n(qw.messages.sent)}; ${qw.messages.inFlightAtEnd} in flight when the run ends)`);
    expect(line).toContain(`(${n(q.functions[0].invocations)} against ${n(a.functions[0].invocations)})`);
  });

  it('"Why did this burst throttle?": throttled at 50 reserved, none left at 500', () => {
    const yaml = LESSONS.find((l) => l.id === 'burst-throttle')!.yaml;
    expect(row('Why did this burst throttle?')).toContain('(at 500 none are left)');
    expect(run(yaml).functions[0].throttles.total).toBeGreaterThan(0);
    expect(run(withControls(yaml, [['reserved', 500]])).functions[0].throttles.total).toBe(0);
  });
});
