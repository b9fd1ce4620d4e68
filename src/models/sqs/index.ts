/**
 * An SQS queue and its event source mapping, docs/sources.md §5 and §11 "SQS event source mapping":
 * producers send messages to the queue; the mapping's pollers receive batches (batch size, batching
 * window, the 6 MB payload cap) and invoke the function synchronously; a batch that fails becomes
 * visible again after the visibility timeout and is received again until `maxReceiveCount` sends it
 * to the dead-letter queue (with ReportBatchItemFailures only the failed messages return). The
 * mapping scales its concurrency by its own rule (+300 a minute to 1,250 today, legacy +60 to 1,000),
 * capped by `maximumConcurrency`, not by the function's reserved concurrency, which only throttles it;
 * FIFO queues keep one batch per message group in flight. Provisioned mode bills event poller units.
 */
import { sqsCards, sqsCharts, sqsSummary } from './html.js';
import type { InvocationModel } from '../model.js';
import { DESCRIPTIONS, resolveSqs, sqsBlockSchema, sumOverReservedWarnings } from './block.js';
import { describeSqs } from './explain.js';
import { SqsMapping } from './mapping.js';
import { SqsMeters } from './meters.js';
import { slotsPerPoller, sqsWorkloadResult } from './result.js';
import { sqsSection } from './text.js';
import type { SqsWorkloadResult, SqsWorkloadSpec } from './types.js';

export const sqsModel: InvocationModel<SqsWorkloadSpec, SqsWorkloadResult> = {
  invoke: 'sqs',
  about: 'an SQS queue and its event source mapping, which polls and invokes with batches',
  block: { key: 'sqs', schema: sqsBlockSchema, descriptions: DESCRIPTIONS },

  resolve(d, problems) {
    if (d.value.client !== undefined) problems.add([...d.path, 'client'], '"client" goes only with "invoke: sync"', 'key');
    const block = problems.parse(sqsBlockSchema, d.value.sqs ?? {}, [...d.path, 'sqs']);
    if (!block) return undefined;
    const { spec, errors, warnings } = resolveSqs(block, d.functions.find((f) => f.name === d.base.functionName));
    for (const e of errors) problems.add([...d.path, 'sqs', ...e.key], e.message);
    // Warnings are located like problems, and do not fail the load.
    return { ...d.base, invoke: 'sqs', sqs: spec, warnings: warnings.map((n) => problems.locate([...d.path, 'sqs', ...n.key], n.message)) };
  },
  checkAll(workloads, paths, problems, functions) {
    // docs/sources.md §5: the reservation should cover the sum of the mappings' maximum concurrency, not just each one.
    for (const n of sumOverReservedWarnings(workloads, functions)) workloads[n.index].warnings.push(problems.locate([...paths[n.index], 'sqs', ...n.key], n.message));
  },
  priced: (w) => (w.sqs.provisioned ? [{ key: ['sqs', 'provisioned'], item: 'pollers' }] : []),
  // docs/billing.md "The rest of the bill": the queue's requests, standard or FIFO.
  services: (w) => [{ key: ['sqs'], item: w.sqs.fifo ? 'sqsFifoRequests' : 'sqsStandardRequests' }],

  // docs/sources.md §8: SQS carries Lambda's recursion lineage; a stopped message ends in the queue's DLQ when it has one.
  target: { noun: 'messages', lineage: () => true, dlq: (w) => w.sqs.maxReceiveCount !== null },

  start(ctx) {
    const { scenario, parts } = ctx;
    const mappings = new Map<SqsWorkloadSpec, SqsMapping>();
    return {
      add(w, fnIndex) {
        // docs/sources.md §5: one queue and event source mapping per workload.
        const meters = new SqsMeters(scenario.report.intervalMs, scenario.durationMs, scenario.warmupMs, parts);
        const mapping = new SqsMapping(ctx.sim, ctx.platform, ctx.rng, w, fnIndex, meters);
        mapping.trace = ctx.trace;
        mapping.records = ctx.records;
        mapping.pipe = ctx.pipeline;
        mapping.entry = ctx.pipeline?.entry(w) ?? -1;
        mappings.set(w, mapping);
        return () => {
          const out = sqsWorkloadResult(w, mapping, scenario.durationMs); // also records the messages still open
          ctx.bill(fnIndex, 'sqsEpuMs', meters.epusByPart.totals);
          // Each 64 KB chunk of the sends, receives and deletes, and the idle pollers' empty receives (docs/billing.md).
          ctx.billService(w.name, w.sqs.fifo ? 'sqsFifoRequests' : 'sqsStandardRequests', meters.billedRequests(w.sqs.emptyReceiveEveryMs, slotsPerPoller(w)));
          return out;
        };
      },
      target: (w) => {
        const mapping = mappings.get(w)!;
        return (t, item) => mapping.accept(t, item);
      },
    };
  },

  text: sqsSection,
  latency: (w) => w.latencyMs,
  // Messages sent: deleted (served), moved to the queue's DLQ (lost), visible in the queue at the end (queued), or
  // received and not yet deleted (in flight, including a batch a poller is filling in its batching window).
  work: (w) => ({
    offered: w.messages.sent,
    served: w.messages.deleted,
    lost: w.messages.redrivenToDlq,
    dlq: w.messages.redrivenToDlq,
    queued: w.messages.waitingAtEnd,
    inFlight: w.messages.inFlightAtEnd,
  }),
  metrics: {
    queueAgeMax: { unit: 'ms', combine: 'max', describe: 'oldest event at its first attempt (async), oldest message (SQS)', get: (w) => w.queue.maxAgeOfOldestMs },
    queueDepthMax: { unit: 'count', combine: 'max', describe: 'most events (async) or visible messages (SQS) waiting at once', get: (w) => w.queue.depth.max },
  },
  drain: (w) => ({ perInvocation: w.sqs.batchSize, lanes: Infinity }),
  html: { cards: sqsCards, charts: (w) => sqsCharts(w) },
  summary: sqsSummary,
  explain: { kind: 'SQS message · ', from: 'from the send', reasons: true, describe: describeSqs },
  init: {
    fn: 'worker',
    workload: 'orders',
    block: `    sqs:                             # the queue and the event source mapping
      batchSize: 10                    # 1–10,000 messages (above 10 needs a batching window of 1s or more)
      maximumBatchingWindow: 0s        # 0–300s to gather a batch
      visibilityTimeout: 1m            # at least the function timeout; AWS advises 6 × it
      maxReceiveCount: 5               # receives before the dead-letter queue; "off" for none
      reportBatchItemFailures: true    # only the failed messages of a batch come back
      # maximumConcurrency: 50         # 2–1,000 concurrent batches at most
      # fifo: true                     # a FIFO queue (with groups: 20)
`,
  },
};
