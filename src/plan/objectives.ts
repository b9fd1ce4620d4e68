/**
 * Objectives (`--objective "p99<=800ms,throttleRate<=0.1%"`) and what to
 * minimise (`--minimise cost`, the default; `--minimise p99`; or a weighted
 * balance `--minimise cost=0.7,p99=0.3`).
 */
import { UserError } from '../errors.js';
import { parseDurationMs } from '../scenario/units.js';
import { formatMetric, metricDef, unitOf } from './metrics.js';
import { splitTopLevel } from './grid.js';

export type Comparison = '<=' | '<' | '>=' | '>';

export interface Objective {
  metric: string;
  op: Comparison;
  /** In the metric's unit: ms, a ratio (0.001 for 0.1%), USD, a count. */
  value: number;
  /** As the user wrote it. */
  text: string;
}

export interface Weight {
  metric: string;
  weight: number;
}

/** Parses a comma-separated list of objectives. @throws UserError naming each bad one. */
export function parseObjectives(arg: string): Objective[] {
  const source = `--objective ${JSON.stringify(arg)}`;
  return splitTopLevel(arg, source).map((text) => {
    const m = /^([A-Za-z0-9_.@-]+?)\s*(<=|>=|<|>|≤|≥)\s*(.+)$/.exec(text);
    if (!m) throw new UserError(`${source}: "${text}" is not <metric><op><value>, e.g. p99<=800ms or throttleRate<=0.1%`);
    const metric = m[1];
    metricDef(metric, source);
    const op = (m[2] === '≤' ? '<=' : m[2] === '≥' ? '>=' : m[2]) as Comparison;
    return { metric, op, value: parseThreshold(metric, m[3].trim(), source), text };
  });
}

function parseThreshold(metric: string, raw: string, source: string): number {
  const unit = unitOf(metric);
  const bad = (hint: string): never => {
    throw new UserError(`${source}: ${metric} needs ${hint}, got "${raw}"`);
  };
  switch (unit) {
    case 'ms': {
      const p = parseDurationMs(raw);
      return p.ok ? p.value : bad('a duration such as 800ms or 1.5s');
    }
    case 'ratio': {
      const pct = /^([\d.]+(?:e-?\d+)?)\s*%$/.exec(raw);
      const x = pct ? Number(pct[1]) / 100 : Number(raw);
      return Number.isFinite(x) && x >= 0 && x <= 1 && raw !== '' ? x : bad('a share such as 0.1% or 0.001');
    }
    case 'usd': {
      const x = Number(raw.replace(/^\$/, '').replace(/,/g, ''));
      return Number.isFinite(x) && raw !== '' ? x : bad('an amount in USD such as $500');
    }
    case 'count': {
      const x = Number(raw);
      return Number.isFinite(x) && raw !== '' ? x : bad('a number');
    }
  }
}

/** `cost`, `p99` or `cost=0.7,p99=0.3`. @throws UserError */
export function parseMinimise(arg: string): Weight[] {
  const source = `--minimise ${JSON.stringify(arg)}`;
  const weights = splitTopLevel(arg, source).map((item) => {
    const [metric, w] = item.split('=');
    metricDef(metric.trim(), source);
    const weight = w === undefined ? 1 : Number(w);
    if (!(weight > 0) || !Number.isFinite(weight)) throw new UserError(`${source}: the weight of ${metric} must be a positive number, got "${w}"`);
    return { metric: metric.trim(), weight };
  });
  const seen = new Set<string>();
  for (const w of weights) {
    if (seen.has(w.metric)) throw new UserError(`${source}: ${w.metric} is listed twice`);
    seen.add(w.metric);
  }
  return weights;
}

/** Whether `value` meets the objective. */
export function meets(o: Objective, value: number): boolean {
  switch (o.op) {
    case '<=':
      return value <= o.value;
    case '<':
      return value < o.value;
    case '>=':
      return value >= o.value;
    case '>':
      return value > o.value;
  }
}

/** `p99 912.3 ms > 800.0 ms`: why a value fails the objective. */
export function failureText(o: Objective, value: number | null): string {
  const unit = unitOf(o.metric);
  if (value === null) return `${o.metric} undefined (no data in some run)`;
  const negation = { '<=': '>', '<': '≥', '>=': '<', '>': '≤' }[o.op];
  return `${o.metric} ${formatMetric(unit, value)} ${negation} ${formatMetric(unit, o.value)}`;
}
