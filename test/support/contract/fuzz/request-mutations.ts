// Mutations of everything but the body: the token, a path segment, the query, the content type.
import fc, { type Arbitrary } from 'fast-check';
import type { Parameter } from '../openapi.js';
import { INVALID_TOKEN_KINDS, type TokenKind } from '../tokens.js';
import { expecting, type Mutation, type OperationContext } from './model.js';
import { isOpaque } from './values.js';

const TOKENS: TokenKind[] = [
  'other',
  'none',
  'garbage',
  'wrong-scheme',
  'empty',
  'expired',
  'wrong-secret',
  'alg-none',
  'unknown-user',
];

export function tokenMutations(context: OperationContext): Arbitrary<Mutation> {
  const required = context.operation.auth === 'required';
  const role = context.operation.requiredRole;
  return fc.constantFrom(...TOKENS).map((token) => {
    const expect = !required
      ? expecting(context.success, 'the operation does not need a token')
      : INVALID_TOKEN_KINDS.includes(token)
        ? expecting([401], 'the operation needs a valid token')
        : token === 'unknown-user' && context.operation.method !== 'GET'
          ? // Signed right, but nobody is behind it: nothing may be written in its name (a read may answer
            // what an account with no data would see, e.g. an empty feed; GET /api/user answers 401).
            expecting([401], "the token's user does not exist")
          : token === 'other' && role !== undefined
            ? // A valid token of an ordinary user, on an operation documented as needing a role.
              expecting([403], `the operation needs the ${role} role (x-required-role)`)
            : undefined; // Another user's token: the answer depends on the operation (403, 422, 2xx).
    return { token, family: `token ${token}`, label: `token ${token}`, expect };
  });
}

const isNumeric = (parameter: Parameter) => ['integer', 'number'].includes(parameter.schema.type as string);
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 10, maxLength: 10 });

/** Segments that cannot be decoded as UTF-8 percent-encoding; `%ED%A0%80` is a lone surrogate (U+D800). */
const UNDECODABLE = ['%', '%E0%A4%A', '%FF', 'a%2', '%ED%A0%80'];
/** The README's edge rules: 400 for bad percent-encoding (or 422 for the lone surrogate it spells). */
const undecodable = (raw: string) =>
  expecting(raw === '%ED%A0%80' ? [400, 422] : [400], 'bad percent-encoding in the URL');
/** The README's edge rules: a longer path segment gets 414. */
const MAX_SEGMENT = 512;
/** The README's edge rules: a URL (path and query) over MAX_URL_LENGTH characters gets 414. */
const MAX_URL_LENGTH = 8_192;
/** Segments that decode to text no slug, username or id can be: they name nothing. */
const NAMES_NOTHING = [
  '..%2F',
  '..%2F..%2Fetc%2Fpasswd',
  '%20',
  '%EF%BF%BF',
  '%F0%9F%98%80',
  '%E2%80%AE%D7%A9',
  'e%CC%81',
  '%D0%96',
];
const NUMBERS = ['0', '-1', '1.5', '2147483648', '9007199254740993', '99999999999999999999', '1e21', 'abc', 'true'];

export function paramMutations(context: OperationContext): Arbitrary<Mutation> {
  const { operation, validator } = context;
  return fc.constantFrom(...operation.pathParams).chain((parameter) => {
    const numeric = isNumeric(parameter);
    const named = (family: string, raw: string, expect: Mutation['expect'], hostile = false): Mutation => ({
      params: { [parameter.name]: { kind: 'raw', raw } },
      family: `path ${family}`,
      label: `path ${parameter.name} = ${raw.length > 60 ? `${raw.slice(0, 20)}…(${raw.length} chars)` : raw}`,
      expect,
      hostilePath: hostile,
    });
    // What must come back for a segment that names no resource: 404, or 422 when the document rules it out.
    const absent = (raw: string) => {
      const valid = validator.checkParameter(parameter.schema, decodeURIComponent(raw)).valid;
      return valid
        ? expecting([404], 'no resource has this name')
        : expecting([422], 'the segment breaks the documented schema');
    };
    const options: Arbitrary<Mutation>[] = [
      (numeric ? fc.integer({ min: 1e9, max: 2 ** 31 - 1 }).map(String) : hex.map((h) => `nx-${h}`)).map((raw) =>
        named('missing resource', raw, absent(raw)),
      ),
      fc.constantFrom(...NUMBERS).map((raw) => named('number-like', raw, numeric ? absent(raw) : undefined)),
      fc
        .constantFrom('%00', 'a%00b')
        .map((raw) =>
          named('NUL byte', raw, expecting([422], 'a NUL byte in a path parameter is refused', parameter.name), true),
        ),
      fc.constantFrom(...UNDECODABLE).map((raw) => named('bad percent-encoding', raw, undecodable(raw), true)),
      fc.constantFrom(...NAMES_NOTHING).map((raw) => named('odd segment', raw, absent(raw), true)),
      fc.constantFrom('..', '.', '%2E%2E').map((raw) => named('dot segment', raw, undefined, true)),
      fc.oneof(fc.integer({ min: 101, max: 4_000 }), fc.constantFrom(MAX_SEGMENT, MAX_SEGMENT + 1)).map((n) => {
        const raw = 'l'.repeat(n);
        const expect =
          n > MAX_SEGMENT ? expecting([414], `a path segment over ${MAX_SEGMENT} characters`) : absent(raw);
        return named(n > MAX_SEGMENT ? 'too long' : 'long', raw, expect, true);
      }),
    ];
    // The over-16-KiB URL is one case repeated: drawn less often than the segments that vary.
    const huge = named(
      'URL past the header limit',
      'o'.repeat(20_000),
      expecting([414, 431], 'a URL over 16 KiB'),
      true,
    );
    return fc.oneof(...options.map((arbitrary) => ({ arbitrary, weight: 4 })), {
      arbitrary: fc.constant(huge),
      weight: 1,
    });
  });
}

