import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { chromiumAvailable, launchChromium } from '../../support/browser.js';

/**
 * A Conduit frontend's API calls, run by a real browser from another origin: every request goes through
 * CORS (a preflight for the Authorization and JSON Content-Type headers), and the bodyless writes are
 * sent the ways RealWorld frontends send them: fetch with a JSON Content-Type and no body (the Vue 3
 * reference app), and XMLHttpRequest with the header and `send()` (Angular's HttpClient on a null body).
 */
const PAGE = `<!doctype html><html><body><script>
async function call(api, method, path, { token, body, xhr } = {}) {
  const headers = { 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  if (token) headers.Authorization = 'Token ' + token;
  if (xhr) {
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open(method, api + path);
      for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
      request.onload = () => resolve({ status: request.status, json: request.responseText ? JSON.parse(request.responseText) : null });
      request.onerror = () => resolve({ status: 0, json: null });
      request.send();
    });
  }
  const response = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}
window.conduit = async (api, suffix) => {
  const steps = {};
  const user = (name) => ({ username: name + suffix, email: name + suffix + '@example.com', password: 'browser-password' });
  const reader = (await call(api, 'POST', '/api/users', { body: { user: user('reader') } })).json.user;
  const author = (await call(api, 'POST', '/api/users', { body: { user: user('author') } })).json.user;
  const created = await call(api, 'POST', '/api/articles', { token: author.token,
    body: { article: { title: 'Browser ' + suffix, description: 'd', body: 'b', tagList: ['training', 'dragons'] } } });
  steps.create = created.status;
  steps.tagList = created.json.article.tagList;
  const slug = created.json.article.slug;
  steps.follow = (await call(api, 'POST', '/api/profiles/' + author.username + '/follow', { token: reader.token })).status;
  steps.favorite = (await call(api, 'POST', '/api/articles/' + slug + '/favorite', { token: reader.token, xhr: true })).status;
  const feed = await call(api, 'GET', '/api/articles/feed', { token: reader.token });
  steps.feedHasArticle = feed.json.articles.some((a) => a.slug === slug && a.favorited);
  const comment = await call(api, 'POST', '/api/articles/' + slug + '/comments', { token: reader.token, body: { comment: { body: 'Nice' } } });
  steps.comment = comment.status;
  steps.deleteComment = (await call(api, 'DELETE', '/api/articles/' + slug + '/comments/' + comment.json.comment.id, { token: reader.token, xhr: true })).status;
  steps.unfavorite = (await call(api, 'DELETE', '/api/articles/' + slug + '/favorite', { token: reader.token })).status;
  steps.unfollow = (await call(api, 'DELETE', '/api/profiles/' + author.username + '/follow', { token: reader.token, xhr: true })).status;
  const invalid = await call(api, 'POST', '/api/users', {});
  steps.invalidRegister = [invalid.status, invalid.json.errors.body[0]];
  steps.deleteArticle = (await call(api, 'DELETE', '/api/articles/' + slug, { token: author.token })).status;
  return steps;
};
</script></body></html>`;

describe.skipIf(!chromiumAvailable)('a Conduit frontend in a real browser, from another origin', () => {
  let t: TestApp;
  let api: string;
  let site: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    api = await t.app.getUrl();
    site = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    site?.close();
    await t?.close();
  });

  it('registers, publishes, follows, favorites, comments and deletes, as the frontend does', async () => {
    const page = await browser.newPage();
    // A call CORS blocks fails in the page ("Failed to fetch"), so each status above passed its preflight.
    await page.goto(origin);
    // Errors thrown in the page carry browser stack frames; only their message is kept.
    const steps = await page
      .evaluate(
        ([base, suffix]) =>
          (globalThis as unknown as { conduit: (a: string, s: string) => Promise<unknown> }).conduit(base, suffix),
        [api, Date.now().toString(36)] as const,
      )
      .catch((error: Error) => {
        throw new Error(`the page failed: ${error.message.split('\n')[0]}`);
      });
    expect(steps).toEqual({
      create: 201,
      tagList: ['dragons', 'training'],
      follow: 200,
      favorite: 200,
      feedHasArticle: true,
      comment: 200,
      deleteComment: 200,
      unfavorite: 200,
      unfollow: 200,
      invalidRegister: [422, 'user is required'],
      deleteArticle: 200,
    });
    await page.close();
  });
});
