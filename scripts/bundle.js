// Bundles the lsim process into dist/bundle/ (issue 21, start-up; docs/architecture.md
// "Start-up"): whitespace and comments removed, names kept (so an internal error's stack still
// names its functions). Run by `npm run build` after tsc; bin/lsim.js uses the bundles only when
// they are at least as new as the compiled modules, so a tsc-only build never runs stale code.
// Four bundles, each one file with everything it needs but what is imported dynamically (yargs,
// which a plain `lsim run` never loads, is a chunk of its own): main.js (the main thread),
// start.js (a worker's first module), lsim.js (the CLI's graph, on whichever thread runs it: one file instead of
// ~200 modules, which spares Node's per-module resolution and file reads) and worker.js (a
// sweep's worker threads, found by src/plan/runner.ts next to the module that starts them).
// They are CommonJS (dist/bundle/package.json says so) because only a classic script takes a
// code cache in Node 20 (src/cli/code-cache.ts), and Node starts CommonJS sooner: lsim.js is
// compiled, run on scenarios/teaching.yaml so that what a run calls is compiled too, and V8's
// code for it written to dist/bundle/lsim.js.cache.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { build } from 'rolldown';
import { compileBundle, runBundle, writeCodeCache } from '../dist/cli/code-cache.js';

rmSync('dist/bundle', { recursive: true, force: true });
mkdirSync('dist/bundle', { recursive: true });
writeFileSync('dist/bundle/package.json', '{ "type": "commonjs" }\n');
for (const [name, entry] of [
  ['main', 'dist/cli/process.js'],
  ['lsim', 'dist/cli/process-worker.js'],
  ['start', 'dist/cli/process-start-bundle.js'],
  ['worker', 'dist/plan/worker.js'],
]) {
  await build({
    input: { [name]: entry },
    platform: 'node',
    external: [/^node:/, 'chart.js'],
    // yargs's `extends` of a config file uses import.meta.resolve, which CommonJS has not (it
    // becomes {}); lsim gives yargs no config file, so the warning names code that never runs.
    onLog: (level, log, handler) => {
      if (!(log.code === 'EMPTY_IMPORT_META' && log.id?.includes('node_modules/yargs/'))) handler(level, log);
    },
    logLevel: 'warn',
    output: { dir: 'dist/bundle', format: 'cjs', charset: 'ascii', minify: { mangle: false, compress: false }, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
  });
}

// The code cache: one run of a short scenario through the worker's own entry, its output discarded.
const bundle = resolve('dist/bundle/lsim.js');
const script = compileBundle(bundle);
const { port1, port2 } = new MessageChannel();
const exited = new Promise((done) =>
  port1.on('message', (m) => {
    if (m.t === 'err') process.stderr.write(m.s);
    else if (m.t === 'exit') done(m.code);
  }),
);
await runBundle(script, bundle).runWorker({ argv: ['run', 'scenarios/teaching.yaml'], port: port2, stdoutTTY: false, stderrTTY: false, stdinTTY: false });
const code = await exited;
port1.close();
if (code !== 0) throw new Error(`scripts/bundle.js: the code cache's run of scenarios/teaching.yaml ended with ${code}`);
writeCodeCache(script, bundle);
