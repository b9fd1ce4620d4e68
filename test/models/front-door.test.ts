// Front doors of sync workloads (issue 15, src/models/sync/front-door.ts; docs/sources.md §3 "Front doors"):
// exact traces of each status mapping and timeout, the gateway's token buckets against their closed form,
// payload limits, the caller's own retries, and conservation of requests over many seeds.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import type { TraceEvent } from '../../src/metrics/trace.js';
import type { SyncWorkloadResult } from '../../src/models/sync/types.js';

/** One function `f` and one workload of one request at 1 s through `via`; the run's events and the workload's result. */
function one(fn: string, via: string, extra = '') {
  const yaml = `
name: door
seed: 1
duration: 2m
functions:
  f: { init: 0ms, ${fn} }
workloads:
  - function: f
    via: ${via}
    arrivals: { constant: 1/s, at: 1s, for: 1s }
${extra}`;
  const events: TraceEvent[] = [];
  const r = simulate(parseScenario(yaml, 'inline.yaml'), { trace: (e) => events.push(e) });
  const w = r.workloads[0] as SyncWorkloadResult;
  const steps = events.filter((e) => e.request === 0).map((e) => [e.tMs, e.type, e.status ?? e.reason ?? '', e.outcome ?? ''] as const);
  return { w, d: w.frontDoor!, steps };
}

describe('status mapping: one request, exact trace', () => {
  it('REST API, the function answers: 200 after its 100 ms plus the 10 ms overhead', () => {
    const { w, d, steps } = one('duration: 100ms', 'apigw-rest');
    expect(steps.map((s) => s[1])).toEqual(['arrival', 'start', 'complete', 'done']);
    expect(steps.at(-1)).toEqual([1110, 'done', '200', 'ok']);
    expect(d.responses).toEqual({ '200': 1 });
    expect(w.latencyMs.p50).toBeCloseTo(110, 0);
  });

  it('REST API, Lambda throttles (reserved concurrency 0): the caller sees 500, not 429; the gateway does not retry', () => {
    const { d, steps } = one('duration: 100ms, reservedConcurrency: 0', 'apigw-rest');
    expect(steps).toEqual([
      [1000, 'arrival', '', ''],
      [1000, 'throttle', 'reserved-concurrency', ''],
      [1010, 'done', '500', 'lambda-throttled'],
    ]);
    expect(d.lambdaThrottled).toBe(1);
    expect(d.doorRequests).toBe(1);
    expect(d.lambdaThrottleStatus).toBe(500);
  });

  it('HTTP API, Lambda throttles: 500 after its 5 ms overhead', () => {
    const { steps } = one('duration: 100ms, reservedConcurrency: 0', 'apigw-http');
    expect(steps.at(-1)).toEqual([1005, 'done', '500', 'lambda-throttled']);
  });

  it('function URL, Lambda throttles: the caller sees 429', () => {
    const { d, steps } = one('duration: 100ms, reservedConcurrency: 0', 'function-url');
    expect(steps.at(-1)).toEqual([1005, 'done', '429', 'lambda-throttled']);
    expect(d.responses).toEqual({ '429': 1 });
  });

  it('a function error is 502 (REST, HTTP, function URL)', () => {
    for (const [via, overhead] of [['apigw-rest', 10], ['apigw-http', 5], ['function-url', 5]] as const) {
      const { w, steps } = one('duration: 100ms, errors: 1', via);
      expect(steps.at(-1)).toEqual([1100 + overhead, 'done', '502', 'function-error']);
      expect(w.functionErrors).toBe(1);
    }
  });

  it("the function's own timeout (1 s) is 502 too", () => {
    const { w, steps } = one('duration: 5s, timeout: 1s', 'apigw-rest');
    expect(steps.at(-1)).toEqual([2010, 'done', '502', 'function-error']);
    expect(w.functionTimeouts).toBe(1);
  });

  it('REST integration timeout (29 s default): 504 at 29 s + overhead; the function runs on to 40 s and bills', () => {
    const { w, d, steps } = one('duration: 40s, timeout: 60s', 'apigw-rest');
    expect(steps).toEqual([
      [1000, 'arrival', '', ''],
      [1000, 'start', 'ok', ''],
      [30_010, 'done', '504', 'integration-timeout'],
      [41_000, 'complete', 'ok', ''],
    ]);
    expect(d.outcomes.integrationTimeout).toBe(1);
    expect(d.afterTimeout).toEqual({ invocations: 1, workMs: 11_000 });
    expect(w.openAtEnd).toBe(0);
  });

  it('HTTP API: 30 s integration timeout; a set REST timeout of 50 ms cuts a 100 ms function', () => {
    expect(one('duration: 40s, timeout: 60s', 'apigw-http').steps.find((s) => s[1] === 'done')).toEqual([31_005, 'done', '504', 'integration-timeout']);
    const { d, steps } = one('duration: 100ms', '{ door: apigw-rest, timeout: 50ms }');
    expect(steps.find((s) => s[1] === 'done')).toEqual([1060, 'done', '504', 'integration-timeout']);
    expect(d.afterTimeout.workMs).toBe(50);
  });

  it('a function URL has no integration timeout: a 40 s function answers 200', () => {
    expect(one('duration: 40s, timeout: 60s', 'function-url').steps.at(-1)).toEqual([41_005, 'done', '200', 'ok']);
  });

  it('the caller gives up before the gateway: no 504, a caller timeout', () => {
    const { w, d } = one('duration: 40s, timeout: 60s', '{ door: apigw-rest, caller: { timeout: 10s } }');
    expect(d.outcomes.callerTimeout).toBe(1);
    expect(w.clientTimeouts).toBe(1);
    expect(d.responses).toEqual({});
    expect(d.afterTimeout.invocations).toBe(0);
  });

  it("the caller's own retry: a 500 retried once after 1 s (two door requests, one retry); the function URL's 429 is not a 5xx", () => {
    const rest = one('duration: 100ms, reservedConcurrency: 0', '{ door: apigw-rest, caller: { attempts: 2, on: [5xx], delay: 1s } }');
    expect(rest.steps.map((s) => [s[0], s[1], s[2]])).toEqual([
      [1000, 'arrival', ''],
      [1000, 'throttle', 'reserved-concurrency'],
      [1010, 'door-retry', '500'],
      [2010, 'throttle', 'reserved-concurrency'],
      [2020, 'done', '500'],
    ]);
    expect(rest.d.doorRequests).toBe(2);
    expect(rest.w.retries).toBe(1);
    const url = one('duration: 100ms, reservedConcurrency: 0', '{ door: function-url, caller: { attempts: 2, on: [5xx] } }');
    expect(url.d.doorRequests).toBe(1);
    expect(one('duration: 100ms, reservedConcurrency: 0', '{ door: function-url, caller: { attempts: 3, on: [429] } }').d.doorRequests).toBe(3);
  });

  it('a 504 retried by the caller starts a second invocation while the first still runs', () => {
    const { d } = one('duration: 40s, timeout: 60s', '{ door: apigw-rest, caller: { attempts: 2, on: [504], delay: 0s } }');
    expect(d.responses).toEqual({ '504': 2 });
    expect(d.afterTimeout).toEqual({ invocations: 2, workMs: 22_000 });
  });
});

