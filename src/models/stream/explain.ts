/** `lsim explain`'s sentences for a stream record (src/models/stream/mapping.ts); undefined for the platform's steps. */
import { dur, int } from '../../format.js';
import type { TraceEvent } from '../../metrics/trace.js';
import { companions } from '../batch-words.js';
import type { StreamWorkloadSpec } from './types.js';

const DISCARD_REASONS: Record<string, string> = {
  'retries-exhausted': 'retries exhausted',
  'record-age': 'record too old',
};

/** One step of a stream record (src/models/stream/mapping.ts); the platform's steps read as for sync. */
export function describeStream(e: TraceEvent, w: StreamWorkloadSpec, self: number, explained: (r: number) => boolean): string | undefined {
  const cfg = w.stream;
  const n = e.requests?.length ?? 0;
  const records = `${int(n)} record${n === 1 ? '' : 's'}`;
  const shard = `shard ${e.shard}${e.lane !== undefined ? ` lane ${e.lane}` : ''}`;
  switch (e.type) {
    case 'arrival':
      return `written to ${shard}, sequence ${int(e.sequence ?? 0)}, partition key ${e.key}`;
    case 'batch':
      return `batch of ${records} from ${shard} invoked${(e.attempt ?? 1) > 1 ? ' again' : ''}${companions(e, self, explained)}`;
    case 'throttle':
      return `batch throttled (429 ${e.reason}): tried again in ${dur(e.delayMs ?? 0)}`;
    case 'failed':
      switch (e.reason) {
        case 'item-failure':
          return 'reported as failed (ReportBatchItemFailures): the checkpoint stays at the first failed record';
        case 'final-invoke':
          return `the window's final invoke failed (${e.status === 'timeout' ? 'timeout' : 'function error'})`;
        default:
          return `the batch failed: ${e.reason === 'record-failed' ? 'a record in it failed' : e.status === 'timeout' ? 'it timed out' : 'function error'}`;
      }
    case 'split': {
      const why = e.reason === 'record-failed' ? 'a record in it failed' : e.status === 'timeout' ? 'it timed out' : 'function error';
      return `the batch failed (${why}): bisected into ${int(Math.ceil(n / 2))} + ${int(Math.floor(n / 2))} records`;
    }
    case 'retry': {
      const of = cfg.maximumRetryAttempts >= 0 ? ` of ${int(cfg.maximumRetryAttempts)}` : ' (no limit: until the records expire)';
      return `retry ${int(e.attempt ?? 1)}${of} ${e.delayMs ? `in ${dur(e.delayMs)}` : 'at once'}, ${records}`;
    }
    case 'delivered':
      return "its batch succeeded: the record joins the open tumbling window's state";
    case 'final':
      return `the tumbling window's final invoke (its state of ${records}${e.reason === 'state-full' ? ', closed early: state full' : ''})`;
    case 'done': {
      const times = `${int(e.attempt ?? 0)} deliver${e.attempt === 1 ? 'y' : 'ies'}`;
      switch (e.outcome) {
        case 'processed':
          return `processed: the checkpoint moves past it (${times})`;
        case 'expired':
          return `expired: older than the stream's retention (${dur(cfg.retentionMs)}), never processed`;
        default: {
          const to = cfg.onFailure !== null ? `on-failure (${cfg.onFailure}) gets its batch's range` : 'no on-failure destination: lost';
          return `discarded (${DISCARD_REASONS[e.reason ?? ''] ?? e.reason}, ${times}); ${to}`;
        }
      }
    }
    default:
      return undefined;
  }
}
