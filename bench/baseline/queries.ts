// The baseline's data access: the article SQL is imported from Folio's own builders (article-queries.ts), so
// both servers run the same statements as that module evolves; only what lives in other modules' repositories
// (profiles, follows, tags, the article insert) is written here by hand, as those repositories' SQL.
//
// Builders relied on: articlePageQuery(filter, window, viewerId), articleTotalsQuery(scope, owners),
// articleCountQuery(filter), articleBySlugQuery(slug, viewerId) and the types ArticleFilter, ArticleRow.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import slugify from 'slugify';
import {
  articleBySlugQuery,
  articleCountQuery,
  articlePageQuery,
  articleTotalsQuery,
  type ArticleFilter,
  type ArticleRow,
} from '../../src/modules/articles/article-queries.js';

export interface Profile {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

const UNKNOWN_PROFILE: Profile = { username: '', bio: null, image: null, following: false };

export class BaselineQueries {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  private async rows<T>(query: { sql: string; params: unknown[] }): Promise<T[]> {
    return (await this.pool.query(query.sql, query.params)).rows as T[];
  }

  /** Folio's tags repository: the tag's id and its maintained article count. */
  async tagByName(name: string): Promise<{ id: number; articlesCount: number } | undefined> {
    const [row] = await this.rows<{ id: number; articlesCount: number }>({
      sql: 'SELECT id, articles_count AS "articlesCount" FROM tags WHERE name = $1',
      params: [name],
    });
    return row;
  }

  async userIdByUsername(username: string): Promise<string | undefined> {
    const [row] = await this.rows<{ id: string }>({
      sql: 'SELECT id FROM users WHERE username = $1',
      params: [username],
    });
    return row?.id;
  }

  async followeeIds(followerId: string): Promise<string[]> {
    const rows = await this.rows<{ id: string }>({
      sql: 'SELECT followee_id AS id FROM follows WHERE follower_id = $1',
      params: [followerId],
    });
    return rows.map((row) => row.id);
  }

  async userExists(id: string): Promise<boolean> {
    return (await this.rows({ sql: 'SELECT 1 FROM users WHERE id = $1', params: [id] })).length > 0;
  }

  /**
   * A page and its total, in parallel on two pooled connections as in Folio. The total is `known` (the tag's
   * counter), a maintained total (article_counts) for no filter, one filter or the feed, else a count.
   */
  async page(filter: ArticleFilter, limit: number, offset: number, viewerId?: string, known?: number) {
    const [rows, total] = await Promise.all([
      limit > 0 ? this.rows<ArticleRow>(articlePageQuery(filter, { limit, offset }, viewerId)) : [],
      known ?? this.total(filter),
    ]);
    return { rows, total };
  }

  private async total(filter: ArticleFilter): Promise<number> {
    const { authorId, favoritedById, authorIds, tagId } = filter;
    const filters = [authorId, favoritedById, authorIds, tagId].filter((f) => f !== undefined).length;
    let query;
    if (filters === 0) query = articleTotalsQuery('all');
    else if (authorIds) query = articleTotalsQuery('author', authorIds);
    else if (filters === 1 && authorId) query = articleTotalsQuery('author', [authorId]);
    else if (filters === 1 && favoritedById) query = articleTotalsQuery('favorited', [favoritedById]);
    else query = articleCountQuery(filter);
    const [row] = await this.rows<{ count: number }>(query);
    return row?.count ?? 0;
  }

  async bySlug(slug: string, viewerId?: string): Promise<ArticleRow | undefined> {
    const [row] = await this.rows<ArticleRow>(articleBySlugQuery(slug, viewerId));
    return row;
  }

  /** Profiles by id as the viewer sees them: users and follows in parallel (Folio's getProfilesByIds). */
  async profiles(ids: string[], viewerId?: string): Promise<Map<string, Profile>> {
    const unique = [...new Set(ids)];
    const [users, followed] = await Promise.all([
      this.rows<{ id: string; username: string; bio: string | null; image: string | null }>({
        sql: 'SELECT id, username, bio, image FROM users WHERE id = ANY($1::uuid[])',
        params: [unique],
      }),
      viewerId && unique.length > 0
        ? this.rows<{ id: string }>({
            sql: 'SELECT followee_id AS id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2::uuid[])',
            params: [viewerId, unique],
          })
        : [],
    ]);
    const following = new Set(followed.map((row) => row.id));
    return new Map(
      users.map((u) => [u.id, { username: u.username, bio: u.bio, image: u.image, following: following.has(u.id) }]),
    );
  }

  /** Folio's create: slug check, then one transaction with the insert and the tag upserts and links. */
  async createArticle(
    authorId: string,
    input: { title: string; description: string; body: string; tagList: string[] },
  ): Promise<string> {
    const base = slugify(input.title.normalize('NFKC'), { lower: true, strict: true, trim: true }) || 'article';
    const taken = await this.rows({ sql: 'SELECT 1 FROM articles WHERE slug = $1 LIMIT 1', params: [base] });
    const slug = taken.length > 0 ? `${base}-${randomBytes(4).toString('hex')}` : base;
    const tags = [...new Set(input.tagList.map((tag) => tag.trim()).filter(Boolean))];
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO articles (slug, title, description, body, author_id, favorites_count)
         VALUES ($1, $2, $3, $4, $5, 0) RETURNING id`,
        [slug, input.title, input.description, input.body, authorId],
      );
      if (tags.length > 0) {
        await client.query(
          `INSERT INTO tags (name, articles_count) SELECT unnest($1::varchar[]), 1
           ON CONFLICT (name) DO UPDATE SET articles_count = tags.articles_count + 1`,
          [[...tags].sort()],
        );
        await client.query(
          `INSERT INTO article_tags (article_id, tag_id, position)
           SELECT $1, t.id, array_position($2::varchar[], t.name::varchar) FROM tags t WHERE t.name = ANY($2::varchar[])`,
          [rows[0].id, tags],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    return slug;
  }
}

export function summary(row: ArticleRow, author: Profile | undefined) {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tagList,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    favorited: row.favorited,
    favoritesCount: row.favoritesCount,
    author: author ?? UNKNOWN_PROFILE,
  };
}

export function full(row: ArticleRow, author: Profile | undefined) {
  return { ...summary(row, author), body: row.body ?? '' };
}
