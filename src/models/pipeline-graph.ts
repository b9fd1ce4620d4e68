/**
 * The shape of a scenario's pipelines (issue 16), worked out from its functions' outputs and calls
 * before anything runs: which workloads start a pipeline and which stages each reaches, which
 * functions lie on a loop (and so need Lambda's recursion counts), and the loops lsim refuses. The
 * loader (src/scenario/load.ts) reports the refusals at their keys; the runtime (pipeline.ts) builds
 * its tables from the rest. Nothing here knows an invocation model: what a target workload does with
 * the lineage comes in as `keepsLineage`.
 */
import type { CountSpec, FunctionSpec, WorkloadBase } from '../scenario/types.js';
import { makeCountSampler } from '../workload/counts.js';

/** Lambda stops the next invocation of a function invoked more than this many times in one chain (docs/sources.md §8). */
export const RECURSION_LIMIT = 16;

/** Functions on loops whose recursion counts lsim can carry per event (5 bits each in a double). */
export const MAX_LOOP_FUNCTIONS = 10;

export interface PipelineShape {
  /** The workloads that start a pipeline, and the stages each reaches (workload indices, entry first, breadth first). */
  pipelines: { entry: number; stages: number[] }[];
  /** Per function: its place among the functions on loops (0 … MAX_LOOP_FUNCTIONS − 1), or −1. */
  loopSlot: number[];
}

/** A loop lsim refuses, located at the output or call that starts it. */
export interface LoopProblem {
  fn: string;
  key: ['outputs' | 'calls', number];
  message: string;
}

interface Edge {
  to: number; // function index
  via: string; // how it reads: `orders` (a workload) or `calls`
  key: ['outputs' | 'calls', number];
  /** Every successful invocation sends at least one along it. */
  certain: boolean;
  mean: number;
  /** The hop keeps the recursion lineage (docs/sources.md §8). */
  lineage: boolean;
}

/** Whether a workload has requests of its own (arrivals or a trace), so that it can start a pipeline. */
export function hasOwnArrivals(w: WorkloadBase): boolean {
  return w.arrivals.length > 0 || ('trace' in w && w.trace !== undefined);
}

/** Whether a count is never 0. */
export function neverZero(c: CountSpec): boolean {
  return makeCountSampler(c).min >= 1;
}

/**
 * The pipelines of `workloads` (by index; `fed[i]` when workload i has its own arrivals or a trace) and
 * the functions on loops. `keepsLineage(w)` says whether events sent to workload w keep Lambda's lineage.
 */
export function pipelineShape(functions: readonly FunctionSpec[], workloads: readonly WorkloadBase[], fed: readonly boolean[]): PipelineShape {
  const byName = new Map(workloads.map((w, i) => [w.name, i]));
  const fnIndex = new Map(functions.map((f, i) => [f.name, i]));
  // The workloads a function's invocation sends to: its own outputs' and those of the functions it calls.
  const sendsTo = (f: number, seen = new Set<number>()): number[] => {
    if (seen.has(f)) return [];
    seen.add(f);
    const p = functions[f].pipeline;
    if (!p) return [];
    return [...p.outputs.map((o) => byName.get(o.to)!), ...p.calls.flatMap((g) => sendsTo(fnIndex.get(g)!, seen))];
  };
  const pipelines: PipelineShape['pipelines'] = [];
  workloads.forEach((w, i) => {
    const f = fnIndex.get(w.functionName)!;
    if (!fed[i] || !functions[f].pipeline || (functions[f].pipeline!.outputs.length === 0 && functions[f].pipeline!.calls.length === 0)) return;
    const stages = [i];
    for (let k = 0; k < stages.length; k++) {
      for (const t of sendsTo(fnIndex.get(workloads[stages[k]].functionName)!)) if (!stages.includes(t)) stages.push(t);
    }
    pipelines.push({ entry: i, stages });
  });
  const loopSlot = functions.map(() => -1);
  let slots = 0;
  for (const scc of components(functions, graph(functions, workloads, () => true))) {
    if (scc.looped) for (const f of scc.members) loopSlot[f] = slots++;
  }
  return { pipelines, loopSlot };
}

/**
 * The loops lsim refuses (docs/model.md "Pipelines"): a loop that every successful invocation keeps
 * going (a count that is never 0, or a call, all the way round), and a loop that Lambda's recursive
 * loop detection does not stop (a hop through a stream, or every function on it `Allow`) whose events
 * make on average one or more that come back; and more than {@link MAX_LOOP_FUNCTIONS} functions on loops.
 */
