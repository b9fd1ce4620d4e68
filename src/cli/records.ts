/**
 * `lsim run --records FILE.csv` (issues 4 and 13.6): one CSV row per request the
 * result counts, for every invocation model, as the run produces them
 * (`SimulateOptions.onRecord`, src/metrics/records.ts for what the fields mean).
 *
 * Cells: numbers are written as numbers (times in ms to 3 decimals); a number
 * that does not apply (-1, NaN) is an empty cell. A text cell that begins with
 * `=`, `+`, `-`, `@`, a tab or a carriage return (a workload or function name is
 * any text) gets a leading single quote, so a spreadsheet shows it as text
 * instead of running it as a formula (CSV injection). Quoting is csv-stringify's
 * (RFC 4180: a cell with a quote, comma or line break is quoted, its quotes
 * doubled), done here by hand: a row is written per request, and csv-stringify's
 * per-call setup made a run of 2 M sync requests take 37 s instead of 16 s
 * (test/cli/records.test.ts checks the rows are byte for byte what csv-stringify
 * writes).
 *
 * Written whole or not at all through src/report/write.ts `StreamFile`: rows go
 * to a temporary file beside the target, in chunks of ~64 KiB (memory does not
 * grow with the number of records), every write's byte count checked, and the
 * file is renamed into place only when the run and every other report have been
 * written. On failure (or a signal) it is removed.
 */
import type { RequestRecord } from '../metrics/records.js';
import { round } from '../metrics/summary.js';
import { csvCell } from '../format.js';
import { StreamFile } from '../report/write.js';

export const RECORD_COLUMNS = [
  'workload',
  'model',
  'request',
  'function',
  'started_ms',
  'ended_ms',
  'latency_ms',
  'outcome',
  'reason',
  'attempts',
  'target',
  'shard',
  'sequence',
  'key',
] as const;

/** A text cell, neutralised against formula injection and quoted when it must be. */
function text(s: string): string {
  const safe = csvCell(s);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A count or id; -1 (does not apply) is an empty cell. */
function id(n: number): number | string {
  return n < 0 ? '' : n;
}

/** A time in ms to 3 decimals; NaN (open) is an empty cell. */
function ms(n: number): number | string {
  return Number.isNaN(n) ? '' : round(n, 3);
}

export class RecordsFile {
  private readonly file: StreamFile;
  /** Rows written so far. */
  rows = 0;

  /**
   * Opens the temporary file (src/report/write.ts `StreamFile`). `path` is resolved, `shown` as given.
   * @throws UserError for an empty path, a directory, a missing or unwritable folder.
   */
  constructor(
    readonly path: string,
    shown: string = path,
  ) {
    this.file = new StreamFile(path, '--records', shown);
    this.file.write(`${RECORD_COLUMNS.join(',')}\n`);
  }

  /** One row (a bound function: pass it as `onRecord`). */
  readonly add = (r: RequestRecord): void => {
    // model, outcome, reason and target are words of src/metrics/records.ts: nothing to quote.
    this.file.write(
      `${text(r.workload)},${r.model},${id(r.request)},${text(r.function)},${ms(r.startedMs)},${ms(r.endedMs)},` +
        `${ms(r.endedMs - r.startedMs)},${r.outcome},${r.reason},${r.attempts},${r.target},${id(r.shard)},${id(r.sequence)},${id(r.key)}\n`,
    );
    this.rows++;
  };

  /** Writes what is left and closes the temporary file (still under its temporary name). */
  close(): void {
    this.file.close();
  }

  /** Renames the closed file into place; returns its path. */
  commit(): string {
    return this.file.commit();
  }

  /** Removes the temporary file (after a failure). */
  abort(): void {
    this.file.abort();
  }
}
