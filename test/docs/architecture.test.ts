// docs/architecture.md, docs/model.md and docs/api.md name files and random streams of src/; each has to exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `${…}` in code and `<…>` in the docs both stand for a part of a name. */
const blank = (name: string) => name.replace(/\$\{[^}]*\}|<[^>]*>/g, '<>');

/** Every name src/ passes to `RngStreams.stream`, its variable parts blanked. */
function streamNames(): Set<string> {
  const names = new Set<string>();
  for (const f of sources('src')) {
    const text = readFileSync(f, 'utf8');
    // The prefixes a file builds its names from (`const prefix = \`fn/${spec.name}/\``).
    const bound = new Map([...text.matchAll(/const (\w+) = `([^`]*)`;/g)].map((m) => [m[1], m[2]]));
    for (const m of text.matchAll(/\.stream\((?:(\w+) \+ '([^']*)'|`([^`]*)`)\)/g)) {
      const name = m[3] !== undefined ? m[3].replace(/\$\{(\w+)\}/g, (all, v: string) => bound.get(v) ?? all) : `${bound.get(m[1])}${m[2]}`;
      expect(name, `${f}: a stream name from an unknown prefix`).not.toMatch(/^undefined/);
      names.add(blank(name));
    }
  }
  return names;
}

describe('docs/architecture.md', () => {
  const doc = readFileSync('docs/architecture.md', 'utf8');

  it('"Randomness" lists every random stream src/ draws from, and no other', () => {
    const start = doc.indexOf('**Randomness.**');
    const paragraph = doc.slice(start, doc.indexOf('Each is a xoshiro128', start));
    const listed = new Set([...paragraph.matchAll(/`((?:fn|wl|trace)\/[^`]+)`/g)].map((m) => blank(m[1])));
    const drawn = streamNames();
    expect(drawn.size).toBeGreaterThan(20);
    expect([...drawn].filter((n) => !listed.has(n)), 'drawn in src/, not listed').toEqual([]);
    expect([...listed].filter((n) => !drawn.has(n)), 'listed, not drawn in src/').toEqual([]);
  });

  it.each(['docs/architecture.md', 'docs/model.md', 'docs/api.md'])('every file of src/, test/, bench/ and scripts/ that %s names exists', (path) => {
    const text = readFileSync(path, 'utf8');
    const named = new Set([...text.matchAll(/\b((?:src|test|bench|scripts)\/[\w./-]*\w)/g)].map((m) => m[1]));
    expect(named.size).toBeGreaterThan(2);
    expect([...named].filter((p) => !existsSync(p))).toEqual([]);
  });
});
