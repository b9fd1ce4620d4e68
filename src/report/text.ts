/** The terminal report: what a person reads first. Fits 100 columns. */
import { unitsOf } from '../billing/service-prices.js';
import type { CostResult, Result } from '../sim/result.js';
import { MODELS } from '../models/index.js';
import { summarize } from './summary.js';
import { monthNote, runAssumptions } from './format.js';
import { pipelineText } from './pipelines.js';
import { dur, int, money, num, pct, table, wrap, escapeControls } from '../format.js';

export interface TextOptions {
  /** Open with the headline sentences (src/report/summary.ts), as `lsim run --summary` does. */
  summary?: boolean;
}

/** The report for a terminal: control characters from the scenario's text escaped (src/format.ts `escapeControls`). */
export function textReport(r: Result, options: TextOptions = {}): string {
  return escapeControls(textReportUnescaped(r, options));
}

function textReportUnescaped(r: Result, options: TextOptions): string {
  const s = r.scenario;
  const out: string[] = [];
  out.push(`lsim · ${s.name} · seed ${s.seed} · ${dur(s.durationMs)} simulated${s.warmupMs > 0 ? ` (metrics after ${dur(s.warmupMs)} warm-up)` : ''}`);
  if (s.description) out.push(s.description);
  out.push(`account: concurrency ${int(s.concurrencyLimit)} (unreserved ${int(s.unreservedConcurrency)}) · scaling ${s.scaling}`);
  out.push(`billing: ${s.billingGranularityMs} ms granularity · init ${s.initBilling}`);
  if (options.summary) {
    out.push('');
    out.push('Summary');
    for (const sentence of summarize(r)) out.push(...wrap(`  - ${sentence}`, 4));
  }
  out.push('');
  out.push('Functions');
  const timeouts = r.functions.some((f) => f.timeouts > 0);
  out.push(
    table(
      ['name', 'invocations', 'cold starts', 'throttles', 'errors', ...(timeouts ? ['timeouts'] : []), 'peak conc', 'mean conc', 'peak envs'],
      r.functions.map((f) => [
        f.name,
        int(f.invocations),
        `${int(f.coldStarts)} (${pct(f.coldStartRate)})`,
        `${int(f.throttles.total)} (${pct(f.throttleRate)})`,
        int(f.errors),
        ...(timeouts ? [int(f.timeouts)] : []),
        int(f.concurrency.max),
        num(f.concurrency.mean, 1),
        int(f.environments.maxOnDemand + f.environments.provisioned),
      ]),
    ),
  );
  out.push('');
  out.push('Handler duration and init (cold starts)');
  out.push(
    table(
      ['name', 'p50', 'p90', 'p99', 'p99.9', 'max', 'init p50', 'init p99', 'billed GB-s'],
      r.functions.map((f) => [
        f.name,
        dur(f.durationMs.p50),
        dur(f.durationMs.p90),
        dur(f.durationMs.p99),
        dur(f.durationMs.p999),
        dur(f.durationMs.max),
        dur(f.initMs.p50),
        dur(f.initMs.p99),
        num(f.billing.gbSeconds + f.billing.provisionedGbSeconds, 1),
      ]),
    ),
  );
  // What the figures above rest on (an arm64 speed not given, no warm-up: docs/model.md).
  for (const note of runAssumptions(r)) out.push(...wrap(`note: ${note}`, 6));
  const overran = r.functions.filter((f) => f.initOverruns > 0);
  if (overran.length > 0) {
    out.push('');
    out.push('Init overruns (on-demand init past the 10 s limit: cut at 10 s, then re-run inside the invoke under the timeout)');
    out.push(
      table(
        ['name', 'overruns', 'share of cold', 're-run p50', 're-run max'],
        overran.map((f) => [f.name, int(f.initOverruns), pct(f.initOverruns / f.coldStarts), dur(f.initRerunMs.p50), dur(f.initRerunMs.max)]),
      ),
    );
  }
  const initFailed = r.functions.filter((f) => f.snapStartTimeouts + f.environments.pcInitFailures > 0);
  if (initFailed.length > 0) {
    out.push('');
    out.push('Failed inits (SnapStart after-restore hooks past 10 s fail the invoke, counted in errors; a PC init past');
    out.push('max(130 s, timeout) is tried again at allocation and recycling, and fails the invoke after a timeout)');
    out.push(
      table(
        ['name', 'SnapStart timeouts', 'PC init failures'],
        initFailed.map((f) => [f.name, int(f.snapStartTimeouts), int(f.environments.pcInitFailures)]),
      ),
    );
  }
  out.push('');
  out.push('Execution environments (alive, busy, idle: time-weighted means; retired: at lifetime end)');
  const pcEnvs = r.functions.some((f) => f.environments.mean.provisioned > 0);
  out.push(
    table(
      ['name', 'alive', 'busy', 'idle', ...(pcEnvs ? ['provisioned'] : []), 'created', 'proactive', 'retired', 'reclaimed'],
      r.functions.map((f) => {
        const e = f.environments;
        return [
          f.name,
          num(e.mean.alive, 1),
          num(e.mean.busy, 1),
          num(e.mean.idle, 1),
          ...(pcEnvs ? [num(e.mean.provisioned, 1)] : []),
          int(e.created),
          int(e.proactiveInits),
          int(e.retired),
          int(e.reclaimed),
        ];
      }),
    ),
  );
  const throttled = r.functions.filter((f) => f.throttles.total > 0);
  if (throttled.length > 0) {
    out.push('');
    out.push('Throttles (429) by reason');
    out.push(
      table(
        ['name', 'scaling rate', 'reserved conc.', 'account conc.', 'account req/s', 'function req/s'],
        throttled.map((f) => [
          f.name,
          int(f.throttles['scaling-rate']),
          int(f.throttles['reserved-concurrency']),
          int(f.throttles['account-concurrency']),
          int(f.throttles['request-rate']),
          int(f.throttles['function-request-rate']),
        ]),
      ),
    );
  }
  const pc = r.functions.filter((f) => f.provisionedConcurrency > 0);
  if (pc.length > 0) {
    out.push('');
    out.push('Provisioned concurrency');
    out.push(
      table(
        ['name', 'provisioned', 'on provisioned', 'spillover'],
        pc.map((f) => [f.name, int(f.provisionedConcurrency), int(f.provisionedInvocations), int(f.spilloverInvocations)]),
      ),
    );
  }
  // Provisioned concurrency plans (schedule, auto scaling; issue 8).
  const plans = r.functions.filter((f) => f.provisionedPlan);
  if (plans.length > 0) {
    out.push('');
    out.push('Provisioned concurrency plans (configured over the measured window; billed per environment-hour configured, each enable period rounded up to 5 min)');
    out.push(
      table(
        ['name', 'plan', 'initial', 'max conf.', 'mean conf.', 'env-hours', 'changes', 'scale-outs', 'scale-ins', 'max allocated'],
        plans.map((f) => {
          const p = f.provisionedPlan!;
          return [f.name, p.kind, int(p.initial), int(p.maxConfigured), num(p.meanConfigured, 1), num(p.environmentHours, 1), int(p.changes), int(p.scaleOuts), int(p.scaleIns), int(f.environments.provisioned)];
        }),
      ),
    );
  }
  out.push('');
  out.push(...costSection(r));
  // Each invocation model's sections, in registry order (src/models/index.ts).
  for (const model of MODELS) out.push(...model.text(r));
  out.push(...pipelineText(r));
  out.push('');
  return out.join('\n');
}

