/**
 * Provisioned concurrency as a decision (issue 18 item 5, `lsim provision`): from
 * the scenario's own traffic shape, propose a PC schedule that meets a cold-start
 * objective at least cost, as a block to paste.
 *
 * 1. Run the scenario with no PC on the function: its concurrency per report
 *    interval is the traffic shape (the peak of each interval, what PC must cover).
 * 2. Cut the run into blocks (`step`, default an hour on runs of a day, else a
 *    twelfth of the run rounded to intervals); a block's level is the highest
 *    interval peak in it. Candidate k configures ⌈k × level⌉ per block (capped at
 *    the function's reserved concurrency), raised `lead` before its block so the
 *    environments are allocated in time (allocation takes a minute or two,
 *    docs/sources.md §1) and lowered at the block's start.
 *    The default objective is `coldStartRate@<fn><=0.01%` (one invocation in 10,000).
 * 3. Simulate every candidate (k = 0, ¼, ½, ¾, 1, 1¼, 1½) and static PC at the
 *    run's peak, each with the same seed; the proposal is the cheapest candidate
 *    meeting the objectives, within the guard of sweeps (it may not leave more work
 *    undone than the best candidate, docs/model.md "Capacity planning").
 */
import { UserError } from '../errors.js';
import { parseScenario } from '../scenario/load.js';
import { parseOverridePath } from '../scenario/overrides.js';
import { simulate } from '../sim/simulate.js';
import type { Result } from '../sim/result.js';
import { formatDuration, parseDurationMs } from '../scenario/units.js';
import { dur, int, money, pct, table, wrap } from '../format.js';
import { GUARD_TOLERANCE, monthAssumption } from '../report/format.js';
import { failureText, meets, parseObjectives, type Objective } from './objectives.js';
import { checkTargets, runMetrics } from './metrics.js';

export interface ProvisionOptions {
  file: string;
  text: string;
  /** The function to plan for; default: the scenario's only function, or the one with the most invocations. */
  fn?: string;
  /** Default `coldStartRate@<fn><=0.01%` (one invocation in 10,000 a cold start). */
  objective?: string;
  /** Block length, e.g. `1h`. */
  step?: string;
  /** How long before its block a raise is configured (default 2m: allocationDelay 1 m and allocation). */
  lead?: string;
  seed?: string;
}

export interface ProvisionCandidate {
  /** `none`, `k=0.75`, `static 40`, `as written` (the scenario's own PC). */
  label: string;
  /** The `provisionedConcurrency` value pasted: a whole number or a schedule. */
  plan: number | { initial: number; schedule: { at: string; value: number }[] };
  coldStarts: number;
  coldStartRate: number | null;
  /** Monthly cost of the whole account (the month the scenario describes). */
  monthlyUsd: number;
  unfinishedRate: number | null;
  /** Objective failures and the guard's, worded; empty when eligible. */
  failures: string[];
}

export interface ProvisionResult {
  schema: 'lsim.provision/1';
  scenario: string;
  function: string;
  seed: string;
  month: string;
  stepMs: number;
  leadMs: number;
  /** Per block: its start and the highest interval peak of concurrency without PC. */
  blocks: { atMs: number; peak: number }[];
  objectives: string[];
  candidates: ProvisionCandidate[];
  /** Index into candidates of the proposal; null when none meets the objectives. */
  proposal: number | null;
  /** The proposal as a block of the scenario, ready to paste. */
  yaml: string | null;
  summary: string;
}

const K = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5];

/** The most blocks a proposal schedule has (one entry each at most). */
const MAX_BLOCKS = 10_000;

function duration(arg: string | undefined, name: string, fallback: number): number {
  if (arg === undefined) return fallback;
  const p = parseDurationMs(arg);
  if (!p.ok || !(p.value > 0)) throw new UserError(`--${name} ${arg}: expected a duration such as 1h or 30m`);
  return p.value;
}

