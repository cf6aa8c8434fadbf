import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Fields a manifest has but its Kubernetes type does not: the typos (`readinesProbe`, `secretRefs`) that
 * kubernetes-models' `validate()` lets through, because its schemas allow additional properties, and that the
 * API server would drop silently. Walks the object along the interfaces of the package's own `.d.ts` files
 * (field names, `Array<T>`, imported types), so the field lists are the package's, not a copy.
 */
export function unknownFields(manifest: Record<string, unknown>, modelDts: string, iface: string): string[] {
  const problems: string[] = [];
  walk(manifest, resolveModule(modelDts), iface, '', problems);
  return problems;
}

interface Interface {
  fields: Map<string, string>;
  imports: Map<string, string>;
}

const cache = new Map<string, Interface | null>();

function resolveModule(spec: string, from?: string): string {
  const path = spec.startsWith('.') && from ? join(dirname(from), spec) : join('node_modules', spec);
  return `${path}.d.ts`;
}

/** The fields of `name` (an interface, or an alias exported as `export { IX as name }`) in `file`; null: not an interface. */
function parseInterface(file: string, name: string): Interface | null {
  const key = `${file}#${name}`;
  if (cache.has(key)) return cache.get(key)!;
  let result: Interface | null = null;
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    const alias = new RegExp(`(\\w+) as ${name}\\b`).exec(text)?.[1] ?? name;
    const body = new RegExp(`export interface ${alias}\\b[^{]*\\{\\n([\\s\\S]*?)\\n\\}`).exec(text)?.[1];
    if (body !== undefined) {
      const imports = new Map<string, string>();
      for (const m of text.matchAll(/^import \{ (\w+) \} from "([^"]+)";$/gm)) {
        imports.set(m[1], resolveModule(m[2], file));
      }
      const fields = new Map<string, string>();
      for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (.+?);?$/gm)) fields.set(m[1], m[2]);
      result = { fields, imports };
    }
  }
  cache.set(key, result);
  return result;
}

function walk(value: unknown, file: string, iface: string, path: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const type = parseInterface(file, iface);
  if (!type) return; // a type alias (IntOrString, Quantity, Time): a leaf
  for (const [field, child] of Object.entries(value)) {
    const declared = type.fields.get(field);
    if (declared === undefined) {
      problems.push(`${path}/${field}`);
      continue;
    }
    const element = /^Array<(\w+)>$/.exec(declared)?.[1];
    const target = element ?? declared;
    const targetFile = type.imports.get(target);
    if (!targetFile) continue; // string, number, a union of literals, an inline map
    if (element && Array.isArray(child)) {
      child.forEach((item, i) => walk(item, targetFile, target, `${path}/${field}/${i}`, problems));
    } else {
      walk(child, targetFile, target, `${path}/${field}`, problems);
    }
  }
}
