import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

/**
 * A typed client for the Folio API, generated from the committed `openapi/openapi.json`
 * (`schema.d.ts`; `npm run client:generate` after `npm run openapi`). Paths, parameters, bodies and
 * answers are checked by TypeScript against the document, so a contract change that breaks consumers
 * breaks this package's type check in `npm run lint` first.
 *
 *   const folio = createFolioClient('http://localhost:3000', { token });
 *   const { data, error, response } = await folio.GET('/api/articles', { params: { query: { limit: 5 } } });
 */
export type FolioClient = Client<paths>;

export interface FolioClientOptions {
  /** The JWT from register or login, sent as `Authorization: Token <jwt>` (RealWorld's form). */
  token?: string;
  /** Anything else openapi-fetch accepts (a custom `fetch`, extra headers). */
  fetchOptions?: Omit<ClientOptions, 'baseUrl'>;
}

export function createFolioClient(baseUrl: string, options: FolioClientOptions = {}): FolioClient {
  const { token, fetchOptions = {} } = options;
  // The API accepts `Token <jwt>` and `Bearer <jwt>`; `Token` is what RealWorld frontends send.
  const headers = new Headers(fetchOptions.headers as ConstructorParameters<typeof Headers>[0]);
  if (token) headers.set('authorization', `Token ${token}`);
  return createClient<paths>({ ...fetchOptions, baseUrl: baseUrl.replace(/\/+$/, ''), headers });
}

type Schemas = components['schemas'];
export type Article = Schemas['ArticleDto'];
export type ArticleSummary = Schemas['ArticleSummaryDto'];
export type Comment = Schemas['CommentDto'];
export type Profile = Schemas['ProfileDto'];
export type AuthenticatedUser = Schemas['AuthenticatedUserDto'];
/** The error body of every `/api` route: `{"errors":{"body":[…]},"code","requestId"}`. */
export type RealWorldError = Schemas['RealWorldErrorResponseDto'];
export type { components, operations, paths };
