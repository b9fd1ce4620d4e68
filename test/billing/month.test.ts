// The billing month's calendar (src/billing/month.ts): lengths and weekdays of given months.
import { describe, expect, it } from 'vitest';
import { calendarMonth, occurrencesInMonth } from '../../src/billing/month.js';

describe('calendarMonth', () => {
  it('March 2026: 31 days, 22 weekdays, 9 weekend days (it starts on a Sunday)', () => {
    expect(calendarMonth('2026-03')).toEqual({ days: 31, weekdays: 22, weekendDays: 9 });
  });
  it('February: 28 days, 29 in a leap year; April 30', () => {
    expect(calendarMonth('2026-02')).toEqual({ days: 28, weekdays: 20, weekendDays: 8 });
    expect(calendarMonth('2028-02')?.days).toBe(29);
    expect(calendarMonth('2026-04')?.days).toBe(30);
  });
  it('anything else is not a month', () => {
    for (const bad of ['2026-13', '2026-00', '2026-3', 'March', '2026-03-01']) expect(calendarMonth(bad)).toBeUndefined();
  });
});

describe('occurrencesInMonth', () => {
  it('per month, per day, and per weekday or weekend day of a given month', () => {
    const march = calendarMonth('2026-03')!;
    expect(occurrencesInMonth(3, 'month', 31, null)).toBe(3);
    expect(occurrencesInMonth(2, 'day', 31, null)).toBe(62);
    expect(occurrencesInMonth(1, 'weekday', 31, march)).toBe(22);
    expect(occurrencesInMonth(2, 'weekend-day', 31, march)).toBe(18);
    expect(occurrencesInMonth(1, 'weekday', 31, null)).toBeUndefined();
  });
});
