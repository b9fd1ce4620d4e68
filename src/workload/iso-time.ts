/**
 * Strict ISO 8601 date-times for trace timestamps, a trace's `origin` and
 * `lsim trace generate --start` (docs/scenario-reference.md "Trace sources").
 *
 * `Date.parse` is not used: it reads a time without a zone in the machine's
 * own zone (so a report would depend on `TZ`), rolls an impossible date over
 * (2024-02-30 is March 1), and takes free text ("March 5", "1", "-1" are dates
 * in 2001). Accepted here is the extended form only:
 *
 *   YYYY-MM-DD(T|t|space)hh:mm[:ss[(.|,)fraction]](Z|z|±hh:mm|±hhmm|±hh)
 *
 * with a real calendar date (years 0000–9999), hours 00–23, minutes and
 * seconds 00–59 and offsets up to ±23:59. Fractions of a second are kept to the
 * millisecond (later digits are dropped, as `Date.parse` drops them).
 */

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An example of the form, for messages. */
export const ISO_EXAMPLE = '2024-03-05T12:00:00Z';

/** A parsed time (`ms` since the epoch), or why the text is not one (`problem`, a phrase that follows "not a valid time: "). */
export type IsoTime = { ms: number; problem?: undefined } | { ms?: undefined; problem: string };

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Reads `text` as an ISO 8601 date and time with a zone. */
export function parseIsoTime(text: string): IsoTime {
  const m = DATE_TIME.exec(text);
  if (m === null) {
    if (DATE_ONLY.test(text)) return { problem: `a date alone is not a time; write the time of day and a zone too, like ${text}T00:00:00Z` };
    return { problem: `expected an ISO 8601 date and time with a zone, like ${ISO_EXAMPLE}` };
  }
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12) return { problem: `there is no month ${m[2]}` };
  if (day < 1 || day > daysIn(year, month)) return { problem: `${MONTHS[month - 1]} ${year} has no day ${m[3]}` };
  if (hour > 23 || minute > 59 || second > 59) return { problem: `${m[4]}:${m[5]}${m[6] === undefined ? '' : `:${m[6]}`} is not a time of day (hours 00–23, minutes and seconds 00–59)` };
  const zone = m[8];
  if (zone === undefined) return { problem: 'it has no time zone; add Z or an offset such as +02:00 (without one it would be read in this machine\'s zone)' };
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = zone.length > 3 ? Number(zone.slice(-2)) : 0;
    if (oh > 23 || om > 59) return { problem: `${zone} is not a time zone offset (at most ±23:59)` };
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const d = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return { ms: d.getTime() - offsetMin * 60_000 };
}
