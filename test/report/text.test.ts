// The text report's environment and init-overrun tables (the goldens hold the rest).
import { describe, expect, it } from 'vitest';
import { run } from '../helpers/run.js';
import { textReport } from '../../src/report/text.js';

describe('text report', () => {
  it('shows init overruns and the time-weighted environment counts', () => {
    // Requests at 0 s and 30 min, each cold (the keep-alive is 10 min): init 12 s, cut at 10 s and re-run in
    // the invoke, then 100 ms. Lifetime 5 min: each environment reaches it idle for 4.6 min (≤ 6 min) and is
    // replaced in the background; the replacement, on the old one's idle clock, reaches its own lifetime
    // 5 min later idle for 9.6 min and is retired without replacement, before the keep-alive would reclaim
    // it. Alive 0–10 min and 30–40 min: a third of the hour; 4 retirements, 2 of them replaced.
    const r = run(`
name: overrun
duration: 1h
functions:
  f: { duration: 100ms, init: 12s, timeout: 30s, keepAlive: 10m, maxLifetime: 5m }
workloads:
  - { function: f, arrivals: [{ constant: 1/s, for: 1s }, { constant: 1/s, at: 30m, for: 1s }], client: { retries: none } }
`);
    const text = textReport(r);
    expect(text).toContain('Init overruns (on-demand init past the 10 s limit: cut at 10 s, then re-run inside the invoke under the timeout)');
    expect(text).toMatch(/\nname +overruns +share of cold +re-run p50 +re-run max\nf +2 +100\.0% +12\.00 s +12\.00 s\n/);
    expect(r.functions[0].environments.mean.alive).toBe(0.333);
    expect(text).toMatch(/\nname +alive +busy +idle +created +proactive +retired +reclaimed\nf +0\.3 +0 +0\.3 +4 +2 +4 +0\n/);
  });
});