/** Cost per function: the simulated window, and the month the scenario describes. */
function costSection(r: Result): string[] {
  const c = r.account.cost;
  const out = [`Lambda's part of the bill, USD (prices ${c.priceBook}; ${monthNote(c)})`];
  const row = (name: string, cost: CostResult) => {
    const m = cost.monthly;
    return [
      name,
      money(cost.window.total),
      money(m.requests),
      money(m.duration + m.provisionedDuration),
      money(m.provisionedConcurrency),
      money(m.ephemeralStorage + m.streaming + m.pollers + m.snapStart + m.tenantIsolation + m.edge),
      money(m.total),
      cost.usdPerMillionInvocations === null ? '-' : money(cost.usdPerMillionInvocations),
      pct(cost.rounding.share),
    ];
  };
  const rows = r.functions.map((f) => row(f.name, f.cost));
  if (r.functions.length > 1) rows.push(row('total', c));
  out.push(table(['name', 'window', 'requests/mo', 'duration/mo', 'PC/mo', 'other/mo', 'total/mo', 'per M inv', 'rounding'], rows));
  out.push('');
  out.push(...billSection(r));
  return out;
}

/** The whole month's bill (docs/billing.md "The rest of the bill"): every line with its price source, Lambda's part and the total. */
export function billSection(r: Result): string[] {
  const c = r.account.cost;
  const b = c.bill;
  const out = [`The whole bill, USD a month: ${money(b.monthlyUsd)} = Lambda ${money(b.lambdaMonthlyUsd)} + other services ${money(b.servicesMonthlyUsd)}`];
  const lambda = c.lines.filter((l) => l.service === 'AWS Lambda');
  const rows: string[][] = lambda.map((l) => [`AWS Lambda ${l.item}`, '', money(l.usd)]);
  const sources = lambda.map((l) => `AWS Lambda ${l.item}: ${c.priceBook}, ${l.source}`);
  for (const l of b.services) {
    const short = l.label.split(' (')[0];
    const quantity = `${num(l.quantity, l.quantity < 100 ? 2 : 0)} ${unitsOf(l.quantity, l.unit)}${l.freeQuantity > 0 ? ` − ${num(l.freeQuantity, 0)} free` : ''}`;
    rows.push([`${l.service} ${short}`, quantity, money(l.usd)]);
    sources.push(`${l.service} ${l.label}: ${l.price}, ${l.source}${l.note ? `; ${l.note}` : ''}`);
  }
  rows.push(['total', '', money(b.monthlyUsd)]);
  out.push(table(['line item', 'quantity', 'USD/mo'], rows));
  out.push(`Prices (service prices ${b.servicePrices}):`);
  for (const line of sources) out.push(...wrap(`  ${line}`, 4));
  return out;
}
