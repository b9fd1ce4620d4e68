/**
 * `lsim compare` and `lsim explain` (issue 7): yargs command definitions kept
 * out of main.ts, which only registers them; and the run command's report files.
 */
import { checkWork, estimateWork } from '../sim/estimate.js';
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { parseOverride, type Override } from '../scenario/overrides.js';
import { formatDuration, parseTimeOfDayMs } from '../scenario/units.js';
import type { Scenario } from '../models/index.js';
import { simulateInSlices } from '../sim/simulate.js';
import type { Result } from '../sim/result.js';
import { compare, compareHtml, compareJson, compareText, type CompareRun } from '../report/compare.js';
import { explainText } from '../report/explain.js';
import { htmlReport } from '../report/html.js';
import { jsonReport } from '../report/json.js';
import { textReport, type TextOptions } from '../report/text.js';
import { billCsv, summaryCsv, timeSeriesCsv, workloadSeriesCsv } from '../report/csv.js';
import { colorize } from '../report/color.js';
import { realish, within, writeReports } from '../report/write.js';
import { runProgress } from './progress.js';
import { RecordsFile } from './records.js';
import { checkOut, loadForCli, resolveArg } from './input.js';
import type { CliIo, Output } from './io.js';

export const RUN_FORMATS = ['text', 'json', 'html', 'csv'] as const;
export type RunFormat = (typeof RUN_FORMATS)[number];

/** `--set` arguments → overrides (yargs gives a string or a list). */
export function overridesOf(set: unknown): Override[] {
  const list = set === undefined ? [] : Array.isArray(set) ? set : [set];
  return list.map((s) => parseOverride(String(s)));
}

/** Progress on stderr only when asked, or when stderr is a terminal and stdout is for people (text). */
export function wantProgress(io: CliIo, asked: boolean | undefined, format: string): boolean {
  return asked ?? (io.stderr.isTTY === true && format === 'text');
}

/** Every report file of a run, by name (what `--out` writes). */
export function runReportFiles(result: Result, text: TextOptions = {}): Record<string, string> {
  return {
    'report.txt': textReport(result, text),
    'result.json': jsonReport(result),
    'report.html': htmlReport(result),
    'timeseries.csv': timeSeriesCsv(result),
    'summary.csv': summaryCsv(result),
    'workloads.csv': workloadSeriesCsv(result),
    'bill.csv': billCsv(result),
  };
}

/**
 * Whether to colour what goes to `out`: on a terminal, when it has colours (Node's
 * `hasColors()` honours NO_COLOR, FORCE_COLOR and TERM=dumb); elsewhere (a pipe,
 * a file) only when FORCE_COLOR asks for it, read by the same rule.
 */
export function wantsColor(out: Output, env: Record<string, string | undefined> = process.env): boolean {
  if (out.isTTY === true) return out.hasColors?.(env) ?? true;
  return env.FORCE_COLOR !== undefined && nodeHasColors(env);
}

/**
 * Node's `hasColors()` rule (NO_COLOR, FORCE_COLOR, TERM) for `env`, whatever the stream. node:tty is
 * required only here, when a colour is in question: loading it cost every `lsim` start about 2 ms (issue 21).
 */
export function nodeHasColors(env: object): boolean {
  const { WriteStream } = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
  return (WriteStream.prototype.hasColors as (env: object) => boolean).call(undefined, env);
}

/** What `lsim run` prints on stdout for a format: colour only for text, when {@link wantsColor}. */
export function runStdout(io: CliIo, result: Result, format: RunFormat, files?: Record<string, string>, text: TextOptions = {}): string {
  switch (format) {
    case 'json':
      return files?.['result.json'] ?? jsonReport(result);
    case 'html':
      return files?.['report.html'] ?? htmlReport(result);
    case 'csv':
      return files?.['summary.csv'] ?? summaryCsv(result);
    default: {
      const report = files?.['report.txt'] ?? textReport(result, text);
      return wantsColor(io.stdout, io.env) ? colorize(report) : report;
    }
  }
}

function label(file: string, scenario: Scenario, others: Scenario[]): string {
  const sameName = others.filter((s) => s.name === scenario.name).length > 1;
  return sameName ? basename(file, extname(file)) : scenario.name;
}

