/**
 * Scenario overrides: `--set key=value` (lsim compare) and, for sweeps, any tool
 * that wants to change a key of a scenario without editing its file.
 *
 * An override is applied to the parsed YAML *document*, before validation, so a
 * bad value is reported by the loader like any other problem: located at the
 * place in the file where the replaced value was (or the deepest existing key),
 * with the key path, and tagged with the `--set` that put it there.
 *
 * Paths: keys separated by dots, list items by index (`workloads[0]`) or, in a
 * list of maps with a `name` key, by name (`workloads.checkout-sync.client.maxAttempts`,
 * `workloads[checkout-sync]`); odd keys quoted (`functions["a.b"].memory`).
 * Missing map keys are created (`billing.granularity=100ms` works on a scenario
 * without a `billing` block), except where a key is a name the scenario
 * defines: `functions.nope.memory=2GB` is an error naming the functions there
 * are, since creating `nope` would make a function of one key; a whole new
 * function is given whole (`functions.extra={ duration: 50ms }`). Lists are
 * never extended: an index past the end or a name no item has is an error.
 * Values are YAML: `2048MB`, `100`, `true`, `{ poisson: 50/s }`, `[a, b]`.
 *
 * A key inside an anchored node (`&morning`) changes every alias of it: the YAML
 * document shares the node.
 */
