/**
 * `provisionedConcurrency` of a function: a number (static, allocated before
 * the run), or a plan that changes it over time (docs/sources.md §1 "Provisioned
 * concurrency", §9 "PC allocation"):
 *
 *   provisionedConcurrency: { schedule: [{ at: 09:00, value: 100 }, { at: 18h, value: 0 }] }
 *   provisionedConcurrency: { autoscaling: { target: 0.7, min: 5, max: 200 } }
 *
 * Either form may set `initial` (configured and allocated at t = 0; default 0
 * for a schedule, `min` for auto scaling), `allocationDelay` and `allocationRate`.
 */
import { z } from 'zod';
import type { ProvisionedPlan } from './types.js';
import { accepts, count, durationMs, isMap, number, positiveDuration, ratePerS, strictObject, delegate, timeOfDayMs } from './fields.js';
import { formatDuration } from './units.js';

/**
 * Defaults. AWS publishes no allocation time for the current rule beyond "a
 * minute or two" before allocation starts (old docs) and up to 6,000
 * environments per minute per function (§9, unverified note), so both are
 * parameters. Target tracking: §1 gives the 0.7 example target, three datapoints
 * above target to scale out and the scale-in alarm at 90% of the target; the
 * number of scale-in datapoints is not in docs/sources.md: 15 one-minute
 * datapoints is Application Auto Scaling's usual low alarm (an assumption).
 */
export const provisionedDefaults = {
  allocationDelayMs: 60_000,
  allocationPerMin: 6_000,
  target: 0.7,
  scaleOutDatapoints: 3,
  scaleInDatapoints: 15,
  scaleInRatio: 0.9,
  periodMs: 60_000,
} as const;

let cached: z.ZodType<number | ProvisionedPlan, unknown> | undefined;

/**
 * A count (static PC) or a map with `schedule` or `autoscaling`. Built on first
 * use: schema.ts refers to it through z.lazy, so the two modules may import each
 * other in any order.
 */
export function provisionedSchema(): z.ZodType<number | ProvisionedPlan, unknown> {
  return (cached ??= build());
}

function build(): z.ZodType<number | ProvisionedPlan, unknown> {
  const common = {
    initial: count(0).optional(),
    allocationDelay: durationMs().default(provisionedDefaults.allocationDelayMs),
    allocationRate: ratePerS({ above: 0 }).default(provisionedDefaults.allocationPerMin / 60),
  };

  // `at`: a duration from the start or a clock time ("08:15"; the run starts at midnight).
  const scheduleEntry = strictObject({ at: timeOfDayMs(), value: count(0) });

  const scheduleForm = strictObject({ ...common, schedule: z.array(scheduleEntry).min(1) }).transform((p, ctx): ProvisionedPlan => {
    for (let i = 1; i < p.schedule.length; i++) {
      if (p.schedule[i].at <= p.schedule[i - 1].at) {
        ctx.addIssue({
          code: 'custom',
          path: ['schedule', i, 'at'],
          message: `must be later than the entry before (${formatDuration(p.schedule[i - 1].at)}): list the schedule in time order`,
        });
      }
    }
    const initial = p.initial ?? 0;
    const schedule = p.schedule.map((e) => ({ atMs: e.at, value: e.value }));
    return {
      kind: 'schedule',
      initial,
      max: Math.max(initial, ...schedule.map((e) => e.value)),
      schedule,
      autoscaling: null,
      allocationDelayMs: p.allocationDelay,
      allocationPerMin: p.allocationRate * 60,
    };
  });

  const autoscalingBlock = strictObject({
    target: number({ above: 0, max: 1 }).default(provisionedDefaults.target),
    // With no provisioned concurrency the utilization metric has no datapoints, so it could never scale out.
    min: count(1),
    max: count(1),
    scaleOutDatapoints: count(1).default(provisionedDefaults.scaleOutDatapoints),
    scaleInDatapoints: count(1).default(provisionedDefaults.scaleInDatapoints),
    scaleInRatio: number({ above: 0, max: 1 }).default(provisionedDefaults.scaleInRatio),
    period: positiveDuration.default(provisionedDefaults.periodMs),
  });

  const autoscalingForm = strictObject({ ...common, autoscaling: autoscalingBlock }).transform((p, ctx): ProvisionedPlan => {
    const a = p.autoscaling;
    if (a.max < a.min) ctx.addIssue({ code: 'custom', path: ['autoscaling', 'max'], message: `must be at least min (${a.min})` });
    const initial = p.initial ?? a.min;
    if (p.initial !== undefined && (initial < a.min || initial > a.max)) {
      ctx.addIssue({ code: 'custom', path: ['initial'], message: `must lie between autoscaling.min (${a.min}) and max (${a.max})` });
    }
    return {
      kind: 'autoscaling',
      initial,
      max: a.max,
      schedule: [],
      autoscaling: {
        target: a.target,
        min: a.min,
        max: a.max,
        scaleOutDatapoints: a.scaleOutDatapoints,
        scaleInDatapoints: a.scaleInDatapoints,
        scaleInRatio: a.scaleInRatio,
        periodMs: a.period,
      },
      allocationDelayMs: p.allocationDelay,
      allocationPerMin: p.allocationRate * 60,
    };
  });

  const staticCount = count(0);
  const schema = z.unknown().transform((v, ctx): number | ProvisionedPlan => {
    if (!isMap(v)) return delegate(staticCount, v, ctx);
    const has = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
    if (has('schedule') === has('autoscaling')) {
      ctx.addIssue({
        code: 'custom',
        message: 'provisioned concurrency is a number, or a map with either "schedule" (e.g. [{ at: 9h, value: 100 }]) or "autoscaling" (e.g. { target: 0.7, min: 5, max: 200 })',
      });
      return z.NEVER;
    }
    return delegate(has('schedule') ? scheduleForm : autoscalingForm, v, ctx);
  });
  return accepts(schema, (walk) => ({ anyOf: [walk(staticCount), walk(scheduleForm), walk(autoscalingForm)] }));
}

/** The most provisioned concurrency a value configures (for the checks against reserved and account concurrency). */
export function provisionedMax(v: number | ProvisionedPlan): number {
  return typeof v === 'number' ? v : v.max;
}

/** FunctionSpec fields from the parsed value: the static count (the maximum for a plan) and the plan, if any. */
export function provisionedFields(v: number | ProvisionedPlan): { provisionedConcurrency: number; provisionedPlan?: ProvisionedPlan } {
  return typeof v === 'number' ? { provisionedConcurrency: v } : { provisionedConcurrency: v.max, provisionedPlan: v };
}
