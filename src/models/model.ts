/**
 * The one interface an invocation model implements (docs/architecture.md "How to add an invocation
 * model"). Each model is a folder, src/models/<model>/, whose index.ts exports one
 * {@link InvocationModel}; src/models/index.ts lists them. Everything outside the folders asks the
 * registry: the loader for a workload's block, `simulate()` for its runtime, the reports for their
 * sections, sweeps for a workload's latency, the work estimate for its backlog, `lsim init` for its
 * template, `lsim explain` for its sentences.
 */
import type { z } from 'zod';
import type { Simulator } from '../engine/simulator.js';
import type { RngStreams } from '../engine/rng.js';
import type { Platform } from '../platform/platform.js';
import type { PartClock } from '../metrics/parts.js';
import type { Percentiles } from '../metrics/summary.js';
import type { Tracer, TraceEvent } from '../metrics/trace.js';
import type { Recorder } from '../metrics/records.js';
import type { Problem } from '../errors.js';
import type { ClientSpec, FunctionSpec, ScenarioBase, WorkloadBase } from '../scenario/types.js';
import type { Path } from '../scenario/fields.js';
import type { LineItem } from '../billing/pricebook.js';
import type { ServiceItem } from '../billing/service-prices.js';
import type { Pipeline } from './pipeline.js';

/** What every workload's result has; each model's result (src/models/<model>/types.ts) extends it. */
export interface WorkloadResultBase {
  name: string;
  function: string;
  invoke: string;
}

/** What a model's report pieces read of a run's result: the workloads' results and series. */
export interface ResultView {
  workloads: readonly WorkloadResultBase[];
  timeSeries: { intervalMs: number; workloads: Readonly<Record<string, Record<string, number[]>>> };
}

/** The loader's view of one `workloads` entry, handed to its model to resolve. */
export interface WorkloadDraft {
  /** The entry as written (for keys the generic schema leaves to the model). */
  value: Record<string, unknown>;
  /** Where it is: `['workloads', i]`. */
  path: Path;
  /** Name, function, invoke and resolved arrival segments, common to every model. */
  base: WorkloadBase;
  /** The `client` block, parsed (every entry has one; models that have no SDK callers refuse it when written). */
  client: ClientSpec;
  /** `arrivals` entries as written: segments and `{ trace }` entries; `listed` when `arrivals` is a list. */
  arrivalEntries: readonly object[];
  listed: boolean;
  /** The scenario's functions, resolved, and their names as written (undefined when `functions` is invalid). */
  functions: readonly FunctionSpec[];
  functionNames: readonly string[] | undefined;
}

/** The loader's problem list, for models: located problems and warnings. */
export interface Problems {
  readonly file: string | undefined;
  readonly list: Problem[];
  add(path: Path, message: string, at?: 'key' | 'value'): void;
  parse<T extends z.ZodType>(schema: T, value: unknown, path: Path): z.output<T> | undefined;
  /** A warning at `path`, formatted like a problem. */
  locate(path: Path, message: string): string;
}

/** A model's YAML block: `sqs:`, `async:`, `stream:` beside `invoke`. */
export interface ModelBlock {
  key: string;
  /** Its schema: a `z.lazy`, so a scenario without the block does not build it (issue 21, start-up). */
  schema: z.ZodType;
  /** JSON-schema descriptions of its keys, by dotted path under `workloads.` (e.g. `sqs.batchSize`). */
  descriptions: Readonly<Record<string, string>>;
}

/** What a model's runtime may use during one run. */
export interface RunContext {
  sim: Simulator;
  platform: Platform;
  rng: RngStreams;
  scenario: ScenarioBase;
  /** The parts of the billing month (docs/billing.md "The month"). */
  parts: PartClock;
  trace: Tracer | null;
  records: Recorder | null;
  /** The scenario's pipelines (issue 16, src/models/pipeline.ts); null when no function sends or calls. */
  pipeline: Pipeline | null;
  functionIndex(name: string): number;
  /**
   * Adds billable usage the model measures itself, beyond what the platform meters, to function
   * `fnIndex`, per billing-month part (e.g. SQS event poller milliseconds, async payload chunks).
   */
  bill(fnIndex: number, item: ExtraUsage, byPart: ArrayLike<number>): void;
  /**
   * Bills a quantity of another service (docs/billing.md "The rest of the bill"): `item` is a key of
   * src/billing/service-prices.ts (`sqsStandardRequests`, `kinesisShardHours`, `apigwRestRequests`, …) in
   * its counted unit (requests, chunks, hours, GB), per billing-month part (index 0: the rest of the
   * window), as measured over the measured window. `workload` names who billed it (the report's line).
   * Called after the run, from the `add` callback; quantities add up.
   */
  billService(workload: string, item: ServiceItem, byPart: ArrayLike<number>): void;
}

