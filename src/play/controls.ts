/**
 * The playground's controls (issue 20): each one a key of the scenario file, the AWS rule it teaches in
 * one sentence, and the docs/sources.md section the rule comes from. A control edits the YAML document
 * itself (comments and other keys kept), so the page's YAML is always the scenario that ran and the CLI
 * runs it with the same result. They act on the first workload and the function it invokes.
 */
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';

export type ControlKind = 'number' | 'choice';

export interface Control {
  id: string;
  label: string;
  kind: ControlKind;
  /** number: the slider's range and step; `none` is the value shown as "none" (the key left out). */
  min?: number;
  max?: number;
  step?: number;
  unit?: string;
  none?: number;
  choices?: { value: string; label: string }[];
  /** The AWS rule, one sentence. */
  rule: string;
  /** The docs/sources.md section of the rule. */
  source: string;
  /** Shown only for these invocation models (all when unset). */
  only?: string[];
}

/** The control values of a scenario: a number or a choice per control id. */
export type Settings = Record<string, number | string>;

const KEEP_ALIVE = ['fixed-10min-2019', 'legacy-5min-2016', 'wang-27min-2017', 'random-25-60min-2019', 'shilkov-5-7min-2021'];

export const CONTROLS: Control[] = [
  {
    id: 'rate',
    label: 'arrival rate',
    kind: 'number',
    min: 0,
    max: 2000,
    step: 1,
    unit: '/s',
    rule: 'Invocations per second are capped at 10 × the account\'s concurrency quota in each Region (and at 10 × a function\'s reserved concurrency), whatever the concurrency in use.',
    source: '§1 "Account and function concurrency"',
  },
  {
    id: 'burstHeight',
    label: 'burst height (added rate)',
    kind: 'number',
    min: 0,
    max: 5000,
    step: 10,
    unit: '/s',
    rule: 'Each function can add up to 1,000 execution environments every 10 seconds; requests arriving faster than Lambda can add environments are rejected with 429.',
    source: '§1 "Scaling rate: current rule (from 2023-11-26)"',
  },
  {
    id: 'burstLength',
    label: 'burst length',
    kind: 'number',
    min: 1,
    max: 300,
    step: 1,
    unit: 's',
    rule: 'New environments start cold (init runs first), so a longer burst keeps more requests waiting on cold starts.',
    source: '§2 "Phases"',
  },
  {
    id: 'burstAt',
    label: 'burst starts at',
    kind: 'number',
    min: 0,
    max: 3600,
    step: 1,
    unit: 's',
    rule: 'Idle environments are reclaimed after minutes, so a burst late in a quiet run meets few warm environments.',
    source: '§2 "Reuse, idle reclaim and lifetime"',
  },
  {
    id: 'reserved',
    label: 'reserved concurrency',
    kind: 'number',
    min: -1,
    max: 1000,
    step: 1,
    none: -1,
    rule: 'Reserved concurrency is both a guarantee and a cap: invocations above it are throttled (429), and 0 stops the function.',
    source: '§1 "Reserved concurrency"',
  },
  {
    id: 'provisioned',
    label: 'provisioned concurrency',
    kind: 'number',
    min: 0,
    max: 1000,
    step: 1,
    rule: 'Provisioned environments are initialized ahead and never start cold, and are billed per GB-second whether used or not.',
    source: '§1 "Provisioned concurrency (PC)"',
  },
  {
    id: 'memory',
    label: 'memory',
    kind: 'number',
    min: 128,
    max: 10240,
    step: 64,
    unit: 'MB',
    rule: 'Memory is 128–10,240 MB and CPU is allocated in proportion to it (one vCPU at 1,769 MB); duration is billed per GB-second of it.',
    source: '§7 "Granularity and what is billed"',
  },
  {
    id: 'architecture',
    label: 'architecture',
    kind: 'choice',
    choices: [
      { value: 'x86_64', label: 'x86_64' },
      { value: 'arm64', label: 'arm64 (Graviton)' },
    ],
    rule: 'arm64 (Graviton2) was launched at 20 percent lower cost; AWS publishes no speed factor, so lsim runs it at the same speed unless arm64Speed says otherwise (an assumption).',
    source: '§7 "Architecture and speed"',
  },
  {
    id: 'keepAlive',
    label: 'keep-alive preset',
    kind: 'choice',
    choices: KEEP_ALIVE.map((v) => ({ value: v, label: v })),
    rule: 'AWS keeps a frozen environment for a non-deterministic time and gives no number: each preset is a published measurement of when idle ones were reclaimed.',
    source: '§2 "Reuse, idle reclaim and lifetime"',
  },
  {
    id: 'scaling',
    label: 'scaling rule',
    kind: 'choice',
    choices: [
      { value: 'per-function-2023', label: '2023: +1,000 per function per 10 s' },
      { value: 'regional-burst-legacy', label: 'legacy: Region burst, then +500/min' },
    ],
    rule: 'Since 2023-11-26 each function scales by 1,000 environments per 10 s; before, a Region-wide burst (500–3,000) then 500 more per minute.',
    source: '§1 "Scaling rate: legacy rule (to Nov 2023)"',
  },
  {
    id: 'caller',
    label: 'caller',
    kind: 'choice',
    choices: [
      { value: 'sdk', label: 'SDK, standard retries' },
      { value: 'sdk-none', label: 'SDK, no retries' },
      { value: 'apigw-rest', label: 'API Gateway REST API' },
      { value: 'function-url', label: 'function URL' },
    ],
    rule: 'The SDK retries a throttle (429) with backoff; API Gateway answers a throttle with 500 and a function URL with 429, and neither retries.',
    source: '§3 "Front doors: API Gateway and function URLs"',
    only: ['sync'],
  },
  {
    id: 'invoke',
    label: 'invocation model',
    kind: 'choice',
    choices: [
      { value: 'sync', label: 'synchronous (RequestResponse)' },
      { value: 'async', label: 'asynchronous (Event)' },
      { value: 'sqs', label: 'SQS queue' },
      { value: 'stream', label: 'Kinesis stream' },
    ],
    rule: 'Sync callers wait and see throttles; async events are queued and retried twice after errors; SQS and streams are polled in batches.',
    source: '§4 "Asynchronous invocation"',
  },
  {
    id: 'sqsBatch',
    label: 'SQS batch size',
    kind: 'number',
    min: 1,
    max: 10000,
    step: 1,
    rule: 'An SQS mapping sends up to 10 messages per batch by default; more than 10 needs a batching window of at least 1 s.',
    source: '§5 "Event source mapping: SQS"',
    only: ['sqs'],
  },
  {
    id: 'sqsWindow',
    label: 'SQS batching window',
    kind: 'number',
    min: 0,
    max: 300,
    step: 1,
    unit: 's',
    rule: 'The mapping waits up to the batching window (0–300 s) to fill a batch before invoking.',
    source: '§5 "Event source mapping: SQS"',
    only: ['sqs'],
  },
  {
    id: 'shards',
    label: 'stream shards',
    kind: 'number',
    min: 1,
    max: 100,
    step: 1,
    rule: 'A stream mapping processes each shard in order, one batch at a time per shard and parallelization factor.',
    source: '§6 "Event source mapping: Kinesis and DynamoDB Streams"',
    only: ['stream'],
  },
  {
    id: 'parallelization',
    label: 'parallelization factor',
    kind: 'number',
    min: 1,
    max: 10,
    step: 1,
    rule: 'With a parallelization factor of 1–10, up to that many batches per shard run at once, order kept per partition key.',
    source: '§6 "Event source mapping: Kinesis and DynamoDB Streams"',
    only: ['stream'],
  },
  {
    id: 'granularity',
    label: 'billing granularity',
    kind: 'choice',
    choices: [
      { value: '1ms', label: '1 ms (since 2020-12-01)' },
      { value: '100ms', label: '100 ms (before)' },
    ],
    rule: 'Duration is rounded up to the next 1 ms since 2020-12-01; before, to the next 100 ms.',
    source: '§7 "Granularity and what is billed"',
  },
];

