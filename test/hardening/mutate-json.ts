/**
 * Structural mutations of a JSON fixture for the property tests: a field removed, nulled,
 * retyped, an extra field, a huge array, a unicode string. Each mutation picks a node by
 * index over a depth-first walk, so fast-check can shrink it to the smallest breaking path.
 */
import fc from 'fast-check';

export type Json = fc.JsonValue;

type MutationKind = 'remove' | 'null' | 'retype' | 'extra' | 'huge-array' | 'unicode';

export interface Mutation {
  kind: MutationKind;
  /** Index into the list of nodes (taken modulo its length). */
  at: number;
  /** Replacement value for 'retype' and 'extra'. */
  value: Json;
  /** Key for 'extra', text for 'unicode'. */
  text: string;
}

interface Node {
  parent: Json[] | { [key in string]?: Json } | null;
  key: string | number | null;
  value: Json;
}

function walk(value: Json, parent: Node['parent'], key: Node['key'], out: Node[]): void {
  out.push({ parent, key, value });
  if (Array.isArray(value)) for (const [i, v] of value.entries()) walk(v, value, i, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (v !== undefined) walk(v, value, k, out);
}

function typeOf(value: Json): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

function setAt(node: Node, next: Json): void {
  if (node.parent === null) return;
  if (Array.isArray(node.parent) && typeof node.key === 'number') node.parent[node.key] = next;
  else if (!Array.isArray(node.parent) && typeof node.key === 'string') node.parent[node.key] = next;
}

/** Applies mutations to a deep copy; a root-level 'remove' or 'null' replaces the whole body. */
export function mutate(fixture: Json, mutations: readonly Mutation[]): Json {
  let root = structuredClone(fixture);
  for (const m of mutations) {
    const nodes: Node[] = [];
    walk(root, null, null, nodes);
    const node = nodes[m.at % nodes.length];
    if (!node) continue;
    const replace = (next: Json): void => {
      if (node.parent === null) root = next;
      else setAt(node, next);
    };
    switch (m.kind) {
      case 'remove':
        if (node.parent === null) root = {};
        else if (Array.isArray(node.parent) && typeof node.key === 'number') node.parent.splice(node.key, 1);
        else if (!Array.isArray(node.parent) && typeof node.key === 'string') delete node.parent[node.key];
        break;
      case 'null':
        replace(null);
        break;
      case 'retype':
        replace(typeOf(m.value) === typeOf(node.value) ? String(m.text) : m.value);
        break;
      case 'extra':
        if (node.value !== null && typeof node.value === 'object' && !Array.isArray(node.value)) node.value[m.text || 'extra'] = m.value;
        else if (Array.isArray(node.value)) node.value.push(m.value);
        break;
      case 'huge-array':
        // 20,000 copies of an element (or of the value itself): memory and loop bounds.
        replace(Array.from({ length: 20_000 }, () => (Array.isArray(node.value) ? (node.value[0] ?? null) : node.value)));
        break;
      case 'unicode':
        if (typeof node.value === 'string') replace(m.text);
        break;
    }
  }
  return root;
}

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 });

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<MutationKind>('remove', 'null', 'retype', 'extra', 'huge-array', 'unicode'),
  at: fc.nat({ max: 10_000 }),
  value: jsonValue,
  text: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('code', '__proto__', 'constructor', '<b>x</b>', '`*_['),
  ),
});

export const mutationsArb: fc.Arbitrary<Mutation[]> = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
