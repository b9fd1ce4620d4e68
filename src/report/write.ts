/**
 * Writes a set of report files whole or not at all: every file goes to a
 * temporary name in the target directory first, and only when all are written
 * are they renamed into place. On failure the temporaries are removed.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export function writeReports(dir: string, files: Record<string, string>): string[] {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`${dir}: cannot create the output directory (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const temps: string[] = [];
  try {
    for (const [name, content] of Object.entries(files)) {
      const tmp = join(dir, `.${name}.${process.pid}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, content);
    }
  } catch (e) {
    for (const t of temps) rmSync(t, { force: true });
    throw new UserError(`${dir}: cannot write the reports (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing was written`);
  }
  const written: string[] = [];
  Object.keys(files).forEach((name, i) => {
    const target = join(dir, name);
    renameSync(temps[i], target);
    written.push(target);
  });
  return written;
}
