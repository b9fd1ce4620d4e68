/** The month a report's monthly figures assume, in words (docs/billing.md "The month"). */
import { DAY_MS } from '../billing/month.js';
import type { MonthResult, Result } from '../sim/result.js';
import { modelOf } from '../models/index.js';
import type { WorkFates } from '../models/model.js';
import { num } from '../format.js';

/**
 * What the monthly figures assume, said next to them in every report:
 * "month = 31 days: window × 4,464", "month = 2026-03 (31 days): burst 2/day × 62 + rest of window × 5,564.5",
 * "month = window × 4,320 (repeat; 30 of 31 days)".
 */
export function monthAssumption(m: MonthResult): string {
  if (m.repeat !== null) return `month = window × ${num(m.repeat)} (repeat; ${num((m.repeat * m.rest.ms) / DAY_MS)} of ${m.days} days)`;
  const month = m.of === null ? `${m.days} days` : `${m.of} (${m.days} days)`;
  if (m.parts.length === 0) return `month = ${month}: window × ${num(m.rest.weight)}`;
  const terms = m.parts.map((p) => `${p.name} ${p.per} × ${num(p.times)}`);
  if (m.rest.ms > 0) terms.push(`rest of window × ${num(m.rest.weight)}`);
  return `month = ${month}: ${terms.join(' + ')}`;
}

/** Whether the monthly figures have the free tier taken off, said next to them in every report. */
function freeTierNote(freeTier: { requests: boolean; compute: boolean }): string {
  return freeTier.requests || freeTier.compute ? 'free tier applied' : 'no free tier';
}

/**
 * How much more of the work offered (a share) a design may leave unfinished than the best before it
 * cannot win on cost: the sweep guard's default (`--guard 0.1%`), `lsim provision`'s and `lsim compare`'s.
 */
export const GUARD_TOLERANCE = 0.001;

/** Both: what a run's monthly figures assume, "month = 31 days: window × 4,960; free tier applied". */
export function monthNote(cost: { month: MonthResult; freeTier: { requests: boolean; compute: boolean } }): string {
  return `${monthAssumption(cost.month)}; ${freeTierNote(cost.freeTier)}`;
}

/**
 * The assumptions a run's headline figures rest on beyond the month, said next to them in every report
 * (the text report, its HTML page, `lsim compare`): an arm64 function's speed when it was not given, and
 * a run with no warm-up, whose cold starts (and the month's copies of them) include filling the pool
 * from empty.
 */
export function runAssumptions(r: Result): string[] {
  const out: string[] = [];
  const sameSpeed = r.functions.filter((f) => f.architecture === 'arm64' && f.arm64SpeedAssumed).map((f) => f.name);
  if (sameSpeed.length > 0) {
    out.push(
      `${sameSpeed.join(', ')} ${sameSpeed.length === 1 ? 'runs' : 'run'} on arm64 at the same speed as on x86_64, by assumption ` +
        '(arm64Speed 1; real gains depend on the workload: set arm64Speed from a measurement)',
    );
  }
  for (const f of r.functions) {
    if (f.extensions?.shutdownAssumed) {
      out.push(
        `${f.name}'s ${f.extensions.mode} extensions shut down for ${f.extensions.shutdownMs.toLocaleString('en-US')} ms, billed, at every environment's end: ` +
          'the limit, by assumption (AWS publishes no typical time: set extensions.shutdown from a measurement)',
      );
    }
  }
  if (r.scenario.warmupMs === 0 && r.functions.some((f) => f.coldStarts > 0)) {
    out.push(
      'no warm-up: the run starts with no environments, so its cold starts include filling the pool from empty, ' +
        'and each copy of the window in the month repeats them (set warmup for a steady state)',
    );
  }
  return out;
}

/** The work a run's workloads were offered and its fates, summed over them (or only `workload`'s). */
export function workOf(r: Result, workload?: string): WorkFates {
  const sum: WorkFates = { offered: 0, served: 0, lost: 0, dlq: 0, queued: 0, inFlight: 0 };
  for (const w of r.workloads) {
    if (workload !== undefined && w.name !== workload) continue;
    const f = modelOf(w.invoke).work(w);
    sum.offered += f.offered;
    sum.served += f.served;
    sum.lost += f.lost;
    sum.dlq += f.dlq;
    sum.queued += f.queued;
    sum.inFlight += f.inFlight;
  }
  return sum;
}
