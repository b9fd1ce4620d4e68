// docs/tutorial.md and docs/howto/*.md show real commands with their real output. This test runs every
// ```sh command of those pages through main() in a scratch directory holding a copy of scenarios/ (one
// directory per page; the tutorial's steps share theirs, in order) and compares what each one prints.
// When the model changes an output, this test fails and the page has to be reread and updated by hand:
// its prose quotes the numbers (DOCS_ACTUAL=DIR keeps every command's real output in DIR to copy from).
//
// Markup (the HTML comments do not show on the rendered page):
//   ```sh                 commands, one a line: `npx lsim …` (run in-process), `cat FILE` or `head -n N FILE`;
//                         quoting as in sh ('…', "…", \), `\` at the end of a line continues it, `#` comments;
//                         anything that needs a real shell (| > < & ; $ globs, unquoted {} []) is refused
//   ```text               right after a ```sh block of one command: its output, stdout and stderr as a
//                         terminal shows them (in the order written; no colour, no progress), exactly
//   Excerpt:              a line of its own between the two blocks: the ```text block is an excerpt; its
//                         runs of lines, separated by lines "…", each appear whole and contiguous in the
//                         output, in that order
//   <!-- test: exit N -->  before a ```sh block: its commands exit with N (default 0)
//   <!-- test: file F -->  before a block: the reader writes it to F, and so does the test
//   <!-- test: patch F --> before a ```diff block: its "-" lines (with the " " context lines) are replaced
//                         by its "+" lines in F; they must occur in F exactly once
//   <!-- test: in F -->    before a block: an excerpt of F (a path in the repository), matched like output
// In the tutorial every command shows its output; a ```text block is always some command's output.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ensureBuilt } from '../helpers/build.js';

interface Block {
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
  markers: string[];
  /** Only blank lines and markers separate it from the previous block, or the line "Excerpt:". */
  adjacent: boolean;
  excerpt: boolean;
}

type Step =
  | { kind: 'run'; line: number; words: string[]; exit: number; output?: { text: string; excerpt: boolean } }
  | { kind: 'file'; line: number; file: string; text: string }
  | { kind: 'patch'; line: number; file: string; diff: string }
  | { kind: 'in'; line: number; file: string; text: string };

const MARKER = /^<!-- test: (.*?) -->$/;

function blocksOf(page: string, name: string): Block[] {
  const lines = page.split('\n');
  const blocks: Block[] = [];
  let markers: string[] = [];
  let gap: string[] | null = null; // prose lines since the last block (null: none yet)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    const fence = /^```(\S*)$/.exec(line);
    if (marker) markers.push(marker[1]);
    else if (fence) {
      const start = i;
      const body: string[] = [];
      while (++i < lines.length && lines[i] !== '```') body.push(lines[i]);
      if (i === lines.length) throw new Error(`${name}:${start + 1}: the block is never closed`);
      const excerpt = gap?.length === 1 && gap[0] === 'Excerpt:';
      blocks.push({ lang: fence[1], text: body.map((l) => l + '\n').join(''), line: start + 1, markers, adjacent: gap?.length === 0 || excerpt, excerpt });
      markers = [];
      gap = [];
      continue;
    } else if (line.trim() !== '') {
      if (markers.length) throw new Error(`${name}:${i + 1}: a test marker must come right before its block`);
      gap?.push(line);
    }
  }
  return blocks;
}

/** sh's word splitting and quoting, for the commands the pages show; anything else is refused. */
function commandsOf(text: string, where: string): string[][] {
  const out: string[][] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = () => {
    endWord();
    if (words.length) out.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      if (text[i + 1] !== '\n') word = (word ?? '') + text[i + 1];
      i++;
    } else if (c === "'") {
      const j = text.indexOf("'", i + 1);
      if (j < 0) throw new Error(`${where}: unclosed '`);
      word = (word ?? '') + text.slice(i + 1, j);
      i = j;
    } else if (c === '"') {
      let s = '';
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Error(`${where}: unclosed "`);
        if (/[$`!]/.test(text[i])) throw new Error(`${where}: "${text[i]}" inside double quotes needs a shell`);
        if (text[i] === '\\' && /["\\]/.test(text[i + 1])) i++;
        s += text[i];
      }
      word = (word ?? '') + s;
    } else if (c === '\n') endCommand();
    else if (c === ' ' || c === '\t') endWord();
    else if (c === '#' && word === null) {
      const eol = text.indexOf('\n', i);
      i = (eol < 0 ? text.length : eol) - 1; // the comment ends at the line's end
    }
    else if (/[|&;<>()$`*?~!{}[\]]/.test(c)) throw new Error(`${where}: unquoted "${c}" needs a shell (quote it)`);
    else word = (word ?? '') + c;
  }
  endCommand();
  return out;
}

