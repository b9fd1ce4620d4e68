/**
 * The CLI's bundle with V8's code cache (issue 21, start-up). Node 20 keeps no
 * compiled code between processes (module.enableCompileCache came in Node 22),
 * so each `lsim` parsed its megabyte of bundle and compiled every function a run
 * calls, again, on every start. `npm run build` (scripts/bundle.js) bundles the
 * worker's graph as one CommonJS file, compiles it here, runs a short scenario
 * so that the functions a run needs are compiled, and writes V8's serialised
 * code beside the bundle (dist/bundle/lsim.js.cache); the worker compiles the
 * bundle with it (src/cli/process-start-bundle.ts).
 *
 * The cache is an optimisation only: V8 checks it against its own version, its
 * flags and the source's length and rejects it when they differ (a Node upgraded
 * since the build, `node --some-v8-flag`), and the bundle is then compiled as if
 * there were none; a cache older than its bundle (a bundle rewritten without
 * the build) is not read at all, since V8's check would not see an edit that
 * kept the length. Nothing is written at run time, so a read-only install runs
 * the same, and the cache cannot change what a run computes.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The code cache of `bundle`, beside it. */
const cacheOf = (bundle: string): string => `${bundle}.cache`;

/**
 * `bundle` (a path) compiled as Node compiles a CommonJS module, with `cachedData` when given. The
 * wrapper is on a line of its own and `lineOffset` takes it back, so a stack names the bundle's own lines and columns.
 */
export function compileBundle(bundle: string, cachedData?: Buffer): Script {
  const source = `(function (exports, require, module, __filename, __dirname) {\n${readFileSync(bundle, 'utf8')}\n})`;
  return new Script(source, { filename: bundle, lineOffset: -1, cachedData });
}

/** Runs a compiled bundle (its chunks are found beside it) and returns its exports. */
export function runBundle(script: Script, bundle: string): unknown {
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (exports: object, require: NodeRequire, module: object, filename: string, dirname: string) => void;
  wrapper(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return module.exports;
}

/** Loads `bundle` with its code cache (see {@link usableCache}). */
export function loadBundle(bundle: string): unknown {
  return runBundle(compileBundle(bundle, usableCache(bundle)), bundle);
}

/** The code cache of `bundle` when there is one at least as new as the bundle; else undefined. */
export function usableCache(bundle: string): Buffer | undefined {
  try {
    if (statSync(cacheOf(bundle)).mtimeMs >= statSync(bundle).mtimeMs) return readFileSync(cacheOf(bundle));
  } catch {
    // No cache (a bundle built by hand, or the cache removed): compiled from the source alone.
  }
  return undefined;
}

/**
 * Writes the code of `script` (compiled from `bundle`; what has run so far is in it) as the bundle's
 * cache: whole or not at all, through a temporary renamed over it, so a run never reads half a cache.
 */
export function writeCodeCache(script: Script, bundle: string): void {
  const temp = `${cacheOf(bundle)}.${process.pid}.tmp`;
  writeFileSync(temp, script.createCachedData());
  renameSync(temp, cacheOf(bundle));
}
