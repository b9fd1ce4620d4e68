// In-process A/B of two builds (issue 21, docs/architecture.md "Where the time goes"): imports a baseline's
// compiled modules and this checkout's, and runs the same scenario with each in turn, alternating which goes
// first, so both see the same load; prints the medians and minima of the wall times and their ratios.
// Figures only: nothing here asserts. A baseline is another checkout built with `npx tsc -p tsconfig.build.json`,
// e.g. `git worktree add /tmp/base HEAD~1 && cd /tmp/base && ln -s "$OLDPWD/node_modules" && npx tsc -p tsconfig.build.json`.
// Usage: node bench/ab.js <baseline checkout> [rounds=16] [seconds=300] [scenario=bench/scenarios/S.yaml]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [base, rounds = '16', seconds = '300', file = 'bench/scenarios/S.yaml'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node bench/ab.js <baseline checkout> [rounds] [seconds] [scenario]');
  process.exit(2);
}
const load = (dir) => import(pathToFileURL(join(resolve(dir), 'dist', 'index.js')).href);
const builds = [
  { name: 'baseline', lsim: await load(base), ms: [] },
  { name: 'this checkout', lsim: await load('.'), ms: [] },
];
const text = readFileSync(file, 'utf8').replace(/^duration: .*$/m, `duration: ${seconds}s`);
for (const b of builds) b.scenario = b.lsim.parseScenario(text, file);
for (let r = 0; r < Number(rounds); r++) {
  for (const b of r % 2 ? builds : [...builds].reverse()) {
    const t = process.hrtime.bigint();
    b.lsim.simulate(b.scenario);
    b.ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const [a, b] = builds;
console.log(
  `${file} for ${seconds} s, ${rounds} rounds: baseline median ${median(a.ms).toFixed(0)} ms (min ${Math.min(...a.ms).toFixed(0)}), ` +
    `this checkout ${median(b.ms).toFixed(0)} ms (min ${Math.min(...b.ms).toFixed(0)}) · ratio ${(median(b.ms) / median(a.ms)).toFixed(3)} by medians, ` +
    `${(Math.min(...b.ms) / Math.min(...a.ms)).toFixed(3)} by minima`,
);
