/**
 * The command line: a thin shell over library functions. `main` takes its
 * arguments and output streams as parameters (tests call it directly) and
 * returns the exit code: 0 success, 2 bad input (printed without a stack
 * trace), 1 an internal error (printed with its stack: that is a bug), 3 a
 * sweep whose objectives no configuration meets (its reports are written).
 */
import { readFileSync } from 'node:fs';
import type { CliIo } from './io.js';
export { processIo } from './stdio.js';
import type { CommandModule } from 'yargs';
import { ExitStatus, UserError } from '../errors.js';
import { escapeControls } from '../format.js';
import { StalledClockError } from '../engine/simulator.js';
import { checkWork, estimateWork } from '../sim/estimate.js';
import { nearest } from '../scenario/fields.js';
import { formatDuration } from '../scenario/units.js';
import { initCommand, schemaCommand } from './init.js';
import { loadForCli } from './input.js';
import { priceFromArgs, priceText, type PriceArgs } from './price.js';
import { PRICE_BOOKS, PRICED_REGIONS } from '../billing/pricebook.js';
import { mergeCommand, sweepCommand, provisionCommand } from './sweep.js';
import { traceCommand } from './trace.js';
import { playCommand } from './play.js';
import { flag, optionProblems, optionsOf, positionals, takeOneValue } from './options.js';
import { compareCommand, explainCommand, overridesOf, runAndReport, RUN_FORMATS, type RunFormat } from './reports.js';

/** What yargs parses in place of a lone "-" (see main). */
const DASH = '\u0000-';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** The version in package.json (two folders up from src/cli/ and from dist/cli/). */
export const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The arguments of `lsim run`, as yargs parses them (and {@link fastRunArgs}). */
interface RunArgs {
  scenario: string;
  format: RunFormat;
  out?: string;
  records?: string;
  seed?: string;
  set?: string[];
  progress?: boolean;
  allowLarge?: boolean;
  summary?: boolean;
}

async function runHandler(io: CliIo, args: RunArgs): Promise<void> {
  const scenario = await loadForCli(io, args.scenario, overridesOf(args.set), args.seed);
  checkWork(scenario.file, [estimateWork(scenario)], args.allowLarge === true);
  await runAndReport(io, scenario, args.format, args.out, args.progress, args.records, { summary: args.summary });
}

/**
 * Start-up (issue 21): the plainest `lsim run` command lines, read without yargs (whose
 * module and parser cost a run of a short scenario more than the run itself):
 * `run <scenario> [options]` where every option is one of run's, spelled in full
 * (`--format json`, `--format=json`, `-f json`, `-o dir`, `--progress`, `--no-progress`),
 * given once, with a value that does not start with "-". Anything else (help, --set,
 * a misspelt option, a missing value, a second scenario) returns null and goes to
 * yargs, which parses and words every problem as before; so for every line this
 * accepts, yargs would have given the handler the same arguments.
 */
export function fastRunArgs(argv: readonly string[]): RunArgs | null {
  if (argv.length < 2 || argv[0] !== 'run' || (argv[1].startsWith('-') && argv[1] !== '-')) return null;
  const args: RunArgs = { scenario: argv[1], format: 'text' };
  const seen = new Set<string>();
  const strings: Record<string, 'format' | 'out' | 'records' | 'seed'> = { '--format': 'format', '-f': 'format', '--out': 'out', '-o': 'out', '--records': 'records', '--seed': 'seed' };
  const flags: Record<string, ['progress' | 'allowLarge' | 'summary', boolean]> = {
    '--progress': ['progress', true],
    '--no-progress': ['progress', false],
    '--allow-large': ['allowLarge', true],
    '--summary': ['summary', true],
  };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (name in flags && eq < 0) {
      const [key, value] = flags[name];
      if (seen.has(key)) return null;
      seen.add(key);
      args[key] = value;
      continue;
    }
    if (!(name in strings)) return null;
    const key = strings[name];
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (seen.has(key) || value === undefined || value === '' || value.startsWith('-')) return null;
    seen.add(key);
    if (key === 'format') {
      if (!(RUN_FORMATS as readonly string[]).includes(value)) return null;
      args.format = value as RunFormat;
    } else args[key] = value;
  }
  return args;
}

