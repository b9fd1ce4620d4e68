/**
 * The command line: a thin shell over library functions. `main` takes its
 * arguments and output streams as parameters (tests call it directly) and
 * returns the exit code: 0 success, 2 bad input (printed without a stack
 * trace), 1 an internal error (printed with its stack: that is a bug).
 */
import { resolve } from 'node:path';
import yargs from 'yargs';
import { UserError } from '../errors.js';
import { loadScenarioFile } from '../scenario/load.js';
import { simulate } from '../sim/simulate.js';
import { jsonReport } from '../report/json.js';
import { textReport } from '../report/text.js';
import { writeReports } from '../report/write.js';
import { formatDuration } from '../scenario/units.js';
import { progressReporter } from './progress.js';

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
          .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format, describe: 'report format on stdout' })
          .option('out', { alias: 'o', type: 'string', describe: 'also write report.txt and result.json into this directory' })
          .option('seed', { type: 'string', describe: "override the scenario's seed" })
          .option('progress', { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal)' }),
      (args) => {
        const scenario = loadScenarioFile(resolvePath(io, args.scenario));
        scenario.file = args.scenario;
        if (args.seed !== undefined) scenario.seed = args.seed;
        const showProgress = args.progress ?? io.stderr.isTTY === true;
        const progress = showProgress ? progressReporter(io.stderr) : undefined;
        const result = simulate(scenario, { onProgress: progress?.update });
        progress?.done();
        const text = textReport(result);
        const json = jsonReport(result);
        if (args.out) {
          const files = writeReports(resolvePath(io, args.out), { 'report.txt': text, 'result.json': json });
          io.stderr.write(`lsim: wrote ${files.join(', ')}\n`);
        }
        io.stdout.write(args.format === 'json' ? json : text);
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
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            problems.push(e);
          }
        }
        if (problems.length > 0) throw new UserError(problems.flatMap((p) => p.problems));
      },
    )
    .demandCommand(1, 'Give a command: run or validate (see --help).')
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

function resolvePath(io: CliIo, p: string): string {
  return resolve(io.cwd, p);
}
