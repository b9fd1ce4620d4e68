/**
 * The headline of a run, written from its result: what bound (which limit throttled, from when),
 * what it cost the callers, cold starts, each workload's outcome in its model's words, and the
 * month's cost with its assumption. The HTML page opens with it; `lsim run --summary` prints it.
 */
import { dur, int, money, pct } from '../format.js';
import { MODELS, modelOf } from '../models/index.js';
import type { FunctionResult, Result } from '../sim/result.js';
import type { ThrottleCounts } from '../sim/result.js';
import { monthAssumption } from './format.js';

/** The limit each throttle reason stands for, in words. */
const LIMITS: Record<Exclude<keyof ThrottleCounts, 'total'>, string> = {
  'scaling-rate': 'the scaling rate (new environments allowed per interval)',
  'account-concurrency': "the account's concurrency quota",
  'reserved-concurrency': 'its reserved concurrency',
  'request-rate': "the account's request-rate quota",
  'function-request-rate': 'the per-function request rate (10 × its concurrency)',
};

/** `0:50`, `1:02:30`, `45 s` (simulated time from the start). */
export function clockTime(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (x: number) => String(x).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)}:${two(s % 60)}`;
  return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}

function functionSentence(f: FunctionResult, r: Result): string {
  const limit = f.reservedConcurrency ?? r.scenario.unreservedConcurrency + f.provisionedConcurrency;
  const peak = `peak concurrency ${int(f.concurrency.max)} of ${int(limit)}`;
  const cold = f.invocations > 0 ? `cold starts ${pct(f.coldStartRate)} of invocations` : 'no invocations';
  if (f.throttles.total === 0) return `${f.name}: no throttles; ${peak}; ${cold}.`;
  const reasons = (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).filter((k) => f.throttles[k] > 0).sort((a, b) => f.throttles[b] - f.throttles[a]);
  const series = r.timeSeries.functions[f.name]?.throttles ?? [];
  const first = series.findIndex((n) => n > 0);
  const from = first >= 0 ? `from ${clockTime(r.timeSeries.startMs[first])}, ` : '';
  const by = reasons.map((k, i) => (i === 0 ? `mostly by ${LIMITS[k]}` : LIMITS[k])).join(', then by ');
  return `${f.name}: ${from}${int(f.throttles.total)} attempts throttled (${pct(f.throttleRate)} of attempts), ${by}; ${peak}; ${cold}.`;
}

/** A pipeline (issue 16): how many requests got to the end, how long that took, what was lost, which stage bound. */
function pipelineSentence(p: NonNullable<Result['pipelines']>[number]): string {
  const q = p.requests;
  const lost = q.inDlq + q.dropped > 0 ? `; ${int(q.inDlq)} in a DLQ, ${int(q.dropped)} dropped` : '';
  const e2e = p.endToEndMs.count > 0 ? ` (p99 ${dur(p.endToEndMs.p99)} to the last stage)` : '';
  const b = p.binding;
  const binds = b === null ? '; no stage bound' : `; ${b.stage} bound from ${clockTime(b.fromMs)} (${b.cause === 'throttles' ? 'throttled' : 'its items waited longer and longer'})`;
  return `Pipeline ${p.name}: ${pct(q.finishedShare)} of ${int(q.entered)} requests finished end to end${e2e}${lost}${binds}.`;
}

/** The headline sentences of a run. */
export function summarize(r: Result): string[] {
  const out = r.functions.map((f) => functionSentence(f, r));
  for (const model of MODELS) for (const w of r.workloads) if (w.invoke === model.invoke) out.push(...modelOf(w.invoke).summary(w, r));
  for (const p of r.pipelines ?? []) out.push(pipelineSentence(p));
  const c = r.account.cost;
  const byService = new Map<string, number>();
  for (const l of c.bill.services) if (l.usd > 0) byService.set(l.service, (byService.get(l.service) ?? 0) + l.usd);
  const services = [...byService].map(([service, usd]) => `${service} ${money(usd)}`);
  out.push(
    `Cost: ${money(c.bill.monthlyUsd)} a month, Lambda ${money(c.monthly.total)}${services.length > 0 ? ` + ${services.join(' + ')}` : ' and nothing else'} (${monthAssumption(c.month)}; prices ${c.priceBook}).`,
  );
  return out;
}
