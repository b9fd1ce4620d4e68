/**
 * The `async` block of an `invoke: async` workload: the function's event
 * invoke configuration and queue (docs/sources.md §4, §11 "Async invocation").
 * Ranges and defaults cite docs/sources.md; where AWS publishes no number the
 * default is said to be an assumption.
 */
import { z } from 'zod';
import type { AsyncSpec } from './types.js';
import { accepts, count, delegate, durationMs, probability, sizeMb, strictObject } from '../../scenario/fields.js';
import { EVENT_SOURCES, SOURCE_BLOCKS, SOURCE_DESCRIPTIONS, type EventSourceSpec } from './sources.js';

/** Defaults of the `async` block, each with its source. */
export const asyncDefaults = {
  // docs/sources.md §1: a direct Invoke from your code is an SDK call (counted against the request-rate quota).
  source: 'sdk' as const,
  // docs/sources.md §4, §11 `asyncMaxRetryAttempts`: 2 (range 0–2).
  maximumRetryAttempts: 2,
  // docs/sources.md §4, §11 `asyncRetryDelaysS`: 1 min after attempt 1, 2 min after attempt 2.
  retryDelaysMs: [60_000, 120_000] as [number, number],
  // docs/sources.md §10 item 5: no jitter is documented.
  retryJitterMs: 0,
  // docs/sources.md §4, §11 `asyncMaxEventAgeS`: 21,600 s = 6 h (range 60 s – 6 h).
  maximumEventAgeMs: 21_600_000,
  // Assumption: AWS publishes no figure for the time from 202 to the first read.
  queueDelayMs: 0,
  // docs/sources.md §11 `asyncDuplicateProb`: 0 (documented as possible, not quantified).
  duplicateProbability: 0,
  // Up to 256 KB an event is one request (docs/sources.md §4): the default adds nothing.
  payloadMb: 0.25,
} as const;

/** The keys that are the function's, not the workload's (its event invoke configuration, DLQ and queue), with their spec fields. */
export const FUNCTION_ASYNC_KEYS = [
  ['maximumRetryAttempts', 'maximumRetryAttempts'],
  ['maximumEventAge', 'maximumEventAgeMs'],
  ['deadLetterQueue', 'deadLetterQueue'],
  ['onFailure', 'onFailure'],
  ['onSuccess', 'onSuccess'],
  ['retryDelays', 'retryDelaysMs'],
  ['queueDelay', 'queueDelayMs'],
] as const satisfies ReadonlyArray<readonly [string, keyof AsyncSpec]>;

/** docs/sources.md §4: `MaximumEventAgeInSeconds` 60–21,600. */
const MIN_EVENT_AGE_MS = 60_000;
const MAX_EVENT_AGE_MS = 21_600_000;

/** docs/sources.md §4: on-success targets; an S3 bucket can receive on-failure records only, and says so. */
const ON_SUCCESS_TARGETS = z.enum(['sqs', 'sns', 'lambda', 'eventbridge']);
const onSuccessTarget = accepts(
  z.unknown().transform((v, ctx) => {
    if (v === 's3') {
      ctx.addIssue({ code: 'custom', message: 'an S3 bucket receives on-failure records only (docs/sources.md §4); use sqs, sns, lambda or eventbridge, or put s3 under onFailure' });
      return z.NEVER;
    }
    return delegate(ON_SUCCESS_TARGETS, v, ctx);
  }),
  (walk) => walk(ON_SUCCESS_TARGETS),
);

