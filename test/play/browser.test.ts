// The playground (issue 20) in a real browser (headless Chromium, test/report/browser-launch.ts), opened
// from disk with every network request refused: the lessons run in the page's worker and give the bytes
// of `lsim run -f json` for the YAML the page shows; controls change the scenario and the charts redraw
// with the new series; the exported YAML round-trips; a long run shows progress and can be cancelled; a
// refused value shows the loader's located message. Saves reports/playground.png for the README.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { reportMain, type PageChart } from '../../src/report/html.js';
import { LESSONS } from '../../src/play/lessons.js';
import { playPage, fileStart } from '../../src/play/page.js';
import { settingsOf } from '../../src/play/controls.js';
import { bundlePlayWorker } from '../../scripts/bundle-play.mjs';
import { launchBrowser, openOffline } from '../report/browser-launch.js';

const dir = mkdtempSync(join(tmpdir(), 'lsim-play-'));
const file = join(dir, 'playground.html');
const teaching = readFileSync('scenarios/teaching.yaml', 'utf8');

let browser: Browser | undefined;
let launchError: unknown;
const requested: string[] = [];

/** The part of the page's document used in page functions (the test is type-checked without the DOM library). */
type Doc = { body: { getAttribute(n: string): string | null }; getElementById(id: string): { value: number } | null };

/** What Node computes for a YAML text, parsed under the page's file name. */
function inNode(yaml: string) {
  const r = simulate(parseScenario(yaml, 'playground.yaml'));
  return { json: jsonReport(r), charts: reportMain(r).data.charts };
}

async function open(): Promise<{ page: Page; errors: string[] }> {
  if (!browser) throw launchError;
  // The page itself and the worker made from its own text (a blob: URL) are all it may load.
  const opened = await openOffline(browser, file, requested, { width: 1400, height: 1000 });
  await opened.page.waitForSelector('body[data-run="1"]', { timeout: 30_000 });
  return opened;
}

/** Waits for run number `n` to finish and returns the page's JSON result and YAML. */
async function finished(page: Page, n: number): Promise<{ json: string; yaml: string; state: string }> {
  await page.waitForSelector(`body[data-run="${n}"]`, { timeout: 30_000 });
  return page.evaluate(() => {
    const g = globalThis as unknown as { lsimPlay: { json(): string; yaml(): string }; document: Doc };
    return { json: g.lsimPlay.json(), yaml: g.lsimPlay.yaml(), state: g.document.body.getAttribute('data-state') ?? '' };
  });
}

/** The charts drawn now: id → series labels and data (time charts: the y values). */
async function drawn(page: Page): Promise<Record<string, { label: string; data: (number | null)[] }[]>> {
  return page.evaluate(() => {
    type Inst = { canvas: { id: string }; data: { datasets: { label: string; data: (number | null | { y: number | null })[] }[] } };
    const C = (globalThis as unknown as { Chart: { instances: Record<string, Inst> } }).Chart;
    const out: Record<string, { label: string; data: (number | null)[] }[]> = {};
    for (const c of Object.values(C.instances))
      out[c.canvas.id] = c.data.datasets.map((d) => ({ label: d.label, data: d.data.map((v) => (v !== null && typeof v === 'object' ? v.y : v)) }));
    return out;
  });
}

/** Sets a control as a user would (the number box or the select) and fires its change. */
async function setControl(page: Page, id: string, value: string | number): Promise<void> {
  const el = page.locator(`#c-${id}`);
  if ((await el.evaluate((e) => e.tagName)) === 'SELECT') await el.selectOption(String(value));
  else await el.fill(String(value));
  await el.dispatchEvent('change');
}

/** The series a description draws, as the page's chart holds them (series, then limit lines). */
function expectedSeries(c: PageChart) {
  return c.series.map((s) => ({ label: s.label, data: s.data }));
}

