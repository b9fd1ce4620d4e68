// The --help texts state defaults the docs state too; each has to be the one the code applies.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

/** A --help text with its wrapping undone (yargs breaks long descriptions over lines). */
async function helpOf(command: string): Promise<string> {
  const r = await cli([command, '--help']);
  expect(r.code).toBe(0);
  return r.stdout.replace(/\s+/g, ' ');
}

describe('--help agrees with what the command does', () => {
  it('provision: the default objective is the one the planner applies, and the one the docs quote', async () => {
    expect(await helpOf('provision')).toContain('--objective default "coldStartRate@<function><=0.01%"');
    const r = await cli(['provision', 'scenarios/teaching.yaml']);
    expect(r.stdout).toContain('objectives: coldStartRate@api<=0.01% ·');
    expect(readFileSync('README.md', 'utf8')).toContain('(default `coldStartRate@F<=0.01%`');
    expect(readFileSync('docs/howto/provisioned-concurrency.md', 'utf8')).toContain('`coldStartRate@NAME<=0.01%`');
  });
});
