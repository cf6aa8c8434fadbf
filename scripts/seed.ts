// Fills the database named by DATABASE_URL (already migrated) with realistic fake data, e.g. for bench/:
//   npm run seed -- --users 1000 --articles 10000 --favorites 100000 --comments 50000 [--follows 20] [--reset]
// Rows are generated in memory, then written with batched `INSERT ... SELECT * FROM unnest(...)` in one
// transaction: a failure leaves the database as it was.
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { faker } from '@faker-js/faker';
import { Algorithm, hash } from '@node-rs/argon2';
import pg from 'pg';

const PASSWORD = 'password123';
const BENCH_USER = { username: 'bench', email: 'bench@example.com', follows: 50 };
const DEFAULTS = { users: 100, articles: 1000, favorites: 5000, comments: 3000, follows: 20 };
const TAG_POOL = 150;
const BATCH = 2_000;
const DAY = 86_400_000;
const NOW = Date.now();
const TWO_YEARS = 730 * DAY;
const APP_TABLES = ['users', 'follows', 'articles', 'tags', 'article_tags', 'favorites', 'comments'];
// The app's own argon2id parameters (password.hasher.ts), so a benchmark login costs what a real one does.
const ARGON2 = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

type Options = typeof DEFAULTS & { reset: boolean };
type Dataset = ReturnType<typeof generate>;

function fail(message: string): never {
  console.error(`seed: ${message}`);
  process.exit(1);
}

function options(): Options {
  const names = Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[];
  const count = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      users: count,
      articles: count,
      favorites: count,
      comments: count,
      follows: count,
      reset: { type: 'boolean', default: false },
    },
  });
  const result: Options = { ...DEFAULTS, reset: values.reset === true };
  for (const name of names) {
    const raw = values[name];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (typeof raw !== 'string' || !Number.isSafeInteger(n) || n < 0) fail(`--${name} must be a whole number >= 0`);
    result[name] = n;
  }
  if (result.users === 0 && result.articles > 0) fail('--articles needs --users > 0');
  if (result.articles === 0 && result.favorites + result.comments > 0) fail('favorites and comments need articles');
  return result;
}

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const between = (from: number, to: number) => from + Math.random() * Math.max(0, to - from);
const iso = (ms: number) => new Date(ms).toISOString();
// Index 0 is the most popular: a few authors, articles and tags get most of the activity, as on a real site.
const skewed = (n: number, power = 2) => Math.min(n - 1, Math.floor(n * Math.random() ** power));

/** k distinct values of [0, n) other than `except`, drawn with `pick` while that stays cheap. */
function sampleDistinct(n: number, k: number, pick: () => number, except = -1): number[] {
  k = Math.min(k, n - (except >= 0 && except < n ? 1 : 0));
  const chosen = new Set<number>();
  for (let attempts = 0; chosen.size < k && attempts < k * 20; attempts += 1) {
    const value = pick();
    if (value !== except) chosen.add(value);
  }
  // A dense or very skewed draw stalls on repeats: finish from a shuffle of what is left.
  if (chosen.size < k) {
    const rest = faker.helpers.shuffle([...Array(n).keys()].filter((v) => v !== except && !chosen.has(v)));
    for (const value of rest.slice(0, k - chosen.size)) chosen.add(value);
  }
  return [...chosen];
}

const slugPart = (text: string) =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 90)
    .replace(/^-+|-+$/g, '') || 'article';

/** The same names on every run (fixed seed), so appends reuse the tags instead of growing a long tail. */
function tagPool(): string[] {
  faker.seed(2024);
  const names = new Set<string>();
  for (let attempts = 0; names.size < TAG_POOL && attempts < TAG_POOL * 50; attempts += 1) {
    const word = faker.word
      .noun()
      .toLowerCase()
      .replace(/[^a-z]+/g, '-');
    names.add(faker.datatype.boolean(0.2) ? `${word}-${faker.word.adjective().toLowerCase()}` : word);
  }
  faker.seed();
  return [...names];
}

