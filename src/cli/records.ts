/**
 * `lsim run --records FILE.csv` (issue 4): every record an async workload sends
 * to its DLQ or a destination, and every event it drops, one CSV row each, as
 * the run produces them (`SimulateOptions.onAsyncRecord`).
 *
 * Written whole or not at all, like src/report/write.ts: rows go to a temporary
 * file beside the target, in chunks of at most ~64 KiB (memory does not grow
 * with the number of records), and the file is renamed into place only when the
 * run and every other report have been written. On failure it is removed.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { UserError } from '../errors.js';
import type { AsyncRecord } from '../invoke/async.js';
import { round } from '../sim/result.js';

export const RECORD_COLUMNS = ['workload', 'event', 'accepted_at_ms', 'at_ms', 'target', 'reason', 'attempts', 'age_ms'] as const;

const FLUSH_AT = 64 * 1024;

export class RecordsFile {
  private readonly tmp: string;
  private fd: number;
  private buffer = '';
  /** Rows written so far. */
  rows = 0;

  /** Opens the temporary file. @throws UserError when the folder is missing or not writable. */
  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new UserError(`${path}: cannot write the records file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    this.buffer = stringify([RECORD_COLUMNS as unknown as string[]]);
  }

  /** One row (a bound function: pass it as `onAsyncRecord`). */
  readonly add = (r: AsyncRecord): void => {
    this.buffer += stringify([[r.workload, r.event, round(r.acceptedAtMs, 3), round(r.atMs, 3), r.target, r.reason, r.attempts, round(r.ageMs, 3)]]);
    this.rows++;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  };

  private flush(): void {
    try {
      writeSync(this.fd, this.buffer);
    } catch (e) {
      throw new UserError(`${this.path}: cannot write the records file (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing was written`);
    }
    this.buffer = '';
  }

  /** Writes what is left and closes the temporary file (still under its temporary name). */
  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  /** Renames the closed file into place; returns its path. */
  commit(): string {
    renameSync(this.tmp, this.path);
    return this.path;
  }

  /** Removes the temporary file (after a failure). */
  abort(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed or never usable: the file is removed below either way
      }
      this.fd = -1;
    }
    rmSync(this.tmp, { force: true });
  }
}
