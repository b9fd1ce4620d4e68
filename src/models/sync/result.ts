/** The result of a sync workload: what its callers saw (docs/model.md "Synchronous invocation"). */
import { percentiles, ratio } from '../../metrics/summary.js';
import type { ClientSpec } from '../../scenario/types.js';
import type { WorkloadMeters } from './meters.js';
import type { SyncWorkloadResult } from './types.js';

export function syncWorkloadResult(name: string, fn: string, client: ClientSpec, m: WorkloadMeters): SyncWorkloadResult {
  return {
    name,
    function: fn,
    invoke: 'sync',
    requests: m.requests,
    retries: m.retries,
    succeeded: m.succeeded,
    functionErrors: m.functionErrors,
    functionTimeouts: m.functionTimeouts,
    throttled: m.throttled,
    throttleRate: ratio(m.throttled, m.requests),
    clientTimeouts: m.clientTimeouts,
    openAtEnd: m.openAtEnd,
    latencyMs: percentiles(m.latencyMs),
    client: {
      retryMode: client.retryMode,
      clients: client.clients,
      retryQuotaExhausted: m.retryQuotaExhausted,
      rateLimited: m.rateLimited,
      sendWaits: m.sendWaits,
      sendWaitMs: percentiles(m.sendWaitMs),
    },
  };
}
