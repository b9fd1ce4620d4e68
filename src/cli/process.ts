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
 * The main thread's standard streams keep processIo()'s rules: a reader that
 * goes away (EPIPE) ends the process quietly with 0, a full output (ENOSPC) is
 * one line and exit 2.
 */
import { WriteStream } from 'node:tty';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { cleanTemps, onTempChange } from '../report/write.js';
import type { CliIo, Input } from './io.js';
import { main, processIo } from './main.js';

/** What the worker sends the main thread. */
type ToMain =
  | { t: 'out' | 'err'; s: string }
  | { t: 'temp'; path: string; on: boolean }
  | { t: 'stdin' }
  | { t: 'exit'; code: number };

/** What the main thread sends the worker: standard input, on request. */
type ToWorker = { t: 'chunk'; data: Uint8Array } | { t: 'end' };

/** What the worker needs to know of the process's terminal. */
export interface WorkerInit {
  argv: string[];
  port: MessagePort;
  stdoutTTY: boolean;
  stdoutColumns?: number;
  stderrTTY: boolean;
  stderrColumns?: number;
  stdinTTY: boolean;
}

const SIGNALS = { SIGINT: 130, SIGTERM: 143 } as const;

/** Runs `lsim argv` as this process; resolves with the exit code. */
export function runProcess(argv: string[]): Promise<number> {
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
  };
  const worker = new Worker(new URL('./process-worker.js', import.meta.url), { workerData: init, transferList: [port2] });
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
      } else if (m.t === 'exit') finish(m.code);
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

/** The worker's side: `main` with an io that hands everything to the main thread. */
export async function runWorker(init: WorkerInit): Promise<void> {
  const port = init.port;
  const send = (m: ToMain): void => port.postMessage(m);
  const colors = (env?: object): boolean => (WriteStream.prototype.hasColors as (env?: object) => boolean).call(undefined, env ?? process.env);
  onTempChange((path, on) => send({ t: 'temp', path, on }));
  const io: CliIo = {
    stdout: {
      write: (s: string) => send({ t: 'out', s }),
      isTTY: init.stdoutTTY,
      columns: init.stdoutColumns,
      ...(init.stdoutTTY ? { hasColors: colors } : {}),
    },
    stderr: {
      write: (s: string) => send({ t: 'err', s }),
      isTTY: init.stderrTTY,
      columns: init.stderrColumns,
      ...(init.stderrTTY ? { hasColors: colors } : {}),
    },
    stdin: workerStdin(port, init.stdinTTY, send),
    cwd: process.cwd(),
  };
  const code = await main(init.argv, io);
  onTempChange(null);
  send({ t: 'exit', code });
  port.close();
}

/** Standard input in the worker: asked of the main thread when first read. */
function workerStdin(port: MessagePort, isTTY: boolean, send: (m: ToMain) => void): Input {
  return {
    isTTY,
    [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
      const queue: Uint8Array[] = [];
      let ended = false;
      let wake: (() => void) | null = null;
      port.on('message', (m: ToWorker) => {
        if (m.t === 'chunk') queue.push(m.data);
        else ended = true;
        wake?.();
      });
      send({ t: 'stdin' });
      return {
        async next(): Promise<IteratorResult<Uint8Array>> {
          while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
          wake = null;
          const value = queue.shift();
          return value !== undefined ? { value, done: false } : { value: undefined, done: true };
        },
      };
    },
  };
}
