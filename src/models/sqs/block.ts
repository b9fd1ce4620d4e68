/**
 * The `sqs` block of an `invoke: sqs` workload: the queue and its event source
 * mapping (docs/sources.md §5, §11 "SQS event source mapping"). Ranges and
 * defaults cite docs/sources.md; where AWS publishes no number the default is
 * an assumption, said so here and in docs/model.md.
 *
 * The block is parsed by the loader after the workload (so it is located under
 * `workloads[i].sqs`); the checks that need the function (the visibility
 * timeout against the function timeout) are in {@link checkSqsAgainstFunction}.
 */
import { z } from 'zod';
import type { FunctionSpec } from '../../scenario/types.js';
import type { SqsSpec } from './types.js';
import { accepts, count, delegate, durationMs, number, orOff, probability, strictObject } from '../../scenario/fields.js';
import { formatDuration, quantityPattern, type Parsed } from '../../scenario/units.js';

/** Defaults of the `sqs` block, each with its source. */
export const sqsDefaults = {
  // docs/sources.md §5, §11 `batchSize`: SQS default 10.
  batchSize: 10,
  // docs/sources.md §5, §11 `maxBatchingWindowS`: default 0.
  maximumBatchingWindowMs: 0,
  // docs/sources.md §11 `visibilityTimeoutS`: 30 s (the SQS default; not sourced in docs/sources.md).
  visibilityTimeoutMs: 30_000,
  // Assumption (AWS publishes no number): the JSON of one record without its body
  // (messageId, receiptHandle, attributes, md5, event source, ARN, region) is about 1 KB.
  recordOverheadBytes: 1024,
  // docs/sources.md §11 `errorBackoffFactor`: 0.5, an assumption (AWS gives no numbers).
  errorBackoffFactor: 0.5,
  // docs/sources.md §11 `provisionedMode.minPollers` / `maxPollers`.
  minPollers: 2,
  maxPollers: 200,
} as const;

/** The mapping's scaling rules (docs/sources.md §5, §9 table, §10 item 1, §11). */
export const SQS_SCALING = {
  // docs/sources.md §5: 5 concurrent batches at the start.
  initialConcurrency: 5,
  // docs/sources.md §5: +300 per minute since 2023-11-06 (legacy +60), ceiling 1,250 (legacy docs 1,000; §10 item 1).
  current: { scaleUpPerMin: 300, ceiling: 1250 },
  legacy: { scaleUpPerMin: 60, ceiling: 1000 },
  // docs/sources.md §11 `sqsIdleFloor`: 2, or 5 with MaximumConcurrency.
  idleFloor: 2,
  idleFloorWithMaximumConcurrency: 5,
  // docs/sources.md §5: provisioned mode adds up to 1,000 concurrent invokes per minute, 10 per poller, up to 20,000.
  provisionedScaleUpPerMin: 1000,
  invokesPerPoller: 10,
  provisionedCeiling: 20_000,
} as const;

/**
 * How the mapping's SQS calls are billed (docs/sources.md §15, docs/billing.md "The rest of the bill").
 * ReceiveMessage returns at most 10 messages and DeleteMessageBatch deletes at most 10 (the SQS API's
 * limits); that Lambda's pollers use full calls is an assumption (AWS does not say), the cheapest case.
 */
export const SQS_REQUESTS = {
  messagesPerCall: 10,
  // docs/sources.md §5: the mapping long-polls; the long-poll wait is 20 s (ReceiveMessage's maximum), so an
  // idle poller makes one empty receive per 20 s: the default of `emptyReceiveEvery` (an assumption).
  emptyReceiveEveryMs: 20_000,
} as const;

/** docs/sources.md §5, §11 `batchPayloadLimitBytes`: the 6 MB sync invoke payload, metadata included. */
export const BATCH_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** The largest SQS message: 1 MB since 2026-01-29 (docs/sources.md §4, Compute Blog), 256 KB before. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** SQS's visibility timeout range is 0 s – 12 h (SQS quotas; not in docs/sources.md). */
const MAX_VISIBILITY_TIMEOUT_MS = 12 * 3_600_000;
/** docs/sources.md §5: Lambda raises a short visibility timeout to window + function timeout + 30 s. */
const VISIBILITY_GRACE_MS = 30_000;

