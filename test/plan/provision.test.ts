// lsim provision (issue 18 item 5): the schedule follows the traffic shape of the run without PC, block
// by block; the proposal is the cheapest candidate meeting the objective; the pasted block reproduces it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planProvisioned, provisionText } from '../../src/plan/provision.js';
import { parseScenario } from '../../src/scenario/load.js';
import { parseOverride } from '../../src/scenario/overrides.js';
import { simulate } from '../../src/sim/simulate.js';
import { main } from '../../src/cli/main.js';

// Two quiet half-hours and a busy hour: 2/s, then 30/s, then 2/s, 1 s per request, 3 s inits.
const text = `name: office
seed: 4
duration: 2h
report: { interval: 1m }
functions:
  api:
    memory: 1024MB
    duration: 1s
    init: 3s
workloads:
  - function: api
    arrivals:
      - { poisson: 2/s }
      - { poisson: 28/s, at: 30m, for: 1h }
`;

describe('lsim provision', () => {
  const r = planProvisioned({ file: 'office.yaml', text, step: '30m' });

  it('reads the traffic shape from the run without PC: each block the highest interval peak', () => {
    const none = simulate(parseScenario(text, 'office.yaml'));
    const s = none.timeSeries;
    const peaks = [0, 1, 2, 3].map((b) => Math.max(...s.functions.api.concurrencyMax.filter((_, i) => s.startMs[i] >= b * 1_800_000 && s.startMs[i] < (b + 1) * 1_800_000)));
    expect(r.blocks).toEqual(peaks.map((peak, b) => ({ atMs: b * 1_800_000, peak })));
    // Busy blocks hold about 30/s × 1 s = 30 (Poisson peaks above it); quiet ones a few.
    expect(r.blocks[1].peak).toBeGreaterThan(30);
    expect(r.blocks[0].peak).toBeLessThan(12);
  });

  it('k = 1 configures each block’s peak, raised 2 minutes early and lowered on time', () => {
    const k1 = r.candidates.find((c) => c.label === 'k=1')!;
    const [b0, b1, b2, b3] = r.blocks.map((b) => b.peak);
    const expected = [
      ...(b1 !== b0 ? [{ at: '00:28', value: b1 }] : []),
      ...(b2 !== b1 ? [{ at: b2 > b1 ? '00:58' : '01:00', value: b2 }] : []),
      ...(b3 !== b2 ? [{ at: b3 > b2 ? '01:28' : '01:30', value: b3 }] : []),
    ];
    expect(k1.plan).toEqual({ initial: b0, schedule: expected });
  });

  it('proposes the cheapest candidate meeting the objective, and the pasted block gives its cost', () => {
    const p = r.candidates[r.proposal!];
    const ok = r.candidates.filter((c) => c.failures.length === 0);
    expect(p.monthlyUsd).toBe(Math.min(...ok.map((c) => c.monthlyUsd)));
    expect(p.coldStartRate!).toBeLessThanOrEqual(0.0001);
    // Without PC the busy hour's ramp makes cold starts: the objective fails.
    expect(r.candidates[0].failures[0]).toMatch(/^coldStartRate@api /);
    const plan = r.yaml!.split('provisionedConcurrency:')[1];
    const pasted = simulate(parseScenario(text, 'office.yaml', { overrides: [parseOverride(`functions.api.provisionedConcurrency=${JSON.stringify(parseYamlBlock(plan))}`)] }));
    expect(pasted.account.cost.monthly.total).toBe(p.monthlyUsd);
    expect(pasted.functions[0].coldStarts).toBe(p.coldStarts);
    expect(provisionText(r)).toMatch(/Proposal: k=[\d.]+: \$[\d,.]+\/mo \(month = 31 days: window × 372\), cold starts \d+/);
  }, 60_000);

  it('exits 3 when no candidate meets the objective', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-provision-'));
    writeFileSync(join(dir, 'office.yaml'), text);
    let out = '';
    let err = '';
    const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: dir };
    // PC cannot make a 1 s handler answer in 1 ms: no candidate qualifies.
    expect(await main(['provision', 'office.yaml', '--step', '30m', '--objective', 'p50<=1ms'], io)).toBe(3);
    expect(out).toMatch(/no candidate meets p50<=1ms/);
    expect(err).toBe('lsim: no provisioned concurrency candidate meets the objectives (exit 3)\n');
    expect(await main(['provision', 'office.yaml', '--function', 'nope'], io)).toBe(2);
    expect(err).toMatch(/--function nope: the scenario has no such function \(it has api\)/);
  }, 60_000);

  it('refuses a step, lead or objective target it cannot honour, naming the flag (they ran out of memory, or blamed the scenario)', () => {
    const refused = (o: { step?: string; lead?: string; objective?: string }) => {
      try {
        planProvisioned({ file: 'office.yaml', text, ...o });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    // Report interval 1 min: a block takes whole intervals' peaks and a schedule's instants are whole seconds.
    expect(refused({ step: '1ms' })).toBe('--step 1ms: must be whole seconds and at least 1m (the report interval, whose peaks the blocks take)');
    expect(refused({ step: '90500ms' })).toMatch(/^--step 90500ms: must be whole seconds/);
    expect(refused({ step: '30m', lead: '30m' })).toBe('--lead 30m: must be whole seconds and shorter than the step (30m): a block raised earlier would be raised before the one before it');
    expect(refused({ step: '30m', objective: 'coldStartRate@nope<=1%' })).toBe('--objective coldStartRate@nope<=1%: coldStartRate@nope: the scenario has no function named "nope" (it has api)');
    expect(refused({ step: '30m', objective: 'p99@api<=1s' })).toMatch(/p99@api: the scenario has no workload named "api" \(it has api-sync\)/);
  }, 60_000);
});

/** `\n  initial: 3\n  schedule:\n    - { at: 00:28, value: 31 }` → the plan object. */
function parseYamlBlock(block: string): unknown {
  const initial = Number(/initial: (\d+)/.exec(block)?.[1] ?? block.trim());
  if (!/schedule/.test(block)) return initial;
  const schedule = [...block.matchAll(/\{ at: ([\d:dhms]+), value: (\d+) \}/g)].map((m) => ({ at: m[1], value: Number(m[2]) }));
  return { initial, schedule };
}