function generate(opts: Options, run: string, withBenchUser: boolean) {
  const width = Math.max(3, Math.max(opts.users, opts.articles).toString(36).length);
  // A fixed-width lower-case tail unique to this run and row makes every name unique, whatever its case,
  // and keeps appends clear of earlier runs.
  const tail = (i: number) => `${run}${i.toString(36).padStart(width, '0')}`;
  const users = Array.from({ length: opts.users }, (_, i) => {
    const base =
      faker.internet
        .username()
        .replace(/[^A-Za-z0-9_.-]/g, '')
        .slice(0, 25) || 'user';
    const username = `${base}_${tail(i)}`;
    const local = username
      .toLowerCase()
      .replace(/\.{2,}/g, '.')
      .replace(/^\.+/, '');
    return {
      id: randomUUID(),
      username,
      email: `${local}@${faker.helpers.arrayElement(['example.com', 'example.org', 'example.net'])}`,
      bio: Math.random() < 0.6 ? faker.person.bio() : null,
      image: Math.random() < 0.7 ? faker.image.avatar() : null,
      createdAt: between(NOW - TWO_YEARS - 90 * DAY, NOW - 30 * DAY),
    };
  });

  const pool = tagPool();
  const titles = [() => faker.hacker.phrase(), () => faker.company.catchPhrase(), () => faker.lorem.sentence()];
  const articles = Array.from({ length: opts.articles }, (_, i) => {
    const author = skewed(opts.users);
    const title = faker.helpers
      .arrayElement(titles)()
      .replace(/[.!]+$/, '');
    const createdAt = between(Math.max(users[author].createdAt, NOW - TWO_YEARS), NOW);
    const sections = Array.from({ length: randomInt(1, 3) }, () => {
      const heading = `## ${faker.lorem.words(randomInt(2, 5))}`;
      return `${heading}\n\n${faker.lorem.paragraphs(randomInt(1, 3), '\n\n')}`;
    });
    return {
      id: randomUUID(),
      slug: `${slugPart(title)}-${tail(i)}`,
      title,
      description: faker.lorem.sentence({ min: 6, max: 16 }),
      body: sections.join('\n\n'),
      author,
      tags: sampleDistinct(pool.length, randomInt(0, 5), () => skewed(pool.length)).map((t) => pool[t]),
      favorites: 0,
      createdAt,
      updatedAt: Math.random() < 0.7 ? createdAt : between(createdAt, NOW),
    };
  });

  const follows: [number, number][] = [];
  const perUser = Math.min(opts.follows, Math.max(0, opts.users - 1));
  for (let follower = 0; follower < opts.users; follower += 1) {
    const count = randomInt(Math.floor(perUser / 2), Math.ceil((perUser * 3) / 2));
    for (const followee of sampleDistinct(opts.users, count, () => skewed(opts.users), follower)) {
      follows.push([follower, followee]);
    }
  }
  if (withBenchUser) {
    users.push({ ...BENCH_USER, id: randomUUID(), bio: null, image: null, createdAt: NOW - TWO_YEARS });
    const authors = [...new Set(articles.map((article) => article.author))];
    const pick = () => Math.floor(Math.random() * authors.length);
    for (const i of sampleDistinct(authors.length, BENCH_USER.follows, pick))
      follows.push([users.length - 1, authors[i]]);
  }

  // A (user, article) pair is the number user * articles + article, so uniqueness is a Set of numbers.
  const pairs = sampleDistinct(opts.users * opts.articles, opts.favorites, () => {
    return Math.floor(Math.random() * opts.users) * opts.articles + skewed(opts.articles);
  });
  const favorites = pairs.map((pair) => {
    const [user, article] = [Math.floor(pair / opts.articles), pair % opts.articles];
    articles[article].favorites += 1;
    return { user, article, createdAt: between(Math.max(articles[article].createdAt, users[user].createdAt), NOW) };
  });

  const comments = Array.from({ length: opts.comments }, () => {
    const article = skewed(opts.articles, 1.5);
    const createdAt = between(articles[article].createdAt, NOW);
    return { article, author: skewed(opts.users, 1.5), body: faker.lorem.sentences(randomInt(1, 4)), createdAt };
  });
  return { users, articles, follows, favorites, comments };
}

