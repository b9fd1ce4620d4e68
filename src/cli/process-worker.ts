/**
 * The CLI's side of the lsim process (src/cli/process.ts), on either thread. It is the entry of the
 * bundle (dist/bundle/lsim.js, scripts/bundle.js): everything the CLI needs is loaded from here, once.
 * {@link runHere} runs the CLI on the process's main thread (`run`, `compare`, `validate`, `price`,
 * `init`, `schema`); {@link runWorker} on a worker thread, handing its output to the main thread
 * (every other command), started by the worker's first module (src/cli/process-start.ts, or
 * process-start-bundle.ts for the bundle).
 */
import type { MessagePort } from 'node:worker_threads';
import { onTempChange } from '../report/write.js';
import { endInterrupted, HANDLED_SIGNALS, type HandledSignal } from './interrupt.js';
import type { CliIo, Input } from './io.js';
import { main } from './main.js';
import { nodeHasColors } from './reports.js';
import type { ToMain, ToWorker, WorkerInit } from './process-channel.js';
import { processIo } from './stdio.js';

/**
 * `main` on this thread with the process's own streams. A signal is handled when the CLI's work
 * returns to the event loop (between the slices of `simulateInSlices`), ending the process as
 * {@link endInterrupted} says.
 */
export async function runHere(argv: string[]): Promise<number> {
  const temps = new Set<string>();
  onTempChange((path, on) => void (on ? temps.add(path) : temps.delete(path)));
  const onSignal = (signal: HandledSignal): void => endInterrupted(signal, temps);
  for (const sig of HANDLED_SIGNALS) process.on(sig, onSignal);
  try {
    return await main(argv, processIo());
  } finally {
    for (const sig of HANDLED_SIGNALS) process.removeListener(sig, onSignal);
    onTempChange(null);
  }
}

/** The worker's side: `main` with an io that hands everything to the main thread. */
export async function runWorker(init: WorkerInit): Promise<void> {
  const port = init.port;
  const send = (m: ToMain): void => port.postMessage(m);
  const colors = (env?: object): boolean => nodeHasColors(env ?? process.env);
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
