import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRegistry } from '../../../src/core/jobs/job-registry.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { chromiumAvailable, launchChromium } from '../../support/browser.js';
import { adminToken, registerUser } from '../../factories/users.js';

interface PageProblems {
  console: string[];
  violations: string[];
  foreignRequests: string[];
}

/** Console errors, CSP violations and requests leaving the api's origin, for the page's whole life. */
async function watch(page: Page, origin: string): Promise<PageProblems> {
  const problems: PageProblems = { console: [], violations: [], foreignRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.console.push(message.text());
  });
  page.on('pageerror', (error) => problems.console.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:')) {
      problems.foreignRequests.push(request.url());
    }
  });
  await page.exposeFunction('reportViolation', (text: string) => problems.violations.push(text));
  // Page code, as text: these files are type-checked without the DOM library.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      reportViolation(event.violatedDirective + ' ' + event.blockedURI));`,
  });
  return problems;
}

describe.skipIf(!chromiumAvailable)('the queue dashboard in a real browser', () => {
  let t: TestApp;
  let api: string;
  let browser: Browser;
  let admin: string;
  let queueNames: string[];

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    api = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    admin = adminToken(t, await registerUser(t));
    queueNames = t.app
      .get(JobRegistry)
      .definitions()
      .map((queue) => queue.name);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A browser context holding the dashboard cookie the session route set, as the browser would store it. */
  async function signedInContext(): Promise<BrowserContext> {
    const response = await fetch(`${api}/api/v1/admin/queues/session`, {
      method: 'POST',
      headers: { authorization: `Token ${admin}` },
    });
    expect(response.status).toBe(204);
    const setCookie = response.headers.get('set-cookie')!;
    const [pair] = setCookie.split(';');
    const [name, value] = pair!.split('=') as [string, string];
    const context = await browser.newContext();
    await context.addCookies([
      {
        name,
        value,
        domain: new URL(api).hostname,
        path: '/admin/queues',
        httpOnly: true,
        sameSite: 'Strict',
        secure: false,
        expires: Math.floor(Date.now() / 1000) + 900,
      },
    ]);
    return context;
  }

  it('renders every queue for an admin holding the dashboard cookie, with no error nor CSP violation', async () => {
    const context = await signedInContext();
    const page = await context.newPage();
    const problems = await watch(page, api);
    const response = await page.goto(`${api}/admin/queues`);
    expect(response?.status()).toBe(200);
    // The page runs under its own policy (src/core/http/security-headers.ts), which the browser enforces.
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
    for (const name of queueNames) {
      await page.getByText(name, { exact: true }).first().waitFor({ timeout: 20_000 });
    }
    // The page's own writes (same origin, the cookie, no Authorization header) pass the cross-site check.
    const paused = await page.evaluate(async () => {
      const pause = await fetch('api/queues/reports/pause', { method: 'PUT' });
      const resume = await fetch('api/queues/reports/resume', { method: 'PUT' });
      return [pause.status, resume.status];
    });
    expect(paused).toEqual([200, 200]);
    expect(problems).toEqual({ console: [], violations: [], foreignRequests: [] });
    await context.close();
  });

  it('stores the cookie the session route sets when called from Swagger UI, as docs/operations.md says', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Swagger UI's page may call this origin (its CSP's connect-src); the API's JSON answers may call nothing.
    await page.goto(`${api}/docs`);
    const status = await page.evaluate(
      async (token) =>
        (await fetch('/api/v1/admin/queues/session', { method: 'POST', headers: { authorization: `Token ${token}` } }))
          .status,
      admin,
    );
    expect(status).toBe(204);
    const [cookie] = await context.cookies(`${api}/admin/queues`);
    expect(cookie).toMatchObject({ name: 'folio_queue_dashboard', path: '/admin/queues', httpOnly: true });
    expect(cookie!.sameSite).toBe('Strict');
    // Scripts cannot read it, and it is not sent to the API.
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await context.cookies(`${api}/api/v1/admin/jobs/dead-letters`)).toEqual([]);
    const response = await page.goto(`${api}/admin/queues`);
    expect(response?.status()).toBe(200);
    await page.getByText('notifications', { exact: true }).first().waitFor({ timeout: 20_000 });

    const closed = await page.evaluate(
      async (token) =>
        (
          await fetch('/api/v1/admin/queues/session', {
            method: 'DELETE',
            headers: { authorization: `Token ${token}` },
          })
        ).status,
      admin,
    );
    expect(closed).toBe(204);
    expect(await context.cookies(`${api}/admin/queues`)).toEqual([]);
    expect((await page.goto(`${api}/admin/queues`))?.status()).toBe(401);
    await context.close();
  });

  it('answers 401 to a browser without the cookie', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${api}/admin/queues`);
    expect(response?.status()).toBe(401);
    expect(response?.headers()['content-type']).toContain('application/problem+json');
    expect(JSON.parse(await response!.text())).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
    await context.close();
  });
});
