/**
 * Writing files whole or not at all (issue 22 items 3–5, 7).
 *
 * A report set (`--out DIR` of run, compare and sweep) is written into a fresh
 * temporary directory beside DIR and switched in as a whole: renamed into
 * place when DIR does not exist, or, when it does, DIR is renamed aside, the
 * new set renamed into its place and the old one removed. A reader therefore
 * sees the old set, the new set, or (for the instant between two renames) no
 * directory — never a mix of old and new files. Because the directory is
 * replaced as a whole, an existing DIR may hold only files lsim writes there.
 *
 * Every temporary this process is writing is registered, so an interrupted run
 * (SIGINT, SIGTERM: src/cli/process.ts) removes them before exiting, and the next
 * write into the same place removes those a killed process (`kill -9`) left
 * behind: names carry the writer's pid, and one whose pid is no longer alive is stale.
 */
import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../errors.js';

/** Files lsim writes into an `--out` directory (run, compare, sweep, sweep shards). */
const REPORT_FILE = /^(report\.(txt|html)|result\.json|(timeseries|summary|workloads|bill)\.csv|compare\.(txt|json|html)|sweep\.(txt|json|csv|html)|recommended\.(sam\.yaml|cfn\.yaml|tf)|shard-[\w.-]+\.json)$/;

/** Temporaries of this process (files or directories), removed on a signal. */
const active = new Set<string>();

/** `.NAME.lsim-PID.tmp` / `.old` beside the target NAME. */
const TEMP = /^\.(.+)\.lsim-(\d+)\.(tmp|old)$/;

/** The OS reason of a failed file operation, for messages. */
export function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    ENOENT: 'no such file or directory',
    EEXIST: 'already exists',
    EDQUOT: 'disk quota exceeded',
    EFBIG: 'file too large',
    EIO: 'input/output error',
    ESHORT: 'a write took no bytes',
  };
  return err?.code ? `${words[err.code] ?? err.code}${words[err.code] ? ` (${err.code})` : ''}` : String((e as Error)?.message ?? e);
}

/** The terminal's streams as paths: written directly (there is nothing to rename into place). */
const STD_STREAM = /^\/dev\/(stdout|stderr)$/;

/** Paths on virtual file systems where writing files makes no sense (and can block); `/dev/stdout` and `/dev/stderr` only when `std`. */
function refuseVirtual(path: string, what: string, std = true): void {
  if (/^\/(proc|sys|dev)(\/|$)/.test(path) && !(std && STD_STREAM.test(path))) {
    throw new UserError(`${what} ${path}: is on a virtual file system (/proc, /sys or /dev); give a path on a disk`);
  }
}

/** Told of every temporary registered (`true`) or released (`false`): the CLI's worker tells its process (src/cli/process.ts). */
let tempListener: ((path: string, active: boolean) => void) | null = null;

/** Sets (or clears) the listener of registered temporaries. */
export function onTempChange(listener: ((path: string, active: boolean) => void) | null): void {
  tempListener = listener;
}

/** Registers a temporary this process is about to write (a signal removes it). */
export function trackTemp(path: string): void {
  active.add(path);
  tempListener?.(path, true);
}

/** The temporary is renamed into place or removed: no longer this process's to clean up. */
export function untrackTemp(path: string): void {
  if (active.delete(path)) tempListener?.(path, false);
}

/**
 * Cleans up temporaries of an interrupted writer: every `.tmp` is removed, then a `.old` (a previous
 * set moved aside) is put back when its target is missing (the new set never got in place), else removed.
 * Returns how many were removed or restored.
 */
export function cleanTemps(paths: Iterable<string>): number {
  const list = [...paths];
  let n = 0;
  for (const p of list.filter((x) => !x.endsWith('.old'))) {
    if (existsSync(p)) n++;
    rmSync(p, { recursive: true, force: true });
  }
  for (const p of list.filter((x) => x.endsWith('.old'))) {
    const m = TEMP.exec(basename(p));
    const target = m ? join(dirname(p), m[1]) : null;
    if (!existsSync(p)) continue;
    n++;
    if (target !== null && !existsSync(target)) renameSync(p, target);
    else rmSync(p, { recursive: true, force: true });
  }
  return n;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporaries dead writers left in `parent`: `.NAME.lsim-PID.tmp` (a set half written)
 * and `.NAME.lsim-PID.old` (a set renamed aside by a writer killed before it put the new one in place:
 * restored when NAME is missing, else removed).
 */
export function removeStaleTemps(parent: string): void {
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of entries) {
    const m = TEMP.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    const path = join(parent, name);
    const target = join(parent, m[1]);
    if (m[3] === 'old' && !existsSync(target)) renameSync(path, target);
    else rmSync(path, { recursive: true, force: true });
  }
}

