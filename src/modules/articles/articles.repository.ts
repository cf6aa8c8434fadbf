import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ReadDatabase } from '../../core/database/read-database.js';
import { violatedConstraint } from '../../core/database/postgres-errors.js';
import {
  articleBySlugQuery,
  articleCountQuery,
  articlePageQuery,
  articleTotalsQuery,
  type ArticleFilter,
  type ArticleRow,
  type PageWindow,
  type SqlQuery,
} from './article-queries.js';
import { ArticleEntity } from './article.entity.js';

/** What the visibility rules need of an article. */
export interface ArticleRef {
  id: string;
  slug: string;
  authorId: string;
  hiddenAt: Date | null;
}

export interface ArticleFields {
  slug: string;
  title: string;
  description: string;
  body: string;
  authorId: string;
}

/**
 * Lists, feed and single-article reads go through ReadDatabase (a replica when configured, the primary
 * for the caller's own writes); writes and reads inside transactions use the DataSource.
 */
@Injectable()
export class ArticlesRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reads: ReadDatabase,
  ) {}

  findPage(filter: ArticleFilter, window: PageWindow, viewerId: string | undefined): Promise<ArticleRow[]> {
    return window.limit > 0 ? this.read<ArticleRow>(articlePageQuery(filter, window, viewerId)) : Promise.resolve([]);
  }

  /** A maintained total (`article_counts`): overall, by author(s) or by favoriting user. */
  async total(scope: 'all' | 'author' | 'favorited', owners?: string[]): Promise<number> {
    const [row] = await this.read<{ count: number }>(articleTotalsQuery(scope, owners));
    return row?.count ?? 0;
  }

  /** The total for several filters at once, counted over the smallest filter's set (see article-queries.ts). */
  async count(filter: ArticleFilter): Promise<number> {
    const [row] = await this.read<{ count: number }>(articleCountQuery(filter));
    return row?.count ?? 0;
  }

  async findBySlug(slug: string, viewerId: string | undefined): Promise<ArticleRow | undefined> {
    const [row] = await this.read<ArticleRow>(articleBySlugQuery(slug, viewerId));
    return row;
  }

  /** The bare row, locked for update inside `manager`'s transaction. */
  findForUpdate(manager: EntityManager, slug: string): Promise<ArticleEntity | null> {
    return manager.findOne(ArticleEntity, { where: { slug }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Id, author and hidden state, for the visibility checks. With `lockForShare` (inside a transaction), the
   * article cannot be deleted nor hidden until that transaction ends.
   */
  async findRefBySlug(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
    lockForShare = false,
  ): Promise<ArticleRef | undefined> {
    const row = await manager.findOne(ArticleEntity, {
      select: { id: true, slug: true, authorId: true, hiddenAt: true },
      where: { slug },
      ...(lockForShare && { lock: { mode: 'pessimistic_read' as const } }),
    });
    return row ? { id: row.id, slug: row.slug, authorId: row.authorId, hiddenAt: row.hiddenAt } : undefined;
  }

  async findRefById(id: string): Promise<ArticleRef | undefined> {
    const row = await this.dataSource.manager.findOne(ArticleEntity, {
      select: { id: true, slug: true, authorId: true, hiddenAt: true },
      where: { id },
    });
    return row ? { id: row.id, slug: row.slug, authorId: row.authorId, hiddenAt: row.hiddenAt } : undefined;
  }

  async findSlugsByIds(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; slug: string }> = await this.dataSource.query(
      'SELECT id, slug FROM articles WHERE id = ANY($1::uuid[])',
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row.slug]));
  }

  async findSlugById(id: string): Promise<string | undefined> {
    const row = await this.dataSource.manager.findOne(ArticleEntity, { select: { slug: true }, where: { id } });
    return row?.slug;
  }

  /**
   * Sets or clears the hidden state, leaving `updated_at` alone (the content did not change); the row trigger of
   * migration HiddenContent moves the counters.
   */
  async setHidden(manager: EntityManager, id: string, hiddenAt: Date | null, hiddenBy: string | null): Promise<void> {
    await manager.query('UPDATE articles SET hidden_at = $2, hidden_by = $3 WHERE id = $1', [id, hiddenAt, hiddenBy]);
  }

  slugExists(slug: string): Promise<boolean> {
    return this.dataSource.manager.exists(ArticleEntity, { where: { slug } });
  }

  async insert(manager: EntityManager, fields: ArticleFields): Promise<ArticleEntity> {
    return manager.save(manager.create(ArticleEntity, { ...fields, favoritesCount: 0 }));
  }

  async update(manager: EntityManager, id: string, fields: Partial<ArticleFields>): Promise<void> {
    await manager.update(ArticleEntity, { id }, fields);
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(ArticleEntity, { id });
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private read<T>(query: SqlQuery): Promise<T[]> {
    return this.reads.query<T>(query.sql, query.params);
  }
}

export function isSlugConflict(error: unknown): boolean {
  return violatedConstraint(error, 'unique') === 'UQ_articles_slug';
}
