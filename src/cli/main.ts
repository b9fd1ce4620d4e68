/**
 * The command line: a thin shell over library functions. `main` takes its
 * arguments and output streams as parameters (tests call it directly) and
 * returns the exit code: 0 success, 2 bad input (printed without a stack
 * trace), 1 an internal error (printed with its stack: that is a bug).
 */
import { isAbsolute, resolve } from 'node:path';
import yargs from 'yargs';
import { UserError } from '../errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { formatDuration } from '../scenario/units.js';
import { priceFromArgs, priceText } from './price.js';
import { mergeCommand, sweepCommand } from './sweep.js';
import { traceCommand } from './trace.js';
import { compareCommand, explainCommand, overridesOf, runAndReport, RUN_FORMATS, type RunFormat } from './reports.js';

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  cwd: string;
}

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const fail = (e: unknown): void => {
    if (e instanceof UserError) {
      io.stderr.write(`lsim: ${e.problems.length > 1 ? `${e.problems.length} problems:\n` : ''}${e.message}\n`);
      exitCode = 2;
    } else {
      io.stderr.write(`lsim: internal error (please report it):\n${e instanceof Error ? e.stack : String(e)}\n`);
      exitCode = 1;
    }
  };
  const parser = yargs(argv)
    .scriptName('lsim')
    .usage('$0 <command> [options]')
    .command(
      'run <scenario>',
      'Simulate a scenario and print its report',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
          .option('format', {
            alias: 'f',
            choices: RUN_FORMATS,
            default: 'text' as RunFormat,
            describe: 'on stdout: text (coloured on a terminal), json (the full result), html (one self-contained page), csv (the summary table; the time series go to --out)',
          })
          .option('out', {
            alias: 'o',
            type: 'string',
            describe: 'also write report.txt, result.json, report.html, timeseries.csv, summary.csv and workloads.csv into this directory',
          })
          .option('records', {
            type: 'string',
            describe:
              'write every async record sent to a DLQ or destination, and every dropped event, to this CSV file ' +
              '(workload, event, accepted_at_ms, at_ms, target, reason, attempts, age_ms)',
          })
          .option('seed', { type: 'string', describe: "override the scenario's seed" })
          .option('set', { type: 'string', array: true, describe: 'key=value override applied before validation, e.g. functions.api.memory=2048MB (repeatable)' })
          .option('progress', { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal and the format is text)' }),
      (args) => {
        const scenario = loadScenarioFile(resolvePath(io, args.scenario), { overrides: overridesOf(args.set) });
        scenario.file = args.scenario;
        if (args.seed !== undefined) scenario.seed = args.seed;
        runAndReport(io, scenario, args.format, args.out, args.progress, args.records);
      },
    )
    .command(
      'validate <scenarios..>',
      'Check scenario files without running them',
      (y) => y.positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files' }),
      (args) => {
        const problems: UserError[] = [];
        for (const file of args.scenarios) {
          try {
            const s = loadScenarioFile(resolvePath(io, file));
            io.stdout.write(
              `${file}: ok (${s.functions.length} function${s.functions.length === 1 ? '' : 's'}, ` +
                `${s.workloads.length} workload${s.workloads.length === 1 ? '' : 's'}, ${formatDuration(s.durationMs)})\n`,
            );
            // Advice that does not fail the load (e.g. an SQS visibility timeout under 6 × the function timeout).
            for (const w of s.workloads) for (const warning of 'warnings' in w ? w.warnings : []) io.stdout.write(`  warning: ${warning}\n`);
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            problems.push(e);
          }
        }
        if (problems.length > 0) throw new UserError(problems.flatMap((p) => p.problems));
      },
    )
    .command(
      'price',
      "A month's cost by AWS's arithmetic, without simulating",
      (y) =>
        y
          .option('requests', { type: 'number', demandOption: true, describe: 'requests per month' })
          .option('duration', { type: 'string', demandOption: true, describe: 'average duration, e.g. 120ms' })
          .option('memory', { type: 'string', default: '128MB', describe: 'memory, e.g. 1536MB or 1.5GB' })
          .option('arch', { choices: ['x86_64', 'arm64'] as const, default: 'x86_64' as const })
          .option('storage', { type: 'string', describe: 'ephemeral storage, e.g. 2048MB (512 MB free)' })
          .option('granularity', { choices: ['1ms', '100ms'] as const, describe: "default: the price book's rule" })
          .option('price-book', { choices: ['us-east-1-2026', 'legacy-100ms'] as const, default: 'us-east-1-2026' as const })
          .option('free-tier', { type: 'boolean', default: true, describe: 'apply the monthly free tier' })
          .option('free-requests', { type: 'boolean', describe: 'override the free tier for requests only' })
          .option('free-compute', { type: 'boolean', describe: 'override the free tier for compute only' })
          .option('pc', { type: 'number', describe: 'provisioned concurrency (environments)' })
          .option('pc-hours', { type: 'number', describe: 'hours per month provisioned concurrency is enabled' })
          .option('pc-requests', { type: 'number', describe: 'requests per month served by provisioned concurrency' })
          .option('pc-duration', { type: 'string', describe: 'average duration of those requests' })
          .option('streamed-gb', { type: 'number', describe: 'chargeable streamed GB per month (beyond 6 MB per response)' })
          .option('savings-plan', { type: 'number', describe: 'Compute Savings Plan discount, percent' })
          .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format }),
      (args) => {
        const report = priceFromArgs(args);
        io.stdout.write(args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : priceText(report));
      },
    )
    // Capacity planning (issue 8): src/cli/sweep.ts.
    .command(sweepCommand(io))
    .command(mergeCommand(io))
    .command(compareCommand(io))
    .command(explainCommand(io))
    .command(traceCommand(io))
    .demandCommand(1, 'Give a command: run, validate, price, sweep, merge, compare or explain (see --help).')
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .help()
    .version(false)
    .wrap(Math.min(100, process.stdout.columns || 100));
  try {
    await parser.parseAsync();
  } catch (e) {
    fail(e);
  }
  return exitCode;
}

/** A path relative to the caller's directory; kept as typed when that is the process's own, so messages show it as given. */
function resolvePath(io: CliIo, p: string): string {
  return isAbsolute(p) || io.cwd === process.cwd() ? p : resolve(io.cwd, p);
}