beforeAll(async () => {
  writeFileSync(file, playPage([fileStart('scenarios/teaching.yaml', teaching, 0)], await bundlePlayWorker()));
  try {
    browser = await launchBrowser();
  } catch (e) {
    launchError = e;
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

describe('playground in chromium', () => {
  it('runs each lesson in the page with the bytes Node gives for the YAML it shows, with no network request', async () => {
    const { page, errors } = await open();
    let run = 1;
    const first = await finished(page, run);
    expect(first.yaml).toBe(teaching);
    expect(first.json).toBe(inNode(teaching).json);
    for (let i = 0; i < LESSONS.length; i++) {
      await page.selectOption('#start', String(i + 1));
      const got = await finished(page, ++run);
      expect(got.state, LESSONS[i].id).toBe('done');
      expect(got.yaml).toBe(LESSONS[i].yaml);
      expect(await page.textContent('#question')).toBe(LESSONS[i].question);
      expect(got.json, LESSONS[i].id).toBe(inNode(got.yaml).json);
      // Reported, not asserted (no timing assertions): the page's own measure, change to charts drawn.
      console.log(`playground: lesson ${LESSONS[i].id} ran and redrew in ${await page.getAttribute('body', 'data-ms')} ms`);
    }
    expect(errors).toEqual([]);
    expect(requested).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('controls change the scenario, the charts redraw with the new series, and the exported YAML round-trips', async () => {
    const { page, errors } = await open();
    await page.selectOption('#start', '1'); // why did this burst throttle?
    await finished(page, 2);
    const before = await drawn(page);
    await setControl(page, 'reserved', 200);
    let got = await finished(page, 3);
    expect(got.yaml).toContain('reservedConcurrency: 200');
    expect(settingsOf(got.yaml).reserved).toBe(200);
    const node = inNode(got.yaml);
    expect(got.json).toBe(node.json);
    const after = await drawn(page);
    // Every chart of the new result is drawn with its new series, and no old chart is left alive.
    expect(Object.keys(after).sort()).toEqual(node.charts.map((c) => c.id).sort());
    for (const c of node.charts) expect(after[c.id].slice(0, c.series.length), c.id).toEqual(expectedSeries(c));
    expect(after['traffic-0']).not.toEqual(before['traffic-0']);
    expect(JSON.parse(got.json).functions[0].throttles.total).toBeLessThan(JSON.parse(inNode(LESSONS[0].yaml).json).functions[0].throttles.total);

    // Several controls, then the model: SQS with its batch size and window; the caller control hides.
    await setControl(page, 'memory', 1024);
    got = await finished(page, 4);
    await setControl(page, 'granularity', '100ms');
    got = await finished(page, 5);
    await setControl(page, 'invoke', 'sqs');
    got = await finished(page, 6);
    // One change per run (a batch above 10 needs the window first: the loader refuses it otherwise).
    await setControl(page, 'sqsWindow', 2);
    got = await finished(page, 7);
    await setControl(page, 'sqsBatch', 50);
    got = await finished(page, 8);
    expect(got.state).toBe('done');
    expect(settingsOf(got.yaml)).toMatchObject({ reserved: 200, memory: 1024, granularity: '100ms', invoke: 'sqs', sqsBatch: 50, sqsWindow: 2 });
    expect(got.json).toBe(inNode(got.yaml).json);
    expect(JSON.parse(got.json).workloads[0].invoke).toBe('sqs');
    expect(await page.isVisible('.control[data-for="sqsBatch"]')).toBe(true);
    expect(await page.isVisible('.control[data-for="caller"]')).toBe(false);
    expect(Object.keys(await drawn(page)).some((id) => id.startsWith('wl-0-'))).toBe(true);

    // The YAML shown, run as it is (the "run this YAML" button), gives the same bytes: it round-trips.
    const exported = await page.inputValue('#yaml');
    expect(exported).toBe(got.yaml);
    await page.click('#run-yaml');
    const again = await finished(page, 9);
    expect(again.yaml).toBe(exported);
    expect(again.json).toBe(got.json);
    // The download link carries the same text.
    const href = await page.getAttribute('#download', 'href');
    expect(decodeURIComponent(href!.replace(/^data:text\/yaml;charset=utf-8,/, ''))).toBe(exported);
    expect(errors).toEqual([]);
    expect(requested).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a refused value shows the located message and keeps the last charts; a long run shows progress and can be cancelled', async () => {
    const { page, errors } = await open();
    const last = await finished(page, 1);
    await setControl(page, 'memory', 64);
    const refused = await finished(page, 2);
    expect(refused.state).toBe('error');
    const message = (await page.textContent('#error'))!;
    expect(message).toMatch(/^playground\.yaml:\d+:\d+: functions\.api\.memory: /);
    expect(refused.json).toBe(last.json);

    const long = teaching.replace('duration: 2m', 'duration: 6h').replace('{ poisson: 8/s }', '{ poisson: 300/s }');
    await page.fill('#yaml', long);
    await page.click('#run-yaml');
    await page.waitForFunction(() => Number((globalThis as unknown as { document: Doc }).document.getElementById('progress')!.value) > 0, undefined, { timeout: 60_000 });
    expect(await page.getAttribute('body', 'data-state')).toBe('running');
    await page.click('#cancel');
    expect(await page.getAttribute('body', 'data-state')).toBe('cancelled');
    // The page works on after a cancel: a new run with a fresh worker.
    await page.selectOption('#start', '4');
    const after = await finished(page, 3);
    expect(after.json).toBe(inNode(LESSONS[3].yaml).json);
    expect(errors).toEqual([]);
    expect(requested).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('screenshot for the README', async () => {
    const { page } = await open();
    await page.selectOption('#start', '1');
    await finished(page, 2);
    const shot = join(dir, 'playground.png');
    await page.screenshot({ path: shot, clip: { x: 0, y: 0, width: 1400, height: 2100 }, fullPage: true });
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync('reports/playground.png')) copyFileSync(shot, 'reports/playground.png');
    await page.context().close();
  }, 60_000);
});
