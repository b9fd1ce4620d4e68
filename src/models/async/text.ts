/** The async workloads' part of the terminal report (docs/sources.md §4); empty when there are none. */
import type { ResultView } from '../model.js';
import type { AsyncWorkloadResult } from './types.js';
import { dur, int, money, table, wrap } from '../../format.js';

export function asyncSection(r: ResultView): string[] {
  const list = r.workloads.filter((w): w is AsyncWorkloadResult => w.invoke === 'async');
  if (list.length === 0) return [];
  const out: string[] = [];
  out.push('');
  out.push('Async workloads: the fate of accepted events (202), retries and the internal queue');
  out.push(
    table(
      ['name', 'accepted', 'dups', 'ok 1st try', 'ok retry', 'to target', 'dropped', 'open at end', 'retries', 'throttled reads', 'max queue'],
      list.map((w) => [
        w.name,
        int(w.accepted),
        int(w.duplicates),
        int(w.succeededFirstTry),
        int(w.succeededAfterRetry),
        int(w.failed.total),
        int(w.dropped.total),
        int(w.openAtEnd.total),
        int(w.retryAttempts),
        int(w.throttleRequeues),
        int(w.queueDepth.max),
      ]),
    ),
  );
  out.push('');
  out.push('Async event age (accept → first attempt, accept → outcome) and failures by reason');
  out.push(
    table(
      ['name', '1st p50', '1st p99', 'done p50', 'done p99', 'done max', 'exhausted', 'too old', 'reserved 0', 'retry cost'],
      list.map((w) => {
        const by = (k: 'retries-exhausted' | 'event-too-old' | 'reserved-zero') => int(w.failed[k] + w.dropped[k]);
        return [
          w.name,
          dur(w.ageAtFirstAttemptMs.p50),
          dur(w.ageAtFirstAttemptMs.p99),
          dur(w.ageAtCompletionMs.p50),
          dur(w.ageAtCompletionMs.p99),
          dur(w.ageAtCompletionMs.max),
          by('retries-exhausted'),
          by('event-too-old'),
          by('reserved-zero'),
          money(w.billing.retryUsd),
        ];
      }),
    ),
  );
  // The first-attempt ages are of the events that reached one: those that never did (dropped too old,
  // still queued) would otherwise make the queue look faster the more of it a design drops.
  for (const w of list) {
    const never = w.accepted - w.ageAtFirstAttemptMs.count;
    if (never > 0) {
      out.push(
        ...wrap(
          `note: the 1st ages of ${w.name} are of the ${int(w.ageAtFirstAttemptMs.count)} events that reached an attempt; ${int(never)} of the ${int(w.accepted)} accepted never did (dropped or still queued), and their ages are only in done`,
          6,
        ),
      );
    }
  }
  const refused = list.filter((w) => w.calls.rejected + w.calls.rateLimited + w.calls.retries > 0);
  if (refused.length > 0) {
    out.push('');
    out.push('Async Invoke calls refused at the call (429: the account request-rate quota), before the queue');
    out.push(
      table(
        ['name', 'source', 'SDK retries', 'rejected', 'quota empty', 'gave up waiting'],
        refused.map((w) => [w.name, w.config.source, int(w.calls.retries), int(w.calls.rejected), int(w.calls.retryQuotaExhausted), int(w.calls.rateLimited)]),
      ),
    );
  }
  const sourced = list.filter((w) => w.sourceDelivery !== undefined);
  if (sourced.length > 0) {
    out.push('');
    out.push("Async event sources: delivery before Lambda's queue (S3 notifications, SNS and EventBridge retries)");
    out.push(
      table(
        ['name', 'source', 'events', 'dups', 'deliveries', 'retries', 'delivered', 'source DLQ', 'dropped', 'open', 'delay p50', 'delay p99', 'delay max'],
        sourced.map((w) => {
          const s = w.sourceDelivery!;
          return [
            w.name,
            s.kind,
            int(s.events),
            int(s.duplicates),
            int(s.deliveryAttempts),
            int(s.retries),
            int(s.delivered),
            int(s.deadLetter),
            int(s.dropped),
            int(s.open),
            dur(s.delayMs.p50),
            dur(s.delayMs.p99),
            dur(s.delayMs.max),
          ];
        }),
      ),
    );
  }
  const targets = list.filter((w) => w.config.deadLetterQueue || w.config.onFailure || w.config.onSuccess);
  if (targets.length > 0) {
    out.push('');
    out.push('Async failure and success targets: records delivered');
    out.push(
      table(
        ['name', 'DLQ', 'on-failure', 'on-success'],
        targets.map((w) => [
          w.name,
          w.config.deadLetterQueue ? `${int(w.destinations.deadLetterQueue)} (${w.config.deadLetterQueue})` : '-',
          w.config.onFailure ? `${int(w.destinations.onFailure)} (${w.config.onFailure})` : '-',
          w.config.onSuccess ? `${int(w.destinations.onSuccess)} (${w.config.onSuccess})` : '-',
        ]),
      ),
    );
  }
  return out;
}
