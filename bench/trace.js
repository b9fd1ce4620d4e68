// Trace replay benchmark (issue 9): writes a per-request trace of N rows to a
// temporary folder (not committed), replays it through a sync workload and prints
// one JSON line: rows, invocations, wall seconds, rows/s and peak RSS. The
// trace is 1,000 requests/s with durations from the trace; memory must not grow
// with N (the file is streamed). The temporary folder is removed afterwards; 50 M
// rows are about 770 MB. Progress (writing, then every tenth of the replay) on stderr.
// Usage: node --expose-gc bench/trace.js <rows>   (without --expose-gc, liveHeapMb is 0)
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, simulate } from '../dist/index.js';

/** Writes the trace (in a child process, so its garbage does not count in this process's peak RSS). */
function writeTrace(file, rows) {
  const fd = openSync(file, 'w');
  let buf = 'timestamp,function,duration_ms\n';
  for (let i = 0; i < rows; i++) {
    // One request per ms; durations 40–139 ms, so about 90 in flight.
    buf += `${i},api,${40 + ((i * 37) % 100)}\n`;
    if (buf.length > 1 << 16) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
}

if (process.argv[2] === '--write') {
  writeTrace(process.argv[3], Number(process.argv[4]));
  process.exit(0);
}

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'lsim-trace-bench-'));
try {
  const file = join(dir, 'trace.csv');
  process.stderr.write(`bench: writing a trace of ${rows.toLocaleString('en-US')} rows to ${file} (removed afterwards) …\n`);
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--write', file, String(rows)]);
  const bytes = statSync(file).size;
  process.stderr.write(`bench: ${(bytes / 2 ** 20).toFixed(0)} MB written; replaying it …\n`);
  const yaml = `name: trace-bench
seed: 1
duration: ${rows / 1000 + 1}s
report: { interval: 1h }
account: { concurrency: 1000 }
functions:
  api: { duration: 100ms }
workloads:
  - function: api
    client: { retries: none }
    arrivals:
      trace: { file: ${JSON.stringify(file)}, timestamps: ms }
`;
  const started = process.hrtime.bigint();
  // Live heap: with --expose-gc, a full collection at each progress call (every 2^20 events), then heapUsed.
  let liveHeapMb = 0;
  let tenths = 0;
  const onProgress = (nowMs, durationMs) => {
    const done = Math.floor((nowMs / durationMs) * 10);
    if (done > tenths) {
      tenths = done;
      process.stderr.write(`bench: replayed ${done * 10}%\n`);
    }
    if (typeof globalThis.gc !== 'function') return;
    globalThis.gc();
    liveHeapMb = Math.max(liveHeapMb, process.memoryUsage().heapUsed / 2 ** 20);
  };
  const result = simulate(parseScenario(yaml, join(dir, 'bench.yaml')), { onProgress });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const replay = result.workloads[0].traceReplay;
  console.log(
    JSON.stringify({
      rows: replay.rows,
      traceMb: bytes / 2 ** 20,
      invocations: result.functions[0].invocations,
      events: result.engine.events,
      wallS,
      rowsPerS: replay.rows / wallS,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      liveHeapMb,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
