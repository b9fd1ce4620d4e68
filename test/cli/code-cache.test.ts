// The bundle's code cache (issue 21, start-up; src/cli/code-cache.ts): the one npm run build writes is
// taken by V8 in a plain `node`, and a cache that is rejected, stale or missing changes nothing the CLI
// prints. Nothing here measures time (bench/startup.js does).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileBundle, loadBundle, usableCache } from '../../src/cli/code-cache.js';
import type { ToMain } from '../../src/cli/process-channel.js';
import type { runWorker } from '../../src/cli/process-worker.js';
import { ensureBundled } from '../helpers/build.js';
import { cli } from '../helpers/cli.js';

const BUNDLE = resolve('dist/bundle/lsim.js');
// A copy of the bundle's folder, as deep in the repository as dist/bundle (the bundle finds package.json two folders up).
let copy = '';
const copied = () => join(copy, 'lsim.js');

beforeAll(() => {
  ensureBundled();
  copy = resolve(mkdtempSync('dist/code-cache-test-'));
  cpSync('dist/bundle', copy, { recursive: true });
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

/** `lsim argv` through a loaded bundle's worker entry, as the worker thread runs it: what it printed and its exit code. */
async function throughBundle(cliOf: { runWorker: typeof runWorker }, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { port1, port2 } = new MessageChannel();
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number>((done) =>
    port1.on('message', (m: ToMain) => {
      if (m.t === 'out') stdout += m.s;
      else if (m.t === 'err') stderr += m.s;
      else if (m.t === 'exit') done(m.code);
    }),
  );
  await cliOf.runWorker({ argv, port: port2, stdoutTTY: false, stderrTTY: false, stdinTTY: false });
  const code = await exited;
  port1.close();
  return { code, stdout, stderr };
}

describe('what a plain lsim run loads (issue 21, start-up)', () => {
  it('bundles that are ASCII only: V8 keeps such a source one byte a character', () => {
    for (const f of ['lsim.js', 'main.js']) expect({ f, ascii: /^[\x00-\x7f]*$/.test(readFileSync(join('dist/bundle', f), 'latin1')) }).toEqual({ f, ascii: true });
  });

  it('neither node:worker_threads, node:tty nor node:os: only the commands that use them load them', () => {
    // process.moduleLoadList names every built-in module loaded so far.
    const script = `process.argv.splice(1, 0, 'bin/lsim.js');
      process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (worker_threads|tty|os)$/.test(m)))));
      require('./bin/lsim.js');`;
    const r = spawnSync(process.execPath, ['-e', script, 'run', 'scenarios/teaching.yaml', '--format', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).schema).toMatch(/^lsim\.result\//);
    expect(JSON.parse(r.stderr)).toEqual([]);
  });
});

describe('the code cache of the bundle', () => {
  it('is taken by V8 in a plain node (the flags and version it was made under)', () => {
    const script = `import { compileBundle } from './dist/cli/code-cache.js'; import { readFileSync } from 'node:fs';
      process.stdout.write(String(compileBundle(${JSON.stringify(BUNDLE)}, readFileSync(${JSON.stringify(`${BUNDLE}.cache`)})).cachedDataRejected));`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })).toBe('false');
  });

  it('is read only when at least as new as the bundle', () => {
    expect(usableCache(copied())?.equals(readFileSync(`${BUNDLE}.cache`))).toBe(true);
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(`${copied()}.cache`, old, old);
    expect(usableCache(copied())).toBeUndefined();
    rmSync(`${copied()}.cache`);
    expect(usableCache(copied())).toBeUndefined();
  });

  it('rejected or missing, the bundle prints the same: a run, and bad input located with exit 2', async () => {
    const bad = join(copy, 'bad.yaml');
    writeFileSync(bad, 'duration: 1m\nfunctions:\n  f: { memory: 64MB, duration: 10ms }\nworkloads:\n  - { function: f, arrivals: { poisson: 5/s } }\n');
    // Bytes V8 cannot take (its checks fail), written after the bundle so they are read.
    writeFileSync(`${copied()}.cache`, Buffer.alloc(4096, 7));
    expect(compileBundle(copied(), usableCache(copied())).cachedDataRejected).toBe(true);
    const rejected = loadBundle(copied()) as { runWorker: typeof runWorker };
    rmSync(`${copied()}.cache`);
    const missing = loadBundle(copied()) as { runWorker: typeof runWorker };
    for (const argv of [['run', 'scenarios/teaching.yaml'], ['validate', bad]]) {
      const expected = await cli(argv);
      expect(await throughBundle(rejected, argv)).toEqual(expected);
      expect(await throughBundle(missing, argv)).toEqual(expected);
    }
    const located = await cli(['validate', bad]);
    expect(located.code).toBe(2);
    expect(located.stderr).toContain(`${bad}:3:`);
  });
});
