// lsim benchmarks: prints invocations/s, events/s and peak memory for fixed
// scenarios, each run in a fresh process (whole-process figures: loading,
// simulating and building the result). Figures only: nothing here asserts.
// Usage: npm run bench  [-- --quick]
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

const quick = process.argv.includes('--quick');
const cases = [
  { label: 'S  sync 1,000/s, limit 1,000, 10 M invocations', file: 'bench/scenarios/S.yaml', duration: quick ? '1000s' : undefined },
  { label: 'L  sync 100,000/s, limit 50,000, 200 s (~11 M inv.)', file: 'bench/scenarios/L.yaml', duration: quick ? '10s' : undefined },
  { label: 'M1   memory at 1 M invocations (S for 1,000 s)', file: 'bench/scenarios/S.yaml', duration: '1000s' },
  { label: 'M100 memory at 100 M invocations (S for 100,000 s)', file: 'bench/scenarios/S.yaml', duration: quick ? '10000s' : '100000s' },
];

function run(c) {
  const args = ['bench/case.js', c.file];
  if (c.duration) args.push(c.duration);
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }));
}

console.log(`lsim bench · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log('case                                                   invocations   inv/s (M)  events/s (M)  wall s  peak RSS MB');
const results = {};
for (const c of cases) {
  const r = run(c);
  results[c.label.split(' ')[0]] = r;
  console.log(
    `${c.label.padEnd(54)} ${String(r.invocations).padStart(12)} ${(r.invocations / r.wallS / 1e6).toFixed(2).padStart(11)} ` +
      `${(r.events / r.wallS / 1e6).toFixed(2).padStart(13)} ${r.wallS.toFixed(2).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(12)}`,
  );
}
const growth = results.M100.peakRssMb / results.M1.peakRssMb - 1;
console.log(`memory growth from 1 M to ${quick ? '10' : '100'} M invocations: ${(growth * 100).toFixed(1)}%`);

// Sweep (issue 8): 20 points × 5 replications of ~1 M invocations, 1 worker thread vs 2 (bench/sweep.js).
process.stdout.write(execFileSync(process.execPath, ['bench/sweep.js', ...(quick ? ['--quick'] : [])], { encoding: 'utf8' }));

// Trace replay (issue 9): a per-request trace written to a temporary folder and streamed;
// peak memory must not grow with the number of rows (bench/trace.js).
{
  const sizes = quick ? [1_000_000, 5_000_000] : [1_000_000, 50_000_000];
  console.log('trace replay (requests format, durations from the trace)     rows   trace MB  rows/s (M)  wall s  peak RSS MB  live heap MB');
  const traceRuns = sizes.map((n) =>
    JSON.parse(execFileSync(process.execPath, ['--expose-gc', 'bench/trace.js', String(n)], { encoding: 'utf8' })),
  );
  for (const r of traceRuns) {
    console.log(
      `${''.padEnd(58)} ${String(r.rows).padStart(9)} ${r.traceMb.toFixed(0).padStart(10)} ${(r.rowsPerS / 1e6).toFixed(2).padStart(11)} ` +
        `${r.wallS.toFixed(2).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(12)} ${r.liveHeapMb.toFixed(1).padStart(13)}`,
    );
  }
  const g = (k) => ((traceRuns[1][k] / traceRuns[0][k] - 1) * 100).toFixed(1);
  console.log(`trace replay growth from ${sizes[0] / 1e6} M to ${sizes[1] / 1e6} M rows: peak RSS ${g('peakRssMb')}%, live heap ${g('liveHeapMb')}%`);
}
