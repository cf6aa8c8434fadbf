// The moderation operations (abuse reports, hide/unhide) and the audit log in the contract suites
// (docs/testing-contract.md). Everything is set up through the API; the moderator is an account whose token
// carries the role (registerRoleAccount), as the suites do for admins.
import { expect } from 'vitest';
import {
  call,
  createArticle,
  createComment,
  registerAccount,
  registerRoleAccount,
  type Account,
} from '../../support/contract/fixtures.js';
import type { ModuleContract } from '../../support/contract/modules.js';
import type { HttpClient } from '../../support/contract/http.js';

/** A fresh article by a fresh author, reported by `reporter`; returns the report's id. */
async function createAbuseReport(client: HttpClient, reporter: Account): Promise<string> {
  const author = await registerAccount(client, 'reported');
  const slug = await createArticle(client, author);
  const response = await call(client, 'POST', '/api/v1/abuse-reports', {
    token: reporter.token,
    body: { targetType: 'article', targetId: slug, reason: 'spam' },
    expect: 201,
  });
  return (response.json as { report: { id: string } }).report.id;
}

const moderatorOf = (client: HttpClient) => registerRoleAccount(client, 'moderator');

async function hiddenArticle(client: HttpClient, author: Account, moderator: Account): Promise<string> {
  const slug = await createArticle(client, author);
  await call(client, 'POST', `/api/v1/admin/articles/${encodeURIComponent(slug)}/hide`, {
    token: moderator.token,
    body: { reason: 'contract fixture' },
    expect: 200,
  });
  return slug;
}

export const contract: ModuleContract = {
  scenarios: {
    'GET /api/v1/admin/audit-log': async ({ client, admin }) => {
      const moderator = await moderatorOf(client);
      await hiddenArticle(client, await registerAccount(client, 'audited'), moderator);
      return {
        as: admin,
        query: { action: 'article.hidden', limit: '5' },
        verify: (json) => {
          expect(json.entries.length).toBeGreaterThan(0);
          expect(json.entries[0]).toMatchObject({ action: 'article.hidden', target: { type: 'article' } });
        },
      };
    },
    'POST /api/v1/abuse-reports': async ({ client, author, reader }) => ({
      as: reader,
      body: { targetType: 'article', targetId: await createArticle(client, author), reason: 'spam', details: 'ads' },
      verify: (json) => expect(json.report).toMatchObject({ status: 'open', reason: 'spam', details: 'ads' }),
    }),
    'GET /api/v1/abuse-reports': async ({ client }) => {
      const reporter = await registerAccount(client, 'reporter');
      const id = await createAbuseReport(client, reporter);
      return { as: reporter, verify: (json) => expect(json.reports.map((r: { id: string }) => r.id)).toEqual([id]) };
    },
    'GET /api/v1/admin/abuse-reports': async ({ client, reader }) => {
      const id = await createAbuseReport(client, reader);
      return {
        as: await moderatorOf(client),
        query: { status: 'open', limit: '100' },
        verify: (json) => expect(json.reports.map((r: { id: string }) => r.id)).toContain(id),
      };
    },
    'POST /api/v1/admin/abuse-reports/{id}/resolve': async ({ client, reader }) => ({
      as: await moderatorOf(client),
      params: { id: await createAbuseReport(client, reader) },
      body: { reason: 'content hidden' },
      verify: (json) => expect(json.report).toMatchObject({ status: 'resolved', resolution: 'content hidden' }),
    }),
    'POST /api/v1/admin/abuse-reports/{id}/dismiss': async ({ client, reader }) => ({
      as: await moderatorOf(client),
      params: { id: await createAbuseReport(client, reader) },
      body: { reason: 'not abuse' },
      verify: (json) => expect(json.report).toMatchObject({ status: 'dismissed' }),
    }),
    'POST /api/v1/admin/articles/{slug}/hide': async ({ client, author }) => ({
      as: await moderatorOf(client),
      params: { slug: await createArticle(client, author) },
      body: { reason: 'spam' },
      verify: (json) => expect(json.article).toMatchObject({ hidden: true }),
    }),
    'POST /api/v1/admin/articles/{slug}/unhide': async ({ client, author }) => {
      const moderator = await moderatorOf(client);
      const slug = await hiddenArticle(client, author, moderator);
      return {
        as: moderator,
        params: { slug },
        body: { reason: 'appeal accepted' },
        verify: (json) => expect(json.article.hidden).toBeUndefined(),
      };
    },
    'POST /api/v1/admin/comments/{id}/hide': async ({ client, reader, slug }) => ({
      as: await moderatorOf(client),
      params: { id: String(await createComment(client, reader, slug)) },
      body: { reason: 'insults' },
      verify: (json) => expect(json.comment).toMatchObject({ hidden: true }),
    }),
    'POST /api/v1/admin/comments/{id}/unhide': async ({ client, reader, slug }) => {
      const moderator = await moderatorOf(client);
      const id = String(await createComment(client, reader, slug));
      await call(client, 'POST', `/api/v1/admin/comments/${id}/hide`, {
        token: moderator.token,
        body: { reason: 'insults' },
        expect: 200,
      });
      return {
        as: moderator,
        params: { id },
        body: { reason: 'appeal accepted' },
        verify: (json) => expect(json.comment.hidden).toBeUndefined(),
      };
    },
  },
  pathParameters: {
    'abuse-reports/{id}': ({ client }) => registerAccount(client, 'reporter').then((r) => createAbuseReport(client, r)),
  },
  // A report needs a target that exists and is not the reporter's: a fresh article of another account per case.
  bodyFixtures: {
    'POST /api/v1/abuse-reports': {
      targetType: async () => 'article',
      targetId: async ({ client }) => createArticle(client, await registerAccount(client, 'reported')),
    },
  },
};
