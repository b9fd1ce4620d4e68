/**
 * `lsim compare`: the same headline metrics of several runs side by side, with
 * the difference of each run from the first (absolute and relative). Runs are
 * scenario files, or one scenario and a variant of it with `--set` overrides,
 * so "provisioned vs on-demand", "1 ms vs 100 ms billing" and "sync vs async"
 * are one command. Output: a text table (≤ 100 columns for up to three runs),
 * JSON (`lsim.compare/1`) and a self-contained HTML page.
 */
import type { Result } from '../sim/result.js';
import { chartJsSource, esc } from './html.js';
import { monthAssumption } from './format.js';
import { dur, int, money, num, pct, table } from '../format.js';

export const COMPARE_SCHEMA = 'lsim.compare/1';

export type Unit = 'count' | 'share' | 'ms' | 'usd' | 'level';

export interface CompareRow {
  /** `account`, `function <name>` or `workload <name>`. */
  section: string;
  metric: string;
  unit: Unit;
  /** One value per run; null where the run does not have this function or workload. */
  values: (number | null)[];
  /** Per run: the difference from the first run (null for the first, or when either value is missing). */
  diffs: ({ abs: number; rel: number | null } | null)[];
}

export interface CompareRun {
  label: string;
  file?: string;
  overrides?: string[];
  result: Result;
}

export interface Comparison {
  schema: typeof COMPARE_SCHEMA;
  /** Per run, `month` is what its monthly costs assume (docs/billing.md "The month"). */
  runs: { label: string; scenario: string; seed: string; file: string | null; overrides: string[]; month: string }[];
  rows: CompareRow[];
}

/** Rounded like the result (no float noise in differences). */
function r9(x: number): number {
  const v = Number(x.toPrecision(12));
  return v === 0 ? 0 : v;
}

export function compare(runs: CompareRun[]): Comparison {
  const rows: CompareRow[] = [];
  const add = (section: string, metric: string, unit: Unit, get: (r: Result) => number | null | undefined) => {
    const values = runs.map((run) => {
      const v = get(run.result);
      return v === undefined || v === null || !Number.isFinite(v) ? null : v;
    });
    if (values.every((v) => v === null)) return;
    const base = values[0];
    const diffs = values.map((v, i) =>
      i === 0 || v === null || base === null ? null : { abs: r9(v - base), rel: base === 0 ? null : Number(((v - base) / base).toFixed(6)) },
    );
    rows.push({ section, metric, unit, values, diffs });
  };
  const sum = (r: Result, f: (x: Result['functions'][number]) => number) => r.functions.reduce((a, x) => a + f(x), 0);
  add('account', 'invocations', 'count', (r) => r.account.invocations);
  add('account', 'cold starts', 'count', (r) => sum(r, (f) => f.coldStarts));
  add('account', 'cold-start share', 'share', (r) => {
    const inv = r.account.invocations;
    return inv > 0 ? Number((sum(r, (f) => f.coldStarts) / inv).toFixed(6)) : 0;
  });
  add('account', 'throttles (429)', 'count', (r) => r.account.throttles.total);
  add('account', 'throttle share of attempts', 'share', (r) => {
    const att = sum(r, (f) => f.attempts);
    return att > 0 ? Number((r.account.throttles.total / att).toFixed(6)) : 0;
  });
  add('account', 'errors + timeouts', 'count', (r) => sum(r, (f) => f.errors + f.timeouts));
  add('account', 'peak concurrency', 'level', (r) => r.account.concurrency.max);
  add('account', 'mean concurrency', 'level', (r) => r.account.concurrency.mean);
  add('account', 'cost per month', 'usd', (r) => r.account.cost.monthly.total);
  add('account', 'cost per M invocations', 'usd', (r) => r.account.cost.usdPerMillionInvocations);
  add('account', 'cost of the window', 'usd', (r) => r.account.cost.window.total);

  const fnNames = unique(runs.flatMap((run) => run.result.functions.map((f) => f.name)));
  for (const name of fnNames) {
    const fn = (r: Result) => r.functions.find((f) => f.name === name);
    const sec = `function ${name}`;
    add(sec, 'invocations', 'count', (r) => fn(r)?.invocations);
    add(sec, 'cold-start share', 'share', (r) => fn(r)?.coldStartRate);
    add(sec, 'throttles', 'count', (r) => fn(r)?.throttles.total);
    add(sec, 'handler p50', 'ms', (r) => fn(r)?.durationMs.p50);
    add(sec, 'handler p99', 'ms', (r) => fn(r)?.durationMs.p99);
    add(sec, 'peak concurrency', 'level', (r) => fn(r)?.concurrency.max);
    add(sec, 'billed GB-s', 'level', (r) => {
      const f = fn(r);
      return f && r9(f.billing.gbSeconds + f.billing.provisionedGbSeconds);
    });
    add(sec, 'cost per month', 'usd', (r) => fn(r)?.cost.monthly.total);
  }
  const wlNames = unique(runs.flatMap((run) => run.result.workloads.map((w) => w.name)));
  for (const name of wlNames) {
    const wl = (r: Result) => r.workloads.find((w) => w.name === name) as unknown as Record<string, unknown> | undefined;
    const sec = `workload ${name}`;
    const n = (r: Result, key: string) => {
      const v = wl(r)?.[key];
      return typeof v === 'number' ? v : undefined;
    };
    const lat = (r: Result, p: 'p50' | 'p99' | 'p999') => {
      const v = wl(r)?.latencyMs as Record<string, number> | undefined;
      return v?.[p];
    };
    // The counters each invocation model has in common; others appear in the JSON and HTML reports.
    add(sec, 'requests', 'count', (r) => n(r, 'requests') ?? n(r, 'accepted'));
    add(sec, 'ok', 'count', (r) => n(r, 'succeeded') ?? sumOf(n(r, 'succeededFirstTry'), n(r, 'succeededAfterRetry')));
    add(sec, 'throttled (final)', 'count', (r) => n(r, 'throttled'));
    add(sec, 'end-to-end p50', 'ms', (r) => lat(r, 'p50'));
    add(sec, 'end-to-end p99', 'ms', (r) => lat(r, 'p99'));
    add(sec, 'end-to-end p99.9', 'ms', (r) => lat(r, 'p999'));
  }
  return {
    schema: COMPARE_SCHEMA,
    runs: runs.map((run) => ({
      label: run.label,
      scenario: run.result.scenario.name,
      seed: run.result.scenario.seed,
      file: run.file ?? null,
      overrides: run.overrides ?? [],
      month: monthAssumption(run.result.account.cost.month),
    })),
    rows,
  };
}

function sumOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

function unique(list: string[]): string[] {
  return [...new Set(list)];
}

export function formatValue(v: number | null, unit: Unit): string {
  if (v === null) return '-';
  switch (unit) {
    case 'count':
      return int(v);
    case 'share':
      return pct(v);
    case 'ms':
      return dur(v);
    case 'usd':
      return money(v);
    case 'level':
      return num(v, 1);
  }
}

/** `+1,234 (+12.3%)`; a share's difference is in percentage points. */
export function formatDiff(d: { abs: number; rel: number | null } | null, unit: Unit): string {
  if (d === null) return '';
  if (d.abs === 0) return '=';
  const sign = d.abs > 0 ? '+' : '−';
  const a = Math.abs(d.abs);
  const absText = unit === 'share' ? `${num(a * 100, 2)} pp` : formatValue(a, unit);
  const rel = d.rel === null ? '' : ` (${d.rel > 0 ? '+' : '−'}${relText(Math.abs(d.rel))})`;
  return `${sign}${absText}${unit === 'share' ? '' : rel}`;
}

function relText(x: number): string {
  const p = x * 100;
  if (p >= 1000) return `${num(p, 0)}%`;
  if (p >= 10) return `${p.toFixed(0)}%`;
  return `${p.toFixed(1)}%`;
}

export function compareText(c: Comparison): string {
  const out: string[] = [];
  out.push(`lsim compare · ${c.runs.length} runs · differences from the first`);
  c.runs.forEach((r, i) => {
    const sets = r.overrides.map((o) => ` --set ${o}`).join('');
    const first = `  ${String.fromCharCode(65 + i)} = ${r.file ?? r.scenario} (seed ${r.seed})`;
    // Overrides on the same line when it fits in 100 columns, else one per line below.
    if (first.length + sets.length <= 100) out.push(first.replace(' (seed', `${sets} (seed`));
    else out.push(first, ...r.overrides.map((o) => `      --set ${o}`));
  });
  // What "cost per month" assumes: once when the runs agree, else per run.
  const months = unique(c.runs.map((r) => r.month));
  if (months.length === 1) out.push(`  ${months[0]}`);
  else c.runs.forEach((r, i) => out.push(`  ${String.fromCharCode(65 + i)}: ${r.month}`));
  const header = ['metric'];
  c.runs.forEach((_, i) => {
    header.push(String.fromCharCode(65 + i));
    if (i > 0) header.push(`${String.fromCharCode(65 + i)} − A`);
  });
  let section = '';
  const blocks: string[][][] = [];
  let rows: string[][] = [];
  for (const row of c.rows) {
    if (row.section !== section) {
      if (rows.length) blocks.push(rows);
      rows = [[row.section]];
      section = row.section;
    }
    const cells = [`  ${row.metric}`];
    row.values.forEach((v, i) => {
      cells.push(formatValue(v, row.unit));
      if (i > 0) cells.push(formatDiff(row.diffs[i], row.unit));
    });
    rows.push(cells);
  }
  if (rows.length) blocks.push(rows);
  out.push('');
  out.push(table(header, blocks.flat()));
  out.push('');
  return out.join('\n');
}

