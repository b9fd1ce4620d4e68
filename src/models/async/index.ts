/**
 * Asynchronous invocation (InvocationType Event), docs/sources.md §4 and §11 "Async invocation": the
 * caller gets 202 once Lambda has the event in the function's internal queue (one queue per
 * function); Lambda's poller invokes it when concurrency is free, retries function errors and
 * timeouts up to `maximumRetryAttempts` (0–2) after the configured delays, backs off on throttles
 * for up to `maximumEventAge` (≤ 6 h), and sends what fails to the dead-letter queue or on-failure
 * destination (on-success for what succeeds). Delivery is at least once. Calls from your code spend
 * the account's request-rate quota and can be refused (429); AWS services' events are not refused.
 * Above 256 KB each further 64 KB of an event is one more billed request (§4, §7).
 */
import { asyncBilledRequests } from '../../billing/rules.js';
import { asyncCards, asyncCharts, asyncSummary } from './html.js';
import type { InvocationModel } from '../model.js';
import { asyncBlockSchema, asyncDefaults, DESCRIPTIONS, FUNCTION_ASYNC_KEYS } from './block.js';
import { formatPath } from '../../scenario/fields.js';
import { formatDuration } from '../../scenario/units.js';
import { describeAsync } from './explain.js';
import { AsyncInvoker } from './invoker.js';
import { AsyncMeters } from './meters.js';
import { asyncWorkloadResult } from './result.js';
import { asyncSection } from './text.js';
import { sourceEventsPerEvent } from './sources.js';
import { CHUNK_64KB, chunks } from '../../billing/service-prices.js';
import type { AsyncWorkloadResult, AsyncWorkloadSpec } from './types.js';

/** An async setting as a scenario writes it: durations with their unit, "none" for no target. */
function shown(field: string, v: number | readonly number[] | string | null): string {
  if (v === null) return 'none';
  if (typeof v === 'string') return v;
  const one = (x: number) => (field.endsWith('Ms') ? formatDuration(x) : String(x));
  return typeof v === 'number' ? one(v) : `[${v.map(one).join(', ')}]`;
}

