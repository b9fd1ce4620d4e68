// Architecture and speed (docs/sources.md §7 "Architecture and speed"): arm64 changes the price and,
// through `arm64Speed`, the handler's duration; the default 1 is an assumption the report states.
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { textReport } from '../../src/report/text.js';

const scenario = (fn: string) => `
name: arch
seed: 1
duration: 1m
functions:
  f: { duration: 100ms, init: 0ms, timeout: 3s, ${fn} }
workloads:
  - function: f
    arrivals: { constant: 10/s }
`;

describe('arm64Speed', () => {
  it('arm64 at the default speed runs as long as x86_64, and the report says it is an assumption', () => {
    const r = run(scenario('architecture: arm64'));
    expect(r.functions[0].durationMs.p50).toBeCloseTo(100, 6);
    expect(r.functions[0].arm64SpeedAssumed).toBe(true);
    expect(textReport(r)).toMatch(/note: f runs on arm64 at the same speed as on x86_64, by assumption/);
    expect(textReport(run(scenario('architecture: x86_64')))).not.toMatch(/same speed/);
  });

  it('arm64Speed 1.25 divides durations measured on x86_64 by 1.25 on arm64, and leaves x86_64 alone', () => {
    expect(run(scenario('architecture: arm64, arm64Speed: 1.25')).functions[0].durationMs.p50).toBeCloseTo(80, 6);
    expect(run(scenario('architecture: x86_64, arm64Speed: 1.25')).functions[0].durationMs.p50).toBeCloseTo(100, 6);
  });

  it('durations measured on arm64 (cpu.measuredOn) run longer on x86_64 by the same factor', () => {
    const r = run(scenario('architecture: x86_64, arm64Speed: 1.25, cpu: { share: 0, measuredOn: arm64 }'));
    expect(r.functions[0].durationMs.p50).toBeCloseTo(125, 6);
    expect(textReport(r)).not.toMatch(/same speed/);
  });

  it('the speed multiplies with the memory rule: CPU-bound work at 2 × 1,769 MB, parallel, on arm64 at 2×', () => {
    const r = run(scenario('architecture: arm64, arm64Speed: 2, memory: 3538MB, cpu: { share: 1, parallel: true, measuredAt: 1769MB }'));
    expect(r.functions[0].durationMs.p50).toBeCloseTo(25, 6);
  });
});
