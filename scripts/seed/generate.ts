// The seed's rows, generated inside PostgreSQL with generate_series and INSERT ... SELECT: no row travels
// through JavaScript, so 1M articles and 1M favorites take minutes, not hours.
//
// Row i of a kind gets the id md5(run:kind:i)::uuid, so a step can reference users or articles by index
// without a lookup table. Popularity is skewed as on a real site: index k is drawn as floor(n * random()^p),
// so low indexes (a few authors, articles and tags) get most of the activity.
import type pg from 'pg';
import type { ContentPools } from './content.js';
import { slugBase } from '../../src/modules/articles/article.policy.js';

export interface SeedCounts {
  users: number;
  articles: number;
  favorites: number;
  comments: number;
  /** Average follows per user. */
  follows: number;
}

export const BENCH_USER = { username: 'bench', email: 'bench@example.com', follows: 50 };

export class SeedWriter {
  private readonly client: pg.Client;
  private readonly run: string;
  private readonly counts: SeedCounts;
  /** Copies of the article's created_at beside its links, when the migrations added them (ArticleCounts). */
  private copies = { articleTags: false, favorites: false };

  constructor(client: pg.Client, run: string, counts: SeedCounts) {
    this.client = client;
    this.run = run;
    this.counts = counts;
  }

  /**
   * Helpers for the statements below (pg_temp functions vanish with the session) and the text pools as temp
   * tables `seed_<pool>(idx, value)`, idx from 0: rows join them by a random index (subscripting a large array
   * parameter per row would copy the array each time).
   */
  async prepare(pools: ContentPools): Promise<void> {
    // Filled by a BEFORE INSERT trigger in the app; triggers are off while seeding, so the seed fills them.
    const { rows } = await this.client.query<{ name: string }>(
      `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
       WHERE table_schema = 'public' AND (table_name, column_name) IN
         (('article_tags', 'created_at'), ('favorites', 'article_created_at'))`,
    );
    const columns = new Set(rows.map((row) => row.name));
    this.copies = {
      articleTags: columns.has('article_tags.created_at'),
      favorites: columns.has('favorites.article_created_at'),
    };
    const slugs = pools.titles.map((title) => slugBase(title));
    for (const [name, values] of Object.entries({ ...pools, slugs })) {
      await this.client.query(
        `CREATE TEMP TABLE seed_${name} ON COMMIT DROP AS
         SELECT (ord - 1)::int AS idx, value FROM unnest($1::text[]) WITH ORDINALITY v(value, ord)`,
        [values],
      );
      await this.client.query(`ALTER TABLE seed_${name} ADD PRIMARY KEY (idx)`);
      await this.client.query(`ANALYZE seed_${name}`);
    }
    await this.client.query(
      `CREATE OR REPLACE FUNCTION pg_temp.sid(kind text, i bigint) RETURNS uuid
         LANGUAGE sql IMMUTABLE AS $$ SELECT md5(kind || ':' || i)::uuid $$`,
    );
  }

  private kind(name: 'u' | 'a'): string {
    return `${this.run}:${name}`;
  }

