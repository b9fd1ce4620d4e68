// The HTML report without a browser: self-contained, deterministic, and the card numbers are the result's.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { chartJsSource, esc, functionCardMetrics, htmlReport } from '../../src/report/html.js';

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
  it('has a canvas per chart: latency, cost, three per function, one per workload with series', () => {
    const ids = [...html.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['latency', 'cost', 'conc-0', 'traffic-0', 'cold-0', 'wl-0']);
  });
  it('escapes scenario text', () => {
    const r = structuredClone(result);
    r.scenario.description = '<script>alert(1)</script>';
    expect(htmlReport(r)).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    r.functions[0].name = '</script><b>';
    expect(htmlReport(r)).not.toContain('"name":"</script>');
  });
});
