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
import type { ClientSpec, DistributionSpec, KeepAliveSpec, RateShape, ScalingSpec } from './types.js';
import { formatDuration, MAX_DURATION_MS, parseDurationMs, parseRatePerS, parseSizeMb, parseTimeOfDayMs, UNIT_PATTERNS, type Parsed } from './units.js';
import {
  initPresets,
  keepAlivePresets,
  legacyBurstForRegion,
  lognormalFromMean,
  lognormalFromQuantile,
  scalingModels,
  scenarioDefaults as D,
  Z_99,
} from './presets.js';
import { provisionedMax, provisionedSchema } from './provisioned.js';
import { calendarMonth, OCCURRENCE_UNITS, type OccurrenceUnit } from '../billing/month.js';
import { PRICE_BOOKS } from '../billing/pricebook.js';

export type Ctx = z.core.$RefinementCtx<unknown>;

// ---------------------------------------------------------------------------
// Messages

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate nearest to `word`, or undefined when none is near: a
 * case-insensitive edit distance of at most max(2, a third of the word), or a
 * candidate that starts with the word ("fixed-10min" → "fixed-10min-2019").
 */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const distance = lower.length >= 3 && other.startsWith(lower) ? 1 : editDistance(lower, other);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** ` (did you mean "x"?)` for the candidate {@link nearest} to `word`, or ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const best = nearest(word, candidates);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** `unknown key "memroy" (did you mean "memory"?)`, or the list of accepted keys when none is near. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = didYouMean(key, known);
  return `unknown key "${key}"${suggestion || `; expected one of ${known.join(', ')}`}`;
}

/** How a YAML value reads in a message. */
function describeValue(input: unknown): string {
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  if (typeof input === 'string') return JSON.stringify(input);
  return String(input);
}

const EXPECTED: Readonly<Record<string, string>> = {
  number: 'a number',
  int: 'a whole number',
  string: 'a string',
  object: 'a map',
  record: 'a map',
  array: 'a list',
  boolean: 'true or false',
};

function missing(path: readonly PropertyKey[]): string {
  const key = path[path.length - 1];
  return typeof key === 'string' ? `missing required key "${key}"` : 'missing required value';
}

/**
 * Words zod's issues for scenario authors; `prefix` is the path of the parsed
 * value in the document. Schemas give their own messages where they know better.
 */
