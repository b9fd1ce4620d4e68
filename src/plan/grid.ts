/**
 * Sweep grids: `--vary key=values` dimensions and the points of their product.
 *
 * A dimension is a scenario key (any path `src/scenario/overrides.ts` accepts)
 * and a list of values, each YAML text applied to the document before
 * validation, so a bad value is a located problem naming the `--vary`. Values:
 * - a list: `x86_64,arm64`, `0,{ schedule: [{ at: 9h, value: 100 }] }` (commas
 *   inside brackets, braces and quotes do not split);
 * - a range: `128MB..3008MB:step=128MB` (the same unit on all three, or none):
 *   a, a + step, …, and b itself when the last step falls short of it;
 * - or both: `128MB,512MB..1024MB:step=256MB`.
 *
 * `--pair "k1=a,b;k2=x,y"` makes one axis of several keys that vary together
 * (a with x, b with y): the points people write when the settings go in pairs.
 *
 * Points are the Cartesian product of the axes (each `--vary`, then each
 * `--pair`), the first varying slowest; point i is the same on every machine
 * and in every shard.
 */
import { UserError } from '../errors.js';
import { parseOverridePath, type Override, type OverridePath } from '../scenario/overrides.js';

/** At most this many values in one dimension and points in a sweep (a typo in a step should not start a million runs). */
export const MAX_VALUES = 10_000;
export const MAX_POINTS = 100_000;

export interface Dimension {
  /** The key as written, e.g. `functions.api.memory`. */
  key: string;
  path: OverridePath;
  /** Each value as YAML text, in order. */
  values: string[];
  /** Dimensions with the same axis vary together (`--pair`); without one, a dimension is its own axis. */
  axis?: number;
}

export interface Point {
  index: number;
  /** One value per dimension, in dimension order. */
  values: string[];
  /** `memory=256MB architecture=arm64`: the last key of each dimension and its value. */
  label: string;
}

