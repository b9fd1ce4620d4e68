/** The stream model in the HTML report and the headline: records, batches and iterator age. */
import { dur, int } from '../../format.js';
import { count, countOf, time } from '../html-facts.js';
import type { CardFact, ChartSpec } from '../model.js';
import type { StreamWorkloadResult } from './types.js';

export function streamCards(w: StreamWorkloadResult): CardFact[] {
  const r = w.records;
  return [
    count('records.written', 'records written', r.written, 'Records the producers wrote to the stream, after the warm-up.'),
    countOf('records.processed', 'processed', r.processed, r.written, 'Records in batches that succeeded: the checkpoint moved past them.'),
    countOf('records.discarded', 'discarded', r.discarded, r.written, 'Records of batches given up (retries exhausted or too old): sent to on-failure, or lost.'),
    countOf('records.expired', 'expired unread', r.expired, r.written, "Records the stream's retention removed before they were processed."),
    count('records.leftAtEnd', 'left at the end', r.pendingAtEnd, 'Records not yet processed when the run ended (in a batch or not yet read).'),
    count('batches.invoked', 'batches invoked', w.batches.invoked, 'Invocations of the function, one batch of one shard each.'),
    count('batches.retries', 'batch retries', w.batches.retries, 'Failed batches tried again; the shard waits meanwhile.'),
    time('iteratorAgeMs.p99', 'iterator age p99', w.iteratorAgeMs.p99, "Age of a batch's last record when the function finished it (CloudWatch IteratorAge), 99th percentile."),
    time('iteratorAgeMs.max', 'iterator age max', w.iteratorAgeMs.max, 'The furthest the mapping fell behind the newest records.'),
    count('concurrency.max', 'most concurrent batches', w.concurrency.max, `At most shards × parallelizationFactor = ${int(w.config.shards * w.config.parallelizationFactor)}.`),
  ];
}

export function streamCharts(w: StreamWorkloadResult): ChartSpec[] {
  const lanes = w.config.shards * w.config.parallelizationFactor;
  return [
    {
      title: 'Did the consumer keep up? Records written and processed per second',
      y: 'records per second',
      series: [
        { key: 'written', label: 'written', perSecond: true },
        { key: 'processed', label: 'processed', perSecond: true },
      ],
    },
    {
      title: 'How far behind did it fall? Iterator age, most in the interval',
      y: 'iterator age',
      durations: true,
      series: [
        { key: 'iteratorAgeMax', label: 'all shards' },
        ...w.shards.map((s) => ({ key: `iteratorAgeMax.shard-${s.shard}`, label: `shard-${s.shard}` })),
      ],
    },
    {
      title: 'Were all lanes busy? Batches in flight',
      y: 'batches in flight',
      series: [{ key: 'batchesInFlightMax', label: 'most in the interval' }],
      limits: [{ label: `shards × parallelizationFactor (${int(lanes)})`, value: lanes }],
    },
  ];
}

export function streamSummary(w: StreamWorkloadResult): string[] {
  const r = w.records;
  if (r.written === 0) return [];
  return [
    `${w.name}: ${int(r.processed)} of ${int(r.written)} records processed, ${int(r.discarded)} discarded, ${int(r.expired)} expired; the iterator age reached ${dur(w.iteratorAgeMs.max)} (p99 ${dur(w.iteratorAgeMs.p99)}).`,
  ];
}
