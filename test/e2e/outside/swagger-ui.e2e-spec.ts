import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { chromiumAvailable, launchChromium } from '../../support/browser.js';

const ARTIFACTS = join(import.meta.dirname, '..', '..', '..', 'reports');

/** Runs one operation through Swagger UI's "Try it out" and returns the status the page shows. */
async function tryItOut(page: Page, operationId: string, body?: string): Promise<{ status: string; text: string }> {
  const operation = page.locator(`[id$="-${operationId}"]`);
  if (!(await operation.locator('.opblock-body').isVisible())) await operation.locator('.opblock-summary').click();
  const tryOut = operation.locator('button.try-out__btn');
  if ((await tryOut.textContent())?.includes('Try it out')) await tryOut.click();
  if (body !== undefined) await operation.locator('textarea.body-param__text').fill(body);
  await operation.locator('button.execute').click();
  const status = operation.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  const text = (await operation.locator('.live-responses-table .microlight').first().textContent()) ?? '';
  return { status: (await status.textContent())?.trim() ?? '', text };
}

/** CSP violations (securitypolicyviolation events) and console errors, for the page's whole life. */
async function watchContentSecurityPolicy(page: Page): Promise<{ violations: string[]; console: string[] }> {
  const seen = { violations: [] as string[], console: [] as string[] };
  page.on('console', (message) => {
    if (message.type() === 'error') seen.console.push(message.text());
  });
  await page.exposeFunction('reportViolation', (text: string) => seen.violations.push(text));
  await page.addInitScript(() => {
    const page = globalThis as unknown as {
      addEventListener(type: string, listener: (event: Record<string, string>) => void): void;
      reportViolation(text: string): void;
    };
    page.addEventListener('securitypolicyviolation', (event) => {
      page.reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
    });
  });
  return seen;
}

describe.skipIf(!chromiumAvailable)('Swagger UI in a real browser', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = await t.app.getUrl();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('registers through "Try it out", is authorized by it, and reads the current user, also after a reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const seen = await watchContentSecurityPolicy(page);
    const served = await page.goto(`${url}/docs`);
    // Its own policy (docs/security.md): no 'unsafe-inline', the page's inline styles allowed by hash.
    const csp = served?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-hashes' 'sha256-/);
    expect(csp).not.toContain('unsafe-inline');
    expect(served?.headers()).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    await page.locator('.swagger-ui .information-container').waitFor();

    // The Authorize dialog's first box takes the bare token (bearer), as people paste it.
    await page.locator('button.authorize').first().click();
    const schemes = await page.locator('.auth-container h4').allTextContents();
    expect(schemes[0]).toContain('bearer');
    await page.locator('.modal-ux button.close-modal').click();

    const username = `swagger_${Date.now().toString(36)}`;
    const user = { username, email: `${username}@example.com`, password: 'swagger-password' };
    const registered = await tryItOut(page, 'registerUser', JSON.stringify({ user }));
    expect(registered.status).toBe('201');

    const current = await tryItOut(page, 'getCurrentUser');
    expect(current.status).toBe('200');
    expect(current.text).toContain(`"username": "${username}"`);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'swagger-ui.png'), fullPage: false });

    // persistAuthorization: the token survives a reload.
    await page.reload();
    await page.locator('.swagger-ui .information-container').waitFor();
    const afterReload = await tryItOut(page, 'getCurrentUser');
    expect(afterReload.status).toBe('200');
    // The whole session (load, Authorize dialog, three calls, reload) ran without a CSP violation.
    expect(seen.violations).toEqual([]);
    expect(seen.console.filter((text) => /Content Security Policy|Refused to/i.test(text))).toEqual([]);
    await page.close();
  });

  it('prefills the request example of an operation with a body', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/docs`);
    await page.locator('.swagger-ui .information-container').waitFor();
    const operation = page.locator('[id$="-createArticle"]');
    await operation.locator('.opblock-summary').click();
    const example = await operation.locator('.body-param__example, .highlight-code').first().textContent();
    expect(example).toContain('How to train your dragon');
    await page.close();
  });
});
