/**
 * Rules every command's options keep, applied once for all of them (src/cli/main.ts):
 *
 * - An option that takes a value takes the next argument whatever it looks like
 *   ({@link takeOneValue}): `--duration -1ms` reaches the duration's own check, as
 *   `--duration=-1ms` does, instead of being read as the flags -1, -m and -s.
 * - A single-valued option given more than once is refused ({@link optionProblems}):
 *   yargs would make a list of the values, which no handler expects.
 * - An empty value is refused (an empty path, an empty seed), and so is a number
 *   option whose value is not a number (yargs makes it NaN).
 */
import type { Argv, CommandModule } from 'yargs';
import type { Problem } from '../errors.js';

/** What yargs's getOptions() holds (yargs 18; not in its typings). */
export interface ParsedOptions {
  key: Record<string, unknown>;
  alias: Record<string, string[]>;
  array: string[];
  boolean: string[];
  string: string[];
  number: string[];
  choices: Record<string, unknown>;
}

export function optionsOf(y: unknown): ParsedOptions {
  return (y as { getOptions(): ParsedOptions }).getOptions();
}

/** The positionals of a command string: `run <scenario>` → scenario, `play [scenarios..]` → scenarios. */
export function positionals(command: string): string[] {
  return [...command.matchAll(/[<[]([\w-]+)(?:\.\.)?[>\]]/g)].map((m) => m[1]);
}

/** Options that take a value: strings, numbers and choices, not lists, flags or positionals. */
function valued(o: ParsedOptions, skip: readonly string[]): string[] {
  const lists = new Set(o.array);
  const flags = new Set(o.boolean);
  return [...new Set([...o.string, ...o.number, ...Object.keys(o.choices)])].filter((k) => !lists.has(k) && !flags.has(k) && !skip.includes(k));
}

/**
 * The command with every option that takes a value made to take exactly the next argument (yargs's
 * `nargs: 1`), even one that starts with "-" and a digit (`--duration -1ms`, `--guard -1%`).
 */
export function takeOneValue(c: CommandModule): CommandModule {
  const builder = c.builder;
  if (typeof builder !== 'function') return c;
  const skip = positionals(String(c.command));
  return {
    ...c,
    builder: (y: Argv) => {
      const built = (builder(y) ?? y) as Argv;
      const o = optionsOf(built);
      for (const key of valued(o, skip)) built.nargs(key, 1);
      return built;
    },
  };
}

/** How an option is typed: `--out`, `-o`. */
export function flag(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** The options that name paths, and what an empty one should have been. */
const PATHS: Record<string, (command: string) => string> = {
  out: (command) => (command === 'init' || command === 'trace' ? 'give a file name' : 'give a directory'),
  records: () => 'give a file name',
};

/** A value in a message: as typed, "" when empty. */
function shown(v: unknown): string {
  return v === '' ? '""' : String(v);
}

/** `a and b`, `a, b and c`. */
function listed(values: readonly unknown[]): string {
  const s = values.map(shown);
  return s.length < 2 ? s.join('') : `${s.slice(0, -1).join(', ')} and ${s[s.length - 1]}`;
}

/** The value typed after `--name` (or an alias) in `argv`, the last one when given more than once. */
function typed(argv: readonly string[], names: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    for (const n of names) {
      const f = flag(n);
      if (argv[i] === f && i + 1 < argv.length) found = argv[i + 1];
      else if (argv[i].startsWith(`${f}=`)) found = argv[i].slice(f.length + 1);
    }
  }
  return found;
}

/**
 * What is wrong with the options yargs parsed, for `command`: a single-valued option given more than
 * once (`--out given twice (a and b): give it once`), an empty value, a number that is not one.
 * `argv`: the arguments as typed (for the text of a number yargs made NaN); `skip`: the command's
 * positionals, which are not options.
 */
export function optionProblems(parsed: Record<string, unknown>, o: ParsedOptions, command: string, argv: readonly string[], skip: readonly string[] = []): Problem[] {
  const keys = Object.keys(o.key);
  const aliases = new Set(Object.values(o.alias).flat());
  // yargs lists camelCase twins of dashed options (allowLarge for allow-large) and aliases (o for out): the option is its own name.
  const own = keys.filter((k) => !aliases.has(k) && !(/[A-Z]/.test(k) && keys.includes(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`))));
  const lists = new Set(o.array);
  const numbers = new Set(o.number);
  const problems: Problem[] = [];
  for (const key of own) {
    if (skip.includes(key) || lists.has(key) || (o.alias[key] ?? []).some((a) => lists.has(a))) continue;
    const value = parsed[key];
    const name = flag(key);
    if (Array.isArray(value)) {
      const times = value.length === 2 ? 'twice' : `${value.length} times`;
      problems.push({ message: `${name} given ${times} (${listed(value)}): give it once` });
    } else if (value === '' || (typeof value === 'string' && value.trim() === '' && !(key in PATHS))) {
      problems.push({ path: name, message: key in PATHS ? `the path is empty; ${PATHS[key](command)}` : 'the value is empty; give one, or leave the option out' });
    } else if (numbers.has(key) && typeof value === 'number' && !Number.isFinite(value)) {
      // NaN (not a number) or ±Infinity (`1e400`, `Infinity`): no option of lsim's takes an infinite amount.
      const text = typed(argv, [key, ...(o.alias[key] ?? [])]);
      problems.push({ path: name, message: `expected a ${Number.isNaN(value) ? '' : 'finite '}number, got ${text === undefined ? String(value) : JSON.stringify(text)}` });
    }
  }
  return problems;
}
