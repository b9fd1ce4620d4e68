import { reason } from '../report/write.js';
import type { CliIo } from './io.js';

/**
 * The process's own streams for bin/lsim.js. A reader that goes away early
 * (`lsim run … | head`) is not an error: the process ends quietly with exit
 * code 0. Any other failure to write the output ends it with exit code 1.
 */
export function processIo(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      if (stream !== process.stderr) process.stderr.write(`lsim: cannot write to standard output: ${reason(e)}\n`);
      process.exit(2);
    });
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // Read when a command reads it: Node makes process.stdin on first use, about 4 ms (issue 21).
    get stdin() {
      return process.stdin;
    },
    cwd: process.cwd(),
  };
}
