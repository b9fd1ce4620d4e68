// Sweep benchmark: 20 points × 5 replications of ~1 M invocations each (the
// right-size-memory scenario run for 14 h at 20/s), with 1 worker thread and with
// N (the machine's available parallelism, at least 2), printing wall times, events per
// wall second and per CPU second (all threads), the cores the process actually got
// (CPU ÷ wall) and the speed-up, beside the cores that were free (N less the load
// average when it started). Figures only: nothing here asserts. Progress on stderr.
// Usage: node bench/sweep.js [--quick]   (quick: ~12 k invocations per run)
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { runSweep } from '../dist/plan/sweep.js';

const quick = process.argv.includes('--quick');
const file = 'scenarios/right-size-memory.yaml';
const text = readFileSync(file, 'utf8').replace(/^duration: .*$/m, `duration: ${quick ? '10m' : '14h'}`);
const options = {
  file,
  text,
  vary: ['functions.image-resize.memory=128MB..2560MB:step=128MB'],
  replications: 5,
  confidence: 0.95,
  objective: 'p99<=1500ms',
};
const figures = [];
const N = Math.max(2, availableParallelism());
const freeCores = Math.max(0, N - loadavg()[0]);
for (const workers of [1, N]) {
  process.stderr.write(`bench: sweep of 100 runs with ${workers} worker${workers > 1 ? 's' : ''} …\n`);
  const started = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const r = await runSweep({ ...options, workers });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // CPU time of the process (all threads): cpuS / wallS is the number of cores it actually got.
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const events = r.runs.reduce((a, x) => a + x.events, 0);
  const invocations = r.runs.reduce((a, x) => a + (x.metrics.invocations ?? 0), 0);
  figures.push({ workers, wallS, cpuS, events, invocations, json: JSON.stringify(r) });
}
for (const f of figures) {
  console.log(
    `sweep 20 points × 5 replications, ${f.workers} worker${f.workers > 1 ? 's' : ' '}: ${f.wallS.toFixed(2).padStart(7)} s wall · ` +
      `${(f.events / f.wallS / 1e6).toFixed(2)} M events/s · ${(f.events / f.cpuS / 1e6).toFixed(2)} M events per CPU-second · ` +
      `${(f.invocations / 1e6).toFixed(1)} M invocations (measured window) · cores used ${(f.cpuS / f.wallS).toFixed(2)}`,
  );
}
console.log(
  `speed-up ${(figures[0].wallS / figures[1].wallS).toFixed(2)}× with ${N} workers (cores free at the start: ${freeCores.toFixed(1)} of ${N}, ` +
    `by the 1-minute load average) · results identical: ${figures[0].json === figures[1].json}`,
);