/**
 * Raw query values and how to judge them: against the document (`judge`), not at all where a lenient number
 * reader may take them (`lenient`: `""`, `" 1"`, `0x10`), nor where they cannot be decoded.
 */
const QUERY_VALUES: [string, 'judge' | 'lenient' | 'undecodable'][] = [
  ['abc', 'judge'],
  ['1.5', 'judge'],
  ['-1', 'judge'],
  ['0', 'judge'],
  ['101', 'judge'],
  ['1e3', 'judge'],
  ['1e%2B300', 'judge'],
  ['99999999999999999999', 'judge'],
  ['Infinity', 'judge'],
  ['NaN', 'judge'],
  ['true', 'judge'],
  ['%F0%9F%98%80', 'judge'],
  ['%E2%80%AEabc', 'judge'],
  ['e%CC%81', 'judge'],
  ['%EF%BF%BF', 'judge'],
  ['q'.repeat(5_000), 'judge'],
  ['', 'lenient'],
  ['%201', 'lenient'],
  ['0x10', 'lenient'],
  ['%2B1', 'lenient'],
  ['%', 'undecodable'],
  ['%E0%A4%A', 'undecodable'],
  ['%ED%A0%80', 'undecodable'],
];
const UNKNOWN_QUERY = [
  'foo=bar',
  '_=1717171717171',
  'limit%5B%5D=1',
  '__proto__=x',
  'constructor%5Bprototype%5D%5Bx%5D=1',
  'a=%00',
];

export function queryMutations(context: OperationContext, valid: [string, string][]): Arbitrary<Mutation> {
  const { operation, validator } = context;
  const success = [...context.success, ...(operation.responses['404'] ? [404] : [])];
  const replaced = (name: string, values: string[]): [string, string][] => [
    ...valid.filter(([key]) => key !== encodeURIComponent(name)),
    ...values.map((value): [string, string] => [encodeURIComponent(name), value]),
  ];
  const unknown = fc.constantFrom(...UNKNOWN_QUERY).map((pair) => ({
    query: [...valid, pair.split('=') as [string, string]],
    family: 'query unknown parameter',
    label: `query + ${pair}`,
    expect: undefined,
  }));
  if (operation.queryParams.length === 0) return unknown;
  const parameter = fc.constantFrom(...operation.queryParams);
  const values = fc.tuple(
    parameter,
    fc.constantFrom(...QUERY_VALUES),
    fc.nat(3).map((n) => n === 0),
  );
  const judged = values.map(([p, [raw, kind], repeated]): Mutation => {
    const sent = repeated ? [raw, raw] : [raw];
    const shown = raw.length > 40 ? `${raw.slice(0, 10)}…(${raw.length} chars)` : raw;
    const label = `query ${sent.map(() => `${p.name}=${shown}`).join('&')}`;
    const family = `query ${repeated ? 'repeated ' : ''}${kind === 'judge' ? 'value' : kind}`;
    const decoded = decodeURIComponent(kind === 'judge' ? raw : '');
    // Bad percent-encoding: 400 for the URL, or 422 for the value it cannot be; never a made-up value.
    const queryLength = sent.reduce((total, value) => total + value.length + p.name.length + 2, 0);
    const expect =
      queryLength > MAX_URL_LENGTH
        ? expecting([414], `a URL over ${MAX_URL_LENGTH} characters`)
        : kind === 'undecodable'
          ? expecting([400, 422], 'bad percent-encoding in the URL')
          : kind === 'lenient'
            ? undefined
            : isOpaque(p.schema)
              ? expecting([422], 'an opaque value the server did not issue')
              : validator.checkParameter(p.schema, repeated ? [decoded, decoded] : decoded).valid
                ? expecting(success, 'the value is valid per the document')
                : expecting([422], 'the value breaks the documented schema');
    return { query: replaced(p.name, sent), family, label, expect };
  });
  const nul = parameter.map((p) => ({
    query: replaced(p.name, ['a%00b']),
    family: 'query NUL byte',
    label: `query ${p.name}=a%00b`,
    expect: expecting([422], 'a NUL byte in a query parameter is refused', p.name),
  }));
  return fc.oneof({ arbitrary: unknown, weight: 1 }, { arbitrary: judged, weight: 4 }, { arbitrary: nul, weight: 1 });
}

/** Content types, and whether a body under them is JSON (UTF-8; media types are case-insensitive). */
const CONTENT_TYPES: [string | null, boolean][] = [
  [null, false],
  ['text/plain', false],
  ['text/plain; charset=utf-8', false],
  ['application/x-www-form-urlencoded', false],
  ['application/xml', false],
  ['multipart/form-data; boundary=x', false],
  ['application/vnd.api+json', false],
  ['application/json; charset=utf-16', false],
  ['APPLICATION/JSON', true],
  ['application/json; charset=utf-8', true],
  ['application/json;charset=UTF-8', true],
];

/**
 * The same valid body under another Content-Type, or none. Per the README's edge rules a body that is not
 * UTF-8 JSON gets 415, and without body bytes the type does not matter.
 */
export function contentTypeMutations(context: OperationContext, hasBody: boolean): Arbitrary<Mutation> {
  return fc.constantFrom(...CONTENT_TYPES).map(([contentType, json]) => ({
    contentType,
    family: `content-type ${contentType ?? 'missing'}`,
    label: `content-type ${contentType ?? 'missing'}`,
    expect:
      json || !hasBody
        ? expecting(context.success, 'the request is valid')
        : expecting([415], 'the body is not UTF-8 JSON'),
  }));
}
