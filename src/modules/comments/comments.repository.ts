import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { CommentEntity } from './comment.entity.js';

@Injectable()
export class CommentsRepository {
  constructor(@InjectRepository(CommentEntity) private readonly comments: Repository<CommentEntity>) {}

  /** Oldest first, as a conversation reads. */
  forArticle(articleId: string): Promise<CommentEntity[]> {
    return this.comments.find({ where: { articleId }, order: { createdAt: 'ASC', id: 'ASC' } });
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

  async deleteForArticle(manager: EntityManager, articleId: string): Promise<void> {
    await manager.delete(CommentEntity, { articleId });
  }
}
