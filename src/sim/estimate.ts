/**
 * How much work a scenario asks for, estimated before it runs (issue 22 item 6): the requests its
 * arrival processes send (the integral of their rates, in closed form) and the backlog a queue-fed
 * workload can build (arrivals beyond what its function can drain at its concurrency limit). In-flight
 * state is bounded by concurrency (at most the account's 1,000,000) and the callers' pending retries
 * by their retry quota, so these two are what can grow without bound. A run
 * above {@link LIMITS} is refused unless the user says `--allow-large`: ten billion requests or a
 * hundred-year run would otherwise run for hours, or grow a backlog until memory gives out. Traced
 * arrivals are not counted (their number is known only by reading the file). Pipelines (issue 16):
 * a workload fed by other functions' outputs gets what its feeders process times the outputs' mean
 * counts, followed round loops as far as Lambda's recursion limit (16) lets a chain go.
 */
import { modelOf, type Scenario } from '../models/index.js';
import { expectedArrivals } from '../workload/arrivals.js';
import { makeSampler } from '../workload/distributions.js';
import { UserError } from '../errors.js';
import { makeCountSampler } from '../workload/counts.js';
import { RECURSION_LIMIT } from '../models/pipeline-graph.js';

/** What lsim runs without `--allow-large`, and the speed the time estimate assumes (bench S, issue 21). */
export const LIMITS = {
  /** Requests, messages, events and records sent by the arrival processes. */
  requests: 1_000_000_000,
  /** Messages or events waiting in queues at once (about 60 bytes each). */
  backlog: 100_000_000,
  /** Requests per second of wall time assumed for the time estimate. */
  requestsPerSecond: 2_000_000,
} as const;

export interface WorkEstimate {
  requests: number;
  /** The largest backlog a queue-fed workload can build over the run. */
  backlog: number;
}

/**
 * Requests per workload over the run: its arrivals, plus (pipelines) the outputs of the functions
 * that send to it, per item they process (success and failure outputs both counted: an upper bound).
 */
function expectedRequests(scenario: Scenario): number[] {
  const T = scenario.durationMs;
  const own = scenario.workloads.map((w) => w.arrivals.reduce((m, s) => m + expectedArrivals(s, 0, T), 0));
  const index = new Map(scenario.workloads.map((w, i) => [w.name, i]));
  const fn = new Map(scenario.functions.map((f) => [f.name, f]));
  // Each workload's items → the workloads its function's outputs go to, with mean counts.
  const edges = scenario.workloads.map((w) => (fn.get(w.functionName)!.pipeline?.outputs ?? []).map((o) => [index.get(o.to)!, makeCountSampler(o.count).mean] as const));
  if (edges.every((e) => e.length === 0)) return own;
  let total = own;
  let wave = own;
  for (let hop = 0; hop < RECURSION_LIMIT; hop++) {
    const next = own.map(() => 0);
    wave.forEach((n, i) => {
      for (const [to, mean] of edges[i]) next[to] += n * mean;
    });
    total = total.map((t, i) => t + next[i]);
    wave = next;
  }
  return total;
}

export function estimateWork(scenario: Scenario): WorkEstimate {
  const T = scenario.durationMs;
  const perWorkload = expectedRequests(scenario);
  // An async event source's retries and duplicates are events of the run too (issue 15).
  const requests = perWorkload.reduce((n, r, i) => n + r * (modelOf(scenario.workloads[i].invoke).eventsPerRequest?.(scenario.workloads[i], T) ?? 1), 0);
  const fn = new Map(scenario.functions.map((f) => [f.name, f]));
  const meanMs = (name: string) => makeSampler(fn.get(name)!.duration).mean;
  const limit = (name: string) => fn.get(name)!.reservedConcurrency ?? scenario.account.concurrencyLimit;
  // Queue-fed workloads: what arrives beyond what they can drain stays queued (streams: one batch per lane).
  let backlog = 0;
  scenario.workloads.forEach((w, i) => {
    const drain = modelOf(w.invoke).drain?.(w);
    if (!drain) return;
    const drainPerS = (Math.min(limit(w.functionName), drain.lanes) * drain.perInvocation * 1000) / Math.max(meanMs(w.functionName), 1e-3);
    backlog += Math.max(0, (perWorkload[i] / (T / 1000) - drainPerS) * (T / 1000));
  });
  return { requests, backlog };
}

/** `1,234,567,890` */
const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** `2 h 47 min`, `12 min`, `40 s` */
function duration(s: number): string {
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
  if (s >= 60) return `${Math.round(s / 60)} min`;
  return `${Math.max(1, Math.round(s))} s`;
}

/**
 * Refuses runs above {@link LIMITS} unless `allowLarge`: a UserError naming `file` and the estimate.
 * Several runs (a compare, a sweep's points × replications) add up their requests; the largest
 * backlog of any one run counts.
 */
export function checkWork(file: string | undefined, runs: readonly WorkEstimate[], allowLarge: boolean): void {
  if (allowLarge) return;
  const requests = runs.reduce((t, e) => t + e.requests, 0);
  // A loop, not Math.max(...): a sweep of 10^5 jobs would overflow the call stack with as many arguments.
  const backlog = runs.reduce((m, e) => Math.max(m, e.backlog), 0);
  const over: string[] = [];
  const several = runs.length > 1 ? ` over its ${n(runs.length)} runs` : '';
  if (requests > LIMITS.requests) {
    over.push(`${n(requests)} requests${several} (the limit is ${n(LIMITS.requests)}; about ${duration(requests / LIMITS.requestsPerSecond)} of simulation)`);
  }
  if (backlog > LIMITS.backlog) over.push(`a backlog of ${n(backlog)} queued messages or events (the limit is ${n(LIMITS.backlog)}, about 6 GB)`);
  if (over.length === 0) return;
  throw new UserError([{ file, message: `this run is estimated at ${over.join(' and ')}; shorten it, lower its rates, or pass --allow-large to run it anyway` }]);
}