const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 * 1024 };
const BYTES_HELP = 'use B, KB or MB (1 KB = 1024 B), e.g. "4KB", "256KB", "1MB"';

/** Parses a message size such as "512B", "4KB" or "1MB" into bytes (1 KB = 1024 B). */
export function parseBytes(input: unknown): Parsed {
  if (typeof input === 'number') return { ok: false, error: `${input} needs a unit, e.g. "${input}KB"; ${BYTES_HELP}` };
  if (typeof input !== 'string') return { ok: false, error: `expected a size; ${BYTES_HELP}` };
  const m = /^(\d+\.?\d*|\.\d+)\s*([A-Za-z]*)$/.exec(input.trim());
  if (!m) return { ok: false, error: `${JSON.stringify(input)} is not a size; ${BYTES_HELP}` };
  const per = BYTE_UNITS[m[2]];
  if (per === undefined) {
    return { ok: false, error: m[2] ? `unknown size unit "${m[2]}" in ${JSON.stringify(input)}; ${BYTES_HELP}` : `${JSON.stringify(input)} needs a unit; ${BYTES_HELP}` };
  }
  return { ok: true, value: Math.round(Number(m[1]) * per) };
}

function bytes(min: number, max: number) {
  const schema = z.unknown().transform((input, ctx) => {
    if (input === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined });
      return z.NEVER;
    }
    const p = parseBytes(input);
    if (!p.ok) {
      ctx.addIssue({ code: 'custom', message: p.error });
      return z.NEVER;
    }
    if (p.value < min || p.value > max) {
      ctx.addIssue({ code: 'custom', message: `must be from ${min} B to ${max / 1024} KB, got ${p.value} B` });
      return z.NEVER;
    }
    return p.value;
  });
  return accepts(schema, { type: 'string', pattern: quantityPattern(Object.keys(BYTE_UNITS)) });
}

/** Provisioned mode (docs/sources.md §5): `provisioned: true` or `{ minPollers, maxPollers }`. */
const provisionedSchema = z.lazy(() =>
  strictObject({
    // docs/sources.md §5: MinimumPollers 2–200 (default 2); MaximumPollers up to 2,000 (§10 item 2), default 200.
    minPollers: count(2, 200, 'docs/sources.md §5').default(sqsDefaults.minPollers),
    maxPollers: count(2, 2000, 'docs/sources.md §10 item 2').default(sqsDefaults.maxPollers),
  }),
);

