/**
 * The `stream` block of an `invoke: stream` workload: a Kinesis data stream or
 * a DynamoDB stream and its event source mapping (docs/sources.md §6, §11
 * "Kinesis and DynamoDB Streams event source mapping"). Ranges and defaults
 * cite docs/sources.md; where AWS publishes no number the default is an
 * assumption, said so here and in docs/model.md.
 *
 * `source` is a preset: it sets the polling interval (Kinesis 1 s, DynamoDB
 * 250 ms) and the retention rules (DynamoDB fixed at 24 h).
 */
import { z } from 'zod';
import type { StreamSpec } from './types.js';
import { accepts, count, durationMs, number, probability, strictObject } from '../../scenario/fields.js';
import { formatDuration, quantityPattern, type Parsed } from '../../scenario/units.js';

const HOUR_MS = 3_600_000;

/** Per-source rules (docs/sources.md §6, §11). */
export const STREAM_SOURCES = {
  // §6: "Lambda polls each shard ... at a base rate of once per second"; §11 `kinesisPollIntervalMs` 1000.
  // §11 `streamRetentionH`: 24 h default, up to 8,760 h (365 days; the upper bound is not sourced in docs/sources.md).
  kinesis: { pollIntervalMs: 1000, retentionMs: 24 * HOUR_MS, maxRetentionMs: 8760 * HOUR_MS, maxRecordBytes: 1024 * 1024, base64: true },
  // §6: "Lambda polls shards 4 times per second"; retention is 24 h, fixed (§6, §11).
  // DynamoDB items are at most 400 KB (DynamoDB quotas; not in docs/sources.md).
  dynamodb: { pollIntervalMs: 250, retentionMs: 24 * HOUR_MS, maxRetentionMs: 24 * HOUR_MS, maxRecordBytes: 400 * 1024, base64: false },
} as const;

/** Defaults of the `stream` block, each with its source. */
export const streamDefaults = {
  shards: 1,
  // Assumption: producers spread records over many keys.
  keys: 1000,
  // Assumption (no AWS number): 1 KB of data per record.
  recordBytes: 1024,
  // Assumption (no AWS number): the JSON of one Kinesis/DynamoDB event record without its data
  // (partition key, sequence number, timestamps, event ids, ARNs, region) is about 600 bytes.
  recordOverheadBytes: 600,
  // §6, §11 `batchSize`: default 100, 1–10,000.
  batchSize: 100,
  // §6, §11 `maxBatchingWindowS`: default 0, 0–300 s.
  maximumBatchingWindowMs: 0,
  // §6, §11 `parallelizationFactor`: default 1, 1–10.
  parallelizationFactor: 1,
  // §6, §10 item 4, §11: the API default of MaximumRetryAttempts and MaximumRecordAgeInSeconds is −1 (infinite).
  maximumRetryAttempts: -1,
  // Assumption: AWS documents no delay between stream retries; lsim retries at once.
  retryDelayMs: 0,
  // Assumption: AWS documents no backoff for throttled stream batches; 1 s, like the async path's first backoff (§11).
  throttleRetryMs: 1000,
  // §6, §11 `tumblingWindowS`: default 0 (off), 0–900 s.
  tumblingWindowMs: 0,
  // Assumption (no AWS number): each record adds 100 B to a window's aggregation state.
  windowStateBytesPerRecord: 100,
} as const;

/** docs/sources.md §6, §11: a tumbling window's state is at most 1 MB per shard; the window closes early past it. */
export const WINDOW_STATE_LIMIT_BYTES = 1024 * 1024;

/** docs/sources.md §6: a batch's invoke payload is capped at 6 MB. */
export const STREAM_BATCH_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** A simulator limit (per-shard series are kept): Kinesis's own shard quota is per account and raisable. */
export const MAX_SHARDS = 1000;

const BYTE_UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 * 1024 };
const BYTES_HELP = 'use B, KB or MB (1 KB = 1024 B), e.g. "512B", "1KB"';

