// Valid values for a schema of the document, as fast-check arbitraries. "Valid" is what the document
// promises the API accepts, drawn the way real users type: mostly plain text, with right-to-left marks,
// combining accents, emoji, U+FFFF and other scripts mixed in.
import fc, { type Arbitrary } from 'fast-check';
import { deref, type ApiDocument, type JsonSchema } from '../openapi.js';

/** Unusual but valid text: RTL override and mark, combining acute, emoji (ZWJ and flag sequences), U+FFFF, … */
export const AWKWARD_TEXT = [
  '\u202E',
  '\u200F',
  '\u0301',
  'e\u0301',
  '😀',
  '👩\u200D💻',
  '🇫🇷',
  '\uFFFF',
  'Ж',
  '中文',
  'עברית',
  'ﷺ',
  'ß',
  'İ',
  '\u2028',
] as const;

const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,!?\'"()#@&'.split('');
const textUnit = fc.oneof(
  { weight: 14, arbitrary: fc.constantFrom(...PLAIN) },
  { weight: 1, arbitrary: fc.constantFrom(...AWKWARD_TEXT) },
);

/**
 * Text of `min`..`max` UTF-16 units that is not blank once trimmed (the API trims and refuses blank
 * text, which the document does not say: blank strings are left to the mutations, not "valid" cases).
 */
export function text(min = 0, max = Number.POSITIVE_INFINITY): Arbitrary<string> {
  const upper = Math.max(Math.min(max, 60), Math.max(min, 1));
  const normal = fc
    .string({ unit: textUnit, minLength: Math.max(min, 1), maxLength: upper })
    .filter((s) => s.trim().length > 0 && s.length >= min && s.length <= max);
  if (!Number.isFinite(max)) return normal;
  // The documented maximum itself, which off-by-one checks get wrong.
  return fc.oneof({ weight: 12, arbitrary: normal }, { weight: 1, arbitrary: fc.constant('x'.repeat(max)) });
}

const lower = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const word = (min: number, max: number) => fc.string({ unit: lower, minLength: min, maxLength: max });

export const email: Arbitrary<string> = fc
  .tuple(word(1, 16), word(2, 10), fc.constantFrom('com', 'org', 'dev', 'io'))
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

export const httpUrl: Arbitrary<string> = fc
  .tuple(fc.constantFrom('http', 'https'), word(2, 12), fc.array(word(1, 8), { maxLength: 3 }))
  .map(([scheme, host, path]) => `${scheme}://${host}.example.com/${path.join('/')}`);

function stringValue(schema: JsonSchema): Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Number.POSITIVE_INFINITY;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as string[]));
  if (typeof schema.pattern === 'string') return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  switch (schema.format) {
    case 'email':
      return email.filter(fits);
    case 'uri':
    case 'url':
      return httpUrl.filter(fits);
    case 'date-time':
      return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    case 'uuid':
      return fc.uuid();
    default:
      return text(min, max);
  }
}

/** Numbers the document allows: small ones mostly, and its bounds and far extremes when it gives none. */
function numberValue(schema: JsonSchema): Arbitrary<number> {
  const integer = schema.type === 'integer';
  const min = schema.minimum ?? (typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : undefined);
  const max = schema.maximum ?? (typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : undefined);
  const low = Math.max(min ?? -1_000, -Number.MAX_SAFE_INTEGER);
  const high = Math.min(max ?? Math.max(low, 0) + 1_000, Number.MAX_SAFE_INTEGER);
  const edges = [min, max].filter((n): n is number => typeof n === 'number');
  if (max === undefined) edges.push(2 ** 31 - 1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1e21, 1e300);
  if (min === undefined) edges.push(-(2 ** 31), -Number.MAX_SAFE_INTEGER);
  const arbitraries: { weight: number; arbitrary: Arbitrary<number> }[] = [
    { weight: 10, arbitrary: fc.integer({ min: Math.ceil(low), max: Math.floor(high) }) },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
  ];
  if (!integer) {
    const double = fc.double({ min: low, max: high, noNaN: true, noDefaultInfinity: true });
    arbitraries.push({ weight: 3, arbitrary: double.filter((n) => !Object.is(n, -0)) });
  }
  return fc.oneof(...arbitraries);
}

/** `x-opaque`: a value the server issues and the client sends back as received (e.g. a cursor). */
export function isOpaque(schema: JsonSchema): boolean {
  return (schema as Record<string, unknown>)['x-opaque'] === true;
}

/** A value the schema accepts. */
export function validValue(document: ApiDocument, schema: JsonSchema, depth = 0): Arbitrary<unknown> {
  const resolved = deref(document.raw, schema);
  if (depth > 8) throw new Error('schema nests deeper than the generator follows');
  let value: Arbitrary<unknown>;
  if (resolved.allOf) {
    const parts = (resolved.allOf as JsonSchema[]).map((part) => validValue(document, part, depth + 1));
    value = fc.tuple(...parts).map((objects) => Object.assign({}, ...(objects as object[])));
  } else if (resolved.oneOf || resolved.anyOf) {
    const options = (resolved.oneOf ?? resolved.anyOf) as JsonSchema[];
    value = fc.oneof(...options.map((option) => validValue(document, option, depth + 1)));
  } else if (Array.isArray(resolved.enum)) value = fc.constantFrom(...(resolved.enum as unknown[]));
  // Only what the server issued is valid for a server-issued token (a keyset cursor), such as its example.
  else if (isOpaque(resolved) && resolved.example !== undefined) value = fc.constant(resolved.example);
  else value = typed(document, resolved, depth);
  return resolved.nullable === true
    ? fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) })
    : value;
}

function typed(document: ApiDocument, schema: JsonSchema, depth: number): Arbitrary<unknown> {
  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  switch (type) {
    case 'string':
      return stringValue(schema);
    case 'integer':
    case 'number':
      return numberValue(schema);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validValue(document, schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 12),
      });
    case 'object': {
      const properties = Object.entries<JsonSchema>(schema.properties ?? {});
      const shape = Object.fromEntries(properties.map(([name, sub]) => [name, validValue(document, sub, depth + 1)]));
      return fc.record(shape, { requiredKeys: (schema.required ?? []) as string[] });
    }
    default:
      // An untyped schema accepts anything; a string is the least surprising thing a client sends.
      return text();
  }
}