export function compareJson(c: Comparison): string {
  return JSON.stringify(c, null, 2) + '\n';
}

/** The comparison as one self-contained HTML page: the table, and bars of the key metrics per run. */
export function compareHtml(c: Comparison): string {
  const letters = c.runs.map((_, i) => String.fromCharCode(65 + i));
  const head = `<tr><th>metric</th>${c.runs.map((r, i) => `<th>${letters[i]} · ${esc(r.label)}</th>${i > 0 ? `<th>${letters[i]} − A</th>` : ''}`).join('')}</tr>`;
  let section = '';
  const body: string[] = [];
  for (const row of c.rows) {
    if (row.section !== section) {
      section = row.section;
      body.push(`<tr class="sec"><th colspan="${c.runs.length * 2}">${esc(section)}</th></tr>`);
    }
    const cells = row.values
      .map((v, i) => {
        const d = row.diffs[i];
        const cls = d && d.abs !== 0 ? (d.abs > 0 ? ' class="up"' : ' class="down"') : '';
        return `<td data-value="${v ?? ''}">${esc(formatValue(v, row.unit))}</td>${i > 0 ? `<td${cls}>${esc(formatDiff(d, row.unit))}</td>` : ''}`;
      })
      .join('');
    body.push(`<tr><td>${esc(row.metric)}</td>${cells}</tr>`);
  }
  const pick = (metric: string) => c.rows.find((r) => r.section === 'account' && r.metric === metric);
  const charts = ['cost per month', 'throttle share of attempts', 'cold-start share', 'peak concurrency']
    .map((m) => pick(m))
    .filter((r): r is CompareRow => r !== undefined)
    .map((r) => ({ title: r.metric, unit: r.unit, values: r.values.map((v) => (v === null ? null : r.unit === 'share' ? v * 100 : v)) }));
  const runs = c.runs.map((r) => [r.file ?? r.scenario, ...r.overrides].join(' '));
  const data = JSON.stringify({ labels: c.runs.map((r, i) => `${letters[i]} · ${r.label}`), charts }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lsim compare · ${esc(c.runs.map((r) => r.label).join(' vs '))}</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a; margin: 0 auto; max-width: 1200px; padding: 16px 24px 40px; }
h1 { font-size: 1.5em; } table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid #ddd; text-align: right; } td:first-child, th:first-child { text-align: left; }
tr.sec th { text-align: left; background: #f0f0ee; } td.up { color: #8c1c13; } td.down { color: #1b5e20; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 16px; margin-top: 20px; }
figure { margin: 0; border: 1px solid #ccc; border-radius: 6px; padding: 8px; } .box { position: relative; height: 240px; }
@media print { body { max-width: none; padding: 0; } figure, tr { break-inside: avoid; } }
</style>
</head>
<body>
<h1>lsim compare</h1>
<ul>${c.runs.map((r, i) => `<li><b>${letters[i]}</b> · ${esc(r.label)}: ${esc(runs[i])} (seed ${esc(r.seed)}; cost per month: ${esc(r.month)})</li>`).join('')}</ul>
<p>Differences are from run A; a share's difference is in percentage points.</p>
<table>
<thead>${head}</thead>
<tbody>
${body.join('\n')}
</tbody>
</table>
<div class="grid">
${charts.map((ch, i) => `<figure><figcaption>${esc(ch.title)}</figcaption><div class="box"><canvas id="cmp-${i}"></canvas></div></figure>`).join('\n')}
</div>
<script type="application/json" id="lsim-data">${data}</script>
<script>${chartJsSource()}</script>
<script>
(function () {
  var D = JSON.parse(document.getElementById('lsim-data').textContent);
  Chart.defaults.animation = false; Chart.defaults.maintainAspectRatio = false;
  var SHADES = ['#1b2f6b', '#e08a1e', '#9cb8e0', '#8c1c13', '#5aa05a', '#444444'];
  var UNITS = { usd: 'USD per month', share: 'percent', level: 'concurrent executions', count: 'count', ms: 'ms' };
  D.charts.forEach(function (ch, i) {
    new Chart(document.getElementById('cmp-' + i), { type: 'bar',
      data: { labels: D.labels, datasets: [{ label: ch.title, data: ch.values, backgroundColor: D.labels.map(function (_, k) { return SHADES[k % SHADES.length]; }), borderColor: '#000', borderWidth: 1 }] },
      options: { plugins: { legend: { display: false } }, scales: { x: { title: { display: true, text: 'run' } }, y: { beginAtZero: true, title: { display: true, text: UNITS[ch.unit] } } } } });
  });
  document.body.setAttribute('data-charts-ready', '1');
})();
</script>
</body>
</html>
`;
}