const COMPARE_FORMATS = ['text', 'json', 'html'] as const;
type CompareFormat = (typeof COMPARE_FORMATS)[number];

export function compareCommand(io: CliIo): CommandModule {
  return {
    command: 'compare <scenarios..>',
    describe: 'Run scenarios (or one scenario and a --set variant of it) and compare their headline metrics',
    builder: (y: Argv) =>
      y
        .positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' })
        .option('set', {
          type: 'string',
          array: true,
          describe:
            'key=value override, e.g. functions.api.memory=2048MB (repeatable). With one scenario: compares it with ' +
            'itself with every --set applied; with several: applied to each',
        })
        .option('seed', { type: 'string', describe: "override every scenario's seed" })
        .option('format', { alias: 'f', choices: COMPARE_FORMATS, default: 'text' as CompareFormat, describe: 'format on stdout' })
        .option('out', { alias: 'o', type: 'string', describe: 'also write compare.txt, compare.json and compare.html into this directory' })
        .option('allow-large', { type: 'boolean', describe: 'run even when the runs are estimated above the limits (docs/scenario-reference.md)' })
        .example('$0 compare scenarios/teaching.yaml --set billing.granularity=100ms', '1 ms vs 100 ms billing')
        .example('$0 compare a.yaml b.yaml --format json', 'two designs side by side'),
    handler: async (argv) => {
      const args = argv as unknown as { scenarios: string[]; set?: string[]; seed?: string; format: CompareFormat; out?: string; allowLarge?: boolean };
      checkOut(io, args.out);
      const overrides = overridesOf(args.set);
      const sets = overrides.map((o) => o.source.replace(/^--set /, ''));
      const plan: { file: string; overrides: Override[]; label?: string }[] =
        args.scenarios.length === 1
          ? overrides.length === 0
            ? (() => {
                throw new UserError('compare needs two scenarios, or one scenario and at least one --set key=value');
              })()
            : [
                { file: args.scenarios[0], overrides: [], label: 'as written' },
                { file: args.scenarios[0], overrides, label: sets.join(' ') },
              ]
          : args.scenarios.map((file) => ({ file, overrides }));
      // Load every scenario first, so all problems are reported before anything runs.
      const problems: UserError[] = [];
      const loaded: Scenario[] = [];
      for (const p of plan) {
        try {
          loaded.push(await loadForCli(io, p.file, p.overrides, args.seed));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          problems.push(e);
        }
      }
      if (problems.length) throw new UserError(problems.flatMap((p) => p.problems));
      checkWork(loaded[0].file, loaded.map(estimateWork), args.allowLarge === true);
      const runs: CompareRun[] = [];
      for (const [i, p] of plan.entries()) {
        runs.push({
          label: p.label ?? label(p.file, loaded[i], loaded),
          file: loaded[i].file ?? p.file,
          overrides: p.overrides.map((o) => o.source.replace(/^--set /, '')),
          result: await simulateInSlices(loaded[i]),
        });
      }
      const c = compare(runs);
      const files = { 'compare.txt': compareText(c), 'compare.json': compareJson(c), 'compare.html': compareHtml(c, runs) };
      if (args.out !== undefined) io.stderr.write(`lsim: wrote ${writeReports(resolveArg(io, args.out), files, args.out).join(', ')}\n`);
      io.stdout.write(files[`compare.${args.format === 'text' ? 'txt' : args.format}`]);
    },
  };
}

