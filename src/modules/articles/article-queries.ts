/**
 * The SQL the article reads live on, written by hand so that each page costs one query whatever its
 * size: the page's ids come from the indexes first (CTE), then only those rows are joined to their
 * tags and the caller's favorite. Snapshotted by test/e2e/articles/queries.e2e-spec.ts.
 */

export interface ArticleFilter {
  /** Resolved from the tag's name beforehand, so the planner sees a value and picks the right plan. */
  tagId?: number;
  authorId?: string;
  favoritedById?: string;
  /** Feed: articles by any of these authors. */
  authorIds?: string[];
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

export interface ArticleRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  body?: string;
  authorId: string;
  favoritesCount: number;
  createdAt: Date;
  updatedAt: Date;
  tagList: string[];
  favorited: boolean;
}

function whereClause(filter: ArticleFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filter.authorId) conditions.push(`a.author_id = ${param(filter.authorId)}`);
  if (filter.authorIds) conditions.push(`a.author_id = ANY(${param(filter.authorIds)}::uuid[])`);
  if (filter.tagId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id = ${param(filter.tagId)})`,
    );
  }
  if (filter.favoritedById) {
    conditions.push(`a.id IN (SELECT f.article_id FROM favorites f WHERE f.user_id = ${param(filter.favoritedById)})`);
  }
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

function projection(viewerId: string | undefined, withBody: boolean, params: unknown[]): string {
  let favorited = 'false';
  if (viewerId) {
    params.push(viewerId);
    favorited = `EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = $${params.length})`;
  }
  return [
    'a.id',
    'a.slug',
    'a.title',
    'a.description',
    ...(withBody ? ['a.body'] : []),
    'a.author_id AS "authorId"',
    'a.favorites_count AS "favoritesCount"',
    'a.created_at AS "createdAt"',
    'a.updated_at AS "updatedAt"',
    `COALESCE(tags.names, '{}') AS "tagList"`,
    `${favorited} AS favorited`,
  ].join(', ');
}

const TAGS_JOIN =
  'LEFT JOIN LATERAL (SELECT array_agg(t.name ORDER BY t.name COLLATE "C") AS names FROM article_tags at ' +
  'JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id) tags ON true';

/** One page of articles, newest first, with tags and the viewer's `favorited`. */
export function articlePageQuery(
  filter: ArticleFilter,
  page: { limit: number; offset: number },
  viewerId: string | undefined,
): SqlQuery {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  params.push(page.limit, page.offset);
  const limit = `LIMIT $${params.length - 1} OFFSET $${params.length}`;
  const select = projection(viewerId, false, params);
  const sql = [
    `WITH page AS (SELECT a.id, a.created_at FROM articles a ${where} ORDER BY a.created_at DESC, a.id DESC ${limit})`,
    `SELECT ${select} FROM page JOIN articles a ON a.id = page.id ${TAGS_JOIN}`,
    'ORDER BY page.created_at DESC, page.id DESC',
  ].join(' ');
  return { sql, params };
}

/** The total for a filter (`articlesCount`). */
export function articleCountQuery(filter: ArticleFilter): SqlQuery {
  const params: unknown[] = [];
  const where = whereClause(filter, params);
  return { sql: `SELECT count(*)::int AS count FROM articles a ${where}`, params };
}

/** One article by slug, with body, tags and the viewer's `favorited`. */
export function articleBySlugQuery(slug: string, viewerId: string | undefined): SqlQuery {
  const params: unknown[] = [slug];
  const select = projection(viewerId, true, params);
  return { sql: `SELECT ${select} FROM articles a ${TAGS_JOIN} WHERE a.slug = $1`, params };
}
