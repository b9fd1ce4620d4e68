// `lsim play` (issue 20): the page on stdout or in --out DIR/playground.html; a scenario file it cannot
// use is a located message and exit 2, with no stack trace and no file written.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, STACK } from '../helpers/cli.js';
import { ensureBuilt } from '../helpers/build.js';

describe('lsim play', () => {
  it('writes the page to --out DIR/playground.html, starting from the files given, then the lessons', async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'lsim-play-cli-'));
    const out = join(dir, 'pg');
    const r = await cli(['play', 'scenarios/teaching.yaml', 'scenarios/burst.yaml', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const page = readFileSync(join(out, 'playground.html'), 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="play-data">(.*?)<\/script>/s.exec(page)![1]) as { starts: { title: string; yaml: string }[] };
    expect(data.starts.map((s) => s.title)).toEqual([
      'Your scenario: scenarios/teaching.yaml',
      'Your scenario: scenarios/burst.yaml',
      'Why did this burst throttle?',
      'What does provisioned concurrency buy?',
      'SQS vs async under an outage',
      'Why 100 ms billing cost more',
    ]);
    expect(data.starts[0].yaml).toBe(readFileSync('scenarios/teaching.yaml', 'utf8'));
  });

  it('prints the page without --out, also from standard input', async () => {
    const r = await cli(['play', '-'], { stdin: [readFileSync('scenarios/teaching.yaml', 'utf8')] });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).toContain('Your scenario: &lt;stdin&gt;');
  });

  it('refuses a missing file and a bad scenario with a located message, exit 2, nothing written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsim-play-bad-'));
    const missing = await cli(['play', join(dir, 'nope.yaml'), '--out', join(dir, 'out')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml: file not found');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'duration: 1m\nfunctions:\n  f: { duration: 1ms, memry: 512MB }\nworkloads:\n  - function: f\n    arrivals: { poisson: 1/s }\n');
    const r = await cli(['play', bad, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:3:\d+: functions\.f\.memry: .*did you mean "memory"/);
    for (const e of [missing, r]) expect(e.stderr).not.toMatch(STACK);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