/** The `sqs` block as written, with defaults; cross-key checks that need only the block. */
export const sqsBlockSchema = z.lazy(() =>
  strictObject({
    fifo: z.boolean().default(false),
    groups: count(1, 1_000_000).optional(),
    groupSkew: number({ min: 0, max: 10 }).optional(),
    messageSize: bytes(1, MAX_MESSAGE_BYTES).optional(),
    recordOverhead: bytes(0, 64 * 1024).default(sqsDefaults.recordOverheadBytes),
    visibilityTimeout: durationMs({ min: 0, max: MAX_VISIBILITY_TIMEOUT_MS, source: 'SQS: 0 s to 12 h, docs/sources.md §5', wholeSeconds: 'the queue\'s VisibilityTimeout' }).default(
      sqsDefaults.visibilityTimeoutMs,
    ),
    maxReceiveCount: orOff(count(1, 1000, 'SQS redrive policy: 1 to 1,000')).default(null),
    // docs/sources.md §5: 1–10,000 standard, 1–10 FIFO (checked below).
    batchSize: count(1, 10_000, 'docs/sources.md §5').default(sqsDefaults.batchSize),
    // docs/sources.md §5: 0–300 s.
    maximumBatchingWindow: durationMs({ min: 0, max: 300_000, source: 'docs/sources.md §5', wholeSeconds: 'MaximumBatchingWindowInSeconds' }).default(sqsDefaults.maximumBatchingWindowMs),
    perMessage: durationMs().default(0),
    reportBatchItemFailures: z.boolean().default(false),
    poison: probability.default(0),
    messageErrors: probability.default(0),
    scaling: z.enum(['current', 'legacy']).default('current'),
    // docs/sources.md §5: ScalingConfig.MaximumConcurrency 2–1,000.
    maximumConcurrency: count(2, 1000, 'docs/sources.md §5').optional(),
    errorBackoffFactor: number({ above: 0, max: 1 }).default(sqsDefaults.errorBackoffFactor),
    // docs/sources.md §5, §15: an idle poller's long poll waits up to 20 s, then returns empty (a billed request).
    emptyReceiveEvery: durationMs({ min: 1, max: 20_000, source: 'SQS ReceiveMessage WaitTimeSeconds: at most 20 s' }).default(SQS_REQUESTS.emptyReceiveEveryMs),
    provisioned: accepts(
      z.unknown().transform((v, ctx) => delegate(provisionedSchema, v === true ? {} : v, ctx)),
      (walk) => ({ anyOf: [{ const: true }, walk(provisionedSchema)] }),
    ).optional(),
  }).superRefine((s, ctx) => {
    const add = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    if (s.fifo && s.batchSize > 10) add('batchSize', `must be at most 10 for a FIFO queue (docs/sources.md §5), got ${s.batchSize}`);
    if (s.fifo && s.maximumBatchingWindow > 0) {
      add('maximumBatchingWindow', 'a batching window is for standard queues only (docs/sources.md §5); remove it or set 0s');
    }
    if (!s.fifo && s.batchSize > 10 && s.maximumBatchingWindow < 1000) {
      add(
        'batchSize',
        `a batch size above 10 needs maximumBatchingWindow of at least 1s (docs/sources.md §5), got ${formatDuration(s.maximumBatchingWindow)}`,
      );
    }
    if (!s.fifo && s.groups !== undefined) add('groups', 'message groups are for FIFO queues only; add "fifo: true" or remove it');
    if (!s.fifo && s.groupSkew !== undefined) add('groupSkew', 'message groups are for FIFO queues only; add "fifo: true" or remove it');
    if (s.provisioned && s.maximumConcurrency !== undefined) {
      add('maximumConcurrency', 'cannot be combined with provisioned mode (docs/sources.md §5); use provisioned.maxPollers');
    }
    if (s.provisioned && s.provisioned.minPollers > s.provisioned.maxPollers) {
      ctx.addIssue({
        code: 'custom',
        path: ['provisioned', 'minPollers'],
        message: `minPollers ${s.provisioned.minPollers} exceeds maxPollers ${s.provisioned.maxPollers}`,
      });
    }
  }),
);

export type SqsBlock = z.output<typeof sqsBlockSchema>;

/** A problem or warning at a key of the `sqs` block. */
export interface SqsNote {
  key: string[];
  message: string;
}

/** The most batches a mapping can run at once: MaximumConcurrency, else provisioned mode's maxPollers × 10, else the preset's ceiling (§5, §10 item 1). */
export function mappingMaxConcurrency(s: Pick<SqsSpec, 'maximumConcurrency' | 'provisioned' | 'scaling'>): number {
  const S = SQS_SCALING;
  return s.maximumConcurrency ?? (s.provisioned ? Math.min(s.provisioned.maxPollers * S.invokesPerPoller, S.provisionedCeiling) : S[s.scaling].ceiling);
}

/**
 * docs/sources.md §5 [TK:concurrency.md]: reserved concurrency should be at least the sum of MaximumConcurrency over all
 * the SQS mappings of a function. For each function with a reservation whose mappings each fit under it but together
 * do not, a warning for each of those mappings (at its `maximumConcurrency`, or at its block); none when a mapping alone
 * exceeds the reservation (`resolveSqs` warns about that one).
 */
