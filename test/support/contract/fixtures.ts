// State the contract suites need, created through the API itself (as a client would), never through SQL.
import { randomBytes } from 'node:crypto';
import { CLIENT_HEADERS, withFraming, type HttpClient, type WireResponse } from './http.js';

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
}

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
  shared: Resources;
}

export async function createWorld(client: HttpClient): Promise<World> {
  const [owner, other, selfA, selfB] = await Promise.all(
    ['owner', 'other', 'selfa', 'selfb'].map((prefix) => registerAccount(client, prefix)),
  );
  const slug = await createArticle(client, owner, ['contract', `tag-${suffix()}`]);
  const commentId = await createComment(client, owner, slug);
  await createArticle(client, other, ['contract']);
  await call(client, 'POST', `/api/profiles/${other.username}/follow`, { token: owner.token, expect: 200 });
  await call(client, 'POST', `/api/articles/${slug}/favorite`, { token: other.token, expect: 200 });
  return {
    owner,
    other,
    selfA,
    selfB,
    shared: { 'article.slug': slug, 'comment.id': String(commentId), 'other.username': other.username },
  };
}

/**
 * Articles (with a comment) of the owner's own, for requests that may change or delete them. A request
 * refused with a 4xx changed nothing, so its resources serve the next request: most cases are refused.
 */
export class FreshResources {
  private readonly spare: Record<'article' | 'comment', Resources[]> = { article: [], comment: [] };

  constructor(
    private readonly client: HttpClient,
    private readonly world: World,
  ) {}

  async take(withComment: boolean): Promise<Resources> {
    const spare = this.spare[withComment ? 'comment' : 'article'].pop();
    if (spare) return spare;
    const { client, world } = this;
    const slug = await createArticle(client, world.owner);
    const commentId = withComment ? String(await createComment(client, world.owner, slug)) : world.shared['comment.id'];
    return { ...world.shared, 'article.slug': slug, 'comment.id': commentId };
  }

  /** Returns resources a request left untouched. */
  giveBack(resources: Resources, withComment: boolean): void {
    this.spare[withComment ? 'comment' : 'article'].push(resources);
  }
}

/**
 * Which resource a path parameter names, by the segment before it (`articles/{slug}`). A new kind of
 * path parameter has no entry: the suites then fail naming it, rather than guessing.
 */
export const PATH_PARAMETER_RESOURCES: Record<string, keyof Resources> = {
  'articles/{slug}': 'article.slug',
  'comments/{id}': 'comment.id',
  'profiles/{username}': 'other.username',
};

export function resourceForParameter(path: string, name: string): keyof Resources {
  const segments = path.split('/');
  const index = segments.indexOf(`{${name}}`);
  const key = `${segments[index - 1] ?? ''}/{${name}}`;
  const resource = PATH_PARAMETER_RESOURCES[key];
  if (!resource) {
    throw new SetupError(`no fixture for path parameter "${key}" of ${path}: add it to PATH_PARAMETER_RESOURCES`);
  }
  return resource;
}