const MODELS = ['sync', 'async', 'sqs', 'stream'];

type Raw = Record<string, unknown>;

/** Megabytes of a size written `512MB`, `1.5GB` or a number; 128 MB (the default, §7, §11) when unset. */
function megabytes(v: unknown): number {
  if (typeof v === 'number') return v;
  const m = typeof v === 'string' ? /^([\d.]+)\s*(MB|GB)?$/i.exec(v.trim()) : null;
  if (!m) return 128;
  return Number(m[1]) * (m[2]?.toUpperCase() === 'GB' ? 1024 : 1);
}

/** A rate written `N/s` (or a number), per second; `/min` and `/h` converted. */
function perSecond(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([\d.]+)\s*\/\s*(s|sec|min|m|h)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'min' || m[2] === 'm' ? n / 60 : m[2] === 'h' ? n / 3600 : n;
}

/** Seconds of a duration written `30s`, `2m`, `500ms`, `1h`. */
function seconds(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^([\d.]+)\s*(ms|s|m|min|h)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n / 1000 : m[2] === 's' ? n : m[2] === 'h' ? n * 3600 : n * 60;
}

function segments(w: Raw): Raw[] {
  const a = w.arrivals;
  return Array.isArray(a) ? (a as Raw[]) : a && typeof a === 'object' ? [a as Raw] : [];
}

