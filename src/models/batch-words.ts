/** Words the batch models (SQS, streams) share in `lsim explain`. */
import type { TraceEvent } from '../metrics/trace.js';

export /** The other explained requests of a batch event: " with requests 1, 2, 3 (+4 more)", or ''. */
function companions(e: TraceEvent, self: number, explained: (r: number) => boolean): string {
  const others = (e.requests ?? []).filter((r) => r !== self && explained(r));
  if (others.length === 0) return '';
  const shown = others.slice(0, 4).join(', ');
  return ` with request${others.length === 1 ? '' : 's'} ${shown}${others.length > 4 ? ` (+${others.length - 4} more)` : ''}`;
}