export function sumOverReservedWarnings(
  mappings: readonly { functionName: string; sqs: Pick<SqsSpec, 'maximumConcurrency' | 'provisioned' | 'scaling'> }[],
  functions: readonly FunctionSpec[],
): { index: number; key: string[]; message: string }[] {
  const out: { index: number; key: string[]; message: string }[] = [];
  for (const fn of functions) {
    const reserved = fn.reservedConcurrency;
    if (reserved === null) continue;
    const mine = mappings.flatMap((m, index) => (m.functionName === fn.name ? [{ index, max: mappingMaxConcurrency(m.sqs), set: m.sqs.maximumConcurrency !== null }] : []));
    if (mine.length < 2 || mine.some((m) => m.max > reserved)) continue;
    const sum = mine.reduce((n, m) => n + m.max, 0);
    if (sum <= reserved) continue;
    for (const m of mine) {
      out.push({
        index: m.index,
        key: m.set ? ['maximumConcurrency'] : [],
        message:
          `the ${mine.length} SQS mappings of "${fn.name}" can run ${mine.map((x) => x.max).join(' + ')} = ${sum} batches at once, more than its reserved ` +
          `concurrency (${reserved}): the extra batches are throttled and return after the visibility timeout with a higher receive count; ` +
          `keep the reserved concurrency at least the sum of the mappings' maximumConcurrency (docs/sources.md §5)`,
      });
    }
  }
  return out;
}

/**
 * Resolves the block against its function: the visibility-timeout rules of
 * docs/sources.md §5 (errors), and advice (warnings).
 */
export function resolveSqs(b: SqsBlock, fn: FunctionSpec | undefined): { spec: SqsSpec; errors: SqsNote[]; warnings: SqsNote[] } {
  const errors: SqsNote[] = [];
  const warnings: SqsNote[] = [];
  const window = b.maximumBatchingWindow;
  let effectiveVt = b.visibilityTimeout;
  if (fn) {
    const t = fn.timeoutMs;
    // docs/sources.md §5: the function timeout must be ≤ VT; Lambda checks it when the mapping is created.
    if (b.visibilityTimeout < t) {
      errors.push({
        key: ['visibilityTimeout'],
        message: `${formatDuration(b.visibilityTimeout)} is shorter than the timeout of function "${fn.name}" (${formatDuration(t)}); Lambda refuses such a mapping (docs/sources.md §5)`,
      });
    }
    // docs/sources.md §5: if window + function timeout > VT, the effective VT becomes window + timeout + 30 s.
    if (window + t > b.visibilityTimeout) effectiveVt = window + t + VISIBILITY_GRACE_MS;
    // docs/sources.md §5: set the VT to at least 6 × the function timeout, plus the batching window.
    const advised = 6 * t + window;
    if (b.visibilityTimeout < advised) {
      warnings.push({
        key: ['visibilityTimeout'],
        message:
          `${formatDuration(b.visibilityTimeout)} is under 6 × the function timeout${window > 0 ? ' + the batching window' : ''} ` +
          `(${formatDuration(advised)}; docs/sources.md §5): throttled batches may run out of visibility and messages be processed twice`,
      });
    }
    // docs/sources.md §5 [TK:concurrency.md]: the mapping does not account for reserved concurrency; set
    // reserved concurrency to at least MaximumConcurrency, or batches beyond it are throttled.
    const reserved = fn.reservedConcurrency;
    const mappingMax = mappingMaxConcurrency({ maximumConcurrency: b.maximumConcurrency ?? null, provisioned: b.provisioned ?? null, scaling: b.scaling });
    if (reserved !== null && mappingMax > reserved) {
      const mapping =
        b.maximumConcurrency === undefined
          ? `the mapping can run up to ${mappingMax} batches at once (${b.provisioned ? 'maxPollers × 10' : 'no maximumConcurrency'}), more than`
          : `maximumConcurrency ${b.maximumConcurrency} is above`;
      warnings.push({
        key: b.maximumConcurrency === undefined ? [] : ['maximumConcurrency'],
        message:
          `${mapping} the reserved concurrency of "${fn.name}" (${reserved}): the extra batches are throttled, ` +
          `return after the visibility timeout with a higher receive count and can reach the DLQ; ` +
          `${b.provisioned ? 'lower maxPollers' : 'set maximumConcurrency'} to at most ${reserved}${b.provisioned ? ' / 10' : ''} (docs/sources.md §5)`,
      });
    }
  }
  // docs/sources.md §5: AWS recommends maxReceiveCount ≥ 5 so throttles and errors get several tries.
  if (b.maxReceiveCount !== null && b.maxReceiveCount < 5) {
    warnings.push({
      key: ['maxReceiveCount'],
      message: `${b.maxReceiveCount} is under 5 (AWS's advice, docs/sources.md §5): a throttled or slow batch can send good messages to the DLQ`,
    });
  }
  const spec: SqsSpec = {
    fifo: b.fifo,
    groups: b.fifo ? (b.groups ?? 1) : 1,
    groupSkew: b.groupSkew ?? 0,
    messageBytes: b.messageSize ?? null,
    recordOverheadBytes: b.recordOverhead,
    visibilityTimeoutMs: b.visibilityTimeout,
    effectiveVisibilityTimeoutMs: effectiveVt,
    maxReceiveCount: b.maxReceiveCount,
    batchSize: b.batchSize,
    maximumBatchingWindowMs: window,
    perMessageMs: b.perMessage,
    reportBatchItemFailures: b.reportBatchItemFailures,
    poison: b.poison,
    messageErrors: b.messageErrors,
    scaling: b.scaling,
    maximumConcurrency: b.maximumConcurrency ?? null,
    errorBackoffFactor: b.errorBackoffFactor,
    emptyReceiveEveryMs: b.emptyReceiveEvery,
    provisioned: b.provisioned ? { minPollers: b.provisioned.minPollers, maxPollers: b.provisioned.maxPollers } : null,
  };
  return { spec, errors, warnings };
}

