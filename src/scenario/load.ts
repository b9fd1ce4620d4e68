/**
 * The scenario loader: YAML text → validated, unit-resolved {@link Scenario}.
 *
 * Every problem is collected, located (file, line, column, key path) and
 * thrown together as one {@link UserError}; the loader never stops at the first.
 * Each top-level key, function and workload is checked on its own, so a bad
 * entry does not hide the problems of the others.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { UserError, formatProblem, type Problem } from '../errors.js';
import type { AccountSpec, BillingSpec, FunctionSpec, MonthPart, MonthSpec, ReportSpec } from './types.js';
import type { Scenario, WorkloadSpec } from '../models/index.js';
import { missingServicePriceMessage, serviceBookForRegion, withServicePrices, type ServicePriceBook } from '../billing/service-prices.js';
import { missingPriceMessage, missingPrices, PRICE_BOOKS, PRICED_REGIONS, priceBookForRegion, withOverrides, type LineItem, type PriceBook } from '../billing/pricebook.js';
import { ASYNC_PAYLOAD_PRESETS, asyncPayloadProblem, GRANULARITY_PRESETS, INIT_BILLING_PRESETS, presetOn } from '../billing/rules.js';
import { calendarMonth, DAY_MS, DEFAULT_MONTH_DAYS, occurrencesInMonth } from '../billing/month.js';
import { scenarioDefaults as D } from './presets.js';
import { provisionedFields } from './provisioned.js';
import { MODELS, modelOf } from '../models/index.js';
import type { InvocationModel } from '../models/model.js';
import { applyOverrides, overrideFor, type Override } from './overrides.js';
import { functionSchema, rootShape, workloadSchema } from './schema.js';
import { didYouMean, formatPath, isMap as isPlainMap, parseValue, unknownKeyMessage, type Path, type Span } from './fields.js';
import { formatDuration } from './units.js';
import { loopProblems } from '../models/pipeline-graph.js';
import { ON_DEMAND_INIT_LIMIT_MS } from '../platform/platform.js';

/** Scenario files larger than this are refused before they are read. */
export const MAX_SCENARIO_BYTES = 10 * 1024 * 1024;

/** Collects located problems for one document. */
class Problems {
  readonly list: Problem[] = [];

  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string | undefined,
  ) {}

  /** Records a problem at `path`, located at its value, or at its key when `at` is 'key'. */
  add(path: Path, message: string, at: 'key' | 'value' = 'value'): void {
    const offset = this.offsetOf(path, at);
    this.addAtOffset(offset, message, path.length ? formatPath(path) : undefined);
  }

  /** A warning at `path`, formatted and located like a problem (not recorded: warnings do not fail a load). */
  locate(path: Path, message: string): string {
    const pos = this.lines.linePos(this.offsetOf(path, 'value') ?? 0);
    return formatProblem({ file: this.file, line: pos.line, column: pos.col, path: formatPath(path), message });
  }

  /** Records a problem at a character offset of the text. */
  addAtOffset(offset: number | undefined, message: string, path?: string): void {
    const pos = offset === undefined ? undefined : this.lines.linePos(offset);
    this.list.push({ file: this.file, line: pos?.line, column: pos?.col, path, message });
  }

  /** Parses `value` with `schema`, recording its issues under `path`; undefined when invalid. */
  parse<T extends z.ZodType>(schema: T, value: unknown, path: Path): z.output<T> | undefined {
    const result = parseValue(schema, value, path);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const at = (issue as { params?: { at?: string } }).params?.at === 'key' ? 'key' : 'value';
      this.add([...path, ...issue.path], issue.message, at);
    }
    return undefined;
  }

  /**
   * The offset of the node at `path`: the key or value of its map entry, or its
   * list item. A path that leaves the document (a missing key) stops at the
   * deepest node that exists.
   */
  private offsetOf(path: Path, at: 'key' | 'value'): number | undefined {
    let node: unknown = this.doc.contents;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(this.doc);
      const key = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
        if (!pair) break;
        if (i === path.length - 1 && at === 'key') node = pair.key;
        else node = pair.value ?? pair.key;
      } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
        node = node.items[key];
      } else break;
    }
    return (node as { range?: [number, number, number] } | null)?.range?.[0];
  }
}

/** Keys a scenario may never use: they would reach the prototype of the objects it becomes. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Alias expansions allowed while the document is turned into values (yaml's guard against alias bombs). */
const MAX_ALIAS_EXPANSIONS = 1000;

/** A YAML parser error in words, naming the key of a duplicate. */
function yamlErrorMessage(error: { code: string; message: string; pos: [number, number] }, text: string): string {
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^\s*(?:"([^"]*)"|'([^']*)'|([^:,{}\n]+?))\s*:/.exec(text.slice(error.pos[0]));
    const name = key ? (key[1] ?? key[2] ?? key[3]) : undefined;
    return `YAML syntax error: duplicate key${name === undefined ? '' : ` "${name}"`}: a key may appear once in a map`;
  }
  return `YAML syntax error: ${error.message.split(':\n')[0]}`;
}

/** Flow nesting (`[`, `{`) deeper than this is reported where it passes the depth: the parser's own stack ends at an arbitrary place. */
const REPORTED_DEPTH = 100;

