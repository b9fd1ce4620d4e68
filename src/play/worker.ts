/**
 * The playground's Web Worker (issue 20), bundled by scripts/bundle-play.mjs into dist/play/worker.js and
 * inlined in the page. A message `{ id, yaml, changes }` runs {@link playRun} and posts
 * `{ type: 'progress', id, fraction }` now and then, then `{ type: 'done', id, outcome }`. The page
 * cancels a run by terminating the worker and starting a new one.
 */
import { playRun } from './run.js';

interface WorkerScope {
  onmessage: ((e: { data: { id: number; yaml: string; changes: [string, number | string][] } }) => void) | null;
  postMessage(message: unknown): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (e) => {
  const { id, yaml, changes } = e.data;
  const outcome = playRun(yaml, changes ?? [], (fraction) => scope.postMessage({ type: 'progress', id, fraction }));
  scope.postMessage({ type: 'done', id, outcome });
};
