/** The text report's section on trace replays (issue 9). */
import type { ResultView } from '../model.js';
import type { SyncWorkloadResult, TraceReplayResult } from './types.js';
import { int, num, table } from '../../format.js';

/** Trace replays: what each trace held and what was sent (the JSON has every count). */
export function traceSection(r: ResultView): string[] {
  const replays = r.workloads.flatMap((w): [SyncWorkloadResult, TraceReplayResult][] =>
    w.invoke === 'sync' && (w as SyncWorkloadResult).traceReplay ? [[w as SyncWorkloadResult, (w as SyncWorkloadResult).traceReplay!]] : [],
  );
  if (replays.length === 0) return [];
  const out = [
    '',
    'Traces replayed (whole run; "sent" after scale; payloads over 6 MB refused after the warm-up)',
    table(
      ['name', 'format', 'speed', 'scale', 'rows', 'bad', 'sent', 'unmapped', 'fns', 'durations', '>6 MB'],
      replays.map(([w, t]) => [
        w.name,
        t.format,
        `${num(t.speed, 2)}x`,
        `${num(t.scale, 2)}x`,
        int(t.rows),
        int(t.badRows),
        int(t.sent),
        int(t.unmapped),
        int(t.functionsMapped),
        int(t.durationsFromTrace),
        int(t.payloadTooLarge),
      ]),
    ),
  ];
  for (const [w, t] of replays) {
    out.push(`${w.name}: ${t.file}${t.firstBadRow ? `; first bad row skipped: line ${t.firstBadRow.line}: ${t.firstBadRow.message}` : ''}`);
  }
  return out;
}
