import { describe, it, expect } from 'vitest';
import { formatDuration, parseDurationMs, parseRatePerS, parseSizeMb, type Parsed } from '../../src/scenario/units.js';

function value(p: Parsed): number {
  if (!p.ok) throw new Error(p.error);
  return p.value;
}
function error(p: Parsed): string {
  if (p.ok) throw new Error(`expected an error, got ${p.value}`);
  return p.error;
}

describe('parseDurationMs', () => {
  it('accepts every unit', () => {
    expect(value(parseDurationMs('250ms'))).toBe(250);
    expect(value(parseDurationMs('10s'))).toBe(10_000);
    expect(value(parseDurationMs('10m'))).toBe(600_000);
    expect(value(parseDurationMs('10min'))).toBe(600_000);
    expect(value(parseDurationMs('1.5h'))).toBe(5_400_000);
    expect(value(parseDurationMs('2d'))).toBe(172_800_000);
  });
  it('accepts fractions, exponents, zero and a space before the unit', () => {
    expect(value(parseDurationMs('.5s'))).toBe(500);
    expect(value(parseDurationMs('1e3ms'))).toBe(1000);
    expect(value(parseDurationMs('0s'))).toBe(0);
    expect(value(parseDurationMs('3 s'))).toBe(3000);
  });
  it('rejects a bare number, saying it needs a unit', () => {
    expect(error(parseDurationMs(3))).toMatch(/^3 needs a unit, e\.g\. "3s"/);
    expect(error(parseDurationMs('10'))).toMatch(/^"10" needs a unit, e\.g\. "10s"/);
  });
  it('rejects unknown units, saying what is accepted', () => {
    const e = error(parseDurationMs('10 seconds'));
    expect(e).toContain('unknown duration unit "seconds" in "10 seconds"');
    expect(e).toContain('use ms, s, m (or min), h or d');
  });
  it('rejects negatives, NaN, infinity and non-strings', () => {
    expect(error(parseDurationMs('-5s'))).toBe('"-5s" must not be negative');
    expect(error(parseDurationMs('NaNs'))).toMatch(/^"NaNs" is not a duration/);
    expect(error(parseDurationMs('abc'))).toMatch(/^"abc" is not a duration/);
    expect(error(parseDurationMs('1e400s'))).toMatch(/is not a finite number/);
    expect(error(parseDurationMs(true))).toMatch(/^expected a duration, got true/);
    expect(error(parseDurationMs([1]))).toMatch(/^expected a duration, got a list/);
  });
});

describe('parseSizeMb', () => {
  it('accepts MB and GB (1 GB = 1024 MB)', () => {
    expect(value(parseSizeMb('1769MB'))).toBe(1769);
    expect(value(parseSizeMb('1.5GB'))).toBe(1536);
    expect(value(parseSizeMb('10GB'))).toBe(10240);
  });
  it('rejects bare numbers, unknown units and negatives', () => {
    expect(error(parseSizeMb(1769))).toMatch(/^1769 needs a unit, e\.g\. "1769MB"/);
    expect(error(parseSizeMb('512TB'))).toMatch(/^unknown size unit "TB" in "512TB"; use KB, MB or GB/);
    expect(parseSizeMb('512KB')).toEqual({ ok: true, value: 0.5 });
    expect(error(parseSizeMb('-1MB'))).toBe('"-1MB" must not be negative');
  });
});

describe('parseRatePerS', () => {
  it('accepts /s, /min, /m, /h and /d', () => {
    expect(value(parseRatePerS('200/s'))).toBe(200);
    expect(value(parseRatePerS('12000/min'))).toBe(200);
    expect(value(parseRatePerS('60/m'))).toBe(1);
    expect(value(parseRatePerS('3/h'))).toBeCloseTo(3 / 3600, 12);
    expect(value(parseRatePerS('86400/d'))).toBe(1);
    expect(value(parseRatePerS('0/s'))).toBe(0);
  });
  it('rejects bare numbers, unknown units and negatives', () => {
    expect(error(parseRatePerS(200))).toMatch(/^200 needs a unit, e\.g\. "200\/s"/);
    expect(error(parseRatePerS('200'))).toMatch(/^"200" needs a unit/);
    expect(error(parseRatePerS('5/week'))).toMatch(/^unknown rate unit "\/week" in "5\/week"; use \/s, \/min/);
    expect(error(parseRatePerS('5s'))).toMatch(/^unknown rate unit "s"/);
    expect(error(parseRatePerS('-200/s'))).toBe('"-200/s" must not be negative');
  });
});

describe('formatDuration', () => {
  it('uses the largest readable unit', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(901_000)).toBe('901s');
    expect(formatDuration(5_400_000)).toBe('1.5h');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(0.5)).toBe('0.5ms');
    expect(formatDuration(Infinity)).toBe('Infinity');
  });
  it('round-trips through parseDurationMs', () => {
    for (const ms of [1, 250, 1500, 60_000, 90_000, 3_600_000, 5_400_000, 172_800_000]) {
      expect(value(parseDurationMs(formatDuration(ms)))).toBe(ms);
    }
  });
});
