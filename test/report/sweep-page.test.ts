// The sweep's decision page in a real browser (headless Chromium, playwright-core; see browser-launch.ts):
// opened from disk with the network refused, it must draw the varied parameter against latency and
// cost with every point numbered, the objective line and the recommendation; the slider must re-rank
// the eligible points as the rule says; the numbers must be the sweep result's; nothing may overflow.
// Saves reports/sweep-report.png for the README.
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { runSweep } from '../../src/plan/sweep.js';
import { answerLine, sweepHtml } from '../../src/plan/page.js';
import type { SweepResult } from '../../src/plan/analyze.js';
import { launchBrowser, openOffline } from './browser-launch.js';

const dir = mkdtempSync(join(tmpdir(), 'lsim-sweep-page-'));
let browser: Browser | undefined;
let launchError: unknown;
let result: SweepResult;
const requested: string[] = [];

beforeAll(async () => {
  // Memory × architecture, two seeds each: arm64 overlaid on x86_64, intervals as bands.
  result = (await runSweep({
    file: 'scenarios/right-size-memory.yaml',
    text: readFileSync('scenarios/right-size-memory.yaml', 'utf8'),
    vary: ['functions.image-resize.memory=512MB..2048MB:step=512MB', 'functions.image-resize.architecture=x86_64,arm64'],
    replications: 2,
    confidence: 0.95,
    objective: 'p99<=1500ms',
    workers: 1,
  })) as SweepResult;
  writeFileSync(join(dir, 'sweep.html'), sweepHtml(result));
  try {
    browser = await launchBrowser();
  } catch (e) {
    launchError = e;
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

async function open(width: number): Promise<Page> {
  if (!browser) throw launchError;
  const { page, errors } = await openOffline(browser, join(dir, 'sweep.html'), requested, { width, height: 900 });
  await page.waitForSelector('body[data-charts-ready="1"]', { timeout: 20_000 });
  expect(errors).toEqual([]);
  return page;
}

type ChartView = { series: { label: string; points: number; axis: string }[]; axes: Record<string, string> };

async function chart(page: Page): Promise<ChartView> {
  return page.evaluate(() => {
    type C = { data: { datasets: { label: string; band?: boolean; yAxisID: string; data: unknown[] }[] }; options: { scales: Record<string, { title?: { text?: string } }> } };
    const c = Object.values((globalThis as unknown as { Chart: { instances: Record<string, C> } }).Chart.instances)[0];
    return {
      series: c.data.datasets.filter((d) => !d.band).map((d) => ({ label: d.label, points: d.data.length, axis: d.yAxisID })),
      axes: Object.fromEntries(Object.entries(c.options.scales).map(([k, s]) => [k, s.title?.text ?? ''])),
    };
  });
}

describe('sweep decision page in chromium', () => {
  it('answers first, then draws memory against p99, p50 and cost, one series per architecture', async () => {
    const page = await open(1280);
    expect(await page.textContent('#answer')).toBe(answerLine(result));
    const rec = result.points[result.recommendation.point!];
    expect(await page.textContent('#answer')).toMatch(new RegExp(`^#${rec.index} memory=\\d+MB architecture=\\w+: \\$[\\d,.]+/mo, p99 `));
    const c = await chart(page);
    expect(c.axes).toEqual({ x: 'memory (MB)', y: 'p99 (solid) and p50 (dashed)', y2: 'monthly cost (USD, dotted)' });
    expect(c.series.map((s) => s.label)).toEqual([
      'p99 · architecture=x86_64',
      'p50 · architecture=x86_64',
      'monthly cost · architecture=x86_64',
      'p99 · architecture=arm64',
      'p50 · architecture=arm64',
      'monthly cost · architecture=arm64',
      'objective p99<=1500ms',
      `recommended #${rec.index}`,
      'your weighting',
    ]);
    for (const s of c.series.slice(0, 6)) expect(s.points, s.label).toBe(4);
    expect(c.series.find((s) => s.label.startsWith('monthly cost'))!.axis).toBe('y2');
    // Every tested point carries its number on the chart.
    expect(await page.getAttribute('#decision', 'data-numbered')).toBe(String(result.points.length));
    expect(requested).toEqual([]);
    const shot = join(dir, 'sweep-report.png');
    await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1400 } });
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync('reports/sweep-report.png')) copyFileSync(shot, 'reports/sweep-report.png');
    await page.context().close();
  }, 60_000);

  it('the slider re-ranks the eligible points: all cost is the recommendation, all latency the fastest', async () => {
    const page = await open(1280);
    const eligible = result.points.filter((p) => p.status === 'feasible' || p.status === 'recommended');
    expect(await page.getAttribute('#pick', 'data-point')).toBe(String(result.recommendation.point));
    const set = (v: number) => page.$eval('#weight', (el, v) => {
      const input = el as unknown as { value: string; dispatchEvent(e: unknown): void };
      input.value = String(v);
      input.dispatchEvent(new (globalThis as unknown as { Event: new (t: string) => unknown }).Event('input'));
    }, v);
    await set(0);
    const fastest = eligible.reduce((a, b) => (b.stats.p99.mean! < a.stats.p99.mean! ? b : a));
    expect(await page.getAttribute('#pick', 'data-point')).toBe(String(fastest.index));
    expect(await page.textContent('#weight-out')).toBe('0%');
    expect(await page.getAttribute(`#points tr[data-point="${fastest.index}"]`, 'class')).toMatch(/picked/);
    expect((await chart(page)).series.find((s) => s.label === 'your weighting')!.points).toBe(1);
    await set(100);
    expect(await page.getAttribute('#pick', 'data-point')).toBe(String(result.recommendation.point));
    await page.context().close();
  }, 60_000);

  it('tables hold the result’s numbers, the Pareto frontier in order, and nothing overflows', async () => {
    for (const width of [1000, 1600]) {
      const page = await open(width);
      const frontier = await page.$$eval('#pareto tbody tr', (l) => l.map((tr) => Number(tr.getAttribute('data-point'))));
      expect(frontier).toEqual(result.frontier);
      const cells = await page.$$eval('#points tbody td[data-metric]', (l) => l.map((td) => [Number(td.closest('tr')!.getAttribute('data-point')), td.getAttribute('data-metric'), td.getAttribute('data-value')]));
      for (const [i, metric, value] of cells) expect(value, `#${i} ${metric}`).toBe(String(result.points[i as number].stats[metric as string].mean ?? ''));
      // The page is no wider than the window: wide tables scroll inside their own box.
      const widths = await page.evaluate(() => {
        const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return [d.scrollWidth, d.clientWidth];
      });
      expect(widths[0], `${width}px`).toBeLessThanOrEqual(widths[1]);
      await page.context().close();
    }
  }, 60_000);
});