/** Parses a record size such as "512B", "4KB" or "1MB" into bytes (1 KB = 1024 B). */
export function parseRecordBytes(input: unknown): Parsed {
  if (typeof input === 'number') return { ok: false, error: `${input} needs a unit, e.g. "${input}B"; ${BYTES_HELP}` };
  if (typeof input !== 'string') return { ok: false, error: `expected a size; ${BYTES_HELP}` };
  const m = /^(\d+\.?\d*|\.\d+)\s*([A-Za-z]*)$/.exec(input.trim());
  const per = m ? BYTE_UNITS[m[2]] : undefined;
  if (!m || per === undefined) return { ok: false, error: `${JSON.stringify(input)} is not a size; ${BYTES_HELP}` };
  return { ok: true, value: Math.round(Number(m[1]) * per) };
}

function bytes() {
  const schema = z.unknown().transform((input, ctx) => {
    if (input === undefined) {
      ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined });
      return z.NEVER;
    }
    const p = parseRecordBytes(input);
    if (!p.ok) {
      ctx.addIssue({ code: 'custom', message: p.error });
      return z.NEVER;
    }
    return p.value;
  });
  return accepts(schema, { type: 'string', pattern: quantityPattern(Object.keys(BYTE_UNITS)) });
}

/** `-1` (or "off") means no limit; otherwise a whole number in [min, max]. */
function minusOneOr(inner: z.ZodType<number>) {
  const schema = z.unknown().transform((v, ctx): number => {
    if (v === -1 || v === 'off') return -1;
    const r = inner.safeParse(v);
    if (r.success) return r.data;
    for (const iss of r.error.issues) ctx.addIssue({ code: 'custom', message: `${iss.message}, or -1 for no limit` });
    return z.NEVER;
  });
  return accepts(schema, (walk) => ({ anyOf: [{ enum: [-1, 'off'] }, walk(inner)] }));
}

