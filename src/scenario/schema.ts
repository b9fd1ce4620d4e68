/**
 * The zod schema of a scenario document. Leaves resolve units as they parse
 * (durations to ms, sizes to MB, rates to per second) and fill in the defaults
 * that do not depend on other keys; `load.ts` resolves what does (segment ends,
 * the report interval, names) and the checks that span several keys.
 *
 * Parse with {@link parseValue}: it installs the error map that words every
 * message for the user.
 */
import { z } from 'zod';
import type { ClientSpec, RateShape, ScalingSpec } from './types.js';
import { legacyBurstForRegion, pcAllocationModels, pcInitLimitMs, scalingModels, scenarioDefaults as D, SHUTDOWN_LIMIT_MS, type ExtensionsMode } from './presets.js';
import { accepts, count, countSchema, delegate, durationMs, isMap, number, orOff, positiveDuration, probability, ratePerS, sizeMb, spanShape, strictObject, timeOfDayMs, toSpan, distributionSchema, initSchema, keepAliveSchema, describeValue, type Span } from './fields.js';
import { provisionedMax, provisionedSchema } from './provisioned.js';
import { MODEL_NAMES, MODELS } from '../models/index.js';
import { calendarMonth, OCCURRENCE_UNITS, type OccurrenceUnit } from '../billing/month.js';
import { PRICE_BOOKS } from '../billing/pricebook.js';
import { makeSampler } from '../workload/distributions.js';


const errorWindowSchema = strictObject({ rate: probability, ...spanShape }).transform((w, ctx) => ({
  rate: w.rate,
  span: toSpan(w, ctx),
}));

const errorsMap = strictObject({ rate: probability.default(D.function.errorRate), windows: z.array(errorWindowSchema).default([]) });

/** Function errors: a probability, or `{ rate, windows: [{ at, for|until, rate }] }`. */
const errorsSchema = accepts(
  z.unknown().transform((v, ctx) => (isMap(v) ? delegate(errorsMap, v, ctx) : { rate: delegate(probability, v, ctx), windows: [] })),
  (walk) => ({ anyOf: [walk(probability), walk(errorsMap)] }),
);

/**
 * One output of a function (issue 16): per item processed with outcome `on`, `count` messages, events or
 * records to the workload `to` (the loader checks that it names a workload that can take them).
 */
const outputSchema = strictObject({
  to: z.string().min(1),
  count: countSchema.default({ kind: 'fixed', n: 1 }),
  on: z.enum(['success', 'failure']).default('success'),
});

/** A synchronous call to another function (issue 16); the loader checks the name. */
const callSchema = strictObject({ function: z.string().min(1) });

/**
 * `extensions`: `none`, `internal` or `external`, or `{ mode, shutdown }`. The shutdown phase lasts at most the
 * mode's limit (docs/sources.md §2); AWS publishes no typical time, so by default it takes the whole limit (an
 * assumption: an upper bound of what it bills).
 */
const extensionsMap = strictObject({
  mode: z.enum(Object.keys(SHUTDOWN_LIMIT_MS) as [ExtensionsMode, ...ExtensionsMode[]]),
  shutdown: durationMs().optional(),
}).superRefine((e, ctx) => {
  const limit = SHUTDOWN_LIMIT_MS[e.mode];
  if (e.shutdown !== undefined && e.shutdown > limit) {
    ctx.addIssue({ code: 'custom', path: ['shutdown'], message: `the shutdown phase with ${e.mode} extensions lasts at most ${limit} ms (docs/sources.md §2), got ${e.shutdown} ms` });
  }
}).transform((e) => ({ mode: e.mode, shutdownMs: e.shutdown ?? SHUTDOWN_LIMIT_MS[e.mode], shutdownAssumed: e.shutdown === undefined && e.mode !== 'none' }));

const extensionsSchema = accepts(
  z.unknown().transform((v, ctx) => delegate(extensionsMap, isMap(v) ? v : { mode: v }, ctx, isMap(v) ? [] : ['mode'])),
  (walk) => ({ anyOf: [{ enum: Object.keys(SHUTDOWN_LIMIT_MS) }, walk(extensionsMap)] }),
);

