#!/usr/bin/env node
// CommonJS (bin/package.json): Node starts a CommonJS entry about 10 ms sooner than a module
// (issue 21, start-up). It runs the process from the bundle `npm run build` makes
// (dist/bundle/main.js, CommonJS too) when that is at least as new as the compiled modules,
// else from the modules (a `tsc` alone leaves the bundle behind): src/cli/process.ts.
const { statSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
let bundled = false;
try {
  bundled = statSync(join(dist, 'bundle', 'main.js')).mtimeMs >= statSync(join(dist, 'cli', 'process.js')).mtimeMs;
} catch {
  // No bundle (a tsc-only build): the modules.
}
(bundled ? Promise.resolve(require('../dist/bundle/main.js')) : import('../dist/cli/process.js'))
  .then(({ runProcess }) => runProcess(process.argv.slice(2), bundled))
  .then((code) => {
    process.exitCode = code;
  });
