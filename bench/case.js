// One benchmark case in its own process, so peak memory is its own.
// Usage: node bench/case.js <scenario.yaml> [duration]   (duration replaces the file's `duration:`)
// Prints one JSON line: invocations, requests, events, wall seconds, peak RSS.
import { readFileSync } from 'node:fs';
import { parseScenario, simulate } from '../dist/index.js';

const [file, duration] = process.argv.slice(2);
const started = process.hrtime.bigint();
let text = readFileSync(file, 'utf8');
if (duration) text = text.replace(/^duration: .*$/m, `duration: ${duration}`);
const scenario = parseScenario(text, file);
const result = simulate(scenario);
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const f = result.functions[0];
console.log(
  JSON.stringify({
    scenario: scenario.name,
    simulatedS: scenario.durationMs / 1000,
    requests: f.attempts,
    invocations: f.invocations,
    events: result.engine.events,
    wallS,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
