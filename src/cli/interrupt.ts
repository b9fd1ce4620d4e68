/**
 * How the lsim process ends on SIGINT or SIGTERM (issue 22 item 5), whichever thread runs the CLI
 * (src/cli/process.ts): its temporaries removed, one line, exit 128 + the signal's number.
 */
import { cleanTemps } from '../report/write.js';

/** The signals lsim handles, with the exit code of each: 130 for SIGINT, 143 for SIGTERM. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;
export type HandledSignal = keyof typeof SIGNALS;
export const HANDLED_SIGNALS = Object.keys(SIGNALS) as HandledSignal[];

/**
 * Removes `temps` (restoring a report set moved aside, as `cleanTemps` does), prints one line and
 * exits. What cannot be removed now, the next write into its folder removes (the pid is dead by then).
 */
export function endInterrupted(signal: HandledSignal, temps: Iterable<string>): never {
  let removed = 0;
  try {
    removed = cleanTemps(temps);
  } catch {
    // Left to the next writer (src/report/write.ts `removeStaleTemps`).
  }
  const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
  process.stderr.write(`${clear}lsim: interrupted by ${signal}; ${removed > 0 ? `removed ${removed} unfinished file${removed === 1 ? '' : 's'}` : 'no file was left half-written'}\n`);
  process.exit(SIGNALS[signal]);
}
