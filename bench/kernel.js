// The reference kernel (issue 21): the bench's own hand-tuned model of a sync
// Poisson workload on one function, written for speed alone, so `npm run bench`
// prints lsim's figures as measured ratios against it in the same run.
//
// It models what bench/scenarios/S.yaml (and L, C1M) ask of lsim, with the same
// counters: requests, invocations, cold starts, throttles (concurrency and
// scaling), the handler-duration and end-to-end histograms (the same log buckets
// as src/metrics/histogram.ts), billed duration (1 ms, init billed), peak
// concurrency and peak environments. Rules: Poisson arrivals; an idle environment
// (most recently used first) serves a request warm; idle ones unused for the
// keep-alive are reclaimed, oldest first; otherwise a new environment starts cold
// if the account's concurrency and the function's scaling bucket allow (a token
// bucket of `step` tokens refilled continuously over `window`), else a throttle.
// Durations and inits are lognormal. Its random numbers are its own (xoshiro128**),
// so its counts agree with lsim's statistically, not draw for draw; the bench
// prints both so a reader sees they are the same model.
//
// Layout: one Float64Array of environment last-use times and two Int32Arrays of
// idle-list links; completions in a binary heap of (time, environment) over a
// Float64Array and an Int32Array. Nothing is allocated per invocation.
// Usage: node bench/kernel.js <rate/s> <limit> <mean ms> <sigma> <seconds> [step] [window s]
// Prints one JSON line like bench/case.js's.

const [rate, limit, meanMs, sigma, seconds, step = 1000, windowS = 10] = process.argv.slice(2).map(Number);
const KEEP_ALIVE_MS = 10 * 60_000;
const INIT_MU = Math.log(260); // the nodejs init preset: median 260 ms, 97.5th percentile 600 ms
const INIT_SIGMA = Math.log(600 / 260) / 1.959963984540054;

// xoshiro128** (Blackman & Vigna), seeded by splitmix32 from a fixed seed.
let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
{
  let x = 0x9e3779b9 ^ 1;
  const sm = () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) | 0;
  };
  s0 = sm(); s1 = sm(); s2 = sm(); s3 = sm();
}
function next32() {
  const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return r >>> 0;
}
function rotl(v, k) {
  return (v << k) | (v >>> (32 - k));
}
/** A double in (0, 1): 53 random bits. */
function uniform() {
  return ((next32() >>> 5) * 67108864 + (next32() >>> 6) + 0.5) / 9007199254740992;
}
let spare = NaN;
function normal() {
  if (spare === spare) {
    const z = spare;
    spare = NaN;
    return z;
  }
  const r = Math.sqrt(-2 * Math.log(uniform()));
  const a = 2 * Math.PI * uniform();
  spare = r * Math.sin(a);
  return r * Math.cos(a);
}

// The histogram buckets of src/metrics/histogram.ts.
const GAMMA = 1.001 / 0.999;
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
const KEY_OFFSET = Math.ceil(Math.log(1e-3) * INV_LN_GAMMA);
class Histogram {
  counts = new Float64Array(16384);
  n = 0;
  record(v) {
    this.n++;
    this.counts[Math.ceil(Math.log(v) * INV_LN_GAMMA) - KEY_OFFSET]++;
  }
  quantile(p) {
    const need = p * this.n;
    let cum = 0;
    for (let i = 0; i < this.counts.length; i++) if ((cum += this.counts[i]) >= need) return (2 * Math.exp((i + KEY_OFFSET) / INV_LN_GAMMA)) / (GAMMA + 1);
    return NaN;
  }
}

