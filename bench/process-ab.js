// Whole-process A/B of two builds (issue 21, start-up and warm-up): `lsim <args>` from a baseline checkout and
// from this one, each a fresh process, alternating which goes first, with bare `node -e ''` after each pair, so
// all three see the same load; prints medians and bests and each build's excess over bare node. Where
// bench/ab.js weighs a change to the engine in one process, this weighs what a user's `lsim run` pays: the
// start-up, the warm-up and the run. Figures only: nothing here asserts. A baseline is another checkout built
// with `npm run build` (bin/lsim.js runs the bundle only when it is fresh), e.g.
// `git worktree add /tmp/base HEAD~1 && cd /tmp/base && ln -s "$OLDPWD/node_modules" && npm run build`.
// Usage: node bench/process-ab.js <baseline checkout> [rounds=20] [lsim args… = run <the 1-s S scenario>]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [base, rounds = '20', ...given] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/process-ab.js <baseline checkout> [rounds] [lsim args…]');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'lsim-process-ab-'));
const oneSecond = join(dir, 'S-1s.yaml');
writeFileSync(oneSecond, readFileSync('bench/scenarios/S.yaml', 'utf8').replace(/^duration: .*$/m, 'duration: 1s'));
const args = given.length > 0 ? given.map((a) => (a.endsWith('.yaml') ? resolve(a) : a)) : ['run', oneSecond];
const ms = (argv) => {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const builds = [
  { name: 'baseline', bin: join(resolve(base), 'bin', 'lsim.js'), ms: [] },
  { name: 'this checkout', bin: resolve('bin', 'lsim.js'), ms: [] },
];
const bare = [];
try {
  for (const b of builds) ms([b.bin, ...args]); // the file cache warm for both
  for (let r = 0; r < Number(rounds); r++) {
    for (const b of r % 2 ? builds : [...builds].reverse()) b.ms.push(ms([b.bin, ...args]));
    bare.push(ms(['-e', '']));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const [a, b] = builds;
const line = (x) => `${x.name} median ${median(x.ms).toFixed(0)} ms (best ${Math.min(...x.ms).toFixed(0)}), ${(median(x.ms) - median(bare)).toFixed(0)} ms over bare node`;
console.log(`lsim ${given.length > 0 ? given.join(' ') : 'run <S for 1 s>'}, ${rounds} rounds: ${line(a)} · ${line(b)} · bare node median ${median(bare).toFixed(0)} ms`);
console.log(`  this checkout ÷ baseline: ${(median(b.ms) / median(a.ms)).toFixed(3)} by medians, ${(Math.min(...b.ms) / Math.min(...a.ms)).toFixed(3)} by bests`);
