// The shape of src/ (docs/architecture.md "Layout"): imports go one way down the layers, there are no
// import circles, and code outside src/models/<model>/ reaches a model only through the registry.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '../..');

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FILES = sources('src');
/** Every relative import (type-only ones too), resolved to a path under src/. */
const IMPORTS = new Map(
  FILES.map((f) => {
    const text = readFileSync(join(ROOT, f), 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => normalize(join(dirname(f), m[1])).replace(/\.js$/, '.ts'));
    return [f, targets];
  }),
);

/**
 * The layers, top to bottom: cli → plan/report → sim and the scenario loader → models → platform →
 * engine/metrics/workload/billing → scenario types and shared leaves (with the price books and the
 * calendar, which they name). A file imports only its own layer or lower ones.
 */
function layer(f: string): number {
  const p = relative('src', f).split('/');
  if (p.length === 1) return p[0] === 'index.ts' ? 7 : 0; // the library API; errors.ts, format.ts
  // The price sheet and the calendar are data the scenario's types name; they import nothing of lsim but errors.
  if (f === 'src/billing/pricebook.ts' || f === 'src/billing/service-prices.ts' || f === 'src/billing/month.ts') return 0;
  if (p[0] === 'scenario') return ['load.ts', 'schema.ts', 'json-schema.ts', 'overrides.ts'].includes(p[1]) ? 4 : 0;
  const byFolder: Record<string, number> = { cli: 6, play: 5, plan: 5, report: 5, sim: 4, models: 3, platform: 2, engine: 1, metrics: 1, workload: 1, billing: 1 };
  if (!(p[0] in byFolder)) throw new Error(`${f}: a folder with no layer; add it to this test and to docs/architecture.md`);
  return byFolder[p[0]];
}

describe('src/ layers', () => {
  it('every import goes to the same layer or a lower one', () => {
    const upward = FILES.flatMap((f) => IMPORTS.get(f)!.filter((t) => layer(t) > layer(f)).map((t) => `${f} → ${t}`));
    expect(upward).toEqual([]);
  });

  it('there are no import circles', () => {
    // Depth-first search for a back edge; reports the first circle found.
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (f: string, path: string[]): void => {
      state.set(f, 'open');
      for (const t of IMPORTS.get(f) ?? []) {
        if (!IMPORTS.has(t)) continue;
        if (state.get(t) === 'open') circles.push([...path.slice(path.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t, [...path, t]);
      }
      state.set(f, 'done');
    };
    for (const f of FILES) if (!state.has(f)) visit(f, [f]);
    expect(circles).toEqual([]);
  });

  it('outside src/models/, only the CLI reaches into a model folder (trace generate writes the formats sync replays); the rest asks the registry', () => {
    const into = FILES.filter((f) => !f.startsWith('src/models/') && !f.startsWith('src/cli/')).flatMap((f) =>
      IMPORTS.get(f)!.filter((t) => /^src\/models\/[^/]+\//.test(t)).map((t) => `${f} → ${t}`),
    );
    expect(into).toEqual([]);
  });

  it('model folders do not import one another (shared pieces live in src/models/*.ts)', () => {
    const model = (f: string) => /^src\/models\/([^/]+)\//.exec(f)?.[1];
    const across = FILES.filter((f) => model(f)).flatMap((f) => IMPORTS.get(f)!.filter((t) => model(t) && model(t) !== model(f)).map((t) => `${f} → ${t}`));
    expect(across).toEqual([]);
  });
});
