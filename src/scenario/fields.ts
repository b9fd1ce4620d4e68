/**
 * The field types a scenario is written in, shared by every part of its schema
 * (src/scenario/schema.ts) and by the invocation models' own blocks
 * (src/models/<model>/block.ts): messages, quantities with units and bounds,
 * spans, distributions and presets. Leaves resolve units as they parse (durations
 * to ms, sizes to MB, rates to per second).
 *
 * Parse with {@link parseValue}: it installs the error map that words every
 * message for the user.
 */
import { z } from 'zod';
import type { CountSpec, DistributionSpec, KeepAliveSpec } from './types.js';
import { formatDuration, MAX_DURATION_MS, parseDurationMs, parseRatePerS, parseSizeMb, parseTimeOfDayMs, UNIT_PATTERNS, type Parsed } from './units.js';
import { initPresets, keepAlivePresets, lognormalFromMean, lognormalFromQuantile, Z_99 } from './presets.js';


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
export function describeValue(input: unknown): string {
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
  // jitless: zod would otherwise compile a fast path for each object schema (new Function) the first time
  // it parses one; for the one document a run parses that costs more than it saves (about 4 ms of start-up, issue 21).
  return schema.safeParse(value, { error: errorMap(path), jitless: true });
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
export function present(value: unknown, ctx: Ctx): boolean {
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
  /**
   * A duration AWS sets as a whole number of seconds: the name of its API parameter (e.g.
   * "MaximumBatchingWindowInSeconds"); a value in ms that is not a multiple of 1,000 is refused.
   */
  wholeSeconds?: string;
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
  if (ok) {
    if (bounds.wholeSeconds === undefined || value % 1000 === 0) return undefined;
    return `must be a whole number of seconds: AWS sets ${bounds.wholeSeconds} in seconds${bounds.source ? ` (${bounds.source})` : ''}, got ${format(value)}`;
  }
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

export const spanShape = {
  at: timeOfDayMs().default(0),
  for: durationMs().optional(),
  until: timeOfDayMs().optional(),
};

/** Checks that a span does not give both `for` and `until`, and names its fields. */
export function toSpan(value: { at: number; for?: number; until?: number }, ctx: Ctx): Span {
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

// ---------------------------------------------------------------------------
// Counts (how many messages an output sends per item, issue 16)

/** The most one item may emit through one output (a whole number or a distribution's largest value). */
export const MAX_COUNT = 10_000;
const wholeCount = number({ min: 0, max: MAX_COUNT, integer: true, what: 'messages' });

const uniformCount = strictObject({ min: wholeCount, max: wholeCount }).transform((u, ctx): CountSpec => {
  if (u.min > u.max) ctx.addIssue({ code: 'custom', path: ['max'], message: `max must be at least min (${u.min})` });
  return { kind: 'uniform', min: u.min, max: u.max };
});
const countValues = z.array(wholeCount).min(1);
const weightedCounts = strictObject({ values: countValues, weights: z.array(number({ above: 0 })).optional() }).transform((e, ctx): CountSpec => {
  if (e.weights !== undefined && e.weights.length !== e.values.length) {
    ctx.addIssue({ code: 'custom', path: ['weights'], message: `has ${e.weights.length} weights for ${e.values.length} values; give one weight per value` });
  }
  return e.weights === undefined ? { kind: 'empirical', values: e.values } : { kind: 'empirical', values: e.values, weights: e.weights };
});
const empiricalCount = accepts(
  z.unknown().transform((v, ctx): CountSpec => (Array.isArray(v) ? { kind: 'empirical', values: delegate(countValues, v, ctx) } : delegate(weightedCounts, v, ctx))),
  (walk) => ({ anyOf: [walk(countValues), walk(weightedCounts)] }),
);
const countForms: Readonly<Record<string, z.ZodType<CountSpec>>> = {
  bernoulli: probability.transform((p): CountSpec => ({ kind: 'bernoulli', p })),
  // Poisson draws search the CDF from 0 (and e^-mean must not underflow): means are kept to 100.
  poisson: number({ min: 0, max: 100 }).transform((mean): CountSpec => ({ kind: 'poisson', mean })),
  uniform: uniformCount,
  empirical: empiricalCount,
};
const COUNT_FORMS = Object.keys(countForms);
const fixedCount = wholeCount.transform((n): CountSpec => ({ kind: 'fixed', n }));

/**
 * A count per item: a whole number, or a map with exactly one of bernoulli (a probability of 1),
 * poisson (a mean), uniform ({ min, max }) or empirical (a list of whole numbers, or { values, weights }).
 */
export const countSchema = accepts(
  z.unknown().transform((v, ctx): CountSpec => {
    if (!isMap(v)) return delegate(fixedCount, v, ctx);
    const keys = Object.keys(v);
    const form = keys.length === 1 ? countForms[keys[0]] : undefined;
    if (form) return delegate(form, v[keys[0]], ctx, [keys[0]]);
    const message =
      keys.length === 1
        ? `unknown count distribution "${keys[0]}"${didYouMean(keys[0], COUNT_FORMS)}; expected one of ${COUNT_FORMS.join(', ')}`
        : `a count is a whole number or a map with exactly one of ${COUNT_FORMS.join(', ')}; got ${keys.length ? keys.join(', ') : 'an empty map'}`;
    ctx.addIssue({ code: 'custom', path: keys.length === 1 ? [keys[0]] : [], message, ...(keys.length === 1 ? { params: { at: 'key' } } : {}) });
    return z.NEVER;
  }),
  (walk) => ({ anyOf: [walk(wholeCount), ...COUNT_FORMS.map((name) => walk(z.object({ [name]: countForms[name] })))] }),
);

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

/** A key path in a scenario document: `['workloads', 0, 'sqs', 'batchSize']`. */
export type Path = readonly PropertyKey[];

/** `functions.api.memory`, `workloads[0].arrivals[1].poisson`; odd keys are quoted: `functions["a.b"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[^.\s[\]"]+$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
