// One operation's cases: a valid request (as a RealWorld client sends it) or that request with one change.
import fc, { type Arbitrary } from 'fast-check';
import {
  FreshResources,
  registerAccount,
  registerRoleAccount,
  resourceForParameter,
  SetupError,
  type Resources,
  type World,
} from '../fixtures.js';
import { CLIENT_HEADERS, withFraming, type HttpClient, type WireRequest } from '../http.js';
import type { BodyFixtureFactory } from '../modules.js';
import type { ApiDocument, Operation } from '../openapi.js';
import type { SchemaValidator } from '../schemas.js';
import { authorizationHeaders, type TokenKind } from '../tokens.js';
import { bodylessMutations, bodyMutations } from './body-mutations.js';
import { setAt, type JsonPath } from './json-paths.js';
import { expecting, type FuzzCase, type Mutation, type OperationContext } from './model.js';
import { contentTypeMutations, paramMutations, queryMutations, tokenMutations } from './request-mutations.js';
import { validValue } from './values.js';

export interface CaseEnvironment {
  document: ApiDocument;
  validator: SchemaValidator;
  world: World;
  bodyLimit: number;
  secret: string;
  /** Setup requests made per case (fresh accounts, per-case body fixtures) go through it. */
  client: HttpClient;
  /** Body values made anew for each case, by operation and field (module contract files' `bodyFixtures`). */
  caseFixtures: Record<string, Record<string, BodyFixtureFactory>>;
}

/**
 * Body fields whose valid value must come from the fixtures (a login needs an existing account), by
 * operation and field. Only the valid value is pinned; mutations still change these fields.
 */
export const BODY_FIXTURES: Record<string, Record<string, (world: World) => string>> = {
  'POST /api/users/login': { 'user.email': (w) => w.owner.email, 'user.password': (w) => w.owner.password },
  'POST /api/v1/auth/login': { email: (w) => w.owner.email, password: (w) => w.owner.password },
};

/**
 * Where a per-case body fixture (`caseFixtures`) goes, in the generated body: a valid string of the field's
 * schema (as long as a token or shorter), replaced in the bytes sent by the value made for that case. A mutation
 * that changes the field removes it, so the value is made only for requests that still carry it.
 */
const caseFixtureMarker = (index: number) => `__contract_fuzz_case_fixture_${index}__`;

/**
 * Operations served only while a feature flag is on for the caller (404 otherwise), by operation and flag.
 * The session turns the flag on (for everyone) before their cases, so that their answer stays determined.
 */
export const FLAGGED_OPERATIONS: Record<string, string> = {
  'GET /api/v1/tags': 'tag-counts',
};

const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];
const CHANGES = ['PUT', 'PATCH', 'DELETE'];

/** Changes the caller's own account (PUT /api/user): runs as selfA/selfB so the shared users never change. */
export const changesCaller = (op: Operation) => CHANGES.includes(op.method) && op.pathParams.length === 0;
/** Changes or deletes what its path names: runs against a fresh article (and comment) of the owner. */
const changesResource = (op: Operation) => CHANGES.includes(op.method) && op.pathParams.length > 0;

function validToken(op: Operation): Arbitrary<TokenKind> {
  if (op.auth === 'required') return fc.constant('owner');
  return op.auth === 'optional' ? fc.constantFrom<TokenKind>('owner', 'other', 'none') : fc.constant('none');
}

function validQuery(env: CaseEnvironment, op: Operation): Arbitrary<[string, string][]> {
  const parameters = op.queryParams.map((parameter) => {
    const value = validValue(env.document, parameter.schema);
    return parameter.required ? value.map((v) => [v]) : fc.option(value, { nil: undefined }).map((v) => [v]);
  });
  return fc.tuple(...parameters).map((values) =>
    values.flatMap(([value], index): [string, string][] => {
      if (value === undefined) return [];
      const name = encodeURIComponent(op.queryParams[index]?.name ?? '');
      const list = Array.isArray(value) ? value : [value];
      return list.map((item): [string, string] => [name, encodeURIComponent(String(item))]);
    }),
  );
}