describe("the gateway's token buckets: admitted = burst + rate × t", () => {
  it('a stage throttle of 100/s, burst 50, under 1,000 requests/s for 10 s admits 50 + 100 × 10 = 1,050', () => {
    const yaml = `
duration: 1m
functions:
  f: { init: 0ms, duration: 1ms }
workloads:
  - function: f
    via: { door: apigw-http, throttle: { rate: 100/s, burst: 50 } }
    arrivals: { constant: 1000/s, for: 10s }
`;
    const d = (simulate(parseScenario(yaml, 'inline.yaml')).workloads[0] as SyncWorkloadResult).frontDoor!;
    const admitted = d.doorRequests - d.gatewayThrottled.stage - d.gatewayThrottled.account;
    expect(d.doorRequests).toBe(10_000);
    // Arrivals at k ms, k < 10,000: the bucket holds 50 + 0.1 × t tokens at most; ±1 for the last partial token.
    expect(Math.abs(admitted - 1050)).toBeLessThanOrEqual(1);
    expect(d.gatewayThrottled.account).toBe(0);
  });

  it('a request API Gateway throttles itself is not billed; one Lambda throttles behind it is (docs/sources.md §15)', () => {
    // 1,000/s for 10 s through a stage throttle of 100/s (burst 50) into reserved concurrency 0: the gateway
    // refuses about 8,950 (not billed); the ~1,050 it passes all meet a Lambda throttle (500), and are billed.
    const yaml = `
duration: 1m
billing: { month: { days: 30 }, freeTier: false }
functions:
  f: { init: 0ms, duration: 1ms, reservedConcurrency: 0 }
workloads:
  - function: f
    via: { door: apigw-rest, throttle: { rate: 100/s, burst: 50 } }
    arrivals: { constant: 1000/s, for: 10s }
`;
    const r = simulate(parseScenario(yaml, 'inline.yaml'));
    const d = (r.workloads[0] as SyncWorkloadResult).frontDoor!;
    const passed = d.doorRequests - d.gatewayThrottled.stage;
    expect(d.gatewayThrottled.stage).toBeGreaterThan(8_000);
    expect(d.lambdaThrottled).toBe(passed);
    const rest = r.account.cost.bill.services.find((l) => l.item === 'apigwRestRequests')!;
    // The month is 30 days of 1-minute windows: 43,200 copies of the window's billed requests.
    expect(rest.quantity).toBe(passed * 43_200);
  });

  it("the account-level quota (10,000/s, bucket 5,000) is shared by a REST and an HTTP API: 20,000/s for 2 s admit 5,000 + 10,000 × 2 between them", () => {
    const yaml = `
duration: 1m
account: { concurrency: 5000 }
functions:
  a: { init: 0ms, duration: 1ms }
  b: { init: 0ms, duration: 1ms }
workloads:
  - function: a
    via: apigw-rest
    arrivals: { constant: 10000/s, for: 2s }
  - function: b
    via: apigw-http
    arrivals: { constant: 10000/s, for: 2s }
`;
    const ws = simulate(parseScenario(yaml, 'inline.yaml')).workloads as SyncWorkloadResult[];
    const admitted = ws.reduce((a, w) => a + w.frontDoor!.doorRequests - w.frontDoor!.gatewayThrottled.account, 0);
    expect(Math.abs(admitted - 25_000)).toBeLessThanOrEqual(2);
    expect(ws[0].frontDoor!.gatewayThrottled.account).toBeGreaterThan(4000);
    expect(ws[1].frontDoor!.gatewayThrottled.account).toBeGreaterThan(4000);
  });

  it('a function URL has no gateway quota: only Lambda throttles it (10 × reserved concurrency requests/s)', () => {
    const yaml = `
duration: 1m
functions:
  f: { init: 0ms, duration: 1ms, reservedConcurrency: 10 }
workloads:
  - function: f
    via: function-url
    arrivals: { constant: 1000/s, for: 10s }
`;
    const d = (simulate(parseScenario(yaml, 'inline.yaml')).workloads[0] as SyncWorkloadResult).frontDoor!;
    expect(d.gatewayThrottled).toEqual({ account: 0, stage: 0 });
    // 10 × 10 = 100 requests/s (a bucket of 100): about 100 + 100 × 10 admitted.
    expect(Math.abs(d.doorRequests - d.lambdaThrottled - 1100)).toBeLessThanOrEqual(2);
  });
});