/** Inserts `rows` in batches; `columns` is "name type, ...", one unnest() array per column. */
async function insert(client: pg.Client, table: string, columns: string, rows: unknown[][], suffix = '') {
  const spec = columns.split(',').map((column) => column.trim().split(' '));
  const unnest = spec.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${spec.map(([name]) => name).join(', ')}) SELECT * FROM unnest(${unnest}) ${suffix}`;
  const returned = [];
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    returned.push(
      ...(
        await client.query(
          sql,
          spec.map((_, i) => batch.map((row) => row[i])),
        )
      ).rows,
    );
  }
  return returned;
}

async function write(client: pg.Client, data: Dataset, passwordHash: string) {
  const { users, articles } = data;
  await insert(
    client,
    'users',
    'id uuid, email varchar, username varchar, password_hash varchar, bio text, image varchar, created_at timestamptz, updated_at timestamptz',
    users.map((u) => [u.id, u.email, u.username, passwordHash, u.bio, u.image, iso(u.createdAt), iso(u.createdAt)]),
  );
  const followedAt = () => iso(between(NOW - TWO_YEARS / 2, NOW));
  await insert(
    client,
    'follows',
    'follower_id uuid, followee_id uuid, created_at timestamptz',
    data.follows.map(([follower, followee]) => [users[follower].id, users[followee].id, followedAt()]),
  );
  const tagCounts = new Map<string, number>();
  for (const tag of articles.flatMap((article) => article.tags)) tagCounts.set(tag, (tagCounts.get(tag) ?? 0) + 1);
  // Tags already there (append mode) are counted up; xmax = 0 tells the rows this statement created.
  const tags = await insert(
    client,
    'tags',
    'name varchar, articles_count int',
    [...tagCounts],
    'ON CONFLICT (name) DO UPDATE SET articles_count = tags.articles_count + EXCLUDED.articles_count ' +
      'RETURNING id, name, xmax = 0 AS created',
  );
  const tagId = new Map(tags.map((row) => [row.name as string, row.id as number]));
  await insert(
    client,
    'articles',
    'id uuid, slug varchar, title varchar, description varchar, body text, author_id uuid, favorites_count int, created_at timestamptz, updated_at timestamptz',
    articles.map((a) => [
      a.id,
      a.slug,
      a.title,
      a.description,
      a.body,
      users[a.author].id,
      a.favorites,
      iso(a.createdAt),
      iso(a.updatedAt),
    ]),
  );
  const links = articles.flatMap((a) => a.tags.map((tag, i) => [a.id, tagId.get(tag), i + 1]));
  await insert(client, 'article_tags', 'article_id uuid, tag_id int, position smallint', links);
  await insert(
    client,
    'favorites',
    'user_id uuid, article_id uuid, created_at timestamptz',
    data.favorites.map((f) => [users[f.user].id, articles[f.article].id, iso(f.createdAt)]),
  );
  await insert(
    client,
    'comments',
    'article_id uuid, author_id uuid, body text, created_at timestamptz, updated_at timestamptz',
    data.comments.map((c) => [articles[c.article].id, users[c.author].id, c.body, iso(c.createdAt), iso(c.createdAt)]),
  );
  return { tags: tags.filter((row) => row.created).length, articleTags: links.length };
}

async function checkSchema(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT name FROM unnest($1::text[]) name WHERE to_regclass('public.' || name) IS NULL`,
    [APP_TABLES],
  );
  const missing = rows.map((row) => row.name);
  if (missing.includes('users')) fail('the users table is missing: run npm run migration:run first');
  if (missing.length > 0) fail(`tables ${missing.join(', ')} are missing: run npm run migration:run first`);
}

/** Fails loudly when a denormalised counter disagrees with its rows (anywhere, not only in this run's rows). */
async function verifyCounters(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ articles: number; tags: number }>(`SELECT
    (SELECT count(*)::int FROM articles a
      WHERE a.favorites_count <> (SELECT count(*) FROM favorites f WHERE f.article_id = a.id)) AS articles,
    (SELECT count(*)::int FROM tags t
      WHERE t.articles_count <> (SELECT count(*) FROM article_tags at WHERE at.tag_id = t.id)) AS tags`);
  const { articles, tags } = rows[0];
  if (articles + tags > 0) fail(`counters disagree with rows: ${articles} articles, ${tags} tags`);
}

async function main(): Promise<void> {
  const opts = options();
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/folio_bench); refusing to guess');
  const started = performance.now();
  const client = new pg.Client({ connectionString: url, application_name: 'folio-seed' });
  await client.connect();
  try {
    await checkSchema(client);
    const bench = await client.query("SELECT 1 FROM users WHERE lower(username) = 'bench'");
    const withBenchUser = opts.reset || bench.rowCount === 0;
    const passwordHash = await hash(PASSWORD, ARGON2);
    const data = generate(opts, randomBytes(3).toString('hex'), withBenchUser);
    await client.query('BEGIN');
    await client.query('SET LOCAL synchronous_commit = off');
    if (opts.reset) await client.query(`TRUNCATE ${APP_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
    const written = await write(client, data, passwordHash);
    await client.query('COMMIT');
    const committed = performance.now();
    // Fresh statistics and visibility map: the first benchmark gets the plans (and index-only scans) of a live site.
    for (const table of APP_TABLES) await client.query(`VACUUM ANALYZE ${table}`);
    await verifyCounters(client);
    const { rows } = await client.query(
      `SELECT ${APP_TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
    );
    const inserted = { users: data.users.length, follows: data.follows.length, articles: data.articles.length };
    console.log(`seed: ${opts.reset ? 'emptied, then filled' : 'appended to'} ${new URL(url).pathname.slice(1)}`);
    console.table({
      inserted: {
        ...inserted,
        tags: written.tags,
        article_tags: written.articleTags,
        favorites: data.favorites.length,
        comments: data.comments.length,
      },
      'total now': rows[0],
    });
    const benchFollows = data.follows.filter(([follower]) => follower === data.users.length - 1).length;
    console.log(`seed: every user's password is "${PASSWORD}"`);
    console.log(
      withBenchUser
        ? `seed: benchmark user ${BENCH_USER.username} / ${BENCH_USER.email} follows ${benchFollows} authors`
        : `seed: benchmark user ${BENCH_USER.username} already existed; left as it was`,
    );
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(
      `seed: done in ${seconds(performance.now() - started)} (of which vacuum/analyze/checks ${seconds(performance.now() - committed)})`,
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error('seed: failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
