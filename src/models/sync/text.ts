/** The sync workloads' part of the terminal report: what callers saw, their SDK clients, trace replays. */
import { dur, int, pct, table } from '../../format.js';
import type { ResultView } from '../model.js';
import { traceSection } from './trace-text.js';
import { frontDoorSection } from './front-door-text.js';
import type { SyncWorkloadResult } from './types.js';

export function syncText(r: ResultView): string[] {
  return [...syncSection(r), ...frontDoorSection(r), ...traceSection(r)];
}

/** Sync workloads: what callers saw. */
function syncSection(r: ResultView): string[] {
  const syncWorkloads = r.workloads.filter((w): w is SyncWorkloadResult => w.invoke === 'sync');
  if (syncWorkloads.length === 0) return [];
  const clientTimeouts = syncWorkloads.some((w) => w.clientTimeouts > 0);
  return [
    '',
    'Workloads: what callers saw (latency end to end, including retries and backoff)',
    table(
      ['name', 'requests', 'retries', 'ok', 'fn errors', 'throttled', ...(clientTimeouts ? ['client t/o'] : []), 'p50', 'p99', 'p99.9'],
      syncWorkloads.map((w) => [
        w.name,
        int(w.requests),
        int(w.retries),
        int(w.succeeded),
        int(w.functionErrors + w.functionTimeouts),
        `${int(w.throttled)} (${pct(w.throttleRate)})`,
        ...(clientTimeouts ? [int(w.clientTimeouts)] : []),
        dur(w.latencyMs.p50),
        dur(w.latencyMs.p99),
        dur(w.latencyMs.p999),
      ]),
    ),
    ...clientSection(syncWorkloads),
  ];
}

/** The callers' SDK clients, where their retry quota or rate limiter changed what callers got. */
function clientSection(list: SyncWorkloadResult[]): string[] {
  const shown = list.filter((w) => w.client.retryQuotaExhausted > 0 || w.client.retryMode === 'adaptive');
  if (shown.length === 0) return [];
  return [
    '',
    'SDK clients: retries refused by the retry quota, waits of the adaptive rate limiter',
    table(
      ['name', 'mode', 'clients', 'quota empty', 'send waits', 'wait p50', 'wait p99', 'gave up waiting'],
      shown.map((w) => {
        const c = w.client;
        const waits = c.sendWaits > 0;
        return [w.name, c.retryMode, int(c.clients), int(c.retryQuotaExhausted), int(c.sendWaits), waits ? dur(c.sendWaitMs.p50) : '-', waits ? dur(c.sendWaitMs.p99) : '-', int(c.rateLimited)];
      }),
    ),
  ];
}
