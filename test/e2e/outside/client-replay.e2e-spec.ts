// Client replay: every operation of the committed openapi/openapi.json, called over a real socket the way
// RealWorld frontends call it (Content-Type: application/json on every request, bodyless POST/DELETE
// included, X-Requested-With, Accept, keep-alive, `Token <jwt>`), must answer its documented success
// status with a body valid against its documented schema. See docs/testing-contract.md.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkError, checkResponse, type Problem } from '../../support/contract/checks.js';
import { CLIENT_HEADERS, HttpClient, describeResponse, toCurl, type WireRequest } from '../../support/contract/http.js';
import { startLiveApp, type LiveApp } from '../../support/contract/live-app.js';
import { loadModuleContracts } from '../../support/contract/modules.js';
import { loadApiDocument, type Operation } from '../../support/contract/openapi.js';
import {
  createReplayWorld,
  SCENARIOS,
  type Replay,
  type ReplayWorld,
  type Scenario,
} from '../../support/contract/replay-scenarios.js';
import { SchemaValidator } from '../../support/contract/schemas.js';

const document = loadApiDocument();
const validator = new SchemaValidator(document);

/**
 * How clients send "no body": fetch sends nothing (with `Content-Length: 0` on POST/PUT), Postman/newman
 * and axios send `Content-Length: 0` on DELETE too, Node streams send an empty chunked body.
 */
const FRAMINGS = ['no body bytes', 'Content-Length: 0', 'empty chunked body'] as const;
type Framing = (typeof FRAMINGS)[number];
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

function framingsOf(operation: Operation): Framing[] {
  return WRITES.includes(operation.method) && !operation.body ? [...FRAMINGS] : ['no body bytes'];
}

function buildRequest(operation: Operation, replay: Replay, framing: Framing): WireRequest {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = replay.params?.[name];
    if (value === undefined) throw new Error(`the scenario of ${operation.key} gives no value for {${name}}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams(replay.query ?? {}).toString();
  const headers: Record<string, string> = { ...CLIENT_HEADERS };
  if (replay.as) headers.authorization = `Token ${replay.as.token}`;
  let body: Buffer | undefined;
  if (replay.body !== undefined) body = Buffer.from(JSON.stringify(replay.body));
  else if (framing === 'Content-Length: 0') body = Buffer.alloc(0);
  else if (framing === 'empty chunked body') headers['transfer-encoding'] = 'chunked';
  if (body) headers['content-length'] = String(body.length);
  else if (framing === 'no body bytes' && ['POST', 'PUT', 'PATCH'].includes(operation.method)) {
    headers['content-length'] = '0';
  }
  return { method: operation.method, path: query ? `${path}?${query}` : path, headers, body };
}

function report(live: LiveApp, request: WireRequest, problems: Problem[], response: string): string {
  return [
    ...problems.map((p) => `✗ ${p.rule}: ${p.key} (${p.detail})`),
    `$ ${toCurl(live.baseUrl, request)}`,
    response,
  ].join('\n');
}

describe('client replay: every documented operation, as RealWorld clients send it, over a real socket', () => {
  let live: LiveApp;
  let client: HttpClient;
  let world: ReplayWorld;
  /** SCENARIOS and those of generated modules (test/e2e/<name>/<name>.contract.ts, see modules.ts). */
  let scenarios: Record<string, Scenario>;

  beforeAll(async () => {
    const modules = await loadModuleContracts({ scenarios: Object.keys(SCENARIOS) });
    scenarios = { ...SCENARIOS, ...modules.scenarios };
    live = await startLiveApp();
    client = new HttpClient(live.baseUrl);
    world = await createReplayWorld(client);
  });
  afterAll(async () => {
    client?.close();
    await live?.close();
  });

  it('has a scenario for no operation the document lacks', () => {
    const documented = new Set(document.operations.map((operation) => operation.key));
    expect(Object.keys(scenarios).filter((key) => !documented.has(key))).toEqual([]);
  });

  it.each(document.operations.map((operation) => [operation.key, operation] as const))(
    '%s answers its documented success with a documented body',
    async (key, operation) => {
      const scenario = scenarios[key];
      if (!scenario) {
        expect.fail(
          `no client-replay scenario for ${key}: add one to test/support/contract/replay-scenarios.ts ` +
            '(or, for a generated module, to its test/e2e/<name>/<name>.contract.ts)',
        );
      }
      for (const framing of framingsOf(operation)) {
        const replay = await scenario(world);
        try {
          const request = buildRequest(operation, replay, framing);
          const response = await client.send(request);
          const success = { statuses: operation.successStatuses, why: `a valid request (${framing})` };
          const context = { operation, sentPath: request.path, expect: success };
          const problems = checkResponse(validator, context, response);
          expect(problems, report(live, request, problems, describeResponse(response))).toEqual([]);
          await replay.verify?.(response.json);
        } finally {
          await replay.cleanup?.();
        }
      }
    },
  );

  const restricted = document.operations.filter((operation) => operation.requiredRole !== undefined);
  it.each(restricted.map((operation) => [operation.key, operation.requiredRole, operation] as const))(
    '%s answers 403 in its error shape to a valid token without the %s role',
    async (key, _role, operation) => {
      const scenario = scenarios[key];
      if (!scenario) expect.fail(`no client-replay scenario for ${key}`);
      const replay = await scenario(world);
      try {
        const request = buildRequest(operation, { ...replay, as: world.reader }, 'no body bytes');
        const response = await client.send(request);
        const forbidden = { statuses: [403], why: 'an ordinary user, on an operation with x-required-role' };
        const problems = checkResponse(validator, { operation, sentPath: request.path, expect: forbidden }, response);
        expect(problems, report(live, request, problems, describeResponse(response))).toEqual([]);
      } finally {
        await replay.cleanup?.();
      }
    },
  );

  it.each([
    ['POST', '/api/nothing-here'],
    ['DELETE', '/api/nothing-here'],
    ['GET', '/api/nothing-here'],
    ['POST', '/nothing-here'],
    ['GET', '/api/v1/nothing-here'],
  ])(
    'an unknown route (%s %s) with a JSON content-type and an empty body answers 404 in its error shape',
    async (method, path) => {
      const headers = { ...CLIENT_HEADERS, 'content-length': '0' };
      const request: WireRequest = { method, path, headers, body: Buffer.alloc(0) };
      const response = await client.send(request);
      const problems = checkError(validator, path, response);
      expect(response.status, describeResponse(response)).toBe(404);
      expect(problems, report(live, request, problems, describeResponse(response))).toEqual([]);
    },
  );

  it('answers 405 in the error shape, with Allow, for a documented path under a method it does not have', async () => {
    const paths = [...new Set(document.operations.map((operation) => operation.path))];
    for (const template of paths) {
      const methods = document.operations.filter((o) => o.path === template).map((o) => o.method);
      const path = template.replace(/\{[^}]+\}/g, '1');
      const request: WireRequest = {
        method: 'PATCH',
        path,
        headers: { ...CLIENT_HEADERS, 'content-length': '0' },
        body: Buffer.alloc(0),
      };
      const response = await client.send(request);
      const shown = describeResponse(response);
      expect(response.status, `PATCH ${template}\n${shown}`).toBe(405);
      expect(checkError(validator, path, response), shown).toEqual([]);
      const allow = String(response.headers.allow ?? '').split(/,\s*/);
      expect(allow, `Allow of ${template}`).toEqual(expect.arrayContaining(methods));
    }
  });
});
