// The committed OpenAPI document, read at run time and flattened into the operations the contract
// suites iterate. Nothing here knows today's endpoints: a new operation in the document is a new case.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPENAPI_FILE = join(import.meta.dirname, '../../../openapi/openapi.json');

export type JsonSchema = { [keyword: string]: any };

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

/** `public`: no security; `optional`: a token is read when sent (an empty requirement); `required`. */
export type AuthMode = 'public' | 'optional' | 'required';

export interface DocumentedResponse {
  schema?: JsonSchema;
  contentTypes: string[];
}

export interface Operation {
  /** The operationId (what `npm run fuzz -- --op` takes), or `METHOD /path` when the document has none. */
  id: string;
  /** `METHOD /path`, as a RealWorld client would name the request. */
  key: string;
  method: string;
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body?: { schema: JsonSchema; required: boolean; contentTypes: string[] };
  /** Keyed by the status as written in the document: `200`, `4XX`, `default`. */
  responses: Record<string, DocumentedResponse>;
  successStatuses: number[];
  auth: AuthMode;
  /** The role the token must carry (`x-required-role`): other valid tokens get 403. */
  requiredRole?: string;
  /**
   * Ends the caller's session, or all of them (`x-ends-session`: logout, logout everywhere): the fuzz sends it
   * with tokens of accounts registered for the case, never with the shared ones it would revoke.
   */
  endsSession?: boolean;
}

export interface ApiDocument {
  raw: JsonSchema;
  operations: Operation[];
  schemas: Record<string, JsonSchema>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

export function loadApiDocument(file = OPENAPI_FILE): ApiDocument {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<JsonSchema>(raw.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method] as JsonSchema | undefined;
      if (operation) operations.push(toOperation(raw, path, method, item, operation));
    }
  }
  operations.sort((a, b) => a.key.localeCompare(b.key));
  return { raw, operations, schemas: raw.components?.schemas ?? {} };
}

function toOperation(
  raw: JsonSchema,
  path: string,
  method: string,
  item: JsonSchema,
  operation: JsonSchema,
): Operation {
  // Operation-level parameters override path-item ones with the same name and location.
  const merged = new Map<string, Parameter>();
  for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => deref(raw, p))) {
    // A parameter-level `x-opaque` (a server-issued value, see fuzz/values.ts) is read with its schema.
    const schema = p['x-opaque'] === true ? { ...p.schema, 'x-opaque': true } : (p.schema ?? {});
    merged.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true, schema });
  }
  const params = [...merged.values()];
  const requestBody = operation.requestBody ? deref(raw, operation.requestBody) : undefined;
  const bodyMedia = requestBody?.content ?? {};
  const responses: Record<string, DocumentedResponse> = {};
  for (const [status, response] of Object.entries<JsonSchema>(operation.responses ?? {})) {
    const content = deref(raw, response).content ?? {};
    const json = Object.entries<JsonSchema>(content).find(([type]) => /json/.test(type));
    responses[status] = { schema: json?.[1].schema, contentTypes: Object.keys(content) };
  }
  const key = `${method.toUpperCase()} ${path}`;
  return {
    id: typeof operation.operationId === 'string' ? operation.operationId : key,
    key,
    method: method.toUpperCase(),
    path,
    pathParams: params.filter((p) => p.in === 'path'),
    queryParams: params.filter((p) => p.in === 'query'),
    body: requestBody
      ? {
          schema: (Object.values<JsonSchema>(bodyMedia).find((m) => m.schema)?.schema ?? {}) as JsonSchema,
          required: requestBody.required === true,
          contentTypes: Object.keys(bodyMedia),
        }
      : undefined,
    responses,
    successStatuses: Object.keys(responses)
      .filter((s) => /^2\d\d$/.test(s))
      .map(Number),
    auth: authMode(operation.security ?? raw.security),
    ...(typeof operation['x-required-role'] === 'string' ? { requiredRole: operation['x-required-role'] } : {}),
    ...(operation['x-ends-session'] === true ? { endsSession: true } : {}),
  };
}

function authMode(security: JsonSchema[] | undefined): AuthMode {
  if (!security || security.length === 0) return 'public';
  return security.some((requirement) => Object.keys(requirement).length === 0) ? 'optional' : 'required';
}

/** Follows a local `$ref` (`#/components/...`) until a non-reference object is reached. */
export function deref(raw: JsonSchema, node: JsonSchema): JsonSchema {
  let current = node;
  for (let hops = 0; typeof current?.$ref === 'string'; hops += 1) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`cannot resolve ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<JsonSchema>((at, part) => at?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], raw);
    if (!current) throw new Error(`dangling reference ${node.$ref}`);
  }
  return current;
}

/** `#/components/schemas/Name` → `Name`. */
export function refName(schema: JsonSchema | undefined): string | undefined {
  const ref = schema?.$ref;
  return typeof ref === 'string' ? ref.split('/').pop() : undefined;
}

/** Whether the document lists `status` for the operation (exactly, as a range such as `4XX`, or `default`). */
export function isDocumented(operation: Operation, status: number): boolean {
  const keys = Object.keys(operation.responses);
  return keys.includes(String(status)) || keys.includes(`${String(status)[0]}XX`) || keys.includes('default');
}

export function documentedResponse(operation: Operation, status: number): DocumentedResponse | undefined {
  const r = operation.responses;
  return r[String(status)] ?? r[`${String(status)[0]}XX`] ?? r.default;
}

/**
 * The error body a path must answer with, per the README: RealWorld `{errors:{body}}` under `/api`
 * except versioned `/api/v<n>/...`, RFC 9457 problem+json everywhere else. Restated here on purpose:
 * the suites check the implementation in src/core/http against the convention, not against itself.
 */
export function errorFormatFor(rawPath: string): 'realworld' | 'problem' {
  const path = rawPath.split('?')[0] ?? '';
  if (!/^\/api(\/|$)/.test(path)) return 'problem';
  return /^\/api\/v\d+(\/|$)/.test(path) ? 'problem' : 'realworld';
}