/** The offset where flow collections first nest deeper than {@link REPORTED_DEPTH} (quotes and comments skipped), or undefined. */
function tooDeepAt(text: string): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote && !(quote === '"' && text[i - 1] === '\\')) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '[' || c === '{') {
      if (++depth > REPORTED_DEPTH) return i;
    } else if (c === ']' || c === '}') depth--;
  }
  return undefined;
}

/**
 * Reserved keys (`__proto__`, `constructor`, `prototype`) anywhere in the document, and aliases
 * whose anchor is not defined before them, as located problems.
 */
function checkKeysAndAliases(doc: Document, problems: Problems): void {
  const anchors = new Set<string>();
  visit(doc, {
    Node(_, node) {
      if (node.anchor) anchors.add(node.anchor);
    },
    Alias(_, node) {
      if (!anchors.has(node.source)) problems.addAtOffset(node.range?.[0], `the alias *${node.source} names no anchor &${node.source} defined before it`);
    },
    Pair(_, pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && RESERVED_KEYS.has(key)) {
        problems.addAtOffset((pair.key as { range?: [number, number, number] }).range?.[0], `"${key}" cannot be a key (it is reserved in JavaScript objects); rename it`);
      }
    },
  });
}

/** The offset of the first alias inside an anchored node (where alias expansion multiplies), else of the first alias. */
function firstNestedAlias(doc: Document): number | undefined {
  let nested: number | undefined;
  let first: number | undefined;
  visit(doc, {
    Alias(_, node, path) {
      first ??= node.range?.[0];
      if (nested === undefined && path.some((p) => (p as { anchor?: string }).anchor)) nested = node.range?.[0];
    },
  });
  return nested ?? first;
}

/** Sorts problems by position, keeping the order of those at the same place. */
function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0);
}

/** What the document's top level is, for the "not a map" message. */
function describeNode(node: unknown): string {
  if (node === null || node === undefined) return 'an empty document';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return `the value ${JSON.stringify(node.value)}`;
  return 'something else';
}

/**
 * Parses and validates a scenario written in YAML. `file` is used for messages
 * and, when the document has no `name`, for the name (file name without extension).
 * @throws UserError listing every problem found, each located by line and column.
 */
export function parseScenario(text: string, file?: string, options: ParseOptions = {}): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems = new Problems(doc, lines, file);
  for (const error of doc.errors) {
    if (/Maximum call stack size exceeded/.test(error.message)) {
      // The parser recursed out of stack: say so where the nesting gets deep, not where the stack ended.
      problems.addAtOffset(tooDeepAt(text) ?? 0, `the document nests too deeply for the YAML parser (lists or maps more than ${REPORTED_DEPTH} levels deep here); a scenario needs a few levels`);
      break;
    }
    problems.addAtOffset(error.pos[0], yamlErrorMessage(error, text));
  }
  checkKeysAndAliases(doc, problems);
  if (problems.list.length === 0 && !isMap(doc.contents)) {
    problems.addAtOffset(
      doc.contents?.range?.[0] ?? 0,
      `a scenario must be a map of keys (name, duration, functions, workloads, ...), got ${describeNode(doc.contents)}`,
    );
  }
  if (problems.list.length) throw new UserError(problems.list);
  // --set overrides change the document before validation (src/scenario/overrides.ts).
  const applied = options.overrides?.length ? applyOverrides(doc, options.overrides) : [];
  let raw: Record<string, unknown>;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS }) as Record<string, unknown>;
  } catch (e) {
    // An alias bomb: say where the first alias of an anchor that holds aliases is (the nesting that multiplies).
    const at = firstNestedAlias(doc);
    problems.addAtOffset(at, `the document's aliases expand to more than ${MAX_ALIAS_EXPANSIONS} copies (${(e as Error).message}); write the values out or nest anchors less`);
    throw new UserError(problems.list);
  }
  const scenario = resolveScenario(raw, problems, file, options.name);
  if (applied.length) {
    for (const p of problems.list) {
      const o = overrideFor(p.path, applied);
      if (o) p.message += ` (value from ${o.source})`;
    }
  }
  if (problems.list.length || !scenario) throw new UserError(problems.list.sort(byPosition));
  return scenario;
}

/** Options of {@link parseScenario} and {@link loadScenarioFile}. */
export interface ParseOptions {
  /** Changes applied to the YAML document before validation (`--set key=value`). */
  overrides?: readonly Override[];
  /** The scenario's name when the document has none (default: the file name without extension). */
  name?: string;
}

/**
 * Reads and parses a scenario file.
 * @throws UserError naming the file when it is missing, unreadable, not a
 * regular file or larger than {@link MAX_SCENARIO_BYTES}, or listing every
 * problem of its content.
 */
export function loadScenarioFile(path: string, options: ParseOptions = {}): Scenario {
  return parseScenario(readScenarioText(path), path, options);
}

/** Reads a scenario file, checking its size on the open descriptor before reading. */
/**
 * A scenario file's text. `file` names it in messages (default: `path`).
 * @throws UserError when it is missing, unreadable, not a regular file (a FIFO is refused before it is
 * opened, which would wait for a writer), larger than {@link MAX_SCENARIO_BYTES}, or not UTF-8 text.
 */
