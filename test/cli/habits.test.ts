// What people expect of a command-line tool (issue 13.2): --version, help, did-you-mean, completion,
// NO_COLOR / FORCE_COLOR, `-` for standard input, progress lines, and a reader that goes away (EPIPE).
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WriteStream } from 'node:tty';
import { describe, expect, it } from 'vitest';
import { humanDuration, progressLine } from '../../src/cli/progress.js';
import { ensureBuilt } from '../helpers/build.js';
import { cli, STACK } from '../helpers/cli.js';

const ESC = '\x1b[';
const nodeHasColors = (env?: object) => (WriteStream.prototype.hasColors as (env?: object) => boolean).call(undefined, env);

/** A clock that moves `stepMs` every time it is read. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('version, help and usage errors', () => {
  it('--version prints the version of package.json', async () => {
    const r = await cli(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync('package.json', 'utf8')).version}\n`, stderr: '' });
  });

  it('--help lists every command, trace and completion included, on stdout', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const c of ['run', 'validate', 'init', 'schema', 'price', 'sweep', 'merge', 'compare', 'explain', 'trace', 'play', 'completion']) expect(r.stdout).toContain(`lsim ${c}`);
  });

  it('no command: exit 2, the message names every command', async () => {
    const r = await cli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('lsim: Give a command: run, validate, init, schema, price, sweep, merge, provision, compare, explain, trace, play, completion (see lsim --help).\n');
  });

  it('a mistyped command or flag gets a suggestion; exit 2, no stack trace, nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['rnu', 'scenarios/teaching.yaml'], 'lsim: unknown command "rnu" (did you mean "run"?)\n'],
      [['valdate', 'x.yaml'], 'lsim: unknown command "valdate" (did you mean "validate"?)\n'],
      [['fly'], 'lsim: unknown command "fly" (did you mean "play"?)\n'],
      [['swim'], 'lsim: unknown command "swim"; the commands are run, validate, init, schema, price, sweep, merge, provision, compare, explain, trace, play, completion\n'],
      [['run', 'scenarios/teaching.yaml', '--formt', 'json'], 'lsim: unknown option --formt (did you mean --format?)\n'],
      [['price', '--requests', '1', '--duration', '1ms', '--pricebook', 'x'], 'lsim: unknown option --pricebook (did you mean --price-book?)\n'],
      [['run', 'scenarios/teaching.yaml', '--formt=json', '--sed', '3'], 'lsim: 2 problems:\nunknown option --formt (did you mean --format?)\nunknown option --sed (did you mean --seed?)\n'],
      [['run', 'a.yaml', 'b.yaml'], 'lsim: unexpected argument "b.yaml"\n'],
    ];
    for (const [args, stderr] of cases) {
      const r = await cli(args);
      expect({ args, ...r }).toEqual({ args, code: 2, stdout: '', stderr });
    }
  });
});

describe('shell completion', () => {
  it('lsim completion --help prints its help, not the script', async () => {
    const r = await cli(['completion', '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^lsim completion\n\nPrint a shell completion script \(bash, zsh\): lsim completion >> ~\/\.bashrc\n/);
    expect(r.stdout).not.toContain('--get-yargs-completions');
  });

  it('lsim completion prints a script; the script asks lsim for the words', async () => {
    const script = await cli(['completion']);
    expect(script.code).toBe(0);
    expect(script.stdout).toContain('--get-yargs-completions');
    const words = await cli(['--get-yargs-completions', 'lsim', 'ru']);
    expect(words.code).toBe(0);
    expect(words.stdout.split('\n')).toContain('run');
    const flags = await cli(['--get-yargs-completions', 'lsim', 'run', 'x.yaml', '--']);
    expect(flags.stdout.split('\n')).toEqual(expect.arrayContaining(['--format', '--out', '--records', '--seed', '--set', '--progress']));
    // A one-letter alias is not offered as `--o` (which works, but no one types it).
    expect(flags.stdout.split('\n')).not.toContain('--o');
  });

  it("an option's values complete (the shell sends an empty last word, which is not an empty value then)", async () => {
    const r = await cli(['--get-yargs-completions', 'lsim', 'run', 'x.yaml', '--format', '']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['text', 'json', 'html', 'csv']);
  });
});

describe('colour: NO_COLOR and FORCE_COLOR', () => {
  const run = (env: Record<string, string | undefined>, tty: boolean) =>
    cli(['run', 'scenarios/teaching.yaml'], { env, stdoutTTY: tty, stdoutHasColors: tty ? nodeHasColors : undefined });

  it('a terminal that has colours gets them; NO_COLOR, FORCE_COLOR=0 and TERM=dumb turn them off', async () => {
    expect((await run({ TERM: 'xterm-256color' }, true)).stdout).toContain(ESC);
    for (const env of [{ TERM: 'xterm-256color', NO_COLOR: '1' }, { TERM: 'xterm-256color', FORCE_COLOR: '0' }, { TERM: 'dumb' }]) {
      expect((await run(env, true)).stdout).not.toContain(ESC);
    }
  });

  it('a pipe gets colour only with FORCE_COLOR', async () => {
    expect((await run({ TERM: 'xterm-256color' }, false)).stdout).not.toContain(ESC);
    const forced = await run({ FORCE_COLOR: '1' }, false);
    expect(forced.stdout).toContain(ESC);
    expect(forced.stdout.replace(/\x1b\[\d+m/g, '')).toBe(readFileSync('reports/teaching.txt', 'utf8'));
    expect((await run({ FORCE_COLOR: '0' }, false)).stdout).not.toContain(ESC);
  });
});

describe('- reads the scenario from standard input', () => {
  const teaching = readFileSync('scenarios/teaching.yaml', 'utf8');

  it('run - prints the same report as the file', async () => {
    const r = await cli(['run', '-'], { stdin: [teaching] });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readFileSync('reports/teaching.txt', 'utf8'));
  });

  it('validate - names it <stdin>, read once even when given twice; problems are located in <stdin>', async () => {
    const ok = await cli(['validate', '-', 'scenarios/burst.yaml', '-'], { stdin: [teaching.slice(0, 100), teaching.slice(100)] });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('<stdin>: ok (1 function, 1 workload, 2m)\nscenarios/burst.yaml: ok (2 functions, 2 workloads, 10m)\n<stdin>: ok (1 function, 1 workload, 2m)\n');
    const bad = await cli(['run', '-'], { stdin: ['name: x\nduration: 5\n'] });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('<stdin>:2:11: duration: 5 needs a unit');
    expect(bad.stderr).not.toMatch(STACK);
  });

  it('a scenario from standard input without a name is called "stdin"', async () => {
    const r = await cli(['run', '-', '--format', 'json'], { stdin: [teaching.replace(/^name: .*\n/m, '')] });
    expect(JSON.parse(r.stdout).scenario.name).toBe('stdin');
  });

  it('no standard input, or more than 10 MB of it: exit 2', async () => {
    const none = await cli(['run', '-']);
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: 'lsim: <stdin>: there is no standard input to read\n' });
    const big = await cli(['validate', '-'], { stdin: Array.from({ length: 11 }, () => 'x'.repeat(1024 * 1024)) });
    expect(big).toMatchObject({ code: 2, stderr: 'lsim: <stdin>: is more than 10 MB; a scenario may be at most 10 MB\n' });
  });
});

describe('progress lines', () => {
  it('human durations to two units', () => {
    expect([0, 850, 4_250, 42_000, 245_000, 3_600_000, 15_000_000, 28_800_000, 1_573_434.642, 183_600_000].map(humanDuration)).toEqual([
      '0ms', '850ms', '4.2s', '42s', '4m 5s', '1h', '4h 10m', '8h', '26m 13s', '2d 3h',
    ]);
  });

  it('a bar, the share, the detail and an ETA; silent for the first second; cut to the width; erased when done', () => {
    let out = '';
    const clock = steppingClock(500);
    const p = progressLine({ write: (s) => (out += s), columns: 60 }, clock);
    p.update(0.1, 'first');
    expect(out).toBe('');
    p.update(0.5, '10 of 20 runs');
    // Read at 500 ms (start) and 1,500 ms: half done in 1 s, so 1 s to go.
    expect(out).toBe('\r▕██████████░░░░░░░░░░▏  50%  10 of 20 runs · ETA 1s\x1b[K');
    out = '';
    p.update(0.75, 'x'.repeat(100));
    expect(out.length).toBe('\r'.length + 59 + '\x1b[K'.length);
    p.done();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('lsim run: simulated time of the whole in human units, then the line is erased; stdout unchanged', async () => {
    // 600,000 arrivals: more than 2^20 events, so the simulator reports progress once.
    const yaml = 'name: p\nduration: 1m\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - function: f\n    arrivals: { constant: 10000/s }\n';
    const plain = await cli(['run', '-'], { stdin: [yaml] });
    const r = await cli(['run', '-', '--progress'], { stdin: [yaml], clock: steppingClock(700) });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(plain.stdout);
    expect(r.stderr).toMatch(/^\r▕█*░*▏ +\d+%  \d+s of 1m simulated · \d+\.\d\d M events\/s · ETA [\dms. ]+\x1b\[K\r\x1b\[K$/);
  });

  it('lsim sweep: runs done of all, in the same style', async () => {
    const r = await cli(['sweep', 'scenarios/teaching.yaml', '--vary', 'functions.api.memory=512MB,1GB', '--workers', '1', '--progress'], {
      clock: steppingClock(1000),
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\r▕█{10}░{10}▏  50%  1 of 2 runs · ETA [\d.]+s\x1b\[K\r▕█{20}▏ 100%  2 of 2 runs\x1b\[K\r\x1b\[K$/);
  });
});

describe('a reader that goes away (EPIPE)', () => {
  /** Runs bin/lsim.js, reads its first chunk of stdout and closes the pipe. */
  function headOf(args: string[]): Promise<{ code: number | null; first: string; stderr: string }> {
    ensureBuilt();
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/lsim.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let first = '';
      let stderr = '';
      child.stdout.once('data', (chunk: Buffer) => {
        first = chunk.toString('utf8', 0, 10);
        child.stdout.destroy();
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, first, stderr }));
    });
  }

  // HTML pages (Chart.js inlined) are far larger than a pipe's buffer, so the write meets the closed pipe.
  it('lsim run … | head -c 10: exit 0, nothing on stderr', async () => {
    expect(await headOf(['run', 'scenarios/teaching.yaml', '--format', 'html'])).toEqual({ code: 0, first: '<!doctype ', stderr: '' });
  });

  it('lsim sweep … | head: exit 0, nothing on stderr', async () => {
    const r = await headOf(['sweep', 'scenarios/teaching.yaml', '--vary', 'functions.api.memory=512MB,1GB', '--format', 'html']);
    expect(r).toEqual({ code: 0, first: '<!doctype ', stderr: '' });
  });

  it('lsim run … > /dev/full: one line naming standard output and the reason, exit 2', async () => {
    ensureBuilt();
    const full = openSync('/dev/full', 'w');
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/lsim.js', 'run', 'scenarios/teaching.yaml'], { stdio: ['ignore', full, 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    closeSync(full);
    expect(r).toEqual({ code: 2, stderr: 'lsim: cannot write to standard output: no space left on the device (ENOSPC)\n' });
  });
});

describe('a working directory that no longer exists', () => {
  // What `lsim run s.yaml -o .` used to leave behind (the shell in a deleted directory): one line, exit 2, not Node's uv_cwd crash.
  it('one line saying so, exit 2', () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'lsim-gone-'));
    const r = spawnSync('sh', ['-c', 'cd "$1" && rmdir "$1" && exec "$2" "$3" run "$4"', 'sh', dir, process.execPath, resolve('bin/lsim.js'), resolve('scenarios/teaching.yaml')], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('lsim: the current directory no longer exists (it was removed or renamed); cd into a directory and run lsim again\n');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
  });
});
