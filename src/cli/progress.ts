/**
 * Progress on stderr for long runs and sweeps, one line redrawn in place, the
 * same for both:
 *
 *   ▕██████████░░░░░░░░░░▏  52%  4h 10m of 8h simulated · 1.62 M events/s · ETA 1m 5s
 *   ▕████░░░░░░░░░░░░░░░░▏  20%  20 of 100 runs · ETA 3m 20s
 *
 * Silent for the first second (short runs print nothing), redrawn at most five
 * times a second, cut to the terminal's width and erased when done. The wall
 * clock is read here, in the CLI, never in the model.
 */
import type { Output } from './io.js';

export interface Progress {
  /** `share` of the work is done (0–1); `detail` says what, e.g. "20 of 100 runs". */
  update(share: number, detail: string): void;
  /** Erases the line, if one was drawn. */
  done(): void;
}

const BAR_WIDTH = 20;

export function progressLine(out: Output, clock: () => number = Date.now): Progress {
  const started = clock();
  let shown = false;
  let lastDraw = 0;
  return {
    update(share, detail) {
      const wall = clock();
      const elapsed = wall - started;
      if (elapsed < 1000 || wall - lastDraw < 200) return;
      lastDraw = wall;
      shown = true;
      const s = Math.min(1, Math.max(0, share));
      const filled = Math.round(s * BAR_WIDTH);
      const eta = s > 0 && s < 1 ? ` · ETA ${humanDuration((elapsed * (1 - s)) / s)}` : '';
      let line = `▕${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}▏ ${`${Math.floor(s * 100)}%`.padStart(4)}  ${detail}${eta}`;
      if (out.columns) line = line.slice(0, out.columns - 1);
      out.write(`\r${line}\x1b[K`);
    },
    done() {
      if (shown) out.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** Progress of a run: simulated time against the scenario's duration, and the event rate. */
export function runProgress(out: Output, clock: () => number = Date.now): { update: (nowMs: number, durationMs: number, events: number) => void; done: () => void } {
  const line = progressLine(out, clock);
  const started = clock();
  return {
    update(nowMs, durationMs, events) {
      const seconds = (clock() - started) / 1000;
      const rate = seconds > 0 ? ` · ${(events / seconds / 1e6).toFixed(2)} M events/s` : '';
      line.update(nowMs / durationMs, `${humanDuration(nowMs)} of ${humanDuration(durationMs)} simulated${rate}`);
    },
    done: line.done,
  };
}

/** Progress of a sweep: runs finished out of all. */
export function sweepProgress(out: Output, clock: () => number = Date.now): { update: (done: number, total: number) => void; done: () => void } {
  const line = progressLine(out, clock);
  return { update: (done, total) => line.update(done / total, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs`), done: line.done };
}

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * A duration for people, to the two largest units: 850ms, 4.2s, 42s, 4m 5s,
 * 4h 10m, 2d 3h (zero parts left out: 8h, 1m).
 */
export function humanDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toString()}s`;
  const i = UNITS.findIndex(([, per]) => ms >= per);
  const [unit, per] = UNITS[i];
  const whole = Math.floor(ms / per);
  if (i === UNITS.length - 1) return `${whole}${unit}`;
  const [nextUnit, nextPer] = UNITS[i + 1];
  const rest = Math.floor((ms - whole * per) / nextPer);
  return rest > 0 ? `${whole}${unit} ${rest}${nextUnit}` : `${whole}${unit}`;
}
