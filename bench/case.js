// One benchmark case in its own process, so peak memory is its own.
// Usage: node bench/case.js <scenario.yaml> [duration]   (duration replaces the file's `duration:`)
// Prints one JSON line: invocations, requests, events, wall and CPU seconds, peak RSS,
// and the counters bench/kernel.js prints too (cold starts, throttles, peaks, percentiles).
import { readFileSync } from 'node:fs';
import { parseScenario, simulate } from '../dist/index.js';

const [file, duration] = process.argv.slice(2);
const started = process.hrtime.bigint();
let text = readFileSync(file, 'utf8');
if (duration) text = text.replace(/^duration: .*$/m, `duration: ${duration}`);
const scenario = parseScenario(text, file);
const result = simulate(scenario);
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage();
const f = result.functions[0];
console.log(
  JSON.stringify({
    scenario: scenario.name,
    simulatedS: scenario.durationMs / 1000,
    requests: f.attempts,
    invocations: f.invocations,
    coldStarts: f.coldStarts,
    throttles: f.throttles.total,
    events: result.engine.events,
    peakConcurrency: f.concurrency.max,
    peakEnvironments: f.environments.maxOnDemand,
    handlerP50: f.durationMs.p50,
    handlerP99: f.durationMs.p99,
    wallS,
    cpuS: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
