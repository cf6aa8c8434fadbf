// The raw baseline: plain Fastify 5 + one pg.Pool, no framework, serving the benchmarked endpoints with the
// same SQL as Folio (bench/baseline/queries.ts). What Folio adds on top of it (guards, validation, logging,
// DI, mapping) is what the Folio/baseline ratio measures. Run by bench/run.ts; alone:
//   DATABASE_URL=... JWT_SECRET=... PORT=3100 node bench/baseline/server.ts
// Routes: GET /api/articles (?tag, ?author, ?favorited, ?limit, ?offset), GET /api/articles/feed,
// GET /api/articles/:slug, POST /api/articles, and GET /cached/api/articles: the anonymous first page as a
// JSON string computed once, i.e. the best any cache can do, for the cached-list comparison.
// Installs the `.js` → `.ts` resolution before anything that needs it is imported (a variable: tsc leaves it be).
const resolver = '../../scripts/ts-resolve.ts';
await import(resolver);

const Fastify = (await import('fastify')).default;
const pg = (await import('pg')).default;
const { BaselineQueries, full, summary } = await import('./queries.js');
const { verifyToken } = await import('./jwt.js');

const url = process.env.DATABASE_URL;
const secret = process.env.JWT_SECRET;
if (!url || !secret) {
  console.error('baseline: DATABASE_URL and JWT_SECRET are required');
  process.exit(1);
}
const pool = new pg.Pool({
  connectionString: url,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  application_name: 'folio-bench-baseline',
});
const db = new BaselineQueries(pool);
const app = Fastify({ logger: false });

type Query = { tag?: string; author?: string; favorited?: string; limit?: string; offset?: string };

const pageOf = (query: Query) => ({
  limit: Math.min(100, Math.max(0, Number(query.limit ?? 20) || 0)),
  offset: Math.max(0, Number(query.offset ?? 0) || 0),
});

async function list(query: Query, viewerId?: string) {
  const [tag, authorId, favoritedById] = await Promise.all([
    query.tag === undefined ? undefined : db.tagByName(query.tag),
    query.author === undefined ? undefined : db.userIdByUsername(query.author),
    query.favorited === undefined ? undefined : db.userIdByUsername(query.favorited),
  ]);
  const unknown =
    (query.tag !== undefined && !tag) ||
    (query.author !== undefined && !authorId) ||
    (query.favorited !== undefined && !favoritedById);
  if (unknown) return { articles: [], articlesCount: 0 };
  const onlyTag = query.author === undefined && query.favorited === undefined;
  const { limit, offset } = pageOf(query);
  const filter = { tagId: tag?.id, authorId, favoritedById };
  return render(await db.page(filter, limit, offset, viewerId, onlyTag ? tag?.articlesCount : undefined), viewerId);
}

async function render(page: Awaited<ReturnType<typeof db.page>>, viewerId?: string) {
  const authors = await db.profiles(
    page.rows.map((row) => row.authorId),
    viewerId,
  );
  return { articles: page.rows.map((row) => summary(row, authors.get(row.authorId))), articlesCount: page.total };
}

const unauthorized = { errors: { body: ['unauthorized'] } };
let cachedList: string | undefined;

app.get('/cached/api/articles', async (_request, reply) => {
  cachedList ??= JSON.stringify(await list({}));
  return reply.header('content-type', 'application/json; charset=utf-8').send(cachedList);
});

app.get<{ Querystring: Query }>('/api/articles', async (request) =>
  list(request.query, verifyToken(request.headers.authorization, secret)?.id),
);

app.get<{ Querystring: Query }>('/api/articles/feed', async (request, reply) => {
  const caller = verifyToken(request.headers.authorization, secret);
  if (!caller) return reply.code(401).send(unauthorized);
  const authorIds = await db.followeeIds(caller.id);
  if (authorIds.length === 0) return { articles: [], articlesCount: 0 };
  const { limit, offset } = pageOf(request.query);
  return render(await db.page({ authorIds }, limit, offset, caller.id), caller.id);
});

app.get<{ Params: { slug: string } }>('/api/articles/:slug', async (request, reply) => {
  const viewerId = verifyToken(request.headers.authorization, secret)?.id;
  const row = await db.bySlug(request.params.slug, viewerId);
  if (!row) return reply.code(404).send({ errors: { body: ['article not found'] } });
  const authors = await db.profiles([row.authorId], viewerId);
  return { article: full(row, authors.get(row.authorId)) };
});

type NewArticle = { article?: { title?: string; description?: string; body?: string; tagList?: string[] } };

app.post<{ Body: NewArticle }>('/api/articles', async (request, reply) => {
  const caller = verifyToken(request.headers.authorization, secret);
  // Folio's guard checks that the account still exists on every write (one primary-key read).
  if (!caller || !(await db.userExists(caller.id))) return reply.code(401).send(unauthorized);
  const input = request.body?.article;
  if (typeof input?.title !== 'string' || typeof input.description !== 'string' || typeof input.body !== 'string') {
    return reply.code(422).send({ errors: { body: ['title, description and body are required'] } });
  }
  const slug = await db.createArticle(caller.id, { ...input, tagList: input.tagList ?? [] } as {
    title: string;
    description: string;
    body: string;
    tagList: string[];
  });
  const row = await db.bySlug(slug, caller.id);
  const authors = row ? await db.profiles([row.authorId], caller.id) : new Map();
  return reply.code(201).send({ article: row && full(row, authors.get(row.authorId)) });
});

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const address = app.server.address();
// The runner reads the port from this line.
console.log(`baseline listening on ${typeof address === 'object' && address ? address.port : address}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}
