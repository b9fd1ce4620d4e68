/**
 * Progress on stderr for long runs: simulated time, share done and events per
 * second of wall time. Silent for the first second, so short runs print nothing.
 * The wall clock is read here, in the CLI, never in the model.
 */
import type { Output } from './main.js';
import { formatDuration } from '../scenario/units.js';

export function progressReporter(out: Output): { update: (nowMs: number, durationMs: number, events: number) => void; done: () => void } {
  const started = Date.now();
  let shown = false;
  let lastDraw = 0;
  return {
    update(nowMs, durationMs, events) {
      const wall = Date.now();
      if (wall - started < 1000 || wall - lastDraw < 200) return;
      lastDraw = wall;
      shown = true;
      const share = Math.min(1, nowMs / durationMs);
      const rate = events / ((wall - started) / 1000);
      out.write(
        `\r  simulated ${formatDuration(nowMs)} of ${formatDuration(durationMs)} (${(share * 100).toFixed(0)}%) · ` +
          `${(rate / 1e6).toFixed(2)} M events/s   `,
      );
    },
    done() {
      if (shown) out.write('\r\x1b[K');
    },
  };
}
