// Scenario files that are not what they claim, for every command that reads one (run, validate, sweep,
// provision, play read it through one function): exit 2, the file (and where it applies the line and
// column) named, no stack trace, and no wait on a FIFO.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cli, STACK } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lsim-scenario-files-'));
const at = (name: string, bytes: string | Uint8Array) => {
  writeFileSync(join(dir, name), bytes);
  return name;
};
/** stderr with the folder taken out (`run` names the file by its resolved path, the others as given). */
const named = (stderr: string) => stderr.replaceAll(`${dir}/`, '');
const VALID = 'duration: 1m\nfunctions:\n  f: { duration: 1ms }\nworkloads:\n  - { function: f, arrivals: { constant: 1/s } }\n';

describe('scenario files that are not UTF-8 text, not regular files or too large', () => {
  const commands = (file: string) => [
    ['run', file],
    ['validate', file],
    ['sweep', file, '--vary', 'functions.f.memory=1GB,2GB'],
    ['provision', file],
  ];

  it('a Latin-1 byte is refused at its line and column (it became U+FFFD in the name and the reports)', async () => {
    const file = at('latin1.yaml', Buffer.concat([Buffer.from('name: caf'), Buffer.from([0xe9]), Buffer.from('\n' + VALID)]));
    for (const args of commands(file)) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(named(r.stderr)).toBe('lsim: latin1.yaml:1:10: byte 0xe9, which is not UTF-8: a scenario is YAML text in UTF-8 (save it as UTF-8)\n');
    }
  });

  it('a NUL byte, overlong and surrogate forms and a cut sequence are refused; UTF-8 with a BOM is read', async () => {
    const cases: [number[], string][] = [
      [[0x00], 'a NUL byte'],
      [[0xc0, 0xaf], 'byte 0xc0'], // overlong '/'
      [[0xed, 0xa0, 0x80], 'byte 0xed'], // U+D800, a surrogate
      [[0xf4, 0x90, 0x80, 0x80], 'byte 0xf4'], // past U+10FFFF
      [[0xe2, 0x82], 'byte 0xe2'], // cut by the end of the file
    ];
    for (const [bytes, what] of cases) {
      const file = at('bad.yaml', Buffer.concat([Buffer.from(VALID + '# x'), Buffer.from(bytes)]));
      const r = await cli(['validate', file], { cwd: dir });
      expect(r.code).toBe(2);
      expect(named(r.stderr)).toMatch(new RegExp(`^lsim: bad\\.yaml:6:4: ${what}`));
    }
    const bom = at('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: café\n' + VALID)]));
    const ok = await cli(['run', bom], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^lsim · café · /);
  });

  it('standard input is held to the same rule', async () => {
    const r = await cli(['validate', '-'], { cwd: dir, stdin: Readable.from([Buffer.from('name: caf'), Buffer.from([0xe9, 0x0a])]) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^lsim: <stdin>:1:10: byte 0xe9, which is not UTF-8/);
  });

  it('a scenario over 10 MB is refused before it is read, by sweep and provision too (they read all of it)', async () => {
    const file = at('big.yaml', '');
    truncateSync(join(dir, file), 11 * 1024 * 1024);
    for (const args of commands(file)) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(named(r.stderr)).toBe('lsim: big.yaml: is 11.0 MB; a scenario file may be at most 10 MB\n');
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('a FIFO is refused without opening it (opening waits for a writer, past any signal)', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
    for (const args of commands('fifo.yaml')) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(named(r.stderr)).toBe('lsim: fifo.yaml: is not a regular file\n');
    }
  });

  it('a directory is refused as one, by every command that reads a scenario (docs/reliability.md "Input files")', async () => {
    mkdirSync(join(dir, 'd.yaml'));
    for (const args of commands('d.yaml')) {
      const r = await cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      expect(named(r.stderr)).toBe('lsim: d.yaml: is a directory, not a scenario file\n');
    }
    const table = readFileSync('docs/reliability.md', 'utf8');
    expect(table).toContain('| a scenario that is a directory | `d.yaml: is a directory, not a scenario file` |');
    expect(table).toContain('`f.yaml: is not a regular file` |');
  });
});
