/**
 * The lsim process (bin/lsim.js) and its signals (issue 22 item 5).
 *
 * A run, a trace and a sweep's merge are synchronous JavaScript: while they
 * compute, the thread that runs them never returns to its event loop, so a
 * SIGINT or SIGTERM handler on that thread would wait until the work is done.
 * The process therefore runs the CLI (`main`, unchanged) on a worker thread and
 * keeps the main thread idle: it writes what the worker hands it to the real
 * standard output and error, feeds standard input on request, and keeps the
 * list of temporaries the worker is writing (src/report/write.ts tells it of
 * each before the file exists).
 *
 * On SIGINT or SIGTERM the main thread stops the worker (V8 ends its
 * JavaScript wherever it is), reads the messages it had already sent, removes
 * its temporaries (restoring a report set moved aside, as `cleanTemps` does),
 * prints one line and exits with 128 + the signal's number: 130 for SIGINT,
 * 143 for SIGTERM. A `kill -9` cannot be caught: the next write into the same
 * folder removes what it left (`removeStaleTemps`: the pid in the name is dead).
 *
 * Start-up (issue 21): this thread runs only this module, src/cli/stdio.ts and
 * src/report/write.ts, bundled by `npm run build` into one CommonJS file
 * (dist/bundle/main.js, which bin/lsim.js picks when it is fresh); the CLI's module
 * graph (yargs, zod, the models) is loaded once, by the worker: from the bundle
 * dist/bundle/lsim.js (one file, so no per-module resolution, compiled with its code
 * cache; the worker starts on src/cli/process-start-bundle.ts) when this thread runs
 * bundled too, else from the compiled modules (src/cli/process-start.ts). Once the
 * worker has sent its exit code this thread no longer waits for the worker's own teardown.
 *
 * The main thread's standard streams keep processIo()'s rules: a reader that
 * goes away (EPIPE) ends the process quietly with 0, a full output (ENOSPC) is
 * one line and exit 2.
 */
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { cleanTemps } from '../report/write.js';
import { processIo } from './stdio.js';

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

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs `lsim argv` as this process; resolves with the exit code. `bundled`: this thread runs from
 * dist/bundle/main.js, and the worker then runs the bundle too (bin/lsim.js found them fresh).
 */
export function runProcess(argv: string[], bundled: boolean): Promise<number> {
  processIo(); // EPIPE and a full output on the real streams
  const { port1, port2 } = new MessageChannel();
  const init: WorkerInit = {
    argv,
    port: port2,
    stdoutTTY: process.stdout.isTTY === true,
    stdoutColumns: process.stdout.columns,
    stderrTTY: process.stderr.isTTY === true,
    stderrColumns: process.stderr.columns,
    stdinTTY: process.stdin.isTTY === true,
    ...(bundled ? { bundle: fileURLToPath(new URL('lsim.js', BUNDLE)) } : {}),
  };
  const worker = new Worker(bundled ? new URL('start.js', BUNDLE) : new URL('../cli/process-start.js', import.meta.url), { workerData: init, transferList: [port2] });
  const temps = new Set<string>();
  let stopping = false;
  let finished = false;
  let readingStdin = false;

  return new Promise<number>((resolveCode) => {
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      for (const sig of Object.keys(SIGNALS)) process.removeListener(sig, onSignal);
      port1.close();
      if (readingStdin) process.stdin.destroy();
      resolveCode(code);
    };
    const handle = (m: ToMain): void => {
      if (m.t === 'temp') {
        if (m.on) temps.add(m.path);
        else temps.delete(m.path);
      } else if (stopping) {
        // Interrupted: the one line below is all that is printed.
      } else if (m.t === 'out') process.stdout.write(m.s);
      else if (m.t === 'err') process.stderr.write(m.s);
      else if (m.t === 'stdin') {
        readingStdin = true;
        process.stdin.on('data', (data: Buffer) => port1.postMessage({ t: 'chunk', data } satisfies ToWorker));
        process.stdin.on('end', () => port1.postMessage({ t: 'end' } satisfies ToWorker));
      } else if (m.t === 'exit') {
        // Everything the worker had to say came before this, in order: the process may end
        // without waiting for the worker's teardown (the 'exit' handler below finds it finished).
        worker.unref();
        finish(m.code);
      }
    };
    port1.on('message', handle);
    worker.on('exit', (code) => {
      if (stopping) return;
      // Its last messages may not have been read yet: the exit code it sent wins.
      for (let m = receiveMessageOnPort(port1); m !== undefined && !finished; m = receiveMessageOnPort(port1)) handle(m.message as ToMain);
      if (!finished) finish(code === 0 ? 1 : code);
    });
    worker.on('error', (e) => {
      if (stopping) return;
      process.stderr.write(`lsim: internal error (please report it):\n${e instanceof Error ? e.stack : String(e)}\n`);
      finish(1);
    });

    async function onSignal(signal: keyof typeof SIGNALS): Promise<void> {
      if (stopping) return;
      stopping = true;
      await worker.terminate();
      // Messages the worker sent before it stopped and this thread has not read yet.
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) handle(m.message as ToMain);
      let removed = 0;
      try {
        removed = cleanTemps(temps);
      } catch {
        // What could not be removed now, the next write into the folder removes (the pid is dead by then).
      }
      const clear = process.stderr.isTTY ? '\r\x1b[K' : '';
      process.stderr.write(`${clear}lsim: interrupted by ${signal}; ${removed > 0 ? `removed ${removed} unfinished file${removed === 1 ? '' : 's'}` : 'no file was left half-written'}\n`);
      process.exit(SIGNALS[signal]);
    }
    for (const sig of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) process.on(sig, onSignal);
  });
}

/**
 * The folder of the bundles `npm run build` makes (scripts/bundle.js). This and the URL of the
 * modules' worker are written from `..` so that they hold in dist/cli/ and in the bundle.
 */
const BUNDLE = new URL('../bundle/', import.meta.url);
