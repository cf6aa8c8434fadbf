import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { CommentEntity } from './comment.entity.js';

/** Most comments an article's list shows (RealWorld's comment list has no paging). */
export const MAX_COMMENTS_LISTED = 500;

@Injectable()
export class CommentsRepository {
  constructor(@InjectRepository(CommentEntity) private readonly comments: Repository<CommentEntity>) {}

  /** The latest MAX_COMMENTS_LISTED, oldest first, as a conversation reads: no answer grows without bound. */
  async forArticle(articleId: string, viewerId?: string): Promise<CommentEntity[]> {
    // Hidden comments only for their author (docs/moderation.md); one walk of the article's index either way.
    const query = this.comments.createQueryBuilder('c').where('c.articleId = :articleId', { articleId });
    if (viewerId) query.andWhere('(c.hiddenAt IS NULL OR c.authorId = :viewerId)', { viewerId });
    else query.andWhere('c.hiddenAt IS NULL');
    const latest = await query
      .orderBy('c.createdAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(MAX_COMMENTS_LISTED)
      .getMany();
    return latest.reverse();
  }

  findOne(articleId: string, id: number): Promise<CommentEntity | null> {
    return this.comments.findOneBy({ articleId, id });
  }

  insert(
    manager: EntityManager,
    fields: Pick<CommentEntity, 'articleId' | 'authorId' | 'body'>,
  ): Promise<CommentEntity> {
    return manager.save(manager.create(CommentEntity, fields));
  }

  async delete(id: number): Promise<void> {
    await this.comments.delete({ id });
  }

  findById(id: number): Promise<CommentEntity | null> {
    return this.comments.findOneBy({ id });
  }

  async existingIds(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: number }> = await this.comments.query('SELECT id FROM comments WHERE id = ANY($1::int[])', [
      [...new Set(ids)],
    ]);
    return new Set(rows.map((row) => row.id));
  }

  /** The bare row, locked for update inside `manager`'s transaction. */
  findForUpdate(manager: EntityManager, id: number): Promise<CommentEntity | null> {
    return manager.findOne(CommentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Sets or clears the hidden state, leaving `updated_at` alone (the text did not change). */
  async setHidden(manager: EntityManager, id: number, hiddenAt: Date | null, hiddenBy: string | null): Promise<void> {
    await manager.query('UPDATE comments SET hidden_at = $2, hidden_by = $3 WHERE id = $1', [id, hiddenAt, hiddenBy]);
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.comments.manager.transaction(work);
  }

  async deleteForArticle(manager: EntityManager, articleId: string): Promise<void> {
    await manager.delete(CommentEntity, { articleId });
  }
}