export function readScenarioText(path: string, file = path): string {
  let bytes: Buffer;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new UserError([{ file, message: 'is a directory, not a scenario file' }]);
    if (!stat.isFile()) throw new UserError([{ file, message: 'is not a regular file' }]);
    if (stat.size > MAX_SCENARIO_BYTES) {
      const mb = (stat.size / (1024 * 1024)).toFixed(1);
      throw new UserError([{ file, message: `is ${mb} MB; a scenario file may be at most 10 MB` }]);
    }
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError([{ file, message: readFailure(e) }]);
  }
  return scenarioText(bytes, file);
}

/**
 * Scenario bytes as text: UTF-8 (a BOM allowed), with no NUL. A Latin-1 `é` would otherwise become
 * U+FFFD in names and reports, and a binary file's bytes would fill the parser's messages.
 * @throws UserError locating the first byte that is not UTF-8 text
 */
export function scenarioText(bytes: Uint8Array, file: string): string {
  const bad = firstNonText(bytes);
  if (bad >= 0) {
    let line = 1;
    let column = 1;
    for (let i = 0; i < bad; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        column = 1;
      } else if ((bytes[i] & 0xc0) !== 0x80) column++;
    }
    const what = bytes[bad] === 0 ? 'a NUL byte' : `byte 0x${bytes[bad].toString(16).padStart(2, '0')}, which is not UTF-8`;
    throw new UserError([{ file, line, column, message: `${what}: a scenario is YAML text in UTF-8 (save it as UTF-8)` }]);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The offset of the first NUL or byte of an invalid UTF-8 sequence (overlong, surrogate, past U+10FFFF), or −1. */
function firstNonText(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c === 0) return i;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    // A lead byte that starts no sequence (0x80–0xC1, 0xF5–0xFF), or a sequence cut by the end.
    if (n < 0 || i + n >= b.length) return i;
    // The second byte's range excludes overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    if (b[i + 1] < lo || b[i + 1] > hi) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

function readFailure(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a scenario file';
    default:
      return `cannot read the file (${(e as Error).message})`;
  }
}

// ---------------------------------------------------------------------------
// Resolution: defaults that depend on other keys, and checks across keys

type RootValues = { [K in keyof typeof rootShape]?: z.output<(typeof rootShape)[K]> };

/** Builds the scenario from the document's plain value, recording every problem; undefined if any. */
function resolveScenario(raw: Record<string, unknown>, problems: Problems, file: string | undefined, defaultName?: string): Scenario | undefined {
  const known = Object.keys(rootShape);
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) problems.add([key], unknownKeyMessage(key, known), 'key');
  }
  const root: RootValues = {};
  for (const key of known as (keyof typeof rootShape)[]) {
    (root as Record<string, unknown>)[key] = problems.parse(rootShape[key], raw[key], [key]);
  }
  const durationMs = root.duration;
  if (durationMs !== undefined && root.warmup !== undefined && root.warmup >= durationMs) {
    problems.add(
      ['warmup'],
      `warmup (${formatDuration(root.warmup)}) must be shorter than the duration (${formatDuration(durationMs)})`,
    );
  }
  const functions = resolveFunctions(root.functions ?? {}, durationMs, problems);
  if (root.account) checkReservations(functions, root.account, problems);
  const functionNames = root.functions ? Object.keys(root.functions) : undefined;
  const workloads = resolveWorkloads(root.workloads ?? [], functionNames, durationMs, problems, functions);
  checkPipelines(root.workloads ?? [], root.functions ?? {}, functions, workloads, problems);
  // What a model checks across its workloads (sync: one API Gateway account bucket, issue 15); paths need every workload resolved.
  if (workloads.length === (root.workloads ?? []).length) for (const m of MODELS) m.checkAll?.(workloads.filter((w) => w.invoke === m.invoke), workloads.map((w) => w.invoke === m.invoke).flatMap((own, i) => (own ? [['workloads', i]] : [])), problems, functions);
  const report = root.report && durationMs !== undefined ? resolveReport(root.report.interval, durationMs, problems) : undefined;

  // The measured window the billing month is made of (undefined when the run's span is in error).
  const measured = durationMs !== undefined && root.warmup !== undefined && root.warmup < durationMs ? { startMs: root.warmup, endMs: durationMs } : undefined;
  const billing = root.billing && root.account && resolveBilling(root.billing, root.account, functions, workloads, measured, problems);
  const account = root.account && billing && resolveAsyncPayload(root.account, billing.priceBook, workloads, problems);
  const { description, seed, warmup } = root;
  if (
    problems.list.length ||
    durationMs === undefined ||
    description === undefined ||
    seed === undefined ||
    warmup === undefined ||
    account === undefined ||
    billing === undefined ||
    report === undefined
  ) {
    return undefined;
  }
  return {
    ...(file === undefined ? {} : { file }),
    name: root.name ?? defaultName ?? (file ? basename(file, extname(file)) : 'scenario'),
    description,
    seed,
    durationMs,
    warmupMs: warmup,
    account,
    billing,
    functions,
    workloads,
    report,
  };
}

/**
 * Resolves a span against the run: it starts at `at`, ends after `for`, at
 * `until` or at the end of the run, and is clipped to the run. An empty span is
 * a problem at `path`. Undefined when the run's duration is unknown or on a problem.
 */
