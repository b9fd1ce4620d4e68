// How fast lsim's S model could be with its layers collapsed (issue 21, docs/architecture.md "Where the
// time goes"): bench/scenarios/S.yaml's model written as one loop, as the reference kernel is, but on
// lsim's own parts and with lsim's own meters: its parsed scenario, named random streams, samplers,
// event queue, environment table and idle list, token buckets (the request-rate quota and the scaling
// rule), level tracker, bucket counters, histogram (one record for a warm invocation, as lsim's direct
// path does), billing rounding and the month's usage. What it leaves out, each a few events per run
// or a few checks per invocation: environments' lifetimes and proactive replacement, the interval ticks,
// the warm-up, errors and timeouts, provisioned concurrency, every feature S does not use.
// The figure it prints is the bound that collapsing source → invoker → platform into one path (keeping
// every meter) could reach; nothing here is used by lsim, and nothing asserts.
// Usage: node bench/collapsed.js [scenario=bench/scenarios/S.yaml] [seconds]   (one JSON line, as bench/case.js)
import { readFileSync } from 'node:fs';
import { LogHistogram } from '../dist/metrics/histogram.js';
import { BucketCounter, LevelTracker } from '../dist/metrics/timeseries.js';
import { ContinuousBucket } from '../dist/platform/token-bucket.js';
import { EnvironmentTable, IdleList } from '../dist/platform/environments.js';
import { EventQueue } from '../dist/engine/queue.js';
import { RngStreams } from '../dist/engine/rng.js';
import { makeSampler } from '../dist/workload/distributions.js';
import { billedDurationMs } from '../dist/billing/rules.js';
import { parseScenario } from '../dist/scenario/load.js';

const [file = 'bench/scenarios/S.yaml', seconds] = process.argv.slice(2);
let text = readFileSync(file, 'utf8');
if (seconds) text = text.replace(/^duration: .*$/m, `duration: ${seconds}s`);
const started = process.hrtime.bigint();
const sc = parseScenario(text, file);
const f = sc.functions[0];
const w = sc.workloads[0];
const seg = w.arrivals[0];
if (sc.functions.length !== 1 || sc.workloads.length !== 1 || w.arrivals.length !== 1 || seg.shape.kind !== 'constant' || f.keepAlive.kind !== 'fixed') {
  throw new Error('collapsed.js models one function, one workload, one constant Poisson segment and a fixed keep-alive');
}
const endMs = sc.durationMs;
const intervalMs = Math.max(1000, Math.ceil(endMs / 1000 / 1000) * 1000);
const rng = new RngStreams(sc.seed);
const rArrivals = rng.stream(`wl/${w.name}/arrivals/0`);
const rDuration = rng.stream(`fn/${f.name}/duration`);
const rInit = rng.stream(`fn/${f.name}/init`);
const duration = makeSampler(f.duration);
const init = makeSampler(f.init);
const keepMs = f.keepAlive.ms;
const limit = sc.account.concurrencyLimit;
const requestRate = new ContinuousBucket(limit * sc.account.requestRateFactor, 1000);
const scaling = new ContinuousBucket(sc.account.scaling.stepEnvs, sc.account.scaling.windowMs);
const envs = new EnvironmentTable(false, false, limit);
const idle = new IdleList(envs);
const queue = new EventQueue(limit);
const concurrency = new LevelTracker(intervalMs, endMs, 0);
const requestSeries = new BucketCounter(intervalMs, endMs);
const invocationSeries = new BucketCounter(intervalMs, endMs);
const coldSeries = new BucketCounter(intervalMs, endMs);
const shared = new LogHistogram(); // a warm invocation: its handler duration and its request's latency
const handlerCold = new LogHistogram();
const latencyCold = new LogHistogram();
const initMs = new LogHistogram();
const usage = { requests: 0, onDemandActualMs: 0, onDemandBilledMs: 0, newEnvironments: 0 };
const granularityMs = sc.billing.granularityMs;
let requests = 0, invocations = 0, cold = 0, throttles = 0, busy = 0, alive = 0, peakAlive = 0, events = 0, succeeded = 0;
const startOf = new Float64Array(envs.sinceMs.length);
const coldOf = new Uint8Array(envs.sinceMs.length);

const perMs = seg.shape.ratePerS;
let target = -Math.log(1 - rArrivals.double());
const total = ((seg.endMs - seg.startMs) * perMs) / 1000;
for (;;) {
  if (!(target < total)) break;
  const t = seg.startMs + (target * 1000) / perMs;
  if (!(t < seg.endMs)) break;
  target += -Math.log(1 - rArrivals.double());
  // Completions at or before the arrival first.
  while (queue.size > 0 && queue.peekTime() <= t) {
    queue.pop();
    const ct = queue.time;
    const env = queue.data;
    busy--;
    concurrency.set(ct, busy);
    envs.sinceMs[env] = ct;
    idle.pushHead(env);
    succeeded++;
    if (coldOf[env]) latencyCold.record(ct - startOf[env]);
    events++;
  }
  events++;
  requests++;
  requestSeries.add(t);
  if (!requestRate.take(t) || busy >= limit) {
    throttles++;
    continue;
  }
  for (let e = idle.tail; e >= 0 && envs.sinceMs[e] + keepMs <= t; e = idle.tail) {
    idle.remove(e);
    envs.release(e);
    alive--;
  }
  let env = idle.head;
  let initDraw = 0;
  if (env >= 0) idle.remove(env);
  else {
    if (!scaling.take(t)) {
      throttles++;
      continue;
    }
    env = envs.allocate(0, t, 0);
    if (++alive > peakAlive) peakAlive = alive;
    cold++;
    coldSeries.add(t);
    usage.newEnvironments++;
    initDraw = init.sample(rInit);
    initMs.record(initDraw);
  }
  const handler = duration.sample(rDuration);
  busy++;
  concurrency.set(t, busy);
  invocations++;
  usage.requests++;
  invocationSeries.add(t);
  if (initDraw === 0) shared.record(handler);
  else handlerCold.record(handler);
  const actual = initDraw + handler;
  usage.onDemandActualMs += actual;
  usage.onDemandBilledMs += billedDurationMs(actual, granularityMs);
  startOf[env] = t;
  coldOf[env] = initDraw > 0 ? 1 : 0;
  const end = t + actual;
  if (end < endMs) queue.push(end, 1, 0, env);
}
concurrency.finish(endMs);
const handlerMs = new LogHistogram();
handlerMs.merge(shared);
handlerMs.merge(handlerCold);
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage();
const [p50, p99] = handlerMs.quantiles([0.5, 0.99]);
console.log(
  JSON.stringify({
    scenario: sc.name, simulatedS: endMs / 1000, requests, invocations, coldStarts: cold, throttles, events, peakConcurrency: concurrency.max,
    peakEnvironments: peakAlive, handlerP50: +p50.toFixed(3), handlerP99: +p99.toFixed(3), succeeded,
    billedGbS: +((usage.onDemandBilledMs / 1000) * (f.memoryMb / 1024)).toFixed(1), wallS, cpuS: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
