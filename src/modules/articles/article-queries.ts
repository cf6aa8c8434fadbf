/**
 * The SQL the article reads live on, written by hand so that each page costs one query whatever its
 * size and whatever the table's size: the page's ids come from one index walk first (CTE), then only
 * those rows are joined to their tags and the caller's favorite. Snapshotted by
 * test/e2e/articles/queries.e2e-spec.ts; the plans are measured in docs/adr/0010-counts-and-keyset.md.
 *
 * Each filter has an index that yields its articles newest first, so a page never walks the global
 * created-at index hoping to meet matching rows (a rare tag would make that a scan of the table):
 * - no filter: `articles (created_at, id)`;
 * - author: `articles (author_id, created_at, id)`;
 * - tag: `article_tags (tag_id, created_at, article_id)` (the article's creation time is copied there);
 * - favorited: `favorites (user_id, article_created_at, article_id)` (likewise);
 * - feed: one walk of the author index per followed author (`LATERAL`, at most a page each), merged.
 * With several filters, the smallest set (by its maintained counter) drives and the others are checked
 * per row through primary keys, so a page and a count cost at most that set's size.
 *
 * Hidden articles (docs/moderation.md) are in no list: walks of `articles` skip them on the row they read,
 * walks of the link tables check the article through its primary key. Their counters already leave them out.
 */

export type FilterKind = 'author' | 'tag' | 'favorited';

export interface ArticleFilter {
  /** Resolved from the tag's name beforehand, so the planner sees a value and picks the right plan. */
  tagId?: number;
  authorId?: string;
  favoritedById?: string;
  /** Feed: articles by any of these authors. */
  authorIds?: string[];
  /** Which filter's index drives the walk when there are several (the smallest set); default tag, favorited, author. */
  driveBy?: FilterKind;
}

/** A position in the newest-first order: the exact creation time (text, microseconds, UTC) and the id. */
export interface Keyset {
  createdAt: string;
  id: string;
}

/** Offset pages (`/api`) or keyset pages (`/api/v1`: the rows strictly after `after`). */
export type PageWindow = { limit: number; offset: number } | { limit: number; after?: Keyset };

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
  /** Keyset pages only: `created_at` with its microseconds (a JS Date keeps milliseconds). */
  cursorAt?: string;
  /** Single reads only: when a moderator hid it (lists never return hidden articles). */
  hiddenAt?: Date | null;
  /** Single reads only: the moderator who hid it. */
  hiddenBy?: string | null;
}

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The table a page is walked from, with the expressions for the article id and its creation time. */
interface Driver {
  from: string;
  id: string;
  createdAt: string;
  conditions: string[];
}

export function drivingFilter(filter: ArticleFilter): FilterKind | undefined {
  const present: FilterKind[] = [];
  if (filter.tagId !== undefined) present.push('tag');
  if (filter.favoritedById !== undefined) present.push('favorited');
  if (filter.authorId !== undefined) present.push('author');
  return filter.driveBy && present.includes(filter.driveBy) ? filter.driveBy : present[0];
}

function driver(filter: ArticleFilter, params: Params): Driver {
  const drive = drivingFilter(filter);
  let result: Driver;
  if (drive === 'tag') {
    result = {
      from: 'article_tags d',
      id: 'd.article_id',
      createdAt: 'd.created_at',
      conditions: [`d.tag_id = ${params.add(filter.tagId)}`],
    };
  } else if (drive === 'favorited') {
    result = {
      from: 'favorites d',
      id: 'd.article_id',
      createdAt: 'd.article_created_at',
      conditions: [`d.user_id = ${params.add(filter.favoritedById)}`],
    };
  } else {
    result = { from: 'articles d', id: 'd.id', createdAt: 'd.created_at', conditions: [] };
    if (drive === 'author') result.conditions.push(`d.author_id = ${params.add(filter.authorId)}`);
    result.conditions.push('d.hidden_at IS NULL');
  }
  if (result.from !== 'articles d') {
    result.conditions.push(`EXISTS (SELECT 1 FROM articles v WHERE v.id = ${result.id} AND v.hidden_at IS NULL)`);
  }
  // The other filters, checked per row through primary keys.
  if (filter.authorId !== undefined && drive !== 'author') {
    result.conditions.push(
      `EXISTS (SELECT 1 FROM articles x WHERE x.id = ${result.id} AND x.author_id = ${params.add(filter.authorId)})`,
    );
  }
  if (filter.tagId !== undefined && drive !== 'tag') {
    result.conditions.push(
      `EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = ${result.id} AND x.tag_id = ${params.add(filter.tagId)})`,
    );
  }
  if (filter.favoritedById !== undefined && drive !== 'favorited') {
    result.conditions.push(
      `EXISTS (SELECT 1 FROM favorites x WHERE x.user_id = ${params.add(filter.favoritedById)} AND x.article_id = ${result.id})`,
    );
  }
  return result;
}