export function operationContext(env: CaseEnvironment, op: Operation): OperationContext {
  const success = [...op.successStatuses, ...(op.responses['409'] ? [409] : [])];
  const fixturePaths: JsonPath[] = [
    ...Object.keys(BODY_FIXTURES[op.key] ?? {}),
    ...Object.keys(env.caseFixtures[op.key] ?? {}),
  ].map((label) => label.split('.'));
  return {
    document: env.document,
    validator: env.validator,
    operation: op,
    bodyLimit: env.bodyLimit,
    success,
    fixturePaths,
  };
}

export function caseArbitrary(env: CaseEnvironment, op: Operation): Arbitrary<FuzzCase> {
  const context = operationContext(env, op);
  const pinned: [string, string][] = [
    ...Object.entries(BODY_FIXTURES[op.key] ?? {}).map(([label, read]): [string, string] => [label, read(env.world)]),
    ...Object.keys(env.caseFixtures[op.key] ?? {}).map((label, index): [string, string] => [
      label,
      caseFixtureMarker(index),
    ]),
  ];
  const body: Arbitrary<unknown> = op.body
    ? validValue(env.document, op.body.schema).map((value) =>
        pinned.reduce((at, [label, fixed]) => setAt(at, label.split('.'), fixed), value),
      )
    : fc.constant(undefined);
  const base = fc.record({ token: validToken(op), query: validQuery(env, op), body });
  type Base = { token: TokenKind; query: [string, string][]; body: unknown };

  const build = (valid: Base, change?: Mutation): FuzzCase => ({
    label: change?.label ?? 'valid request',
    family: change?.family ?? 'valid request',
    token: change?.token ?? valid.token,
    params: {
      ...Object.fromEntries(op.pathParams.map((p) => [p.name, { kind: 'fixture' } as const])),
      ...change?.params,
    },
    query: change?.query ?? valid.query,
    body: change?.body ?? (valid.body === undefined ? { kind: 'none' } : { kind: 'json', value: valid.body }),
    contentType: change && 'contentType' in change ? (change.contentType ?? null) : CLIENT_HEADERS['content-type']!,
    expect: change ? change.expect : expecting(context.success, 'a valid request'),
    hostilePath: change?.hostilePath,
  });
  const changed = (weight: number, mutations: (valid: Base) => Arbitrary<Mutation>) => ({
    weight,
    arbitrary: base.chain((valid) => mutations(valid).map((change) => build(valid, change))),
  });

  const options = [
    { weight: 3, arbitrary: base.map((valid) => build(valid)) },
    changed(2, () => tokenMutations(context)),
    changed(op.queryParams.length > 0 ? 2 : 1, (valid) => queryMutations(context, valid.query)),
    changed(1, () => contentTypeMutations(context, op.body !== undefined)),
  ];
  if (op.pathParams.length > 0) options.push(changed(3, () => paramMutations(context)));
  if (op.body) options.push(changed(6, (valid) => bodyMutations(context, valid.body)));
  else if (WRITES.includes(op.method)) options.push(changed(2, () => bodylessMutations(context)));
  return fc.oneof(...options);
}

/**
 * Authorization header values of every token kind, for the accounts an operation runs as. On an operation
 * with `x-required-role`, `owner` is an account holding that role (the other kinds carry the role too) and
 * `other` an ordinary user's token.
 */
export function tokenHeaders(env: CaseEnvironment) {
  const { world, secret } = env;
  return {
    shared: authorizationHeaders(world.owner, world.other, secret),
    self: authorizationHeaders(world.selfA, world.selfB, secret),
    roles: Object.fromEntries(
      Object.entries(world.roles).map(([role, account]) => [
        role,
        authorizationHeaders(account, world.other, secret, role),
      ]),
    ),
  };
}

function headersFor(tokens: ReturnType<typeof tokenHeaders>, op: Operation) {
  if (op.requiredRole === undefined) return changesCaller(op) ? tokens.self : tokens.shared;
  const headers = tokens.roles[op.requiredRole];
  if (!headers) throw new SetupError(`no account with the role "${op.requiredRole}" for ${op.key}`);
  return headers;
}

