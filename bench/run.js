// lsim benchmarks: prints the start-up time, invocations/s, events/s and peak
// memory for fixed scenarios, each run in a fresh process (whole-process figures:
// loading, simulating and building the result), each beside the reference kernel
// (bench/kernel.js) run right after it (3 interleaved pairs, the median printed), with the ratio, and for S and L
// the same model as one loop on lsim's own parts (bench/collapsed.js); SimFaaS's own
// two scenarios; memory per live environment;
// sweeps with 1 and N workers. Figures only: nothing here asserts.
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

// The start-up (issue 21 item 2): `lsim run` of a 1-second scenario against bare `node -e ''`,
// each a fresh process, interleaved, so both see the same load (bench/startup.js).
process.stdout.write(step('start-up', () => node(['bench/startup.js', ...(quick ? ['--quick'] : [])])));

// SimFaaS's own scenarios (issue 21 item 2): whole-process `lsim run` (text report to a pipe), as a user
// runs it, against the wall times SimFaaS v0.2.2 took for them on the bench machines as issue 21 quotes them
// (13 s and 114 s; not measured here: SimFaaS is Python and not installed), with the figures both print.
{
  const SIMFAAS = [
    { file: 'bench/scenarios/simfaas-readme.yaml', label: "SimFaaS's README scenario (0.9/s, 10^6 s)", simfaasS: 13, target: 40, printed: 'SimFaaS printed cold-start probability 0.0014, mean instances 7.66, running 1.79' },
    { file: 'bench/scenarios/simfaas-100.yaml', label: 'SimFaaS model at 100/s for 10,000 s', simfaasS: 114, target: 300, printed: null },
  ];
  const rounds = quick ? 1 : 3;
  for (const c of SIMFAAS) {
    const walls = step(`lsim run ${c.file} ×${rounds}`, () =>
      Array.from({ length: rounds }, () => {
        const t = process.hrtime.bigint();
        node(['bin/lsim.js', 'run', c.file]);
        return Number(process.hrtime.bigint() - t) / 1e9;
      }),
    );
    const f = JSON.parse(node(['bin/lsim.js', 'run', c.file, '--format', 'json'])).functions[0];
    const best = Math.min(...walls);
    const median = [...walls].sort((a, b) => a - b)[walls.length >> 1];
    console.log(
      `${c.label}: lsim run ${best.toFixed(2)} s best, ${median.toFixed(2)} s median of ${rounds} (whole process) · ` +
        `SimFaaS v0.2.2 ${c.simfaasS} s (quoted in issue 21) ÷ lsim best = ${(c.simfaasS / best).toFixed(0)}× (target ${c.target}×)`,
    );
    console.log(
      `  lsim: ${f.invocations.toLocaleString('en-US')} invocations, cold-start probability ${(f.coldStarts / f.invocations).toFixed(4)}, ` +
        `mean environments ${f.environments.mean.alive.toFixed(2)}, busy ${f.environments.mean.busy.toFixed(2)}` +
        (c.printed ? ` · ${c.printed}` : ''),
    );
  }
}

// --quick leaves out S (M1 is S for 1,000 s), shortens L and measures memory at 3 M invocations.
// `kernel` is the same case run by the reference kernel (bench/kernel.js) right after lsim's.
const S_KERNEL = (seconds) => ['1000', '1000', '200', '0.5', String(seconds)];
const cases = [
  ...(quick ? [] : [{ label: 'S  sync 1,000/s, limit 1,000, 10 M invocations', file: 'bench/scenarios/S.yaml', kernel: S_KERNEL(10000), collapsed: true }]),
  quick
    ? { label: 'L  sync 100,000/s, limit 50,000, 10 s', file: 'bench/scenarios/L.yaml', duration: '10s', kernel: ['100000', '50000', '200', '0.5', '10'], collapsed: true }
    : { label: 'L  sync 100,000/s, limit 50,000, 200 s (~11 M inv.)', file: 'bench/scenarios/L.yaml', kernel: ['100000', '50000', '200', '0.5', '200'], collapsed: true },
  {
    label: `C1M  ~900,000 live environments, 1 M/s, ${quick ? 2 : 4} s`,
    file: 'bench/scenarios/C1M.yaml',
    duration: quick ? '2s' : '4s',
    kernel: ['1000000', '1000000', '700', '0.5', quick ? '2' : '4', '1000000', '10'],
    c1m: true,
  },
  { label: 'M1   memory at 1 M invocations (S for 1,000 s)', file: 'bench/scenarios/S.yaml', duration: '1000s', kernel: S_KERNEL(1000) },
  quick
    ? { label: 'M3   memory at 3 M invocations (S for 3,000 s)', file: 'bench/scenarios/S.yaml', duration: '3000s' }
    : { label: 'M100 memory at 100 M invocations (S for 100,000 s)', file: 'bench/scenarios/S.yaml', duration: '100000s' },
];

console.log(`lsim bench${quick ? ' --quick' : ''} · node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`);
console.log('case                                                   invocations   inv/s (M)  events/s (M)  wall s   CPU s  peak RSS MB');
const row = (label, r) =>
  console.log(
    `${label.padEnd(54)} ${String(r.invocations).padStart(12)} ${(r.invocations / r.wallS / 1e6).toFixed(2).padStart(11)} ` +
      `${(r.events / r.wallS / 1e6).toFixed(2).padStart(13)} ${r.wallS.toFixed(2).padStart(7)} ${(r.cpuS ?? NaN).toFixed(2).padStart(7)} ${r.peakRssMb.toFixed(0).padStart(12)}`,
  );
