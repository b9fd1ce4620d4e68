// One benchmark case in its own process, so peak memory is its own.
// Usage: node bench/case.js <scenario.yaml> [durationOverride]
// Prints one JSON line: invocations, requests, events, wall seconds, peak RSS.
import { loadScenarioFile, simulate } from '../dist/index.js';
import { parseDurationMs } from '../dist/scenario/units.js';

const [file, duration] = process.argv.slice(2);
const started = process.hrtime.bigint();
const scenario = loadScenarioFile(file);
if (duration) {
  const parsed = parseDurationMs(duration);
  if (!parsed.ok) throw new Error(parsed.error);
  scenario.durationMs = parsed.value;
  scenario.report.intervalMs = Math.max(scenario.report.intervalMs, Math.ceil(scenario.durationMs / 720));
}
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
