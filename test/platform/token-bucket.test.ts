import { describe, expect, it } from 'vitest';
import { BurstBucket, ContinuousBucket, StepwiseBucket } from '../../src/platform/token-bucket.js';

function takeAll(b: { take(t: number): boolean }, t: number): number {
  let n = 0;
  while (b.take(t)) n++;
  return n;
}

describe('scaling buckets', () => {
  it('2023 rule, continuous: 1000 at once, then 100 per second, never more than 1000 banked', () => {
    const b = new ContinuousBucket(1000, 10_000);
    expect(takeAll(b, 0)).toBe(1000);
    expect(takeAll(b, 1000)).toBe(100);
    expect(takeAll(b, 6000)).toBe(500);
    expect(takeAll(b, 1_000_000)).toBe(1000);
  });

  it('2023 rule, stepwise: 1000 at each 10 s boundary', () => {
    const b = new StepwiseBucket(1000, 10_000);
    expect(takeAll(b, 0)).toBe(1000);
    expect(takeAll(b, 9_999)).toBe(0);
    expect(takeAll(b, 10_000)).toBe(1000);
    expect(takeAll(b, 55_000)).toBe(1000);
  });

  it('legacy rule: a burst of 3000, then 500 per minute', () => {
    const b = new BurstBucket(3000, 500);
    expect(takeAll(b, 0)).toBe(3000);
    expect(takeAll(b, 60_000)).toBe(500);
    expect(takeAll(b, 90_000)).toBe(250);
    expect(takeAll(b, 3_600_000)).toBe(3000);
  });
});
