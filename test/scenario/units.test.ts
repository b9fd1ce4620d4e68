import { describe, it, expect } from 'vitest';
import { formatDuration, parseCount, parseDurationMs, parseRatePerS, parseSizeMb, parseTimeOfDayMs, type Parsed } from '../../src/scenario/units.js';

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

describe('compound durations', () => {
  it('adds parts written from the largest unit to the smallest, with or without spaces', () => {
    expect(value(parseDurationMs('8h30m'))).toBe(30_600_000);
    expect(value(parseDurationMs('1h15m30s'))).toBe(4_530_000);
    expect(value(parseDurationMs('1h 15m 30s'))).toBe(4_530_000);
    expect(value(parseDurationMs('1d8h15m'))).toBe(116_100_000);
    expect(value(parseDurationMs('2m30.5s'))).toBe(150_500);
    expect(value(parseDurationMs('1min30s'))).toBe(90_000);
    expect(value(parseDurationMs('1s500ms'))).toBe(1500);
  });
  it('rejects parts out of order or repeated, and unknown units', () => {
    expect(error(parseDurationMs('30m1h'))).toBe('"30m1h": give each unit once, from the largest to the smallest, e.g. "1h15m30s"');
    expect(error(parseDurationMs('1m1min'))).toMatch(/give each unit once/);
    expect(error(parseDurationMs('1h30x'))).toMatch(/^unknown duration unit "h30x" in "1h30x"/);
    expect(error(parseDurationMs('-1h30m'))).toBe('"-1h30m" must not be negative');
  });
});

describe('parseTimeOfDayMs', () => {
  it('reads clock times from the midnight the run starts at, and any duration', () => {
    expect(value(parseTimeOfDayMs('08:15'))).toBe(29_700_000);
    expect(value(parseTimeOfDayMs('8:15'))).toBe(29_700_000);
    expect(value(parseTimeOfDayMs('18:30:00'))).toBe(66_600_000);
    expect(value(parseTimeOfDayMs('00:00:30.5'))).toBe(30_500);
    expect(value(parseTimeOfDayMs('495m'))).toBe(29_700_000);
    expect(value(parseTimeOfDayMs('1d8h15m'))).toBe(116_100_000);
  });
  it('rejects impossible clock times, pointing at durations for later days', () => {
    expect(error(parseTimeOfDayMs('24:00'))).toMatch(/^"24:00" is not a time of day: hours go from 00 to 23.*"1d8h15m"/);
    expect(error(parseTimeOfDayMs('12:60'))).toMatch(/is not a time of day/);
    expect(error(parseTimeOfDayMs('noon'))).toMatch(/^"noon" is not a duration; .*; or a time of day like "08:15"/);
  });
});

describe('parseCount (flags such as --requests)', () => {
  it('accepts plain numbers and k, M, B', () => {
    expect(['3000000', '3e6', '3M', '2.5k', '2.5K', '1.2B', '0'].map((x) => value(parseCount(x)))).toEqual([3e6, 3e6, 3e6, 2500, 2500, 1.2e9, 0]);
  });
  it('rejects other suffixes and words', () => {
    expect(error(parseCount('3m'))).toBe('"3m" is not a count; write a number, optionally with k (thousand), M (million) or B (billion), e.g. "3000000", "3M", "2.5k", "1.2B"');
    expect(error(parseCount('lots'))).toMatch(/is not a count/);
    expect(error(parseCount('-3M'))).toMatch(/is not a count/);
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