/** One entry of `functions` (its name is the map key). */
export const functionSchema = strictObject({
  // docs/sources.md §7, §11: memory 128–10,240 MB in 1 MB steps.
  memory: sizeMb({ min: 128, max: 10240, integer: true, source: 'docs/sources.md §7' }).default(D.function.memoryMb),
  architecture: z.enum(['x86_64', 'arm64']).default(D.function.architecture),
  // docs/sources.md §3: timeout 1–900 s.
  timeout: durationMs({ min: 1_000, max: 900_000, source: 'docs/sources.md §3', format: (ms) => `${ms / 1000}s` }).default(
    D.function.timeoutMs,
  ),
  // docs/sources.md §8: /tmp 512–10,240 MB.
  ephemeralStorage: sizeMb({ min: 512, max: 10240, integer: true, source: 'docs/sources.md §8' }).default(D.function.ephemeralStorageMb),
  reservedConcurrency: count(0).optional(),
  // A count, or a schedule / auto-scaling plan (src/scenario/provisioned.ts; lazy: that module imports this one).
  provisionedConcurrency: z.lazy(() => provisionedSchema()).default(D.function.provisionedConcurrency),
  duration: distributionSchema,
  init: initSchema.prefault(D.function.initPreset),
  // docs/sources.md §7, §9: before 2025-08-01 INIT was free only for ZIP packages on managed runtimes.
  package: z.enum(['zip', 'zip-custom-runtime', 'image']).optional(),
  keepAlive: keepAliveSchema.prefault(D.function.keepAlivePreset),
  // docs/sources.md §2: a distribution of each environment's lifetime (a duration is fixed).
  maxLifetime: orOff(distributionSchema).default(D.function.maxLifetime),
  // docs/sources.md §2: replace an environment at its lifetime end when it was used within this long.
  proactiveReplacement: orOff(durationMs()).default(D.function.proactiveReplacementMs),
  reuse: z.enum(['mru', 'lru']).default(D.function.reuse),
  errors: errorsSchema.prefault(D.function.errorRate),
  // docs/sources.md §3, §7: streamed responses up to 200 MB; bytes beyond the first 6 MB of each are charged.
  responseStreaming: strictObject({
    size: z.union([sizeMb({ min: 0, max: 200, source: 'docs/sources.md §3' }), z.array(sizeMb({ min: 0, max: 200, source: 'docs/sources.md §3' })).min(1)]),
  }).optional(),
  cpu: strictObject({
    share: number({ min: 0, max: 1 }).default(1),
    parallel: z.boolean().default(false),
    measuredAt: sizeMb({ min: 128, max: 10240, integer: true, source: 'docs/sources.md §7' }).optional(),
    measuredOn: z.enum(['x86_64', 'arm64']).optional(),
  }).optional(),
  // docs/sources.md §7 "Architecture and speed": AWS's "up to 19% better performance" on Graviton2 depends on the workload.
  arm64Speed: number({ above: 0, max: 10 }).optional(),
  // docs/sources.md §2 "SnapStart", §7: the restore (free) and the after-restore hooks (billed) replace init.
  snapStart: strictObject({
    restore: distributionSchema,
    hooks: distributionSchema.default({ kind: 'fixed', valueMs: 0 }),
    runtime: z.enum(['java', 'python', 'dotnet']),
  }).optional(),
  // docs/sources.md §1, §11 `pcRecycleIntervalH`: PC environments re-run init "every few hours", billed.
  provisionedRecycle: orOff(positiveDuration).default(D.function.provisionedRecycleMs),
  // docs/sources.md §7: tenant isolation charges each new execution environment.
  tenantIsolation: z.boolean().default(false),
  // docs/sources.md §2 "Phases", §7, §11 `extensionsMode`: the extensions' shutdown phase, billed when an environment ends.
  extensions: extensionsSchema.prefault('none'),
  // docs/sources.md §7: Lambda@Edge prices.
  edge: z.boolean().default(false),
  // docs/sources.md §15 [CWL-LAMBDA]: CloudWatch Logs ingestion of what each invocation logs. Default 0 B, an
  // assumption (lsim cannot know what a handler logs; Lambda's own START/END/REPORT lines are not counted).
  logsPerInvocation: sizeMb({ min: 0, max: 1024, source: 'docs/sources.md §15' }).default(0),
  // Issue 16: what the function sends to other workloads, whom it calls and waits for, and docs/sources.md §8
  // recursive loop detection (PutFunctionRecursionConfig: Terminate by default, or Allow).
  outputs: z.array(outputSchema).optional(),
  calls: z.array(callSchema).optional(),
  recursiveLoop: z.enum(['Terminate', 'Allow']).optional(),
}).superRefine((f, ctx) => {
  // docs/sources.md §1, §2 "SnapStart": not with provisioned concurrency, nor with more than 512 MB of /tmp.
  if (f.snapStart !== undefined && provisionedMax(f.provisionedConcurrency) > 0) {
    ctx.addIssue({ code: 'custom', path: ['snapStart'], message: 'SnapStart cannot be combined with provisioned concurrency (docs/sources.md §1, §2 "SnapStart")', params: { at: 'key' } });
  }
  if (f.snapStart !== undefined && f.ephemeralStorage > 512) {
    ctx.addIssue({ code: 'custom', path: ['snapStart'], message: `SnapStart cannot be combined with more than 512 MB of ephemeral storage (docs/sources.md §2 "SnapStart"); this function has ${f.ephemeralStorage} MB`, params: { at: 'key' } });
  }
  // docs/sources.md §2: a PC init may run at most 130 s or the timeout, whichever is larger; past it the init
  // fails (and is tried again, src/platform/platform.ts). Most inits past it is a function PC cannot serve.
  if (provisionedMax(f.provisionedConcurrency) > 0) {
    const limitMs = pcInitLimitMs(f.timeout);
    const medianMs = makeSampler(f.init).quantile(0.5);
    if (medianMs > limitMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['init'],
        message: `with provisioned concurrency an init may run at most ${limitMs / 1000} s (130 s or the timeout, whichever is larger; docs/sources.md §2), but this init's median is ${+(medianMs / 1000).toFixed(3)} s: most inits would fail`,
      });
    }
  }
  // docs/sources.md §1: PC cannot exceed reserved concurrency.
  if (f.reservedConcurrency !== undefined && provisionedMax(f.provisionedConcurrency) > f.reservedConcurrency) {
    ctx.addIssue({
      code: 'custom',
      path: ['provisionedConcurrency'],
      message: `provisioned concurrency ${provisionedMax(f.provisionedConcurrency)} exceeds the function's reserved concurrency ${f.reservedConcurrency} (docs/sources.md §1)`,
    });
  }
});

