// lsim explain: a hand-checkable trace, and the golden timeline of the teaching scenario.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.js';
import { explainText, traceRequests } from '../../src/report/explain.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import type { TraceEvent } from '../../src/sim/trace.js';

const update = process.env.UPDATE_GOLDEN === '1';

// One environment (reserved 1), init 50 ms + handler 150 ms, arrivals at 0, 100 and 200 ms, no retries.
const tiny = `
name: tiny
seed: 1
duration: 1m
functions:
  f: { memory: 1024MB, timeout: 30s, reservedConcurrency: 1, duration: 150ms, init: 50ms }
workloads:
  - name: w
    function: f
    arrivals: { constant: 10/s, for: 300ms }
    client: { retries: none }
`;

const pick = (e: TraceEvent) => {
  const o: Record<string, unknown> = { t: e.tMs, type: e.type };
  for (const k of ['reason', 'env', 'cold', 'initMs', 'durationMs', 'status', 'outcome'] as const) if (e[k] !== undefined) o[k] = e[k];
  return o;
};

describe('traceRequests', () => {
  it('follows the rules step by step on a tiny run', () => {
    const t = traceRequests(parseScenario(tiny, 'tiny.yaml'), 3);
    expect(t.stoppedEarly).toBe(true);
    expect(t.requests.map((r) => r.events.map(pick))).toEqual([
      // Request 0: a cold start (init 50 ms, then 150 ms), done at 200 ms.
      [
        { t: 0, type: 'arrival' },
        { t: 0, type: 'start', env: 0, cold: true, initMs: 50, durationMs: 150, status: 'ok' },
        { t: 200, type: 'complete', env: 0, status: 'ok' },
        { t: 200, type: 'done', outcome: 'ok' },
      ],
      // Request 1 at 100 ms: the one environment is busy and reserved concurrency is 1.
      [
        { t: 100, type: 'arrival' },
        { t: 100, type: 'throttle', reason: 'reserved-concurrency' },
        { t: 100, type: 'done', outcome: 'throttled' },
      ],
      // Request 2 at 200 ms: the completion at 200 ms runs first, so it starts warm on environment 0.
      [
        { t: 200, type: 'arrival' },
        { t: 200, type: 'start', env: 0, cold: false, initMs: 0, durationMs: 150, status: 'ok' },
        { t: 350, type: 'complete', env: 0, status: 'ok' },
        { t: 350, type: 'done', outcome: 'ok' },
      ],
    ]);
  });

  it('shows SDK retries with their backoff: the next attempt starts exactly one backoff later', () => {
    const t = traceRequests(parseScenario(tiny.replace('{ retries: none }', '{ maxAttempts: 3, baseDelay: 40ms }'), 'tiny.yaml'), 2);
    const r1 = t.requests[1].events;
    const retries = r1.filter((e) => e.type === 'retry');
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) {
      // min(u × base × 2^(i−1), maxBackoff), u in [0, 1): below 40 ms × 2^(i−1).
      expect(retry.delayMs!).toBeGreaterThanOrEqual(0);
      expect(retry.delayMs!).toBeLessThan(40 * 2 ** (retry.attempt! - 2));
      const next = r1[r1.indexOf(retry) + 1];
      expect(next.tMs).toBeCloseTo(retry.tMs + retry.delayMs!, 9);
      expect(next.attempt).toBe(retry.attempt);
    }
    expect(r1.at(-1)!.type).toBe('done');
  });

  it('does not change the run: results with and without tracing are byte-identical', () => {
    const s = loadScenarioFile('scenarios/teaching.yaml');
    const events: TraceEvent[] = [];
    const traced = simulate(s, { trace: (e) => events.push(e) });
    expect(jsonReport(traced)).toBe(jsonReport(simulate(s)));
    // Every request that arrived has exactly one arrival event, and ids run 0, 1, 2, ... in time order.
    const arrivals = events.filter((e) => e.type === 'arrival');
    expect(arrivals.map((e) => e.request)).toEqual(arrivals.map((_, i) => i));
    expect(arrivals.length).toBe(traced.workloads[0].invoke === 'sync' ? traced.workloads[0].requests : -1);
  });
});

describe('explain timeline golden', () => {
  it('scenarios/teaching.yaml, first 16 requests, matches reports/explain-teaching.txt', () => {
    const text = explainText(loadScenarioFile('scenarios/teaching.yaml'), 16);
    const path = 'reports/explain-teaching.txt';
    if (update) writeFileSync(path, text);
    expect(text).toBe(readFileSync(path, 'utf8'));
    for (const step of ['cold start', 'warm start', 'throttled (429 ', 'SDK backs off', 'fails (function error)', 'client stops waiting', 'times out']) {
      expect(text).toContain(step);
    }
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
  });
});
