/**
 * The JSON Schema (draft-07) of the scenario format, for editors: with
 * yaml-language-server, `# yaml-language-server: $schema=lsim.schema.json`
 * gives completion, hover text and checks of keys, enums and unit syntax.
 *
 * It is made from the zod schemas the loader parses with, so every key, enum
 * and default-or-required rule is theirs: objects give their keys (none other
 * allowed), enums their values, and the transforms whose input zod cannot see
 * say what they accept where they are defined (`accepts` in schema.ts). What
 * the loader parses in a second step (function entries, workloads and their
 * blocks, trace sources) is put in place here. The schema checks the form of
 * values; ranges and rules across keys stay with the loader, which has the last
 * word. Every key has a description ({@link DESCRIPTIONS}, by key path).
 */
import { z } from 'zod';
import { functionSchema, rootShape, segmentSchema, workloadSchema } from './schema.js';
import { distributionSchema, inputJson, type JsonSchema } from './fields.js';
import { MODELS } from '../models/index.js';

/** One entry of `arrivals`: a segment, or a trace source. */
const arrivalEntry = z.union([
  segmentSchema,
  ...MODELS.flatMap((m) => (m.arrivalSource ? [z.object({ [m.arrivalSource.key]: m.arrivalSource.schema })] : [])),
]);

/** Schemas defined once under `definitions` and referred to by name. */
const DEFINED = new Map<z.ZodType, string>([
  [distributionSchema, 'distribution'],
  [arrivalEntry, 'arrival'],
]);

/** What the loader parses after the first pass, in place of the `z.unknown()` that pass keeps. */
const PARSED_LATER = new Map<z.ZodType, z.ZodType>([
  [rootShape.functions, z.record(z.string(), functionSchema)],
  [rootShape.workloads, z.array(workloadSchema).min(1)],
  ...MODELS.flatMap((m): [z.ZodType, z.ZodType][] => (m.block ? [[(workloadSchema.shape as Record<string, z.ZodType>)[m.block.key], m.block.schema.optional()]] : [])),
  [workloadSchema.shape.arrivals, z.union([arrivalEntry, z.array(arrivalEntry).min(1)]).optional()],
]);

const OPTIONAL = new Set(['optional', 'default', 'prefault']);

/** The scenario format as a JSON Schema. @throws Error naming a schema it cannot describe (a bug). */
export function scenarioJsonSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};

  const walk = (schema: z.ZodType, path: string[]): JsonSchema => {
    const later = PARSED_LATER.get(schema);
    if (later) return walk(later, path);
    const name = DEFINED.get(schema);
    if (name === undefined) return describeSchema(schema, path);
    if (!(name in definitions)) definitions[name] = describeSchema(schema, [name]);
    return { $ref: `#/definitions/${name}` };
  };

  const describeSchema = (schema: z.ZodType, path: string[]): JsonSchema => {
    for (let s: z.core.$ZodType | undefined = schema; s; s = s._zod.parent) {
      const accepted = inputJson.get(s as z.ZodType);
      if (accepted) return accepted((inner) => walk(inner, path));
    }
    const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'prefault':
        return walk(def.innerType as z.ZodType, path);
      case 'pipe':
        if ((def.in as z.ZodType)._zod.def.type === 'unknown') throw new Error(`lsim schema: ${path.join('.')}: a transform says nothing of what it accepts`);
        return walk(def.in as z.ZodType, path);
      case 'lazy':
        return walk((def.getter as () => z.ZodType)(), path);
      case 'object':
        return object((schema as z.ZodObject).shape, path);
      case 'record':
        return { type: 'object', additionalProperties: walk(def.valueType as z.ZodType, path) };
      case 'array':
        return { type: 'array', items: walk(def.element as z.ZodType, path), ...lengths(def.checks) };
      case 'union':
        return { anyOf: (def.options as z.ZodType[]).map((o) => walk(o, path)) };
      case 'enum':
        return { enum: (schema as z.ZodEnum).options };
      case 'string':
        return { type: 'string', ...(lengths(def.checks).minItems ? { minLength: 1 } : {}) };
      case 'boolean':
      case 'number':
        return { type: def.type };
      case 'unknown':
        return {};
      default:
        throw new Error(`lsim schema: ${path.join('.')}: no JSON Schema for a zod ${def.type}`);
    }
  };

  const object = (shape: Record<string, z.ZodType>, path: string[]): JsonSchema => {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, value] of Object.entries(shape)) {
      const keyPath = [...path, key];
      const json = walk(value, keyPath);
      const description = DESCRIPTIONS[keyPath.join('.')];
      if (description === undefined) throw new Error(`lsim schema: no description of ${keyPath.join('.')}`);
      // draft-07 ignores the siblings of a $ref.
      properties[key] = json.$ref ? { description, allOf: [json] } : { description, ...json };
      if (!OPTIONAL.has(value._zod.def.type)) required.push(key);
    }
    return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
  };

  const root = object(rootShape, []);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'lsim scenario',
    description: 'A scenario of lsim, the simulator of AWS Lambda: functions and the traffic that invokes them (docs/scenario-reference.md).',
    ...root,
    definitions,
  };
}

