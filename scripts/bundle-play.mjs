// Bundles the playground's Web Worker (src/play/worker.ts: parse → simulate → report, issue 20) into
// dist/play/worker.js with rolldown (the bundler scripts/bundle.js uses too), for the page `lsim play` writes (src/play/page.ts inlines it).
// Part of `npm run build`. Node's built-in modules are stubbed: the worker never reaches the code that
// uses them (files, traces, the CLI's writes). The output is the same bytes for the same sources.
//   node scripts/bundle-play.mjs            writes dist/play/worker.js
import { rolldown } from 'rolldown';
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules);

// POSIX path functions the loader uses in the browser too (the scenario's name from its file name).
const PATH = `
function parts(p) { return p.split('/'); }
exports.isAbsolute = (p) => p.startsWith('/');
exports.basename = (p, ext) => { const b = parts(p).pop() || ''; return ext && b.endsWith(ext) && b !== ext ? b.slice(0, -ext.length) : b; };
exports.extname = (p) => { const b = parts(p).pop() || ''; const i = b.lastIndexOf('.'); return i > 0 ? b.slice(i) : ''; };
exports.dirname = (p) => { const i = p.lastIndexOf('/'); return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i); };
exports.join = (...xs) => xs.filter(Boolean).join('/').split('/').filter((x, i) => x || i === 0).join('/');
exports.resolve = exports.join;
`;

/**
 * Node's built-ins as stand-ins: `path` as the few POSIX functions above, `stream` with an empty
 * `Transform` (csv-parse extends it at load), the rest empty. Nothing the worker runs calls them
 * (files, traces and the CLI's writes are not in the browser).
 */
const STUB = '\0node-stub:';
const stubBuiltins = {
  name: 'stub-node-builtins',
  resolveId(id) {
    return id.startsWith('node:') || BUILTINS.has(id) ? STUB + id.replace(/^node:/, '') : null;
  },
  load(id) {
    if (!id.startsWith(STUB)) return null;
    const name = id.slice(STUB.length);
    return name === 'path' ? PATH : name === 'stream' ? 'exports.Transform = class Transform {};' : 'module.exports = {};';
  },
};

// A stand-in for Node's global Buffer: csv-parse (the trace reader) builds a few at load; nothing the
// worker runs reads files.
const BUFFER = `var Buffer = globalThis.Buffer || (function () {
  var enc = new TextEncoder();
  var from = function (x) { return typeof x === 'string' ? enc.encode(x) : new Uint8Array(x); };
  return { from: from, alloc: function (n) { return new Uint8Array(n); }, allocUnsafe: function (n) { return new Uint8Array(n); }, isBuffer: function () { return false; } };
})();`;

/** The worker bundle as text (an IIFE for a classic Worker). */
export async function bundlePlayWorker() {
  const bundle = await rolldown({
    input: join(ROOT, 'src/play/worker.ts'),
    platform: 'browser',
    // html.ts's import.meta is in chartJsSource, which only the CLI calls.
    logLevel: 'silent',
    plugins: [stubBuiltins],
  });
  const { output } = await bundle.generate({ format: 'iife', minify: true, banner: BUFFER, comments: { legal: false } });
  await bundle.close();
  return output[0].code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = join(ROOT, 'dist/play/worker.js');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, await bundlePlayWorker());
}