function runCommand(io: CliIo): CommandModule {
  return {
    command: 'run <scenario>',
    describe: 'Simulate a scenario and print its report',
    builder: (y) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file, or - for standard input' })
        .option('format', {
          alias: 'f',
          choices: RUN_FORMATS,
          default: 'text' as RunFormat,
          describe: 'on stdout: text (coloured on a terminal), json (the full result), html (one self-contained page), csv (the summary table; the time series go to --out)',
        })
        .option('out', {
          alias: 'o',
          type: 'string',
          describe: 'also write report.txt, result.json, report.html, timeseries.csv, summary.csv, workloads.csv and bill.csv into this directory',
        })
        .option('records', {
          type: 'string',
          describe:
            'write one CSV row per request of every invocation model to this file, as the run goes (workload, model, request, ' +
            'function, started_ms, ended_ms, latency_ms, outcome, reason, attempts, target, shard, sequence, key)',
        })
        .option('seed', { type: 'string', describe: "override the scenario's seed" })
        .option('set', { type: 'string', array: true, describe: 'key=value override applied before validation, e.g. functions.api.memory=2048MB (repeatable)' })
        .option('progress', { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal and the format is text)' })
        .option('allow-large', { type: 'boolean', describe: 'run even when the run is estimated above the limits of docs/scenario-reference.md ("How much a run may ask")' })
        .option('summary', { type: 'boolean', describe: 'open the text report with its headline: what bound, what callers lost, what it cost' }),
    handler: (argv) => runHandler(io, argv as unknown as RunArgs),
  };
}

function validateCommand(io: CliIo): CommandModule {
  return {
    command: 'validate <scenarios..>',
    describe: 'Check scenario files without running them',
    builder: (y) => y.positional('scenarios', { type: 'string', array: true, demandOption: true, describe: 'scenario YAML files (- for standard input)' }),
    handler: async (argv) => {
      const problems: UserError[] = [];
      for (const file of (argv as unknown as { scenarios: string[] }).scenarios) {
        try {
          const s = await loadForCli(io, file);
          io.stdout.write(
            escapeControls(`${s.file}: ok (${s.functions.length} function${s.functions.length === 1 ? '' : 's'}, ` +
              `${s.workloads.length} workload${s.workloads.length === 1 ? '' : 's'}, ${formatDuration(s.durationMs)})\n`),
          );
          // Advice that does not fail the load (e.g. an SQS visibility timeout under 6 × the function timeout).
          for (const w of s.workloads) for (const warning of 'warnings' in w ? w.warnings : []) io.stdout.write(escapeControls(`  warning: ${warning}\n`));
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          problems.push(e);
        }
      }
      if (problems.length > 0) throw new UserError(problems.flatMap((p) => p.problems));
    },
  };
}

function priceCommand(io: CliIo): CommandModule {
  return {
    command: 'price',
    describe: "A month's cost by AWS's arithmetic, without simulating",
    builder: (y) =>
      y
        .option('requests', { type: 'string', describe: 'requests per month (per day with --per-day), e.g. 3000000, 3M, 2.5k, 1.2B' })
        .option('per-day', { type: 'boolean', describe: '--requests is a day\'s; the month has --days of them' })
        .option('rate', { type: 'string', describe: 'requests as a steady rate instead, e.g. 100/s, 6000/min' })
        .option('days', { type: 'number', describe: 'days in the month, 28–31 (default 31)' })
        .option('duration', { type: 'string', demandOption: true, describe: 'average duration, e.g. 120ms' })
        .option('memory', { type: 'string', default: '128MB', describe: 'memory, e.g. 1536MB or 1.5GB' })
        .option('arch', { choices: ['x86_64', 'arm64'] as const, default: 'x86_64' as const })
        .option('storage', { type: 'string', describe: 'ephemeral storage, e.g. 2048MB (512 MB free)' })
        .option('granularity', { choices: ['1ms', '100ms'] as const, describe: "default: the price book's rule" })
        .option('region', { type: 'string', describe: `the Region whose prices apply: ${PRICED_REGIONS.join(', ')} (default us-east-1)` })
        .option('price-book', { choices: Object.keys(PRICE_BOOKS), describe: 'a price book by name (default: the Region\'s; legacy-100ms is the 100 ms era)' })
        .option('free-tier', { type: 'boolean', default: true, describe: 'apply the monthly free tier' })
        .option('free-requests', { type: 'boolean', describe: 'override the free tier for requests only' })
        .option('free-compute', { type: 'boolean', describe: 'override the free tier for compute only' })
        .option('free-tier-pc', { type: 'boolean', describe: 'the free tier applies to a function with provisioned concurrency too (AWS\'s PC example 1 does)' })
        .option('free-streaming', { type: 'boolean', describe: 'apply the 100 GiB of free response streaming' })
        .option('pc', { type: 'number', describe: 'provisioned concurrency (environments); needs --pc-hours' })
        .option('pc-hours', { type: 'number', describe: 'hours in the month provisioned concurrency is enabled (744 = all of 31 days)' })
        .option('pc-requests', { type: 'string', describe: 'requests per month served by provisioned concurrency (3M, 2.5k, ...)' })
        .option('pc-duration', { type: 'string', describe: 'average duration of those requests' })
        .option('streamed-gb', { type: 'number', describe: 'chargeable streamed GB per month (beyond 6 MB per response)' })
        .option('async-payload', { type: 'string', describe: 'every request is an async event of this size (above 256 KB, each 64 KB is one more request), e.g. 300KB' })
        .option('sqs-epu-hours', { type: 'number', describe: 'event poller unit hours of SQS provisioned mode (pollers × hours)' })
        .option('snapstart-restores', { type: 'string', describe: 'SnapStart restores per month (the cache is charged for --snapstart-hours, default all month)' })
        .option('snapstart-hours', { type: 'number', describe: 'hours the SnapStart version is active' })
        .option('tenant-environments', { type: 'string', describe: 'tenant isolation: new execution environments per month' })
        .option('edge', { type: 'boolean', describe: 'price as Lambda@Edge' })
        .option('savings-plan', { type: 'number', describe: 'Compute Savings Plan discount, percent' })
        .option('sqs-requests', { type: 'string', describe: 'SQS standard queue requests per month (sends, receives, deletes, empty receives), e.g. 10M' })
        .option('sqs-fifo-requests', { type: 'string', describe: 'SQS FIFO queue requests per month' })
        .option('sqs-message-size', { type: 'string', describe: 'payload of each SQS request, e.g. 256KB: each 64 KB chunk is a request' })
        .option('kinesis-shards', { type: 'number', describe: 'Kinesis shards for the whole month (× 24 × --days hours)' })
        .option('kinesis-shard-hours', { type: 'number', describe: 'Kinesis shard-hours in the month instead, e.g. 7300' })
        .option('kinesis-records', { type: 'string', describe: 'records written to Kinesis, a month\'s count (26.28B) or a rate (10000/s)' })
        .option('kinesis-record-size', { type: 'string', describe: 'Kinesis record size (default 1KB): each 25 KB is a PUT payload unit' })
        .option('kinesis-mode', { choices: ['provisioned', 'on-demand'] as const, describe: 'the stream\'s capacity mode (default provisioned)' })
        .option('kinesis-efo-consumers', { type: 'number', describe: 'enhanced fan-out consumers (× the shard-hours)' })
        .option('apigw-rest-requests', { type: 'string', describe: 'API Gateway REST API requests per month' })
        .option('apigw-http-requests', { type: 'string', describe: 'API Gateway HTTP API requests per month (each 512 KB is one)' })
        .option('function-url-requests', { type: 'string', describe: 'function URL requests per month (no extra charge)' })
        .option('sns-publishes', { type: 'string', describe: 'SNS publishes per month (each 64 KB is one)' })
        .option('eventbridge-events', { type: 'string', describe: 'EventBridge custom events published per month (each 64 KB is one)' })
        .option('sfn-transitions', { type: 'string', describe: 'Step Functions standard workflow state transitions per month' })
        .option('logs-gb', { type: 'number', describe: 'CloudWatch Logs GB ingested from Lambda per month' })
        .option('transfer-out-gb', { type: 'number', describe: 'GB transferred out to the internet per month' })
        .option('free-services', { type: 'boolean', describe: "the other services' never-expiring free allowances (default: as --free-requests)" })
        .option('service-price', { type: 'string', array: true, describe: 'item=usd per the item\'s unit, e.g. kinesisOnDemandStreamHours=0.04 (repeatable)' })
        .option('format', { alias: 'f', choices: FORMATS, default: 'text' as Format }),
    handler: (argv) => {
      const args = argv as unknown as PriceArgs & { format: Format };
      const report = priceFromArgs(args);
      io.stdout.write(args.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : priceText(report));
    },
  };
}

const COMPLETION_DESCRIBE = 'Print a shell completion script (bash, zsh): lsim completion >> ~/.bashrc';

const COMPLETION_HELP = `lsim completion

${COMPLETION_DESCRIBE}

The script completes lsim's commands and options by asking lsim as you type. It is written for
the shell $SHELL names: with zsh, add it to ~/.zshrc (lsim completion >> ~/.zshrc).
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  let exitCode = 0;
  const fail = (e: unknown): void => {
    if (e instanceof UserError) {
      io.stderr.write(`lsim: ${e.problems.length > 1 ? `${e.problems.length} problems:\n` : ''}${escapeControls(e.message)}\n`);
      exitCode = 2;
    } else if (e instanceof ExitStatus) {
      io.stderr.write(`lsim: ${e.message}\n`);
      exitCode = e.code;
    } else if (e instanceof StalledClockError) {
      // A model bug the engine caught: the message names the event kind; the stack adds nothing.
      io.stderr.write(`lsim: internal error: ${escapeControls(e.message)}\n`);
      exitCode = 1;
    } else {
      io.stderr.write(`lsim: internal error (please report it):\n${escapeControls(e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
      exitCode = 1;
    }
  };
  const commands = [
    runCommand(io),
    validateCommand(io),
    // Starting a model (issue 13.4): src/cli/init.ts.
    initCommand(io),
    schemaCommand(io),
    priceCommand(io),
    // Capacity planning (issue 8): src/cli/sweep.ts.
    sweepCommand(io),
    mergeCommand(io),
    provisionCommand(io),
    compareCommand(io),
    explainCommand(io),
    traceCommand(io),
    // The teaching playground (issue 20): src/cli/play.ts.
    playCommand(io),
  ].map(takeOneValue);
  // yargs's completion command has no help of its own: `lsim completion --help` would print the script.
  if (argv[0] === 'completion' && argv.slice(1).includes('--help')) {
    io.stdout.write(COMPLETION_HELP);
    return 0;
  }
  const fast = fastRunArgs(argv);
  if (fast !== null) {
    try {
      await runHandler(io, fast);
    } catch (e) {
      fail(e);
    }
    return exitCode;
  }
  const { default: yargs } = await import('yargs');
  const names = [...commands.map((c) => String(c.command).split(' ')[0]), 'completion'];
  // yargs turns a lone "-" (standard input) into "" when it fills a positional or an option: it
  // parses a stand-in instead, and the middleware puts "-" back before any handler sees it.
  const undash = (v: unknown): unknown => (v === DASH ? '-' : Array.isArray(v) ? v.map(undash) : v);
  const args = argv.map((a) => (a === '-' ? DASH : a));
  const positionalsOf = new Map(commands.map((c) => [String(c.command).split(' ')[0], positionals(String(c.command))]));
  const parser = yargs(args)
    .scriptName('lsim')
    .usage('$0 <command> [options]')
    .middleware((parsed) => {
      for (const key of Object.keys(parsed)) parsed[key] = undash(parsed[key]);
      // The shell asking for completions (`lsim run --format <Tab>` sends an empty last word): nothing to check.
      if (argv.includes('--get-yargs-completions')) return;
      // src/cli/options.ts: an option given twice, an empty value, a number that is not one.
      const command = String(parsed._[0] ?? '');
      const problems = optionProblems(parsed, optionsOf(parser), command, argv, positionalsOf.get(command));
      if (problems.length > 0) throw new UserError(problems);
    }, true);
  for (const c of commands) parser.command(c);
  parser
    // yargs offers a one-letter alias as `--o`: the shell gets the long name only (`--out`).
    .completion(
      'completion',
      COMPLETION_DESCRIBE,
      (_current: string, _argv: unknown, completionFilter: (then: (err: Error | null, completions: string[] | undefined) => void) => void, done: (completions: string[]) => void) =>
        completionFilter((_err, completions) => done((completions ?? []).filter((c) => !/^--[^-=\s]$/.test(c)))),
    )
    .recommendCommands()
    .demandCommand(1, `Give a command: ${names.join(', ')} (see lsim --help).`)
    .strict()
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((msg, err) => {
      // getOptions() (yargs 18, not in its typings) holds the matched command's options by now.
      const keys = Object.keys((parser as unknown as { getOptions(): { key: object } }).getOptions().key);
      // yargs's own errors (YError: a parser error such as an option without its value) are usage too.
      if (err && err.name !== 'YError') throw err;
      throw new UserError(usageProblems((msg ?? err?.message ?? '').replaceAll(DASH, '-'), argv, names, keys).map((message) => ({ message })));
    })
    .help()
    .version(VERSION)
    .wrap(Math.min(100, io.stdout.columns || 100));
  try {
    // --help, --version and completion hand their text to the callback: it goes to io.stdout.
    await parser.parseAsync(args, {}, (_err, _parsed, output) => {
      if (output) io.stdout.write(output.endsWith('\n') ? output : output + '\n');
    });
  } catch (e) {
    fail(e);
  }
  return exitCode;
}

