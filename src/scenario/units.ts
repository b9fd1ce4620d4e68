/**
 * Strict parsers for the human units of scenario files: durations ("250ms",
 * "1.5h"), sizes ("1769MB", "1.5GB") and rates ("200/s", "12000/min").
 *
 * A value must carry its unit: a bare number is rejected, because "timeout: 10"
 * could mean seconds or milliseconds. Negative, non-finite and malformed values
 * are rejected with a message saying what is accepted.
 */

/** The outcome of parsing a value with a unit. */
export type Parsed = { ok: true; value: number } | { ok: false; error: string };

/** Milliseconds per duration unit. `m` and `min` are both minutes. */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Megabytes per size unit; Lambda's convention is 1 GB = 1024 MB (docs/sources.md §11). */
const SIZE_UNITS_MB: Readonly<Record<string, number>> = { KB: 1 / 1024, MB: 1, GB: 1024 };

/** Seconds per rate unit (the denominator of "n/unit"). */
const RATE_UNITS_S: Readonly<Record<string, number>> = { s: 1, m: 60, min: 60, h: 3_600, d: 86_400 };

const DURATION_HELP = 'use ms, s, m (or min), h or d, e.g. "250ms", "10s", "1.5h"';
const SIZE_HELP = 'use KB, MB or GB (1 GB = 1024 MB), e.g. "1769MB", "1.5GB", "100KB"';
const RATE_HELP = 'use /s, /min (or /m), /h or /d, e.g. "200/s", "12000/min"';

/** A number (digits, optional fraction and exponent, optional sign) followed by a unit. */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

function fail(error: string): Parsed {
  return { ok: false, error };
}

function show(input: unknown): string {
  return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

/**
 * Splits `input` into its number and unit text, or explains why it is not a
 * quantity. `what` names the kind of value ("a duration") and `example` is a
 * well-formed value for the "needs a unit" message.
 */
function splitQuantity(
  input: unknown,
  what: string,
  example: (n: string) => string,
  help: string,
): { ok: true; amount: number; unit: string } | { ok: false; error: string } {
  if (input === undefined || input === null) return { ok: false, error: `expected ${what}; ${help}` };
  if (typeof input === 'number') {
    const n = Number.isFinite(input) ? String(Math.abs(input)) : '3';
    return { ok: false, error: `${input} needs a unit, e.g. "${example(n)}"; ${help}` };
  }
  if (typeof input !== 'string') return { ok: false, error: `expected ${what}, got ${describe(input)}; ${help}` };
  const match = QUANTITY.exec(input.trim());
  if (!match) return { ok: false, error: `${show(input)} is not ${what}; ${help}` };
  const amount = Number(match[1]);
  const unit = match[2];
  if (!Number.isFinite(amount)) return { ok: false, error: `${show(input)} is not a finite number; ${help}` };
  if (amount < 0) return { ok: false, error: `${show(input)} must not be negative` };
  if (unit === '') return { ok: false, error: `${show(input)} needs a unit, e.g. "${example(match[1])}"; ${help}` };
  return { ok: true, amount, unit };
}

/** How a non-string value reads in a message. */
function describe(input: unknown): string {
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a map';
  return show(input);
}

/** Parses a duration such as "250ms", "10s", "10m", "10min", "1.5h" or "2d" into milliseconds. */
export function parseDurationMs(input: unknown): Parsed {
  const q = splitQuantity(input, 'a duration', (n) => `${n}s`, DURATION_HELP);
  if (!q.ok) return q;
  const perUnit = DURATION_UNITS_MS[q.unit];
  if (perUnit === undefined) return fail(`unknown duration unit "${q.unit}" in ${show(input)}; ${DURATION_HELP}`);
  return { ok: true, value: q.amount * perUnit };
}

/** Parses a size such as "1769MB" or "1.5GB" into megabytes (1 GB = 1024 MB). */
export function parseSizeMb(input: unknown): Parsed {
  const q = splitQuantity(input, 'a size', (n) => `${n}MB`, SIZE_HELP);
  if (!q.ok) return q;
  const perUnit = SIZE_UNITS_MB[q.unit];
  if (perUnit === undefined) return fail(`unknown size unit "${q.unit}" in ${show(input)}; ${SIZE_HELP}`);
  return { ok: true, value: q.amount * perUnit };
}

/** Parses a rate such as "200/s", "12000/min" or "3/h" into events per second. */
export function parseRatePerS(input: unknown): Parsed {
  const q = splitQuantity(input, 'a rate', (n) => `${n}/s`, RATE_HELP);
  if (!q.ok) return q;
  const unit = q.unit.startsWith('/') ? q.unit.slice(1).trim() : undefined;
  const perUnit = unit === undefined ? undefined : RATE_UNITS_S[unit];
  if (perUnit === undefined) return fail(`unknown rate unit "${q.unit}" in ${show(input)}; ${RATE_HELP}`);
  return { ok: true, value: q.amount / perUnit };
}

/** Largest first, so a duration is shown in the largest unit that keeps it readable. */
const DISPLAY_UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * Formats milliseconds for messages in the scenario syntax, e.g. 600000 → "10m",
 * 1500 → "1.5s", 250 → "250ms". It uses the largest unit in which the value is
 * at least 1 with at most two decimals, and the result parses back to the same
 * value when it is exact.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  for (const [unit, perUnit] of DISPLAY_UNITS) {
    const v = ms / perUnit;
    if (Math.abs(v) >= 1 && Math.abs(Math.round(v * 100) - v * 100) < 1e-6) return `${round(v)}${unit}`;
  }
  return `${round(ms)}ms`;
}

/** Up to three decimals, without trailing zeros. */
function round(v: number): string {
  return String(Math.round(v * 1000) / 1000);
}
