/**
 * `lsim sweep` and `lsim merge` (capacity planning, src/plan/): yargs command
 * definitions kept out of main.ts, which only registers them.
 */
import { basename, dirname, join, resolve } from 'node:path';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { ExitStatus, UserError } from '../errors.js';
import { metricsList } from '../plan/metrics.js';
import { defaultProvisionObjective, planProvisioned, provisionText } from '../plan/provision.js';
import { escapeControls } from '../format.js';
import { mergeOutputs, runSweep, sweepPointScenario } from '../plan/sweep.js';
import { configSnippets, type ConfigSnippets } from '../plan/config.js';
import { sweepCsv, sweepJson, sweepText } from '../plan/report.js';
import { sweepHtml } from '../plan/page.js';
import type { SweepResult } from '../plan/analyze.js';
import { resolveShard, type ShardOutput } from '../plan/spec.js';
import { writeFileWhole, writeReports } from '../report/write.js';
import { checkOut, resolveArg, scenarioSource } from './input.js';
import { sweepProgress } from './progress.js';
import type { CliIo } from './io.js';

const SWEEP_FORMATS = ['text', 'json', 'csv', 'html', 'sam', 'cloudformation', 'terraform'] as const;
const CONFIG_FORMATS = ['sam', 'cloudformation', 'terraform'] as const;
type ConfigFormat = (typeof CONFIG_FORMATS)[number];
const CONFIG_FILES: Record<ConfigFormat, string> = { sam: 'recommended.sam.yaml', cloudformation: 'recommended.cfn.yaml', terraform: 'recommended.tf' };
type SweepFormat = (typeof SWEEP_FORMATS)[number];

/** The recommended configuration as infrastructure code, when there is a recommendation and its scenario. */
type Snippets = (() => ConfigSnippets | null) | null;

function output(io: CliIo, result: SweepResult | ShardOutput, format: SweepFormat, out: string | undefined, snippets: Snippets = null): void {
  if ('shard' in result && result.schema === 'lsim.sweep-shard/1') {
    if (format !== 'json' && !out) throw new UserError('a shard (--shard) is written as JSON only: use --format json or --out <dir>, then lsim merge');
    if (out) {
      // Shards of one sweep are written into the same folder one by one: each file whole, beside the others.
      const path = join(resolveArg(io, out), `shard-${result.shard.index}-of-${result.shard.count}.json`);
      writeFileWhole(path, sweepJson(result));
      io.stderr.write(`lsim: wrote ${path}\n`);
    }
    if (format === 'json') io.stdout.write(sweepJson(result));
    return;
  }
  const r = result as SweepResult;
  const config = (CONFIG_FORMATS as readonly string[]).includes(format) || out ? (snippets?.() ?? null) : null;
  if ((CONFIG_FORMATS as readonly string[]).includes(format) && !config) {
    throw new UserError(
      snippets ? `--format ${format}: no configuration meets the objectives, so there is none to write` : `--format ${format} needs the scenario: use it with lsim sweep, not lsim merge`,
    );
  }
  const render: Record<SweepFormat, () => string> = {
    text: () => sweepText(r),
    json: () => sweepJson(r),
    csv: () => sweepCsv(r),
    html: () => sweepHtml(r),
    sam: () => config!.sam,
    cloudformation: () => config!.cloudformation,
    terraform: () => config!.terraform,
  };
  if (out !== undefined) {
    const files = writeReports(resolveArg(io, out), {
      'sweep.txt': sweepText(r),
      'sweep.json': sweepJson(r),
      'sweep.csv': sweepCsv(r),
      'sweep.html': sweepHtml(r),
      ...(config ? Object.fromEntries(CONFIG_FORMATS.map((f) => [CONFIG_FILES[f], config[f]])) : {}),
    }, out);
    io.stderr.write(`lsim: wrote ${files.join(', ')}\n`);
  }
  io.stdout.write(render[format]());
}

/** Exit 3 after the reports when no configuration meets the objectives, so a sweep can gate CI. */
function failIfNothingMeets(result: SweepResult | ShardOutput): void {
  if ('points' in result && result.recommendation.point === null) {
    throw new ExitStatus(3, 'no configuration meets every objective (exit 3); the reports name the closest');
  }
}

