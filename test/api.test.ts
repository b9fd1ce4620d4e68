// docs/api.md: its example runs against the built package through the `exports` map (a self-reference
// to 'lsim' from the package's own folder) and prints what the page says it prints.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';

describe('docs/api.md', () => {
  it('its example prints its output', () => {
    ensureBuilt();
    const page = readFileSync('docs/api.md', 'utf8').split('## Example')[1];
    const [code, output] = [page.split('```js\n')[1].split('```')[0], page.split('prints (')[1].split('```\n')[1].split('```')[0]];
    expect(execFileSync(process.execPath, ['--input-type=module'], { input: code, encoding: 'utf8' })).toBe(output);
  });
});
