/** The async model in the HTML report and the headline: the fate of accepted events. */
import { dur, int } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { AsyncWorkloadResult } from './types.js';

const SOURCE_NAMES = { s3: 'S3', sns: 'SNS', eventbridge: 'EventBridge' } as const;

/** Issue 15: the event source's delivery before Lambda's queue (none for `sdk` and `aws-service`). */
function sourceCards(w: AsyncWorkloadResult): CardFact[] {
  const s = w.sourceDelivery;
  if (s === undefined) return [];
  const name = SOURCE_NAMES[s.kind];
  return [
    count('sourceDelivery.events', `${name} events`, s.events, `Events ${name} had to deliver to the function.`),
    ...(s.kind === 's3' ? [count('sourceDelivery.duplicates', 'duplicate notifications', s.duplicates, 'Events S3 notified twice (at-least-once delivery).')] : []),
    ...(s.kind !== 's3'
      ? [count('sourceDelivery.retries', `${name} retries`, s.retries, `Delivery attempts ${name} made again after Lambda's Invoke API refused one (a throttle or service error).`)]
      : []),
    ...(s.kind !== 's3'
      ? [countOf('sourceDelivery.deadLetter', `to the ${name} DLQ`, s.deadLetter, s.events + s.duplicates, `Events ${name} gave up on and wrote to its own dead-letter queue.`)]
      : []),
    ...(s.dropped > 0 ? [countOf('sourceDelivery.dropped', `dropped by ${name}`, s.dropped, s.events + s.duplicates, `Events ${name} gave up on with no dead-letter queue: lost before Lambda saw them.`)] : []),
    time('sourceDelivery.delayMs.p99', 'event to queue p99', s.delayMs.p99, `From the event to its arrival in Lambda's queue (${name}'s delay and retries), 99th percentile.`),
  ];
}

export function asyncCards(w: AsyncWorkloadResult): CardFact[] {
  const ok = w.succeededFirstTry + w.succeededAfterRetry;
  return [
    ...sourceCards(w),
    count('accepted', 'events accepted (202)', w.accepted, "Events Lambda took into the function's internal queue."),
    ...(w.calls.rejected > 0 ? [count('calls.rejected', 'calls refused (429)', w.calls.rejected, 'Invoke calls the request-rate quota refused before an event was accepted.')] : []),
    countOf('succeeded', 'succeeded', ok, w.accepted, 'Events whose invocation succeeded, at the first try or after retries.'),
    count('retryAttempts', 'retries after errors', w.retryAttempts, 'Attempts Lambda made again after a function error or timeout (at most 2 per event).'),
    count('throttleRequeues', 'throttled reads', w.throttleRequeues, 'Times the poller found no concurrency and put the event back with a backoff.'),
    countOf('failed.total', 'to DLQ or on-failure', w.failed.total, w.accepted, 'Events that failed for good and were sent to the dead-letter queue or on-failure destination.'),
    countOf('dropped.total', 'dropped', w.dropped.total, w.accepted, 'Events that failed for good with nowhere to go: lost.'),
    count('openAtEnd.total', 'open at the end', w.openAtEnd.total, 'Events still queued, waiting for a retry or running when the run ended.'),
    count('queueDepth.max', 'deepest queue', w.queueDepth.max, 'The most events waiting in the internal queue at once.'),
    time('ageAtCompletionMs.p99', 'age at outcome p99', w.ageAtCompletionMs.p99, 'From acceptance to the final outcome, 99th percentile.'),
  ];
}

export function asyncCharts(w?: AsyncWorkloadResult): ChartSpec[] {
  const s = w?.sourceDelivery;
  const source: ChartSpec[] =
    s === undefined
      ? []
      : [
          {
            title:
              s.kind === 's3'
                ? 'Did S3 get the events to Lambda? Events and notifications delivered per second'
                : `Did ${SOURCE_NAMES[s.kind]} get the events to Lambda? Events, deliveries, retries and events given up per second`,
            y: 'events per second',
            series: [
              { key: 'sourceEvents', label: `events at ${SOURCE_NAMES[s.kind]}`, perSecond: true },
              { key: 'sourceDelivered', label: "delivered into Lambda's queue", perSecond: true },
              ...(s.kind !== 's3' ? [{ key: 'sourceRetries', label: `${SOURCE_NAMES[s.kind]} retries`, perSecond: true }] : []),
              ...(s.kind !== 's3' ? [{ key: 'sourceGivenUp', label: 'given up (source DLQ or dropped)', perSecond: true }] : []),
            ],
          },
        ];
  return [
    ...source,
    {
      title: 'Did events get through? Accepted, succeeded and failed events per second',
      y: 'events per second',
      series: [
        { key: 'accepted', label: 'accepted', perSecond: true },
        { key: 'succeeded', label: 'succeeded', perSecond: true },
        { key: 'failed', label: 'failed for good', perSecond: true },
      ],
    },
    {
      title: 'Did the internal queue back up? Events waiting',
      y: 'events in the queue',
      series: [
        { key: 'queueDepthMax', label: 'most in the interval' },
        { key: 'queueDepthMean', label: 'mean in the interval' },
      ],
    },
  ];
}

export function asyncSummary(w: AsyncWorkloadResult): string[] {
  if (w.accepted === 0) return [];
  const lost = w.failed.total + w.dropped.total;
  const s = w.sourceDelivery;
  const before =
    s === undefined
      ? []
      : [
          `${w.name}: ${SOURCE_NAMES[s.kind]} delivered ${int(s.delivered)} of ${int(s.events + s.duplicates)} events${s.kind === 's3' ? ` (${int(s.duplicates)} duplicates)` : ` after ${int(s.retries)} retries (${int(s.deadLetter)} to its DLQ, ${int(s.dropped)} dropped)`}; ${s.delayMs.p99 > 0 ? `99% reached Lambda's queue within ${dur(s.delayMs.p99)} of the event` : "99% reached Lambda's queue at the event's instant"}.`,
        ];
  return [
    ...before,
    `${w.name}: ${int(w.accepted)} events accepted; ${lost > 0 ? `${int(w.failed.total)} to the DLQ or on-failure destination and ${int(w.dropped.total)} dropped` : 'none failed'}; the queue held up to ${int(w.queueDepth.max)}, and 99% of events reached their outcome within ${dur(w.ageAtCompletionMs.p99)}.`,
  ];
}
