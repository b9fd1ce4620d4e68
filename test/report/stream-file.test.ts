// Files written in pieces (--records, trace generate) check every write's byte count (issue 22 item 3):
// short writes are completed, a write that takes nothing or fails removes the temporary and is one
// located line (exit 2), never a truncated file renamed into place.
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { setWriteFunction, StreamFile } from '../../src/report/write.js';
import { cli, STACK } from '../helpers/cli.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'lsim-stream-'));
afterEach(() => setWriteFunction());

function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}

/** 300 lines of 1 KB: several 64 KiB chunks. */
const LINES = Array.from({ length: 300 }, (_, i) => `${String(i).padStart(4, '0')},${'x'.repeat(1018)}\n`);

describe('StreamFile', () => {
  it('completes short writes: a device taking at most 7 bytes per write still gets every byte, in order', () => {
    const dir = fresh();
    let calls = 0;
    setWriteFunction((fd, buf, off, len) => {
      calls++;
      return writeSync(fd, buf, off, Math.min(len, 7));
    });
    const f = new StreamFile(join(dir, 'a.csv'), '--records');
    for (const l of LINES) f.write(l);
    f.commit();
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe(LINES.join(''));
    // Chunks are flushed at 64 KiB: four of 64 lines, then the last 44 lines at commit.
    expect(calls).toBe(4 * Math.ceil(65_536 / 7) + Math.ceil((44 * 1024) / 7));
    expect(readdirSync(dir)).toEqual(['a.csv']);
  });

  it('a write that takes no bytes is an error, not a truncated file', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'a.csv'), 'previous');
    let written = 0;
    setWriteFunction((fd, buf, off, len) => {
      const n = Math.max(0, Math.min(len, 100_000 - written));
      written += n;
      return n === 0 ? 0 : writeSync(fd, buf, off, n);
    });
    const f = new StreamFile(join(dir, 'a.csv'), '--records', 'a.csv');
    const e = userError(() => {
      for (const l of LINES) f.write(l);
      f.commit();
    });
    expect(e.message).toBe('--records a.csv: cannot write: a write took no bytes (ESHORT); nothing was written');
    expect(readdirSync(dir)).toEqual(['a.csv']);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('previous');
  });

  it('a full device (/dev/full: the OS answers ENOSPC) removes the temporary and names the reason', () => {
    const dir = fresh();
    const full = openSync('/dev/full', 'w');
    try {
      setWriteFunction((_fd, buf, off, len) => writeSync(full, buf, off, len));
      const f = new StreamFile(join(dir, 't.csv'), '--out', 't.csv');
      f.write('timestamp,function\n');
      expect(userError(() => f.commit()).message).toBe('--out t.csv: cannot write: no space left on the device (ENOSPC); nothing was written');
    } finally {
      closeSync(full);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('abort removes the temporary; the temporary is named for this process', () => {
    const dir = fresh();
    const f = new StreamFile(join(dir, 'r.csv'), '--records');
    f.write('a\n');
    expect(readdirSync(dir)).toEqual([`.r.csv.lsim-${process.pid}.tmp`]);
    f.abort();
    f.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the CLI on a failing write: exit 2, one line with the path and the OS reason, no file', () => {
  const OK = 'name: ok\nduration: 10m\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - function: f\n    arrivals: { poisson: 20/s }\n';
  /** Fails with ENOSPC once `budget` bytes are written, after a short write that reaches it. */
  const diskFullAfter = (budget: number) => {
    let written = 0;
    setWriteFunction((fd, buf, off, len) => {
      if (written >= budget) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(len, budget - written);
      written += n;
      return writeSync(fd, buf, off, n);
    });
  };

  for (const [what, args, path, file] of [
    ['run --records', ['run', 's.yaml', '--records', 'r.csv', '--format', 'json'], '--records r', 'r.csv'],
    ['trace generate (requests)', ['trace', 'generate', 's.yaml', '--out', 't.csv'], '--out .*t', 't.csv'],
    // The trace file is whole; the second file (durations) meets the full disk: neither is left.
    ['trace generate (azure: two files)', ['trace', 'generate', 's.yaml', '--format', 'azure', '--out', 't.csv'], '--out .*t\\.durations', 't.csv'],
  ] as const) {
    it(what, async () => {
      const dir = fresh();
      writeFileSync(join(dir, 's.yaml'), OK);
      const first = fresh();
      writeFileSync(join(first, 's.yaml'), OK);
      expect((await cli([...args], { cwd: first })).code).toBe(0);
      diskFullAfter(what.includes('azure') ? readFileSync(join(first, file)).length + 10 : 70_000);
      const r = await cli([...args], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).toMatch(new RegExp(`^lsim: ${path}.*\\.csv: cannot write: no space left on the device \\(ENOSPC\\); nothing was written\\n$`));
      expect(readdirSync(dir)).toEqual(['s.yaml']);
      // The same run with room to spare writes the file.
      setWriteFunction();
      expect((await cli([...args], { cwd: dir })).code).toBe(0);
      expect(readFileSync(join(dir, file), 'utf8')).toBe(readFileSync(join(first, file), 'utf8'));
    });
  }
});