function stepsOf(file: string): Step[] {
  const blocks = blocksOf(readFileSync(file, 'utf8'), file);
  const steps: Step[] = [];
  const markerArg = (b: Block, kind: string): string | undefined => b.markers.find((m) => m.startsWith(`${kind} `))?.slice(kind.length + 1);
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k];
    const where = `${file}:${b.line}`;
    const known = /^(exit \d+|file \S+|patch \S+|in \S+)$/;
    for (const m of b.markers) if (!known.test(m)) throw new Error(`${where}: unknown test marker "${m}"`);
    const [file_, patch, inFile] = [markerArg(b, 'file'), markerArg(b, 'patch'), markerArg(b, 'in')];
    if (b.lang === 'sh') {
      const commands = commandsOf(b.text, where);
      const next = blocks[k + 1];
      const output = next?.lang === 'text' && next.adjacent ? next : undefined;
      if (output && commands.length !== 1) throw new Error(`${where}: a block followed by output holds one command`);
      const exit = Number(markerArg(b, 'exit') ?? 0);
      for (const words of commands) {
        steps.push({ kind: 'run', line: b.line, words, exit, ...(output ? { output: { text: output.text, excerpt: output.excerpt } } : {}) });
      }
      if (output) k++;
    } else if (b.lang === 'text' && !inFile) throw new Error(`${where}: a text block that is no command's output`);
    else if (file_) steps.push({ kind: 'file', line: b.line, file: file_, text: b.text });
    else if (patch) steps.push({ kind: 'patch', line: b.line, file: patch, diff: b.text });
    else if (inFile) steps.push({ kind: 'in', line: b.line, file: inFile, text: b.text });
  }
  return steps;
}

/** Where `shown` (runs of lines separated by "…") fails to appear in order in `actual`, or null. */
function excerptMismatch(shown: string, actual: string): { run: string; rest: string } | null {
  const lines = actual.replace(/\n$/, '').split('\n');
  const runs: string[][] = [[]];
  for (const l of shown.replace(/\n$/, '').split('\n')) {
    if (l === '…') runs.push([]);
    else runs[runs.length - 1].push(l);
  }
  let at = 0;
  for (const run of runs.filter((r) => r.length > 0)) {
    let found = -1;
    for (let i = at; i + run.length <= lines.length && found < 0; i++) if (run.every((l, j) => lines[i + j] === l)) found = i;
    if (found < 0) return { run: run.join('\n'), rest: lines.slice(at).join('\n') };
    at = found + run.length;
  }
  return null;
}

function expectShown(shown: string, actual: string, excerpt: boolean, where: string): void {
  if (!excerpt) {
    expect(actual, where).toBe(shown);
    return;
  }
  const miss = excerptMismatch(shown, actual);
  if (miss) expect(miss.rest, `${where}: these lines of the excerpt are not in the output (after the lines matched before them)`).toContain(miss.run);
}

async function run(words: string[], cwd: string): Promise<{ code: number; output: string }> {
  if (words[0] === 'cat' && words.length === 2) return { code: 0, output: readFileSync(join(cwd, words[1]), 'utf8') };
  if (words[0] === 'head' && words[1] === '-n' && words.length === 4) {
    const text = readFileSync(join(cwd, words[3]), 'utf8');
    return { code: 0, output: text.split('\n').slice(0, Number(words[2])).map((l) => l + '\n').join('') };
  }
  if (words[0] !== 'npx' || words[1] !== 'lsim') throw new Error(`not a command this test runs: ${words.join(' ')}`);
  let output = '';
  const write = (s: string) => (output += s);
  // No terminal and an empty environment: no colour, no progress, whatever the test's own environment.
  const code = await main(words.slice(2), { stdout: { write }, stderr: { write }, cwd, env: {} });
  return { code, output: output.replaceAll(cwd + sep, '') };
}

