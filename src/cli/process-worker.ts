/**
 * The worker thread of the lsim process (src/cli/process.ts): runs the CLI and
 * hands its output to the main thread. It is the entry of the bundle
 * (dist/bundle/lsim.js, scripts/bundle.js): everything the CLI needs is loaded
 * here, on the worker, once; the worker's first module (src/cli/process-start.ts,
 * or process-start-bundle.ts for the bundle) loads it and calls {@link runWorker}.
 */
import { WriteStream } from 'node:tty';
import type { MessagePort } from 'node:worker_threads';
import { onTempChange } from '../report/write.js';
import type { CliIo, Input } from './io.js';
import { main } from './main.js';
import type { ToMain, ToWorker, WorkerInit } from './process.js';

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
