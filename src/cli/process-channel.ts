/** What the two threads of the lsim process (src/cli/process.ts) say to each other when the CLI runs on a worker. */
import type { MessagePort } from 'node:worker_threads';

/** What the worker sends the main thread. */
export type ToMain =
  | { t: 'out' | 'err'; s: string }
  | { t: 'temp'; path: string; on: boolean }
  | { t: 'stdin' }
  | { t: 'exit'; code: number };

/** What the main thread sends the worker: standard input, on request. */
export type ToWorker = { t: 'chunk'; data: Uint8Array } | { t: 'end' };

/** What the worker needs to know of the process's terminal. */
export interface WorkerInit {
  argv: string[];
  port: MessagePort;
  stdoutTTY: boolean;
  stdoutColumns?: number;
  stderrTTY: boolean;
  stderrColumns?: number;
  stdinTTY: boolean;
  /** The bundle to load (a path), when it is fresh; else the worker runs on the compiled modules. */
  bundle?: string;
}
