// lsim compare: differences are exact arithmetic on the runs' results, and the table of a small
// scenario against a --set variant is golden.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { simulate } from '../../src/sim/simulate.js';
import { compare, compareHtml, compareJson, compareText, formatDiff } from '../../src/report/compare.js';

const update = process.env.UPDATE_GOLDEN === '1';
const file = 'scenarios/teaching.yaml';
const sets = ['billing.granularity=100ms', 'functions.api.reservedConcurrency=6'];
const a = simulate(loadScenarioFile(file));
const b = simulate(loadScenarioFile(file, { overrides: sets.map((s) => parseOverride(s)) }));
const c = compare([
  { label: 'as written', file, result: a },
  { label: sets.join(' '), file, overrides: sets, result: b },
]);

describe('compare', () => {
  it('takes each value from its run and the difference from the first', () => {
    const row = (section: string, metric: string) => c.rows.find((r) => r.section === section && r.metric === metric)!;
    expect(row('account', 'invocations').values).toEqual([a.account.invocations, b.account.invocations]);
    expect(row('account', 'invocations').diffs[1]!.abs).toBe(b.account.invocations - a.account.invocations);
    expect(row('account', 'Lambda per month').values).toEqual([a.account.cost.monthly.total, b.account.cost.monthly.total]);
    expect(row('account', 'the bill per month').values).toEqual([a.account.cost.bill.monthlyUsd, b.account.cost.bill.monthlyUsd]);
    const p99 = row('workload web', 'end-to-end p99');
    const wa = a.workloads[0], wb = b.workloads[0];
    if (wa.invoke !== 'sync' || wb.invoke !== 'sync') throw new Error('sync expected');
    expect(p99.values).toEqual([wa.latencyMs.p99, wb.latencyMs.p99]);
    expect(p99.diffs[1]!.rel).toBeCloseTo((wb.latencyMs.p99 - wa.latencyMs.p99) / wa.latencyMs.p99, 6);
    for (const r of c.rows) expect(r.diffs[0]).toBeNull();
  });
  it('the variant bills in 100 ms steps: billed duration is a multiple of 100 ms', () => {
    expect(b.scenario.billingGranularityMs).toBe(100);
    expect(b.functions[0].billing.billedDurationMs % 100).toBe(0);
    expect(b.functions[0].reservedConcurrency).toBe(6);
  });
  it('formats differences: signs, percentage points for shares, = for none', () => {
    expect(formatDiff({ abs: 215, rel: 0.2844 }, 'count')).toBe('+215 (+28%)');
    expect(formatDiff({ abs: -0.4319, rel: -0.75 }, 'share')).toBe('−43.19 pp');
    expect(formatDiff({ abs: 0, rel: 0 }, 'ms')).toBe('=');
    expect(formatDiff({ abs: 5, rel: null }, 'usd')).toBe('+$5.00');
  });
  it('says whether each month has the free tier, as the run report does (the month is not the window × N then)', () => {
    expect(compareText(c)).toContain('\n  month = 31 days: window × 22,320; free tier applied\n');
    const off = simulate(loadScenarioFile(file, { overrides: [parseOverride('billing.freeTier=false')] }));
    const mixed = compare([{ label: 'as written', file, result: a }, { label: 'billing.freeTier=false', file, overrides: ['billing.freeTier=false'], result: off }]);
    expect(mixed.runs.map((r) => r.month)).toEqual(['month = 31 days: window × 22,320; free tier applied', 'month = 31 days: window × 22,320; no free tier']);
    // Without the free tier the month is the window × 22,320; with it, less.
    expect(off.account.cost.monthly.total).toBeCloseTo(off.account.cost.window.total * 22_320, 6);
    expect(a.account.cost.monthly.total).toBeLessThan(a.account.cost.window.total * 22_320);
  });
  it('matches reports/compare-teaching.txt and fits 100 columns', () => {
    const text = compareText(c);
    if (update) writeFileSync('reports/compare-teaching.txt', text);
    expect(text).toBe(readFileSync('reports/compare-teaching.txt', 'utf8'));
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
  it('JSON carries the same rows; HTML is self-contained and deterministic', () => {
    const j = JSON.parse(compareJson(c));
    expect(j.schema).toBe('lsim.compare/1');
    expect(j.rows).toEqual(c.rows);
    const runs = [{ label: 'as written', file, result: a }, { label: sets.join(' '), file, overrides: sets, result: b }];
    const html = compareHtml(c, runs);
    expect(html).toBe(compareHtml(compare(runs), runs));
    expect(html).not.toMatch(/<script[^>]+src=|<link /);
    expect(j.warnings).toEqual(c.warnings);
  });
  it('warns when a cheaper run leaves more of the work unfinished, and shows each run\'s work and cost per work served', () => {
    // A (as written) throttles a third of web's requests to the end; B (reserved concurrency 6) a tenth.
    const wa = a.workloads[0], wb = b.workloads[0];
    if (wa.invoke !== 'sync' || wb.invoke !== 'sync') throw new Error('sync expected');
    // Unfinished: neither answered OK nor still in flight at the end (the run's edge, not work left undone).
    const unfinished = (w: typeof wa) => (w.requests - w.succeeded - w.openAtEnd) / w.requests;
    expect(unfinished(wa)).toBeGreaterThan(unfinished(wb) + 0.001);
    expect(a.account.cost.bill.monthlyUsd).toBeLessThan(b.account.cost.bill.monthlyUsd);
    const pc = (x: number) => `${(x * 100).toPrecision(3)}%`;
    expect(c.warnings).toEqual([
      `A costs less than B but leaves more of the work unfinished (lost, refused or still queued: web ${pc(unfinished(wa))} against ${pc(unfinished(wb))}): ` +
        'part of its saving is work not done, and its latencies count only the work it served; compare "window cost per M served"',
    ]);
    const row = (metric: string) => c.rows.find((r) => r.section === 'account' && r.metric === metric)!.values;
    expect(row('work served')).toEqual([wa.succeeded, wb.succeeded]);
    expect(row('work unfinished')).toEqual([unfinished(wa), unfinished(wb)].map((x) => Number(x.toFixed(6))));
    expect(row('window cost per M served')[0]).toBeCloseTo((a.account.cost.window.total / wa.succeeded) * 1e6, 6);
    // The same work done at a different price: no such warning.
    const same = simulate(loadScenarioFile(file, { overrides: [parseOverride('billing.granularity=100ms')] }));
    expect(compare([{ label: 'A', result: a }, { label: 'B', result: same }]).warnings).toEqual([]);
  });
  it('HTML shows only the metrics that differ, and folds the equal ones away', () => {
    const html = compareHtml(c, [{ label: 'as written', file, result: a }, { label: sets.join(' '), file, overrides: sets, result: b }]);
    const differs = html.slice(html.indexOf('<table class="differs">'), html.indexOf('</table>', html.indexOf('<table class="differs">')));
    const equal = html.slice(html.indexOf('<table class="equal">'), html.indexOf('</table>', html.indexOf('<table class="equal">')));
    for (const row of c.rows) {
      const same = row.diffs.every((d) => d === null || d.abs === 0) && row.values.every((v) => v !== null);
      expect(same ? equal : differs, `${row.section} ${row.metric}`).toContain(`<tr><td>${row.metric}</td>`);
    }
  });
  it('warns when runs differ in length, seed, or functions and workloads, matched by name', () => {
    const other = simulate(loadScenarioFile('scenarios/steady-api.yaml'));
    const w = compare([{ label: 'A', result: a }, { label: 'B', result: other }]).warnings;
    expect(w.some((x) => x.startsWith('the runs differ in length'))).toBe(a.scenario.durationMs !== other.scenario.durationMs);
    expect(w.some((x) => x.startsWith('the runs use different seeds'))).toBe(a.scenario.seed !== other.scenario.seed);
    for (const f of a.functions) if (!other.functions.some((g) => g.name === f.name)) expect(w).toContain(`function ${f.name} is only in A: matched by name, it has no counterpart in the others`);
    for (const f of other.functions) if (!a.functions.some((g) => g.name === f.name)) expect(w).toContain(`function ${f.name} is only in B: matched by name, it has no counterpart in the others`);
    // Printed wrapped to 100 columns.
    expect(compareText(compare([{ label: 'A', result: a }, { label: 'B', result: other }])).replace(/\n {4}/g, ' ')).toContain(`  warning: ${w[0]}`);
  });
});