/** The JSON-schema descriptions of the block's keys (src/scenario/json-schema.ts merges them). */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.sqs': 'invoke: sqs only: the queue and its event source mapping (docs/sources.md §5).',
  'workloads.sqs.fifo': 'A FIFO queue: message groups in order, one batch per group in flight. Default false.',
  'workloads.sqs.groups': 'FIFO only: message group IDs, 1–1,000,000. Default 1.',
  'workloads.sqs.groupSkew': 'FIFO only: Zipf exponent of each message\'s group, 0–10. Default 0.',
  'workloads.sqs.messageSize': 'Message size, 1 B – 1 MB (e.g. 4KB), for the 6 MB batch cap with each record\'s recordOverhead. Default: only the overhead counts.',
  'workloads.sqs.recordOverhead': 'Metadata per record counted toward 6 MB, 0–64 KB. Default 1KB (an assumption).',
  'workloads.sqs.visibilityTimeout': 'The queue\'s visibility timeout, 0s–12h in whole seconds, at least the function timeout. Default 30s.',
  'workloads.sqs.maxReceiveCount': 'Receives before the DLQ (1–1,000), or "off" (no DLQ, the default).',
  'workloads.sqs.batchSize': 'Messages per batch: 1–10,000 standard, 1–10 FIFO; above 10 needs a batching window ≥ 1s. Default 10.',
  'workloads.sqs.maximumBatchingWindow': 'How long to gather a batch, 0–300s in whole seconds; standard queues only. Default 0s.',
  'workloads.sqs.perMessage': 'Handler time per message, added to the duration draw. Default 0ms.',
  'workloads.sqs.reportBatchItemFailures': 'Only failed messages return. Default false.',
  'workloads.sqs.poison': 'Share of messages that fail every time (0–1). Default 0.',
  'workloads.sqs.messageErrors': 'Chance one delivery of a message fails (0–1). Default 0.',
  'workloads.sqs.scaling': 'current (+300/min up to 1,250; default) or legacy (+60/min up to 1,000).',
  'workloads.sqs.maximumConcurrency': 'The mapping\'s MaximumConcurrency, 2–1,000; not with provisioned. Default: none.',
  'workloads.sqs.errorBackoffFactor': 'Concurrency × this on a throttle or function error, in (0, 1]. Default 0.5 (an assumption).',
  'workloads.sqs.emptyReceiveEvery': 'How often an idle poller makes an empty (billed) receive, up to 20s. Default 20s, the long-poll wait (an assumption).',
  'workloads.sqs.provisioned': 'Provisioned mode: true or { minPollers, maxPollers }. Default: standard polling.',
  'workloads.sqs.provisioned.minPollers': 'Least pollers, 2–200. Default 2.',
  'workloads.sqs.provisioned.maxPollers': 'Most pollers, 2–2,000. Default 200.',
};
