import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProfilesModule } from '../profiles/index.js';
import { ArticleCountEntity } from './article-count.entity.js';
import { ArticleExport } from './article-export.js';
import { ArticleSummaries } from './article-summaries.js';
import { ArticleTagEntity } from './article-tag.entity.js';
import { ArticleEntity } from './article.entity.js';
import { ArticlesCacheInvalidation } from './articles.cache.js';
import { ArticlesV1Controller } from './articles-v1.controller.js';
import { ArticlesController } from './articles.controller.js';
import { ArticlesRepository } from './articles.repository.js';
import { ArticlesService } from './articles.service.js';
import { FavoriteEntity } from './favorite.entity.js';
import { FavoritesRepository } from './favorites.repository.js';
import { TagEntity } from './tag.entity.js';
import { TagCountsController, TagsController } from './tags.controller.js';
import { TagsRepository } from './tags.repository.js';

@Module({
  imports: [
    TypeOrmModule.forFeature([ArticleEntity, TagEntity, ArticleTagEntity, FavoriteEntity, ArticleCountEntity]),
    ProfilesModule,
  ],
  controllers: [ArticlesController, ArticlesV1Controller, TagsController, TagCountsController],
  providers: [
    ArticlesService,
    ArticlesRepository,
    TagsRepository,
    FavoritesRepository,
    ArticlesCacheInvalidation,
    ArticleSummaries,
    ArticleExport,
  ],
  exports: [ArticlesService, ArticleSummaries, ArticleExport],
})
export class ArticlesModule {}
