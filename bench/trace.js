// Trace replay benchmark (issue 9): writes a per-request trace of N rows to a
// temporary folder (not committed), replays it through a sync workload and prints
// one JSON line: rows, invocations, wall seconds, rows/s and peak RSS. The
// trace is 1,000 requests/s with durations from the trace; memory must not grow
// with N (the file is streamed). The temporary folder is removed afterwards.
// Usage: node bench/trace.js <rows>
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, simulate } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'lsim-trace-bench-'));
try {
  const file = join(dir, 'trace.csv');
  const fd = openSync(file, 'w');
  let buf = 'timestamp,function,duration_ms\n';
  for (let i = 0; i < rows; i++) {
    // One request per ms; durations 40–139 ms, so about 90 in flight.
    buf += `${i},api,${40 + ((i * 37) % 100)}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  const bytes = statSync(file).size;
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
  const result = simulate(parseScenario(yaml, join(dir, 'bench.yaml')));
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
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