  async users(pools: ContentPools, passwordHash: string): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO users (id, email, username, password_hash, bio, image, created_at, updated_at)
       SELECT pg_temp.sid($1, g.i), lower(n.value) || '.' || $2 || g.i || '@example.com', n.value || '_' || $2 || g.i,
              $3, b.value, g.image, g.ts, g.ts
       FROM (SELECT i, i % $5::int AS name, CASE WHEN random() < 0.6 THEN floor($6::int * random())::int END AS bio,
                    CASE WHEN random() < 0.5 THEN 'https://i.pravatar.cc/150?u=' || $2 || i END AS image,
                    now() - interval '730 days' - random() * interval '90 days' AS ts
             FROM generate_series(0, $4::int - 1) i OFFSET 0) g
       JOIN seed_names n ON n.idx = g.name
       LEFT JOIN seed_bios b ON b.idx = g.bio`,
      [this.kind('u'), this.run, passwordHash, this.counts.users, pools.names.length, pools.bios.length],
    );
    return rowCount ?? 0;
  }

  /** The tag pool, created when missing (appends reuse it); seed_tag_ids maps a pool index to the tag's id. */
  async tags(): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO tags (name, articles_count) SELECT value, 0 FROM seed_tags ORDER BY idx ON CONFLICT (name) DO NOTHING`,
    );
    await this.client.query(
      `CREATE TEMP TABLE seed_tag_ids ON COMMIT DROP AS
       SELECT n.idx, t.id FROM seed_tags n JOIN tags t ON t.name = n.value`,
    );
    return rowCount ?? 0;
  }

  async articles(pools: ContentPools): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO articles (id, slug, title, description, body, author_id, favorites_count, created_at, updated_at)
       SELECT pg_temp.sid($1, g.i), s.value || '-' || $3 || g.i, t.value, d.value, b.value, pg_temp.sid($2, g.author),
              coalesce(fc.n, 0), g.c, CASE WHEN random() < 0.7 THEN g.c ELSE g.c + random() * (now() - g.c) END
       FROM (SELECT i, floor($6::int * random())::int AS t, floor($7::int * random())::int AS d,
                    floor($8::int * random())::int AS b, floor($5::int * random() ^ 2)::int AS author,
                    now() - random() * interval '730 days' AS c
             FROM generate_series(0, $4::int - 1) i OFFSET 0) g
       JOIN seed_titles t ON t.idx = g.t
       JOIN seed_slugs s ON s.idx = g.t
       JOIN seed_descriptions d ON d.idx = g.d
       JOIN seed_bodies b ON b.idx = g.b
       LEFT JOIN seed_favorite_counts fc ON fc.a = g.i`,
      [
        this.kind('a'),
        this.kind('u'),
        this.run,
        this.counts.articles,
        this.counts.users,
        pools.titles.length,
        pools.descriptions.length,
        pools.bodies.length,
      ],
    );
    return rowCount ?? 0;
  }

  /** 0 to 5 distinct tags per article (2.3 on average), skewed towards the first tags of the pool. */
  async articleTags(): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO article_tags (article_id, tag_id, position${this.copies.articleTags ? ', created_at' : ''})
       SELECT a.id, st.id, row_number() OVER (PARTITION BY d.i ORDER BY d.k)::smallint
              ${this.copies.articleTags ? ', a.created_at' : ''}
       FROM (SELECT i, tag, min(k) AS k
             FROM (SELECT i, k, floor((SELECT count(*) FROM seed_tag_ids) * random() ^ 2)::int AS tag
                   FROM generate_series(0, $2::int - 1) i, generate_series(1, 5) k
                   WHERE random() < 0.5 OFFSET 0) draws
             GROUP BY i, tag) d
       JOIN seed_tag_ids st ON st.idx = d.tag
       JOIN articles a ON a.id = pg_temp.sid($1, d.i)`,
      [this.kind('a'), this.counts.articles],
    );
    return rowCount ?? 0;
  }

  /**
   * The favorites as distinct (user, article) index pairs, articles skewed, drawn in rounds until the count is
   * reached (duplicates of popular pairs are dropped), and each article's count: drawn before the articles so
   * that they are written with their exact favorites_count (updating a million rows afterwards takes minutes).
   */
  async favoritePairs(): Promise<number> {
    await this.client.query(
      `CREATE TEMP TABLE seed_favorites (u int NOT NULL, a int NOT NULL, PRIMARY KEY (u, a)) ON COMMIT DROP`,
    );
    let total = 0;
    for (let round = 0; round < 6 && total < this.counts.favorites; round += 1) {
      const wanted = this.counts.favorites - total;
      const { rowCount } = await this.client.query(
        `INSERT INTO seed_favorites (u, a)
         SELECT floor($1::int * random())::int, floor($2::int * random() ^ 1.5)::int
         FROM generate_series(1, ceil($3::int * 1.2)::int)
         LIMIT $3::int
         ON CONFLICT DO NOTHING`,
        [this.counts.users, this.counts.articles, wanted],
      );
      total += rowCount ?? 0;
    }
    await this.client.query(
      `CREATE TEMP TABLE seed_favorite_counts ON COMMIT DROP AS SELECT a, count(*)::int AS n FROM seed_favorites GROUP BY a`,
    );
    await this.client.query('ALTER TABLE seed_favorite_counts ADD PRIMARY KEY (a)');
    return total;
  }

  /** The pairs of favoritePairs(); each favorite comes after its article. */
  async favorites(): Promise<number> {
    const { rowCount } = await this.client.query(
      `INSERT INTO favorites (user_id, article_id, created_at${this.copies.favorites ? ', article_created_at' : ''})
       SELECT pg_temp.sid($1, f.u), a.id, a.created_at + random() * (now() - a.created_at)
              ${this.copies.favorites ? ', a.created_at' : ''}
       FROM seed_favorites f JOIN articles a ON a.id = pg_temp.sid($2, f.a)`,
      [this.kind('u'), this.kind('a')],
    );
    return rowCount ?? 0;
  }

  /** About `follows` followees per user, skewed towards popular users, never oneself. */
  async follows(): Promise<number> {
    if (this.counts.users < 2 || this.counts.follows === 0) return 0;
    const { rowCount } = await this.client.query(
      `INSERT INTO follows (follower_id, followee_id, created_at)
       SELECT DISTINCT pg_temp.sid($1, u), pg_temp.sid($1, f), now() - interval '365 days'
       FROM (SELECT u, floor($2::int * random() ^ 2)::int AS f
             FROM generate_series(0, $2::int - 1) u, generate_series(1, 2 * $3::int) k
             WHERE random() < 0.5 OFFSET 0) d
       WHERE f <> u
       ON CONFLICT DO NOTHING`,
      [this.kind('u'), this.counts.users, this.counts.follows],
    );
    return rowCount ?? 0;
  }

  async comments(pools: ContentPools): Promise<number> {
    if (this.counts.comments === 0) return 0;
    const { rowCount } = await this.client.query(
      `INSERT INTO comments (article_id, author_id, body, created_at, updated_at)
       SELECT a.id, d.author_id, b.value, t.c, t.c
       FROM (SELECT pg_temp.sid($1, floor($3::int * random() ^ 1.5)::int) AS article_id,
                    pg_temp.sid($2, floor($4::int * random() ^ 1.5)::int) AS author_id,
                    floor($6::int * random())::int AS body, random() AS r
             FROM generate_series(1, $5::int) OFFSET 0) d
       JOIN articles a ON a.id = d.article_id
       JOIN seed_comments b ON b.idx = d.body
       CROSS JOIN LATERAL (SELECT a.created_at + d.r * (now() - a.created_at) AS c) t`,
      [
        this.kind('a'),
        this.kind('u'),
        this.counts.articles,
        this.counts.users,
        this.counts.comments,
        pools.comments.length,
      ],
    );
    return rowCount ?? 0;
  }

  /** The benchmark's user, following BENCH_USER.follows random authors of articles. */
  async benchUser(passwordHash: string): Promise<number> {
    const { rows } = await this.client.query<{ id: string }>(
      `INSERT INTO users (email, username, password_hash, created_at, updated_at)
       VALUES ($1, $2, $3, now() - interval '800 days', now() - interval '800 days') RETURNING id`,
      [BENCH_USER.email, BENCH_USER.username, passwordHash],
    );
    const { rowCount } = await this.client.query(
      `INSERT INTO follows (follower_id, followee_id, created_at)
       SELECT $1, author_id, now() - interval '30 days'
       FROM (SELECT DISTINCT author_id FROM articles) a ORDER BY random() LIMIT $2`,
      [rows[0].id, BENCH_USER.follows],
    );
    return rowCount ?? 0;
  }
}
