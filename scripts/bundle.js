// Bundles the CLI's worker module graph into dist/bundle/ (issue 21, start-up):
// whitespace and comments removed, names kept (so an internal error's stack still names
// its functions);
// `lsim` loads one file instead of ~200 modules (lsim's own, zod's, yargs's),
// which spares Node's per-module resolution and file reads. Run by `npm run build`
// after tsc; src/cli/process.ts uses the bundle only when it is at least as new as
// the compiled modules, so a tsc-only build never runs stale code.
// Entries: lsim.js (the CLI's worker thread) and worker.js (a sweep's worker threads,
// found by src/plan/runner.ts next to the module that starts them). Modules only
// some commands need (chart.js's page, CSV, trace replay) are dynamic imports and
// become chunks of their own, loaded when used.
import { rmSync } from 'node:fs';
import { build } from 'rolldown';

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  input: { lsim: 'dist/cli/process-worker.js', worker: 'dist/plan/worker.js' },
  platform: 'node',
  external: [/^node:/, 'chart.js'],
  logLevel: 'warn',
  output: { dir: 'dist/bundle', format: 'esm', minify: { mangle: false, compress: false }, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
