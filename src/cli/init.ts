/**
 * Starting a model (issue 13.4): `lsim init` writes a commented scenario for
 * an invocation model, and `lsim schema` prints the JSON Schema of the format
 * for editors (src/scenario/json-schema.ts).
 */
import { existsSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { MODEL_NAMES, modelOf } from '../models/index.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';
import { writeFileWhole } from '../report/write.js';
import { resolveArg } from './input.js';
import type { CliIo } from './io.js';

/** The invocation models a template can be written for, in registry order (src/models/index.ts). */
export const MODELS: readonly string[] = MODEL_NAMES;
export type Model = string;

/** A commented scenario for `model` that validates and runs as written. */
export function scenarioTemplate(model: Model): string {
  const { about, init } = modelOf(model);
  const { fn, workload } = init;
  return `# yaml-language-server: $schema=lsim.schema.json
# (editor completion and checks: write the schema beside this file with  npx lsim schema > lsim.schema.json)
#
# An lsim scenario, invoke: ${model} — ${about}.
# Every key, unit and default: docs/scenario-reference.md of the lsim package.
# Check it with  npx lsim validate FILE  and run it with  npx lsim run FILE
name: my-${model}
description: Steady traffic with a burst, invoke ${model}
seed: 1                                # the same seed gives the same report
duration: 30m                          # how long to simulate: 90s, 30m, 8h30m, 1d
# warmup: 5m                           # metrics leave out what happens before this

account:
  concurrency: 1000                    # the account's concurrency quota

functions:
  ${fn}:
    memory: 1024MB                     # 128MB–10240MB; CPU grows with memory
    timeout: 10s                       # 1s–900s
    duration: { lognormal: { median: 120ms, p99: 900ms } }   # the handler's own time
    init: nodejs                       # cold starts: python, java, go, ruby, dotnet, container, or a distribution
    # reservedConcurrency: 100         # concurrency set aside for this function (and its cap)
    # provisionedConcurrency: { schedule: [{ at: 08:00, value: 20 }, { at: 20:00, value: 0 }] }   # clock times
    # errors: 0.01                     # share of invocations that fail

workloads:
  - name: ${workload}
    function: ${fn}
    invoke: ${model}
    arrivals:
      - { poisson: 20/s }              # steady traffic for the whole run
      - { at: 10m, for: 2m, poisson: 200/s }   # a burst on top
${init.block}`;
}

export function initCommand(io: CliIo): CommandModule {
  return {
    command: 'init',
    describe: 'Write a commented scenario to start from, for an invocation model',
    builder: (y: Argv) =>
      y
        .option('model', { alias: 'm', choices: MODELS, describe: 'invocation model (asked on a terminal; default sync)' })
        .option('out', { alias: 'o', type: 'string', default: 'scenario.yaml', describe: 'file to write, or - for stdout' })
        .option('force', { type: 'boolean', default: false, describe: 'overwrite the file if it exists' })
        .example('$0 init --model sqs --out orders.yaml', 'an SQS queue and its event source mapping'),
    handler: async (argv) => {
      const args = argv as unknown as { model?: Model; out: string; force: boolean };
      const text = scenarioTemplate(args.model ?? (await askModel(io)));
      if (args.out === '-') {
        io.stdout.write(text);
        return;
      }
      const path = resolveArg(io, args.out);
      if (existsSync(path) && !args.force) throw new UserError([{ file: args.out, message: 'already exists; give --force to overwrite it, or another --out' }]);
      writeFileWhole(path, text, '--out', args.out);
      io.stderr.write(`lsim: wrote ${args.out}; check it with  lsim validate ${args.out}  and run it with  lsim run ${args.out}\n`);
    },
  };
}

/** On a terminal, one question; elsewhere (scripts, CI) the default, sync. */
async function askModel(io: CliIo): Promise<Model> {
  if (!(io.stdin?.isTTY && io.stderr.isTTY)) return 'sync';
  io.stderr.write(`Invocation model?\n${MODELS.map((m) => `  ${m.padEnd(7)} ${modelOf(m).about}`).join('\n')}\nModel [sync]: `);
  let answer = '';
  for await (const chunk of io.stdin) {
    answer += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (answer.includes('\n')) break;
  }
  const model = answer.trim() || 'sync';
  if (!(MODELS as readonly string[]).includes(model)) throw new UserError(`"${model}" is not an invocation model; choose one of ${MODELS.join(', ')}`);
  return model as Model;
}

export function schemaCommand(io: CliIo): CommandModule {
  return {
    command: 'schema',
    describe: 'Print the JSON Schema of scenario files, for editor completion and checks',
    builder: (y: Argv) => y.example('$0 schema > lsim.schema.json', 'then start a scenario with  # yaml-language-server: $schema=lsim.schema.json'),
    handler: () => {
      io.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
    },
  };
}
