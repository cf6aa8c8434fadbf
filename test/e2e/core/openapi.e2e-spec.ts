import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../src/core/http/openapi.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const committedPath = join(import.meta.dirname, '../../../openapi/openapi.json');

describe('OpenAPI document', () => {
  let t: TestApp;
  let document: Record<string, any>;
  beforeAll(async () => {
    t = await createTestApp();
    document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app)));
  });
  afterAll(async () => {
    await t.close();
  });

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('matches the committed openapi/openapi.json (run `npm run openapi` after an API change)', () => {
    const committed = JSON.parse(readFileSync(committedPath, 'utf8'));
    expect(document).toEqual(committed);
  });

  it('documents every operation with a summary, an operationId and its responses', () => {
    const operations = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ id: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const { id, operation } of operations) {
      expect(operation.summary, `${id} summary`).toEqual(expect.any(String));
      expect(operation.operationId, `${id} operationId`).toMatch(/^[a-z][A-Za-z]+$/);
      expect(Object.keys(operation.responses), `${id} responses`).not.toHaveLength(0);
    }
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the security of authenticated routes and the RealWorld user schema', () => {
    const getUser = document.paths['/api/user'].get;
    // Bearer first: the box Swagger UI's Authorize dialog shows first takes the bare token.
    expect(getUser.security).toEqual([{ bearer: [] }, { realworldToken: [] }]);
    expect(Object.keys(document.components.securitySchemes)).toEqual(['bearer', 'realworldToken']);
    expect(getUser.responses['401']).toBeDefined();
    expect(document.components.schemas.AuthenticatedUserDto.required).toEqual(
      expect.arrayContaining(['email', 'token', 'username', 'bio', 'image']),
    );
  });

  it('documents the edge errors of every operation in the error shape of its path', () => {
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      const realWorld = path.startsWith('/api/') && !/^\/api\/v\d+\//.test(path);
      const expected = realWorld
        ? { 'application/json': { schema: { $ref: '#/components/schemas/RealWorldErrorResponseDto' } } }
        : { 'application/problem+json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
      for (const [method, operation] of Object.entries(item)) {
        const id = `${method.toUpperCase()} ${path}`;
        const statuses = Object.keys(operation.responses);
        expect(statuses, id).toContain('500');
        if (['post', 'put', 'patch', 'delete'].includes(method)) {
          expect(statuses, id).toEqual(expect.arrayContaining(['400', '413', '415']));
        }
        if (path.includes('{')) expect(statuses, id).toEqual(expect.arrayContaining(['400', '404', '414', '422']));
        if (operation.requestBody) expect(statuses, id).toContain('422');
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) >= 400) expect(response.content, `${id} ${status}`).toEqual(expected);
        }
      }
    }
  });

  it('types integers as integer with bounds, so a generated client cannot send 7.5', () => {
    const list = document.paths['/api/articles'].get.parameters;
    expect(list.find((p: any) => p.name === 'limit').schema).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 100,
    });
    expect(list.find((p: any) => p.name === 'offset').schema).toMatchObject({ type: 'integer', minimum: 0 });
    const commentId = document.paths['/api/articles/{slug}/comments/{id}'].delete.parameters.find(
      (p: any) => p.name === 'id',
    );
    expect(commentId.schema).toEqual({ type: 'integer', minimum: 1, maximum: 2147483647 });
    const numbers = JSON.stringify(document).match(/"type":"number"/g) ?? [];
    expect(numbers).toEqual([]);
  });

  it('gives every field of every request body an example, for Swagger UI to prefill', () => {
    const schemaOf = (ref: string) => document.components.schemas[ref.split('/').pop() as string];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        const ref = operation.requestBody?.content?.['application/json']?.schema?.$ref;
        if (!ref) continue;
        // RealWorld bodies wrap their fields in an envelope (`{"user": {...}}`); /api/v1 bodies are flat.
        for (const [name, property] of Object.entries(schemaOf(ref).properties as Record<string, any>)) {
          const fields = property.$ref ? Object.entries(schemaOf(property.$ref).properties) : [[name, property]];
          for (const [field, schema] of fields as Array<[string, any]>) {
            expect(schema.example, `${method.toUpperCase()} ${path}: ${field}`).toBeDefined();
          }
        }
      }
    }
  });

  it('serves the Swagger UI at /docs and the JSON at /docs-json', async () => {
    const ui = await t.request({ method: 'GET', url: '/docs' });
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
    const json = await t.request({ method: 'GET', url: '/docs-json' });
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
  });
});