// ---------------------------------------------------------------------------
// Workloads

const SHAPE_KEYS = ['poisson', 'constant', 'ramp', 'diurnal'] as const;

/** An arrival segment as written, before its span is resolved against the run. */
export interface SegmentDraft {
  process: 'poisson' | 'constant';
  shape: RateShape;
  span: Span;
}

export const segmentSchema = strictObject({
  poisson: ratePerS().optional(),
  constant: ratePerS().optional(),
  ramp: strictObject({ from: ratePerS(), to: ratePerS() }).optional(),
  diurnal: strictObject({
    mean: ratePerS(),
    amplitude: number({ min: 0, max: 1 }),
    period: positiveDuration.default(D.diurnal.periodMs),
    peak: timeOfDayMs().default(D.diurnal.peakAtMs),
  }).optional(),
  process: z.enum(['poisson', 'constant']).optional(),
  ...spanShape,
}).transform((s, ctx): SegmentDraft => {
  const shapes = SHAPE_KEYS.filter((k) => s[k] !== undefined);
  if (shapes.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a segment needs exactly one of ${SHAPE_KEYS.join(', ')}; got ${shapes.length ? shapes.join(', ') : 'none'}`,
    });
    return z.NEVER;
  }
  if (s.process !== undefined && (s.poisson !== undefined || s.constant !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['process'], message: '"process" goes only with ramp or diurnal', params: { at: 'key' } });
  }
  const span = toSpan(s, ctx);
  const process = s.process ?? 'poisson';
  if (s.poisson !== undefined) return { process: 'poisson', shape: { kind: 'constant', ratePerS: s.poisson }, span };
  if (s.constant !== undefined) return { process: 'constant', shape: { kind: 'constant', ratePerS: s.constant }, span };
  if (s.ramp !== undefined) return { process, shape: { kind: 'ramp', fromPerS: s.ramp.from, toPerS: s.ramp.to }, span };
  const d = s.diurnal!;
  return { process, shape: { kind: 'diurnal', meanPerS: d.mean, amplitude: d.amplitude, periodMs: d.period, peakAtMs: d.peak }, span };
});

/** A `{ trace: ... }` entry of `arrivals`; the loader parses the block (src/models/sync/trace-block.ts). */
export interface TraceDraft {
  trace: unknown;
}

/** One entry of `arrivals`: a segment, or a trace source. */
const arrivalEntry = z.unknown().transform((v, ctx): SegmentDraft | TraceDraft => {
  if (!(isMap(v) && 'trace' in v)) return delegate(segmentSchema, v, ctx);
  for (const key of Object.keys(v)) {
    if (key !== 'trace') ctx.addIssue({ code: 'custom', path: [key], message: `a trace entry has only the key "trace"; put "${key}" inside it or in another entry`, params: { at: 'key' } });
  }
  return { trace: v.trace };
});

/**
 * `arrivals`: one segment (or trace source) or a non-empty list of them. A workload fed only by other
 * functions' outputs (issue 16) has none; the loader requires them of every other workload.
 */
const arrivalsSchema = z.unknown().transform((v, ctx): (SegmentDraft | TraceDraft)[] => {
  return Array.isArray(v) ? delegate(z.array(arrivalEntry).min(1), v, ctx) : [delegate(arrivalEntry, v, ctx)];
});

/** Retry modes of the SDK clients (docs/sources.md §3; src/models/client.ts). */
export const RETRY_MODES = ['none', 'legacy', 'standard', 'standard-2026', 'adaptive'] as const;

/** The SDK clients of a workload's callers (docs/sources.md §3, §11 "Sync invocation and clients"). */
export const clientSchema = strictObject({
  retries: z.enum(RETRY_MODES).default(D.client.retryMode),
  maxAttempts: count(1).optional(),
  baseDelay: positiveDuration.optional(),
  maxBackoff: positiveDuration.default(D.client.maxBackoffMs),
  timeout: orOff(positiveDuration).default(D.client.timeoutMs),
  clients: count(1, 1_000_000).default(D.client.clients),
  retryQuota: orOff(count(0)).optional(),
}).transform((c, ctx): ClientSpec => {
  const quota = c.retries === 'none' || c.retries === 'legacy' ? null : c.retryQuota === undefined ? D.client.retryQuota : c.retryQuota;
  if ((c.retries === 'none' || c.retries === 'legacy') && typeof c.retryQuota === 'number') {
    ctx.addIssue({ code: 'custom', path: ['retryQuota'], message: `the ${c.retries} retry mode has no retry quota (docs/sources.md §3); remove it or use standard, standard-2026 or adaptive` });
  }
  const baseDelayMs = c.baseDelay ?? D.client.baseDelayMs;
  return {
    retryMode: c.retries,
    maxAttempts: c.maxAttempts ?? (c.retries === 'legacy' ? D.client.legacyMaxAttempts : D.client.maxAttempts),
    baseDelayMs,
    transientBaseDelayMs: c.retries === 'standard-2026' && c.baseDelay === undefined ? D.client.transientBaseDelay2026Ms : baseDelayMs,
    maxBackoffMs: c.maxBackoff,
    timeoutMs: c.timeout,
    clients: c.clients,
    retryQuota: quota,
  };
});

/**
 * One entry of `workloads`: what every invocation model shares. `invoke` names the model
 * (src/models/index.ts) and each model's block (`sqs:`, `async:`, `stream:`) is kept as written here
 * for the model to parse (src/models/<model>/block.ts), so its problems are located under it.
 */
export const workloadSchema = strictObject({
  name: z.string().min(1).optional(),
  function: z.string().min(1),
  invoke: z.enum(MODEL_NAMES as [string, ...string[]]).default('sync'),
  ...Object.fromEntries(MODELS.flatMap((m) => (m.block ? [[m.block.key, z.unknown().optional()]] : []))),
  arrivals: arrivalsSchema.optional(),
  client: clientSchema.prefault({}),
});

// ---------------------------------------------------------------------------
// Account, billing, report and the document

/** A scaling spec whose legacy burst may still depend on the Region. */
type ScalingDraft = Exclude<ScalingSpec, { model: 'regional-burst-legacy' }> | { model: 'regional-burst-legacy'; burstEnvs?: number; ratePerMin: number };

const perFunctionScaling = strictObject({
  model: z.enum(scalingModels),
  step: count(1).default(D.perFunctionScaling.stepEnvs),
  window: positiveDuration.default(D.perFunctionScaling.windowMs),
  refill: z.enum(['continuous', 'stepwise']).default(D.perFunctionScaling.refill),
}).transform((s): ScalingDraft => ({ model: 'per-function-2023', stepEnvs: s.step, windowMs: s.window, refill: s.refill }));

const legacyScaling = strictObject({
  model: z.enum(scalingModels),
  burst: count(1).optional(),
  rate: ratePerS().optional(),
}).transform(
  (s): ScalingDraft => ({
    model: 'regional-burst-legacy',
    burstEnvs: s.burst,
    // toPrecision drops the float noise of per-second → per-minute ("500/min" → 500, not 500.00000000000006).
    ratePerMin: s.rate === undefined ? D.legacyRatePerMin : Number((s.rate * 60).toPrecision(12)),
  }),
);

/** `scaling`: a model name, or a map with `model` and that model's parameters. */
const scalingSchema = accepts(
  z.unknown().transform((v, ctx): ScalingDraft => {
    const raw = isMap(v) ? v : { model: v };
    return delegate(raw.model === 'regional-burst-legacy' ? legacyScaling : perFunctionScaling, raw, ctx, isMap(v) ? [] : ['model']);
  }),
  (walk) => ({ anyOf: [{ enum: [...scalingModels] }, walk(perFunctionScaling), walk(legacyScaling)] }),
);

/** The `account` block, fully resolved. */
export const accountSchema = strictObject({
  // docs/sources.md §1: soft quota, default 1,000; this tool accepts up to 1,000,000.
  concurrency: count(1, 1_000_000).default(D.account.concurrencyLimit),
  region: z.string().min(1).default(D.account.region),
  requestRateFactor: number({ above: 0 }).default(D.account.requestRateFactor),
  // docs/sources.md §1: 10 × reserved (or allocated provisioned) concurrency per function; `off` lifts the cap.
  functionRequestRateFactor: orOff(number({ above: 0 })).default(D.account.functionRequestRateFactor),
  scaling: scalingSchema.prefault(D.account.scalingModel),
  pcAllocation: z.enum(pcAllocationModels).default(D.account.pcAllocation),
  // docs/sources.md §9 "async payload": default the rule of the price book's date (resolved by the loader).
  asyncPayloadLimit: z.enum(['1mb-2025', '256kb-legacy']).optional(),
}).transform((a) => ({
  concurrencyLimit: a.concurrency,
  unreservedMinimum: D.account.unreservedMinimum,
  requestRateFactor: a.requestRateFactor,
  functionRequestRateFactor: a.functionRequestRateFactor,
  region: a.region,
  scaling:
    a.scaling.model === 'regional-burst-legacy'
      ? { ...a.scaling, burstEnvs: a.scaling.burstEnvs ?? legacyBurstForRegion(a.region) }
      : a.scaling,
  pcAllocation: a.pcAllocation,
  asyncPayloadLimit: a.asyncPayloadLimit ?? null,
}));

/** The `billing` block (docs/sources.md §7, §9). */
/** `freeTier: true|false` or per allowance (docs/sources.md §7, §10 item 10). */
const freeTierSchema = z.union([
  z.boolean().transform((on) => ({ requests: on, compute: on, provisionedFunctions: false, streaming: false, services: on })),
  strictObject({
    requests: z.boolean().default(true),
    // docs/billing.md "The rest of the bill": the other services' never-expiring allowances (SQS 1 M requests, …);
    // default: as `requests`.
    services: z.boolean().optional(),
    compute: z.boolean().default(true),
    // The 100 GiB of streaming a month; off by default as in AWS's streaming example (docs/sources.md §7).
    streaming: z.boolean().default(false),
    // The pricing page: no free tier for functions with provisioned concurrency; AWS's PC example applies it.
    provisionedFunctions: z.boolean().default(false),
  }),
]);

/** `2/day`, `1/weekday`, `8/weekend-day`, `60/month`, or a number (per month). */
const timesSchema = accepts(
  z.unknown().transform((v, ctx): { count: number; unit: OccurrenceUnit } => {
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { count: v, unit: 'month' };
    const m = typeof v === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*\/\s*([a-z-]+)\s*$/.exec(v) : null;
    if (m && (OCCURRENCE_UNITS as readonly string[]).includes(m[2])) return { count: Number(m[1]), unit: m[2] as OccurrenceUnit };
    ctx.addIssue({ code: 'custom', message: `how often the part happens: a count per ${OCCURRENCE_UNITS.join(', ')} ("2/day", "1/weekday") or a number a month; got ${describeValue(v)}` });
    return z.NEVER;
  }),
  { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: `^\\s*\\d+(\\.\\d+)?\\s*/\\s*(${OCCURRENCE_UNITS.join('|')})\\s*$` }] },
);

/** A part of the month: a span of the measured window and how often it happens. */
const monthPartSchema = strictObject({
  name: z.string().min(1).optional(),
  ...spanShape,
  times: timesSchema,
}).transform((p, ctx) => ({ name: p.name, span: toSpan(p, ctx), ...p.times }));

/** `YYYY-MM`. */
const yearMonth = z.string().refine((v) => calendarMonth(v) !== undefined, 'a month is written YYYY-MM, e.g. 2026-03');

/** The `billing.month` block; the loader resolves the parts against the measured window. */
const monthSchema = strictObject({
  // docs/billing.md "The month": a calendar month has 28–31 days.
  days: number({ min: 28, max: 31, integer: true, what: 'days' }).optional(),
  of: yearMonth.optional(),
  repeat: number({ above: 0 }).optional(),
  parts: z.array(monthPartSchema).optional(),
}).superRefine((m, ctx) => {
  if (m.days !== undefined && m.of !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['days'], message: `give "days" or "of", not both (${m.of} has its own length)`, params: { at: 'key' } });
  }
  if (m.repeat !== undefined && m.parts !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['repeat'], message: '"repeat" makes the month copies of the whole window; it does not go with "parts"', params: { at: 'key' } });
  }
});

/**
 * The `billing` block. Price overrides (`prices`) are checked against the price
 * book by the loader, which locates each problem under `billing.prices`. The
 * granularity and INIT rule default to those in force at the price book's date.
 */
export const billingSchema = strictObject({
  // docs/sources.md §7, §9: 1 ms since 2020-12-01, 100 ms before; no other granularity ever existed.
  granularity: positiveDuration.refine((ms) => ms === 1 || ms === 100, 'must be 1ms (since 2020-12-01) or 100ms (before)').optional(),
  init: z.enum(['billed-2025', 'unbilled-zip-managed-legacy']).optional(),
  // Default: the book of account.region.
  priceBook: z.enum(Object.keys(PRICE_BOOKS) as [string, ...string[]]).optional(),
  // docs/sources.md §11 `applyFreeTier`: default true.
  freeTier: freeTierSchema.prefault(true),
  /** A Compute Savings Plan (or other discount) in percent, on duration and provisioned concurrency. */
  savingsPlan: number({ min: 0, max: 100 }).default(0),
  prices: z.record(z.string(), z.unknown()).optional(),
  /** Flat prices of the other services' items (docs/billing.md "The rest of the bill"), USD per each item's unit. */
  servicePrices: z.record(z.string(), z.unknown()).optional(),
  month: monthSchema.prefault({}),
});

/** The `report` block; the default interval depends on the duration and is chosen by the loader. */
export const reportSchema = strictObject({ interval: positiveDuration.optional() });

/**
 * The top-level keys of a scenario. The loader parses each key on its own so
 * that one bad section does not hide the problems of the others; `functions`
 * and `workloads` entries are parsed with {@link functionSchema} and
 * {@link workloadSchema}.
 */
export const rootShape = {
  name: z.string().min(1).optional(),
  description: z.string().default(D.description),
  seed: z
    .union([z.number(), z.string()], { error: (iss) => (iss.input === undefined ? undefined : 'expected a number or a string') })
    .transform(String)
    .default(D.seed),
  duration: positiveDuration,
  warmup: durationMs().default(D.warmupMs),
  account: accountSchema.prefault({}),
  billing: billingSchema.prefault({}),
  functions: z.record(z.string(), z.unknown()).refine((m) => Object.keys(m).length > 0, 'must define at least one function'),
  workloads: z.array(z.unknown()).min(1, 'must define at least one workload'),
  report: reportSchema.prefault({}),
};