/**
 * The path as the OS will reach it: the real path of its longest existing part (symbolic links
 * followed, `..` resolved by the file system), with the rest appended.
 */
export function realish(path: string): string {
  let head = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync(head), ...rest);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(path);
      rest.unshift(basename(head));
      head = up;
    }
  }
}

/** Whether `inner` is `outer` or below it (both absolute). */
export function within(inner: string, outer: string): boolean {
  const r = relative(outer, inner);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/**
 * The first part of `target` (an absolute path, typed as `shown`) that exists and is not a directory,
 * as typed (`afile` of `afile/sub`), or null when there is none.
 */
function fileOnTheWay(target: string, shown: string): string | null {
  let t = dirname(target);
  let s = dirname(shown);
  for (;;) {
    try {
      if (!statSync(t).isDirectory()) return s;
      return null;
    } catch {
      // not there (yet): its parent decides
    }
    const up = dirname(t);
    if (up === t) return null;
    t = up;
    s = dirname(s);
  }
}

/**
 * Creates the directory `dir` (and its parents) that `target` goes in, or explains why it cannot be:
 * `what shown` is the flag and `target`'s path as the user gave it (`afile/sub`: "afile is a file").
 */
function makeDir(dir: string, what: string, target: string, shown: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const file = code === 'EEXIST' || code === 'ENOTDIR' ? fileOnTheWay(target, shown) : null;
    if (file !== null) throw new UserError(`${what} ${shown}: ${file} is a file, not a directory`);
    // `dir` as typed: `shown` less as many parts as `dir` is above `target`.
    let [t, s] = [target, shown];
    while (t !== dir && dirname(t) !== t) [t, s] = [dirname(t), dirname(s)];
    throw new UserError(`${what} ${shown}: cannot create the directory ${t === dir ? s : dir}: ${reason(e)}`);
  }
}

/**
 * Refuses, before the run, an `--out` whose set could not be written: the set is made beside `target` and
 * renamed into place, so the nearest directory above `target` that exists (the one `mkdir` would create
 * the rest in) must be writable and searchable. `shown`: `target` as typed; `access`: the check (a test
 * gives its own: as root every directory is writable, but a read-only file system is not). @throws UserError
 */
export function checkWritable(target: string, shown: string, access: (path: string, mode: number) => void = accessSync): void {
  let t = dirname(target);
  let s = dirname(shown);
  while (!existsSync(t) && dirname(t) !== t) [t, s] = [dirname(t), dirname(s)];
  try {
    access(t, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new UserError(`--out ${shown}: cannot write in ${s}: ${reason(e)}; give a directory you can write to`);
  }
}

/**
 * Refuses an `--out` report directory that lsim cannot replace as a whole, before any work is done: an
 * empty path, `/`, the directory `cwd` is in or one above it (replacing it would leave the shell in a
 * deleted directory), a symbolic link to nothing, a file, a path through a file, a directory holding
 * files lsim did not write. `dir`: the path (resolved against the process's directory); `shown`: as typed.
 * Returns the directory the reports go to: `dir`, or the directory a symbolic link `dir` points to
 * (the set is written through the link, which is left as it is). @throws UserError
 */
export function checkReportDir(dir: string, shown: string = dir, cwd: string = process.cwd()): string {
  if (shown === '' || dir === '') throw new UserError('--out: the path is empty; give a directory');
  let target = resolve(dir);
  refuseVirtual(target, '--out');
  let link = false;
  try {
    link = lstatSync(target).isSymbolicLink();
  } catch {
    // not there: written new
  }
  if (link) {
    try {
      target = realpathSync(target);
    } catch {
      throw new UserError(`--out ${shown}: is a symbolic link to a directory that does not exist; create it, or give another --out`);
    }
  }
  const real = realish(target);
  if (dirname(real) === real) throw new UserError(`--out ${shown}: is the root directory, which lsim would replace as a whole; give a new or empty directory, e.g. --out reports`);
  const here = realish(cwd);
  if (within(here, real)) {
    const what = real === here ? 'is the current directory' : `holds the current directory (${cwd})`;
    throw new UserError(`--out ${shown}: ${what}, which lsim would replace as a whole; give a new or empty directory, e.g. --out reports`);
  }
  const file = fileOnTheWay(target, link ? target : shown);
  if (file !== null) throw new UserError(`--out ${shown}: ${file} is a file, not a directory`);
  checkWritable(target, link ? target : shown);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new UserError(`--out ${shown}: is a file, not a directory`);
    const foreign = readdirSync(target).filter((n) => !REPORT_FILE.test(n));
    if (foreign.length > 0) {
      const list = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? `, … (${foreign.length} in all)` : '');
      throw new UserError(`--out ${shown}: holds files lsim did not write (${list}); lsim replaces its --out directory as a whole, so give a new or empty one`);
    }
  }
  return target;
}

