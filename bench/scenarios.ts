// The measured requests. Each is sent to Folio and, with the same path, headers and token, to the baseline;
// `list` is also compared with the baseline serving a precomputed JSON string (the best a cache can do).
const BENCH_USER = { email: 'bench@example.com', password: 'password123' };
export const CREATED_TITLE_PREFIX = 'Folio bench article ';

export interface Comparison {
  /** What the baseline does, for the table. */
  label: string;
  path: string;
  /** The target for Folio req/s ÷ baseline req/s. */
  target?: number;
}

export interface Scenario {
  name: string;
  measures: string;
  method: 'GET' | 'POST';
  path: string;
  token?: string;
  expect: number;
  baselines: Comparison[];
  /** Served from Folio's cache: warmed, then checked to answer `x-cache: hit`. */
  cached?: boolean;
  /** A list or the feed: its p50 at 1M should stay within 1.5x of the one at 10k. */
  scales?: boolean;
}

async function call(base: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const response = await fetch(base + path, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Token ${init.token}` } : {}),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** Logs in as the seeded bench user and reads what the scenarios need; fails before any load if it is off. */
export async function prepareScenarios(folio: string): Promise<Scenario[]> {
  const login = await call(folio, '/api/users/login', { body: { user: BENCH_USER } });
  if (login.status !== 200) throw new Error(`logging in as ${BENCH_USER.email} answered ${login.status}`);
  const token: string = login.body.user.token;
  const tags: string[] = (await call(folio, '/api/tags')).body?.tags ?? [];
  const [first] = (await call(folio, '/api/articles?limit=1')).body?.articles ?? [];
  if (tags.length === 0 || !first) throw new Error('the database has no articles or tags');
  const feed = await call(folio, '/api/articles/feed?limit=1', { token });
  if (!(feed.body?.articlesCount > 0)) throw new Error('the bench user follows no author with articles');
  const sameSql = (target?: number): Comparison[] => [{ label: 'same SQL', path: '', target }];
  return [
    {
      name: 'list',
      measures: 'GET /api/articles, anonymous (Folio: from its cache)',
      method: 'GET',
      path: '/api/articles',
      expect: 200,
      cached: true,
      scales: true,
      baselines: [
        { label: 'same SQL, uncached', path: '/api/articles', target: 5 },
        { label: 'same JSON, precomputed', path: '/cached/api/articles', target: 0.9 },
      ],
    },
    {
      name: 'list-auth',
      measures: 'GET /api/articles, authenticated',
      method: 'GET',
      path: '/api/articles',
      token,
      expect: 200,
      scales: true,
      baselines: sameSql(0.85),
    },
    {
      name: 'list-by-tag',
      measures: `GET /api/articles?tag=<most used: ${tags[0]}>, authenticated`,
      method: 'GET',
      path: `/api/articles?tag=${encodeURIComponent(tags[0])}`,
      token,
      expect: 200,
      scales: true,
      baselines: sameSql(0.85),
    },
    {
      name: 'feed',
      measures: 'GET /api/articles/feed (50 followed authors)',
      method: 'GET',
      path: '/api/articles/feed',
      token,
      expect: 200,
      scales: true,
      baselines: sameSql(0.85),
    },
    {
      name: 'article',
      measures: 'GET /api/articles/:slug, anonymous',
      method: 'GET',
      path: `/api/articles/${encodeURIComponent(first.slug)}`,
      expect: 200,
      baselines: sameSql(),
    },
    {
      // Last, so the reads see the seeded data only; what it writes is deleted afterwards.
      name: 'create-article',
      measures: 'POST /api/articles, unique titles, 2 tags',
      method: 'POST',
      path: '/api/articles',
      token,
      expect: 201,
      baselines: sameSql(0.7),
    },
  ];
}

/** For a cached scenario: after a warming request, the answer must come from the cache when Folio says so. */
export async function checkCacheHit(folio: string, scenario: Scenario): Promise<'hit' | 'no header'> {
  await call(folio, scenario.path, { token: scenario.token });
  const second = await call(folio, scenario.path, { token: scenario.token });
  const header = second.headers.get('x-cache');
  if (header === null) return 'no header';
  if (header !== 'hit') throw new Error(`${scenario.name}: x-cache is "${header}" after warming, not "hit"`);
  return 'hit';
}