/** An instant as the scenario writes it: a time of day `HH:MM` within the first day, else `1d8h15m`. */
function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (x: number) => String(x).padStart(2, '0');
  if (s < 86_400 && s % 60 === 0) return `${two(Math.floor(s / 3600))}:${two((s / 60) % 60)}`;
  const [d, h, m, r] = [Math.floor(s / 86_400), Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60];
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', r || s === 0 ? `${r}s` : ''].join('');
}

/** The default objective of `lsim provision`: at most one invocation in 10,000 a cold start (its --help quotes it). */
export const defaultProvisionObjective = (fn: string): string => `coldStartRate@${fn}<=0.01%`;

export function planProvisioned(o: ProvisionOptions): ProvisionResult {
  const base = parseScenario(o.text, o.file);
  const seed = o.seed ?? base.seed;
  /** The scenario run with the function's `provisionedConcurrency` replaced (null: as written). */
  const runs = (name: string, pc: string | null): Result => {
    const key = `functions.${name}.provisionedConcurrency`;
    const s = parseScenario(o.text, o.file, { overrides: pc === null ? [] : [{ path: parseOverridePath(key, 'lsim provision'), value: pc, source: `lsim provision: ${key}=${pc}` }] });
    s.seed = seed;
    return simulate(s);
  };
  const names = base.functions.map((f) => f.name);
  let fnName: string;
  if (o.fn !== undefined) {
    if (!names.includes(o.fn)) throw new UserError(`--function ${o.fn}: the scenario has no such function (it has ${names.join(', ')})`);
    fnName = o.fn;
  } else if (names.length === 1) fnName = names[0];
  else {
    const r = runs(names[0], null);
    fnName = [...r.functions].sort((a, b) => b.invocations - a.invocations || a.name.localeCompare(b.name))[0].name;
  }
  const fn = base.functions.find((f) => f.name === fnName)!;
  const objectives: Objective[] = parseObjectives(o.objective ?? defaultProvisionObjective(fnName));
  checkTargets(objectives.map((x) => ({ metric: x.metric, source: `--objective ${x.text}` })), base);
  const durationMs = base.durationMs;

  // 1. The traffic shape without PC.
  const none = runs(fnName, '0');
  const series = none.timeSeries;
  const interval = series.intervalMs;
  const stepMs = duration(o.step, 'step', durationMs >= 86_400_000 ? 3_600_000 : Math.ceil(Math.max(interval, Math.ceil(durationMs / 12 / interval) * interval) / 1000) * 1000);
  // By default 2 min (allocationDelay 1 min plus the allocation, docs/sources.md §1), within a block.
  const leadMs = duration(o.lead, 'lead', Math.min(120_000, stepMs - 1000));
  // A schedule's instants are whole seconds, each later than the one before: blocks of at least one
  // report interval (whose peaks they take) and one second, raised less than a block early.
  const minStepMs = Math.max(interval, 1000);
  if (stepMs < minStepMs || stepMs % 1000 !== 0) {
    throw new UserError(`--step ${o.step}: must be whole seconds and at least ${formatDuration(minStepMs)} (the report interval, whose peaks the blocks take)`);
  }
  if (durationMs / stepMs > MAX_BLOCKS) throw new UserError(`--step ${o.step}: gives ${Math.ceil(durationMs / stepMs).toLocaleString('en-US')} blocks over the run; at most ${MAX_BLOCKS.toLocaleString('en-US')}: give a longer --step`);
  if (leadMs >= stepMs || leadMs % 1000 !== 0) {
    throw new UserError(`--lead ${o.lead}: must be whole seconds and shorter than the step (${formatDuration(stepMs)}): a block raised earlier would be raised before the one before it`);
  }
  const peaks = series.functions[fnName].concurrencyMax;
  const blocks: { atMs: number; peak: number }[] = [];
  for (let at = 0; at < durationMs; at += stepMs) {
    let peak = 0;
    series.startMs.forEach((t, i) => {
      if (t + interval > at && t < at + stepMs) peak = Math.max(peak, peaks[i]);
    });
    blocks.push({ atMs: at, peak });
  }
  const cap = fn.reservedConcurrency ?? Infinity;

  // 2. Candidates: k × each block's peak, and static PC at the run's peak.
  const planOf = (k: number): ProvisionCandidate['plan'] => {
    const values = blocks.map((b) => Math.min(cap, Math.ceil(k * b.peak)));
    const schedule: { at: string; value: number }[] = [];
    for (let i = 1; i < blocks.length; i++) {
      if (values[i] === values[i - 1]) continue;
      const at = values[i] > values[i - 1] ? Math.max(0, blocks[i].atMs - leadMs) : blocks[i].atMs;
      schedule.push({ at: clock(at), value: values[i] });
    }
    return { initial: values[0], schedule };
  };
  const peak = Math.min(cap, Math.max(0, ...blocks.map((b) => b.peak)));
  const plans: { label: string; plan: ProvisionCandidate['plan'] | null }[] = [
    ...K.map((k) => ({ label: k === 0 ? 'none' : `k=${k}`, plan: k === 0 ? 0 : planOf(k) })),
    { label: `static ${peak}`, plan: peak },
    // The scenario's own PC, when it has some, to compare with.
    ...(fn.provisionedConcurrency > 0 || fn.provisionedPlan ? [{ label: 'as written', plan: null }] : []),
  ];
  const text = (p: ProvisionCandidate['plan']) =>
    typeof p === 'number' ? String(p) : p.schedule.length === 0 ? String(p.initial) : `{ initial: ${p.initial}, schedule: [${p.schedule.map((s) => `{ at: ${s.at}, value: ${s.value} }`).join(', ')}] }`;
  const metricNames = [...new Set([...objectives.map((x) => x.metric), `coldStartRate@${fnName}`, 'unfinishedRate'])];
  const candidates: ProvisionCandidate[] = plans.map(({ label, plan: given }) => {
    const r = label === 'none' ? none : runs(fnName, given === null ? null : text(given));
    const plan = given ?? (fn.provisionedPlan ? { initial: fn.provisionedPlan.initial, schedule: fn.provisionedPlan.schedule.map((s) => ({ at: clock(s.atMs), value: s.value })) } : fn.provisionedConcurrency);
    const m = runMetrics(r, metricNames);
    const f = r.functions.find((x) => x.name === fnName)!;
    const failures = objectives.filter((x) => m[x.metric] === null || !meets(x, m[x.metric]!)).map((x) => failureText(x, m[x.metric]));
    return { label, plan: typeof plan === 'number' ? plan : plan.schedule.length === 0 ? plan.initial : plan, coldStarts: f.coldStarts, coldStartRate: m[`coldStartRate@${fnName}`], monthlyUsd: r.account.cost.monthly.total, unfinishedRate: m.unfinishedRate, failures };
  });
  // The guard of sweeps: no candidate that leaves more work undone than the best by more than 0.1% of it.
  const floor = Math.min(...candidates.map((c) => c.unfinishedRate ?? Infinity));
  for (const c of candidates) {
    if (c.unfinishedRate !== null && c.unfinishedRate > floor + GUARD_TOLERANCE + 1e-12) c.failures.push(`guard: leaves ${pct(c.unfinishedRate)} of the work undone, against ${pct(floor)}`);
  }
  const eligible = candidates.map((c, i) => ({ c, i })).filter(({ c }) => c.failures.length === 0);
  const best = eligible.sort((a, b) => a.c.monthlyUsd - b.c.monthlyUsd || a.i - b.i)[0];
  const month = monthAssumption(none.account.cost.month);
  const stat = candidates[K.length];
  const noPc = candidates[0];
  let yaml: string | null = null;
  let summary: string;
  if (best) {
    const p = best.c.plan;
    yaml = best.c.label === 'as written' ? null :
      `functions:\n  ${fnName}:\n    provisionedConcurrency:` +
      (typeof p === 'number' ? ` ${p}\n` : `\n      initial: ${p.initial}\n      schedule:\n${p.schedule.map((s) => `        - { at: ${s.at}, value: ${s.value} }`).join('\n')}\n`);
    const removed = noPc.coldStarts - best.c.coldStarts;
    const vsStatic = stat.monthlyUsd - best.c.monthlyUsd;
    summary =
      `${best.c.label}: ${money(best.c.monthlyUsd)}/mo (${month}), cold starts ${int(best.c.coldStarts)} (${best.c.coldStartRate === null ? '–' : pct(best.c.coldStartRate)}), ` +
      `${removed >= 0 ? `${int(removed)} fewer` : `${int(-removed)} more`} than without PC (${signedMoney(best.c.monthlyUsd - noPc.monthlyUsd)}/mo)` +
      (best.c.label === 'as written' ? '; the scenario’s own plan is the cheapest that meets the objectives: keep it' : '') +
      (best.c !== stat ? `; ${vsStatic >= 0 ? `${money(vsStatic)}/mo less` : `${money(-vsStatic)}/mo more`} than static PC of ${peak} (${int(stat.coldStarts)} cold starts)` : '') +
      // The schedule is sized on this seed's traffic, so its figures are this seed's (docs/model.md).
      `. One seed (${seed}) and one window: the schedule is sized on this run's traffic, so another seed's cold starts will differ; ` +
      'check the margin with lsim sweep and replications before relying on it';
  } else {
    const closest = [...candidates].sort((a, b) => (a.coldStartRate ?? Infinity) - (b.coldStartRate ?? Infinity))[0];
    summary = `no candidate meets ${objectives.map((x) => x.text).join(', ')}; the fewest cold starts: ${closest.label} (${closest.failures.join('; ')}); try a shorter --step or a longer --lead`;
  }
  return {
    schema: 'lsim.provision/1',
    scenario: base.name,
    function: fnName,
    seed,
    month,
    stepMs,
    leadMs,
    blocks,
    objectives: objectives.map((x) => x.text),
    candidates,
    proposal: best ? best.i : null,
    yaml,
    summary,
  };
}

