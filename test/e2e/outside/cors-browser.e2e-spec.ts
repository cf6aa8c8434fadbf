import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment } from '../../support/jobs.js';
import { chromiumAvailable, launchChromium } from '../../support/browser.js';

/** A frontend's profile update: PUT with a JSON body and the token, so the browser sends a preflight first. */
const PAGE = `<!doctype html><html><body><script>
window.updateBio = async (api, token, bio) => {
  try {
    const response = await fetch(api + '/api/user', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'Token ' + token },
      body: JSON.stringify({ user: { bio } }),
    });
    return { status: response.status, bio: (await response.json()).user.bio, requestId: response.headers.get('x-request-id') };
  } catch (error) {
    return { failed: error.name + ': ' + error.message };
  }
};
</script></body></html>`;

interface Outcome {
  status?: number;
  bio?: string;
  requestId?: string | null;
  failed?: string;
}

/** The CORS allowlist as a browser enforces it: one page, served from two origins (localhost and 127.0.0.1). */
describe.skipIf(!chromiumAvailable)('CORS allowlist in a real browser', () => {
  let site: Server;
  let sitePort: number;
  let browser: Browser;

  beforeAll(async () => {
    site = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    sitePort = (site.address() as AddressInfo).port;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    site?.close();
  });

  async function updateBioFrom(origin: string, api: string, token: string, bio: string): Promise<Outcome> {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        ([base, jwt, text]) =>
          (globalThis as unknown as { updateBio: (a: string, t: string, b: string) => Promise<Outcome> }).updateBio(
            base,
            jwt,
            text,
          ),
        [api, token, bio] as const,
      );
    } finally {
      await page.close();
    }
  }

  async function startApi(environment: Record<string, string>, unset: string[]): Promise<{ t: TestApp; api: string }> {
    applyEnvironment(environment, unset);
    const t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    return { t, api: `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}` };
  }

  it('lets a page on a loopback origin PUT with Authorization by default outside production', async () => {
    const { t, api } = await startApi({}, ['CORS_ORIGINS']);
    try {
      const user = await registerUser(t);
      // Another port of 127.0.0.1: another origin, under Cross-Origin-Resource-Policy: same-origin, which CORS
      // requests are not subject to.
      const outcome = await updateBioFrom(`http://127.0.0.1:${sitePort}`, api, user.token, 'from the browser');
      expect(outcome).toEqual({ status: 200, bio: 'from the browser', requestId: expect.any(String) });
    } finally {
      await t.close();
    }
  });

  it('blocks a page whose origin CORS_ORIGINS does not list, and serves the listed one', async () => {
    const { t, api } = await startApi({ CORS_ORIGINS: `http://localhost:${sitePort}` }, []);
    try {
      const user = await registerUser(t);
      const blocked = await updateBioFrom(`http://127.0.0.1:${sitePort}`, api, user.token, 'should not land');
      expect(blocked).toEqual({ failed: 'TypeError: Failed to fetch' });
      // The preflight was refused, so the PUT itself never reached the API.
      const unchanged = await t.request({ method: 'GET', url: '/api/user', token: user.token });
      expect(unchanged.body.user.bio).toBeNull();
      const listed = await updateBioFrom(`http://localhost:${sitePort}`, api, user.token, 'from the listed origin');
      expect(listed).toMatchObject({ status: 200, bio: 'from the listed origin' });
    } finally {
      await t.close();
      applyEnvironment({}, ['CORS_ORIGINS']);
    }
  });
});
