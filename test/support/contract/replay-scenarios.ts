// One valid request per operation of the document, set up through the API as a RealWorld frontend would
// get there. Keyed by `METHOD /path` as the document writes it; the client replay fails for an operation
// without a scenario, so a new endpoint cannot be left out.
import { expect } from 'vitest';
import {
  call,
  createArticle,
  createComment,
  FIXTURE_FEATURE_FLAG,
  newArticle,
  newUser,
  readFeatureFlag,
  registerAccount,
  registerRoleAccount,
  restoreFeatureFlag,
  setFeatureFlag,
  type Account,
  type FeatureFlagState,
} from './fixtures.js';
import type { HttpClient } from './http.js';

export interface ReplayWorld {
  client: HttpClient;
  /** Wrote `slug` (tags `training`, `dragons`) and a comment on it. */
  author: Account;
  /** Follows the author. Scenarios leave this world as they found it: what they change, they create. */
  reader: Account;
  /** A registered account whose token carries `role: admin` (re-signed: the API never issues one). */
  admin: Account;
  slug: string;
}

export interface Replay {
  /** Path parameters, unencoded. */
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** Whose token is sent; none when absent. */
  as?: Account;
  body?: unknown;
  /**
   * What the answer must say beyond its schema; async where that is only seen on the next request (a token a
   * logout revoked, a password a reset changed), checked through the API like the rest.
   */
  verify?: (json: any) => void | Promise<void>;
  /** Puts back what the scenario changed in shared state (feature flags), after the answer is checked. */
  cleanup?: () => Promise<void>;
}

export type Scenario = (world: ReplayWorld) => Promise<Replay>;

export async function createReplayWorld(client: HttpClient): Promise<ReplayWorld> {
  const [author, reader, admin] = await Promise.all([
    registerAccount(client, 'author'),
    registerAccount(client, 'reader'),
    registerRoleAccount(client, 'admin'),
  ]);
  const slug = await createArticle(client, author, ['training', 'dragons']);
  await createComment(client, author, slug);
  await call(client, 'POST', `/api/profiles/${author.username}/follow`, { token: reader.token, expect: 200 });
  return { client, author, reader, admin, slug };
}

/**
 * The flag as the scenario found it, and how to put it back: the database is shared with other files, so a
 * scenario that switches a flag leaves it as found (DELETE when it had no override, the override otherwise).
 */
async function flagFound({ client, admin }: ReplayWorld) {
  const found = await readFeatureFlag(client, admin, FIXTURE_FEATURE_FLAG);
  return { found, cleanup: () => restoreFeatureFlag(client, admin, found) };
}

function expectFlag(json: any, state: Partial<FeatureFlagState>): void {
  expect(json).toMatchObject({ name: FIXTURE_FEATURE_FLAG, ...state });
  expect(json.description).toEqual(expect.any(String));
}

const page = { limit: '10', offset: '0' };

function expectAllBy(json: { articles: { author: { username: string } }[] }, author: Account): void {
  expect(json.articles.length).toBeGreaterThan(0);
  for (const article of json.articles) expect(article.author.username).toBe(author.username);
}