export const asyncModel: InvocationModel<AsyncWorkloadSpec, AsyncWorkloadResult> = {
  invoke: 'async',
  about: "Lambda's own queue in front of the function (InvocationType Event, e.g. S3 or SNS events)",
  block: { key: 'async', schema: asyncBlockSchema, descriptions: DESCRIPTIONS },

  resolve(d, problems) {
    const block = problems.parse(asyncBlockSchema, d.value.async ?? {}, [...d.path, 'async']);
    // The callers' SDK clients retry a refused Invoke (429); AWS services' events are never refused.
    if (block !== undefined && block.source !== 'sdk' && d.value.client !== undefined) {
      problems.add([...d.path, 'client'], `"client" goes only with callers that use an SDK; this workload has "async.source: ${block.source}"`, 'key');
    }
    return block ? { ...d.base, invoke: 'async', async: block, client: block.source === 'sdk' ? d.client : null } : undefined;
  },

  checkAll(workloads, paths, problems) {
    // docs/sources.md §4: retries, event age and destinations are the function's event invoke configuration,
    // the DLQ is part of its configuration, and its async workloads share one queue: they cannot differ.
    const first = new Map<string, number>();
    workloads.forEach((w, i) => {
      const j = first.get(w.functionName);
      if (j === undefined) {
        first.set(w.functionName, i);
        return;
      }
      for (const [key, field] of FUNCTION_ASYNC_KEYS) {
        const here = shown(field, w.async[field]);
        const there = shown(field, workloads[j].async[field]);
        if (here === there) continue;
        problems.add(
          [...paths[i], 'async', key],
          `is ${here} here but ${there} in ${formatPath(paths[j])}, which also invokes function "${w.functionName}" asynchronously: retries, ` +
            'event age, destinations, the dead-letter queue and the queue delays are the function\'s (docs/sources.md §4); ' +
            'give both workloads the same value, or give each its own function',
          'key',
        );
      }
    });
  },

  // docs/sources.md §8: the Invoke API, SNS and S3 carry Lambda's recursion lineage; a stopped event goes to the DLQ or on-failure destination.
  target: { noun: 'events', lineage: () => true, dlq: (w) => w.async.deadLetterQueue !== null || w.async.onFailure !== null },

  // docs/billing.md "The rest of the bill": an SNS topic bills its publishes (deliveries to Lambda free), an EventBridge bus its events.
  services: (w) =>
    w.async.source === 'sns'
      ? [{ key: ['async', 'source'], item: 'snsPublishes' }, { key: ['async', 'source'], item: 'snsLambdaDeliveries' }]
      : w.async.source === 'eventbridge'
        ? [{ key: ['async', 'source'], item: 'eventbridgeCustomEvents' }]
        : [],

  start(ctx) {
    // docs/sources.md §4: one internal queue per function, one invoker for all async workloads.
    const invoker = new AsyncInvoker(ctx.sim, ctx.platform, ctx.rng);
    invoker.trace = ctx.trace;
    invoker.records = ctx.records;
    invoker.pipe = ctx.pipeline;
    const { scenario, parts } = ctx;
    const indexOf = new Map<AsyncWorkloadSpec, number>();
    return {
      add(w, fnIndex) {
        const m = new AsyncMeters(scenario.report.intervalMs, scenario.durationMs, scenario.warmupMs, parts);
        indexOf.set(w, invoker.add(w, fnIndex, m));
        return () => {
          // §4, §7: above 256 KB each further 64 KB of an event is one more request, billed at acceptance.
          const extraPerEvent = asyncBilledRequests(w.async.payloadBytes) - 1;
          ctx.bill(fnIndex, 'asyncExtraChunks', Array.from(m.acceptedByPart, (n) => n * extraPerEvent));
          // docs/billing.md "The rest of the bill": the source's own bill (an S3 notification has no line).
          const src = m.source;
          // The default payloadSize (256 KB) stands for "at most 256 KB" (no extra Lambda request); a publish of
          // unknown size is taken as one 64 KB chunk, a given size is billed by its chunks.
          const perEvent = w.async.payloadBytes === Math.round(asyncDefaults.payloadMb * 2 ** 20) ? 1 : chunks(w.async.payloadBytes, CHUNK_64KB);
          if (src && w.async.source === 'sns') {
            ctx.billService(w.name, 'snsPublishes', Array.from(src.eventsByPart, (n) => n * perEvent));
            ctx.billService(w.name, 'snsLambdaDeliveries', src.deliveredByPart);
          } else if (src && w.async.source === 'eventbridge') {
            ctx.billService(w.name, 'eventbridgeCustomEvents', Array.from(src.eventsByPart, (n) => n * perEvent));
          }
          return asyncWorkloadResult(w.name, w.functionName, w.async, scenario.functions[fnIndex], scenario.billing.priceBook, m, scenario.durationMs);
        };
      },
      recordOpen: () => invoker.recordOpen(),
      target: (w) => {
        const i = indexOf.get(w)!;
        return (t, item) => invoker.acceptOutput(i, t, item);
      },
    };
  },

  text: asyncSection,
  latency: (w) => w.ageAtCompletionMs,
  // Events offered: those accepted (with Lambda's duplicate copies, each with its own fate) and the Invoke calls
  // refused; with an event source, also those the source gave up on (its DLQ, or dropped) or still holds (a
  // delivery delay or retry: counted in flight, the source delivers them in time).
  work: (w) => {
    const s = w.sourceDelivery;
    return {
      offered: w.accepted + w.duplicates + w.calls.rejected + (s ? s.deadLetter + s.dropped + s.open : 0),
      served: w.succeededFirstTry + w.succeededAfterRetry,
      lost: w.failed.total + w.dropped.total + w.calls.rejected + (s ? s.deadLetter + s.dropped : 0),
      dlq: w.failed.total + (s ? s.deadLetter : 0),
      queued: w.openAtEnd.queued + w.openAtEnd.waitingRetry,
      inFlight: w.openAtEnd.inFlight + (s ? s.open : 0),
    };
  },
  metrics: {
    queueAgeP99: { unit: 'ms', combine: 'max', describe: 'age of an event at its first attempt, p99 (async queue wait)', get: (w) => (w.ageAtFirstAttemptMs.count ? w.ageAtFirstAttemptMs.p99 : null) },
    queueAgeMax: { unit: 'ms', combine: 'max', describe: 'oldest event at its first attempt (async), oldest message (SQS)', get: (w) => (w.ageAtFirstAttemptMs.count ? w.ageAtFirstAttemptMs.max : null) },
    queueDepthMax: { unit: 'count', combine: 'max', describe: 'most events (async) or visible messages (SQS) waiting at once', get: (w) => w.queueDepth.max },
    eventAgeP99: { unit: 'ms', combine: 'max', describe: 'async: age of an event at its outcome, p99 (acceptance to success, failure target or drop)', get: (w) => (w.ageAtCompletionMs.count ? w.ageAtCompletionMs.p99 : null) },
  },
  drain: () => ({ perInvocation: 1, lanes: Infinity }),
  // Issue 15: an event source's expected delivery attempts (and S3's duplicates) per event.
  eventsPerRequest: (w, durationMs) => (w.async.delivery !== null ? sourceEventsPerEvent(w.async.delivery, durationMs) : 1),
  html: { cards: asyncCards, charts: (w) => asyncCharts(w) },
  summary: asyncSummary,
  explain: {
    kind: 'async ',
    from: 'from acceptance',
    // Issue 15: an event source's event is followed from the event at the source.
    fromOf: (w) => (w.async.delivery !== null ? 'from the event' : undefined),
    reasons: true,
    describe: (e, w) => describeAsync(e, w),
  },
  init: {
    fn: 'worker',
    workload: 'events',
    block: `    async:                           # the event invoke configuration
      # source: s3                     # or sns, eventbridge: an AWS event source delivers first (its own block: s3:, sns:, eventbridge:)
      maximumRetryAttempts: 2          # 0–2 retries after a function error or timeout
      retryDelays: [1m, 2m]            # waits after the first and the second failed attempt
      maximumEventAge: 6h              # 1m–6h; older events are not attempted again
      deadLetterQueue: sqs             # or sns: where failed events go
      # onFailure: eventbridge         # sqs, sns, lambda, eventbridge or s3
      # onSuccess: sqs                 # sqs, sns, lambda or eventbridge
`,
  },
};
