// scenarios/traces/*.csv are what the commands in their source scenarios' headers write, byte for byte:
// after a change to the random streams or the generator, the header's command regenerates them.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('scenarios/traces', () => {
  it.each(['invoices', 'storefront-day'])('%s.csv is what the command in its .yaml writes', async (name) => {
    const source = readFileSync(`scenarios/traces/${name}.yaml`, 'utf8');
    // "#   npx lsim trace generate … \" then "#     … --out scenarios/traces/NAME.csv"
    const command = /^# Regenerate with:\n#\s+(npx lsim .*?)\s*\\\n#\s+(.*)$/m.exec(source);
    expect(command, 'the header names its command').not.toBeNull();
    const words = `${command![1]} ${command![2]}`.split(/\s+/);
    expect(words.slice(0, 4)).toEqual(['npx', 'lsim', 'trace', 'generate']);
    const out = words.indexOf('--out');
    expect(words[out + 1]).toBe(`scenarios/traces/${name}.csv`);
    const file = join(mkdtempSync(join(tmpdir(), 'lsim-traces-')), `${name}.csv`);
    words[out + 1] = file;
    const r = await cli(words.slice(2));
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8') === readFileSync(`scenarios/traces/${name}.csv`, 'utf8')).toBe(true);
  });
});