export function sweepCommand(io: CliIo): CommandModule {
  return {
    command: 'sweep [scenario]',
    describe: 'Run a scenario over a grid of settings, with replications, and recommend a configuration',
    builder: (y: Argv) =>
      y
        .positional('scenario', { type: 'string', describe: 'scenario YAML file, or - for standard input' })
        .option('metrics', { type: 'boolean', describe: 'list the metric names objectives and --minimise take, and exit' })
        .option('vary', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'key=values: a list (x86_64,arm64) or a range (128MB..3008MB:step=128MB); repeat for a grid',
        })
        .option('pair', {
          type: 'string',
          array: true,
          default: [] as string[],
          describe: 'keys that vary together, one axis: "sqs.batchSize=10,100;sqs.maximumBatchingWindow=0s,5s"',
        })
        .option('guard', { type: 'string', default: '0.1%', describe: 'no point leaving more work undone than the best by more than this share wins; off to disable' })
        .option('replications', { alias: 'n', type: 'number', default: 1, describe: 'independent seeds per point' })
        .option('confidence', { type: 'number', default: 0.95, describe: 'of the t-intervals' })
        .option('objective', { type: 'string', describe: 'e.g. "p99<=800ms,throttleRate<=0.1%"' })
        .option('minimise', { alias: 'minimize', type: 'string', describe: 'metric to minimise (default cost), or weights: cost=0.7,p99=0.3' })
        .option('seed', { type: 'string', describe: "override the scenario's seed" })
        .option('workers', { alias: 'j', type: 'number', describe: 'worker threads (default: the CPU count, fewer for a sweep of under a few seconds of work)' })
        .option('shard', { type: 'string', describe: 'run slice i of n (i/n), or auto (auto/N) from a Kubernetes Indexed Job or AWS Batch array job; combine with lsim merge' })
        .option('format', { alias: 'f', choices: SWEEP_FORMATS, default: 'text' as SweepFormat, describe: 'output on stdout; sam, cloudformation, terraform: the recommended configuration as code' })
        .option('out', { alias: 'o', type: 'string', describe: 'also write sweep.{txt,json,csv,html} and recommended.{sam.yaml,cfn.yaml,tf} (or the shard JSON) into this directory' })
        .option('progress', { type: 'boolean', describe: 'progress on stderr (default: when stderr is a terminal)' })
        .option('allow-large', { type: 'boolean', describe: 'run even when the sweep is estimated above the limits (docs/scenario-reference.md)' }),
    handler: async (argv) => {
      const args = argv as unknown as {
      scenario?: string;
      metrics?: boolean;
      vary: string[];
      pair: string[];
      guard: string;
      replications: number;
      confidence: number;
      objective?: string;
      minimise?: string;
      seed?: string;
      workers?: number;
      shard?: string;
      format: SweepFormat;
      out?: string;
      progress?: boolean;
      allowLarge?: boolean;
      };
      if (args.metrics) return void io.stdout.write(metricsList());
      if (args.scenario === undefined) throw new UserError('lsim sweep needs a scenario file (or --metrics to list the metrics)');
      // A shard goes into --out as one file beside the others; a whole sweep replaces the directory.
      if (args.shard === undefined) checkOut(io, args.out);
      const { file, text } = await scenarioSource(io, args.scenario);
      const progress = (args.progress ?? io.stderr.isTTY === true) ? sweepProgress(io.stderr, io.clock) : undefined;
      const sweep = runSweep({
        file,
        text,
        vary: args.vary,
        pair: args.pair,
        guard: args.guard,
        replications: args.replications,
        confidence: args.confidence,
        objective: args.objective,
        minimise: args.minimise,
        seed: args.seed,
        workers: args.workers ?? 'auto',
        shard: args.shard === undefined ? undefined : resolveShard(args.shard, io.env ?? process.env),
        onProgress: progress?.update,
        allowLarge: args.allowLarge === true,
      });
      const result = await sweep.finally(() => progress?.done());
      const snippets = () => {
        if (!('points' in result) || result.recommendation.point === null) return null;
        const rec = result.points[result.recommendation.point];
        const scenario = sweepPointScenario(text, file, result.spec, rec.index, args.seed);
        return configSnippets(scenario, `lsim sweep ${file}: the recommendation #${rec.index} ${rec.label} (${result.recommendation.summary.replace(/^#\d+ [^:]*: /, '')})`);
      };
      output(io, result, args.format, args.out, snippets);
      failIfNothingMeets(result);
    },
  };
}

