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
  const lines = section.split('\n');
  const first = lines.findIndex((l) => l.startsWith('| key |'));
  const end = lines.findIndex((l, i) => i > first && !l.startsWith('|'));
  const rows = lines.slice(first, end < 0 ? undefined : end).filter((l) => l.startsWith('| `'));
  // A row may name several keys in its first cell (`s3`, `sns`, `eventbridge`).
  return rows.flatMap((l) => [...l.split(' | ')[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]));
}

/** The first map a schema node describes (a block may be a map or a shorthand of it). */
function mapOf(node: Node | undefined): Node | undefined {
  if (node === undefined || node.properties) return node;
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    for (const alt of (node[k] as Node[] | undefined) ?? []) {
      const m = mapOf(alt);
      if (m) return m;
    }
  }
  return undefined;
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

  it('the tables of the top level, account, billing, functions, workloads, client, async, sqs and stream list exactly the keys the schema has', () => {
    const schema = scenarioJsonSchema() as Node;
    const root = schema.properties!;
    expect(tableKeys('## Top level').sort()).toEqual(keysOf(schema).sort());
    expect(tableKeys('## `functions`').sort()).toEqual(keysOf(root.functions.additionalProperties as Node).sort());
    expect(tableKeys('## `workloads`').sort()).toEqual(keysOf(root.workloads.items).sort());
    const workload = (root.workloads.items as Node).properties!;
    expect(tableKeys('### `client` (§3, §11 "Sync invocation and clients")').sort()).toEqual(keysOf(workload.client).sort());
    expect(tableKeys('## `account`').sort()).toEqual(keysOf(root.account).sort());
    expect(tableKeys('## `billing`').sort()).toEqual(keysOf(root.billing).sort());
    expect(tableKeys('### `async` (§4, §11 "Async invocation")').sort()).toEqual(keysOf(mapOf(workload.async)).sort());
    expect(tableKeys('### `sqs` (§5, §11 "SQS event source mapping")').sort()).toEqual(keysOf(mapOf(workload.sqs)).sort());
    expect(tableKeys('### `stream` (§6, §11 "Kinesis and DynamoDB Streams event source mapping")').sort()).toEqual(keysOf(mapOf(workload.stream)).sort());
  });

  it('the invoke row, and the schema\'s description of invoke, name every invocation model', () => {
    const row = doc.split('\n').find((l) => l.startsWith('| `invoke` |'))!;
    const type = row.split(' | ')[1];
    expect(type.match(/`([a-z]+)`/g)!.map((m) => m.slice(1, -1))).toEqual([...MODEL_NAMES]);
    // So does its description in lsim schema, the hover text of editors.
    const invoke = ((scenarioJsonSchema() as Node).properties!.workloads.items as Node).properties!.invoke as { description: string };
    for (const m of MODEL_NAMES) expect(invoke.description).toContain(m);
  });

  it('the freeTier row gives the defaults the loader fills in', () => {
    const row = doc.split('\n').find((l) => l.startsWith('| `freeTier` |'))!;
    expect(row).toContain('`provisionedFunctions: false`');
    expect(row).toContain('`streaming: false`, also under `true`');
    const base = 'duration: 1m\nfunctions:\n  f: { duration: 10ms }\nworkloads:\n  - { function: f, arrivals: { poisson: 1/s } }\n';
    for (const freeTier of ['true', '{ requests: true }']) {
      const ft = parseScenario(`${base}billing: { freeTier: ${freeTier} }\n`).billing.freeTier;
      expect({ freeTier, provisionedFunctions: ft.provisionedFunctions, streaming: ft.streaming }).toEqual({ freeTier, provisionedFunctions: false, streaming: false });
    }
  });
});
