// Mutations of a valid JSON body: one change each, with the answer it must get where that is certain.
import fc, { type Arbitrary } from 'fast-check';
import { addKey, nodes, pathLabel, schemaAt, setAt, within, type JsonPath, type Node } from './json-paths.js';
import { expecting, type BodyPart, type Mutation, type OperationContext } from './model.js';
import { AWKWARD_TEXT } from './values.js';

const DEEP_MARKER = '__contract_fuzz_deep__';
const BYTES_MARKER = '__contract_fuzz_bytes__';

const WRONG_TYPES: unknown[] = [0, -1.5, 1e308, true, false, null, 'text', [], [1, 'a'], {}, { nested: 'x' }];
const EXTRA_KEYS = ['extra', 'id', 'role', 'isAdmin', 'createdAt', 'favoritesCount', '', ' ', 'a.b', '__proto__'];
const NON_OBJECTS = ['[]', '[{}]', '1', '-0', '1e999', 'null', 'true', '"user"', '""'];
const MALFORMED = [
  '{"user": }',
  "{'user': {}}",
  '{"a": 1,}',
  '{"a": 1}{"b": 2}',
  '{"a": NaN}',
  '{"a": undefined}',
  '{"a": "\u0001"}',
  '{"a": 01}',
  '{',
  '[',
  'nul',
  '{"a": "\\x41"}',
  '{"a": "\\ud800"',
];

// The README's edge rules: JSON nested deeper than 32 levels is refused on the raw bytes, whatever the route.
const TOO_DEEP = expecting([400], 'JSON nested deeper than the edge accepts');
const NOT_JSON = expecting([400], 'not JSON');

const jsonOf = (value: unknown) => ({ kind: 'json', value }) as const;
const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const isObject = (value: unknown) => !!value && typeof value === 'object' && !Array.isArray(value);

/** The answer a schema-checked JSON body must get: 413 past the limit, 422 when invalid, success when valid. */
function judged(context: OperationContext, value: unknown, path: JsonPath): Mutation['expect'] {
  if (sizeOf(value) > context.bodyLimit) return expecting([413], 'the body is larger than the body limit');
  const check = context.validator.check(context.operation.body?.schema ?? {}, value);
  if (!check.valid) return expecting([422], `the body breaks the documented schema: ${check.errors[0]}`);
  // No certain answer when a fixture value changed (a wrong password), or when a string is blank: the API
  // trims and refuses blank text, a rule JSON Schema cannot state.
  if (context.fixturePaths.some((fixed) => within(path, fixed) || within(fixed, path))) return undefined;
  if (nodes(value).some((node) => typeof node.value === 'string' && node.value.trim() === '')) return undefined;
  return expecting(context.success, 'the body is valid per the document');
}

function at(list: Node[]): Arbitrary<Node> {
  return fc.nat({ max: list.length - 1 }).map((index) => list[index] as Node);
}

/** `piece` inserted between two code points of `text` (never inside a surrogate pair, which would add a lone half). */
function insertInto(text: string, piece: string): Arbitrary<string> {
  const points = Array.from(text);
  return fc.nat({ max: points.length }).map((i) => points.slice(0, i).join('') + piece + points.slice(i).join(''));
}

