import { describe, it, expect } from 'vitest';
import {
  initPresets,
  keepAlivePresets,
  legacyBurstForRegion,
  lognormalFromMean,
  lognormalFromQuantile,
  Z_975,
} from '../../src/scenario/presets.js';
import type { DistributionSpec } from '../../src/scenario/types.js';

function lognormal(d: DistributionSpec): { mu: number; sigma: number } {
  if (d.kind !== 'lognormal') throw new Error(`not lognormal: ${d.kind}`);
  return d;
}

describe('keep-alive presets (docs/sources.md §2, §11 idleReclaimPolicy)', () => {
  it('has the five measured policies', () => {
    expect(keepAlivePresets).toEqual({
      'fixed-10min-2019': { kind: 'fixed', ms: 600_000 },
      'legacy-5min-2016': { kind: 'fixed', ms: 300_000 },
      'wang-27min-2017': { kind: 'fixed', ms: 1_620_000 },
      'random-25-60min-2019': { kind: 'distribution', dist: { kind: 'uniform', minMs: 1_500_000, maxMs: 3_600_000 } },
      'shilkov-5-7min-2021': { kind: 'distribution', dist: { kind: 'cdf', pointsMs: [180_000, 240_000, 300_000, 360_000, 420_000], cumulative: [0, 0.003, 0.003, 0.406, 1] } },
    });
  });
});

describe('legacy burst by Region (docs/sources.md §1)', () => {
  it.each([
    ['us-west-2', 3000],
    ['us-east-1', 3000],
    ['eu-west-1', 3000],
    ['ap-northeast-1', 1000],
    ['eu-central-1', 1000],
    ['us-east-2', 1000],
    ['sa-east-1', 500],
    ['ap-south-1', 500],
  ])('%s → %i', (region, burst) => {
    expect(legacyBurstForRegion(region)).toBe(burst);
  });
});

describe('init presets (Shilkov 2021, docs/sources.md §2)', () => {
  it.each([
    ['nodejs', 260, 600],
    ['python', 220, 530],
    ['go', 310, 660],
    ['java', 370, 690],
    ['ruby', 280, 600],
    ['dotnet', 520, 830],
    ['container', 790, 1400],
  ])('%s: median %i ms, 97.5th percentile %i ms', (runtime, median, upper) => {
    const { mu, sigma } = lognormal(initPresets[runtime]);
    expect(mu).toBeCloseTo(Math.log(median), 12);
    expect(sigma).toBeCloseTo(Math.log(upper / median) / 1.959964, 12);
    expect(Math.exp(mu + Z_975 * sigma)).toBeCloseTo(upper, 9);
  });
  it('has exactly the seven runtimes', () => {
    expect(Object.keys(initPresets).sort()).toEqual(['container', 'dotnet', 'go', 'java', 'nodejs', 'python', 'ruby']);
  });
});

describe('lognormal conversions', () => {
  it('median + p99: mu = ln(median), sigma = ln(p99/median)/2.326348', () => {
    const { mu, sigma } = lognormal(lognormalFromQuantile(120, 900, 2.326348));
    expect(mu).toBeCloseTo(Math.log(120), 12);
    expect(sigma).toBeCloseTo(Math.log(900 / 120) / 2.326348, 12);
  });
  it('mean + sigma: mu = ln(mean) − sigma²/2', () => {
    const { mu, sigma } = lognormal(lognormalFromMean(200, 0.5));
    expect(sigma).toBe(0.5);
    expect(mu).toBeCloseTo(Math.log(200) - 0.125, 12);
    expect(Math.exp(mu + (sigma * sigma) / 2)).toBeCloseTo(200, 9);
  });
});