export const asyncBlockSchema = z.lazy(() =>
  strictObject({
    source: z.enum(['sdk', 'aws-service', ...EVENT_SOURCES]).default(asyncDefaults.source),
    // Issue 15: each event source's own block, accepted only beside its `source` (src/models/async/sources.ts).
    s3: SOURCE_BLOCKS.s3.optional(),
    sns: SOURCE_BLOCKS.sns.optional(),
    eventbridge: SOURCE_BLOCKS.eventbridge.optional(),
    maximumRetryAttempts: count(0, 2, 'docs/sources.md §4').default(asyncDefaults.maximumRetryAttempts),
    retryDelays: z
      .array(durationMs())
      .length(2, 'give two delays: after the first and after the second failed attempt, e.g. [1m, 2m]')
      .default([...asyncDefaults.retryDelaysMs]),
    retryJitter: durationMs().default(asyncDefaults.retryJitterMs),
    maximumEventAge: durationMs({ min: MIN_EVENT_AGE_MS, max: MAX_EVENT_AGE_MS, source: 'docs/sources.md §4', wholeSeconds: 'MaximumEventAgeInSeconds' }).default(
      asyncDefaults.maximumEventAgeMs,
    ),
    queueDelay: durationMs().default(asyncDefaults.queueDelayMs),
    duplicateProbability: probability.default(asyncDefaults.duplicateProbability),
    // docs/sources.md §4: a DLQ is an SQS queue or SNS topic.
    deadLetterQueue: z.enum(['sqs', 'sns']).optional(),
    // docs/sources.md §4: destinations; S3 for on-failure only.
    onFailure: z.enum(['sqs', 'sns', 'lambda', 'eventbridge', 's3']).optional(),
    onSuccess: onSuccessTarget.optional(),
    // docs/sources.md §4, §8: an async event is at most 1 MB (256 KB until October 2025).
    payloadSize: sizeMb({ min: 0, max: 1, source: 'docs/sources.md §4' }).default(asyncDefaults.payloadMb),
  }).transform(
    (a, ctx): AsyncSpec => ({
      source: a.source,
      delivery: sourceDelivery(a, ctx),
      maximumRetryAttempts: a.maximumRetryAttempts,
      retryDelaysMs: [a.retryDelays[0], a.retryDelays[1]],
      retryJitterMs: a.retryJitter,
      maximumEventAgeMs: a.maximumEventAge,
      queueDelayMs: a.queueDelay,
      duplicateProbability: a.duplicateProbability,
      deadLetterQueue: a.deadLetterQueue ?? null,
      onFailure: a.onFailure ?? null,
      onSuccess: a.onSuccess ?? null,
      payloadBytes: Math.round(a.payloadSize * 2 ** 20),
    }),
  ),
);

/** The source's block (its defaults when not written); a block of another source is refused at its key. */
function sourceDelivery(
  a: { source: string; s3?: EventSourceSpec; sns?: EventSourceSpec; eventbridge?: EventSourceSpec },
  ctx: Parameters<typeof delegate>[2],
): EventSourceSpec | null {
  for (const k of EVENT_SOURCES) {
    if (a[k] !== undefined && a.source !== k) {
      ctx.addIssue({ code: 'custom', path: [k], message: `"${k}" goes only with "source: ${k}"; this workload has "source: ${a.source}"`, params: { at: 'key' } });
    }
  }
  const kind = EVENT_SOURCES.find((k) => k === a.source);
  if (kind === undefined) return null;
  return a[kind] ?? delegate(SOURCE_BLOCKS[kind], {}, ctx, [kind]);
}

/** The JSON-schema descriptions of the block's keys (src/scenario/json-schema.ts merges them). */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.async': 'invoke: async only: the event invoke configuration and its queue (docs/sources.md §4).',
  'workloads.async.source': 'Who calls: sdk (default; your code: the request-rate quota applies, 429s), aws-service (accepted without a limit), or an event source with its own delivery before the queue: s3, sns, eventbridge.',
  'workloads.async.maximumRetryAttempts': 'Retries after function errors and timeouts, 0–2. Default 2.',
  'workloads.async.retryDelays': 'Waits after failed attempt 1 and 2: two durations. Default [1m, 2m].',
  'workloads.async.retryJitter': 'Up to this is added to each retry delay (a duration). Default 0s.',
  'workloads.async.maximumEventAge': 'An event this old is never attempted again, 1m–6h in whole seconds. Default 6h.',
  'workloads.async.queueDelay': 'From 202 to the first read when capacity is free (a duration). Default 0ms (an assumption).',
  'workloads.async.duplicateProbability': 'Chance an accepted event is delivered twice (0–1). Default 0.',
  'workloads.async.deadLetterQueue': 'Receives failed events: sqs or sns. Default: none.',
  'workloads.async.onFailure': 'On-failure destination: sqs, sns, lambda, eventbridge or s3. Default: none.',
  'workloads.async.onSuccess': 'On-success destination: sqs, sns, lambda or eventbridge. Default: none.',
  ...SOURCE_DESCRIPTIONS,
  'workloads.async.payloadSize': 'Every event\'s size, at most 1 MB; above 256 KB each further 64 KB is one more billed request (docs/sources.md §4, §7). Default 256KB.',
};