/** The `stream` block as written, with defaults. */
export const streamBlockSchema = z.lazy(() =>
  strictObject({
    source: z.enum(['kinesis', 'dynamodb']).default('kinesis'),
    // docs/sources.md §15: a Kinesis stream's capacity mode decides its bill (shard-hours and PUT payload units,
    // or stream-hours and GB in and out). Kinesis only; default provisioned.
    capacityMode: z.enum(['provisioned', 'on-demand']).optional(),
    shards: count(1, MAX_SHARDS).default(streamDefaults.shards),
    keys: count(1, 1_000_000).default(streamDefaults.keys),
    keySkew: number({ min: 0, max: 10 }).default(0),
    hotKeyShare: probability.default(0),
    recordSize: bytes().default(streamDefaults.recordBytes),
    recordOverhead: bytes().default(streamDefaults.recordOverheadBytes),
    retention: durationMs({ above: 0 }).optional(),
    // §6, §11: 1–10,000.
    batchSize: count(1, 10_000, 'docs/sources.md §6').default(streamDefaults.batchSize),
    // §6, §11: 0–300 s.
    maximumBatchingWindow: durationMs({ min: 0, max: 300_000, source: 'docs/sources.md §6', wholeSeconds: 'MaximumBatchingWindowInSeconds' }).default(streamDefaults.maximumBatchingWindowMs),
    // §6: 1–10.
    parallelizationFactor: count(1, 10, 'docs/sources.md §6').default(streamDefaults.parallelizationFactor),
    // §6: −1 (infinite) or 0–10,000.
    maximumRetryAttempts: minusOneOr(count(0, 10_000, 'docs/sources.md §6')).default(streamDefaults.maximumRetryAttempts),
    // §6: −1 (infinite) or 60 s – 604,800 s.
    maximumRecordAge: minusOneOr(
      durationMs({ min: 60_000, max: 604_800_000, source: 'docs/sources.md §6', format: (ms) => `${ms / 1000}s`, wholeSeconds: 'MaximumRecordAgeInSeconds' }),
    ).default(-1),
    bisectBatchOnFunctionError: z.boolean().default(false),
    reportBatchItemFailures: z.boolean().default(false),
    // §6: on-failure destinations for streams are SQS, SNS or S3 [API:OnFailure].
    onFailure: z.enum(['sqs', 'sns', 's3', 'none']).default('none'),
    perRecord: durationMs().default(0),
    poison: probability.default(0),
    poisonRecords: z.array(count(1)).default([]),
    recordErrors: probability.default(0),
    retryDelay: durationMs().default(streamDefaults.retryDelayMs),
    throttleRetry: durationMs({ above: 0 }).default(streamDefaults.throttleRetryMs),
    // §6, §11: 0–900 s; 0 turns tumbling windows off.
    tumblingWindow: durationMs({ min: 0, max: 900_000, source: 'docs/sources.md §6', wholeSeconds: 'TumblingWindowInSeconds' }).default(streamDefaults.tumblingWindowMs),
    windowStatePerRecord: bytes().optional(),
    windowFinalInvoke: durationMs().optional(),
  }).superRefine((s, ctx) => {
    const add = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message });
    const src = STREAM_SOURCES[s.source];
    if (s.recordSize < 1 || s.recordSize > src.maxRecordBytes) {
      add('recordSize', `must be from 1 B to ${src.maxRecordBytes / 1024} KB for a ${s.source} record, got ${s.recordSize} B`);
    }
    if (s.retention !== undefined && s.source === 'dynamodb' && s.retention !== src.retentionMs) {
      add('retention', `a DynamoDB stream keeps records for 24h, fixed (docs/sources.md §6); remove "retention"`);
    }
    if (s.retention !== undefined && s.source === 'kinesis' && (s.retention < src.retentionMs || s.retention > src.maxRetentionMs)) {
      add('retention', `must be from 24h to 8760h for Kinesis (docs/sources.md §11 streamRetentionH), got ${formatDuration(s.retention)}`);
    }
    if (s.tumblingWindow === 0) {
      if (s.windowStatePerRecord !== undefined) add('windowStatePerRecord', 'applies only with a tumblingWindow above 0s');
      if (s.windowFinalInvoke !== undefined) add('windowFinalInvoke', 'applies only with a tumblingWindow above 0s');
    }
    if (s.windowStatePerRecord !== undefined && s.windowStatePerRecord > WINDOW_STATE_LIMIT_BYTES) {
      add('windowStatePerRecord', `must be at most 1 MB, the state limit of a window (docs/sources.md §6), got ${s.windowStatePerRecord} B`);
    }
  }),
);

export type StreamBlock = z.output<typeof streamBlockSchema>;

/** Resolves the block into the simulator's spec. */
export function resolveStream(b: StreamBlock): StreamSpec {
  const src = STREAM_SOURCES[b.source];
  const data = src.base64 ? 4 * Math.ceil(b.recordSize / 3) : b.recordSize;
  const payloadBytesPerRecord = data + b.recordOverhead;
  return {
    source: b.source,
    capacityMode: b.capacityMode ?? 'provisioned',
    shards: b.shards,
    keys: b.keys,
    keySkew: b.keySkew,
    hotKeyShare: b.hotKeyShare,
    recordBytes: b.recordSize,
    payloadBytesPerRecord,
    retentionMs: b.retention ?? src.retentionMs,
    pollIntervalMs: src.pollIntervalMs,
    batchSize: b.batchSize,
    maxRecordsPerBatch: Math.max(1, Math.min(b.batchSize, Math.floor(STREAM_BATCH_PAYLOAD_BYTES / payloadBytesPerRecord))),
    maximumBatchingWindowMs: b.maximumBatchingWindow,
    parallelizationFactor: b.parallelizationFactor,
    maximumRetryAttempts: b.maximumRetryAttempts,
    maximumRecordAgeMs: b.maximumRecordAge,
    bisectBatchOnFunctionError: b.bisectBatchOnFunctionError,
    reportBatchItemFailures: b.reportBatchItemFailures,
    onFailure: b.onFailure === 'none' ? null : b.onFailure,
    perRecordMs: b.perRecord,
    poison: b.poison,
    poisonRecords: [...new Set(b.poisonRecords)].sort((x, y) => x - y),
    recordErrors: b.recordErrors,
    retryDelayMs: b.retryDelay,
    throttleRetryMs: b.throttleRetry,
    tumblingWindowMs: b.tumblingWindow,
    windowStateBytesPerRecord: b.windowStatePerRecord ?? streamDefaults.windowStateBytesPerRecord,
    windowFinalInvokeMs: b.windowFinalInvoke ?? -1,
  };
}

