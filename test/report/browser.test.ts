// The HTML report in a real browser (headless Chromium driven by playwright-core): opened from disk
// with every network request refused, each chart canvas must show drawn data, and every number on
// the summary cards must equal the JSON result's. Saves a screenshot for the README.
// launchBrowser() uses a system chromium when there is one, else the @sparticuz/chromium
// devDependency's build. Nothing is skipped: if no browser starts, every test fails with the reason.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { functionCardMetrics, htmlReport } from '../../src/report/html.js';
import { modelOf } from '../../src/models/index.js';
import { jsonReport } from '../../src/report/json.js';
import { compare, compareHtml } from '../../src/report/compare.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { int, money, pct } from '../../src/format.js';
import { launchBrowser, openOffline } from './browser-launch.js';

const dir = mkdtempSync(join(tmpdir(), 'lsim-html-'));
const result = simulate(loadScenarioFile('scenarios/burst.yaml'));
const json = JSON.parse(jsonReport(result));
const file = join(dir, 'report.html');
writeFileSync(file, htmlReport(result));

let browser: Browser | undefined;
let launchError: unknown;
const requested: string[] = [];

async function open(path: string, width = 1280): Promise<Page> {
  if (!browser) throw launchError;
  const { page, errors } = await openOffline(browser, path, requested, { width, height: 900 });
  await page.waitForSelector('body[data-charts-ready="1"]', { timeout: 20_000 });
  expect(errors).toEqual([]);
  return page;
}

/** The part of a page's canvas element used here (the test is type-checked without the DOM library). */
type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };

/** Per canvas: its size and how many pixels are drawn in colour (data, not the grey axes and grid). */
async function canvasInk(page: Page) {
  return page.$$eval('canvas', (list) =>
    list.map((c) => {
      const canvas = c as unknown as Canvas;
      const ctx = canvas.getContext('2d');
      const { width, height } = canvas;
      const d = ctx.getImageData(0, 0, width, height).data;
      let drawn = 0;
      let colour = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 128) continue;
        drawn++;
        if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 40) colour++;
      }
      return { id: c.id, width, height, drawn, colour };
    }),
  );
}

