// Every denormalised counter the seed must leave exact, recomputed from its rows in one place. The seed loads
// rows in bulk with triggers off (session_replication_role = replica), so whatever the migrations maintain by
// trigger or in the services' transactions is set here afterwards. A counter added by a new migration is one
// more entry in COUNTERS; `counterMismatches` then checks it too.
import type pg from 'pg';

interface Counter {
  /** What the counter is, for messages. */
  name: string;
  /** A table the counter lives in, for counters that only some migration sets have. */
  requires?: string;
  /** Makes the counter exact; run only when `mismatches` finds a wrong row. */
  recompute: string[];
  /** Counts the rows whose counter disagrees with its rows. */
  mismatches: string;
}

/**
 * What article_counts must hold, one row per (scope, owner_id). `visible` selects the articles that count: a
 * hidden article (migration HiddenContent, docs/moderation.md) counts nowhere, in article_counts nor in tags.
 */
const articleCounts = (visible: string) => `
  SELECT 'all'::varchar AS scope, '00000000-0000-0000-0000-000000000000'::uuid AS owner_id, count(*)::int AS n
  FROM articles a WHERE ${visible}
  UNION ALL SELECT 'author', author_id, count(*)::int FROM articles a WHERE ${visible} GROUP BY author_id
  UNION ALL SELECT 'favorited', user_id, count(*)::int FROM favorites f JOIN articles a ON a.id = f.article_id
    WHERE ${visible} GROUP BY user_id`;

/** Tag links of counted articles. */
const tagLinks = (visible: string) =>
  `SELECT tag_id, count(*)::int AS n FROM article_tags at JOIN articles a ON a.id = at.article_id WHERE ${visible} GROUP BY tag_id`;

const counters = (visible: string): Counter[] => [
  {
    name: 'articles.favorites_count',
    recompute: [
      `UPDATE articles a SET favorites_count = coalesce(f.n, 0)
      FROM articles x LEFT JOIN (SELECT article_id, count(*)::int AS n FROM favorites GROUP BY article_id) f
        ON f.article_id = x.id
      WHERE a.id = x.id AND a.favorites_count IS DISTINCT FROM coalesce(f.n, 0)`,
    ],
    mismatches: `SELECT count(*)::int AS n FROM articles a
      LEFT JOIN (SELECT article_id, count(*)::int AS n FROM favorites GROUP BY article_id) f ON f.article_id = a.id
      WHERE a.favorites_count <> coalesce(f.n, 0)`,
  },
  {
    name: 'tags.articles_count',
    recompute: [
      `UPDATE tags t SET articles_count = coalesce(c.n, 0)
      FROM tags x LEFT JOIN (${tagLinks(visible)}) c ON c.tag_id = x.id
      WHERE t.id = x.id AND t.articles_count IS DISTINCT FROM coalesce(c.n, 0)`,
    ],
    mismatches: `SELECT count(*)::int AS n FROM tags t
      LEFT JOIN (${tagLinks(visible)}) c ON c.tag_id = t.id
      WHERE t.articles_count <> coalesce(c.n, 0)`,
  },
  {
    // migrations/*-ArticleCounts.ts: totals overall (striped), per author and per favoriting user; only their
    // sum per (scope, owner) means anything, so a wrong total is rebuilt as one stripe.
    name: 'article_counts',
    requires: 'article_counts',
    recompute: [
      'DELETE FROM article_counts',
      `INSERT INTO article_counts (scope, owner_id, stripe, count) SELECT scope, owner_id, 0, n FROM (${articleCounts(visible)}) c`,
    ],
    mismatches: `SELECT count(*)::int AS n
      FROM (${articleCounts(visible)}) actual
      FULL JOIN (SELECT scope, owner_id, sum(count)::int AS n FROM article_counts GROUP BY scope, owner_id) stored
        USING (scope, owner_id)
      WHERE coalesce(actual.n, 0) <> coalesce(stored.n, 0)`,
  },
];

async function applicable(client: pg.Client): Promise<Counter[]> {
  const hiding = await client.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'articles' AND column_name = 'hidden_at'`,
  );
  const present: Counter[] = [];
  for (const counter of counters(hiding.rowCount ? 'a.hidden_at IS NULL' : 'true')) {
    if (!counter.requires) present.push(counter);
    else if ((await client.query('SELECT to_regclass($1) AS t', [counter.requires])).rows[0].t) present.push(counter);
  }
  return present;
}

async function mismatchesOf(client: pg.Client, counter: Counter): Promise<number> {
  return (await client.query<{ n: number }>(counter.mismatches)).rows[0].n;
}

/** Makes every counter exact; returns how many wrong rows each one had. */
export async function recomputeCounters(client: pg.Client): Promise<Record<string, number>> {
  const wrong: Record<string, number> = {};
  for (const counter of await applicable(client)) {
    wrong[counter.name] = await mismatchesOf(client, counter);
    if (wrong[counter.name] > 0) for (const statement of counter.recompute) await client.query(statement);
  }
  return wrong;
}

/** The counters that disagree with their rows (anywhere, not only in this run's rows), with how many rows. */
export async function counterMismatches(client: pg.Client): Promise<string[]> {
  const found: string[] = [];
  for (const counter of await applicable(client)) {
    const n = await mismatchesOf(client, counter);
    if (n > 0) found.push(`${counter.name}: ${n} rows`);
  }
  return found;
}