/** Parses `key=values`. @throws UserError naming the argument. */
export function parseVary(arg: string): Dimension {
  const source = `--vary ${arg}`;
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new UserError(`${source}: expected key.path=values, e.g. functions.api.memory=128MB..3008MB:step=128MB`);
  const key = arg.slice(0, eq);
  const path = parseOverridePath(key, source);
  const values: string[] = [];
  for (const item of splitTopLevel(arg.slice(eq + 1), source)) {
    const range = /^(.+?)\.\.(.+?)(?::step=(.+))?$/.exec(item);
    if (range && !/^[[{"']/.test(item)) values.push(...expandRange(range[1], range[2], range[3], source));
    else values.push(item);
    if (values.length > MAX_VALUES) throw new UserError(`${source}: more than ${MAX_VALUES} values`);
  }
  if (values.length === 0) throw new UserError(`${source}: no values`);
  return { key, path, values };
}

/** Parses `--pair "k1=values;k2=values"` into dimensions that share axis `axis`. @throws UserError */
export function parsePair(arg: string, axis: number): Dimension[] {
  const source = `--pair ${arg}`;
  const dims = splitTopLevel(arg, source, ';').map((item) => ({ ...parseVary(item), axis }));
  if (dims.length < 2) throw new UserError(`${source}: pair at least two keys, separated by ";" (e.g. sqs.batchSize=10,100;sqs.maximumBatchingWindow=0s,5s)`);
  const n = dims[0].values.length;
  const odd = dims.find((d) => d.values.length !== n);
  if (odd) throw new UserError(`${source}: ${dims[0].key} has ${n} values and ${odd.key} has ${odd.values.length}; paired keys need as many values each`);
  return dims;
}

/** The axes of the grid: each a list of dimension indices (one, or the keys of a `--pair`), in order. */
export function axesOf(dims: readonly { axis?: number }[]): number[][] {
  const axes: number[][] = [];
  const byAxis = new Map<number, number[]>();
  dims.forEach((d, i) => {
    if (d.axis === undefined) return void axes.push([i]);
    const a = byAxis.get(d.axis);
    if (a) a.push(i);
    else {
      const list = [i];
      byAxis.set(d.axis, list);
      axes.push(list);
    }
  });
  return axes;
}

/** How many points the dimensions make. */
export function gridSize(dims: readonly { values: readonly string[]; axis?: number }[]): number {
  return axesOf(dims).reduce((n, a) => n * dims[a[0]].values.length, 1);
}

/** The value of each dimension at point `index` (the first axis varies slowest). */
export function valuesAt(dims: readonly { values: readonly string[]; axis?: number }[], index: number): string[] {
  const values: string[] = [];
  let rest = index;
  const axes = axesOf(dims);
  for (let k = axes.length - 1; k >= 0; k--) {
    const n = dims[axes[k][0]].values.length;
    for (const i of axes[k]) values[i] = dims[i].values[rest % n];
    rest = Math.floor(rest / n);
  }
  return values;
}

/** Splits on commas outside brackets, braces and quotes; trims each item; rejects empty items. */
export function splitTopLevel(text: string, source: string, separator = ','): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if ((c === separator && depth === 0) || i === text.length) {
      const item = text.slice(start, i).trim();
      if (item === '') throw new UserError(`${source}: empty value in the list`);
      items.push(item);
      start = i + 1;
    }
  }
  if (quote || depth !== 0) throw new UserError(`${source}: unbalanced ${quote ? 'quote' : 'brackets'} in the values`);
  return items;
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(.*)$/i;

function splitQuantity(text: string, source: string, what: string): { n: number; unit: string } {
  const m = QUANTITY.exec(text.trim());
  if (!m) throw new UserError(`${source}: the range ${what} "${text}" is not a number with an optional unit`);
  return { n: Number(m[1]), unit: m[2] };
}

/** a..b:step=s → the values, formatted with the unit. */
function expandRange(a: string, b: string, step: string | undefined, source: string): string[] {
  if (step === undefined) throw new UserError(`${source}: the range ${a}..${b} needs a step, e.g. ${a}..${b}:step=…`);
  const from = splitQuantity(a, source, 'start');
  const to = splitQuantity(b, source, 'end');
  const by = splitQuantity(step, source, 'step');
  if (from.unit !== to.unit || from.unit !== by.unit) {
    throw new UserError(`${source}: the range ${a}..${b}:step=${step} must use one unit throughout (got "${from.unit}", "${to.unit}", "${by.unit}")`);
  }
  if (!(by.n > 0)) throw new UserError(`${source}: the step must be positive, got ${step}`);
  if (!(to.n >= from.n)) throw new UserError(`${source}: the range end ${b} is below its start ${a}`);
  const count = Math.floor((to.n - from.n) / by.n + 1e-9) + 1;
  if (count > MAX_VALUES) throw new UserError(`${source}: the range gives ${count} values; the most is ${MAX_VALUES}`);
  const clean = (x: number) => Number(x.toPrecision(12));
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(clean(from.n + i * by.n));
  if (to.n - out[out.length - 1] > 1e-9 * Math.max(1, Math.abs(to.n))) out.push(to.n);
  return out.map((n) => `${n}${from.unit}`);
}

/** The points of the grid (one point without dimensions). @throws UserError above {@link MAX_POINTS} */
export function gridPoints(dims: readonly Dimension[]): Point[] {
  const total = gridSize(dims);
  if (total > MAX_POINTS) throw new UserError(`the sweep has ${total} points; the most is ${MAX_POINTS}`);
  return Array.from({ length: total }, (_, index) => {
    const values = valuesAt(dims, index);
    return { index, values, label: pointLabel(dims, values) };
  });
}

/** Short names: the last key of each path, unless two dimensions share it (then the whole key). */
export function dimensionNames(dims: readonly Dimension[]): string[] {
  const last = dims.map((d) => String(d.path[d.path.length - 1]));
  return dims.map((d, i) => (last.filter((l) => l === last[i]).length > 1 ? d.key : last[i]));
}

function pointLabel(dims: readonly Dimension[], values: readonly string[]): string {
  if (dims.length === 0) return 'as written';
  const names = dimensionNames(dims);
  return values.map((v, i) => `${names[i]}=${v.replace(/\s+/g, ' ')}`).join(' ');
}

/** The overrides that make point `values` of the dimensions. */
export function pointOverrides(dims: readonly Dimension[], values: readonly string[]): Override[] {
  return dims.map((d, i) => ({ path: d.path, value: values[i], source: `${d.axis === undefined ? '--vary' : '--pair'} ${d.key}=${values[i]}` }));
}