const errorMap = (prefix: readonly PropertyKey[]): z.core.$ZodErrorMap => (iss) => {
  if (iss.input === undefined && (iss.code === 'invalid_type' || iss.code === 'invalid_value')) {
    return missing([...prefix, ...(iss.path ?? [])]);
  }
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${EXPECTED[iss.expected] ?? iss.expected}, got ${describeValue(iss.input)}`;
    case 'invalid_value': {
      const values = iss.values.map(String);
      const hint = typeof iss.input === 'string' ? didYouMean(iss.input, values) : '';
      return `${describeValue(iss.input)} is not one of ${values.join(', ')}${hint}`;
    }
    case 'too_small':
      return iss.origin === 'array' || iss.origin === 'string'
        ? `must not be empty`
        : `must be ${iss.inclusive ? 'at least' : 'greater than'} ${String(iss.minimum)}, got ${describeValue(iss.input)}`;
    case 'too_big':
      return `must be ${iss.inclusive ? 'at most' : 'less than'} ${String(iss.maximum)}, got ${describeValue(iss.input)}`;
    default:
      return undefined;
  }
};

/** Parses `value`, found at `path` in the document, with `schema`, worded by the scenario error map. */
export function parseValue<T extends z.ZodType>(
  schema: T,
  value: unknown,
  path: readonly PropertyKey[] = [],
): z.ZodSafeParseResult<z.output<T>> {
  return schema.safeParse(value, { error: errorMap(path) });
}

/**
 * Parses `value` with `schema` inside a transform and re-raises its issues under
 * `prefix`, so a value with several possible forms is checked against the one
 * it chose and its problems keep their paths.
 */
export function delegate<T extends z.ZodType>(schema: T, value: unknown, ctx: Ctx, prefix: PropertyKey[] = []): z.output<T> {
  const result = parseValue(schema, value);
  if (result.success) return result.data;
  for (const iss of result.error.issues) {
    ctx.issues.push({ ...iss, path: [...prefix, ...iss.path], input: value } as z.core.$ZodRawIssue);
  }
  return z.NEVER;
}

/** Raises "missing required key" for an absent value; true when present. */
function present(value: unknown, ctx: Ctx): boolean {
  if (value !== undefined) return true;
  ctx.addIssue({ code: 'invalid_type', expected: 'string', input: undefined });
  return false;
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A map that accepts only the keys of `shape`; every other key is reported at
 * the key itself, with a near-miss suggestion. The check runs even when a
 * value is invalid, so unknown keys are never hidden by other problems.
 */
export function strictObject<S extends z.core.$ZodLooseShape>(shape: S) {
  const known = Object.keys(shape);
  return z.looseObject(shape).superRefine(
    (value, ctx) => {
      if (!isMap(value)) return;
      for (const key of Object.keys(value)) {
        if (!known.includes(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: unknownKeyMessage(key, known), params: { at: 'key' } });
        }
      }
    },
    { when: () => true },
  );
}

// ---------------------------------------------------------------------------
// What a transform accepts, for `lsim schema` (src/scenario/json-schema.ts)

/** A JSON Schema (draft-07) node. */
export type JsonSchema = { [key: string]: unknown };
/** The JSON Schema of what a schema accepts, given the walker for the schemas inside it. */
export type InputJson = (walk: (schema: z.ZodType) => JsonSchema) => JsonSchema;

/**
 * What the transforms accept whose input zod cannot see (`z.unknown().transform`):
 * the JSON Schema walker reads it for the schema or the schema it was cloned from.
 */
export const inputJson = new WeakMap<z.ZodType, InputJson>();

/** Records what `schema` accepts, as a JSON Schema or a function of the walker; returns the schema. */
export function accepts<T extends z.ZodType>(schema: T, json: JsonSchema | InputJson): T {
  inputJson.set(schema, typeof json === 'function' ? json : () => json);
  return schema;
}

// ---------------------------------------------------------------------------
// Numbers and quantities

/** Bounds of a quantity, in its resolved unit. */
export interface Bounds {
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  max?: number;
  integer?: boolean;
  /** Where the range comes from, e.g. "docs/sources.md §3". */
  source?: string;
  /** How values appear in the message, when not in the quantity's usual format. */
  format?: (v: number) => string;
}

/** The range of `bounds` in words, or undefined when `value` lies in it. */
function outOfRange(value: number, bounds: Bounds, defaultFormat: (v: number) => string, noun: string): string | undefined {
  const { min, above, max, integer } = bounds;
  const format = bounds.format ?? defaultFormat;
  const ok =
    (min === undefined || value >= min) &&
    (above === undefined || value > above) &&
    (max === undefined || value <= max) &&
    (!integer || Number.isInteger(value));
  if (ok) return undefined;
  const whole = integer ? `a whole number of ${noun} ` : '';
  let range: string;
  if (min !== undefined && max !== undefined) range = `from ${format(min)} to ${format(max)}`;
  else if (above !== undefined) range = `greater than ${format(above)}`;
  else if (min !== undefined) range = `at least ${format(min)}`;
  else range = `at most ${format(max ?? Infinity)}`;
  return `must be ${whole}${range}${bounds.source ? ` (${bounds.source})` : ''}, got ${format(value)}`;
}

/** A value with a unit, parsed by `parse` and checked against `bounds`; a string matching `pattern` in JSON Schema. */
function quantity(parse: (v: unknown) => Parsed, format: (v: number) => string, noun: string, bounds: Bounds, pattern: string) {
  const schema = z.unknown().transform((input, ctx) => {
    if (!present(input, ctx)) return z.NEVER;
    const parsed = parse(input);
    const problem = parsed.ok ? outOfRange(parsed.value, bounds, format, noun) : parsed.error;
    if (problem === undefined && parsed.ok) return parsed.value;
    ctx.addIssue({ code: 'custom', message: problem ?? 'invalid value' });
    return z.NEVER;
  });
  return accepts(schema, { type: 'string', pattern });
}

/** A duration such as "10s" or "8h30m", in ms (default bounds: ≥ 0). */
export const durationMs = (bounds: Bounds = {}) => quantity(parseDurationMs, formatDuration, 'ms', bounds, UNIT_PATTERNS.duration);
/** An instant in a schedule: a duration from the start, or a clock time ("08:15") from the midnight the run starts at; in ms. */
export const timeOfDayMs = (bounds: Bounds = {}) => quantity(parseTimeOfDayMs, formatDuration, 'ms', bounds, UNIT_PATTERNS.timeOfDay);
/** A size such as "1769MB", in MB. */
export const sizeMb = (bounds: Bounds = {}) => quantity(parseSizeMb, (mb) => `${mb}MB`, 'MB', bounds, UNIT_PATTERNS.size);
/** A rate such as "200/s", per second. */
export const ratePerS = (bounds: Bounds = {}) => quantity(parseRatePerS, (r) => `${r}/s`, 'events per second', bounds, UNIT_PATTERNS.rate);

/** A plain number checked against `bounds` (for counts, factors and probabilities). */
export function number(bounds: Bounds & { what?: string } = {}) {
  const noun = bounds.what ?? 'units';
  const schema = z.unknown().transform((input, ctx) => {
    if (!present(input, ctx)) return z.NEVER;
    const problem =
      typeof input !== 'number' || !Number.isFinite(input)
        ? `expected ${bounds.integer ? 'a whole number' : 'a number'}, got ${describeValue(input)}`
        : outOfRange(input, bounds, String, noun);
    if (problem === undefined) return input as number;
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });
  const { min, above, max, integer } = bounds;
  return accepts(schema, {
    type: integer ? 'integer' : 'number',
    ...(min === undefined ? {} : { minimum: min }),
    ...(above === undefined ? {} : { exclusiveMinimum: above }),
    ...(max === undefined ? {} : { maximum: max }),
  });
}

/** A whole count ≥ min (and ≤ max). */
export const count = (min: number, max?: number, source?: string) => number({ min, max, integer: true, source });

/** A probability in [0, 1]. */
export const probability = number({ min: 0, max: 1 });

/** A value or the string "off" (→ null). */
export function orOff<T extends z.ZodType>(schema: T) {
  return accepts(
    z.unknown().transform((input, ctx): z.output<T> | null => (input === 'off' ? null : delegate(schema, input, ctx))),
    (walk) => ({ anyOf: [walk(schema), { const: 'off' }] }),
  );
}

// ---------------------------------------------------------------------------
// Distributions

/** A start and an optional end, as written: `at` (default 0s) and `for` or `until` (not both). */
export interface Span {
  atMs: number;
  forMs?: number;
  untilMs?: number;
}

const spanShape = {
  at: timeOfDayMs().default(0),
  for: durationMs().optional(),
  until: timeOfDayMs().optional(),
};

/** Checks that a span does not give both `for` and `until`, and names its fields. */
function toSpan(value: { at: number; for?: number; until?: number }, ctx: Ctx): Span {
  if (value.for !== undefined && value.until !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['until'], message: 'give either "for" or "until", not both', params: { at: 'key' } });
  }
  return { atMs: value.at, forMs: value.for, untilMs: value.until };
}

export const positiveDuration = durationMs({ above: 0 });

const fixedForm = durationMs().transform((valueMs): DistributionSpec => ({ kind: 'fixed', valueMs }));

const exponentialMap = strictObject({ mean: positiveDuration });

const exponentialForm = accepts(
  z.unknown().transform(
    (v, ctx): DistributionSpec => ({
      kind: 'exponential',
      meanMs: isMap(v) ? delegate(exponentialMap, v, ctx).mean : delegate(positiveDuration, v, ctx),
    }),
  ),
  (walk) => ({ anyOf: [walk(positiveDuration), walk(exponentialMap)] }),
);

const uniformForm = strictObject({ min: durationMs(), max: durationMs() }).transform((u, ctx): DistributionSpec => {
  if (u.min >= u.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `max must be greater than min (${formatDuration(u.min)})` });
  return { kind: 'uniform', minMs: u.min, maxMs: u.max };
});

const normalForm = strictObject({
  mean: durationMs(),
  sd: durationMs(),
  min: durationMs().default(0),
  max: durationMs().default(Infinity),
}).transform((n, ctx): DistributionSpec => {
  if (n.min >= n.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `max must be greater than min (${formatDuration(n.min)})` });
  return { kind: 'normal', meanMs: n.mean, sdMs: n.sd, minMs: n.min, maxMs: n.max };
});

const lognormalMedianForm = strictObject({ median: positiveDuration, p99: positiveDuration }).transform(
  (l, ctx): DistributionSpec => {
    if (l.p99 <= l.median) {
      ctx.addIssue({ code: 'custom', path: ['p99'], message: `p99 must be greater than the median (${formatDuration(l.median)})` });
    }
    return saneLognormal(lognormalFromQuantile(l.median, l.p99, Z_99), ctx, 'p99');
  },
);

const lognormalMeanForm = strictObject({ mean: positiveDuration, sigma: number({ min: 0 }) }).transform(
  (l, ctx): DistributionSpec => saneLognormal(lognormalFromMean(l.mean, l.sigma), ctx, 'sigma'),
);

/**
 * A lognormal whose parameters are finite and whose mean and 99.9th percentile stay within the
 * longest duration lsim accepts (a sigma of 1e300 would overflow every draw); the problem is put at `key`.
 */
function saneLognormal(d: DistributionSpec & { kind: 'lognormal' }, ctx: Ctx, key: string): DistributionSpec {
  const p999 = Math.exp(d.mu + 3.090232 * d.sigma);
  const mean = Math.exp(d.mu + (d.sigma * d.sigma) / 2);
  if (!Number.isFinite(d.mu) || !Number.isFinite(d.sigma) || !(p999 <= MAX_DURATION_MS) || !(mean <= MAX_DURATION_MS)) {
    ctx.addIssue({ code: 'custom', path: [key], message: `makes a lognormal whose mean or 99.9th percentile is longer than any duration lsim accepts (100 years): its sigma (${d.sigma.toPrecision(3)}) is too large` });
  }
  return d;
}

const lognormalForm = accepts(
  z.unknown().transform((v, ctx): DistributionSpec => {
    if (isMap(v) && 'median' in v) return delegate(lognormalMedianForm, v, ctx);
    if (isMap(v) && ('mean' in v || 'sigma' in v)) return delegate(lognormalMeanForm, v, ctx);
    ctx.addIssue({ code: 'custom', message: 'lognormal needs { median, p99 } or { mean, sigma }, e.g. { median: 120ms, p99: 900ms }' });
    return z.NEVER;
  }),
  (walk) => ({ anyOf: [walk(lognormalMedianForm), walk(lognormalMeanForm)] }),
);

const empiricalValues = z.array(durationMs()).min(1);

const weightedEmpirical = strictObject({
  values: empiricalValues,
  weights: z.array(number({ above: 0 })).optional(),
}).transform((e, ctx): DistributionSpec => {
  if (e.weights !== undefined && e.weights.length !== e.values.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['weights'],
      message: `has ${e.weights.length} weights for ${e.values.length} values; give one weight per value`,
    });
  }
  return e.weights === undefined ? { kind: 'empirical', valuesMs: e.values } : { kind: 'empirical', valuesMs: e.values, weights: e.weights };
});

const empiricalForm = accepts(
  z.unknown().transform(
    (v, ctx): DistributionSpec =>
      Array.isArray(v) ? { kind: 'empirical', valuesMs: delegate(empiricalValues, v, ctx) } : delegate(weightedEmpirical, v, ctx),
  ),
  (walk) => ({ anyOf: [walk(empiricalValues), walk(weightedEmpirical)] }),
);

/** One point of a cumulative curve: `[duration, cumulative probability]`. */
const cdfTime = durationMs();
const cdfPoint = accepts(
  z.unknown().transform((v, ctx): [number, number] => {
    if (!Array.isArray(v) || v.length !== 2) {
      ctx.addIssue({ code: 'custom', message: `a point is [duration, cumulative probability], e.g. [5m, 0.3]; got ${describeValue(v)}` });
      return z.NEVER;
    }
    return [delegate(cdfTime, v[0], ctx, [0]), delegate(probability, v[1], ctx, [1])];
  }),
  (walk) => ({ type: 'array', items: [walk(cdfTime), { type: 'number', minimum: 0, maximum: 1 }], minItems: 2, maxItems: 2 }),
);

/**
 * A piecewise-linear cumulative curve, `[[3m, 0], [4m, 0.003], ..., [7m, 1]]`: times strictly
 * increasing, cumulative values non-decreasing from exactly 0 at the first point to exactly 1 at the last.
 */
const cdfForm = z
  .array(cdfPoint)
  .min(2, 'needs at least two points, from cumulative 0 to cumulative 1')
  .transform((points, ctx): DistributionSpec => {
    const last = points.length - 1;
    points.forEach(([x, c], i) => {
      if (i > 0 && !(x > points[i - 1][0])) {
        ctx.addIssue({ code: 'custom', path: [i, 0], message: `must be later than the previous point (${formatDuration(points[i - 1][0])})` });
      }
      if (i > 0 && c < points[i - 1][1]) {
        ctx.addIssue({ code: 'custom', path: [i, 1], message: `a cumulative probability must not decrease; the previous point has ${points[i - 1][1]}` });
      }
    });
    if (points[0][1] !== 0) ctx.addIssue({ code: 'custom', path: [0, 1], message: `the curve must start at 0 (no values below the first point), got ${points[0][1]}` });
    if (points[last][1] !== 1) ctx.addIssue({ code: 'custom', path: [last, 1], message: `the curve must end at exactly 1 (no values above the last point), got ${points[last][1]}` });
    return { kind: 'cdf', pointsMs: points.map((p) => p[0]), cumulative: points.map((p) => p[1]) };
  });

const distributionForms: Readonly<Record<string, z.ZodType<DistributionSpec>>> = {
  fixed: fixedForm,
  exponential: exponentialForm,
  uniform: uniformForm,
  normal: normalForm,
  lognormal: lognormalForm,
  empirical: empiricalForm,
  cdf: cdfForm,
};
const FORM_NAMES = Object.keys(distributionForms);

/**
 * A duration distribution (values in ms): a duration string (fixed) or a map
 * with exactly one of fixed, exponential, uniform, normal, lognormal, empirical, cdf.
 */
export const distributionSchema = z.unknown().transform((v, ctx): DistributionSpec => {
  if (!present(v, ctx)) return z.NEVER;
  if (!isMap(v)) return delegate(fixedForm, v, ctx);
  const keys = Object.keys(v);
  if (keys.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `a distribution is a duration or a map with exactly one of ${FORM_NAMES.join(', ')}; got ${keys.length ? keys.join(', ') : 'an empty map'}`,
    });
    return z.NEVER;
  }
  const form = distributionForms[keys[0]];
  if (form) return delegate(form, v[keys[0]], ctx, [keys[0]]);
  ctx.addIssue({
    code: 'custom',
    path: [keys[0]],
    message: `unknown distribution "${keys[0]}"${didYouMean(keys[0], FORM_NAMES)}; expected one of ${FORM_NAMES.join(', ')}`,
    params: { at: 'key' },
  });
  return z.NEVER;
});
accepts(distributionSchema, (walk) => ({
  anyOf: [walk(fixedForm), ...FORM_NAMES.map((name) => walk(z.object({ [name]: distributionForms[name] })))],
}));

/**
 * A string that names a preset or else is parsed by `fallback`; an unknown name
 * that is not a valid fallback either gets a message listing the presets.
 */
function presetOr<T>(what: string, presets: readonly string[], fromPreset: (name: string) => T, fallback: z.ZodType<T>) {
  const schema = z.unknown().transform((v, ctx): T => {
    if (typeof v === 'string' && presets.includes(v)) return fromPreset(v);
    if (typeof v === 'string' && !parseDurationMs(v).ok) {
      ctx.addIssue({
        code: 'custom',
        message: `"${v}" is neither ${what} (${presets.join(', ')}) nor a duration like "10m"${didYouMean(v, presets)}`,
      });
      return z.NEVER;
    }
    return delegate(fallback, v, ctx);
  });
  return accepts(schema, (walk) => ({ anyOf: [{ enum: [...presets] }, walk(fallback)] }));
}

/** The init (cold start) duration: a runtime preset name or a distribution. */
export const initSchema = presetOr('a runtime preset', Object.keys(initPresets), (name) => initPresets[name], distributionSchema);

/** Keep-alive: a preset name, a duration (fixed) or a distribution, with the preset it came from. */
export const keepAliveSchema = presetOr(
  'a keep-alive preset',
  Object.keys(keepAlivePresets),
  (name) => ({ spec: keepAlivePresets[name], preset: name }),
  distributionSchema.transform((dist): { spec: KeepAliveSpec; preset: string } => ({
    spec: dist.kind === 'fixed' ? { kind: 'fixed', ms: dist.valueMs } : { kind: 'distribution', dist },
    preset: 'custom',
  })),
);

// ---------------------------------------------------------------------------
// Functions

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
  // docs/sources.md §7: Lambda@Edge prices.
  edge: z.boolean().default(false),
}).superRefine((f, ctx) => {
  // docs/sources.md §1, §2 "SnapStart": not with provisioned concurrency, nor with more than 512 MB of /tmp.
  if (f.snapStart !== undefined && provisionedMax(f.provisionedConcurrency) > 0) {
    ctx.addIssue({ code: 'custom', path: ['snapStart'], message: 'SnapStart cannot be combined with provisioned concurrency (docs/sources.md §1, §2 "SnapStart")', params: { at: 'key' } });
  }
  if (f.snapStart !== undefined && f.ephemeralStorage > 512) {
    ctx.addIssue({ code: 'custom', path: ['snapStart'], message: `SnapStart cannot be combined with more than 512 MB of ephemeral storage (docs/sources.md §2 "SnapStart"); this function has ${f.ephemeralStorage} MB`, params: { at: 'key' } });
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

/** `arrivals`: one segment (or trace source) or a non-empty list of them. */
const arrivalsSchema = z.unknown().transform((v, ctx): (SegmentDraft | TraceDraft)[] => {
  if (!present(v, ctx)) return z.NEVER;
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
 * One entry of `workloads`. Only `invoke: sync` exists so far; another kind
 * becomes another value of `invoke` with its own options beside `client`.
 */
export const workloadSchema = strictObject({
  name: z.string().min(1).optional(),
  function: z.string().min(1),
  invoke: z.enum(['sync', 'sqs', 'async', 'stream']).default('sync'),
  // invoke: sqs — the event source mapping and queue (src/models/sqs/block.ts parses it).
  sqs: z.unknown().optional(),
  // invoke: async — the event invoke configuration (src/models/async/block.ts parses it).
  async: z.unknown().optional(),
  // invoke: stream — Kinesis or DynamoDB Streams mapping (src/models/stream/block.ts parses it).
  stream: z.unknown().optional(),
  arrivals: arrivalsSchema,
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
}));

/** The `billing` block (docs/sources.md §7, §9). */
/** `freeTier: true|false` or per allowance (docs/sources.md §7, §10 item 10). */
const freeTierSchema = z.union([
  z.boolean().transform((on) => ({ requests: on, compute: on, provisionedFunctions: false, streaming: false })),
  strictObject({
    requests: z.boolean().default(true),
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