/** minItems / maxItems of an array's length checks. */
function lengths(checks: unknown): { minItems?: number; maxItems?: number } {
  const out: { minItems?: number; maxItems?: number } = {};
  for (const c of (checks ?? []) as z.core.$ZodCheck[]) {
    const d = c._zod.def as { check: string; minimum?: number; length?: number };
    if (d.check === 'min_length') out.minItems = d.minimum;
    if (d.check === 'length_equals') [out.minItems, out.maxItems] = [d.length, d.length];
  }
  return out;
}

const SPAN = (what: string) => ({
  at: `When ${what} starts: a duration from the start of the run or a clock time ("08:15"; the run starts at midnight). Default 0s.`,
  for: `How long ${what} lasts (a duration); not with "until". Default: to the end of the run.`,
  until: `When ${what} ends: a duration from the start or a clock time ("17:30"); not with "for". Default: the end of the run.`,
});

const PROVISIONED_COMMON = {
  initial: 'Provisioned concurrency configured and allocated before the run (whole number). Default 0 for a schedule, autoscaling.min for auto scaling.',
  allocationDelay: 'From a configured increase to its environments being usable (a duration). Default 1m (docs/sources.md §1).',
  allocationRate: 'How fast added environments are allocated (a rate, e.g. 6000/min, the default; docs/sources.md §9).',
};

/**
 * Hover text of every key, by its path of keys (map entries and list items add
 * nothing: `functions.memory`, `workloads.sqs.batchSize`; shared definitions
 * start with their name: `distribution.lognormal.median`, `arrival.poisson`).
 * Defaults and ranges as in docs/scenario-reference.md.
 */