/** The index of the base segment (no span) and of the burst segment (the first with `for`). */
function segmentRoles(list: Raw[]): { base: number; burst: number } {
  const base = list.findIndex((s) => s && typeof s === 'object' && s.at === undefined && s.for === undefined && s.until === undefined);
  const burst = list.findIndex((s, i) => i !== base && s && typeof s === 'object' && s.for !== undefined);
  return { base, burst };
}

/** The control values a scenario document has (its written values, else the documented defaults). */
export function readSettings(doc: Document): Settings {
  const raw = (doc.toJS() ?? {}) as Raw;
  const w = ((raw.workloads as Raw[] | undefined) ?? [])[0] ?? {};
  const fnName = String(w.function ?? '');
  const f = ((raw.functions as Raw | undefined)?.[fnName] as Raw | undefined) ?? {};
  const list = segments(w);
  const { base, burst } = segmentRoles(list);
  const rateOf = (s: Raw | undefined) => (s ? (perSecond(s.poisson) ?? perSecond(s.constant) ?? 0) : 0);
  const invoke = MODELS.includes(String(w.invoke)) ? String(w.invoke) : 'sync';
  const via = typeof w.via === 'string' ? w.via : ((w.via as Raw | undefined)?.door as string | undefined);
  const client = (w.client as Raw | undefined) ?? {};
  const caller = via === 'apigw-rest' || via === 'function-url' ? via : client.retries === 'none' ? 'sdk-none' : 'sdk';
  const account = (raw.account as Raw | undefined) ?? {};
  const scaling = typeof account.scaling === 'string' ? account.scaling : String((account.scaling as Raw | undefined)?.model ?? 'per-function-2023');
  const billing = (raw.billing as Raw | undefined) ?? {};
  const sqs = (w.sqs as Raw | undefined) ?? {};
  const stream = (w.stream as Raw | undefined) ?? {};
  const durationS = seconds(raw.duration) ?? 60;
  return {
    rate: rateOf(list[base]),
    burstHeight: burst >= 0 ? rateOf(list[burst]) : 0,
    burstLength: burst >= 0 ? (seconds(list[burst].for) ?? 10) : 10,
    burstAt: burst >= 0 ? (seconds(list[burst].at) ?? 0) : Math.round(durationS / 4),
    reserved: typeof f.reservedConcurrency === 'number' ? f.reservedConcurrency : -1,
    provisioned: typeof f.provisionedConcurrency === 'number' ? f.provisionedConcurrency : 0,
    // memory: 128MB default (§7, §11); written as `512MB`, `1.5GB` or a number of MB.
    memory: megabytes(f.memory),
    architecture: f.architecture === 'arm64' ? 'arm64' : 'x86_64',
    keepAlive: typeof f.keepAlive === 'string' && KEEP_ALIVE.includes(f.keepAlive) ? f.keepAlive : 'fixed-10min-2019',
    scaling: scaling === 'regional-burst-legacy' ? scaling : 'per-function-2023',
    caller,
    invoke,
    sqsBatch: typeof sqs.batchSize === 'number' ? sqs.batchSize : 10,
    sqsWindow: seconds(sqs.maximumBatchingWindow) ?? 0,
    shards: typeof stream.shards === 'number' ? stream.shards : 1,
    parallelization: typeof stream.parallelizationFactor === 'number' ? stream.parallelizationFactor : 1,
    granularity: billing.granularity === '100ms' ? '100ms' : '1ms',
  };
}

/** A flow-style map node (`{ poisson: 8/s }`) for the document. */
function flowMap(doc: Document, value: Raw): YAMLMap {
  const node = doc.createNode(value) as YAMLMap;
  node.flow = true;
  return node;
}

function rateText(n: number): string {
  return `${+n.toFixed(3)}/s`;
}

/** The first workload's arrivals as a sequence node (a single segment map becomes a list of one). */
function arrivalsSeq(doc: Document): YAMLSeq {
  const node = doc.getIn(['workloads', 0, 'arrivals'], true);
  if (isSeq(node)) return node as YAMLSeq;
  const seq = new YAMLSeq();
  if (isMap(node)) {
    (node as YAMLMap).flow = true;
    seq.items.push(node);
  }
  doc.setIn(['workloads', 0, 'arrivals'], seq);
  return seq;
}

/**
 * Sets one control's value in the document. Keys of other invocation models are removed when the model
 * changes (they would be refused beside it); the scenario is then checked by the loader as any file is.
 * @throws Error for an unknown control id.
 */