function resolveSpan(
  span: Span,
  durationMs: number | undefined,
  path: Path,
  problems: Problems,
): { startMs: number; endMs: number } | undefined {
  if (durationMs === undefined) return undefined;
  const startMs = span.atMs;
  const endMs = Math.min(span.forMs !== undefined ? startMs + span.forMs : (span.untilMs ?? durationMs), durationMs);
  if (startMs >= durationMs) {
    problems.add(path, `starts at ${formatDuration(startMs)}, not before the end of the run (${formatDuration(durationMs)})`);
    return undefined;
  }
  if (endMs <= startMs) {
    problems.add(path, `is empty: it ends at ${formatDuration(endMs)}, not after its start (${formatDuration(startMs)})`);
    return undefined;
  }
  return { startMs, endMs };
}

function resolveFunctions(raw: Record<string, unknown>, durationMs: number | undefined, problems: Problems): FunctionSpec[] {
  const functions: FunctionSpec[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const path = ['functions', name];
    const f = problems.parse(functionSchema, value, path);
    if (!f) continue;
    const windows = f.errors.windows.map((w, i) => {
      const span = resolveSpan(w.span, durationMs, [...path, 'errors', 'windows', i], problems);
      return span && { ...span, rate: w.rate };
    });
    functions.push({
      name,
      memoryMb: f.memory,
      architecture: f.architecture,
      timeoutMs: f.timeout,
      ephemeralStorageMb: f.ephemeralStorage,
      reservedConcurrency: f.reservedConcurrency ?? null,
      ...provisionedFields(f.provisionedConcurrency),
      duration: f.duration,
      init: f.init,
      // The container init preset is a container image's, unless the scenario says otherwise.
      packaging: f.package ?? (isPlainMap(value) && value.init === 'container' ? 'image' : 'zip'),
      keepAlive: f.keepAlive.spec,
      keepAlivePreset: f.keepAlive.preset,
      maxLifetime: f.maxLifetime,
      proactiveReplacementMs: f.proactiveReplacement,
      reuse: f.reuse,
      errors: { rate: f.errors.rate, windows: windows.filter((w) => w !== undefined) },
      responseStreaming: f.responseStreaming
        ? { sizesMb: Array.isArray(f.responseStreaming.size) ? f.responseStreaming.size : [f.responseStreaming.size] }
        : null,
      cpu: {
        ...(f.cpu ? { share: f.cpu.share, parallel: f.cpu.parallel, measuredAtMb: f.cpu.measuredAt ?? f.memory } : { share: 0, parallel: false, measuredAtMb: f.memory }),
        measuredOn: f.cpu?.measuredOn ?? D.function.measuredOn,
        arm64Speed: f.arm64Speed ?? D.function.arm64Speed,
        arm64SpeedAssumed: f.arm64Speed === undefined,
      },
      snapStart: f.snapStart ?? null,
      provisionedRecycleMs: f.provisionedRecycle,
      tenantIsolation: f.tenantIsolation,
      extensions: f.extensions,
      edge: f.edge,
      logBytesPerInvocation: Math.round(f.logsPerInvocation * 2 ** 20),
      // Issue 16: only functions that send, call or set their recursion config carry a pipeline spec.
      ...(f.outputs || f.calls || f.recursiveLoop
        ? { pipeline: { outputs: f.outputs ?? [], calls: (f.calls ?? []).map((c) => c.function), recursiveLoop: f.recursiveLoop ?? 'Terminate' } }
        : {}),
    });
  }
  return functions;
}

/**
 * The billing block: the price book (named, or the one of `account.region`)
 * with the scenario's `prices` overrides and Savings Plan applied, the billing
 * rules (by default those in force at the book's date: the 100 ms era's book
 * implies 100 ms and unbilled INIT) and the month. Problems in the overrides
 * are located under `billing.prices`; usage the book cannot price (Arm in the
 * 100 ms era, a price not confirmed for the Region) at the key that asks for it.
 */
function resolveBilling(
  b: z.output<typeof rootShape.billing>,
  account: AccountDraft,
  functions: FunctionSpec[],
  workloads: WorkloadSpec[],
  window: { startMs: number; endMs: number } | undefined,
  problems: Problems,
): BillingSpec | undefined {
  let book = b.priceBook === undefined ? priceBookForRegion(account.region) : PRICE_BOOKS[b.priceBook];
  if (book === undefined) {
    problems.add(['account', 'region'], `lsim has no prices for ${account.region}; the Regions with a price book are ${PRICED_REGIONS.join(', ')} (docs/billing.md "Regions")`);
    return undefined;
  }
  if (book.region !== account.region) {
    problems.add(['billing', 'priceBook'], `the ${b.priceBook} price book is for ${book.region}, but account.region is ${account.region}`);
    return undefined;
  }
  try {
    book = withOverrides(book, { ...(b.prices ?? {}), discount: { computeSavingsPlanPercent: b.savingsPlan } });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    for (const p of e.problems) {
      const rest = (p.path ?? '').replace(/^price\.?/, '');
      const keys = splitPath(rest);
      const path = rest === 'discount.computeSavingsPlanPercent' ? ['billing', 'savingsPlan'] : ['billing', 'prices', ...keys];
      problems.add(path, p.message + priceKeySuggestion(book, keys, p.message), 'key');
    }
    return undefined;
  }
  for (const f of functions) {
    if (!book.architectures[f.architecture]) {
      problems.add(['functions', f.name, 'architecture'], `the ${book.name} price book has no ${f.architecture} prices`);
    }
  }
  checkPriced(book, functions, workloads, problems);
  const services = resolveServicePrices(b.servicePrices ?? {}, account.region, functions, workloads, problems);
  const month = window && resolveMonth(b.month, window, problems);
  if (!month || !services) return undefined;
  return {
    granularityMs: b.granularity ?? GRANULARITY_PRESETS[presetOn(GRANULARITY_PRESETS, book.effectiveDate)].granularityMs,
    initBilling: b.init ?? presetOn(INIT_BILLING_PRESETS, book.effectiveDate),
    priceBook: book,
    servicePrices: services,
    freeTier: b.freeTier,
    month,
  };
}