export function loopProblems(functions: readonly FunctionSpec[], workloads: readonly WorkloadBase[], keepsLineage: (w: WorkloadBase) => boolean): LoopProblem[] {
  const edges = graph(functions, workloads, keepsLineage);
  const problems: LoopProblem[] = [];
  const sccs = components(functions, edges);
  for (const scc of sccs) {
    if (!scc.looped) continue;
    const inside = (e: Edge) => scc.members.includes(e.to);
    const certain = certainCycle(scc.members, edges);
    if (certain) {
      const [f, e] = certain[0];
      problems.push({
        fn: functions[f].name,
        key: e.key,
        message:
          `every successful invocation of ${functions[f].name} starts this loop again (${describeCycle(functions, certain)}): ` +
          `each chain would run until Lambda's recursive loop detection stops it after ${RECURSION_LIMIT} invocations, or for ever ` +
          `(docs/sources.md §8); give a count that can be 0 somewhere on the loop (e.g. { bernoulli: 0.5 }), or send elsewhere`,
      });
      continue;
    }
    const undetected = scc.members.some((f) => edges[f].some((e) => inside(e) && !e.lineage)) || scc.members.every((f) => functions[f].pipeline?.recursiveLoop === 'Allow');
    if (!undetected) continue;
    const rho = spectralRadius(scc.members, edges);
    if (rho >= 1 - 1e-9) {
      const f = scc.members[0];
      const e = edges[f].find(inside)!;
      const why = scc.members.every((g) => functions[g].pipeline?.recursiveLoop === 'Allow') ? 'every function on it has recursiveLoop: Allow' : 'a stream on it carries no lineage';
      problems.push({
        fn: functions[f].name,
        key: e.key,
        message:
          `the loop through ${scc.members.map((g) => functions[g].name).join(', ')} grows without bound: each event makes on average ` +
          `${rho.toFixed(2)} that come back, and Lambda's recursive loop detection does not stop it (${why}; docs/sources.md §8); ` +
          `lower the counts so that fewer than one comes back on average`,
      });
    }
  }
  const looped = sccs.filter((s) => s.looped).flatMap((s) => s.members);
  if (looped.length > MAX_LOOP_FUNCTIONS) {
    const f = looped[MAX_LOOP_FUNCTIONS];
    const e = edges[f][0];
    problems.push({
      fn: functions[f].name,
      key: e.key,
      message: `${looped.length} functions lie on loops (${looped.map((g) => functions[g].name).join(', ')}); lsim keeps Lambda's recursion counts for at most ${MAX_LOOP_FUNCTIONS}`,
    });
  }
  return problems;
}

/** Function → function edges: an output to a workload goes to its function; a call to the function called. */
function graph(functions: readonly FunctionSpec[], workloads: readonly WorkloadBase[], keepsLineage: (w: WorkloadBase) => boolean): Edge[][] {
  const byName = new Map(workloads.map((w) => [w.name, w]));
  const fnIndex = new Map(functions.map((f, i) => [f.name, i]));
  return functions.map((f) => {
    const p = f.pipeline;
    if (!p) return [];
    const outs = p.outputs.map((o, i): Edge => {
      const w = byName.get(o.to)!;
      return {
        to: fnIndex.get(w.functionName)!,
        via: o.to,
        key: ['outputs', i],
        certain: o.on === 'success' && neverZero(o.count),
        mean: makeCountSampler(o.count).mean,
        lineage: keepsLineage(w),
      };
    });
    const calls = p.calls.map((g, i): Edge => ({ to: fnIndex.get(g)!, via: 'calls', key: ['calls', i], certain: true, mean: 1, lineage: true }));
    return [...outs, ...calls];
  });
}

/** Strongly connected components (Tarjan); `looped` when a cycle runs through them (two or more members, or a self-loop). */
function components(functions: readonly FunctionSpec[], edges: Edge[][]): { members: number[]; looped: boolean }[] {
  const n = functions.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  const out: { members: number[]; looped: boolean }[] = [];
  let next = 0;
  const visit = (v: number): void => {
    index[v] = low[v] = next++;
    stack.push(v);
    onStack[v] = true;
    for (const e of edges[v]) {
      if (index[e.to] < 0) {
        visit(e.to);
        low[v] = Math.min(low[v], low[e.to]);
      } else if (onStack[e.to]) low[v] = Math.min(low[v], index[e.to]);
    }
    if (low[v] !== index[v]) return;
    const members: number[] = [];
    let w: number;
    do {
      w = stack.pop()!;
      onStack[w] = false;
      members.push(w);
    } while (w !== v);
    members.sort((a, b) => a - b);
    out.push({ members, looped: members.length > 1 || edges[v].some((e) => e.to === v) });
  };
  for (let v = 0; v < n; v++) if (index[v] < 0) visit(v);
  return out.sort((a, b) => a.members[0] - b.members[0]);
}

/** A cycle among `members` made of certain edges only, as (function, edge) steps; undefined when none. */
function certainCycle(members: number[], edges: Edge[][]): [number, Edge][] | undefined {
  for (const start of members) {
    // Depth-first over certain edges inside the component, back to `start`.
    const path: [number, Edge][] = [];
    const seen = new Set<number>();
    const dfs = (v: number): boolean => {
      for (const e of edges[v]) {
        if (!e.certain || !members.includes(e.to)) continue;
        path.push([v, e]);
        if (e.to === start) return true;
        if (!seen.has(e.to)) {
          seen.add(e.to);
          if (dfs(e.to)) return true;
        }
        path.pop();
      }
      return false;
    };
    if (dfs(start)) return path;
  }
  return undefined;
}

/** `a sends to orders, which invokes b; b calls a`. */
function describeCycle(functions: readonly FunctionSpec[], cycle: [number, Edge][]): string {
  return cycle
    .map(([f, e]) => (e.via === 'calls' ? `${functions[f].name} calls ${functions[e.to].name}` : `${functions[f].name} sends to ${e.via}, which invokes ${functions[e.to].name}`))
    .join('; ');
}

/**
 * The spectral radius ρ of the mean-offspring matrix M among `members` (nonnegative, irreducible): the
 * power iteration runs on M + I, which is primitive (so it converges on periodic loops too) and has ρ + 1.
 */
function spectralRadius(members: number[], edges: Edge[][]): number {
  const at = new Map(members.map((f, i) => [f, i]));
  let x = members.map(() => 1);
  let rho = 1;
  for (let it = 0; it < 10_000; it++) {
    const y = [...x];
    members.forEach((f, i) => {
      for (const e of edges[f]) {
        const j = at.get(e.to);
        if (j !== undefined) y[j] += e.mean * x[i];
      }
    });
    const norm = Math.max(...y);
    const prev = rho;
    rho = norm / Math.max(...x);
    x = y.map((v) => v / norm);
    if (Math.abs(rho - prev) < 1e-13) break;
  }
  return rho - 1;
}
