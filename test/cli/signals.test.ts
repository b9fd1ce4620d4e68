// SIGINT and SIGTERM during a run or a write (issue 22 item 5): the process (bin/lsim.js: `run` and
// `compare` on its main thread in slices, other commands on a worker thread: src/cli/process.ts) removes
// its temporaries, prints one line and exits 130 or 143. The signal is sent when a marker shows the work
// is under way (the temporary exists and has rows, the progress line is on stderr, or the process has
// spent a second of CPU), never after a fixed sleep; nothing here measures time.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../helpers/build.js';
import { cli } from '../helpers/cli.js';

const BIN = resolve('bin/lsim.js');
// 72 M requests: minutes of work, so every marker comes long before the end.
const LONG = 'name: long\nduration: 10h\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - function: f\n    arrivals: { poisson: 2000/s }\n';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Spawns lsim in `dir`, waits until `ready(dir, stderr, pid)` holds (checked whenever stderr grows and
 * every 20 ms), sends `signal`, and resolves when the process has ended.
 */
function interrupt(dir: string, args: string[], signal: NodeJS.Signals, ready: (stderr: string, pid: number) => boolean): Promise<Ended> {
  ensureBuilt();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    const check = () => {
      if (!sent && ready(stderr, child.pid!)) {
        sent = true;
        clearInterval(timer);
        child.kill(signal);
      }
    };
    const timer = setInterval(check, 20);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
      check();
    });
    child.on('error', fail);
    child.on('close', (code, sig) => {
      clearInterval(timer);
      done({ code, signal: sig, stderr });
    });
  });
}

/** The temporary of `name` written by `pid` exists and holds at least one chunk of rows. */
const tempHasRows = (dir: string, name: string) => (_: string, pid: number) => {
  try {
    return statSync(join(dir, `.${name}.lsim-${pid}.tmp`)).size > 0;
  } catch {
    return false;
  }
};

/** The process has spent `seconds` of CPU (utime + stime in /proc/<pid>/stat, in 1/100 s): past its load, into its runs. */
const busyFor = (seconds: number) => (_: string, pid: number) => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]) >= seconds * 100;
  } catch {
    return false;
  }
};

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-signal-'));
  writeFileSync(join(dir, 's.yaml'), LONG);
  return dir;
}

describe('signals: temporaries removed, one line, exit 128 + signal', () => {
  it('SIGINT during run --records: 130, the half-written records file is gone', async () => {
    const dir = folder();
    const r = await interrupt(dir, ['run', 's.yaml', '--records', 'r.csv'], 'SIGINT', tempHasRows(dir, 'r.csv'));
    expect(r).toEqual({ code: 130, signal: null, stderr: 'lsim: interrupted by SIGINT; removed 1 unfinished file\n' });
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  }, 60_000);

  it('SIGTERM during trace generate: 143, no temporary and no trace', async () => {
    const dir = folder();
    const r = await interrupt(dir, ['trace', 'generate', 's.yaml', '--out', 't.csv', '--allow-large'], 'SIGTERM', tempHasRows(dir, 't.csv'));
    expect(r).toEqual({ code: 143, signal: null, stderr: 'lsim: interrupted by SIGTERM; removed 1 unfinished file\n' });
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  }, 60_000);

  it('SIGTERM during a run with --out (marker: the progress line): 143, no report set, no temporary', async () => {
    const dir = folder();
    const r = await interrupt(dir, ['run', 's.yaml', '--out', 'out', '--progress'], 'SIGTERM', (stderr) => stderr.includes('simulated'));
    expect(r.code).toBe(143);
    // The progress line, then the one line.
    expect(r.stderr).toMatch(/^\r▕[^\n]*simulated[^\n]*lsim: interrupted by SIGTERM; no file was left half-written\n$/);
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  }, 60_000);
});

describe('compare runs on the main thread too (src/cli/process.ts)', () => {
  it('SIGINT during compare --out (marker: a second of CPU spent): 130, no report set', async () => {
    const dir = folder();
    const r = await interrupt(dir, ['compare', 's.yaml', 's.yaml', '--out', 'out'], 'SIGINT', busyFor(1));
    expect(r).toEqual({ code: 130, signal: null, stderr: 'lsim: interrupted by SIGINT; no file was left half-written\n' });
    expect(readdirSync(dir)).toEqual(['s.yaml']);
  }, 60_000);
});

describe('the next run removes what a killed writer left (kill -9 cannot be caught)', () => {
  it('SIGKILL during run --records leaves a temporary; the next write into the folder removes it', async () => {
    const dir = folder();
    let victim = 0;
    const r = await interrupt(dir, ['run', 's.yaml', '--records', 'r.csv'], 'SIGKILL', (s, pid) => {
      victim = pid;
      return tempHasRows(dir, 'r.csv')(s, pid);
    });
    expect(r.signal).toBe('SIGKILL');
    expect(readdirSync(dir).sort()).toEqual([`.r.csv.lsim-${victim}.tmp`, 's.yaml']);
    writeFileSync(join(dir, 'ok.yaml'), LONG.replace('10h', '1s'));
    const next = await cli(['run', 'ok.yaml', '--records', 'r.csv'], { cwd: dir });
    expect(next.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['ok.yaml', 'r.csv', 's.yaml']);
  }, 60_000);
});
