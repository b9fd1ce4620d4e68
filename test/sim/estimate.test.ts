// The run-size guard (src/sim/estimate.ts): what it adds up, and that it takes any number of runs.
import { describe, expect, it } from 'vitest';
import { checkWork, LIMITS, type WorkEstimate } from '../../src/sim/estimate.js';
import { UserError } from '../../src/errors.js';

const run = (requests: number, backlog = 0): WorkEstimate => ({ requests, backlog });

describe('checkWork', () => {
  it("adds up the requests of every run: a sweep of 10^6 runs is judged as one (it overflowed the stack at ~10^5)", () => {
    const under = Array.from({ length: 1_000_000 }, () => run(LIMITS.requests / 1_000_000));
    expect(() => checkWork('s.yaml', under, false)).not.toThrow();
    const over = [...under, run(1)];
    expect(() => checkWork('s.yaml', over, false)).toThrow(UserError);
    expect(() => checkWork('s.yaml', over, false)).toThrow(/over its 1,000,001 runs \(the limit is 1,000,000,000/);
    expect(() => checkWork('s.yaml', over, true)).not.toThrow();
  });
});