import { isAlias, isMap, isNode, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import { UserError } from '../errors.js';
import { didYouMean } from './fields.js';

export type OverridePath = (string | number)[];

export interface Override {
  /** The key path, e.g. ['functions', 'api', 'memory']. A string key on a list selects the item by its `name`. */
  path: OverridePath;
  /** The value, as YAML text. */
  value: string;
  /** How the user wrote it, for messages: `--set functions.api.memory=2048MB`. */
  source: string;
}

/** Parses `key.path=value`. @throws UserError on a malformed argument. */
export function parseOverride(arg: string, flag = '--set'): Override {
  const eq = arg.indexOf('=');
  const source = `${flag} ${arg}`;
  if (eq <= 0) throw new UserError(`${source}: expected key.path=value, e.g. functions.api.memory=2048MB`);
  const path = parseOverridePath(arg.slice(0, eq), source);
  return { path, value: arg.slice(eq + 1), source };
}

/** `functions.api.memory` → ['functions','api','memory']; `workloads[0].x` → ['workloads',0,'x']; `a["b.c"]` → ['a','b.c']. */
export function parseOverridePath(text: string, source = text): OverridePath {
  const path: OverridePath = [];
  let i = 0;
  const bad = (why: string): never => {
    throw new UserError(`${source}: ${why} in the key path "${text}"`);
  };
  while (i < text.length) {
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) bad('unclosed [');
      const inner = text.slice(i + 1, close);
      if (/^\d+$/.test(inner)) path.push(Number(inner));
      else if (inner.startsWith('"')) {
        try {
          path.push(String(JSON.parse(inner)));
        } catch {
          bad(`bad quoted key ${inner}`);
        }
      } else if (inner.length > 0) path.push(inner);
      else bad('empty []');
      i = close + 1;
      if (i < text.length && text[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
    const key = text.slice(i, j);
    if (key.length === 0) bad('empty key');
    path.push(key);
    i = j < text.length && text[j] === '.' ? j + 1 : j;
    if (text[j] === '.' && i === text.length) bad('trailing dot');
  }
  if (path.length === 0) bad('no key');
  return path;
}

/** Where an override landed: the document path it resolved to (list items by index). */
export interface AppliedOverride extends Override {
  resolvedPath: (string | number)[];
  /** The first key on the path that the override added to the document (the rest under it are new too); absent when every key existed. */
  addedPath?: (string | number)[];
}

/**
 * Applies overrides to a YAML document in order. The new value node takes the
 * source range of the node it replaces, so problems with it point at that line;
 * a key the override adds takes the range of the map it is added to.
 * @throws UserError when a path cannot be followed (a key under a scalar, an
 * index past the end of a list, a name no list item has).
 */
export function applyOverrides(doc: Document, overrides: readonly Override[]): AppliedOverride[] {
  const applied: AppliedOverride[] = [];
  const problems: string[] = [];
  for (const o of overrides) {
    try {
      applied.push({ ...o, ...applyOne(doc, o) });
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      problems.push(e.message);
    }
  }
  if (problems.length) throw new UserError(problems.map((message) => ({ message })));
  return applied;
}

/** Maps whose keys are names the scenario defines, by path, with what each entry is. */
const NAMED_ENTRIES: ReadonlyArray<{ path: string; entry: string }> = [{ path: 'functions', entry: 'function' }];

/** ` (did you mean "x"?)`, or the names there are. */
function namesHint(key: string, names: string[]): string {
  return didYouMean(key, names) || (names.length ? ` (there are: ${names.join(', ')})` : ' (there are none)');
}

/**
 * Gives `node` and every node inside it the source range of `from` (when it has one), so problems with
 * any part of a value from `--set` point at the line it replaced, not at its offset in the `--set` text.
 */
function placeAt(node: Node, from: unknown): void {
  const range = (from as { range?: unknown } | null | undefined)?.range;
  if (!range) return;
  (node as { range?: unknown }).range = range;
  if (!isScalar(node)) {
    visit(node, {
      Node(_, inner) {
        (inner as { range?: unknown }).range = range;
      },
      Pair(_, pair) {
        if (isNode(pair.key)) (pair.key as { range?: unknown }).range = range;
      },
    });
  }
}

/** Keys a scenario may never use (src/scenario/load.ts checks the file's; these are the --set's). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function refuseReservedKeys(o: Override, value: Document): void {
  const reserved = (key: unknown) => {
    if (RESERVED_KEYS.has(String(key))) throw new UserError(`${o.source}: "${String(key)}" cannot be a key (it is reserved in JavaScript objects)`);
  };
  for (const key of o.path) reserved(key);
  visit(value, {
    Pair(_, pair) {
      if (isScalar(pair.key)) reserved(pair.key.value);
    },
  });
}

function applyOne(doc: Document, o: Override): { resolvedPath: (string | number)[]; addedPath?: (string | number)[] } {
  const valueDoc = parseDocument(o.value);
  if (valueDoc.errors.length) throw new UserError(`${o.source}: the value is not valid YAML (${valueDoc.errors[0].message})`);
  refuseReservedKeys(o, valueDoc);
  const resolved: (string | number)[] = [];
  let addedPath: (string | number)[] | undefined;
  if (!isMap(doc.contents)) throw new UserError(`${o.source}: the scenario is not a map of keys`);
  let node: unknown = doc.contents;
  for (let i = 0; i < o.path.length; i++) {
    const key = o.path[i];
    const last = i === o.path.length - 1;
    if (isAlias(node)) node = node.resolve(doc);
    const where = resolved.length ? resolved.join('.') : 'the top level';
    if (isMap(node)) {
      const k = String(key);
      const keyOf = (p: { key: unknown }) => (isScalar(p.key) ? String(p.key.value) : String(p.key));
      const pair = node.items.find((p) => keyOf(p) === k);
      const named = NAMED_ENTRIES.find((n) => n.path === resolved.join('.'));
      if (!pair && !last && named) {
        throw new UserError(`${o.source}: no ${named.entry} named "${k}" in ${named.path}${namesHint(k, node.items.map(keyOf))}`);
      }
      // A new key (and a map made for the path's next key) sits where the map it is added to starts.
      const map = node;
      const add = (fresh: Node): void => {
        const keyNode = doc.createNode(k);
        placeAt(keyNode, map);
        placeAt(fresh, map);
        map.set(keyNode, fresh);
        addedPath ??= [...resolved, k];
      };
      if (last) {
        const fresh = (valueDoc.contents ?? doc.createNode(null)) as Node;
        if (pair) {
          placeAt(fresh, pair.value);
          pair.value = fresh;
        } else add(fresh);
      } else if (!pair || pair.value === null || pair.value === undefined || (isScalar(pair.value) && pair.value.value === null)) {
        const fresh = doc.createNode({});
        if (pair) {
          placeAt(fresh, pair.value ?? pair.key);
          pair.value = fresh;
        } else add(fresh);
        node = fresh;
      } else {
        node = pair.value;
      }
      resolved.push(k);
    } else if (isSeq(node)) {
      let index: number;
      if (typeof key === 'number' || /^\d+$/.test(key)) index = Number(key);
      else {
        index = node.items.findIndex((item) => {
          const it = isAlias(item) ? item.resolve(doc) : item;
          return isMap(it) && String(it.get('name')) === key;
        });
        if (index < 0) {
          const named = node.items.map((item) => {
            const it = isAlias(item) ? item.resolve(doc) : item;
            return isMap(it) ? it.get('name') : undefined;
          });
          const names = named.filter((n) => n !== undefined).map(String);
          // Items without a `name` (a workload's default name is not in the document) are reached by index.
          const unnamed = named.flatMap((n, i) => (n === undefined ? [`${where}[${i}]`] : []));
          if (unnamed.length) {
            const one = unnamed.length === 1;
            const how = `${one ? '' : 's'} ${one ? 'has' : 'have'} no name: give ${one ? 'it one' : 'them names'}, or use ${one ? 'its index' : 'their indexes'}, ${unnamed.join(', ')}`;
            const hint = didYouMean(key, names) || (names.length ? ` (there are: ${names.join(', ')}; ${unnamed.length} item${how})` : ` (its ${unnamed.length} item${how})`);
            throw new UserError(`${o.source}: no item named "${key}" in ${where}${hint}`);
          }
          throw new UserError(`${o.source}: no item named "${key}" in ${where}${namesHint(key, names)}`);
        }
      }
      if (index >= node.items.length) {
        throw new UserError(`${o.source}: ${where} has ${node.items.length} item${node.items.length === 1 ? '' : 's'}, no [${index}]`);
      }
      if (last) {
        const fresh = (valueDoc.contents ?? doc.createNode(null)) as Node;
        placeAt(fresh, node.items[index]);
        node.items[index] = fresh;
      } else node = node.items[index];
      resolved.push(index);
    } else {
      throw new UserError(`${o.source}: ${where} is a single value, it has no key "${String(key)}"`);
    }
  }
  return { resolvedPath: resolved, addedPath };
}

/** Whether a problem's key path (as formatted by the loader) lies at or under an override's resolved path. */
export function overrideFor(problemPath: string | undefined, applied: readonly AppliedOverride[]): AppliedOverride | undefined {
  if (!problemPath) return undefined;
  for (let i = applied.length - 1; i >= 0; i--) {
    const { resolvedPath, addedPath } = applied[i];
    if (atOrUnder(problemPath, formatResolved(resolvedPath)) || (addedPath && atOrUnder(problemPath, formatResolved(addedPath)))) return applied[i];
  }
  return undefined;
}

function atOrUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + '.') || path.startsWith(prefix + '[');
}

function formatResolved(path: (string | number)[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[^.\s[\]"]+$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}
