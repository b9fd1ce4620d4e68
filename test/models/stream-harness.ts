// Builds one stream mapping from an inline scenario with the debug hook attached,
// so tests can watch every batch and every processed record.
import { Simulator } from '../../src/engine/simulator.js';
import { RngStreams } from '../../src/engine/rng.js';
import { Platform } from '../../src/platform/platform.js';
import { FunctionMeters } from '../../src/platform/meters.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { StreamWorkloadSpec } from '../../src/models/stream/types.js';
import { StreamMapping } from '../../src/models/stream/mapping.js';
import { StreamMeters } from '../../src/models/stream/meters.js';

export interface BatchEvent {
  t: number;
  shard: number;
  lane: number;
  firstSeq: number;
  n: number;
}
export interface DoneEvent {
  t: number;
  shard: number;
  outcome: string;
  n: number;
}

/** A scenario with one function `f` and one `invoke: stream` workload. */
export function streamYaml(opts: { stream: string; arrivals: string; fn?: string; duration?: string; seed?: number | string; warmup?: string }): string {
  return `
name: stream-trace
seed: ${opts.seed ?? 1}
duration: ${opts.duration ?? '1m'}
${opts.warmup ? `warmup: ${opts.warmup}` : ''}
functions:
  f:
    memory: 1024MB
    timeout: 60s
    init: 0ms
${opts.fn ?? '    duration: 100ms'}
workloads:
  - function: f
    invoke: stream
    arrivals: ${opts.arrivals}
    stream: ${opts.stream}
`;
}

export function runStream(yaml: string) {
  const sc = parseScenario(yaml, 'inline.yaml');
  const sim = new Simulator();
  const rng = new RngStreams(sc.seed);
  const fnMeters = new FunctionMeters(sc.report.intervalMs, sc.durationMs, sc.warmupMs);
  const platform = new Platform(sim, sc, rng, () => fnMeters, null);
  const w = sc.workloads[0] as StreamWorkloadSpec;
  const meters = new StreamMeters(w.stream.shards, sc.report.intervalMs, sc.durationMs, sc.warmupMs);
  const mapping = new StreamMapping(sim, platform, rng, w, 0, meters);
  const batches: BatchEvent[] = [];
  const done: DoneEvent[] = [];
  const processed: { t: number; shard: number; key: number; seq: number; written: number }[] = [];
  const discards: { t: number; shard: number; first: number; last: number; reason: string }[] = [];
  const throttles: number[] = [];
  const finals: { t: number; shard: number; n: number; early: boolean }[] = [];
  const finalsDone: { t: number; shard: number; ok: boolean; n: number }[] = [];
  mapping.debug = {
    final: (t, shard, _lane, n, early) => finals.push({ t, shard, n, early }),
    finalDone: (t, shard, _lane, ok, n) => finalsDone.push({ t, shard, ok, n }),
    batch: (t, shard, lane, firstSeq, n) => batches.push({ t, shard, lane, firstSeq, n }),
    done: (t, shard, _lane, outcome, n) => done.push({ t, shard, outcome, n }),
    processed: (t, shard, key, seq, written) => processed.push({ t, shard, key, seq, written }),
    discarded: (t, shard, first, last, reason) => discards.push({ t, shard, first, last, reason }),
    throttled: (t) => throttles.push(t),
  };
  sim.run(sc.durationMs);
  const retainedBeforeFinish = mapping.retained;
  mapping.finish(sc.durationMs);
  return { scenario: sc, spec: w.stream, meters, mapping, fnMeters, batches, done, processed, discards, throttles, finals, finalsDone, retainedBeforeFinish };
}