/** A file as it is; a folder: its `shard-I-of-N.json` files in shard order (what `--shard … --out DIR` writes). */
function shardFiles(path: string, arg: string): { path: string; file: string }[] {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return [{ path, file: arg }];
  }
  if (!isDir) return [{ path, file: arg }];
  const shards = readdirSync(path)
    .map((name) => ({ name, m: /^shard-(\d+)-of-(\d+)\.json$/.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .sort((a, b) => Number(a.m[2]) - Number(b.m[2]) || Number(a.m[1]) - Number(b.m[1]));
  if (!shards.length) throw new UserError([{ file: arg, message: 'the folder holds no shard-I-of-N.json files (lsim sweep --shard i/n --out DIR writes them)' }]);
  return shards.map((e) => ({ path: join(path, e.name), file: join(arg, e.name) }));
}

export function mergeCommand(io: CliIo): CommandModule {
  return {
    command: 'merge <files..>',
    describe: 'Combine the JSON outputs of sweep shards (--shard i/n) into the whole sweep',
    builder: (y: Argv) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'shard JSON files, or folders of them (their shard-I-of-N.json files)' })
        .option('format', { alias: 'f', choices: SWEEP_FORMATS, default: 'text' as SweepFormat, describe: 'output on stdout' })
        .option('out', { alias: 'o', type: 'string', describe: 'also write sweep.{txt,json,csv,html} into this directory' }),
    handler: (argv) => {
      const args = argv as unknown as { files: string[]; format: SweepFormat; out?: string };
      checkOut(io, args.out);
      const shards = args.files.flatMap((arg) => shardFiles(resolveArg(io, arg), arg));
      if (args.out !== undefined) {
        // --out replaces its directory as a whole (src/report/write.ts): onto the shards' folder, it would delete them.
        const outDir = resolve(resolveArg(io, args.out));
        const inside = shards.filter(({ path }) => dirname(resolve(path)) === outDir).map(({ path }) => basename(path));
        if (inside.length) {
          throw new UserError(`--out ${args.out}: holds the shard files being merged (${inside.join(', ')}), which writing the report set there would delete; give another directory`);
        }
      }
      const inputs = shards.map(({ path, file }) => {
        try {
          return { file, text: readFileSync(path, 'utf8') };
        } catch (e) {
          throw new UserError([{ file, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file (${(e as Error).message})` }]);
        }
      });
      const result = mergeOutputs(inputs);
      output(io, result, args.format, args.out);
      failIfNothingMeets(result);
    },
  };
}

export function provisionCommand(io: CliIo): CommandModule {
  return {
    command: 'provision <scenario>',
    describe: "Propose a provisioned concurrency schedule from the scenario's traffic that meets a cold-start objective at least cost",
    builder: (y: Argv) =>
      y
        .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file, or - for standard input' })
        .option('function', { type: 'string', describe: 'the function to plan for (default: the only one, or the busiest)' })
        .option('objective', { type: 'string', describe: `default "${defaultProvisionObjective('<function>')}"; any sweep metric (lsim sweep --metrics)` })
        .option('step', { type: 'string', describe: 'schedule block length (default 1h on runs of a day, else a twelfth of the run)' })
        .option('lead', { type: 'string', describe: 'how long before its block a raise is configured (default 2m: allocation takes a minute or two)' })
        .option('seed', { type: 'string', describe: "override the scenario's seed" })
        .option('format', { alias: 'f', choices: ['text', 'json'] as const, default: 'text' as 'text' | 'json' }),
    handler: async (argv) => {
      const args = argv as unknown as { scenario: string; function?: string; objective?: string; step?: string; lead?: string; seed?: string; format: 'text' | 'json' };
      const { file, text } = await scenarioSource(io, args.scenario);
      const r = planProvisioned({ file, text, fn: args.function, objective: args.objective, step: args.step, lead: args.lead, seed: args.seed });
      io.stdout.write(args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : escapeControls(provisionText(r)));
      if (r.proposal === null) throw new ExitStatus(3, 'no provisioned concurrency candidate meets the objectives (exit 3)');
    },
  };
}
