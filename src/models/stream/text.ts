/** The terminal report's section on stream event source mappings (docs/sources.md §6). Fits 100 columns. */
import type { ResultView } from '../model.js';
import type { StreamWorkloadResult } from './types.js';
import { dur, int, num, table } from '../../format.js';

/** Shards listed per workload (those with the highest iterator age). */
const TOP_SHARDS = 5;
/** The iterator-age timeline is shown as this many slices of the run. */
const SLICES = 10;

export function streamSection(r: ResultView): string[] {
  const streams = r.workloads.filter((w): w is StreamWorkloadResult => w.invoke === 'stream');
  if (streams.length === 0) return [];
  const out: string[] = [''];
  out.push('Streams: records (written = processed + discarded + expired + pending)');
  out.push(
    table(
      ['name', 'source', 'shards×factor', 'written', 'processed', 'discarded', 'expired', 'pending'],
      streams.map((w) => [
        w.name,
        w.config.source,
        `${w.config.shards}×${w.config.parallelizationFactor}`,
        int(w.records.written),
        int(w.records.processed),
        int(w.records.discarded),
        int(w.records.expired),
        int(w.records.pendingAtEnd),
      ]),
    ),
  );
  out.push('');
  const throttled = streams.some((w) => w.batches.throttled > 0);
  out.push('Streams: batches and iterator age (age of the batch\'s last record when it finishes)');
  out.push(
    table(
      ['name', 'batches', 'failed', 'retries', 'splits', 'discarded', ...(throttled ? ['throttled'] : []), 'batch p50', 'age p50', 'age p99', 'age max'],
      streams.map((w) => [
        w.name,
        int(w.batches.invoked),
        int(w.batches.failed + w.batches.partial),
        int(w.batches.retries),
        int(w.batches.splits),
        int(w.batches.discarded['retries-exhausted'] + w.batches.discarded['record-age']),
        ...(throttled ? [int(w.batches.throttled)] : []),
        num(w.batchSize.p50, 0),
        dur(w.iteratorAgeMs.p50),
        dur(w.iteratorAgeMs.p99),
        dur(w.iteratorAgeMs.max),
      ]),
    ),
  );
  for (const w of streams) {
    out.push('');
    const sent = w.batches.destinationMessages;
    const dest = w.config.onFailure ? ` · ${int(sent)} discarded batch${sent === 1 ? '' : 'es'} reported to ${w.config.onFailure}` : '';
    out.push(`${w.name}: highest iterator age by shard${dest}`);
    const shards = [...w.shards].sort((a, b) => b.maxIteratorAgeMs - a.maxIteratorAgeMs || a.shard - b.shard).slice(0, TOP_SHARDS);
    out.push(
      table(
        ['shard', 'written', 'processed', 'discarded', 'expired', 'pending', 'max age'],
        shards.map((s) => [
          `shard-${s.shard}`,
          int(s.written),
          int(s.processed),
          int(s.discarded),
          int(s.expired),
          int(s.pendingAtEnd),
          dur(s.maxIteratorAgeMs),
        ]),
      ),
    );
    const series = r.timeSeries.workloads[w.name]?.iteratorAgeMax;
    if (series && series.length > 0) {
      const slices = Math.min(SLICES, series.length);
      const cells: string[] = [];
      for (let k = 0; k < slices; k++) {
        let max = 0;
        for (let i = Math.floor((k * series.length) / slices); i < Math.floor(((k + 1) * series.length) / slices); i++) max = Math.max(max, series[i]);
        cells.push(dur(max));
      }
      out.push(`iterator age, max in each ${slices === SLICES ? 'tenth' : 'interval'} of the run:`);
      for (let k = 0; k < cells.length; k += 5) out.push(`  ${cells.slice(k, k + 5).join(' · ')}`);
    }
    if (w.windows) {
      const x = w.windows;
      out.push(
        `tumbling windows of ${dur(w.config.tumblingWindowMs ?? 0)}: ${int(x.closed)} closed (${int(x.closedEarly)} early, state over 1 MB) · ` +
          `${int(x.finalInvokes)} final invokes, ${int(x.finalInvokesFailed)} failed`,
      );
    }
    for (const d of w.discardExamples.slice(0, 3)) {
      out.push(
        `discarded (${d.reason}) at ${dur(d.atMs)}: shard-${d.shard} sequence ${int(d.firstSequence)}–${int(d.lastSequence)} (${int(d.records)} record${d.records === 1 ? '' : 's'})`,
      );
    }
  }
  return out;
}