const results = [];
const kernels = [];
// A case with a kernel runs as interleaved pairs (lsim, then the kernel), 3 of them (1 with --quick): on a
// shared machine one pair's ratio moves by tens of per cent. The pair with the median wall-time ratio is the
// one printed (its rows, counters and memory), with every pair's ratio beside it. S and L also run
// bench/collapsed.js after each pair's kernel: the same model on lsim's own parts and meters in one loop, the
// bound that collapsing lsim's layers could reach (docs/architecture.md "Where the time goes").
const PAIRS = quick ? 1 : 3;
const rate = (x) => x.invocations / x.wallS;
for (const c of cases) {
  const runLsim = () => JSON.parse(node(['bench/case.js', c.file, ...(c.duration ? [c.duration] : [])]));
  const name = c.label.replace(/\s+/g, ' ');
  if (!c.kernel) {
    const r = step(name, runLsim);
    results.push(r);
    row(c.label, r);
    continue;
  }
  const pairs = [];
  for (let i = 0; i < PAIRS; i++) {
    const r = step(`${name}${PAIRS > 1 ? ` (pair ${i + 1} of ${PAIRS})` : ''}`, runLsim);
    const k = step(`${c.label.split(' ')[0]} reference kernel`, () => JSON.parse(node(['bench/kernel.js', ...c.kernel])));
    const one = c.collapsed ? step(`${c.label.split(' ')[0]} in one loop (bench/collapsed.js)`, () => JSON.parse(node(['bench/collapsed.js', c.file, ...(c.duration ? [c.duration.replace(/s$/, '')] : [])]))) : null;
    pairs.push({ r, k, one, ratio: rate(r) / rate(k), oneRatio: one ? rate(one) / rate(k) : NaN });
  }
  const { r, k, one } = [...pairs].sort((a, b) => a.ratio - b.ratio)[pairs.length >> 1];
  results.push(r);
  kernels.push({ c, r, k });
  row(c.label, r);
  row(`  reference kernel (bench/kernel.js)`, k);
  console.log(
    `  lsim ÷ kernel: ${(rate(r) / rate(k)).toFixed(2)}× by wall time, ` +
      `${(r.invocations / r.cpuS / (k.invocations / k.cpuS)).toFixed(2)}× by CPU time` +
      (pairs.length > 1 ? ` (the median of ${pairs.length} interleaved pairs: ${pairs.map((x) => x.ratio.toFixed(2)).join(', ')})` : '') +
      ` · same counters: cold starts ${r.coldStarts} / ${k.coldStarts}, ` +
      `throttles ${r.throttles} / ${k.throttles}, peak concurrency ${r.peakConcurrency} / ${k.peakConcurrency}, ` +
      `handler p50 ${r.handlerP50} / ${k.handlerP50} ms, p99 ${r.handlerP99} / ${k.handlerP99} ms`,
  );
  if (one) {
    const ratios = pairs.map((x) => x.oneRatio).sort((a, b) => a - b);
    row(`  lsim's parts in one loop (bench/collapsed.js)`, one);
    console.log(
      `  one loop ÷ kernel: ${ratios[ratios.length >> 1].toFixed(2)}× by wall time (median of ${ratios.length}) · ` +
        `counters (lsim's draw for draw until an environment reaches its lifetime, which the loop leaves out): ` +
        `cold starts ${one.coldStarts} / ${r.coldStarts}, throttles ${one.throttles} / ${r.throttles}, peak concurrency ${one.peakConcurrency} / ${r.peakConcurrency}`,
    );
  }
}
const [m1, mBig] = results.slice(-2);
console.log(`memory growth from 1 M to ${quick ? '3' : '100'} M invocations: ${((mBig.peakRssMb / m1.peakRssMb - 1) * 100).toFixed(1)}%`);

// Memory per live environment (issue 21 item 3): the peak RSS of C1M above that of M1 (about 460
// environments, the same code loaded), divided by C1M's peak environments; the kernel likewise.
// And the CPU time per invocation at ~900,000 live environments against ~200 (S for 1,000 s).
{
  const c1m = kernels.find((x) => x.c.c1m);
  const s1 = kernels.find((x) => x.c.file.endsWith('S.yaml') && x.c.duration === '1000s');
  const perEnv = (big, small) => ((big.peakRssMb - small.peakRssMb) * 1024 * 1024) / big.peakEnvironments;
  const nsPerInv = (r) => (r.cpuS / r.invocations) * 1e9;
  console.log(
    `memory per live environment at ${c1m.r.peakEnvironments.toLocaleString('en-US')} environments: lsim ${perEnv(c1m.r, s1.r).toFixed(0)} B, ` +
      `kernel ${perEnv(c1m.k, s1.k).toFixed(0)} B (peak RSS above the 1,000-s S run's)`,
  );
  console.log(
    `CPU time per invocation, ~900,000 live ÷ ~200 live: lsim ${nsPerInv(c1m.r).toFixed(0)} ns ÷ ${nsPerInv(s1.r).toFixed(0)} ns = ${(nsPerInv(c1m.r) / nsPerInv(s1.r)).toFixed(2)}×, ` +
      `kernel ${nsPerInv(c1m.k).toFixed(0)} ns ÷ ${nsPerInv(s1.k).toFixed(0)} ns = ${(nsPerInv(c1m.k) / nsPerInv(s1.k)).toFixed(2)}×`,
  );
}

// Sweep (issue 8): 20 points × 5 replications, 1 worker thread vs N (bench/sweep.js).
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
