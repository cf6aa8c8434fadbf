import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArticlesModule } from '../articles/index.js';
import { ProfilesModule } from '../profiles/index.js';
import { CommentCounts } from './comment-counts.js';
import { CommentEntity } from './comment.entity.js';
import { CommentsCacheInvalidation } from './comments.cache.js';
import { CommentsController } from './comments.controller.js';
import { CommentsRepository } from './comments.repository.js';
import { CommentsService } from './comments.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([CommentEntity]), ArticlesModule, ProfilesModule],
  controllers: [CommentsController],
  providers: [CommentsService, CommentsRepository, CommentsCacheInvalidation, CommentCounts],
  exports: [CommentsService, CommentCounts],
})
export class CommentsModule {}