/**
 * The Authorization header of a case of an operation that ends the caller's session(s) (`x-ends-session`:
 * logout, logout everywhere). A valid token (`owner`, `other`) is that of an account registered for this case:
 * sent with a shared account's token, the request would revoke it, and every later case would get 401. The
 * broken kinds (expired, wrong secret, unknown user…) are refused before anything ends, so the shared ones serve.
 */
async function sessionEndingAuthorization(
  env: CaseEnvironment,
  tokens: ReturnType<typeof tokenHeaders>,
  op: Operation,
  kind: TokenKind,
): Promise<string | undefined> {
  if (kind !== 'owner' && kind !== 'other') return headersFor(tokens, op)[kind];
  const account =
    kind === 'owner' && op.requiredRole !== undefined
      ? await registerRoleAccount(env.client, op.requiredRole, env.secret)
      : await registerAccount(env.client, kind === 'owner' ? 'ends' : 'endsother');
  return `Token ${account.token}`;
}

/** `bytes` with the markers of per-case body fixtures replaced by values made for this case (see caseFixtureMarker). */
async function fillCaseFixtures(env: CaseEnvironment, op: Operation, bytes: Buffer | undefined) {
  let filled = bytes;
  for (const [index, make] of Object.values(env.caseFixtures[op.key] ?? {}).entries()) {
    const marker = Buffer.from(caseFixtureMarker(index));
    if (!filled?.includes(marker)) continue;
    const value = Buffer.from(await make({ client: env.client, owner: env.world.owner }));
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = filled.indexOf(marker); at !== -1; at = filled.indexOf(marker, from)) {
      parts.push(filled.subarray(from, at), value);
      from = at + marker.length;
    }
    filled = Buffer.concat([...parts, filled.subarray(from)]);
  }
  return filled;
}

export interface Materialized {
  request: WireRequest;
  /** Fresh resources the request may change (and their kinds): give them back to `pool` if it was refused. */
  fresh?: { resources: Resources; kinds: string[] };
}

/** The bytes of a case: fixtures filled in (fresh ones taken first where the request may destroy them). */
export async function materialize(
  env: CaseEnvironment,
  pool: FreshResources,
  tokens: ReturnType<typeof tokenHeaders>,
  op: Operation,
  fuzzCase: FuzzCase,
): Promise<Materialized> {
  const { moduleFixtures } = env.world;
  const needs = op.pathParams
    .filter((p) => fuzzCase.params[p.name]?.kind !== 'raw')
    .map((p) => resourceForParameter(op.path, p.name, moduleFixtures));
  const kinds = changesResource(op) ? needs.filter((r) => FreshResources.isFresh(env.world, r)) : [];
  const fresh = kinds.length > 0;
  const resources: Resources = fresh ? await pool.take(kinds) : env.world.shared;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const part = fuzzCase.params[name];
    if (part?.kind === 'raw') return part.raw;
    const value = resources[resourceForParameter(op.path, name, moduleFixtures)];
    if (value === undefined) throw new SetupError(`no fixture value for {${name}} of ${op.key}`);
    return encodeURIComponent(value);
  });
  const query = fuzzCase.query.map(([name, value]) => `${name}=${value}`).join('&');
  const headers: Record<string, string> = {
    accept: CLIENT_HEADERS.accept!,
    'x-requested-with': CLIENT_HEADERS['x-requested-with']!,
  };
  if (fuzzCase.contentType !== null) headers['content-type'] = fuzzCase.contentType;
  const authorization = op.endsSession
    ? await sessionEndingAuthorization(env, tokens, op, fuzzCase.token)
    : headersFor(tokens, op)[fuzzCase.token];
  if (authorization !== undefined) headers.authorization = authorization;
  const body = fuzzCase.body;
  const generated =
    body.kind === 'none'
      ? undefined
      : body.kind === 'empty'
        ? Buffer.alloc(0)
        : body.kind === 'json'
          ? Buffer.from(JSON.stringify(body.value))
          : body.kind === 'text'
            ? Buffer.from(body.text)
            : Buffer.from(body.bytes);
  const bytes = await fillCaseFixtures(env, op, generated);
  const request = withFraming({ method: op.method, path: query ? `${path}?${query}` : path, headers, body: bytes });
  return fresh ? { request, fresh: { resources, kinds } } : { request };
}