/**
 * The other services' prices of the Region with the scenario's `servicePrices`, and every service item a
 * workload bills whose price the book lacks, located at the key that asks for it (docs/billing.md
 * "The rest of the bill"; a model's `services`).
 */
function resolveServicePrices(
  overrides: Record<string, unknown>,
  region: string,
  functions: FunctionSpec[],
  workloads: WorkloadSpec[],
  problems: Problems,
): ServicePriceBook | undefined {
  let book = serviceBookForRegion(region);
  if (book === undefined) return undefined; // the Lambda book's message already says the Region is unknown
  try {
    book = withServicePrices(book, overrides);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    for (const p of e.problems) problems.add(['billing', 'servicePrices', ...(p.path ? [p.path] : [])], p.message, 'key');
    return undefined;
  }
  const needs: { path: Path; item: import('../billing/service-prices.js').ServiceItem }[] = [];
  workloads.forEach((w, i) => {
    for (const s of modelOf(w.invoke).services?.(w) ?? []) needs.push({ path: ['workloads', i, ...s.key], item: s.item });
  });
  for (const f of functions) if (f.logBytesPerInvocation > 0) needs.push({ path: ['functions', f.name, 'logsPerInvocation'], item: 'logsIngestedGb' });
  let ok = true;
  for (const n of needs) {
    if (book.prices[n.item].tiers === null) {
      problems.add(n.path, missingServicePriceMessage(book, n.item), 'key');
      ok = false;
    }
  }
  return ok ? book : undefined;
}

/** Usage the book has no price for (not confirmed for its Region), located at the key that asks for it. */
/** The `account` block as parsed: `asyncPayloadLimit` is null until the price book's date decides it. */
type AccountDraft = Omit<AccountSpec, 'asyncPayloadLimit'> & { asyncPayloadLimit: AccountSpec['asyncPayloadLimit'] | null };

/**
 * `account.asyncPayloadLimit` (by default the rule of the price book's date: docs/sources.md §9), and each
 * async workload's `payloadSize` against it, located there.
 */
function resolveAsyncPayload(account: AccountDraft, book: PriceBook, workloads: WorkloadSpec[], problems: Problems): AccountSpec {
  const chosen = account.asyncPayloadLimit;
  const preset = chosen ?? presetOn(ASYNC_PAYLOAD_PRESETS, book.effectiveDate);
  const rule = chosen !== null ? `account.asyncPayloadLimit: ${chosen}` : `the rule of the ${book.name} price book's date, ${book.effectiveDate}; account.asyncPayloadLimit: 1mb-2025 lifts it`;
  workloads.forEach((w, i) => {
    if (w.invoke !== 'async') return;
    const problem = asyncPayloadProblem(w.async.payloadBytes, preset, rule);
    if (problem !== null) problems.add(['workloads', i, 'async', 'payloadSize'], problem);
  });
  return { ...account, asyncPayloadLimit: preset };
}

function checkPriced(book: PriceBook, functions: FunctionSpec[], workloads: WorkloadSpec[], problems: Problems): void {
  const check = (path: Path, item: LineItem, f: FunctionSpec) => {
    const keys = missingPrices(book, item, f.architecture);
    if (keys.length > 0) problems.add(path, missingPriceMessage(book, item, keys), 'key');
  };
  for (const f of functions) {
    const at = ['functions', f.name];
    if (f.provisionedConcurrency > 0) check([...at, 'provisionedConcurrency'], 'provisionedConcurrency', f);
    if (f.ephemeralStorageMb > book.ephemeralStorage.freeMb) check([...at, 'ephemeralStorage'], 'ephemeralStorage', f);
    if (f.responseStreaming) check([...at, 'responseStreaming'], 'streaming', f);
    if (f.snapStart && f.snapStart.runtime !== 'java') check([...at, 'snapStart'], 'snapStart', f);
    if (f.tenantIsolation) check([...at, 'tenantIsolation'], 'tenantIsolation', f);
    if (f.edge) check([...at, 'edge'], 'edge', f);
  }
  workloads.forEach((w, i) => {
    const f = functions.find((fn) => fn.name === w.functionName);
    if (f) for (const p of modelOf(w.invoke).priced?.(w) ?? []) check(['workloads', i, ...p.key], p.item, f);
  });
}

