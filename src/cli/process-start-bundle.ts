/**
 * The worker thread's first module when it runs the bundle (src/cli/process.ts starts it
 * when bin/lsim.js found the bundle fresh): scripts/bundle.js makes it a CommonJS file,
 * dist/bundle/start.js, because a worker starts a CommonJS file sooner than a module (about
 * 7 ms: no module loader to set up). It compiles the bundle with its code cache
 * (src/cli/code-cache.ts) and runs the CLI.
 */
import { workerData } from 'node:worker_threads';
import { loadBundle } from './code-cache.js';
import type { WorkerInit } from './process-channel.js';

const init = workerData as WorkerInit & { bundle: string };
void (loadBundle(init.bundle) as typeof import('./process-worker.js')).runWorker(init);
