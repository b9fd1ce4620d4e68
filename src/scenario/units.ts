/**
 * Strict parsers for the human units of scenario files: durations ("250ms",
 * "1.5h", "8h30m"), times of day ("08:15"), sizes ("1769MB", "1.5GB"), rates
 * ("200/s", "12000/min") and, for flags, counts ("3M").
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

const DURATION_HELP = 'use ms, s, m (or min), h or d, e.g. "250ms", "10s", "1.5h", "8h30m"';
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

/**
 * Parses a duration such as "250ms", "10s", "10m", "10min", "1.5h" or "2d", or a
 * compound one from the largest unit to the smallest ("8h30m", "1h 15m 30s"),
 * into milliseconds.
 */
export function parseDurationMs(input: unknown): Parsed {
  const q = splitQuantity(input, 'a duration', (n) => `${n}s`, DURATION_HELP);
  if (!q.ok) return q;
  const perUnit = DURATION_UNITS_MS[q.unit];
  const parsed =
    perUnit !== undefined
      ? { ok: true as const, value: q.amount * perUnit }
      : (parseCompoundDuration(String(input).trim()) ?? fail(`unknown duration unit "${q.unit}" in ${show(input)}; ${DURATION_HELP}`));
  return parsed.ok && !(parsed.value <= MAX_DURATION_MS) ? fail(`${show(input)} is longer than any duration lsim accepts (at most 100 years, 36525d)`) : parsed;
}

/** The longest duration of any kind a scenario may give: 100 years (longer runs and waits are typing slips or overflow). */
export const MAX_DURATION_MS = 36_525 * 86_400_000;

/** One part of a compound duration: a number and a unit ("min" and "ms" before "m"). */
const DURATION_PART = /(\d+\.?\d*|\.\d+)\s*(ms|min|s|m|h|d)\s*/y;

/** "8h30m" → 30,600,000; undefined when the text is not made of duration parts at all. */
function parseCompoundDuration(text: string): Parsed | undefined {
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let previous = Infinity;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    const perUnit = DURATION_UNITS_MS[m[2]];
    if (perUnit >= previous) return fail(`${show(text)}: give each unit once, from the largest to the smallest, e.g. "1h15m30s"`);
    previous = perUnit;
    total += Number(m[1]) * perUnit;
  }
  return { ok: true, value: total };
}

/** "08:15" or "18:30:00": hours 0–23, minutes and seconds 0–59. */
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$/;

/**
 * Parses a time of day in a schedule: a clock time ("08:15", "18:30:00") counted
 * from the start of the run, which is midnight, or any duration ("8h15m", "1d8h").
 */
export function parseTimeOfDayMs(input: unknown): Parsed {
  const m = typeof input === 'string' ? CLOCK.exec(input.trim()) : null;
  if (!m) {
    const d = parseDurationMs(input);
    return d.ok ? d : fail(`${d.error}; or a time of day like "08:15" or "18:30:00"`);
  }
  const [h, min, sec] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  if (h > 23 || min > 59 || sec >= 60) {
    return fail(`${show(input)} is not a time of day: hours go from 00 to 23, minutes and seconds from 00 to 59 (for a later day, write a duration such as "1d8h15m")`);
  }
  return { ok: true, value: h * 3_600_000 + min * 60_000 + sec * 1000 };
}

/** Multipliers of counts typed on the command line: 2.5k, 3M, 1.2B. */
const COUNT_SUFFIXES: Readonly<Record<string, number>> = { '': 1, k: 1e3, K: 1e3, M: 1e6, B: 1e9 };
const COUNT_HELP = 'write a number, optionally with k (thousand), M (million) or B (billion), e.g. "3000000", "3M", "2.5k", "1.2B"';

/** Parses a count typed on the command line, such as "3000000", "3e6", "3M", "2.5k" or "1.2B". */
export function parseCount(input: string): Parsed {
  const m = /^((?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*([a-zA-Z]?)$/.exec(input.trim());
  const per = m ? COUNT_SUFFIXES[m[2]] : undefined;
  if (!m || per === undefined) return fail(`${show(input)} is not a count; ${COUNT_HELP}`);
  // Rounded to 12 significant digits, so 1.2B is 1,200,000,000 and not 1,200,000,000.0000002.
  return { ok: true, value: Number((Number(m[1]) * per).toPrecision(12)) };
}

/** Parses a size such as "1769MB" or "1.5GB" into megabytes (1 GB = 1024 MB). */
export function parseSizeMb(input: unknown): Parsed {
  const q = splitQuantity(input, 'a size', (n) => `${n}MB`, SIZE_HELP);
  if (!q.ok) return q;
  const perUnit = SIZE_UNITS_MB[q.unit];
  if (perUnit === undefined) return fail(`unknown size unit "${q.unit}" in ${show(input)}; ${SIZE_HELP}`);
  const mb = q.amount * perUnit;
  return Number.isFinite(mb) ? { ok: true, value: mb } : fail(`${show(input)} is too large a size`);
}

/** Parses a rate such as "200/s", "12000/min" or "3/h" into events per second. */
export function parseRatePerS(input: unknown): Parsed {
  const q = splitQuantity(input, 'a rate', (n) => `${n}/s`, RATE_HELP);
  if (!q.ok) return q;
  const unit = q.unit.startsWith('/') ? q.unit.slice(1).trim() : undefined;
  const perUnit = unit === undefined ? undefined : RATE_UNITS_S[unit];
  if (perUnit === undefined) return fail(`unknown rate unit "${q.unit}" in ${show(input)}; ${RATE_HELP}`);
  const perS = q.amount / perUnit;
  return Number.isFinite(perS) ? { ok: true, value: perS } : fail(`${show(input)} is too large a rate`);
}

// ---------------------------------------------------------------------------
// Patterns of the same values for JSON Schema (`lsim schema`): editors check with them, the parsers
// above have the last word (ranges, and unit order in compound durations).

/** A non-negative number as the parsers read it. */
const AMOUNT = String.raw`\+?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?`;

/** Units as a regex alternative, longest first ("min" and "ms" before "m"). */
function alternatives(units: readonly string[]): string {
  return [...units].sort((a, b) => b.length - a.length).join('|');
}

/** A number followed by one of `units` (after `separator`, e.g. "/" for rates). */
export function quantityPattern(units: readonly string[], separator = ''): string {
  return String.raw`^\s*${AMOUNT}\s*${separator ? String.raw`${separator}\s*` : ''}(?:${alternatives(units)})\s*$`;
}

const DURATION_PARTS = String.raw`(?:${AMOUNT}\s*(?:${alternatives(Object.keys(DURATION_UNITS_MS))})\s*)+`;

export const UNIT_PATTERNS = {
  duration: String.raw`^\s*${DURATION_PARTS}$`,
  timeOfDay: String.raw`^\s*(?:\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*|${DURATION_PARTS})$`,
  size: quantityPattern(Object.keys(SIZE_UNITS_MB)),
  rate: quantityPattern(Object.keys(RATE_UNITS_S), '/'),
} as const;

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
