/**
 * `lsim play [scenarios..] [--out DIR]` (issue 20): the teaching playground, one self-contained offline
 * HTML page (src/play/page.ts). Each scenario file given is checked as `lsim validate` checks it (a
 * located message and exit 2 when refused) and becomes a starting point before the shipped lessons.
 * The page goes to standard output, or to DIR/playground.html with --out.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { Argv, CommandModule } from 'yargs';
import { writeFileWhole } from '../report/write.js';
import { parseScenario } from '../scenario/load.js';
import { fileStart, playPage } from '../play/page.js';
import { resolveArg, scenarioSource } from './input.js';
import type { CliIo } from './io.js';

export function playCommand(io: CliIo): CommandModule {
  return {
    command: 'play [scenarios..]',
    describe: 'Write the teaching playground: one offline HTML page that runs the simulator with controls and lessons',
    builder: (y: Argv) =>
      y
        .positional('scenarios', { type: 'string', array: true, describe: 'scenario YAML files to start from (- for standard input); the lessons follow' })
        .option('out', { alias: 'o', type: 'string', describe: 'write DIR/playground.html instead of printing the page' })
        .example('$0 play scenarios/teaching.yaml --out playground', 'then open playground/playground.html'),
    handler: async (argv) => {
      const args = argv as unknown as { scenarios?: string[]; out?: string };
      if (args.out !== undefined && isFile(resolveArg(io, args.out))) {
        throw new UserError(`--out ${args.out}: is a file, not a directory; --out names the directory playground.html is written into`);
      }
      const starts = [];
      for (const [i, arg] of (args.scenarios ?? []).entries()) {
        const { file, text } = await scenarioSource(io, arg);
        parseScenario(text, file);
        starts.push(fileStart(file, text, i));
      }
      const page = playPage(starts);
      if (args.out === undefined) io.stdout.write(page);
      else {
        const path = join(resolveArg(io, args.out), 'playground.html');
        writeFileWhole(path, page, '--out', join(args.out, 'playground.html'));
        io.stderr.write(`lsim: wrote ${join(args.out, 'playground.html')}\n`);
      }
    },
  };
}

/** Whether `path` is there and is not a directory (a path through a file is left to the writer's message). */
function isFile(path: string): boolean {
  return existsSync(path) && !statSync(path).isDirectory();
}
