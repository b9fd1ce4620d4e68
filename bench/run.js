// lsim benchmarks: prints invocations/s, events/s and peak memory for fixed
// scenarios, each run in a fresh process (whole-process figures: loading,
// simulating and building the result). Figures only: nothing here asserts.
//
// The full run takes several minutes on a 2-core machine (see the README for the
// measured time) and writes a 50 M-row trace of about 770 MB to a temporary folder,
// removed afterwards. --quick runs smaller cases in well under a minute.
// Each step is announced on stderr with its time; the figures go to stdout.
// Usage: npm run bench [-- --quick]
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const quick = process.argv.includes('--quick');
const started = Date.now();

/** Runs `run`, saying on stderr what it is and, when done, how long it took. */
function step(label, run) {
  const t = Date.now();
  process.stderr.write(`bench: ${label} …\n`);
  const result = run();
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  process.stderr.write(`bench: ${label}: ${s(Date.now() - t)} (${s(Date.now() - started)} in all)\n`);
  return result;
}

/** Runs a bench script in its own process: its stdout is returned, its stderr (progress) passes through. */
function node(args) {
  return execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

// --quick leaves out S (M1 is S for 1,000 s), shortens L and measures memory at 3 M invocations.
const cases = [
  ...(quick ? [] : [{ label: 'S  sync 1,000/s, limit 1,000, 10 M invocations', file: 'bench/scenarios/S.yaml' }]),
  quick
    ? { label: 'L  sync 100,000/s, limit 50,000, 10 s', file: 'bench/scenarios/L.yaml', duration: '10s' }
    : { label: 'L  sync 100,000/s, limit 50,000, 200 s (~11 M inv.)', file: 'bench/scenarios/L.yaml' },
  { label: 'M1   memory at 1 M invocations (S for 1,000 s)', file: 'bench/scenarios/S.yaml', duration: '1000s' },
  quick
    ? { label: 'M3   memory at 3 M invocations (S for 3,000 s)', file: 'bench/scenarios/S.yaml', duration: '3000s' }
    : { label: 'M100 memory at 100 M invocations (S for 100,000 s)', file: 'bench/scenarios/S.yaml', duration: '100000s' },
];

console.log(`lsim bench${quick ? ' --quick' : ''} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log('case                                                   invocations   inv/s (M)  events/s (M)  wall s  peak RSS MB');
const results = [];
for (const c of cases) {
  const r = step(c.label.replace(/\s+/g, ' '), () => JSON.parse(node(['bench/case.js', c.file, ...(c.duration ? [c.duration] : [])])));
  results.push(r);
  console.log(
    `${c.label.padEnd(54)} ${String(r.invocations).padStart(12)} ${(r.invocations / r.wallS / 1e6).toFixed(2).padStart(11)} ` +
      `${(r.events / r.wallS / 1e6).toFixed(2).padStart(13)} ${r.wallS.toFixed(2).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(12)}`,
  );
}
const [m1, mBig] = results.slice(-2);
console.log(`memory growth from 1 M to ${quick ? '3' : '100'} M invocations: ${((mBig.peakRssMb / m1.peakRssMb - 1) * 100).toFixed(1)}%`);

// Sweep (issue 8): 20 points × 5 replications, 1 worker thread vs 2 (bench/sweep.js).
process.stdout.write(step('sweep', () => node(['bench/sweep.js', ...(quick ? ['--quick'] : [])])));

// Trace replay (issue 9): a per-request trace written to a temporary folder and streamed;
// peak memory must not grow with the number of rows (bench/trace.js).
{
  const sizes = quick ? [1_000_000, 1_500_000] : [1_000_000, 50_000_000];
  console.log('trace replay (requests format, durations from the trace)     rows   trace MB  rows/s (M)  wall s  peak RSS MB  live heap MB');
  const traceRuns = sizes.map((n) => step(`trace replay of ${n / 1e6} M rows`, () => JSON.parse(node(['--expose-gc', 'bench/trace.js', String(n)]))));
  for (const r of traceRuns) {
    console.log(
      `${''.padEnd(58)} ${String(r.rows).padStart(9)} ${r.traceMb.toFixed(0).padStart(10)} ${(r.rowsPerS / 1e6).toFixed(2).padStart(11)} ` +
        `${r.wallS.toFixed(2).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(12)} ${r.liveHeapMb.toFixed(1).padStart(13)}`,
    );
  }
  const g = (k) => ((traceRuns[1][k] / traceRuns[0][k] - 1) * 100).toFixed(1);
  console.log(`trace replay growth from ${sizes[0] / 1e6} M to ${sizes[1] / 1e6} M rows: peak RSS ${g('peakRssMb')}%, live heap ${g('liveHeapMb')}%`);
}
console.log(`bench${quick ? ' --quick' : ''} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