export function explainCommand(io: CliIo): CommandModule {
  return {
    command: 'explain <scenario>',
    describe: 'Tell the life of the first requests of a run (or of those from a time, or that failed), step by step',
    builder: (y: Argv) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file, or - for standard input' })
        .option('requests', { alias: 'n', type: 'number', default: 10, describe: 'how many requests (the first N arrivals of the run)' })
        .option('sample', { type: 'number', default: 1, describe: 'explain every K-th request (ids 0, K, 2K, ...) instead of the first N' })
        .option('from', { type: 'string', describe: 'start at this simulated time: requests arriving at or after it (9h, 8h30m, 09:00)' })
        .option('failures', { type: 'boolean', default: false, describe: 'only requests that did not end ok (throttled, errors, DLQ, dropped, discarded, open at the end, ...)' })
        .option('set', { type: 'string', array: true, describe: 'key=value override (repeatable)' })
        .option('seed', { type: 'string', describe: "override the scenario's seed" })
        .example('$0 explain scenarios/stream-poison-record.yaml --from 61.5s --failures -n 2', 'the first two requests from 61.5 s on that did not end ok'),
    handler: async (argv) => {
      const args = argv as unknown as { scenario: string; requests: number; sample: number; from?: string; failures: boolean; set?: string[]; seed?: string };
      if (!Number.isInteger(args.requests) || args.requests < 1 || args.requests > 10_000) {
        throw new UserError(`--requests: expected a whole number from 1 to 10,000, got ${args.requests}`);
      }
      if (!Number.isInteger(args.sample) || args.sample < 1 || args.sample > 1_000_000) {
        throw new UserError(`--sample: expected a whole number from 1 to 1,000,000, got ${args.sample}`);
      }
      const from = args.from === undefined ? { ok: true as const, value: 0 } : parseTimeOfDayMs(args.from);
      if (!from.ok) throw new UserError(`--from: ${from.error}`);
      const fromMs = from.value;
      const scenario = await loadForCli(io, args.scenario, overridesOf(args.set), args.seed);
      if (fromMs >= scenario.durationMs) {
        throw new UserError(`--from ${args.from}: the run ends at ${formatDuration(scenario.durationMs)}; give a time before it`);
      }
      io.stdout.write(explainText(scenario, args.requests, { sample: args.sample, fromMs, failures: args.failures }));
    },
  };
}

/**
 * The run command's body after loading: simulate with progress, write files, print.
 * `records`: a CSV file of the request records (src/cli/records.ts), renamed into place only once
 * the run and the `--out` files are done; nothing of it is left when anything fails.
 */
export async function runAndReport(
  io: CliIo,
  scenario: Scenario,
  format: RunFormat,
  out: string | undefined,
  progressFlag: boolean | undefined,
  records?: string,
  text: TextOptions = {},
): Promise<void> {
  if (records === '-') {
    // Elsewhere `-` is standard output, which here carries the report: a file named "-" was written instead.
    throw new UserError('--records -: the records go to a file, since standard output carries the report; give a path, e.g. --records records.csv');
  }
  checkOut(io, out);
  if (records !== undefined && out !== undefined) {
    // --out replaces its directory as a whole (src/report/write.ts): a records file inside it, or the
    // directory itself, would be lost; and --out inside the records file's path cannot be made.
    const o = realish(resolveArg(io, out));
    const r = realish(resolveArg(io, records));
    if (r === o) throw new UserError(`--records ${records}: is the --out directory ${out} itself, which lsim replaces as a whole; write the records to a file outside it`);
    if (within(r, o)) throw new UserError(`--records ${records}: is inside --out ${out}, which lsim replaces as a whole; write the records outside it`);
    if (within(o, r)) throw new UserError(`--out ${out}: is inside --records ${records}, which is a file; give them paths apart`);
  }
  const recordsFile = records !== undefined ? new RecordsFile(resolveArg(io, records), records) : null;
  let result: Result;
  let files: Record<string, string> | undefined;
  try {
    const progress = wantProgress(io, progressFlag, format) ? runProgress(io.stderr, io.clock) : undefined;
    try {
      result = await simulateInSlices(scenario, { onProgress: progress?.update, onRecord: recordsFile?.add });
    } finally {
      progress?.done();
    }
    recordsFile?.close();
    if (out !== undefined) {
      files = runReportFiles(result, text);
      io.stderr.write(`lsim: wrote ${writeReports(resolveArg(io, out), files, out).join(', ')}\n`);
    }
  } catch (e) {
    recordsFile?.abort();
    throw e;
  }
  if (recordsFile) {
    const rows = recordsFile.rows;
    io.stderr.write(`lsim: wrote ${recordsFile.commit()}: ${rows.toLocaleString('en-US')} request record${rows === 1 ? '' : 's'}\n`);
  }
  io.stdout.write(runStdout(io, result, format, files, text));
}
