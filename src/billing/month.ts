/**
 * The billing month (docs/billing.md "The month"): AWS bills calendar months
 * (28–31 days), and a scenario says which month its simulated window stands
 * for. Dates are calendar arithmetic in UTC: nothing reads the clock.
 */

export const DAY_MS = 86_400_000;

/**
 * The month length lsim assumes when a scenario or `lsim price` names none: 31 days, the longest
 * calendar month, so a monthly figure is the bill of the longest month (docs/billing.md "The month").
 */
export const DEFAULT_MONTH_DAYS = 31;

/** A calendar month: its length and how many of its days are weekdays (Monday–Friday). */
export interface CalendarMonth {
  days: number;
  weekdays: number;
  weekendDays: number;
}

/** The month `YYYY-MM` (January = 01), or undefined when it is not one. */
export function calendarMonth(yearMonth: string): CalendarMonth | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(yearMonth);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  let weekdays = 0;
  for (let d = 1; d <= days; d++) {
    const day = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    if (day !== 0 && day !== 6) weekdays++;
  }
  return { days, weekdays, weekendDays: days - weekdays };
}

/** What a count of occurrences is per: `2/day` happens twice on each day of the month. */
export const OCCURRENCE_UNITS = ['month', 'day', 'weekday', 'weekend-day'] as const;
export type OccurrenceUnit = (typeof OCCURRENCE_UNITS)[number];

/** Occurrences in the month of something that happens `count` times per `unit`; weekdays need a calendar month. */
export function occurrencesInMonth(count: number, unit: OccurrenceUnit, days: number, calendar: CalendarMonth | null): number | undefined {
  switch (unit) {
    case 'month':
      return count;
    case 'day':
      return count * days;
    case 'weekday':
      return calendar ? count * calendar.weekdays : undefined;
    case 'weekend-day':
      return calendar ? count * calendar.weekendDays : undefined;
  }
}
