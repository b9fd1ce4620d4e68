// Start-up (issue 21): `lsim run` command lines read without yargs (fastRunArgs in src/cli/main.ts)
// give the same output, exit code and files as the same lines read by yargs, and every line the fast
// reader is unsure of goes to yargs, so yargs's messages are unchanged.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fastRunArgs } from '../../src/cli/main.js';
import { cli } from '../helpers/cli.js';

const FILE = 'scenarios/steady-api.yaml';

describe('fastRunArgs', () => {
  it('reads run lines with a scenario first and run options spelled in full', () => {
    expect(fastRunArgs(['run', FILE])).toEqual({ scenario: FILE, format: 'text' });
    expect(fastRunArgs(['run', '-', '-f', 'json', '--seed', '7', '--summary'])).toEqual({ scenario: '-', format: 'json', seed: '7', summary: true });
    expect(fastRunArgs(['run', FILE, '--format=csv', '-o', 'out', '--records', 'r.csv', '--no-progress', '--allow-large'])).toEqual({
      scenario: FILE,
      format: 'csv',
      out: 'out',
      records: 'r.csv',
      progress: false,
      allowLarge: true,
    });
  });

  it('leaves everything else to yargs', () => {
    for (const argv of [
      ['run'],
      ['validate', FILE],
      ['run', '--format', 'json', FILE], // the scenario not first
      ['run', FILE, '--set', 'functions.f.memory=2GB'], // --set takes several values
      ['run', FILE, '--formt', 'json'], // misspelt
      ['run', FILE, '--format', 'yaml'], // not a choice
      ['run', FILE, '--format'], // no value
      ['run', FILE, '--out', '-x'], // a value like an option
      ['run', FILE, '--seed', '1', '--seed', '2'], // twice
      ['run', FILE, '--progress', '--no-progress'],
      ['run', FILE, 'second.yaml'],
      ['run', FILE, '--help'],
      ['run', FILE, '--allowLarge'], // yargs's camelCase twin
      ['run', FILE, '--summary=true'],
    ])
      expect(fastRunArgs(argv), argv.join(' ')).toBeNull();
  });
});

describe('lsim run through the fast reader and through yargs', () => {
  // The second line of each pair puts an option before the scenario, so yargs reads it.
  const pairs: [string[], string[]][] = [
    [['run', FILE], ['run', '--seed', '7', FILE]],
    [['run', FILE, '--format', 'json', '--seed', '3'], ['run', '--seed', '3', FILE, '-f', 'json']],
    [['run', FILE, '--summary', '-f', 'csv'], ['run', '--summary', FILE, '--format=csv']],
    [['run', 'no-such-file.yaml'], ['run', '--seed', '1', 'no-such-file.yaml']],
  ];
  it.each(pairs)('%j gives what yargs gives', async (fast, slow) => {
    expect(fastRunArgs(fast)).not.toBeNull();
    const a = await cli(fast);
    const b = await cli(slow);
    expect(a.code).toBe(b.code);
    expect(a.stderr).toBe(b.stderr);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length + a.stderr.length).toBeGreaterThan(20);
  });

  it('writes the same report files with --out', async () => {
    const d1 = mkdtempSync(join(tmpdir(), 'lsim-fast-'));
    const d2 = mkdtempSync(join(tmpdir(), 'lsim-fast-'));
    expect((await cli(['run', FILE, '--out', d1, '-f', 'json'])).code).toBe(0);
    expect((await cli(['run', '-f', 'json', FILE, '-o', d2])).code).toBe(0);
    const files = readdirSync(d1).sort();
    expect(files).toEqual(readdirSync(d2).sort());
    expect(files.length).toBe(7);
    for (const f of files) expect(readFileSync(join(d1, f), 'utf8'), f).toBe(readFileSync(join(d2, f), 'utf8'));
  });
});
