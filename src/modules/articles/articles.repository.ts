import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { violatedConstraint } from '../../core/database/postgres-errors.js';
import {
  articleBySlugQuery,
  articleCountQuery,
  articlePageQuery,
  type ArticleFilter,
  type ArticleRow,
  type SqlQuery,
} from './article-queries.js';
import { ArticleEntity } from './article.entity.js';

export interface ArticleFields {
  slug: string;
  title: string;
  description: string;
  body: string;
  authorId: string;
}

@Injectable()
export class ArticlesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page and the filter's total; `knownTotal` (a maintained counter) spares the count query. */
  async findPage(
    filter: ArticleFilter,
    page: { limit: number; offset: number },
    viewerId: string | undefined,
    knownTotal?: number,
  ): Promise<{ rows: ArticleRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      page.limit > 0 ? this.run<ArticleRow>(articlePageQuery(filter, page, viewerId)) : Promise.resolve([]),
      knownTotal ?? this.run<{ count: number }>(articleCountQuery(filter)).then(([row]) => row?.count ?? 0),
    ]);
    return { rows, total };
  }

  async findBySlug(slug: string, viewerId: string | undefined): Promise<ArticleRow | undefined> {
    const [row] = await this.run<ArticleRow>(articleBySlugQuery(slug, viewerId));
    return row;
  }

  /** The bare row, locked for update inside `manager`'s transaction. */
  findForUpdate(manager: EntityManager, slug: string): Promise<ArticleEntity | null> {
    return manager.findOne(ArticleEntity, { where: { slug }, lock: { mode: 'pessimistic_write' } });
  }

  /** With `lockForShare` (inside a transaction), the article cannot be deleted until that transaction ends. */
  async findIdBySlug(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
    lockForShare = false,
  ): Promise<string | undefined> {
    const row = await manager.findOne(ArticleEntity, {
      select: { id: true },
      where: { slug },
      ...(lockForShare && { lock: { mode: 'pessimistic_read' as const } }),
    });
    return row?.id;
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

  private run<T>(query: SqlQuery): Promise<T[]> {
    return this.dataSource.query(query.sql, query.params);
  }
}

export function isSlugConflict(error: unknown): boolean {
  return violatedConstraint(error, 'unique') === 'UQ_articles_slug';
}
