/** The types of the stream model: its workload spec (Kinesis or DynamoDB Streams and the mapping) and its result. */
import type { ArrivalSegment, WorkloadBase } from '../../scenario/types.js';
import type { Percentiles } from '../../metrics/summary.js';
import type { WorkloadResultBase } from '../model.js';

/**
 * A function fed by a Kinesis data stream or a DynamoDB stream through an event
 * source mapping (docs/sources.md §6, §11 "Kinesis and DynamoDB Streams event
 * source mapping"): `arrivals` are the producers' records. See src/models/stream/block.ts.
 */
export interface StreamWorkloadSpec extends WorkloadBase {
  name: string;
  functionName: string;
  invoke: 'stream';
  arrivals: ArrivalSegment[];
  stream: StreamSpec;
}

export interface StreamSpec {
  /** `kinesis` polls each shard once per second, `dynamodb` four times per second (§6). */
  source: 'kinesis' | 'dynamodb';
  /** Kinesis's capacity mode, for the bill (docs/billing.md "The rest of the bill"); `provisioned` for DynamoDB (unused). */
  capacityMode: 'provisioned' | 'on-demand';
  shards: number;
  /** Distinct partition keys the producers use. */
  keys: number;
  /** Zipf exponent of the key of each record (0 = every key equally likely). */
  keySkew: number;
  /** Share of records written with one hot key (key 0), on top of the spread over `keys`. */
  hotKeyShare: number;
  /** Size of each record's data in bytes (for the 6 MB batch cap). */
  recordBytes: number;
  /** Bytes each record adds to the invoke payload: base64 of the data for Kinesis plus metadata. */
  payloadBytesPerRecord: number;
  /** Records older than this are trimmed from the stream (expire). */
  retentionMs: number;
  /** Polling interval of an idle shard (1,000 ms Kinesis, 250 ms DynamoDB). */
  pollIntervalMs: number;
  batchSize: number;
  /** Records per batch allowed by the 6 MB payload cap and `batchSize`. */
  maxRecordsPerBatch: number;
  maximumBatchingWindowMs: number;
  parallelizationFactor: number;
  /** −1 = retry until the records expire. */
  maximumRetryAttempts: number;
  /** −1 = no limit. */
  maximumRecordAgeMs: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** Where discarded batches' details go; null = nowhere (they are still counted). */
  onFailure: 'sqs' | 'sns' | 's3' | null;
  /** Handler time added per record of a batch. */
  perRecordMs: number;
  /** Probability that a record is poison: its batch fails every time it contains it. */
  poison: number;
  /** Explicit poison records: the n-th record written to the stream, counting from 1. */
  poisonRecords: number[];
  /** Probability that processing one record fails, drawn per delivery. */
  recordErrors: number;
  /** Delay before a failed batch is retried (AWS publishes none; default 0). */
  retryDelayMs: number;
  /** Delay before a throttled batch is tried again (AWS publishes none; default 1 s). */
  throttleRetryMs: number;
  /** Tumbling window length (0 = off; 0–900 s, §6). Windows of write time, aligned to t = 0. */
  tumblingWindowMs: number;
  /** Bytes each record adds to its window's state (limit 1 MB per window, §6). */
  windowStateBytesPerRecord: number;
  /** Handler time of a window's final invoke; −1 = the function's duration draw. */
  windowFinalInvokeMs: number;
}

/** A Kinesis or DynamoDB stream event source mapping (docs/sources.md §6): records, batches, iterator age, per shard. */
export interface StreamWorkloadResult extends WorkloadResultBase {
  name: string;
  function: string;
  invoke: 'stream';
  config: {
    source: 'kinesis' | 'dynamodb';
    shards: number;
    parallelizationFactor: number;
    batchSize: number;
    /** Records per batch after the 6 MB payload cap. */
    maxRecordsPerBatch: number;
    maximumBatchingWindowMs: number;
    maximumRetryAttempts: number;
    maximumRecordAgeMs: number;
    bisectBatchOnFunctionError: boolean;
    reportBatchItemFailures: boolean;
    onFailure: string | null;
    retentionMs: number;
    /** Present only with tumbling windows on. */
    tumblingWindowMs?: number;
  };
  /** Tumbling windows (§6), present only when they are on. */
  windows?: {
    /** Windows checkpointed after their final invoke succeeded, and how many of them closed early (state full). */
    closed: number;
    closedEarly: number;
    /** Final invokes started (retries included) and failed. */
    finalInvokes: number;
    finalInvokesFailed: number;
  };
  /** written = processed + discarded + expired + pendingAtEnd (records written after the warm-up). */
  records: { written: number; processed: number; discarded: number; expired: number; pendingAtEnd: number; inFlightAtEnd: number };
  batches: {
    invoked: number;
    succeeded: number;
    failed: number;
    partial: number;
    throttled: number;
    retries: number;
    recordsRetried: number;
    splits: number;
    /** Discarded batches by reason; each is one on-failure destination message when there is a destination. */
    discarded: { 'retries-exhausted': number; 'record-age': number };
    destinationMessages: number;
  };
  /** The first few discarded batches as the on-failure destination sees them. */
  discardExamples: { shard: number; firstSequence: number; lastSequence: number; records: number; reason: string; atMs: number }[];
  batchSize: Percentiles;
  /** IteratorAge: at each batch's end, the age of its last record. */
  iteratorAgeMs: Percentiles;
  /** Batches in flight. */
  concurrency: { max: number; mean: number };
  shards: { shard: number; written: number; processed: number; discarded: number; expired: number; pendingAtEnd: number; maxIteratorAgeMs: number }[];
}
