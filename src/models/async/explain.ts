/** `lsim explain`'s sentences for an async event (src/models/async/invoker.ts); undefined for the platform's steps. */
import { dur } from '../../format.js';
import type { TraceEvent } from '../../metrics/trace.js';
import type { AsyncWorkloadSpec } from './types.js';

const FAILURE_REASONS: Record<string, string> = {
  'retries-exhausted': 'retries exhausted',
  'event-too-old': 'event too old',
  'reserved-zero': 'reserved concurrency is 0, no attempt',
};

/** One step of an async event (src/models/async/invoker.ts) as a sentence; the platform's steps read as for sync. */
export function describeAsync(e: TraceEvent, w: AsyncWorkloadSpec): string | undefined {
  const cfg = w.async;
  const attempts = cfg.maximumRetryAttempts + 1;
  const source = cfg.delivery?.kind ?? '';
  const name = source === 's3' ? 'S3' : source === 'sns' ? 'SNS' : 'EventBridge';
  switch (e.type) {
    case 'accepted':
      return `${name}'s delivery is accepted (202) into the async queue`;
    case 'source-delay':
      return `${name} delivers its notification in ${dur(e.delayMs ?? 0)}`;
    case 'source-retry':
      // docs/sources.md §4 "Event sources in front of the async queue": the source's own retry policy.
      return `Lambda's Invoke API refuses ${name}'s delivery (a throttle or service error); ${name} tries again in ${e.delayMs ? dur(e.delayMs) : '0 s'} (delivery attempt ${e.attempt})`;
    case 'arrival':
      if (e.reason === 's3' || e.reason === 'sns' || e.reason === 'eventbridge') {
        return e.duplicateOf !== undefined
          ? `${name} notifies the event again: an at-least-once duplicate of request ${e.duplicateOf}`
          : `the event happens at ${name}, which invokes the function asynchronously`;
      }
      return e.duplicateOf !== undefined
        ? `accepted again (202): an at-least-once duplicate of request ${e.duplicateOf}`
        : 'accepted (202) into the async queue';
    case 'poll':
      return e.reason === 'backoff'
        ? `its backoff over, the poller reads it again for attempt ${e.attempt} of ${attempts}`
        : `queued ${e.delayMs ? dur(e.delayMs) : '0 s'}; the poller reads it for attempt ${e.attempt} of ${attempts}`;
    case 'throttle':
      // §4: the event goes back to the queue for its own backoff; other events may be read meanwhile.
      return `throttled (429 ${e.reason}): back in the queue in ${dur(e.delayMs ?? 0)}, others first`;
    case 'retry': {
      const after = e.status === 'timeout' ? 'a timeout' : 'function error';
      return e.reason === 'event-too-old'
        ? `retry after ${after} cut to ${dur(e.delayMs ?? 0)}: the event reaches its maximum age then`
        : `retry in ${dur(e.delayMs ?? 0)} after ${after} (attempt ${e.attempt} of ${attempts})`;
    }
    case 'done': {
      if (e.reason === 'source-retries-exhausted') {
        return e.outcome === 'source-dlq'
          ? `${name} gives up after ${e.attempt} delivery attempts: to its own dead-letter queue (SQS), never reaching Lambda`
          : `${name} gives up after ${e.attempt} delivery attempts and drops the event (no dead-letter queue), never reaching Lambda`;
      }
      const why = FAILURE_REASONS[e.reason ?? ''] ?? e.reason;
      const n = e.attempt ?? 0;
      const after = n > 0 ? ` after ${n} attempt${n === 1 ? '' : 's'}` : '';
      switch (e.outcome) {
        case 'ok':
          return `succeeded${cfg.onSuccess !== null ? `; a record goes to the on-success destination (${cfg.onSuccess})` : ''}`;
        case 'dropped':
          return `dropped: ${why}${after} (no DLQ or on-failure destination)`;
        default: {
          const to = [cfg.deadLetterQueue !== null ? `DLQ (${cfg.deadLetterQueue})` : '', cfg.onFailure !== null ? `on-failure (${cfg.onFailure})` : ''];
          return `to ${to.filter((x) => x !== '').join(' and ')}: ${why}${after}`;
        }
      }
    }
    default:
      return undefined;
  }
}
