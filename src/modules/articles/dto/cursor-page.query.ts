import { IntersectionType } from '@nestjs/swagger';
import { CursorPageQuery } from '../../../core/http/cursor-page.query.js';
import { ArticleFilterQuery } from './list-articles.query.js';

export class ListArticlesPageQuery extends IntersectionType(CursorPageQuery, ArticleFilterQuery) {}