describe('payload limits (a traced payload column)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-door-'));
  const MB = 2 ** 20;
  writeFileSync(join(dir, 't.csv'), `timestamp,function,duration_ms,payload_bytes\n1000,f,10,${1 * MB}\n2000,f,10,${7 * MB}\n3000,f,10,${11 * MB}\n`);
  const result = (via: string) => {
    const yaml = `
duration: 1m
functions:
  f: { init: 0ms, duration: 10ms }
workloads:
  - function: f
    via: ${via}
    arrivals: { trace: { file: t.csv, timestamps: ms } }
`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    return (simulate(parseScenario(yaml, join(dir, 's.yaml'))).workloads[0] as SyncWorkloadResult).frontDoor!;
  };
  it('REST API: 11 MB → 413 at the gateway; 7 MB passes the gateway (10 MB) and Lambda (6 MB) refuses it → 500', () => {
    const d = result('apigw-rest');
    expect(d.responses).toEqual({ '200': 1, '413': 1, '500': 1 });
    expect(d.outcomes.payloadTooLarge).toBe(2);
  });
  it('function URL: 7 MB and 11 MB → 413 (6 MB)', () => {
    expect(result('function-url').responses).toEqual({ '200': 1, '413': 2 });
  });
});

describe("the door's bill: an HTTP API meters 512 KB increments of each payload (docs/sources.md §15)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-door-bill-'));
  const KB = 1024;
  // 100 KB: 1 increment; 600 KB and 1 MB: 2; 7 MB (past the gateway, refused by Lambda: 500): 14;
  // 11 MB (refused whole by the gateway: 413): one request. 20 in all, against 5 requests.
  writeFileSync(join(dir, 't.csv'), `timestamp,function,duration_ms,payload_bytes\n1000,f,10,${100 * KB}\n1500,f,10,${600 * KB}\n2000,f,10,${1024 * KB}\n2500,f,10,${7 * 1024 * KB}\n3000,f,10,${11 * 1024 * KB}\n`);
  const line = (via: string, item: string) => {
    const yaml = `duration: 1m\nfunctions:\n  f: { init: 0ms, duration: 10ms }\nworkloads:\n  - { function: f, via: ${via}, arrivals: { trace: { file: t.csv, timestamps: ms } } }\n`;
    writeFileSync(join(dir, 's.yaml'), yaml);
    const r = simulate(parseScenario(yaml, join(dir, 's.yaml')));
    expect((r.workloads[0] as SyncWorkloadResult).frontDoor!.doorRequests).toBe(5);
    return r.account.cost.bill.services.find((l) => l.item === item)!;
  };
  it('HTTP API: 20 billed requests for 5; REST API: 5 (each a request)', () => {
    const http = line('apigw-http', 'apigwHttpRequests');
    const rest = line('apigw-rest', 'apigwRestRequests');
    // Both lines are the month's (the same window × the same factor): their ratio is the window's, 20 / 5.
    expect(http.quantity / rest.quantity).toBeCloseTo(4, 12);
  });
});