/**
 * `billing.month`: its length (`days`, or that of the month `of`), and how the
 * measured window maps onto it — `repeat` copies of the window, or parts of the
 * window that happen a counted number of times with the rest of the window
 * standing for the rest of the month (docs/billing.md "The month").
 */
function resolveMonth(
  m: z.output<typeof rootShape.billing>['month'],
  window: { startMs: number; endMs: number },
  problems: Problems,
): MonthSpec | undefined {
  const at = ['billing', 'month'];
  const calendar = m.of === undefined ? null : calendarMonth(m.of)!;
  const days = calendar?.days ?? m.days ?? DEFAULT_MONTH_DAYS;
  const monthMs = days * DAY_MS;
  const windowMs = window.endMs - window.startMs;
  const base = { days, of: m.of ?? null, repeat: null, parts: [], restMs: windowMs };
  if (m.repeat !== undefined) {
    if (m.repeat * windowMs > monthMs * (1 + 1e-12)) {
      problems.add([...at, 'repeat'], `${m.repeat} copies of the ${formatDuration(windowMs)} window last ${formatDuration(m.repeat * windowMs)}, more than the ${days}-day month`);
      return undefined;
    }
    return { ...base, repeat: m.repeat, restWeight: m.repeat };
  }
  const parts: MonthPart[] = [];
  let ok = true;
  (m.parts ?? []).forEach((p, i) => {
    const path = [...at, 'parts', i];
    const startMs = p.span.atMs;
    const endMs = p.span.forMs !== undefined ? startMs + p.span.forMs : (p.span.untilMs ?? window.endMs);
    const times = occurrencesInMonth(p.count, p.unit, days, calendar);
    const problem =
      startMs < window.startMs ? `starts at ${formatDuration(startMs)}, in the warm-up: a part is a span of the measured window (${formatDuration(window.startMs)} to ${formatDuration(window.endMs)})`
      : endMs > window.endMs ? `ends at ${formatDuration(endMs)}, after the end of the run (${formatDuration(window.endMs)})`
      : endMs <= startMs ? `is empty: it ends at ${formatDuration(endMs)}, not after its start (${formatDuration(startMs)})`
      : undefined;
    if (problem) problems.add(path, problem);
    else if (times === undefined) problems.add([...path, 'times'], `counting per ${p.unit} needs a given month: set billing.month.of (e.g. 2026-03) to know its weekdays`);
    else {
      parts.push({ name: p.name ?? `part ${i + 1}`, startMs, endMs, count: p.count, unit: p.unit, times });
      return;
    }
    ok = false;
  });
  if (!ok) return undefined;
  const order = parts.map((p, i) => ({ p, i })).sort((a, b) => a.p.startMs - b.p.startMs);
  for (let k = 1; k < order.length; k++) {
    const [prev, cur] = [order[k - 1], order[k]];
    if (cur.p.startMs < prev.p.endMs) {
      problems.add([...at, 'parts', cur.i], `overlaps "${prev.p.name}" (${formatDuration(prev.p.startMs)} to ${formatDuration(prev.p.endMs)}): the parts of a month do not overlap`);
      return undefined;
    }
  }
  const countedMs = parts.reduce((sum, p) => sum + p.times * (p.endMs - p.startMs), 0);
  const restMs = windowMs - parts.reduce((sum, p) => sum + (p.endMs - p.startMs), 0);
  const leftMs = monthMs - countedMs;
  if (leftMs < -1e-6 * monthMs) {
    problems.add([...at, 'parts'], `the parts happen for ${formatDuration(countedMs)} in all, more than the ${days}-day month`);
    return undefined;
  }
  if (restMs <= 0 && leftMs > 1e-6 * monthMs) {
    problems.add([...at, 'parts'], `the parts cover the whole window and happen for ${formatDuration(countedMs)}, so nothing stands for the other ${formatDuration(leftMs)} of the ${days}-day month; count them to fill it, or leave part of the window out of them`);
    return undefined;
  }
  return { ...base, parts: order.map((o) => o.p), restMs: Math.max(0, restMs), restWeight: restMs > 0 ? Math.max(0, leftMs) / restMs : 0 };
}

/** For an unknown price key, the nearest key of the book at the same level. */
function priceKeySuggestion(book: PriceBook, keys: (string | number)[], message: string): string {
  if (!/not a price-book key/.test(message) || keys.length === 0) return '';
  let level: unknown = book;
  for (const k of keys.slice(0, -1)) level = (level as Record<string | number, unknown> | undefined)?.[k];
  return level && typeof level === 'object' ? didYouMean(String(keys[keys.length - 1]), Object.keys(level)) : '';
}

