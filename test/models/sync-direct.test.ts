// Issue 21: a sync request whose whole state is its workload, its client and its start is sent direct (no
// request slot), and a warm direct invocation is recorded once, in a histogram that is both its handler
// duration and its request's end-to-end latency (Platform.shareLatency). Asking for per-request records
// turns the direct path off, so the same scenario and seed run the general path (a slot per request, two
// records per invocation) on the same draws: every figure must come out the same.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';

/** Cold starts (short keep-alive, a burst), errors, function timeouts, client timeouts (some direct requests
 * outlast theirs and take a slot after all), throttles with retries, a warm-up and requests open at the end. */
const SCENARIO = `
name: direct
seed: 5
duration: 120s
warmup: 10s
account: { concurrency: 150 }
functions:
  f:
    duration: { lognormal: { median: 120ms, p99: 900ms } }
    timeout: 1s
    errors: 0.02
    keepAlive: 20s
  g:
    duration: { exponential: 80ms }
workloads:
  - name: timeouts
    function: f
    arrivals:
      - { poisson: 300/s }
      - { at: 60s, for: 5s, poisson: 900/s }
    client: { timeout: 400ms, retries: none }
  - name: retrying
    function: g
    arrivals: { poisson: 100/s }
`;

describe('direct sync requests (issue 21)', () => {
  it('give the figures the general path gives on the same draws', () => {
    const direct = simulate(parseScenario(SCENARIO, 'direct.yaml'));
    const general = simulate(parseScenario(SCENARIO, 'direct.yaml'), { onRecord: () => {} });
    // The scenario exercises what it says (else the comparison would prove little).
    const [f] = direct.functions;
    expect(f.coldStarts).toBeGreaterThan(100);
    expect(f.errors).toBeGreaterThan(100);
    expect(f.timeouts).toBeGreaterThan(10);
    expect(f.throttles.total).toBeGreaterThan(100);
    expect(direct.workloads[0]).toMatchObject({ invoke: 'sync' });
    expect((direct.workloads[0] as { clientTimeouts: number }).clientTimeouts).toBeGreaterThan(100);
    expect(direct.functions).toEqual(general.functions);
    expect(direct.workloads).toEqual(general.workloads);
    expect(direct.timeSeries).toEqual(general.timeSeries);
  });
});
