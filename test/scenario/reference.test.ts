import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { MODEL_NAMES } from '../../src/models/index.js';

const doc = readFileSync(new URL('../../docs/scenario-reference.md', import.meta.url), 'utf8');

type Node = { properties?: Record<string, Node>; additionalProperties?: Node | boolean; items?: Node; [k: string]: unknown };

/** The keys of the first table under `heading` (up to the next heading): the first cell of each row, unquoted. */
function tableKeys(heading: string): string[] {
  const start = doc.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(0);
  const rest = doc.slice(start + heading.length + 2);
  const section = rest.slice(0, rest.search(/\n#+ /) < 0 ? undefined : rest.search(/\n#+ /));
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.map((l) => /^\| `([^`]+)`/.exec(l)![1]);
}

function keysOf(node: Node | undefined): string[] {
  return Object.keys(node?.properties ?? {});
}

describe('docs/scenario-reference.md', () => {
  it('its complete example loads', () => {
    const example = doc.split('## A complete example')[1].split('```yaml\n')[1].split('```')[0];
    expect(parseScenario(example).name).toBe('burst');
  });

  it('every key of the schema is named in it', () => {
    const prose = doc.replace(/^```.*$/gm, '');
    const named = new Set([...prose.matchAll(/`([^`\n]+)`/g)].flatMap((m) => m[1].match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []));
    const missing = new Set<string>();
    const walk = (n: unknown): void => {
      if (n === null || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(walk);
      const node = n as Node;
      for (const k of Object.keys(node.properties ?? {})) if (!named.has(k)) missing.add(k);
      Object.values(node).forEach(walk);
    };
    walk(scenarioJsonSchema());
    expect([...missing]).toEqual([]);
  });

  it('the top-level, functions and workloads tables list exactly the keys the schema has', () => {
    const schema = scenarioJsonSchema() as Node;
    const root = schema.properties!;
    expect(tableKeys('## Top level').sort()).toEqual(keysOf(schema).sort());
    expect(tableKeys('## `functions`').sort()).toEqual(keysOf(root.functions.additionalProperties as Node).sort());
    expect(tableKeys('## `workloads`').sort()).toEqual(keysOf(root.workloads.items).sort());
    expect(tableKeys('### `client` (§3, §11 "Sync invocation and clients")').sort()).toEqual(keysOf((root.workloads.items as Node).properties!.client).sort());
  });

  it('the invoke row, and the schema\'s description of invoke, name every invocation model', () => {
    const row = doc.split('\n').find((l) => l.startsWith('| `invoke` |'))!;
    const type = row.split(' | ')[1];
    expect(type.match(/`([a-z]+)`/g)!.map((m) => m.slice(1, -1))).toEqual([...MODEL_NAMES]);
    // So does its description in lsim schema, the hover text of editors.
    const invoke = ((scenarioJsonSchema() as Node).properties!.workloads.items as Node).properties!.invoke as { description: string };
    for (const m of MODEL_NAMES) expect(invoke.description).toContain(m);
  });
});