export const DESCRIPTIONS: Readonly<Record<string, string>> = {
  // Each invocation model describes its own keys (src/models/<model>/).
  ...Object.assign({}, ...MODELS.map((m) => ({ ...m.block?.descriptions, ...m.descriptions }))),
  name: 'The scenario\'s name in reports. Default: the file name without extension.',
  description: 'One line saying what the scenario asks. Default "".',
  seed: 'Seed of every random stream: the same scenario and seed give byte-identical reports. Default 1.',
  duration: 'How long to simulate, e.g. 10m, 8h30m (required, > 0).',
  warmup: 'Metrics ignore what happens before this (a duration shorter than duration). Default 0s.',
  account: 'The AWS account: concurrency quota, Region, request-rate quotas and the scaling rule.',
  'account.concurrency': 'Account concurrency quota (whole number, 1–1,000,000). Default 1000 (docs/sources.md §1).',
  'account.region': 'The Region: selects the price book (us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, ap-southeast-1, ap-northeast-1, ap-south-1, sa-east-1) and the legacy burst. Default us-east-1.',
  'account.requestRateFactor': 'Requests per second allowed per unit of concurrency quota. Default 10 (docs/sources.md §1).',
  'account.functionRequestRateFactor': 'A function\'s requests per second per unit of its reserved (or allocated provisioned) concurrency, or "off". Default 10 (docs/sources.md §1).',
  'account.scaling': 'The scaling rule: per-function-2023 (default) or regional-burst-legacy, or a map with "model" and its parameters.',
  'account.pcAllocation': 'How PC plans are allocated: 6000-per-min (default; per function, docs/sources.md §9) or legacy-burst-500 (the Region\'s burst, then 500/min, shared by all functions).',
  'account.asyncPayloadLimit': 'The largest async event: 1mb-2025 (since October 2025) or 256kb-legacy (before; docs/sources.md §9). Default: the rule of the price book\'s date.',
  'account.scaling.model': 'per-function-2023 (since 2023-11-26) or regional-burst-legacy (docs/sources.md §1).',
  'account.scaling.step': 'per-function-2023: environments added per window (whole number ≥ 1). Default 1000.',
  'account.scaling.window': 'per-function-2023: the window of each step (a duration > 0). Default 10s.',
  'account.scaling.refill': 'per-function-2023: continuous (default) or stepwise top-up of the allowance.',
  'account.scaling.burst': 'regional-burst-legacy: the initial burst (whole number ≥ 1). Default: by Region (3000, 1000 or 500).',
  'account.scaling.rate': 'regional-burst-legacy: environments added after the burst (a rate). Default 500/min.',
  billing: 'Billing rules and prices: granularity, INIT billing, price book, free tier, Savings Plan, price overrides and the month.',
  'billing.granularity': 'Billed duration is rounded up to this: 1ms (since 2020-12-01) or 100ms (before). Default: the rule of the price book\'s date.',
  'billing.init': 'billed-2025 (INIT billed, since 2025-08-01) or unbilled-zip-managed-legacy. Default: the rule of the price book\'s date.',
  'billing.priceBook': 'The prices: a Region\'s 2026 book (e.g. eu-west-1-2026) or legacy-100ms (us-east-1 in the 100 ms era; x86 only; implies 100ms and unbilled INIT). Default: the book of account.region.',
  'billing.freeTier': 'Apply the monthly free tier to the month\'s projection: true (default), false, or per allowance.',
  'billing.freeTier.requests': 'The 1 M free requests a month. Default true.',
  'billing.freeTier.compute': 'The 400,000 free GB-seconds a month. Default true.',
  'billing.freeTier.streaming': 'The 100 GiB of free response streaming a month. Default false.',
  'billing.freeTier.services': "The other services' never-expiring free allowances (SQS 1 M requests, SNS 1 M publishes, Step Functions 4,000 transitions, CloudWatch Logs 5 GB, 100 GB out). Default: as requests.",
  'billing.freeTier.provisionedFunctions': 'Free tier for functions with provisioned concurrency too. Default false.',
  'billing.savingsPlan': 'Compute Savings Plan discount in percent (0–100) on duration and provisioned concurrency. Default 0.',
  'billing.servicePrices': 'Flat prices of the other services\' items in USD per each item\'s unit (e.g. kinesisOnDemandStreamHours: 0.04), also to give one not confirmed (docs/billing.md "The rest of the bill").',
  'billing.prices': 'Overrides of price-book keys (e.g. requestUsdPerMillion, architectures.arm64.durationTiers), also to give a price not confirmed for the Region; checked by the loader.',
  'billing.month': 'The month the monthly cost is for, made of the measured window: { days | of, parts | repeat } (docs/billing.md "The month"). Default: 31 days, the window filling them.',
  'billing.month.days': 'Days in the month, 28–31. Default 31 (the longest month).',
  'billing.month.of': 'A given month, YYYY-MM (e.g. 2026-03): its length and its weekdays; not with "days".',
  'billing.month.repeat': 'The month is this many copies of the whole window (window × N, made explicit); not with "parts".',
  'billing.month.parts': 'Spans of the measured window that happen a counted number of times a month; the rest of the window stands for the rest of the month.',
  'billing.month.parts.name': 'The part\'s name in reports. Default "part N".',
  ...Object.fromEntries(Object.entries(SPAN('the part')).map(([k, v]) => [`billing.month.parts.${k}`, v])),
  'billing.month.parts.times': 'How often it happens: a count per month, day, weekday or weekend-day ("2/day"; weekdays need "of"), or a number a month (required).',
  functions: 'The functions, by name (at least one).',
  'functions.memory': 'Memory, whole MB from 128MB to 10240MB (e.g. 1769MB, 1.5GB). Default 128MB (docs/sources.md §7).',
  'functions.architecture': 'x86_64 (default) or arm64.',
  'functions.timeout': 'Function timeout, 1s–900s. Default 3s (docs/sources.md §3).',
  'functions.ephemeralStorage': '/tmp size, whole MB from 512MB to 10240MB. Default 512MB (docs/sources.md §8).',
  'functions.reservedConcurrency': 'Reserved concurrency (whole number ≥ 0). Default: none, the function uses the unreserved pool.',
  'functions.provisionedConcurrency': 'Provisioned concurrency: a whole number, or a plan with "schedule" or "autoscaling". Default 0; at most reservedConcurrency (docs/sources.md §1).',
  ...Object.fromEntries(Object.entries(PROVISIONED_COMMON).map(([k, v]) => [`functions.provisionedConcurrency.${k}`, v])),
  'functions.provisionedConcurrency.schedule': 'Changes of provisioned concurrency, in time order: [{ at: 08:15, value: 25 }, { at: 18:30, value: 0 }].',
  'functions.provisionedConcurrency.schedule.at': 'When: a clock time ("08:15"; the run starts at midnight) or a duration from the start ("1d8h15m").',
  'functions.provisionedConcurrency.schedule.value': 'Provisioned concurrency configured from then on (whole number ≥ 0).',
  'functions.provisionedConcurrency.autoscaling': 'Target-tracking auto scaling of provisioned concurrency: { target, min, max }.',
  'functions.provisionedConcurrency.autoscaling.target': 'Target ProvisionedConcurrencyUtilization, in (0, 1]. Default 0.7 (docs/sources.md §1).',
  'functions.provisionedConcurrency.autoscaling.min': 'Least provisioned concurrency (whole number ≥ 1, required).',
  'functions.provisionedConcurrency.autoscaling.max': 'Most provisioned concurrency (whole number ≥ min, required).',
  'functions.provisionedConcurrency.autoscaling.scaleOutDatapoints': 'Consecutive datapoints above target before scaling out. Default 3 (docs/sources.md §1).',
  'functions.provisionedConcurrency.autoscaling.scaleInDatapoints': 'Consecutive datapoints below scaleInRatio × target before scaling in. Default 15 (an assumption).',
  'functions.provisionedConcurrency.autoscaling.scaleInRatio': 'The scale-in alarm as a share of the target, in (0, 1]. Default 0.9 (docs/sources.md §1).',
  'functions.provisionedConcurrency.autoscaling.period': 'One datapoint per period (a duration > 0). Default 1m.',
  'functions.duration': 'The handler\'s own duration: a duration (fixed) or a distribution (required).',
  'functions.init': 'Init (cold start) duration: a runtime preset (nodejs, python, go, java, ruby, dotnet, container) or a distribution. Default nodejs.',
  'functions.package': 'zip (a managed runtime), zip-custom-runtime or image: before 2025-08-01 only a ZIP on a managed runtime had its on-demand INIT free. Default image with the container init preset, else zip.',
  'functions.keepAlive': 'How long an idle environment is kept: a preset, a duration (fixed) or a distribution. Default fixed-10min-2019.',
  'functions.maxLifetime': 'Each environment is retired once this old: a duration or a distribution drawn per environment, or "off". Default uniform 2h–6h (docs/sources.md §2).',
  'functions.proactiveReplacement': 'An environment busy at its lifetime end, or used within this long, is replaced by one initialized in the background (a duration), or "off". Default 6m (an assumption, docs/sources.md §2).',
  'functions.reuse': 'Which idle environment serves a request: mru (most recently used, default) or lru.',
  'functions.errors': 'Share of invocations that fail: a probability (0–1) or { rate, windows }. Default 0.',
  'functions.errors.rate': 'Error probability outside the windows (0–1). Default 0.',
  'functions.errors.windows': 'Spans with another error rate: [{ at: 5m, for: 5m, rate: 1 }].',
  'functions.errors.windows.rate': 'Error probability within the span (0–1, required).',
  ...Object.fromEntries(Object.entries(SPAN('the window')).map(([k, v]) => [`functions.errors.windows.${k}`, v])),
  'functions.responseStreaming': 'Streamed responses: { size }; bytes beyond the first 6 MB of each are charged (docs/sources.md §3, §7).',
  'functions.responseStreaming.size': 'Response size, 0–200 MB, or a list of sizes drawn equally likely.',
  'functions.cpu': 'How memory changes duration: { share, parallel, measuredAt, measuredOn }. Default: it does not.',
  'functions.cpu.share': 'The part of duration that is CPU work (0–1). Default 1.',
  'functions.cpu.parallel': 'Keeps speeding up past one vCPU. Default false.',
  'functions.cpu.measuredAt': 'The memory the duration was measured at. Default: memory.',
  'functions.cpu.measuredOn': 'The architecture the duration was measured on: x86_64 (default) or arm64.',
  'functions.arm64Speed': 'How much faster the handler runs on arm64 than on x86_64 (a number > 0; 1.19 = 19% faster). Default 1, an assumption (docs/sources.md §7).',
  'functions.snapStart': 'SnapStart: { restore, hooks, runtime }; a cold start restores the snapshot instead of running init (docs/sources.md §2, §7). Not with provisioned concurrency.',
  'functions.snapStart.restore': 'The snapshot restore, a distribution: latency, not billed as duration (required).',
  'functions.snapStart.hooks': 'Runtime loading and after-restore hooks, a distribution: latency, billed as duration. Default 0ms.',
  'functions.snapStart.runtime': 'java (no SnapStart charge), python or dotnet (cache and restores charged) (required).',
  'functions.provisionedRecycle': 'A provisioned environment re-runs init in the background this often, billed (a duration), or "off". Default 4h (an assumption, docs/sources.md §11 pcRecycleIntervalH).',
  'functions.tenantIsolation': 'Tenant isolation: each new environment is charged per GB of memory (docs/sources.md §7). Default false.',
  'functions.extensions': 'The function\'s extensions: none (default), internal or external, or { mode, shutdown }. Their shutdown phase (at most 0 / 500 / 2,000 ms) is billed when an environment ends (docs/sources.md §2, §7).',
  'functions.extensions.mode': 'none, internal (in-process extensions only) or external (an extension process).',
  'functions.extensions.shutdown': 'How long the shutdown phase takes, at most the mode\'s limit. Default: the limit (an assumption: AWS publishes no typical time).',
  'functions.edge': 'A Lambda@Edge function: priced at the Edge prices, no free tier (docs/sources.md §7). Default false.',
  'functions.logsPerInvocation': 'What each invocation logs to CloudWatch Logs (e.g. 2KB), billed as log ingestion (docs/sources.md §15). Default 0B (an assumption).',
  'functions.outputs': 'What the function sends on, per item it processes (a request, an event, each message or record of a batch): [{ to, count, on }] (issue 16, docs/scenario-reference.md "Pipelines").',
  'functions.outputs.to': 'The workload it sends to: an sqs (messages to its queue), async (events) or stream (records) workload (required).',
  'functions.outputs.count': 'How many per item: a whole number, or { bernoulli: p }, { poisson: mean }, { uniform: { min, max } }, { empirical: [values] }. Default 1.',
  'functions.outputs.count.bernoulli': 'One with this probability (0–1), else none.',
  'functions.outputs.count.poisson': 'A Poisson count with this mean (0–100).',
  'functions.outputs.count.uniform': 'Whole numbers from min to max, equally likely.',
  'functions.outputs.count.uniform.min': 'The least count (whole number ≥ 0).',
  'functions.outputs.count.uniform.max': 'The largest count (whole number ≥ min).',
  'functions.outputs.count.empirical': 'A list of whole numbers, each equally likely, or { values, weights }.',
  'functions.outputs.count.empirical.values': 'The counts (whole numbers ≥ 0).',
  'functions.outputs.count.empirical.weights': 'One positive weight per value. Default: all equal.',
  'functions.outputs.on': 'success (default: items processed without error) or failure (items whose processing failed, each time).',
  'functions.calls': 'Functions called synchronously, one after another, after the handler\'s own work: [{ function }]; the invocation waits (and bills) until they answer (issue 16).',
  'functions.calls.function': 'The function called (required).',
  'functions.recursiveLoop': 'Lambda\'s recursive loop detection: Terminate (default; stops an event\'s 17th invocation of the function in one chain) or Allow (docs/sources.md §8).',
  'distribution.fixed': 'Always this duration.',
  'distribution.exponential': 'Exponential with this mean (a duration > 0), or { mean }.',
  'distribution.exponential.mean': 'The mean (a duration > 0).',
  'distribution.uniform': 'Uniform between min and max.',
  'distribution.uniform.min': 'Least value (a duration < max).',
  'distribution.uniform.max': 'Greatest value (a duration > min).',
  'distribution.normal': 'Normal, truncated to [min, max].',
  'distribution.normal.mean': 'The mean (a duration).',
  'distribution.normal.sd': 'The standard deviation (a duration).',
  'distribution.normal.min': 'Lower truncation (a duration). Default 0ms.',
  'distribution.normal.max': 'Upper truncation (a duration). Default: none.',
  'distribution.lognormal': 'Lognormal by { median, p99 } or by { mean, sigma }.',
  'distribution.lognormal.median': 'The median (a duration > 0); with p99.',
  'distribution.lognormal.p99': 'The 99th percentile (a duration > median); with median.',
  'distribution.lognormal.mean': 'The mean (a duration > 0); with sigma.',
  'distribution.lognormal.sigma': 'Sigma of the underlying normal (a number ≥ 0); with mean.',
  'distribution.empirical': 'Values drawn equally likely ([10ms, 20ms]), or { values, weights }.',
  'distribution.empirical.values': 'The values (durations, at least one).',
  'distribution.empirical.weights': 'One weight > 0 per value. Default: equal.',
  'distribution.cdf': 'A measured cumulative curve: [[duration, cumulative probability], ...] from 0 to exactly 1, straight between points.',
  workloads: 'The traffic: each workload invokes one function (at least one).',
  'workloads.name': 'The workload\'s name in reports (unique). Default <function>-<invoke>.',
  'workloads.function': 'The function it invokes: a key of functions (required).',
  'workloads.invoke': 'How: sync (default; RequestResponse with an SDK client), async (Event), sqs (a queue and event source mapping), stream (Kinesis or DynamoDB Streams) or stepfunctions (a Step Functions state machine whose Tasks invoke functions).',
  'workloads.arrivals': 'The arrivals: a segment, a trace source, or a list of them (their sum).',
  'workloads.client': 'sync, and async with source sdk: the callers\' SDK clients (retries, retry quota, rate limiter, timeout).',
  'workloads.client.retries': 'none, legacy, standard (default), standard-2026 or adaptive (docs/sources.md §3).',
  'workloads.client.maxAttempts': 'Attempts including the first (whole number ≥ 1). Default 3 (legacy 5).',
  'workloads.client.baseDelay': 'Backoff base for throttles (a duration > 0). Default 1s.',
  'workloads.client.clients': 'SDK clients the requests are spread over, each with its own retry quota (whole number ≥ 1). Default 1.',
  'workloads.client.retryQuota': 'Retry-quota tokens per client (standard, standard-2026, adaptive), or "off". Default 500.',
  'workloads.client.maxBackoff': 'Longest backoff (a duration > 0). Default 20s.',
  'workloads.client.timeout': 'The client gives up after this (a duration > 0), or "off". Default 60s.',
  'arrival.poisson': 'A Poisson process at this rate, e.g. 200/s.',
  'arrival.constant': 'Evenly spaced arrivals at this rate, e.g. 50/s.',
  'arrival.ramp': 'Linear from one rate to another over the segment: { from, to }.',
  'arrival.ramp.from': 'The rate at the segment\'s start (required).',
  'arrival.ramp.to': 'The rate at the segment\'s end (required).',
  'arrival.diurnal': 'mean × (1 + amplitude × cos(2π (t − peak) / period)): { mean, amplitude, period, peak }.',
  'arrival.diurnal.mean': 'The mean rate (required).',
  'arrival.diurnal.amplitude': 'Relative swing, 0–1 (required).',
  'arrival.diurnal.period': 'The cycle (a duration > 0). Default 24h.',
  'arrival.diurnal.peak': 'When the rate peaks: a clock time ("14:00") or a duration from the start. Default 0s.',
  'arrival.process': 'With ramp or diurnal: poisson (default) or constant.',
  ...Object.fromEntries(Object.entries(SPAN('the segment')).map(([k, v]) => [`arrival.${k}`, v])),
  report: 'The report\'s time series.',
  'report.interval': 'Interval of the time series (a duration > 0). Default: from 1s to 1d, at most 720 intervals.',
};