/** Every applicable kind of body mutation for a valid body `value` of the operation. */
export function bodyMutations(context: OperationContext, value: unknown): Arbitrary<Mutation> {
  const all = nodes(value);
  const strings = all.filter((node) => typeof node.value === 'string');
  const objects = [{ path: [], value }, ...all.filter((node) => isObject(node.value))];
  const arrays = all.filter((node) => Array.isArray(node.value));
  const stringField = (node: Node) => schemaAt(context.document, context.operation.body?.schema ?? {}, node.path);
  const options: Arbitrary<Mutation>[] = [];
  const mutation = (family: string, where: JsonPath, body: BodyPart, expect: Mutation['expect']): Mutation => ({
    family: `body ${family}`,
    label: `body ${family}${where.length ? ` at ${pathLabel(where)}` : ''}`,
    body,
    expect,
  });

  const replaced = (family: string, list: Node[], values: unknown[]) =>
    fc.tuple(at(list), fc.constantFrom(...values)).map(([node, wrong]) => {
      const mutated = setAt(value, node.path, wrong);
      return mutation(family, node.path, jsonOf(mutated), judged(context, mutated, node.path));
    });
  // Named fields (not array items), and nested objects: where clients send `null` for "unset" or an array
  // for "one item", drawn on their own so that every field gets them, not only the longest array.
  const fields = all.filter((node) => typeof node.path[node.path.length - 1] === 'string');
  const inner = all.filter((node) => isObject(node.value));
  if (fields.length > 0) options.push(replaced('null', fields, [null]));
  if (inner.length > 0) options.push(replaced('object replaced', inner, [[], [{}], 'x', 1, true, null]));
  if (all.length > 0) {
    options.push(
      replaced('wrong type', all, WRONG_TYPES),
      fc.tuple(at(all), fc.constantFrom(2_000, 10_000, 50_000), fc.boolean()).map(([node, depth, arrays]) => {
        const nested = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
        const text = JSON.stringify(setAt(value, node.path, DEEP_MARKER)).replace(`"${DEEP_MARKER}"`, nested);
        return mutation(`nested ${depth} deep`, node.path, { kind: 'text', text }, TOO_DEEP);
      }),
    );
  }
  const withKeys = all.filter((node) => isObject(node.value) && Object.keys(node.value as object).length > 0);
  if (isObject(value) && Object.keys(value as object).length > 0) withKeys.unshift({ path: [], value });
  if (withKeys.length > 0) {
    options.push(
      at(withKeys).chain((node) =>
        fc.constantFrom(...Object.keys(node.value as object)).map((key) => {
          const path = [...node.path, key];
          const mutated = setAt(value, path, undefined, true);
          return mutation('missing key', path, jsonOf(mutated), judged(context, mutated, path));
        }),
      ),
    );
  }
  options.push(
    fc.tuple(at(objects), fc.constantFrom(...EXTRA_KEYS)).map(([node, key]) => {
      const mutated = addKey(value, node.path, key, 'x');
      const path = [...node.path, key];
      const expect =
        key === '__proto__'
          ? expecting([400], 'a __proto__ key is refused as malformed JSON')
          : judged(context, mutated, path);
      return mutation(`extra key ${JSON.stringify(key)}`, node.path, jsonOf(mutated), expect);
    }),
  );
  if (strings.length > 0) {
    options.push(
      fc.tuple(at(strings), fc.constantFrom(1, 10_000, 300_000, 1_100_000)).map(([node, extra]) => {
        const max = stringField(node)?.maxLength;
        const length = extra === 1 && typeof max === 'number' ? max + 1 : extra;
        const mutated = setAt(value, node.path, 'y'.repeat(length));
        return mutation(`string of ${length}`, node.path, jsonOf(mutated), judged(context, mutated, node.path));
      }),
      fc.tuple(at(strings), fc.constantFrom('\u0000', '\uD800', '\uDC00', '\uDBFF')).chain(([node, bad]) =>
        insertInto(node.value as string, bad).map((text) => {
          const family = bad === '\u0000' ? 'NUL byte' : 'lone surrogate';
          const field = pathLabel(node.path);
          const expect = expecting([422], `a ${family} in a string is refused`, field);
          return mutation(family, node.path, jsonOf(setAt(value, node.path, text)), expect);
        }),
      ),
      fc.tuple(at(strings), fc.constantFrom(...AWKWARD_TEXT)).chain(([node, piece]) =>
        insertInto(node.value as string, piece).map((text) => {
          const mutated = setAt(value, node.path, text);
          // Formats and patterns (email, uri, username) disagree between JSON Schema and the API on non-ASCII.
          const loose = stringField(node)?.format !== undefined || stringField(node)?.pattern !== undefined;
          return mutation(
            'unusual unicode',
            node.path,
            jsonOf(mutated),
            loose ? undefined : judged(context, mutated, node.path),
          );
        }),
      ),
      at(strings).map((node) => {
        const text = JSON.stringify(setAt(value, node.path, BYTES_MARKER));
        const [before, after] = text.split(BYTES_MARKER) as [string, string];
        const bytes = [...Buffer.from(before), 0xff, 0xfe, 0xc3, ...Buffer.from(after)];
        return mutation(
          'invalid UTF-8',
          node.path,
          { kind: 'bytes', bytes },
          expecting([400], 'the body is not UTF-8'),
        );
      }),
    );
  }
  if (arrays.length > 0) {
    options.push(
      fc.tuple(at(arrays), fc.constantFrom(11, 1_000, 200_000)).map(([node, count]) => {
        const first = (node.value as unknown[])[0] ?? 't';
        const item = typeof first === 'string' && count > 100 ? 't' : first;
        const mutated = setAt(
          value,
          node.path,
          Array.from({ length: count }, () => item),
        );
        return mutation(`array of ${count}`, node.path, jsonOf(mutated), judged(context, mutated, node.path));
      }),
    );
  }
  const text = JSON.stringify(value);
  options.push(
    fc
      .oneof(
        fc.constantFrom(...MALFORMED),
        fc.integer({ min: 1, max: Math.max(1, text.length - 1) }).map((n) => text.slice(0, n)),
      )
      .map((malformed) => mutation('malformed JSON', [], { kind: 'text', text: malformed }, NOT_JSON)),
    fc
      .constantFrom(...NON_OBJECTS, `[${text}]`)
      .map((json) => mutation('non-object JSON', [], { kind: 'text', text: json }, expecting([422], 'not an object'))),
    fc.constantFrom<BodyPart>({ kind: 'none' }, { kind: 'empty' }).map((body) => {
      return mutation('empty', [], body, expecting([422], 'an empty body is no body, and the body is required'));
    }),
    fc
      .constantFrom(' ', '\n\t ', `\uFEFF${text}`)
      .map((t) => mutation('whitespace or BOM', [], { kind: 'text', text: t }, undefined)),
  );
  return fc.oneof(...options);
}

/** Bodies sent to an operation that takes none (POST/PUT/DELETE actions such as favorite or follow). */
export function bodylessMutations(context: OperationContext): Arbitrary<Mutation> {
  const success = expecting(context.success, 'the operation ignores its body');
  const mutation = (family: string, body: BodyPart, expect: Mutation['expect']): Mutation => ({
    family: `body ${family}`,
    label: `body ${family}`,
    body,
    expect,
  });
  return fc.oneof(
    fc.constant(mutation('empty with Content-Length: 0', { kind: 'empty' }, success)),
    fc.constant(mutation('{}', { kind: 'text', text: '{}' }, success)),
    fc.constantFrom(...MALFORMED).map((text) => mutation('malformed JSON', { kind: 'text', text }, NOT_JSON)),
    fc.constantFrom(...NON_OBJECTS).map((text) => mutation('non-object JSON', { kind: 'text', text }, undefined)),
    fc
      .constantFrom(5_000, 50_000)
      .map((depth) =>
        mutation(`nested ${depth} deep`, { kind: 'text', text: '['.repeat(depth) + ']'.repeat(depth) }, TOO_DEEP),
      ),
    fc.constant(
      mutation(
        'over the body limit',
        { kind: 'text', text: JSON.stringify({ a: 'z'.repeat(context.bodyLimit) }) },
        expecting([413], 'the body is larger than the body limit'),
      ),
    ),
  );
}