async function perform(step: Step, cwd: string, where: string): Promise<void> {
  switch (step.kind) {
    case 'run': {
      const { code, output } = await run(step.words, cwd);
      // DOCS_ACTUAL=DIR keeps each command's output (DIR/<page>-<line>.txt) for the writer rereading a page.
      if (process.env.DOCS_ACTUAL) writeFileSync(join(process.env.DOCS_ACTUAL, `${where.replace(/[/:]/g, '-')}.txt`), output);
      expect(code, `${where}: exit code; it printed:\n${output}`).toBe(step.exit);
      if (step.output) expectShown(step.output.text, output, step.output.excerpt, where);
      return;
    }
    case 'file':
      writeFileSync(join(cwd, step.file), step.text);
      return;
    case 'patch': {
      const lines = step.diff.replace(/\n$/, '').split('\n');
      const side = (keep: string) => lines.filter((l) => l[0] === ' ' || l[0] === keep).map((l) => l.slice(1) + '\n').join('');
      if (lines.some((l) => !/^[ +-]/.test(l))) throw new Error(`${where}: a diff line starts with neither " ", "+" nor "-"`);
      const path = join(cwd, step.file);
      const text = readFileSync(path, 'utf8');
      expect(text.split(side('-')).length - 1, `${where}: the lines the diff replaces, in ${step.file}`).toBe(1);
      writeFileSync(path, text.replace(side('-'), side('+')));
      return;
    }
    case 'in':
      expectShown(step.text, readFileSync(step.file, 'utf8'), true, where);
  }
}

const scratchDirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lsim-docs-'));
  cpSync('scenarios', join(dir, 'scenarios'), { recursive: true });
  scratchDirs.push(dir);
  return dir;
}

function describePage(file: string, rules: (steps: Step[]) => void): void {
  describe(file, () => {
    const steps = stepsOf(file);
    const dir = scratch();
    it('follows the markup', () => rules(steps));
    for (const step of steps) {
      const where = `${file}:${step.line}`;
      const what = step.kind === 'run' ? step.words.join(' ') : `${step.kind} ${step.file}`;
      it(`line ${step.line}: ${what}`, () => perform(step, dir, where));
    }
  });
}

const HOWTO = 'docs/howto';
const howtos = readdirSync(HOWTO)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => join(HOWTO, f));

// `lsim sweep` runs its points in worker threads, which load the compiled worker from dist/.
beforeAll(() => ensureBuilt());
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

describePage('docs/tutorial.md', (steps) => {
  const runs = steps.filter((s) => s.kind === 'run');
  for (const s of runs) expect(s.output, `docs/tutorial.md:${s.line}: ${s.words.join(' ')} shows its output`).toBeDefined();
  expect(readFileSync('docs/tutorial.md', 'utf8').match(/^## \d+\. /gm)).toHaveLength(10);
});

for (const file of howtos) {
  describePage(file, (steps) => {
    expect(steps.filter((s) => s.kind === 'run' && s.words[1] === 'lsim').length, `${file} runs lsim`).toBeGreaterThan(0);
  });
}

describe('the markup', () => {
  it('excerpts: runs of lines, whole and contiguous, in order', () => {
    const out = 'a\nb\nc\nd\n';
    expect(excerptMismatch('a\nb\n…\nd\n', out)).toBeNull();
    expect(excerptMismatch('…\nc\n', out)).toBeNull();
    expect(excerptMismatch('a\nc\n', out)).not.toBeNull(); // a line left out without "…"
    expect(excerptMismatch('c\n…\na\n', out)).not.toBeNull(); // out of order
    expect(excerptMismatch('b\n…\nb\n', out)).not.toBeNull(); // a line matched twice
    expect(excerptMismatch('…\nd \n', out)).not.toBeNull(); // whole lines only
  });

  it('commands: sh quoting, continuations and comments; anything needing a shell is refused', () => {
    expect(commandsOf(`npx lsim run a.yaml --set 'x[1]={ a: 1 }' \\\n  --objective "p99<=1s"  # why\n# alone\ncat f\n`, 'x')).toEqual([
      ['npx', 'lsim', 'run', 'a.yaml', '--set', 'x[1]={ a: 1 }', '--objective', 'p99<=1s'],
      ['cat', 'f'],
    ]);
    for (const bad of ['npx lsim run a.yaml > out.txt', 'npx lsim run a.yaml | head', 'npx lsim validate scenarios/*.yaml', 'npx lsim run --set x[1]=2 a.yaml']) {
      expect(() => commandsOf(bad, 'x'), bad).toThrow(/needs a shell/);
    }
  });
});

describe('links', () => {
  it('the tutorial and README link every how-to page, and every relative link of these pages resolves', () => {
    const pages = ['README.md', 'docs/tutorial.md', ...howtos];
    for (const page of pages) {
      const text = readFileSync(page, 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        expect(existsSync(join(dirname(page), target)), `${page} links ${target}`).toBe(true);
      }
    }
    for (const h of howtos) {
      expect(readFileSync('README.md', 'utf8'), `README.md links ${h}`).toContain(`(${h})`);
      expect(readFileSync('docs/tutorial.md', 'utf8'), `docs/tutorial.md links ${h}`).toContain(`(${h.replace('docs/', '')})`);
    }
  });
});