export function applyControl(doc: Document, id: string, value: number | string): void {
  const fn = String(doc.getIn(['workloads', 0, 'function']) ?? '');
  const fnPath = ['functions', fn];
  const wl = ['workloads', 0];
  const n = Number(value);
  switch (id) {
    case 'rate': {
      const seq = arrivalsSeq(doc);
      const list = seq.items.map((it) => (isMap(it) ? ((it as YAMLMap).toJSON() as Raw) : {}));
      const { base } = segmentRoles(list);
      if (base >= 0) {
        const seg = seq.items[base] as YAMLMap;
        const key = seg.has('constant') ? 'constant' : 'poisson';
        for (const k of ['poisson', 'constant', 'ramp', 'diurnal', 'process']) if (k !== key) seg.delete(k);
        seg.set(key, rateText(n));
      } else seq.items.unshift(flowMap(doc, { poisson: rateText(n) }));
      return;
    }
    case 'burstHeight':
    case 'burstLength':
    case 'burstAt': {
      const seq = arrivalsSeq(doc);
      const list = seq.items.map((it) => (isMap(it) ? ((it as YAMLMap).toJSON() as Raw) : {}));
      const { burst } = segmentRoles(list);
      const current = readSettings(doc);
      const s = { ...current, [id]: n };
      if (Number(s.burstHeight) <= 0) {
        if (burst >= 0) seq.items.splice(burst, 1);
        return;
      }
      const seg = flowMap(doc, { at: `${s.burstAt}s`, for: `${s.burstLength}s`, poisson: rateText(Number(s.burstHeight)) });
      if (burst >= 0) seq.items[burst] = seg;
      else seq.items.push(seg);
      return;
    }
    case 'reserved':
      if (n < 0) doc.deleteIn([...fnPath, 'reservedConcurrency']);
      else doc.setIn([...fnPath, 'reservedConcurrency'], n);
      return;
    case 'provisioned':
      if (n <= 0) doc.deleteIn([...fnPath, 'provisionedConcurrency']);
      else doc.setIn([...fnPath, 'provisionedConcurrency'], n);
      return;
    case 'memory':
      doc.setIn([...fnPath, 'memory'], `${n}MB`);
      return;
    case 'architecture':
      doc.setIn([...fnPath, 'architecture'], String(value));
      return;
    case 'keepAlive':
      doc.setIn([...fnPath, 'keepAlive'], String(value));
      return;
    case 'scaling':
      doc.setIn(['account', 'scaling'], String(value));
      return;
    case 'granularity':
      doc.setIn(['billing', 'granularity'], String(value));
      return;
    case 'caller': {
      const v = String(value);
      if (v === 'apigw-rest' || v === 'function-url') {
        doc.deleteIn([...wl, 'client']);
        doc.setIn([...wl, 'via'], v);
      } else {
        doc.deleteIn([...wl, 'via']);
        if (v === 'sdk-none') doc.setIn([...wl, 'client', 'retries'], 'none');
        else if (doc.hasIn([...wl, 'client', 'retries'])) doc.deleteIn([...wl, 'client', 'retries']);
        // maxAttempts above 1 with no retries is refused: leave it to the retry mode.
        if (v === 'sdk-none') doc.deleteIn([...wl, 'client', 'maxAttempts']);
      }
      return;
    }
    case 'invoke': {
      const v = String(value);
      doc.setIn([...wl, 'invoke'], v);
      for (const k of ['async', 'sqs', 'stream']) if (k !== v) doc.deleteIn([...wl, k]);
      if (v !== 'sync') doc.deleteIn([...wl, 'via']);
      if (v === 'sqs' || v === 'stream') doc.deleteIn([...wl, 'client']);
      return;
    }
    case 'sqsBatch':
      doc.setIn([...wl, 'sqs', 'batchSize'], n);
      return;
    case 'sqsWindow':
      doc.setIn([...wl, 'sqs', 'maximumBatchingWindow'], `${n}s`);
      return;
    case 'shards':
      doc.setIn([...wl, 'stream', 'shards'], n);
      return;
    case 'parallelization':
      doc.setIn([...wl, 'stream', 'parallelizationFactor'], n);
      return;
    default:
      throw new Error(`unknown control ${id}`);
  }
}

/** The YAML text after setting controls, in order. */
export function withControls(yaml: string, changes: readonly [string, number | string][]): string {
  const doc = parseDocument(yaml);
  for (const [id, value] of changes) applyControl(doc, id, value);
  return doc.toString({ lineWidth: 0 });
}

/** The control values of a YAML text. */
export function settingsOf(yaml: string): Settings {
  return readSettings(parseDocument(yaml));
}
