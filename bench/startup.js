// Start-up benchmark (issue 21 item 2): wall time of `lsim run` of a 1-second
// scenario (bench/scenarios/S.yaml for 1 s, about 1,000 invocations, text report
// to a pipe) against bare `node -e ''`, each a fresh process, interleaved so both
// see the same load; prints the median and the best of each and lsim's excess over
// bare node. Figures only: nothing here asserts.
// Usage: node bench/startup.js [--quick]   (quick: 5 rounds instead of 15)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const rounds = process.argv.includes('--quick') ? 5 : 15;
const dir = mkdtempSync(join(tmpdir(), 'lsim-startup-'));
const file = join(dir, 'S-1s.yaml');
writeFileSync(file, readFileSync('bench/scenarios/S.yaml', 'utf8').replace(/^duration: .*$/m, 'duration: 1s'));
const time = (args) => {
  const t = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return Number(process.hrtime.bigint() - t) / 1e9;
};
const bare = [];
const run = [];
try {
  time(['bin/lsim.js', 'run', file]); // the file cache warm for both
  for (let i = 0; i < rounds; i++) {
    bare.push(time(['-e', '']));
    run.push(time(['bin/lsim.js', 'run', file]));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const best = (xs) => Math.min(...xs);
const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
console.log(
  `start-up, ${rounds} rounds: lsim run of a 1-s scenario median ${ms(median(run))} (best ${ms(best(run))}) · bare node median ${ms(median(bare))} ` +
    `(best ${ms(best(bare))}) · lsim over bare node: median ${ms(median(run) - median(bare))}, best ${ms(best(run) - best(bare))}`,
);