/**
 * Writes `files` (name → content) as the directory `dir`, whole or not at all; returns the paths
 * written. @throws UserError naming the path and the OS reason; nothing is left behind.
 */
export function writeReports(dir: string, files: Record<string, string>, shown: string = dir): string[] {
  // A symbolic link is written through: the set replaces the directory it points to, and the link stays.
  const target = checkReportDir(dir, shown);
  const parent = dirname(target);
  makeDir(parent, '--out', target, target === resolve(dir) ? shown : target);
  removeStaleTemps(parent);
  const tmp = tempBeside(target);
  const old = join(parent, `.${basename(target)}.lsim-${process.pid}.old`);
  trackTemp(tmp);
  try {
    rmSync(tmp, { recursive: true, force: true });
    try {
      mkdirSync(tmp);
    } catch (e) {
      throw new UserError(`--out ${shown}: cannot write: ${reason(e)}; nothing was written`);
    }
    for (const [file, content] of Object.entries(files)) {
      try {
        writeFileSync(join(tmp, file), content);
      } catch (e) {
        throw new UserError(`--out ${join(shown, file)}: cannot write: ${reason(e)}; nothing was written`);
      }
    }
    try {
      if (existsSync(target)) {
        trackTemp(old);
        renameSync(target, old);
        renameSync(tmp, target);
        rmSync(old, { recursive: true, force: true });
        untrackTemp(old);
      } else renameSync(tmp, target);
    } catch (e) {
      // Put the old set back if it was moved aside.
      if (existsSync(old) && !existsSync(target)) renameSync(old, target);
      throw new UserError(`--out ${shown}: cannot put the reports in place: ${reason(e)}; the previous set (if any) is unchanged`);
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    untrackTemp(tmp);
  }
  return Object.keys(files).map((file) => join(shown, file));
}

/**
 * Writes one file whole or not at all: into `.NAME.lsim-PID.tmp` beside it, then renamed into place.
 * `what` names the flag in messages (`--out`, `--records`) and `shown` the path as the user gave it.
 * @throws UserError naming the path and the OS reason.
 */
export function writeFileWhole(path: string, content: string, what = '--out', shown: string = path): void {
  const target = resolve(path);
  refuseVirtual(target, what);
  if (STD_STREAM.test(target)) {
    // A stream, not a file: no temporary beside it (that would be a file in /dev renamed over the link).
    try {
      writeFileSync(target, content);
    } catch (e) {
      throw new UserError(`${what} ${shown}: cannot write: ${reason(e)}`);
    }
    return;
  }
  const parent = dirname(target);
  makeDir(parent, what, target, shown);
  removeStaleTemps(parent);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UserError(`${what} ${shown}: is a directory, not a file`);
  const tmp = tempBeside(target);
  trackTemp(tmp);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UserError(`${what} ${shown}: cannot write: ${reason(e)}; nothing was written`);
  } finally {
    untrackTemp(tmp);
  }
}

/** The temporary name this process uses for `target` while writing it: `.NAME.lsim-PID.tmp` beside it. */
export function tempBeside(target: string): string {
  return join(dirname(target), `.${basename(target)}.lsim-${process.pid}.tmp`);
}

