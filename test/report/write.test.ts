// Report sets are written whole or not at all, and switched in as a whole (issue 22 items 3–5, 7).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkWritable, cleanTemps, removeStaleTemps, writeFileWhole, writeReports } from '../../src/report/write.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'lsim-write-'));
/** A pid that is not running (pids are far below this on Linux). */
const DEAD = 4_000_000;

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('writeReports', () => {
  it('writes a new set, then replaces it as a whole: no file of the old set survives', () => {
    const root = fresh();
    const out = join(root, 'out');
    expect(writeReports(out, { 'report.txt': 'a', 'result.json': '{}', 'summary.csv': 'x' })).toEqual(['report.txt', 'result.json', 'summary.csv'].map((f) => join(out, f)));
    writeReports(out, { 'report.txt': 'b', 'result.json': '[]' });
    expect(readdirSync(out).sort()).toEqual(['report.txt', 'result.json']);
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe('b');
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('a failed write leaves the previous set as it was and no temporary', () => {
    const root = fresh();
    const out = join(root, 'out');
    writeReports(out, { 'report.txt': 'old', 'result.json': '{}' });
    // A name the file system refuses (a folder that does not exist inside the set).
    const e = userError(() => writeReports(out, { 'report.txt': 'new', 'missing/result.json': '{}' }));
    expect(e.message).toMatch(/^--out .*missing\/result\.json: cannot write: no such file or directory \(ENOENT\); nothing was written$/);
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['out']);
  });

  it('refuses a directory holding files lsim did not write, and touches nothing', () => {
    const out = join(fresh(), 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.md'), 'keep me');
    expect(userError(() => writeReports(out, { 'report.txt': 'x' })).message).toMatch(/holds files lsim did not write \(notes\.md\)/);
    expect(readdirSync(out)).toEqual(['notes.md']);
  });

  it('refuses a path that is a file, or on a virtual file system', () => {
    const file = join(fresh(), 'f');
    writeFileSync(file, '');
    expect(userError(() => writeReports(file, { 'report.txt': 'x' })).message).toMatch(/is a file, not a directory/);
    expect(userError(() => writeReports('/proc/self/lsim-out', { 'report.txt': 'x' })).message).toMatch(/virtual file system/);
  });

  it('removes the temporaries of a writer that was killed; restores a set it had moved aside', () => {
    const root = fresh();
    mkdirSync(join(root, `.out.lsim-${DEAD}.tmp`));
    writeFileSync(join(root, `.out.lsim-${DEAD}.tmp`, 'report.txt'), 'half');
    mkdirSync(join(root, `.prev.lsim-${DEAD}.old`));
    writeFileSync(join(root, `.prev.lsim-${DEAD}.old`, 'report.txt'), 'previous');
    writeFileSync(join(root, `.records.csv.lsim-${DEAD}.tmp`), 'a,b');
    // A live writer's temporary (this process) is left alone.
    writeFileSync(join(root, `.other.lsim-${process.pid}.tmp`), '');
    removeStaleTemps(root);
    expect(readdirSync(root).sort()).toEqual([`.other.lsim-${process.pid}.tmp`, 'prev']);
    expect(readFileSync(join(root, 'prev', 'report.txt'), 'utf8')).toBe('previous');
  });
});

describe('checkWritable (an --out that could not be written is refused before the run)', () => {
  /** An access check that refuses `denied` as the OS would (as root the real one passes every directory). */
  const refusing = (denied: string, code: string) => (path: string) => {
    if (path === denied) throw Object.assign(new Error(code), { code });
  };

  it('checks the nearest directory that exists above the target, and names it as typed', () => {
    const root = fresh();
    mkdirSync(join(root, 'a'));
    const seen: string[] = [];
    checkWritable(join(root, 'a', 'b', 'c', 'out'), 'a/b/c/out', (p) => void seen.push(p));
    expect(seen).toEqual([join(root, 'a')]);
    const e = userError(() => checkWritable(join(root, 'a', 'b', 'out'), 'a/b/out', refusing(join(root, 'a'), 'EACCES')));
    expect(e.message).toBe('--out a/b/out: cannot write in a: permission denied (EACCES); give a directory you can write to');
  });

  it('a read-only file system is refused even for root', () => {
    const root = fresh();
    const e = userError(() => checkWritable(join(root, 'out'), '/mnt/ro/out', refusing(root, 'EROFS')));
    expect(e.message).toBe('--out /mnt/ro/out: cannot write in /mnt/ro: read-only file system (EROFS); give a directory you can write to');
  });

  it('a writable place passes', () => {
    const root = fresh();
    expect(() => checkWritable(join(root, 'new', 'out'), 'new/out')).not.toThrow();
  });
});

describe('writeFileWhole', () => {
  it('writes through a temporary renamed into place; refuses a directory', () => {
    const root = fresh();
    writeFileWhole(join(root, 'a.yaml'), 'x');
    expect(readdirSync(root)).toEqual(['a.yaml']);
    expect(userError(() => writeFileWhole(root, 'x')).message).toMatch(/is a directory, not a file/);
    expect(existsSync(join(root, 'a.yaml'))).toBe(true);
  });
});

describe('cleanTemps (a signal in the middle of a write: src/cli/process.ts)', () => {
  it('between the two renames of a set: the half-written set goes, the previous set comes back', () => {
    const root = fresh();
    const tmp = join(root, `.out.lsim-${process.pid}.tmp`);
    const old = join(root, `.out.lsim-${process.pid}.old`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'report.txt'), 'new, half');
    mkdirSync(old);
    writeFileSync(join(old, 'report.txt'), 'previous');
    expect(cleanTemps([tmp, old])).toBe(2);
    expect(readdirSync(root)).toEqual(['out']);
    expect(readFileSync(join(root, 'out', 'report.txt'), 'utf8')).toBe('previous');
  });

  it('after the new set is in place: the previous set moved aside is removed, the new one kept', () => {
    const root = fresh();
    const old = join(root, `.out.lsim-${process.pid}.old`);
    mkdirSync(join(root, 'out'));
    writeFileSync(join(root, 'out', 'report.txt'), 'new');
    mkdirSync(old);
    expect(cleanTemps([join(root, `.out.lsim-${process.pid}.tmp`), old])).toBe(1);
    expect(readdirSync(root)).toEqual(['out']);
    expect(readFileSync(join(root, 'out', 'report.txt'), 'utf8')).toBe('new');
  });
});