describe('conservation: every request ends in exactly one outcome (20 seeds)', () => {
  const yaml = (seed: number, via: string) => `
seed: ${seed}
duration: 3m
account: { concurrency: 200 }
functions:
  f: { duration: { lognormal: { median: 2s, p99: 40s } }, timeout: 45s, errors: 0.05 }
workloads:
  - function: f
    via: ${via}
    arrivals: [{ poisson: 50/s }, { at: 30s, for: 30s, poisson: 400/s }]
`;
  const doors = [
    '{ door: apigw-rest, throttle: { rate: 150/s, burst: 100 }, caller: { attempts: 3, on: [429, 5xx], delay: 200ms, timeout: 20s } }',
    '{ door: apigw-http, timeout: 10s, caller: { attempts: 2, on: [502, 504] } }',
    '{ door: function-url, caller: { attempts: 2, on: [429], delay: 0s } }',
  ];
  it.each(doors)('%s', (via) => {
    for (let seed = 1; seed <= 20; seed++) {
      const w = simulate(parseScenario(yaml(seed, via), 'inline.yaml')).workloads[0] as SyncWorkloadResult;
      const d = w.frontDoor!;
      const o = d.outcomes;
      const ended = o.ok + o.gatewayThrottled + o.lambdaThrottled + o.functionError + o.integrationTimeout + o.payloadTooLarge + o.callerTimeout;
      expect(ended + w.openAtEnd, `seed ${seed}`).toBe(w.requests);
      expect(w.openAtEnd).toBeGreaterThanOrEqual(0);
      // Every attempt is sent to the door, except retries still waiting at the end (those requests are open).
      const waiting = w.requests + w.retries - d.doorRequests;
      expect(waiting).toBeGreaterThanOrEqual(0);
      expect(waiting).toBeLessThanOrEqual(w.openAtEnd);
      // Every attempt the door received is answered once, unless its caller gave up first or it is still open.
      const answered = Object.values(d.responses).reduce((a, b) => a + b, 0);
      expect(answered).toBeLessThanOrEqual(d.doorRequests);
      expect(answered + o.callerTimeout + w.openAtEnd).toBeGreaterThanOrEqual(d.doorRequests);
      expect(w.succeeded).toBe(o.ok);
      expect(w.throttled).toBe(o.gatewayThrottled + o.lambdaThrottled);
    }
  });
});

describe('lsim explain tells a door request step by step', () => {
  it('a REST API request the integration timeout cuts, and a function URL throttle passed on as 429', async () => {
    const { explainText } = await import('../../src/report/explain.js');
    const yaml = `
name: door
duration: 2m
functions:
  f: { init: 0ms, duration: 40s, timeout: 60s }
  g: { init: 0ms, duration: 100ms, reservedConcurrency: 0 }
workloads:
  - function: f
    via: apigw-rest
    arrivals: { constant: 1/s, at: 1s, for: 1s }
  - function: g
    via: { door: function-url, caller: { attempts: 2, on: [429], delay: 1s } }
    arrivals: { constant: 1/s, at: 2s, for: 1s }
`;
    const text = explainText(parseScenario(yaml, 'inline.yaml'), 2);
    const body = text.slice(text.indexOf('request 0'));
    expect(body).toBe(
      [
        'request 0 · workload f-sync → function f',
        '    1.000000 s  arrives at the REST API; attempt 1',
        '    1.000000 s  cold start on environment 0: init 0, handler 40.00 s',
        '   30.010000 s  the REST API answers 504: the integration timeout passed; the function runs on and',
        '                  bills',
        '   41.000000 s  invocation on environment 0 ends (ok); the environment goes idle',
        '                = integration-timeout after 29.01 s end to end',
        '',
        'request 1 · workload g-sync → function g',
        '    2.000000 s  arrives at the function URL; attempt 1',
        '    2.000000 s  attempt 1: Lambda throttles the invocation (reserved-concurrency); the function URL',
        '                  answers 429',
        '    2.005000 s  the caller retries the 429 after 1.00 s (its own policy): attempt 2',
        '    3.005000 s  attempt 2: Lambda throttles the invocation (reserved-concurrency); the function URL',
        '                  answers 429',
        '    3.010000 s  the function URL answers 429: Lambda throttled it, the caller gives up',
        '                = lambda-throttled after 1.01 s end to end',
        '',
      ].join('\n') + text.slice(text.indexOf('\n2 requests')),
    );
  });
});
