/** The SQS model in the HTML report and the headline: the queue and its event source mapping. */
import { dur, int } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { SqsWorkloadResult } from './types.js';

export function sqsCards(w: SqsWorkloadResult): CardFact[] {
  const m = w.messages;
  // What the window had to process: the warm-up's backlog (issue 22 item 8) and what was sent in it.
  const total = m.queuedAtStart + m.sent;
  return [
    ...(m.queuedAtStart > 0 ? [count('messages.queuedAtStart', 'queued at the start', m.queuedAtStart, 'Messages sent during the warm-up and still in the queue when the measured window started.')] : []),
    count('messages.sent', 'messages sent', m.sent, 'Messages the producers sent to the queue, after the warm-up.'),
    countOf('messages.deleted', 'processed (deleted)', m.deleted, total, 'Messages a successful batch deleted from the queue.'),
    countOf('messages.redrivenToDlq', 'to the DLQ', m.redrivenToDlq, total, 'Messages moved to the dead-letter queue after maxReceiveCount receives.'),
    count('messages.leftAtEnd', 'left at the end', m.waitingAtEnd + m.inFlightAtEnd, 'Messages still in the queue or in a batch when the run ended.'),
    count('batches.invoked', 'batches invoked', w.batches.invoked, 'Invocations of the function, each with a batch of messages.'),
    { key: 'batches.size.mean', label: 'mean batch', value: w.batches.size.mean, text: `${w.batches.size.mean.toFixed(1)} messages`, meaning: 'Messages per invoked batch, on average.' },
    count('batches.throttledAttempts', 'throttled batch attempts', w.batches.throttledAttempts, 'Batch invokes refused for lack of concurrency; the mapping backs off and tries again.'),
    time('latencyMs.p99', 'send → delete p99', w.latencyMs.p99, 'From the send to the deletion, 99th percentile.'),
    time('queue.maxAgeOfOldestMs', 'oldest message', w.queue.maxAgeOfOldestMs, 'The age of the oldest message in the queue at its worst (CloudWatch ApproximateAgeOfOldestMessage).'),
    count('pollers.concurrency.max', 'most concurrent batches', w.pollers.concurrency.max, "The mapping's concurrency at its highest (its own scaling rule, not reserved concurrency)."),
    count(
      'requests.total',
      'SQS requests billed',
      w.requests.total,
      `Requests the queue bills in the window: each 64 KB chunk of ${int(w.requests.sends)} sends, ${int(w.requests.receives)} receives and ${int(w.requests.deletes)} deletes, and ${int(Math.round(w.requests.emptyReceives))} empty receives of idle pollers (the month's are in "The bill").`,
    ),
  ];
}

export function sqsCharts(w: SqsWorkloadResult): ChartSpec[] {
  return [
    {
      title: 'Did the mapping keep up? Messages sent, deleted and redriven per second',
      y: 'messages per second',
      series: [
        { key: 'sent', label: 'sent', perSecond: true },
        { key: 'deleted', label: 'deleted (processed)', perSecond: true },
        { key: 'redrivenToDlq', label: 'to the DLQ', perSecond: true },
      ],
    },
    {
      title: 'Did the queue back up? Messages waiting and in flight',
      y: 'messages',
      series: [
        { key: 'depthMax', label: 'visible, most in the interval' },
        { key: 'depthMean', label: 'visible, mean in the interval' },
        { key: 'inFlightMax', label: 'in flight (received, not deleted)' },
      ],
    },
    {
      title: 'How old did the oldest message get?',
      y: 'age of the oldest message',
      durations: true,
      series: [{ key: 'oldestAgeMs', label: 'oldest message' }],
    },
    {
      title: 'How far did the pollers scale? Concurrent batches',
      y: 'concurrent batches',
      series: [
        { key: 'pollerConcurrencyMax', label: "the mapping's concurrency" },
        { key: 'pollersBusyMean', label: 'busy (mean)' },
      ],
      limits: w.config.maximumConcurrency !== null ? [{ label: `maximumConcurrency (${int(w.config.maximumConcurrency)})`, value: w.config.maximumConcurrency }] : [],
    },
  ];
}

export function sqsSummary(w: SqsWorkloadResult): string[] {
  const m = w.messages;
  if (m.sent + m.queuedAtStart === 0) return [];
  return [
    `${w.name}: ${int(m.deleted)} of ${int(m.sent + m.queuedAtStart)} messages${m.queuedAtStart > 0 ? ` (${int(m.queuedAtStart)} of them queued during the warm-up)` : ''} processed, ${int(m.redrivenToDlq)} to the DLQ, ${int(m.waitingAtEnd + m.inFlightAtEnd)} still queued at the end; the oldest message reached ${dur(w.queue.maxAgeOfOldestMs)}.`,
  ];
}
