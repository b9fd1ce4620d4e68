/**
 * From what the platform measured to what it costs: one FunctionUsage per
 * function (with the provisioned-mode SQS pollers its mappings used),
 * priced twice by the billing calculator — the simulated window as
 * it is (no free tier), and the window scaled to a 30-day month with the
 * monthly tiers and the scenario's free tier (docs/billing.md).
 */
import { costOf, type CostLines, type CostReport, type FunctionUsage } from '../billing/cost.js';
import type { FunctionMeters } from '../platform/meters.js';
import type { Scenario } from '../scenario/types.js';
import { round, roundSig, type CostFigures, type CostResult, type Result } from './result.js';

function figures(lines: CostLines, total: number): CostFigures {
  const usd = (x: number) => roundSig(x, 9);
  return {
    requests: usd(lines.requests),
    duration: usd(lines.duration),
    provisionedConcurrency: usd(lines.provisionedConcurrency),
    provisionedDuration: usd(lines.provisionedDuration),
    ephemeralStorage: usd(lines.ephemeralStorage),
    streaming: usd(lines.streaming),
    pollers: usd(lines.pollers),
    snapStart: usd(lines.snapStart),
    total: usd(total),
  };
}

function costResult(
  window: { lines: CostLines; totalUsd: number },
  monthly: { lines: CostLines; totalUsd: number; usdPerMillionInvocations: number | null; rounding: { share: number; usd: number } },
): CostResult {
  return {
    window: figures(window.lines, window.totalUsd),
    monthly: figures(monthly.lines, monthly.totalUsd),
    usdPerMillionInvocations: monthly.usdPerMillionInvocations === null ? null : roundSig(monthly.usdPerMillionInvocations, 9),
    rounding: { share: round(monthly.rounding.share, 6), monthlyUsd: roundSig(monthly.rounding.usd, 9) },
  };
}

/** Prices the measured window; returns per-function and account cost results. */
export function priceRun(
  scenario: Scenario,
  meters: FunctionMeters[],
  sqsPollerEpuSeconds: number[],
): { functions: CostResult[]; account: Result['account']['cost'] } {
  const windowMs = scenario.durationMs - scenario.warmupMs;
  const usages: FunctionUsage[] = scenario.functions.map((f, i) => {
    const m = meters[i];
    return {
      name: f.name,
      architecture: f.architecture,
      memoryMb: f.memoryMb,
      ephemeralStorageMb: f.ephemeralStorageMb,
      requests: m.invocations,
      billedOnDemandMs: m.onDemandBilledMs,
      actualOnDemandMs: m.onDemandActualMs,
      billedProvisionedMs: m.provisionedBilledMs,
      actualProvisionedMs: m.provisionedActualMs,
      provisionedConcurrency: f.provisionedConcurrency,
      provisionedEnabledMs: f.provisionedConcurrency > 0 ? windowMs : 0,
      // PC plans (schedule, auto scaling): the environment-ms actually configured.
      ...(m.provisioned ? { provisionedEnvMs: m.provisioned.envMs } : {}),
      sqsPollerEpuSeconds: sqsPollerEpuSeconds[i],
      streamedChargeableBytes: m.streamedChargeableBytes,
    };
  });
  const { priceBook, freeTier } = scenario.billing;
  const window: CostReport = costOf(usages, priceBook, { windowMs, monthly: false, freeTier: { requests: false, compute: false } });
  const monthly: CostReport = costOf(usages, priceBook, { windowMs, monthly: true, freeTier });
  return {
    functions: usages.map((_, i) => costResult(window.functions[i], monthly.functions[i])),
    account: {
      ...costResult(window, monthly),
      priceBook: `${priceBook.name} (${priceBook.effectiveDate})`,
      monthScale: round(monthly.scale, 6),
      freeTier: { requests: freeTier.requests, compute: freeTier.compute, provisionedFunctions: freeTier.provisionedFunctions ?? false },
    },
  };
}
