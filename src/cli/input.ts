/**
 * Where the commands' scenarios come from: a file, or standard input for `-`
 * (`cat s.yaml | lsim run -`), which messages then name `<stdin>`. Standard
 * input is read once per call of `main`, whichever commands ask for it.
 */
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { loadScenarioFile, MAX_SCENARIO_BYTES, parseScenario, readScenarioText, scenarioText } from '../scenario/load.js';
import type { Override } from '../scenario/overrides.js';
import type { Scenario } from '../models/index.js';
import { checkReportDir } from '../report/write.js';
import type { CliIo } from './io.js';

/** The file name of standard input in messages. */
export const STDIN_FILE = '<stdin>';
/** The name of a scenario read from standard input that has no `name`. */
const STDIN_NAME = 'stdin';

/** A path relative to the caller's directory; kept as typed when that is the process's own, so messages show it as given. */
export function resolveArg(io: CliIo, p: string): string {
  return isAbsolute(p) || io.cwd === process.cwd() ? p : resolve(io.cwd, p);
}

/**
 * Refuses, before any work, an `--out` report directory lsim cannot replace as a whole (src/report/write.ts
 * `checkReportDir`: empty, `/`, the current directory or one above it, a file, foreign files, ...).
 */
export function checkOut(io: CliIo, out: string | undefined): void {
  if (out !== undefined) checkReportDir(resolveArg(io, out), out, io.cwd);
}

const stdinTexts = new WeakMap<CliIo, Promise<string>>();

/** All of standard input as text (at most a scenario's size limit), read on first use. @throws UserError */
export function stdinText(io: CliIo): Promise<string> {
  let text = stdinTexts.get(io);
  if (!text) {
    text = readAll(io);
    stdinTexts.set(io, text);
  }
  return text;
}

async function readAll(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UserError([{ file: STDIN_FILE, message: 'there is no standard input to read' }]);
  if (io.stdin.isTTY) io.stderr.write('lsim: reading the scenario from the terminal; end it with Ctrl-D\n');
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of io.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += b.length;
    if (bytes > MAX_SCENARIO_BYTES) throw new UserError([{ file: STDIN_FILE, message: 'is more than 10 MB; a scenario may be at most 10 MB' }]);
    chunks.push(b);
  }
  return scenarioText(Buffer.concat(chunks), STDIN_FILE);
}

/** Loads a scenario named on the command line (`-`: standard input), with overrides and an optional seed. */
export async function loadForCli(io: CliIo, arg: string, overrides: readonly Override[] = [], seed?: string): Promise<Scenario> {
  const scenario =
    arg === '-'
      ? parseScenario(await stdinText(io), STDIN_FILE, { overrides, name: STDIN_NAME })
      : loadScenarioFile(resolveArg(io, arg), { overrides });
  scenario.file = arg === '-' ? STDIN_FILE : arg;
  if (seed !== undefined) scenario.seed = seed;
  return scenario;
}

/** A scenario's text and its name in messages, for commands that parse it themselves (sweep). */
export async function scenarioSource(io: CliIo, arg: string): Promise<{ file: string; text: string }> {
  return arg === '-' ? { file: STDIN_FILE, text: await stdinText(io) } : { file: arg, text: readScenarioText(resolveArg(io, arg), arg) };
}