function signedMoney(x: number): string {
  return x < 0 ? `−${money(-x)}` : `+${money(x)}`;
}

export function provisionText(r: ProvisionResult): string {
  const out: string[] = [];
  out.push(`lsim provision · ${r.scenario} · function ${r.function} · seed ${r.seed}`);
  out.push(`objectives: ${r.objectives.join(', ')} · blocks of ${dur(r.stepMs)}, raised ${dur(r.leadMs)} early · cost: ${r.month}`);
  out.push('');
  out.push(...wrap(`Traffic shape without PC (peak concurrency per block): ${r.blocks.map((b) => `${clock(b.atMs)} ${b.peak}`).join(' · ')}`, 2));
  out.push('');
  out.push(
    table(
      ['candidate', 'cold starts', 'coldStartRate', 'unfinished', 'cost/mo', 'verdict'],
      r.candidates.map((c, i) => [
        c.label,
        int(c.coldStarts),
        c.coldStartRate === null ? '–' : pct(c.coldStartRate),
        c.unfinishedRate === null ? '–' : pct(c.unfinishedRate),
        money(c.monthlyUsd),
        i === r.proposal ? '★ proposed' : c.failures.length ? `✗ ${c.failures.map((f) => f.split(/[ :]/)[0]).join(', ')}` : 'ok',
      ]),
    ),
  );
  out.push('');
  out.push(...wrap(`Proposal: ${r.summary}`, 2));
  if (r.yaml) {
    out.push('');
    out.push('Paste into the scenario (or set it with --set on lsim run / compare):');
    out.push('');
    out.push(...r.yaml.trimEnd().split('\n').map((l) => `  ${l}`));
  }
  return out.join('\n') + '\n';
}