const started = process.hrtime.bigint();
const mu = Math.log(meanMs) - (sigma * sigma) / 2;
const endMs = seconds * 1000;
const gapMs = 1000 / rate;
let cap = 1024;
let lastUse = new Float64Array(cap);
let prev = new Int32Array(cap);
let nextIdle = new Int32Array(cap);
let envs = 0;
let idleHead = -1, idleTail = -1;
let heapT = new Float64Array(cap);
let heapE = new Int32Array(cap);
let heapN = 0;
let busy = 0, peakBusy = 0, alive = 0, peakAlive = 0, freeEnvs = [];
let requests = 0, invocations = 0, cold = 0, throttles = 0, billedMs = 0, events = 0;
let tokens = step, tokenAt = 0;
const handler = new Histogram();
const e2e = new Histogram();

function grow() {
  cap *= 2;
  const g = (a, C) => { const b = new C(cap); b.set(a); return b; };
  lastUse = g(lastUse, Float64Array); prev = g(prev, Int32Array); nextIdle = g(nextIdle, Int32Array);
  heapT = g(heapT, Float64Array); heapE = g(heapE, Int32Array);
}
function push(t, e) {
  let i = heapN++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (heapT[p] <= t) break;
    heapT[i] = heapT[p]; heapE[i] = heapE[p]; i = p;
  }
  heapT[i] = t; heapE[i] = e;
}
function popTo() {
  const e = heapE[0];
  const t = heapT[--heapN], x = heapE[heapN];
  let i = 0;
  for (;;) {
    let c = 2 * i + 1;
    if (c >= heapN) break;
    if (c + 1 < heapN && heapT[c + 1] < heapT[c]) c++;
    if (heapT[c] >= t) break;
    heapT[i] = heapT[c]; heapE[i] = heapE[c]; i = c;
  }
  heapT[i] = t; heapE[i] = x;
  return e;
}
function idlePush(e, t) {
  lastUse[e] = t; prev[e] = -1; nextIdle[e] = idleHead;
  if (idleHead >= 0) prev[idleHead] = e; else idleTail = e;
  idleHead = e;
}
function idleUnlink(e) {
  const p = prev[e], n = nextIdle[e];
  if (p >= 0) nextIdle[p] = n; else idleHead = n;
  if (n >= 0) prev[n] = p; else idleTail = p;
}

let t = -gapMs * Math.log(uniform());
while (t < endMs) {
  // Completions first (an environment freed at t serves a request arriving at t).
  while (heapN > 0 && heapT[0] <= t) {
    const ct = heapT[0];
    const e = popTo();
    busy--;
    idlePush(e, ct);
    events++;
  }
  events++;
  requests++;
  while (idleTail >= 0 && lastUse[idleTail] + KEEP_ALIVE_MS <= t) {
    const e = idleTail;
    idleUnlink(e);
    freeEnvs.push(e);
    alive--;
  }
  if (busy >= limit) throttles++;
  else {
    let e = idleHead, init = 0;
    if (e >= 0) idleUnlink(e);
    else {
      tokens = Math.min(step, tokens + ((t - tokenAt) * step) / (windowS * 1000));
      tokenAt = t;
      if (tokens < 1) {
        throttles++;
        t += -gapMs * Math.log(uniform());
        continue;
      }
      tokens--;
      e = freeEnvs.length > 0 ? freeEnvs.pop() : envs++;
      if (envs >= cap) grow();
      alive++;
      if (alive > peakAlive) peakAlive = alive;
      cold++;
      init = Math.exp(INIT_MU + INIT_SIGMA * normal());
    }
    const d = Math.exp(mu + sigma * normal());
    invocations++;
    handler.record(d);
    e2e.record(init + d);
    billedMs += Math.ceil(init + d);
    if (++busy > peakBusy) peakBusy = busy;
    push(t + init + d, e);
  }
  t += -gapMs * Math.log(uniform());
}
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage();
console.log(
  JSON.stringify({
    requests, invocations, coldStarts: cold, throttles, events, peakConcurrency: peakBusy, peakEnvironments: peakAlive,
    handlerP50: +handler.quantile(0.5).toFixed(3), handlerP99: +handler.quantile(0.99).toFixed(3), e2eP99: +e2e.quantile(0.99).toFixed(3),
    billedGbS: +((billedMs / 1000) * 1).toFixed(1), wallS, cpuS: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
