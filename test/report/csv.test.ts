// CSV reports read back through csv-parse to exactly the JSON result's numbers.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { simulate } from '../../src/sim/simulate.js';
import { jsonReport } from '../../src/report/json.js';
import { SUMMARY_COLUMNS, TIMESERIES_COLUMNS, billCsv, summaryCsv, timeSeriesCsv, workloadSeriesCsv } from '../../src/report/csv.js';

// Two functions, one with provisioned concurrency; 30 simulated minutes.
const result = simulate(loadScenarioFile('scenarios/provisioned.yaml'));
// The JSON as a reader of result.json sees it.
const json = JSON.parse(jsonReport(result));

describe('timeseries.csv', () => {
  const rows = parse(timeSeriesCsv(result), { columns: true, cast: true }) as Record<string, string | number>[];
  it('has a header with units and one row per interval per function', () => {
    expect(Object.keys(rows[0])).toEqual([...TIMESERIES_COLUMNS]);
    expect(rows.length).toBe(json.timeSeries.startMs.length * json.functions.length);
  });
  it('reads back to the JSON time series', () => {
    const key: Record<string, string> = {
      invocations: 'invocations', throttles: 'throttles', cold_starts: 'coldStarts', errors: 'errors',
      concurrency_mean: 'concurrencyMean', concurrency_max: 'concurrencyMax', environments: 'environments', scaling_allowance: 'scalingAllowance',
    };
    let i = 0;
    json.timeSeries.startMs.forEach((start: number, k: number) => {
      for (const f of json.functions) {
        const row = rows[i++];
        expect(row.start_ms).toBe(start);
        expect(row.function).toBe(f.name);
        for (const [col, field] of Object.entries(key)) expect(row[col]).toBe(json.timeSeries.functions[f.name][field][k]);
      }
    });
  });
});

describe('summary.csv', () => {
  const rows = parse(summaryCsv(result), { columns: true, cast: true }) as Record<string, string | number>[];
  it('reads back to the JSON summary, one row per function', () => {
    expect(rows.map((r) => r.function)).toEqual(json.functions.map((f: { name: string }) => f.name));
    rows.forEach((row, i) => {
      const f = json.functions[i];
      expect(row.invocations).toBe(f.invocations);
      expect(row.cold_start_share).toBe(f.coldStartRate);
      expect(row.throttles).toBe(f.throttles.total);
      expect(row.throttles_scaling_rate).toBe(f.throttles['scaling-rate']);
      expect(row.errors).toBe(f.errors);
      expect(row.duration_p50_ms).toBe(f.durationMs.p50);
      expect(row.duration_p99_ms).toBe(f.durationMs.p99);
      expect(row.init_p99_ms).toBe(f.initMs.p99);
      expect(row.concurrency_mean).toBe(f.concurrency.mean);
      expect(row.cost_month_usd).toBe(f.cost.monthly.total);
      expect(row.cost_window_usd).toBe(f.cost.window.total);
      expect(row.usd_per_million_invocations).toBe(f.cost.usdPerMillionInvocations);
      expect(row.billed_gb_s).toBe(f.billing.gbSeconds + f.billing.provisionedGbSeconds);
    });
    expect(Object.keys(rows[0])).toEqual(SUMMARY_COLUMNS.map(([c]) => c));
  });
  it('quotes what needs quoting (csv-stringify), and reads back', () => {
    const odd = structuredClone(result);
    odd.functions[0].name = 'a, "quoted"\nname';
    const back = parse(summaryCsv(odd), { columns: true }) as Record<string, string>[];
    expect(back[0].function).toBe('a, "quoted"\nname');
  });
});

describe('workloads.csv', () => {
  it('has every workload series value in long form', () => {
    const rows = parse(workloadSeriesCsv(result), { columns: true, cast: true }) as { start_ms: number; workload: string; series: string; value: number }[];
    let n = 0;
    for (const [w, series] of Object.entries(json.timeSeries.workloads as Record<string, Record<string, number[]>>)) {
      for (const [name, values] of Object.entries(series)) {
        values.forEach((v, k) => {
          const row = rows[n++];
          expect([row.workload, row.series, row.start_ms, row.value]).toEqual([w, name, json.timeSeries.startMs[k], v]);
        });
      }
    }
    expect(rows.length).toBe(n);
  });
});

describe('bill.csv', () => {
  // An SQS scenario: Lambda's lines and the queue's, each with its price source.
  const sqs = JSON.parse(jsonReport(simulate(loadScenarioFile('scenarios/sqs-batch.yaml'))));
  const rows = parse(billCsv(sqs), { columns: true, cast: true }) as Record<string, string | number>[];
  it('one row per line of the month, then the total: the lines add up to the whole bill', () => {
    const lines = rows.slice(0, -1);
    expect(lines.map((r) => r.service)).toEqual(['AWS Lambda', 'AWS Lambda', 'Amazon SQS']);
    const total = rows[rows.length - 1];
    expect(total.service).toBe('total');
    expect(total.usd_month).toBe(sqs.account.cost.bill.monthlyUsd);
    // Each figure is rounded to 9 significant digits: the sum is the total within half a last digit of each.
    const halfDigit = (v: number) => 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(v))) - 8);
    const sum = lines.reduce((a, r) => a + Number(r.usd_month), 0);
    const slack = [...lines.map((r) => Number(r.usd_month)), sum].reduce((a, v) => a + halfDigit(v), 0);
    expect(Math.abs(sum - sqs.account.cost.bill.monthlyUsd)).toBeLessThanOrEqual(slack);
    for (const r of lines) expect(String(r.price_source)).toMatch(/§7|§15/);
    const queue = lines[2];
    expect(queue.quantity).toBe(sqs.account.cost.bill.services[0].quantity);
    expect(queue.free_quantity).toBe(1e6);
  });
});
