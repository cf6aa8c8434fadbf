// State the contract suites need, created through the API itself (as a client would), never through SQL.
import { randomBytes } from 'node:crypto';
import { CLIENT_HEADERS, withFraming, type HttpClient, type WireResponse } from './http.js';
import { TEST_JWT_SECRET, withRole } from './tokens.js';

export interface Account {
  username: string;
  email: string;
  password: string;
  token: string;
}

export class SetupError extends Error {}

/** Calls the API as a RealWorld client during setup; anything but the expected status is a setup failure. */
export async function call(
  client: HttpClient,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; expect?: number } = {},
): Promise<WireResponse> {
  const headers: Record<string, string> = { ...CLIENT_HEADERS };
  if (options.token) headers.authorization = `Token ${options.token}`;
  const body = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  const response = await client.send(withFraming({ method, path, headers, body }));
  if (options.expect !== undefined && response.status !== options.expect) {
    throw new SetupError(`setup ${method} ${path} answered ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return response;
}

const suffix = () => randomBytes(5).toString('hex');

export function newUser(prefix = 'ct'): Omit<Account, 'token'> {
  const id = `${prefix}_${suffix()}`;
  return { username: id, email: `${id}@example.com`, password: `pw-${suffix()}-secret` };
}

export async function registerAccount(client: HttpClient, prefix = 'ct'): Promise<Account> {
  const user = newUser(prefix);
  const response = await call(client, 'POST', '/api/users', { body: { user }, expect: 201 });
  return { ...user, token: (response.json as { user: { token: string } }).user.token };
}

/**
 * An account holding a token with `role` (e.g. admin), made without SQL: the account is registered through
 * the API (the guard checks that a writer's `sub` exists), then its token is re-signed with the role claim.
 */
export async function registerRoleAccount(
  client: HttpClient,
  role: string,
  secret = TEST_JWT_SECRET,
): Promise<Account> {
  const account = await registerAccount(client, role);
  return { ...account, token: withRole(account.token, role, secret) };
}

/** The admin API of feature flags, and what a flag looks like in it. */
export const FEATURE_FLAGS_PATH = '/api/v1/admin/feature-flags';

export interface FeatureFlagState {
  name: string;
  description: string;
  enabled: boolean;
  rolloutPercent: number;
  overridden: boolean;
}

export async function readFeatureFlag(client: HttpClient, admin: Account, name: string): Promise<FeatureFlagState> {
  const response = await call(client, 'GET', FEATURE_FLAGS_PATH, { token: admin.token, expect: 200 });
  const flag = (response.json as { flags: FeatureFlagState[] }).flags.find((f) => f.name === name);
  if (!flag) throw new SetupError(`GET ${FEATURE_FLAGS_PATH} lists no flag "${name}"`);
  return flag;
}

export async function setFeatureFlag(
  client: HttpClient,
  admin: Account,
  name: string,
  change: { enabled: boolean; rolloutPercent?: number },
): Promise<FeatureFlagState> {
  const path = `${FEATURE_FLAGS_PATH}/${encodeURIComponent(name)}`;
  return (await call(client, 'PUT', path, { token: admin.token, body: change, expect: 200 })).json as FeatureFlagState;
}

/** Puts a flag back as `found` was: its override again, or (found without one) back to the default. */
export async function restoreFeatureFlag(client: HttpClient, admin: Account, found: FeatureFlagState): Promise<void> {
  if (found.overridden) {
    await setFeatureFlag(client, admin, found.name, { enabled: found.enabled, rolloutPercent: found.rolloutPercent });
  } else {
    const path = `${FEATURE_FLAGS_PATH}/${encodeURIComponent(found.name)}`;
    await call(client, 'DELETE', path, { token: admin.token, expect: 200 });
  }
}

export function newArticle(tagList: string[] = []) {
  const id = suffix();
  return { title: `Contract ${id}`, description: `About ${id}`, body: `Body of ${id}`, tagList };
}

export async function createArticle(client: HttpClient, author: Account, tagList: string[] = []): Promise<string> {
  const body = { article: newArticle(tagList) };
  const response = await call(client, 'POST', '/api/articles', { token: author.token, body, expect: 201 });
  return (response.json as { article: { slug: string } }).article.slug;
}

export async function createComment(client: HttpClient, author: Account, slug: string): Promise<number> {
  const path = `/api/articles/${encodeURIComponent(slug)}/comments`;
  const body = { comment: { body: `Comment ${suffix()}` } };
  const response = await call(client, 'POST', path, { token: author.token, body, expect: 200 });
  return (response.json as { comment: { id: number } }).comment.id;
}

/** The resources one request refers to. */
export interface Resources {
  'article.slug': string;
  'comment.id': string;
  'other.username': string;
  /** A feature flag that exists: the admin API refuses other names with 404. */
  'feature-flag.name': string;
  /** Those of generated modules (test/e2e/<name>/<name>.contract.ts), by their key: `bookmarks/{id}`. */
  [moduleParameter: string]: string;
}

/** What a module's path-parameter fixture may use: the API, and the account that owns the fixtures. */
export interface FixtureContext {
  client: HttpClient;
  owner: Account;
}

/** Creates, through the API, a resource of the owner's and returns the path segment naming it (unencoded). */
export type PathParameterFactory = (context: FixtureContext) => Promise<string>;

/** The feature flag the suites switch (the only one the API has today). */
export const FIXTURE_FEATURE_FLAG = 'tag-counts';

/**
 * The shared world of a run: `owner` wrote `article` and `comment`, follows and favorites; `other` wrote
 * an article the owner follows (so feeds and lists have content to validate); `selfA`/`selfB` stand in
 * for owner/other on operations that change the caller's own account, so the others never change.
 */
export interface World {
  owner: Account;
  other: Account;
  selfA: Account;
  selfB: Account;
  /** By role (`x-required-role` of the document): an account whose token carries that role. */
  roles: Record<string, Account>;
  shared: Resources;
  /** Path-parameter fixtures of generated modules (modules.ts), by key: fresh resources come from them too. */
  moduleFixtures: Record<string, PathParameterFactory>;
}

export async function createWorld(
  client: HttpClient,
  roles: string[] = [],
  secret = TEST_JWT_SECRET,
  moduleFixtures: Record<string, PathParameterFactory> = {},
): Promise<World> {
  const [owner, other, selfA, selfB] = await Promise.all(
    ['owner', 'other', 'selfa', 'selfb'].map((prefix) => registerAccount(client, prefix)),
  );
  const withRoles = await Promise.all(
    roles.map(async (role) => [role, await registerRoleAccount(client, role, secret)]),
  );
  const slug = await createArticle(client, owner, ['contract', `tag-${suffix()}`]);
  const commentId = await createComment(client, owner, slug);
  await createArticle(client, other, ['contract']);
  await call(client, 'POST', `/api/profiles/${other.username}/follow`, { token: owner.token, expect: 200 });
  await call(client, 'POST', `/api/articles/${slug}/favorite`, { token: other.token, expect: 200 });
  const moduleResources: Record<string, string> = {};
  for (const [key, create] of Object.entries(moduleFixtures)) moduleResources[key] = await create({ client, owner });
  return {
    owner,
    other,
    selfA,
    selfB,
    roles: Object.fromEntries(withRoles),
    shared: {
      'article.slug': slug,
      'comment.id': String(commentId),
      'other.username': other.username,
      'feature-flag.name': FIXTURE_FEATURE_FLAG,
      ...moduleResources,
    },
    moduleFixtures,
  };
}

/**
 * Resources of the owner's own (an article, with a comment, or a generated module's), for requests that may
 * change or delete them. A request refused with a 4xx changed nothing, so its resources serve the next request
 * needing the same kinds: most cases are refused.
 */
export class FreshResources {
  private readonly spare = new Map<string, Resources[]>();

  constructor(
    private readonly client: HttpClient,
    private readonly world: World,
  ) {}

  /** Whether a request that may change what `resource` names needs a fresh one. */
  static isFresh(world: World, resource: string): boolean {
    return resource === 'article.slug' || resource === 'comment.id' || resource in world.moduleFixtures;
  }

  /** The shared resources with fresh ones for `kinds` (article and comment: an article of its own, and a comment on it). */
  async take(kinds: string[]): Promise<Resources> {
    const spare = this.spare.get(bucket(kinds))?.pop();
    if (spare) return spare;
    const { client, world } = this;
    const resources: Resources = { ...world.shared };
    if (kinds.includes('article.slug') || kinds.includes('comment.id')) {
      const slug = await createArticle(client, world.owner);
      resources['article.slug'] = slug;
      if (kinds.includes('comment.id'))
        resources['comment.id'] = String(await createComment(client, world.owner, slug));
    }
    for (const kind of kinds) {
      const create = world.moduleFixtures[kind];
      if (create) resources[kind] = await create({ client, owner: world.owner });
    }
    return resources;
  }

  /** Returns resources a request left untouched. */
  giveBack(resources: Resources, kinds: string[]): void {
    const key = bucket(kinds);
    this.spare.set(key, [...(this.spare.get(key) ?? []), resources]);
  }
}

const bucket = (kinds: string[]) => [...new Set(kinds)].sort().join(' ');

/**
 * Which resource a path parameter names, by the segment before it (`articles/{slug}`). A new kind of
 * path parameter has no entry: the suites then fail naming it, rather than guessing.
 */
export const PATH_PARAMETER_RESOURCES: Record<
  string,
  'article.slug' | 'comment.id' | 'other.username' | 'feature-flag.name'
> = {
  'articles/{slug}': 'article.slug',
  'comments/{id}': 'comment.id',
  'profiles/{username}': 'other.username',
  'feature-flags/{name}': 'feature-flag.name',
};

export function resourceForParameter(
  path: string,
  name: string,
  moduleFixtures: Record<string, PathParameterFactory> = {},
): string {
  const segments = path.split('/');
  const index = segments.indexOf(`{${name}}`);
  const key = `${segments[index - 1] ?? ''}/{${name}}`;
  const resource = PATH_PARAMETER_RESOURCES[key] ?? (key in moduleFixtures ? key : undefined);
  if (!resource) {
    throw new SetupError(
      `no fixture for path parameter "${key}" of ${path}: add it to PATH_PARAMETER_RESOURCES, or (a generated ` +
        `module) to \`pathParameters\` of its test/e2e/<name>/<name>.contract.ts`,
    );
  }
  return resource;
}
