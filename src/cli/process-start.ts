/**
 * The worker thread's first module when it runs the compiled modules (src/cli/process.ts
 * starts it when bin/lsim.js found the bundle missing or stale): the CLI, imported as modules.
 */
import { workerData } from 'node:worker_threads';
import type { WorkerInit } from './process-channel.js';
import { runWorker } from './process-worker.js';

await runWorker(workerData as WorkerInit);