/**
 * The write(2) of {@link StreamFile}: writes up to `length` bytes of `buffer` from `offset` to `fd`
 * and returns how many it wrote (fewer is a short write). Tests put a failing or short one in
 * ({@link setWriteFunction}); the default is Node's `fs.writeSync`.
 */
export type WriteFunction = (fd: number, buffer: Uint8Array, offset: number, length: number) => number;

const osWrite: WriteFunction = (fd, buffer, offset, length) => writeSync(fd, buffer, offset, length);
let writeFunction: WriteFunction = osWrite;

/** Replaces the write function of every {@link StreamFile} (tests); no argument restores `fs.writeSync`. */
export function setWriteFunction(f?: WriteFunction): void {
  writeFunction = f ?? osWrite;
}

/** Bytes buffered before a write (memory does not grow with the file). */
const CHUNK = 64 * 1024;

/**
 * A file written in pieces (`--records`, `lsim trace generate`), whole or not at all: the text goes
 * to `.NAME.lsim-PID.tmp` beside the target in chunks of ~64 KiB, every write's byte count is
 * checked (a short write writes the rest; a write that takes nothing, or fails, is an error),
 * and `commit` renames the finished file into place. Any failure removes the temporary and throws a
 * UserError naming the flag, the path and the OS reason. The temporary is registered, so a signal
 * removes it (src/cli/main.ts), and one a killed process left is removed by the next writer.
 */
export class StreamFile {
  private readonly tmp: string;
  private fd = -1;
  private buffer = '';
  /** Bytes written to the temporary so far. */
  bytes = 0;

  /**
   * Opens the temporary. `path` is resolved; `shown` is the path as the user gave it (messages) and
   * `what` the flag (`--records`, `--out`). @throws UserError for an empty path, a directory, a
   * virtual file system, a missing or unwritable folder.
   */
  constructor(
    readonly path: string,
    readonly what: string,
    readonly shown: string = path,
  ) {
    if (shown === '') throw new UserError(`${what}: the path is empty; give a file name`);
    const target = resolve(path);
    // Not even /dev/stdout: the file is renamed into place when complete.
    refuseVirtual(target, what, false);
    if (existsSync(target) && statSync(target).isDirectory()) throw new UserError(`${what} ${shown}: is a directory, not a file`);
    const file = fileOnTheWay(target, shown);
    if (file !== null) throw new UserError(`${what} ${shown}: ${file} is a file, not a directory`);
    removeStaleTemps(dirname(target));
    this.tmp = tempBeside(target);
    // Registered before it exists, so a signal at any instant knows of it.
    trackTemp(this.tmp);
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      untrackTemp(this.tmp);
      throw new UserError(`${what} ${shown}: cannot write: ${reason(e)}`);
    }
  }

  /** Appends text (written when ~64 KiB have gathered). */
  write(s: string): void {
    this.buffer += s;
    if (this.buffer.length >= CHUNK) this.flush();
  }

  private fail(e: unknown): never {
    this.abort();
    throw new UserError(`${this.what} ${this.shown}: cannot write: ${reason(e)}; nothing was written`);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const bytes = Buffer.from(this.buffer, 'utf8');
    this.buffer = '';
    let off = 0;
    try {
      while (off < bytes.length) {
        const n = writeFunction(this.fd, bytes, off, bytes.length - off);
        if (!(n > 0)) throw Object.assign(new Error('a write took no bytes'), { code: 'ESHORT' });
        off += n;
      }
    } catch (e) {
      this.fail(e);
    }
    this.bytes += off;
  }

  /** Writes what is left and closes the temporary (still under its temporary name). */
  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
      this.fd = -1;
    } catch (e) {
      this.fail(e);
    }
  }

  /** Closes (if open) and renames the file into place; returns its path. */
  commit(): string {
    if (this.fd >= 0) this.close();
    try {
      renameSync(this.tmp, this.path);
    } catch (e) {
      this.fail(e);
    }
    untrackTemp(this.tmp);
    return this.path;
  }

  /** Removes the temporary (after a failure anywhere); safe to call twice. */
  abort(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // never usable or already gone: the file is removed below either way
      }
      this.fd = -1;
    }
    rmSync(this.tmp, { force: true });
    untrackTemp(this.tmp);
  }
}
