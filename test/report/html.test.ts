// The HTML report without a browser: self-contained, deterministic, and the card numbers are the result's.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { chartJsSource, esc, functionCardMetrics, htmlReport, timeStepS } from '../../src/report/html.js';
import { summarize } from '../../src/report/summary.js';
import { modelOf } from '../../src/models/index.js';

const result = simulate(loadScenarioFile('scenarios/teaching.yaml'));
const html = htmlReport(result);

describe('htmlReport', () => {
  it('is the same bytes for the same run, with chart.js inlined and nothing to fetch', () => {
    expect(htmlReport(simulate(loadScenarioFile('scenarios/teaching.yaml')))).toBe(html);
    expect(html).toContain(chartJsSource());
    expect(chartJsSource()).not.toContain('sourceMappingURL');
    const own = html.replace(chartJsSource(), '');
    expect(own).not.toMatch(/<script[^>]+src=|<link |<img |url\(|@import|https?:\/\//);
    expect(own).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/); // no timestamps
  });
  it('shows each function card metric with its raw value', () => {
    for (const f of result.functions) {
      const card = html.slice(html.indexOf(`data-function="${esc(f.name)}"`));
      for (const [name, , value, text] of functionCardMetrics(f)) {
        expect(card).toContain(`data-metric="${name}" data-value="${value}">${esc(text)}</dd>`);
      }
    }
  });
  it('has a canvas per chart: latency, cost, three per function, then each workload model\'s charts', () => {
    const ids = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['latency', 'cost', 'conc-0', 'traffic-0', 'scale-0', 'wl-0-0']);
  });
  it('opens with the headline sentences of the run', () => {
    const list = html.slice(html.indexOf('<section class="summary"'), html.indexOf('</section>', html.indexOf('<section class="summary"')));
    for (const line of summarize(result)) expect(list).toContain(`<li>${esc(line)}</li>`);
  });
  it.each(['sqs-batch', 'kinesis-stream', 'async-retries', 'provisioned-schedule', 'api-gateway-burst', 'long-job-step-functions'])('%s: every workload card number is the result\'s value at its key, with its meaning', (name) => {
    const r = simulate(loadScenarioFile(`scenarios/${name}.yaml`));
    const page = htmlReport(r);
    for (const w of r.workloads) {
      const card = page.slice(page.indexOf(`data-workload="${esc(w.name)}"`), page.indexOf('</section>', page.indexOf(`data-workload="${esc(w.name)}"`)));
      const facts = modelOf(w.invoke).html.cards(w);
      expect(facts.length).toBeGreaterThan(5);
      for (const f of facts) {
        expect(card).toContain(`<div class="m" title="${esc(f.meaning)}"><dt>${esc(f.label)}</dt><dd data-metric="${esc(f.key)}" data-value="${f.value}">`);
        // A key that is a path of the result holds the card's value (sums have keys of their own).
        const at = f.key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], w);
        if (typeof at === 'number') expect([at, f.value]).toEqual([f.value, f.value]);
      }
    }
  });
  it('draws a limit near the data and names one far above it in the caption', () => {
    // burst.yaml: checkout reaches the 3,000 quota; reports peaks at a few dozen.
    const r = simulate(loadScenarioFile('scenarios/burst.yaml'));
    const page = htmlReport(r);
    const data = JSON.parse(page.slice(page.indexOf('id="lsim-data">') + 15, page.indexOf('</script>', page.indexOf('id="lsim-data">'))));
    const [checkout, reports] = ['conc-0', 'conc-1'].map((id) => data.charts.find((c: { id: string }) => c.id === id));
    expect(r.functions[0].concurrency.max).toBeGreaterThan(r.scenario.unreservedConcurrency / 1.5);
    expect(checkout.limits).toEqual([{ label: 'unreserved pool + own PC (3,000)', value: 3000 }]);
    expect(r.functions[1].concurrency.max * 1.5).toBeLessThan(r.scenario.unreservedConcurrency);
    expect(reports.limits).toEqual([]);
    expect(reports.offScale).toEqual(['unreserved pool + own PC (3,000)']);
    expect(page).toContain('(off the scale, above the data: unreserved pool + own PC (3,000))');
  });
  it('puts round ticks on the time axis: at most 12, from 1 s to a day', () => {
    expect(timeStepS(60)).toBe(5);
    expect(timeStepS(600)).toBe(60);
    expect(timeStepS(1800)).toBe(300);
    expect(timeStepS(86400)).toBe(7200);
    for (const d of [10, 90, 3600, 7 * 86400]) expect(d / timeStepS(d)).toBeLessThanOrEqual(12);
  });
  it('escapes scenario text', () => {
    const r = structuredClone(result);
    r.scenario.description = '<script>alert(1)</script>';
    expect(htmlReport(r)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    r.timeSeries.functions['</script><b>'] = r.timeSeries.functions[r.functions[0].name];
    r.functions[0].name = '</script><b>';
    expect(htmlReport(r)).not.toContain('"name":"</script>');
  });
});