/** `a.b[2].c` → ['a', 'b', 2, 'c']. */
function splitPath(path: string): (string | number)[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

/**
 * docs/sources.md §1: reserved concurrency over all functions, plus provisioned
 * concurrency of functions without a reservation, may be at most the account
 * concurrency minus the 100 always left unreserved. The problem is placed at
 * the function that pushes the total over.
 */
function checkReservations(functions: FunctionSpec[], account: AccountDraft, problems: Problems): void {
  const allowed = Math.max(0, account.concurrencyLimit - account.unreservedMinimum);
  let reserved = 0;
  let provisionedOnly = 0;
  for (const f of functions) {
    if (f.reservedConcurrency !== null) reserved += f.reservedConcurrency;
    else if (f.provisionedConcurrency > 0) provisionedOnly += f.provisionedConcurrency;
    else continue;
    if (reserved + provisionedOnly <= allowed) continue;
    const [key, what, amount] =
      f.reservedConcurrency !== null
        ? ['reservedConcurrency', 'reserved concurrency', f.reservedConcurrency]
        : ['provisionedConcurrency', 'provisioned concurrency', f.provisionedConcurrency];
    problems.add(
      ['functions', f.name, key],
      `${what} ${amount} brings the concurrency set aside to ${reserved + provisionedOnly} ` +
        `(reserved ${reserved} + provisioned without a reservation ${provisionedOnly}), more than the ${allowed} ` +
        `the account allows: concurrency ${account.concurrencyLimit} minus the ${account.unreservedMinimum} ` +
        `always left unreserved (docs/sources.md §1)`,
      'key',
    );
    return;
  }
}

function resolveWorkloads(
  raw: unknown[],
  functionNames: string[] | undefined,
  durationMs: number | undefined,
  problems: Problems,
  functions: FunctionSpec[] = [],
): WorkloadSpec[] {
  const workloads: WorkloadSpec[] = [];
  const firstIndexOf = new Map<string, number>();
  raw.forEach((value, i) => {
    const path = ['workloads', i];
    const functionName = (value as { function?: unknown } | null)?.function;
    if (functionNames && typeof functionName === 'string' && !functionNames.includes(functionName)) {
      const hint = didYouMean(functionName, functionNames) || `; the functions are ${functionNames.join(', ')}`;
      problems.add([...path, 'function'], `no function named "${functionName}" in functions${hint}`);
    }
    const w = problems.parse(workloadSchema, value, path);
    if (!w) return;
    const name = w.name ?? `${w.function}-${w.invoke}`;
    const first = firstIndexOf.get(name);
    if (first !== undefined) {
      problems.add(
        w.name === undefined ? path : [...path, 'name'],
        `workload name "${name}" is already used by workloads[${first}]; give each workload its own "name"`,
      );
    } else firstIndexOf.set(name, i);
    const listed = Array.isArray((value as { arrivals?: unknown }).arrivals);
    const entries = w.arrivals ?? [];
    const arrivals = entries.flatMap((segment, j) => {
      if ('trace' in segment) return [];
      const span = resolveSpan(segment.span, durationMs, listed ? [...path, 'arrivals', j] : [...path, 'arrivals'], problems);
      return span ? [{ process: segment.process, shape: segment.shape, ...span }] : [];
    });
    // The model reads its own block (src/models/<invoke>/); another model's block or arrival source is a problem.
    const model = modelOf(w.invoke);
    for (const other of MODELS) {
      if (other === model) continue;
      const key = other.block?.key;
      if (key !== undefined && (value as Record<string, unknown>)[key] !== undefined) problems.add([...path, key], `"${key}" goes only with "invoke: ${other.invoke}"`, 'key');
      if (other.arrivalSource && other.arrivalSource.key !== model.arrivalSource?.key) rejectArrivalSource(entries, listed, path, w.invoke, other, problems);
    }
    const spec = model.resolve(
      {
        value: value as Record<string, unknown>,
        path,
        base: { name, functionName: w.function, invoke: w.invoke, arrivals },
        client: w.client,
        arrivalEntries: entries,
        listed,
        functions,
        functionNames,
      },
      problems,
    );
    if (spec) workloads.push(spec as WorkloadSpec);
  });
  return workloads;
}

/**
 * Issue 16, the references between stages: each output names a workload whose invocation model takes
 * messages from functions (not a sync one: that is a call), each call a function; a workload without
 * arrivals must be fed by an output; a sync caller's client must wait as long as a function that calls
 * can take; and no loop that never ends (src/models/pipeline-graph.ts). `raw` are the entries as written
 * (their names, whether they have arrivals), `workloads` those that resolved.
 */
function checkPipelines(raw: unknown[], rawFunctions: Record<string, unknown>, functions: FunctionSpec[], workloads: WorkloadSpec[], problems: Problems): void {
  const entry = (v: unknown): Record<string, unknown> => (isPlainMap(v) ? v : {});
  const names = raw.map((v) => {
    const w = entry(v);
    return typeof w.name === 'string' ? w.name : `${String(w.function)}-${typeof w.invoke === 'string' ? w.invoke : 'sync'}`;
  });
  const invokes = raw.map((v) => (typeof entry(v).invoke === 'string' ? (entry(v).invoke as string) : 'sync'));
  const functionNames = Object.keys(rawFunctions);
  const fed = new Set<string>();
  const before = problems.list.length;
  for (const f of functions) {
    const p = f.pipeline;
    if (!p) continue;
    p.outputs.forEach((o, i) => {
      const at = ['functions', f.name, 'outputs', i, 'to'];
      const k = names.indexOf(o.to);
      if (k < 0) {
        problems.add(at, `no workload named "${o.to}"${didYouMean(o.to, names) || `; the workloads are ${names.join(', ')}`}`);
        return;
      }
      const model = MODELS.find((m) => m.invoke === invokes[k]);
      if (model && !model.target) {
        problems.add(at, `workload "${o.to}" is invoke: ${invokes[k]}: a function does not send to it; to invoke its function and wait for the answer, use calls: [{ function: ${String(entry(raw[k]).function)} }]`);
        return;
      }
      fed.add(o.to);
    });
    p.calls.forEach((g, i) => {
      if (!functionNames.includes(g)) {
        problems.add(['functions', f.name, 'calls', i, 'function'], `no function named "${g}" in functions${didYouMean(g, functionNames) || `; the functions are ${functionNames.join(', ')}`}`);
      }
    });
  }
  const outputsAnywhere = functions.some((f) => (f.pipeline?.outputs.length ?? 0) > 0);
  // (A function that did not resolve may be what feeds a workload: its problems come first.)
  if (functions.length === functionNames.length) raw.forEach((v, i) => {
    if (entry(v).arrivals !== undefined || fed.has(names[i])) return;
    problems.add(['workloads', i, 'arrivals'], `missing required key "arrivals"${outputsAnywhere ? ` (a workload without arrivals must be the target of a function's outputs)` : ''}`);
  });
  if (problems.list.length > before || workloads.length !== raw.length) return;
  // A sync caller cannot give up while its function waits for a call (docs/model.md "Pipelines"): its client waits at least as long as the function can take.
  const byName = new Map(functions.map((f) => [f.name, f]));
  workloads.forEach((w, i) => {
    const f = byName.get(w.functionName);
    if (w.invoke !== 'sync' || !f || !f.pipeline || f.pipeline.calls.length === 0) return;
    const longest = f.timeoutMs + ON_DEMAND_INIT_LIMIT_MS;
    // Issue 15: a front door's integration timeout or its caller's timeout is a caller giving up too.
    const via = (w as { via?: { door: string; integrationTimeoutMs: number | null; caller: { timeoutMs: number | null } | null } }).via;
    if (via) {
      const cuts: [number | null, string[], string][] = [
        [via.integrationTimeoutMs, ['via', 'timeout'], `the ${via.door} integration timeout`],
        [via.caller?.timeoutMs ?? null, ['via', 'caller', 'timeout'], "the door's caller timeout"],
      ];
      for (const [cut, key, what] of cuts) {
        if (cut !== null && cut < longest) {
          problems.add(
            ['workloads', i, ...key],
            `${f.name} calls other functions and can take up to ${formatDuration(longest)} (its timeout plus the 10 s init limit); lsim does not let ${what} (${formatDuration(cut)}) cut a function that waits for a call: put the function behind a function URL, or shorten its timeout to ${formatDuration(Math.max(0, cut - ON_DEMAND_INIT_LIMIT_MS))} or less`,
          );
          return;
        }
      }
      return;
    }
    if (w.client.timeoutMs !== null && w.client.timeoutMs < longest) {
      problems.add(
        ['workloads', i, 'client', 'timeout'],
        `${f.name} calls other functions and can take up to ${formatDuration(longest)} (its timeout plus the 10 s init limit); lsim does not let a caller give up while the function waits for a call: set client.timeout to ${formatDuration(longest)} or more, or "off"`,
      );
    }
  });
  for (const p of loopProblems(functions, workloads, (w) => modelOf(w.invoke).target?.lineage(w) ?? true)) {
    problems.add(['functions', p.fn, ...p.key], p.message, 'key');
  }
}

/** An entry of `arrivals` that another model reads (sync's `{ trace }`) is a problem. */
function rejectArrivalSource(entries: readonly object[], listed: boolean, path: Path, invoke: string, owner: InvocationModel, problems: Problems): void {
  const { key, what } = owner.arrivalSource!;
  entries.forEach((entry, j) => {
    if (key in entry) {
      problems.add(listed ? [...path, 'arrivals', j, key] : [...path, 'arrivals', key], `${what} goes only with "invoke: ${owner.invoke}" (this workload is "invoke: ${invoke}")`, 'key');
    }
  });
}

/**
 * The default report interval: the smallest of 1s, 5s, 10s, 30s, 1m, 5m, 10m,
 * 30m, 1h, 6h and 1d that gives at most 720 intervals over `durationMs` (the
 * largest when none does).
 */
export function defaultReportIntervalMs(durationMs: number): number {
  const candidates = D.reportIntervalsMs;
  return candidates.find((ms) => durationMs / ms <= D.reportMaxDefaultIntervals) ?? candidates[candidates.length - 1];
}

function resolveReport(intervalMs: number | undefined, durationMs: number, problems: Problems): ReportSpec | undefined {
  const resolved = intervalMs ?? defaultReportIntervalMs(durationMs);
  const count = Math.ceil(durationMs / resolved);
  if (count > D.reportMaxIntervals) {
    problems.add(
      intervalMs === undefined ? ['duration'] : ['report', 'interval'],
      `an interval of ${formatDuration(resolved)} gives ${count} intervals over ${formatDuration(durationMs)}; ` +
        `the most is ${D.reportMaxIntervals}`,
    );
    return undefined;
  }
  return { intervalMs: resolved };
}
