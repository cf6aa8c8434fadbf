import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { Deprecated } from '../../../src/core/http/deprecation.js';
import { buildOpenApiDocument } from '../../../src/core/http/openapi.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

const since = new Date('2026-12-01T00:00:00Z');
const sunset = new Date('2027-06-01T00:00:00Z');

@Controller('api/v1/test-old')
@Public()
class OldController {
  /** @deprecated Use GET /api/v2/test-new. */
  @Get()
  @Deprecated({ since, sunset, link: 'https://folio.dev/docs/versioning' })
  getOldThing(): { old: boolean } {
    return { old: true };
  }
}

@Module({ imports: [AppModule], controllers: [OldController] })
class VersioningTestModule {}

describe('versioning: the two surfaces and deprecation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(VersioningTestModule);
  });
  afterAll(async () => {
    await t.close();
  });

  it('announces a deprecated route with Deprecation, Sunset and Link on every answer', async () => {
    const response = await t.request({ method: 'GET', url: '/api/v1/test-old' });
    expect(response.status).toBe(200);
    expect(response.headers.deprecation).toBe(`@${since.getTime() / 1000}`);
    expect(response.headers.sunset).toBe('Tue, 01 Jun 2027 00:00:00 GMT');
    expect(response.headers.link).toBe('<https://folio.dev/docs/versioning>; rel="deprecation"');
    const current = await t.request({ method: 'GET', url: '/api/tags' });
    expect(current.headers.deprecation).toBeUndefined();
  });

  it('documents the sunset in the operation', async () => {
    const document = JSON.parse(JSON.stringify(await buildOpenApiDocument(t.app)));
    expect(document.paths['/api/v1/test-old'].get['x-sunset']).toBe(sunset.toISOString());
  });

  it('serves the RealWorld surface and the v1 surface as two documents, and the whole in the UI', async () => {
    const realworld = await t.request({ method: 'GET', url: '/docs/realworld-json' });
    const v1 = await t.request({ method: 'GET', url: '/docs/v1-json' });
    const realworldPaths = Object.keys(realworld.body.paths);
    const v1Paths = Object.keys(v1.body.paths);
    expect(realworldPaths).toContain('/api/articles');
    expect(realworldPaths.every((path) => path.startsWith('/api/') && !path.startsWith('/api/v1/'))).toBe(true);
    expect(v1Paths).toContain('/api/v1/admin/feature-flags');
    expect(v1Paths.every((path) => path.startsWith('/api/v1/'))).toBe(true);
    const init = await t.request({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    expect(init.text).toContain('/docs/realworld-json');
    expect(init.text).toContain('/docs/v1-json');
  });
});
