import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds dist/ when it is missing or older than a source file, for tests that
 * run the compiled code (worker threads, bin/lsim.js, the package's exports).
 * npm test builds first anyway, so there this does nothing.
 */
export function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  const marker = 'dist/index.js';
  const worker = 'dist/play/worker.js';
  const src = newest('src');
  // The playground's worker bundle (scripts/bundle-play.mjs), part of npm run build.
  if (!existsSync(worker) || statSync(worker).mtimeMs < src) execFileSync(process.execPath, ['scripts/bundle-play.mjs'], { stdio: 'ignore' });
  if (existsSync(marker) && statSync(marker).mtimeMs >= src) return;
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'ignore' });
  } catch {
    // tsc emits even when some file has type errors; the compiled files' existence is what matters.
  }
}

/**
 * Bundles dist/ (scripts/bundle.js: the CLI's bundle and its code cache) when the bundle is missing or
 * older than the compiled modules, after {@link ensureBuilt}. npm test builds first, so there this does nothing.
 */
export function ensureBundled(): void {
  ensureBuilt();
  // bin/lsim.js's rule for a fresh bundle.
  const bundle = 'dist/bundle/main.js';
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= statSync('dist/cli/process.js').mtimeMs) return;
  execFileSync(process.execPath, ['scripts/bundle.js'], { stdio: 'ignore' });
}
