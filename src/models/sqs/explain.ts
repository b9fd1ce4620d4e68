/** `lsim explain`'s sentences for an SQS message (src/models/sqs/mapping.ts); undefined for the platform's steps. */
import { dur, int } from '../../format.js';
import type { TraceEvent } from '../../metrics/trace.js';
import { companions } from '../batch-words.js';
import type { SqsWorkloadSpec } from './types.js';

const BATCH_TRIGGERS: Record<string, string> = {
  full: 'full',
  'payload-cap': 'the 6 MB payload cap',
  window: 'the batching window ended',
  available: 'what was visible',
};

/** One step of an SQS message (src/models/sqs/mapping.ts); the platform's steps read as for sync. */
export function describeSqs(e: TraceEvent, w: SqsWorkloadSpec, self: number, explained: (r: number) => boolean): string | undefined {
  const cfg = w.sqs;
  const max = cfg.maxReceiveCount;
  switch (e.type) {
    case 'arrival':
      return `sent to the queue (visibility timeout ${dur(cfg.effectiveVisibilityTimeoutMs)}${max !== null ? `, maxReceiveCount ${max}` : ''})`;
    case 'receive': {
      const n = `receive ${e.attempt}${max !== null ? ` of ${max}` : ''}`;
      const window = e.durationMs !== undefined ? `; window closes in ${dur(e.durationMs)}` : '';
      const dup = e.reason === 'still-running' ? '; its earlier batch still runs (a duplicate)' : '';
      return `received into a batch (${n}), visible for ${dur(e.delayMs ?? 0)}${window}${dup}`;
    }
    case 'batch': {
      const n = e.requests?.length ?? 0;
      const why = e.reason === 'throttle-retry' ? `throttle retry ${(e.attempt ?? 2) - 1}` : (BATCH_TRIGGERS[e.reason ?? ''] ?? e.reason);
      return `batch of ${int(n)} message${n === 1 ? '' : 's'} invoked (${why})${companions(e, self, explained)}`;
    }
    case 'throttle':
      return e.outcome === 'vt'
        ? `batch throttled (429 ${e.reason}): no retry before the visibility timeout, back in ${dur(e.delayMs ?? 0)}`
        : `batch throttled (429 ${e.reason}): retried in ${dur(e.delayMs ?? 0)}`;
    case 'failed': {
      const how = e.reason === 'item-failure' ? 'reported as a failed item' : e.status === 'timeout' ? 'the batch timed out' : 'the batch failed (function error)';
      return `${how}: invisible until the visibility timeout, ${dur(e.delayMs ?? 0)} from now`;
    }
    case 'visible':
      return e.reason === 'throttled'
        ? `visible again: its throttled batch ran out of visibility (${e.attempt} receives)`
        : `visible again after the visibility timeout (received ${e.attempt} time${e.attempt === 1 ? '' : 's'})`;
    case 'done':
      return e.outcome === 'dlq'
        ? `redriven to the DLQ: received ${e.attempt} times (maxReceiveCount ${max ?? '?'})`
        : `deleted: its batch succeeded (receive ${e.attempt})`;
    default:
      return undefined;
  }
}
