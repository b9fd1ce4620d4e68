/**
 * Worker thread of a parallel sweep (runner.ts): receives job numbers, runs
 * each with `runJob` and posts the record back. Errors go back as data; the
 * main thread decides what they mean.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { runJob, type JobContext } from './job.js';

const ctx = workerData as JobContext;
parentPort!.on('message', (j: number) => {
  try {
    parentPort!.postMessage({ j, record: runJob(ctx, j) });
  } catch (e) {
    parentPort!.postMessage({
      j,
      error: e instanceof UserError ? { problems: e.problems } : { stack: e instanceof Error ? (e.stack ?? e.message) : String(e) },
    });
  }
});
