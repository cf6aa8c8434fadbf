// The shape of one generated request, before fixtures are filled in (so that a seed replays the same case).
import type { Expectation } from '../checks.js';
import type { ApiDocument, Operation } from '../openapi.js';
import type { SchemaValidator } from '../schemas.js';
import type { TokenKind } from '../tokens.js';
import type { JsonPath } from './json-paths.js';

export type BodyPart =
  /** No body bytes; framed the way fetch does it (Content-Length: 0 on POST/PUT, nothing on GET/DELETE). */
  | { kind: 'none' }
  /** No body bytes with an explicit `Content-Length: 0`, whatever the method. */
  | { kind: 'empty' }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: number[] };

export type ParamPart =
  /** The fixture resource the parameter names (see PATH_PARAMETER_RESOURCES). */
  | { kind: 'fixture' }
  /** A path segment sent exactly as written (already percent-encoded, or hostile on purpose). */
  | { kind: 'raw'; raw: string };

/** A valid request, or one with exactly one change (token, a path segment, the query, the body or its type). */
export interface FuzzCase {
  /** The change, e.g. `body NUL byte at user.bio`, or `valid request` (printed with failures). */
  label: string;
  /** The change without its location, e.g. `body NUL byte`: failures group by it. */
  family: string;
  token: TokenKind;
  params: Record<string, ParamPart>;
  /** Already encoded `name=value` pairs, repeated names allowed. */
  query: [string, string][];
  body: BodyPart;
  /** null: no Content-Type header. */
  contentType: string | null;
  expect?: Expectation;
  hostilePath?: boolean;
}

/** A change to one part of a valid case. */
export type Mutation = Partial<Pick<FuzzCase, 'token' | 'params' | 'query' | 'body' | 'contentType' | 'hostilePath'>> &
  Pick<FuzzCase, 'label' | 'family' | 'expect'>;

export interface OperationContext {
  document: ApiDocument;
  validator: SchemaValidator;
  operation: Operation;
  bodyLimit: number;
  /** Statuses a valid request may get: the documented 2xx, and 409 where documented (generated names may collide). */
  success: number[];
  /** Body locations filled from fixtures (e.g. the login credentials): changing them changes the outcome. */
  fixturePaths: JsonPath[];
}

/** Expectation helper: `undefined` when no status set is given. */
export function expecting(statuses: number[] | undefined, why: string, field?: string): Expectation | undefined {
  if (!statuses || statuses.length === 0) return undefined;
  return field ? { statuses, why, field } : { statuses, why };
}
