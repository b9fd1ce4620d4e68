/** The terminal report's pipeline sections (issue 16): each chain's requests, followed stage by stage. */
import type { Result } from '../sim/result.js';
import { dur, int, pct, table } from '../format.js';

export function pipelineText(r: Result): string[] {
  const out: string[] = [];
  for (const p of r.pipelines ?? []) {
    const q = p.requests;
    out.push('');
    out.push(
      `Pipeline ${p.name}: ${int(q.entered)} requests, ${int(q.finished)} finished (${pct(q.finishedShare)}), ${int(q.inFlight)} in flight, ` +
        `${int(q.inDlq)} in a DLQ, ${int(q.dropped)} dropped`,
    );
    out.push("p50, p99: from the request's start to done at the stage; oldest: the oldest open item's max age");
    const stopped = p.stages.some((s) => s.stoppedByRecursion > 0);
    out.push(
      table(
        ['stage', 'entered', 'done', 'open', 'DLQ', 'dropped', ...(stopped ? ['loop-stopped'] : []), 'p50', 'p99', 'oldest'],
        p.stages.map((s) => [
          `${s.workload} (${s.invoke})`,
          int(s.entered),
          int(s.done),
          int(s.inFlight),
          int(s.dlq),
          int(s.dropped),
          ...(stopped ? [int(s.stoppedByRecursion)] : []),
          s.latencyMs.count > 0 ? dur(s.latencyMs.p50) : '-',
          s.latencyMs.count > 0 ? dur(s.latencyMs.p99) : '-',
          dur(s.maxOldestAgeMs),
        ]),
      ),
    );
    const e = p.endToEndMs;
    out.push(
      e.count > 0
        ? `end to end (finished, to the last item): p50 ${dur(e.p50)} · p90 ${dur(e.p90)} · p99 ${dur(e.p99)} · max ${dur(e.max)}`
        : 'end to end: no request finished',
    );
    if (p.calls.made > 0) out.push(`synchronous calls: ${int(p.calls.made)} made, ${int(p.calls.failed)} failed (throttled, failed, timed out or stopped as a loop)`);
    const b = p.binding;
    out.push(
      b === null
        ? 'binding stage: none (no stage throttled, no stage kept its items waiting longer and longer)'
        : `binding stage: ${b.stage}, from ${dur(b.fromMs)}: ${b.cause === 'throttles' ? 'its function was throttled' : 'the time its items wait grew for two intervals running'}`,
    );
  }
  return out;
}
