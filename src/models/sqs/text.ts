/** The SQS event source mapping section of the terminal report (src/models/sqs/mapping.ts). */
import type { ResultView } from '../model.js';
import type { SqsWorkloadResult } from './types.js';
import { dur, int, num, table } from '../../format.js';

export function sqsSection(r: ResultView): string[] {
  const list = r.workloads.filter((w): w is SqsWorkloadResult => w.invoke === 'sqs');
  if (list.length === 0) return [];
  const out: string[] = [''];
  // With a warm-up, messages already queued when the window starts are part of the balance (issue 22 item 8).
  const carried = list.some((w) => w.messages.queuedAtStart > 0);
  out.push(`SQS queues: messages (${carried ? 'at start + ' : ''}sent = deleted + to DLQ + waiting + in flight at the end)`);
  out.push(
    table(
      ['name', 'queue', ...(carried ? ['at start'] : []), 'sent', 'deleted', 'failed dlv', 'to DLQ', 'dups', 'waiting', 'in flight'],
      list.map((w) => [
        w.name,
        w.config.queue === 'fifo' ? `fifo/${int(w.config.groups)}` : 'standard',
        ...(carried ? [int(w.messages.queuedAtStart)] : []),
        int(w.messages.sent),
        int(w.messages.deleted),
        int(w.messages.failedDeliveries),
        int(w.messages.redrivenToDlq),
        int(w.messages.duplicates),
        int(w.messages.waitingAtEnd),
        int(w.messages.inFlightAtEnd),
      ]),
    ),
  );
  out.push('');
  out.push('SQS queues: latency (send to delete), oldest message, depth, mapping concurrency');
  out.push(
    table(
      ['name', 'p50', 'p90', 'p99', 'max age', 'depth max', 'mean', 'pollers', 'busy', 'backoffs'],
      list.map((w) => [
        w.name,
        dur(w.latencyMs.p50),
        dur(w.latencyMs.p90),
        dur(w.latencyMs.p99),
        dur(w.queue.maxAgeOfOldestMs),
        int(w.queue.depth.max),
        num(w.queue.depth.mean, 1),
        int(w.pollers.concurrency.max),
        num(w.pollers.busy.mean, 1),
        int(w.pollers.backoffs),
      ]),
    ),
  );
  out.push('');
  out.push('SQS mappings: batches');
  out.push(
    table(
      ['name', 'batch/window', 'batches', 'mean size', 'p99 size', 'failed', 'partial', '429s', 'expired'],
      list.map((w) => [
        w.name,
        `${int(w.config.batchSize)}/${dur(w.config.maximumBatchingWindowMs)}`,
        int(w.batches.invoked),
        num(w.batches.size.mean, 2),
        num(w.batches.size.p99, 0),
        int(w.batches.failed),
        int(w.batches.partial),
        int(w.batches.throttledAttempts),
        int(w.batches.expiredWhileThrottled),
      ]),
    ),
  );
  const why = list.filter((w) => w.batches.invoked > 0);
  if (why.length > 0) {
    out.push('');
    out.push('SQS batches: why each was invoked');
    out.push(
      table(
        ['name', 'full', 'payload cap', 'window ended', 'no window', 'VT (effective)', 'receives', 'EPU-s'],
        why.map((w) => {
          const t = w.batches.trigger;
          return [
            w.name,
            int(t.full),
            int(t.payloadCap),
            int(t.window),
            int(t.available),
            dur(w.config.effectiveVisibilityTimeoutMs),
            w.config.maxReceiveCount === null ? 'no DLQ' : int(w.config.maxReceiveCount),
            w.config.provisioned ? num(w.eventPollerEpuSeconds, 0) : '-',
          ];
        }),
      ),
    );
  }
  // docs/billing.md "The rest of the bill": what the queue bills, over the measured window.
  out.push('');
  out.push('SQS requests billed in the window (each 64 KB chunk; the month is in the whole bill)');
  out.push(
    table(
      ['name', 'queue', 'sends', 'receives', 'deletes', 'empty receives', 'total', 'per message'],
      list.map((w) => [
        w.name,
        w.config.queue,
        int(w.requests.sends),
        int(w.requests.receives),
        int(w.requests.deletes),
        int(Math.round(w.requests.emptyReceives)),
        int(Math.round(w.requests.total)),
        w.messages.sent > 0 ? num(w.requests.total / w.messages.sent, 2) : '-',
      ]),
    ),
  );
  for (const w of list) for (const warning of w.warnings) out.push(`warning: ${warning}`);
  return out;
}
