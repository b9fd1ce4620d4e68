/**
 * Runs a sweep's jobs, serially or spread over worker threads. Each job is a
 * pure function of (scenario text, overrides, seed), and records are stored by
 * job number, never in completion order, so a parallel run returns exactly what
 * a serial run returns whatever the scheduling.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { UserError, type Problem } from '../errors.js';
import { runJob, type JobContext } from './job.js';
import type { RunRecord } from './spec.js';

export interface RunOptions {
  /** Worker threads; 1 runs in this thread. */
  workers: number;
  /** Called after each finished job with the number done so far. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The compiled worker: next to this module when running from dist/, or dist/plan/worker.js
 * when running from the TypeScript sources (tests: `npm test` builds first).
 */
export function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const dist = new URL('../../dist/plan/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(dist))) return dist;
  throw new UserError('parallel runs need the compiled worker (dist/plan/worker.js): run `npm run build`, or use --workers 1');
}

/** Runs `jobs` (job numbers) and returns their records in the same order. */
export async function executeJobs(ctx: JobContext, jobs: readonly number[], options: RunOptions): Promise<RunRecord[]> {
  const workers = Math.max(1, Math.min(options.workers, jobs.length));
  if (workers === 1) {
    const out: RunRecord[] = [];
    for (const j of jobs) {
      out.push(runJob(ctx, j));
      options.onProgress?.(out.length, jobs.length);
    }
    return out;
  }
  return runInWorkers(ctx, jobs, workers, options);
}

type Reply = { j: number; record?: RunRecord; error?: { problems?: Problem[]; stack?: string } };

function runInWorkers(ctx: JobContext, jobs: readonly number[], count: number, options: RunOptions): Promise<RunRecord[]> {
  const url = workerUrl();
  const slot = new Map<number, number>();
  jobs.forEach((j, i) => slot.set(j, i));
  const out: (RunRecord | undefined)[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  // Required here, not imported: loading node:worker_threads cost every `lsim` start about 3 ms (issue 21).
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    const retired = new Set<Worker>();
    let failed = false;
    const stop = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const w of pool) void w.terminate();
      reject(e);
    };
    const feed = (w: Worker) => {
      if (next < jobs.length) w.postMessage(jobs[next++]);
      else {
        retired.add(w);
        void w.terminate();
      }
    };
    for (let i = 0; i < count; i++) {
      const w = new Worker(url, { workerData: ctx });
      pool.push(w);
      w.on('message', (reply: Reply) => {
        if (failed) return;
        if (reply.error) {
          stop(reply.error.problems ? new UserError(reply.error.problems) : new Error(`job ${reply.j} failed in a worker:\n${reply.error.stack}`));
          return;
        }
        out[slot.get(reply.j)!] = reply.record!;
        done++;
        options.onProgress?.(done, jobs.length);
        if (done === jobs.length) {
          for (const p of pool) {
            retired.add(p);
            void p.terminate();
          }
          resolve(out as RunRecord[]);
        } else feed(w);
      });
      w.on('error', (e) => stop(e));
      w.on('exit', (code) => {
        if (!failed && !retired.has(w) && done < jobs.length && code !== 0) stop(new Error(`a sweep worker exited with code ${code}`));
      });
      feed(w);
    }
  });
}
