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
import { asyncBlockSchema, DESCRIPTIONS } from './block.js';
import { describeAsync } from './explain.js';
import { AsyncInvoker } from './invoker.js';
import { AsyncMeters } from './meters.js';
import { asyncWorkloadResult } from './result.js';
import { asyncSection } from './text.js';
import { sourceEventsPerEvent } from './sources.js';
import type { AsyncWorkloadResult, AsyncWorkloadSpec } from './types.js';

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

  // docs/sources.md §8: the Invoke API, SNS and S3 carry Lambda's recursion lineage; a stopped event goes to the DLQ or on-failure destination.
  target: { noun: 'events', lineage: () => true, dlq: (w) => w.async.deadLetterQueue !== null || w.async.onFailure !== null },

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