function where(conditions: string[]): string {
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function after(createdAt: string, id: string, position: Keyset, params: Params): string {
  return `(${createdAt}, ${id}) < (${params.add(position.createdAt)}::timestamptz, ${params.add(position.id)}::uuid)`;
}

function limitClause(window: PageWindow, params: Params): string {
  const limit = `LIMIT ${params.add(window.limit)}`;
  return 'offset' in window ? `${limit} OFFSET ${params.add(window.offset)}` : limit;
}

/** The CTE body: the page's ids and creation times, newest first. */
function pageIds(filter: ArticleFilter, window: PageWindow, params: Params): string {
  const position = 'after' in window ? window.after : undefined;
  if (filter.authorIds) {
    // Feed: each followed author contributes at most the rows the page can reach (offset + limit), from
    // its own index walk; the merge sorts those few rows. No walk of the global order filtering authors.
    const authors = params.add(filter.authorIds);
    const reach = params.add('offset' in window ? window.offset + window.limit : window.limit);
    const conditions = ['a.author_id = f.author_id', 'a.hidden_at IS NULL'];
    if (position) conditions.push(after('a.created_at', 'a.id', position, params));
    return (
      `SELECT p.id, p.created_at FROM unnest(${authors}::uuid[]) AS f(author_id) CROSS JOIN LATERAL ` +
      `(SELECT a.id, a.created_at FROM articles a${where(conditions)} ORDER BY a.created_at DESC, a.id DESC LIMIT ${reach}) p ` +
      `ORDER BY p.created_at DESC, p.id DESC ${limitClause(window, params)}`
    );
  }
  const d = driver(filter, params);
  if (position) d.conditions.push(after(d.createdAt, d.id, position, params));
  return (
    `SELECT ${d.id} AS id, ${d.createdAt} AS created_at FROM ${d.from}${where(d.conditions)} ` +
    `ORDER BY ${d.createdAt} DESC, ${d.id} DESC ${limitClause(window, params)}`
  );
}

function projection(viewerId: string | undefined, withBody: boolean, params: Params): string {
  const favorited = viewerId
    ? `EXISTS (SELECT 1 FROM favorites f WHERE f.article_id = a.id AND f.user_id = ${params.add(viewerId)})`
    : 'false';
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

/** The exact text a keyset cursor carries: UTC, microseconds, parsed back by `::timestamptz`. */
const CURSOR_AT = `to_char(page.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "cursorAt"`;

/** One page of articles, newest first, with tags and the viewer's `favorited`. */
export function articlePageQuery(filter: ArticleFilter, window: PageWindow, viewerId: string | undefined): SqlQuery {
  const params = new Params();
  const ids = pageIds(filter, window, params);
  const keyset = !('offset' in window);
  const select = projection(viewerId, false, params) + (keyset ? `, ${CURSOR_AT}` : '');
  const sql = [
    `WITH page AS (${ids})`,
    `SELECT ${select} FROM page JOIN articles a ON a.id = page.id ${TAGS_JOIN}`,
    'ORDER BY page.created_at DESC, page.id DESC',
  ].join(' ');
  return { sql, params: params.values };
}

/**
 * The total for a combination of filters, counted over the driving (smallest) set: bounded by that set's
 * size. A single filter, no filter and the feed read maintained counters instead (`articleTotalsQuery`).
 */
export function articleCountQuery(filter: ArticleFilter): SqlQuery {
  const params = new Params();
  const d = driver(filter, params);
  return { sql: `SELECT count(*)::int AS count FROM ${d.from}${where(d.conditions)}`, params: params.values };
}

/** Owner of the overall counter's stripes. */
const EVERYONE = '00000000-0000-0000-0000-000000000000';

/**
 * Maintained totals (`article_counts`, kept by triggers): overall (`all`, summed over its stripes), an
 * author's articles (`author`, or several authors' for the feed) and a user's favorites (`favorited`).
 */
export function articleTotalsQuery(scope: 'all' | 'author' | 'favorited', owners?: string[]): SqlQuery {
  if (scope === 'all') {
    return {
      sql: 'SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = $2',
      params: [scope, EVERYONE],
    };
  }
  return {
    sql: 'SELECT COALESCE(sum(count), 0)::int AS count FROM article_counts WHERE scope = $1 AND owner_id = ANY($2::uuid[])',
    params: [scope, owners ?? []],
  };
}

/** One article by slug, with body, tags, the viewer's `favorited` and whether it is hidden (the caller decides who sees it). */
export function articleBySlugQuery(slug: string, viewerId: string | undefined): SqlQuery {
  const params = new Params();
  params.add(slug);
  const select = `${projection(viewerId, true, params)}, a.hidden_at AS "hiddenAt", a.hidden_by AS "hiddenBy"`;
  return { sql: `SELECT ${select} FROM articles a ${TAGS_JOIN} WHERE a.slug = $1`, params: params.values };
}
