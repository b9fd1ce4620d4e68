import { main } from '../../src/cli/main.js';
import { type Input } from '../../src/cli/io.js';

export interface CliOptions {
  cwd?: string;
  stdoutTTY?: boolean;
  stderrTTY?: boolean;
  /** Node's colour rule of a terminal (`tty.WriteStream.prototype.hasColors`) for stdout. */
  stdoutHasColors?: (env?: object) => boolean;
  stdin?: Input;
  env?: Record<string, string | undefined>;
  clock?: () => number;
}

/** Runs `main` with captured output. */
export async function cli(args: string[], opts: CliOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.stdoutTTY, ...(opts.stdoutHasColors ? { hasColors: opts.stdoutHasColors } : {}) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.stderrTTY },
    stdin: opts.stdin,
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env,
    clock: opts.clock,
  });
  return { code, stdout, stderr };
}

/** A stack trace line ("    at f (file:1:2)"). */
export const STACK = /\n\s+at /;
