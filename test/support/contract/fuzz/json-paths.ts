// Addressing inside a JSON body and its schema, for mutations that change one place and keep the rest valid.
import { deref, type ApiDocument, type JsonSchema } from '../openapi.js';

export type JsonPath = (string | number)[];

export interface Node {
  path: JsonPath;
  value: unknown;
}

/** Every node below the root, depth first. */
export function nodes(value: unknown, path: JsonPath = []): Node[] {
  const children: Node[] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => children.push(...withSelf(item, [...path, index])));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) children.push(...withSelf(item, [...path, key]));
  }
  return children;
}

function withSelf(value: unknown, path: JsonPath): Node[] {
  return [{ path, value }, ...nodes(value, path)];
}

/** `user.tagList[2]` */
export function pathLabel(path: JsonPath): string {
  return path.reduce<string>(
    (label, part) => (typeof part === 'number' ? `${label}[${part}]` : label ? `${label}.${part}` : part),
    '',
  );
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** A copy of `root` with the node at `path` replaced (or removed, with `remove`). */
export function setAt(root: unknown, path: JsonPath, value: unknown, remove = false): unknown {
  const copy = clone(root);
  const parent = path.slice(0, -1).reduce<any>((at, part) => at[part], copy);
  const last = path[path.length - 1] as string | number;
  if (remove && Array.isArray(parent)) parent.splice(last as number, 1);
  else if (remove) delete parent[last];
  else parent[last] = value;
  return copy;
}

/**
 * A copy with an own enumerable property added to the object at `path`. Defined, not assigned, so that
 * `__proto__` becomes a key of the JSON text instead of changing the prototype.
 */
export function addKey(root: unknown, path: JsonPath, key: string, value: unknown): unknown {
  const copy = clone(root);
  const target = path.reduce<any>((at, part) => at[part], copy);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** The schema describing the node at `path`, if the document describes it. */
export function schemaAt(document: ApiDocument, root: JsonSchema, path: JsonPath): JsonSchema | undefined {
  let schema: JsonSchema | undefined = deref(document.raw, root);
  for (const part of path) {
    if (!schema) return undefined;
    schema = typeof part === 'number' ? schema.items : schema.properties?.[part];
    schema = schema ? deref(document.raw, schema) : undefined;
  }
  return schema;
}

/** Whether `path` is `prefix` or below it. */
export function within(path: JsonPath, prefix: JsonPath): boolean {
  return prefix.length <= path.length && prefix.every((part, index) => path[index] === part);
}
