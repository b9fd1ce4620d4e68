/** The worker thread of the lsim process (src/cli/process.ts): runs the CLI and hands its output to the main thread. */
import { workerData } from 'node:worker_threads';
import { runWorker, type WorkerInit } from './process.js';

await runWorker(workerData as WorkerInit);