/** Usage a model measures for the bill (src/sim/cost.ts prices it with the platform's). */
export type ExtraUsage = 'asyncExtraChunks' | 'sqsEpuMs';

/** One workload's outcome: its result and its time series (named by the model). */
export interface WorkloadOutput {
  result: WorkloadResultBase;
  series: Record<string, number[]>;
}

/** A model's runtime in one run: the workloads of the model are added to it in scenario order. */
export interface ModelRun<W extends WorkloadBase> {
  /** Wires one workload; the returned function builds its output after the run. */
  add(w: W, fnIndex: number): () => WorkloadOutput;
  /** After the run, before outputs are built: records for requests still open. */
  recordOpen?(): void;
  /**
   * For a model with {@link InvocationModel.target}: how another function's output enters workload `w`
   * (called after `add(w)`): at tMs, as pipeline item `item` (src/models/pipeline.ts) — a message sent to
   * its queue, an event accepted, a record written.
   */
  target?(w: W): (tMs: number, item: number) => void;
}

/** What a workload that takes other functions' outputs is, to the pipeline (issue 16; docs/sources.md §8). */
export interface PipelineTarget<W extends WorkloadBase> {
  /** What it takes, in messages: `messages`, `events`, `records`. */
  readonly noun: string;
  /** Whether Lambda's recursion lineage survives the hop (SQS, SNS, S3 and Lambda carry it; Kinesis and DynamoDB streams do not). */
  lineage(w: W): boolean;
  /** Whether an event Lambda's recursive loop detection stops there goes to a dead-letter queue or on-failure destination. */
  dlq(w: W): boolean;
}

/**
 * The fate of the work a workload's callers offered in the measured window, in the model's unit
 * (requests, events, messages, records): offered = served + lost + queued + inFlight.
 */
export interface WorkFates {
  offered: number;
  /** Done: a response, a success, a delete, a processed record. */
  served: number;
  /** Refused or given up: throttled to the end, errors and timeouts, expired, sent to a DLQ, dropped. */
  lost: number;
  /** Of `lost`, those a dead-letter queue or on-failure destination holds. */
  dlq: number;
  /** Waiting at the end of the run (in a queue, or for a retry): a backlog a design that keeps up does not grow. */
  queued: number;
  /** Being worked on at the end of the run (invoking, or held in a batch being filled): the run's edge, not a backlog. */
  inFlight: number;
}

/** The unit of a sweep metric. */
export type MetricUnit = 'ms' | 'ratio' | 'usd' | 'count';

/** A metric of one workload; a sweep combines the workloads' values (the worst, or the sum). */
export interface WorkloadMetric<R> {
  unit: MetricUnit;
  describe: string;
  combine: 'max' | 'sum';
  /** Null when undefined (no data). */
  get(w: R): number | null;
}

/** The backlog estimate's view of a queue-fed model (src/sim/estimate.ts). */
export interface Drain {
  /** Requests one invocation takes (a batch). */
  perInvocation: number;
  /** Invocations that can run at once regardless of concurrency (stream lanes); Infinity when none. */
  lanes: number;
}

