/**
 * The lsim process (bin/lsim.js) and its signals (issue 22 item 5).
 *
 * A SIGINT or SIGTERM handler runs only when its thread returns to its event
 * loop. `run` and `compare` therefore run on this, the main thread, with their
 * long work in slices (`simulateInSlices`: back to the event loop every 2^18
 * events, a small fraction of a second), and their handler ends the process
 * between two slices (src/cli/process-worker.ts `runHere`); so do `validate`,
 * `price`, `init` and `schema`, which have no long work. Every other
 * command's long work (a trace generated, a sweep's merge) is synchronous
 * JavaScript that never returns to the loop until done, so those run on a
 * worker thread while this one stays idle: it writes what the worker hands it
 * to the real standard output and error, feeds standard input on request, and
 * keeps the list of temporaries the worker is writing (src/report/write.ts
 * tells it of each before the file exists). On a signal it stops the worker
 * (V8 ends its JavaScript wherever it is) and reads the messages it had
 * already sent. Either way the end is `endInterrupted` (src/cli/interrupt.ts):
 * the temporaries removed (a report set moved aside restored), one line, exit
 * 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM. A `kill -9`
 * cannot be caught: the next write into the same folder removes what it left
 * (`removeStaleTemps`: the pid in the name is dead).
 *
 * Start-up (issue 21): a worker's start is Node's bootstrap again (about a
 * third of a short run's start-up), which those commands no longer pay.
 * This thread runs this module, src/cli/stdio.ts, src/cli/code-cache.ts and
 * src/report/write.ts, bundled by `npm run build` into one CommonJS file
 * (dist/bundle/main.js, which bin/lsim.js picks when it is fresh); the CLI's
 * module graph (yargs, zod, the models) is loaded once, by whichever thread
 * runs the CLI: from the bundle dist/bundle/lsim.js (one file, so no
 * per-module resolution, compiled with its code cache; a worker starts on
 * src/cli/process-start-bundle.ts) when this thread runs bundled too, else
 * from the compiled modules (src/cli/process-start.ts). Once the worker has
 * sent its exit code this thread no longer waits for the worker's own teardown.
 *
 * The standard streams keep processIo()'s rules: a reader that goes away
 * (EPIPE) ends the process quietly with 0, a full output (ENOSPC) is one line
 * and exit 2.
 */
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';
import { endInterrupted, HANDLED_SIGNALS, type HandledSignal } from './interrupt.js';
import type { ToMain, ToWorker, WorkerInit } from './process-channel.js';
import { processIo } from './stdio.js';

/**
 * Runs `lsim argv` as this process; resolves with the exit code. `bundled`: this thread runs from
 * dist/bundle/main.js, and the worker then runs the bundle too (bin/lsim.js found them fresh).
 */
export async function runProcess(argv: string[], bundled: boolean): Promise<number> {
  try {
    process.cwd();
  } catch {
    // Every command resolves its paths against it (and Node's own modules ask for it): say so once, instead of a crash.
    process.stderr.write('lsim: the current directory no longer exists (it was removed or renamed); cd into a directory and run lsim again\n');
    return 2;
  }
  if (HERE.has(argv[0])) {
    // The modules' URL, not a literal import: the bundler would otherwise copy the CLI into a chunk of main.js.
    const cli = (bundled ? loadBundle(fileURLToPath(new URL('lsim.js', BUNDLE))) : await import(new URL('../cli/process-worker.js', import.meta.url).href)) as typeof import('./process-worker.js');
    return cli.runHere(argv);
  }
  processIo(); // EPIPE and a full output on the real streams
  // Imported here: the commands run on this thread do not pay for loading it (about 3 ms, issue 21).
  const { MessageChannel, receiveMessageOnPort, Worker } = await import('node:worker_threads');
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

  return await new Promise<number>((resolveCode) => {
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      for (const sig of HANDLED_SIGNALS) process.removeListener(sig, onSignal);
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

    async function onSignal(signal: HandledSignal): Promise<void> {
      if (stopping) return;
      stopping = true;
      await worker.terminate();
      // Messages the worker sent before it stopped and this thread has not read yet.
      for (let m = receiveMessageOnPort(port1); m !== undefined; m = receiveMessageOnPort(port1)) handle(m.message as ToMain);
      endInterrupted(signal, temps);
    }
    for (const sig of HANDLED_SIGNALS) process.on(sig, onSignal);
  });
}

/**
 * The commands run on this thread: every long computation of theirs returns to the event loop between
 * slices (`simulateInSlices`), or they have none (a trace file is only opened by `validate`, for its
 * header), so a signal's handler runs soon, and the worker's start (about a third of a short run's
 * start-up, issue 21) is spared.
 */
const HERE = new Set(['run', 'compare', 'validate', 'price', 'init', 'schema']);

/**
 * The folder of the bundles `npm run build` makes (scripts/bundle.js). This and the URL of the
 * modules' worker are written from `..` so that they hold in dist/cli/ and in the bundle.
 */
const BUNDLE = new URL('../bundle/', import.meta.url);