export const SCENARIOS: Record<string, Scenario> = {
  'POST /api/users': async () => {
    const user = newUser('replay');
    return { body: { user }, verify: (json) => expect(json.user).toMatchObject({ username: user.username }) };
  },
  'POST /api/users/login': async ({ author }) => ({
    body: { user: { email: author.email, password: author.password } },
    verify: (json) => expect(json.user.username).toBe(author.username),
  }),
  'GET /api/user': async ({ author }) => ({
    as: author,
    verify: (json) => expect(json.user.email).toBe(author.email),
  }),
  'PUT /api/user': async ({ client }) => {
    const user = { bio: 'I like to skateboard', image: 'https://i.stack.imgur.com/xHWG8.jpg' };
    return {
      as: await registerAccount(client, 'replay'),
      body: { user },
      verify: (json) => expect(json.user).toMatchObject(user),
    };
  },
  'GET /api/profiles/{username}': async ({ author, reader }) => ({
    as: reader,
    params: { username: author.username },
    verify: (json) => expect(json.profile).toMatchObject({ username: author.username, following: true }),
  }),
  'POST /api/profiles/{username}/follow': async ({ client }) => {
    const [celeb, fan] = await Promise.all([registerAccount(client, 'celeb'), registerAccount(client, 'fan')]);
    return {
      as: fan,
      params: { username: celeb.username },
      verify: (json) => expect(json.profile.following).toBe(true),
    };
  },
  'DELETE /api/profiles/{username}/follow': async ({ client }) => {
    const [celeb, fan] = await Promise.all([registerAccount(client, 'celeb'), registerAccount(client, 'fan')]);
    await call(client, 'POST', `/api/profiles/${celeb.username}/follow`, { token: fan.token, expect: 200 });
    return {
      as: fan,
      params: { username: celeb.username },
      verify: (json) => expect(json.profile.following).toBe(false),
    };
  },
  'GET /api/articles': async ({ author, reader }) => ({
    as: reader,
    query: { author: author.username, ...page },
    verify: (json) => expectAllBy(json, author),
  }),
  'GET /api/articles/feed': async ({ author, reader }) => ({
    as: reader,
    query: page,
    verify: (json) => expectAllBy(json, author),
  }),
  // Keyset pages: the second page, reached with the cursor a client got from the first (the author wrote two).
  'GET /api/v1/articles': async ({ client, author, reader }) => {
    await createArticle(client, author);
    const first = await call(client, 'GET', `/api/v1/articles?author=${author.username}&limit=1`, { expect: 200 });
    const { articles, nextCursor } = first.json as { articles: { slug: string }[]; nextCursor: string };
    return {
      as: reader,
      query: { author: author.username, limit: '1', cursor: nextCursor },
      verify: (json) => {
        expectAllBy(json, author);
        expect(json.articles[0].slug).not.toBe(articles[0]?.slug);
      },
    };
  },
  'GET /api/v1/articles/feed': async ({ client, reader, author }) => {
    const first = await call(client, 'GET', '/api/v1/articles/feed?limit=1', { token: reader.token, expect: 200 });
    const { nextCursor } = first.json as { nextCursor: string | null };
    return {
      as: reader,
      query: { limit: '1', ...(nextCursor ? { cursor: nextCursor } : {}) },
      verify: (json) => expectAllBy(json, author),
    };
  },
  'POST /api/articles': async ({ author }) => ({
    as: author,
    body: { article: newArticle(['training', 'dragons']) },
    verify: (json) => expect(json.article.tagList).toEqual(['dragons', 'training']),
  }),
  'GET /api/articles/{slug}': async ({ reader, slug }) => ({
    as: reader,
    params: { slug },
    verify: (json) => expect(json.article).toMatchObject({ slug, tagList: ['dragons', 'training'] }),
  }),
  'PUT /api/articles/{slug}': async ({ client, author }) => ({
    as: author,
    params: { slug: await createArticle(client, author) },
    body: { article: { body: 'With two hands' } },
    verify: (json) => expect(json.article.body).toBe('With two hands'),
  }),
  'DELETE /api/articles/{slug}': async ({ client, author }) => ({
    as: author,
    params: { slug: await createArticle(client, author) },
  }),
  'POST /api/articles/{slug}/favorite': async ({ client, author, reader }) => ({
    as: reader,
    params: { slug: await createArticle(client, author) },
    verify: (json) => expect(json.article).toMatchObject({ favorited: true, favoritesCount: 1 }),
  }),
  'DELETE /api/articles/{slug}/favorite': async ({ client, author, reader }) => {
    const slug = await createArticle(client, author);
    await call(client, 'POST', `/api/articles/${slug}/favorite`, { token: reader.token, expect: 200 });
    return {
      as: reader,
      params: { slug },
      verify: (json) => expect(json.article).toMatchObject({ favorited: false, favoritesCount: 0 }),
    };
  },
  'GET /api/articles/{slug}/comments': async ({ reader, slug }) => ({
    as: reader,
    params: { slug },
    verify: (json) => expect(json.comments.length).toBeGreaterThan(0),
  }),
  'POST /api/articles/{slug}/comments': async ({ reader, slug }) => ({
    as: reader,
    params: { slug },
    body: { comment: { body: 'Thank you so much!' } },
    verify: (json) => expect(json.comment.body).toBe('Thank you so much!'),
  }),
  'DELETE /api/articles/{slug}/comments/{id}': async ({ client, reader, slug }) => ({
    as: reader,
    params: { slug, id: String(await createComment(client, reader, slug)) },
  }),
  'GET /api/tags': async () => ({
    verify: (json) => expect(json.tags).toEqual(expect.arrayContaining(['dragons', 'training'])),
  }),
  'GET /api/v1/admin/feature-flags': async ({ admin }) => ({
    as: admin,
    verify: (json) => {
      const names = json.flags.map((flag: FeatureFlagState) => flag.name);
      expect(names).toContain(FIXTURE_FEATURE_FLAG);
      expect(new Set(names).size).toBe(names.length);
    },
  }),
  'PUT /api/v1/admin/feature-flags/{name}': async (world) => {
    const { cleanup } = await flagFound(world);
    return {
      as: world.admin,
      params: { name: FIXTURE_FEATURE_FLAG },
      body: { enabled: true, rolloutPercent: 25 },
      verify: (json) => expectFlag(json, { enabled: true, rolloutPercent: 25, overridden: true }),
      cleanup,
    };
  },
  'DELETE /api/v1/admin/feature-flags/{name}': async (world) => {
    const { found, cleanup } = await flagFound(world);
    // An override to remove: the opposite of what was found, at a partial rollout.
    await setFeatureFlag(world.client, world.admin, FIXTURE_FEATURE_FLAG, {
      enabled: !found.enabled,
      rolloutPercent: 7,
    });
    return {
      as: world.admin,
      params: { name: FIXTURE_FEATURE_FLAG },
      // Without an override the flag is its default again: what was found, when it was found without one.
      verify: (json) =>
        expectFlag(json, {
          overridden: false,
          ...(found.overridden ? {} : { enabled: found.enabled, rolloutPercent: found.rolloutPercent }),
        }),
      cleanup,
    };
  },
  'GET /api/v1/tags': async (world) => {
    const { cleanup } = await flagFound(world);
    await setFeatureFlag(world.client, world.admin, FIXTURE_FEATURE_FLAG, { enabled: true, rolloutPercent: 100 });
    return {
      as: world.reader,
      verify: (json) => {
        const tags = json.tags as { name: string; articlesCount: number }[];
        const names = tags.map((tag) => tag.name);
        expect(names).toEqual(expect.arrayContaining(['dragons', 'training']));
        expect(new Set(names).size).toBe(names.length);
        // "Most used first".
        const counts = tags.map((tag) => tag.articlesCount);
        expect(counts).toEqual([...counts].sort((a, b) => b - a));
      },
      cleanup,
    };
  },
  'GET /health/live': async () => ({}),
  'GET /health/ready': async () => ({}),
};