export interface InvocationModel<W extends WorkloadBase = WorkloadBase, R extends WorkloadResultBase = WorkloadResultBase> {
  /** The value of `invoke` that selects the model. */
  readonly invoke: W['invoke'];
  /** One line for `lsim init`'s question. */
  readonly about: string;
  /** Its YAML block beside `invoke`, if it has one. */
  readonly block?: ModelBlock;
  /** Its `workloads` descriptions outside its block (e.g. sync's `client`), merged into the JSON schema. */
  readonly descriptions?: Readonly<Record<string, string>>;
  /** An entry of `arrivals` only this model reads (sync's `{ trace }`): its key, its schema, what it is called in messages. */
  readonly arrivalSource?: { key: string; schema: z.ZodType; what: string };
  /** Builds the workload from a draft, recording problems; undefined when invalid. */
  resolve(draft: WorkloadDraft, problems: Problems): W | undefined;
  /** Checks across the model's workloads (in scenario order, with their paths), after each resolved; `functions` are the scenario's. */
  checkAll?(workloads: readonly W[], paths: readonly Path[], problems: Problems, functions: readonly FunctionSpec[]): void;
  /** Price-book line items the workload bills beyond the function's own, at keys under the workload (checked at load). */
  priced?(w: W): { key: Path; item: LineItem }[];
  /** The other services' items the workload bills (RunContext.billService), at keys under the workload (prices checked at load). */
  services?(w: W): { key: Path; item: ServiceItem }[];
  /** Starts its runtime for one run (called once, at its first workload). */
  start(ctx: RunContext): ModelRun<W>;
  /** Its sections of the terminal report, from the run's workload results (empty when it has none). */
  text(r: ResultView): string[];
  /** The latency sweeps and objectives read: what its callers or producers wait for. */
  latency(w: R): Percentiles | undefined;
  /** What became of the work the workload's callers offered (sweeps' guard, issue 18). */
  work(w: R): WorkFates;
  /** Metrics of its workloads a sweep can set objectives on and minimise, by name (src/plan/metrics.ts). */
  readonly metrics?: Readonly<Record<string, WorkloadMetric<R>>>;
  /** For queue-fed models: how fast a backlog drains (undefined: requests never wait in a queue). */
  drain?(w: W): Drain;
  /**
   * The work estimate (src/sim/estimate.ts): the events one request costs the run on average, when more
   * than one (an async event source's expected delivery attempts and duplicates, issue 15), over a run of `durationMs`.
   */
  eventsPerRequest?(w: W, durationMs: number): number;
  /** For models whose workloads take other functions' outputs (issue 16); a function calls a sync workload's function instead. */
  readonly target?: PipelineTarget<W>;
  /** The HTML report's pieces: the workload's card and its charts (src/report/html.ts draws them). */
  html: HtmlModel<R>;
  /** The headline sentences about a workload (what bound, what callers lost), for `--summary` and the HTML page. */
  summary(w: R, r: ResultView): string[];
  /** `lsim explain`: a step of one of its requests as a sentence; undefined for the platform's steps. */
  explain: ExplainModel<W>;
  /** `lsim init`: its template's names and block. */
  readonly init: { fn: string; workload: string; block: string };
}

/** How `lsim explain` words a model's requests. */
export interface ExplainModel<W extends WorkloadBase> {
  /** Before a request's id: `async `, `SQS message · `. */
  readonly kind: string;
  /** What its end-to-end time runs from: `end to end`, `from the send`. */
  readonly from: string;
  /** The same for one workload, where it differs from `from` (an async event source: from the event at the source). */
  fromOf?(w: W): string | undefined;
  /** Whether the outcome line shows the reason of a failed outcome. */
  readonly reasons: boolean;
  /** A step as a sentence; undefined when the platform's wording applies. */
  describe?(e: TraceEvent, w: W, self: number, explained: (request: number) => boolean): string | undefined;
}

/** One number on a card: its key (the result path), words, raw value, text and one-line meaning. */
export interface CardFact {
  key: string;
  label: string;
  value: number | null;
  text: string;
  meaning: string;
}

/**
 * One chart answering one question, from a workload's named series. Each series is counts per
 * interval (`perSecond` turns them into a rate), a level, or a duration in ms; a chart mixes at most
 * two units, one per axis.
 */
export interface ChartSpec {
  /** What to look for, as the chart's title. */
  title: string;
  /** The left axis' title, and the right one's when a series uses it. */
  y: string;
  y2?: string;
  /** The left axis is a duration in ms (ages, latencies), drawn in time units. */
  durations?: boolean;
  series: { key: string; label: string; perSecond?: boolean; right?: boolean }[];
  /** Levels drawn as labelled horizontal lines (a configured maximum). */
  limits?: { label: string; value: number }[];
}

export interface HtmlModel<R> {
  cards(w: R): CardFact[];
  charts(w: R): ChartSpec[];
}