beforeAll(async () => {
  try {
    browser = await launchBrowser();
  } catch (e) {
    launchError = e;
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('HTML report in chromium', () => {
  it('draws every chart from disk with the network refused', async () => {
    const page = await open(file);
    const ink = await canvasInk(page);
    expect(ink.map((c) => c.id)).toEqual(['latency', 'cost', 'conc-0', 'traffic-0', 'scale-0', 'conc-1', 'traffic-1', 'scale-1', 'wl-0-0', 'wl-1-0']);
    for (const c of ink) {
      expect(c.width, c.id).toBeGreaterThan(100);
      expect(c.drawn, c.id).toBeGreaterThan(500);
      expect(c.colour, c.id).toBeGreaterThan(50);
    }
    expect(requested).toEqual([]);
    // For the README: the top of the page.
    const shot = join(dir, 'html-report.png');
    await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 2000 } });
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync('reports/html-report.png')) copyFileSync(shot, 'reports/html-report.png');
    await page.context().close();
  }, 60_000);

  // Every shipped scenario's run page, at the narrowest and widest layouts the cards are made for.
  it.each(readdirSync('scenarios').filter((f) => f.endsWith('.yaml')))('%s: no overflow, every chart drawn with its series and titled axes, the numbers of the result', async (name) => {
    const r = simulate(loadScenarioFile(`scenarios/${name}`));
    const path = join(dir, name.replace('.yaml', '.html'));
    writeFileSync(path, htmlReport(r));
    for (const width of [1000, 1600]) {
      const page = await open(path, width);
      // Element boxes stay inside their cards and figures.
      const overflow = await page.$$eval('section.card, figure.chart', (list) =>
        list.flatMap((box) => {
          const b = box.getBoundingClientRect();
          return [...box.querySelectorAll('dt, dd, h3, p, canvas, figcaption')]
            .map((e) => e.getBoundingClientRect())
            .filter((e) => e.right > b.right + 0.5 || e.left < b.left - 0.5)
            .map(() => (box as unknown as { innerText: string }).innerText.slice(0, 40));
        }),
      );
      expect(overflow, `${name} at ${width}px`).toEqual([]);
      const charts = await page.evaluate(() => {
        const C = (globalThis as unknown as { Chart: { instances: Record<string, { canvas: { id: string }; data: { datasets: { label: string; data: unknown[] }[] }; options: { scales: Record<string, { title?: { text?: string } }> } }> } }).Chart;
        return Object.values(C.instances).map((c) => ({
          id: c.canvas.id,
          series: c.data.datasets.map((d) => ({ label: d.label, points: d.data.length })),
          axes: Object.values(c.options.scales).map((s) => s.title?.text ?? ''),
        }));
      });
      const expected = JSON.parse((await page.textContent('#lsim-data'))!).charts as { id: string; series: { label: string }[]; limits: { label: string }[] }[];
      expect(charts.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort());
      for (const c of charts) {
        const want = expected.find((e) => e.id === c.id)!;
        expect(c.series.map((s) => s.label), c.id).toEqual([...want.series.map((s) => s.label), ...want.limits.map((l) => l.label)]);
        for (const s of c.series) expect(s.points, `${c.id} ${s.label}`).toBeGreaterThan(0);
      }
      // Time charts title both axes; category charts their value axis.
      for (const c of charts) expect(c.axes.filter((a) => a !== '').length, c.id).toBeGreaterThanOrEqual(c.id === 'latency' || c.id === 'cost' ? 1 : 2);
      if (width === 1000) {
        // The provisioned concurrency plan is drawn where one is configured.
        r.functions.forEach((f, i) => {
          const labels = charts.find((c) => c.id === `conc-${i}`)!.series.map((s) => s.label);
          expect(labels.includes('provisioned environments allocated (the plan)'), `${name} ${f.name}`).toBe(f.provisionedPlan !== undefined);
        });
        // Card numbers are the result's.
        const values = await page.$$eval('[data-metric]', (l) => l.map((e) => [e.closest('[data-function],[data-workload]')?.getAttribute('data-function') ?? e.closest('[data-workload]')?.getAttribute('data-workload') ?? 'account', e.getAttribute('data-metric'), e.getAttribute('data-value')]));
        for (const f of r.functions) {
          for (const [key, , value] of functionCardMetrics(f)) expect(values).toContainEqual([f.name, key, String(value)]);
        }
        for (const w of r.workloads) for (const fact of modelOf(w.invoke).html.cards(w)) expect(values).toContainEqual([w.name, fact.key, String(fact.value)]);
      }
      await page.context().close();
    }
  }, 120_000);

  it('shows the summary numbers of the JSON result', async () => {
    const page = await open(file);
    const cards = await page.$$eval('section.card[data-function]', (list) =>
      list.map((s) => ({
        name: s.getAttribute('data-function'),
        values: Object.fromEntries([...s.querySelectorAll('[data-metric]')].map((e) => [e.getAttribute('data-metric'), Number(e.getAttribute('data-value'))])),
        text: Object.fromEntries([...s.querySelectorAll('[data-metric]')].map((e) => [e.getAttribute('data-metric'), e.textContent])),
      })),
    );
    expect(cards.map((c) => c.name)).toEqual(json.functions.map((f: { name: string }) => f.name));
    cards.forEach((card, i) => {
      const f = json.functions[i];
      expect(card.values).toEqual({
        invocations: f.invocations,
        coldStartRate: f.coldStartRate,
        throttles: f.throttles.total,
        errors: f.errors + f.timeouts,
        p50: f.durationMs.p50,
        p99: f.durationMs.p99,
        costPerMonth: f.cost.monthly.total,
      });
      // The visible text shows the same numbers (formatted like the terminal report).
      expect(card.text.invocations).toBe(f.invocations.toLocaleString('en-US'));
    });
    const f0 = json.functions[0];
    expect(cards[0].text.throttles).toBe(`${int(f0.throttles.total)} (${pct(f0.throttleRate)} of attempts)`);
    expect(cards[0].text.costPerMonth).toBe(money(f0.cost.monthly.total));
    const account = await page.$$eval('header [data-metric]', (l) => Object.fromEntries(l.map((e) => [e.getAttribute('data-metric'), Number(e.getAttribute('data-value'))])));
    expect(account).toEqual({
      'account.invocations': json.account.invocations,
      'account.throttles': json.account.throttles.total,
      'account.billPerMonth': json.account.cost.bill.monthlyUsd,
      'account.costPerMonth': json.account.cost.monthly.total,
      'account.servicesPerMonth': json.account.cost.bill.servicesMonthlyUsd,
    });
    await page.context().close();
  }, 60_000);

  it('draws the compare page charts', async () => {
    const t = simulate(loadScenarioFile('scenarios/teaching.yaml'));
    const v = simulate(loadScenarioFile('scenarios/teaching.yaml', { overrides: [parseOverride('functions.api.reservedConcurrency=6')] }));
    const path = join(dir, 'compare.html');
    const runs = [{ label: 'A', result: t }, { label: 'B', result: v }];
    writeFileSync(path, compareHtml(compare(runs), runs));
    const page = await open(path);
    const ink = await canvasInk(page);
    // Reserved concurrency 3 → 6: every key metric differs, the series overlay, the latencies differ.
    expect(ink.map((c) => c.id.split('-')[0])).toEqual(['bars', 'bars', 'bars', 'bars', 'time', 'time', 'time', 'time', 'lat', 'lat']);
    for (const c of ink) expect(c.colour, c.id).toBeGreaterThan(50);
    const shot = join(dir, 'compare-report.png');
    await page.screenshot({ path: shot, fullPage: true });
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync('reports/compare-report.png')) copyFileSync(shot, 'reports/compare-report.png');
    expect(requested).toEqual([]);
    await page.context().close();
  }, 60_000);
});
