/** The month a report's monthly figures assume, in words (docs/billing.md "The month"). */
import { DAY_MS } from '../billing/month.js';
import type { MonthResult } from '../sim/result.js';
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
export function freeTierNote(freeTier: { requests: boolean; compute: boolean }): string {
  return freeTier.requests || freeTier.compute ? 'free tier applied' : 'no free tier';
}
