// The warm-up of a fresh process (issue 21, docs/architecture.md "Warm-up"): bench/scenarios/S.yaml run with
// `simulateInSlices`, as `lsim run` runs it, timing each slice (the time between two returns to the event
// loop; the first includes wiring the run), so the curve shows how long V8 takes to optimise the hot path.
// Figures only: nothing here asserts. Pass another checkout (built with `npx tsc -p tsconfig.build.json`)
// to time its compiled modules instead, e.g. to compare two builds' curves.
// Usage: node bench/warmup.js [duration=300s] [events per slice=32768] [checkout=.]
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [duration = '300s', slice = '32768', checkout = '.'] = process.argv.slice(2);
const { parseScenario, simulateInSlices } = await import(pathToFileURL(join(resolve(checkout), 'dist', 'index.js')).href);
const file = 'bench/scenarios/S.yaml';
const scenario = parseScenario(readFileSync(file, 'utf8').replace(/^duration: .*$/m, `duration: ${duration}`), file);
const ms = [];
const started = process.hrtime.bigint();
let last = started;
let running = true;
const tick = () => {
  const t = process.hrtime.bigint();
  ms.push(Number(t - last) / 1e6);
  last = t;
  if (running) setImmediate(tick);
};
setImmediate(tick);
await simulateInSlices(scenario, {}, Number(slice));
running = false;
console.log(`S for ${duration} in slices of ${slice} events, ms per slice: ${ms.map((x) => x.toFixed(1)).join(' ')}`);
console.log(`total ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