/** The JSON-schema descriptions of the block's keys (src/scenario/json-schema.ts merges them). */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  'workloads.stream': 'invoke: stream only: a Kinesis or DynamoDB stream and its event source mapping (docs/sources.md §6).',
  'workloads.stream.source': 'kinesis (polled every 1 s; default) or dynamodb (every 250 ms).',
  'workloads.stream.capacityMode': 'Kinesis only: provisioned (shard-hours and PUT payload units; default) or on-demand (stream-hours, GB in and out), for the bill.',
  'workloads.stream.shards': 'Shards, 1–1,000. Default 1.',
  'workloads.stream.keys': 'Partition keys, 1–1,000,000; a key always lands on the same shard. Default 1000.',
  'workloads.stream.keySkew': 'Zipf exponent of each record\'s key, 0–10. Default 0.',
  'workloads.stream.hotKeyShare': 'Share of records written with one hot key (0–1). Default 0.',
  'workloads.stream.recordSize': 'Record size (e.g. 1KB): up to 1 MB (Kinesis) or 400 KB (DynamoDB). Default 1KB.',
  'workloads.stream.recordOverhead': 'Event metadata per record counted toward 6 MB. Default 600B (an assumption).',
  'workloads.stream.retention': 'How long records are kept: Kinesis 24h–8760h, DynamoDB 24h fixed. Default 24h.',
  'workloads.stream.batchSize': 'Records per batch, 1–10,000. Default 100.',
  'workloads.stream.maximumBatchingWindow': 'How long to gather a batch, 0–300s in whole seconds. Default 0s.',
  'workloads.stream.parallelizationFactor': 'Concurrent batches per shard, 1–10; order kept per key. Default 1.',
  'workloads.stream.maximumRetryAttempts': '-1 (until the records expire; default) or 0–10,000.',
  'workloads.stream.maximumRecordAge': '-1 (no limit; default) or 60s–604800s in whole seconds.',
  'workloads.stream.bisectBatchOnFunctionError': 'Split a failed batch in two. Default false.',
  'workloads.stream.reportBatchItemFailures': 'Checkpoint at the lowest failed record. Default false.',
  'workloads.stream.onFailure': 'Where discarded batches are reported: sqs, sns, s3 or none (default).',
  'workloads.stream.perRecord': 'Handler time per record, added to the duration draw. Default 0ms.',
  'workloads.stream.poison': 'Share of records that fail every time (0–1). Default 0.',
  'workloads.stream.poisonRecords': 'These records (the n-th written, from 1) are poison. Default [].',
  'workloads.stream.recordErrors': 'Chance one delivery of a record fails (0–1). Default 0.',
  'workloads.stream.retryDelay': 'Wait before retrying a failed batch. Default 0s (an assumption).',
  'workloads.stream.throttleRetry': 'Wait before trying a throttled batch again (> 0). Default 1s (an assumption).',
  'workloads.stream.tumblingWindow': 'Tumbling windows of write time, 0–900s in whole seconds; 0 (default) turns them off.',
  'workloads.stream.windowStatePerRecord': 'With tumblingWindow: state each record adds (≤ 1 MB). Default 100B.',
  'workloads.stream.windowFinalInvoke': 'With tumblingWindow: handler time of each window\'s final invoke. Default: the function\'s duration draw.',
};