/**
 * yargs's usage messages in lsim's words, with a suggestion: an unknown option
 * (`--formt`: did you mean `--format`?), an unknown command (recommendCommands'
 * "Did you mean run?", or the list of commands) or a stray argument.
 */
function usageProblems(msg: string, argv: readonly string[], commands: readonly string[], optionKeys: readonly string[]): string[] {
  const first = argv.find((a) => !a.startsWith('-')) ?? '';
  const unknownCommand = (): string => {
    const near = nearest(first, commands);
    return `unknown command "${first}"${near ? ` (did you mean "${near}"?)` : `; the commands are ${commands.join(', ')}`}`;
  };
  // recommendCommands() words it "Did you mean run?", for any command within its own (wider) distance.
  if (/^Did you mean \S+\?$/.test(msg)) return [unknownCommand()];
  // An option that takes a value, last on the line or followed by another option (src/cli/options.ts).
  const missing = /^Not enough arguments following: (\S+)$/.exec(msg);
  if (missing) return [`${flag(missing[1])}: needs a value`];
  const unknown = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!unknown) return [msg];
  // yargs lists camelCase twins of dashed options (priceBook for price-book): suggest the dashed form.
  const flags = optionKeys.filter((k) => !/[A-Z]/.test(k) || !optionKeys.includes(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)));
  return unknown[1]
    .split(', ')
    .map((name) => {
      const dashes = name.length === 1 ? '-' : '--';
      if (argv.some((a) => a === `${dashes}${name}` || a.startsWith(`${dashes}${name}=`))) {
        const near = nearest(name, flags);
        return `unknown option ${dashes}${name}${near ? ` (did you mean ${near.length === 1 ? '-' : '--'}${near}?)` : ''}`;
      }
      if (name === first) return unknownCommand();
      return `unexpected argument "${name}"`;
    });
}
