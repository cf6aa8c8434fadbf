import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { ReadCache } from '../../core/cache/read-cache.service.js';
import { articleScope } from '../articles/index.js';
import { PROFILES_SCOPE } from '../profiles/index.js';
import { COMMENTS_CHANGED, type CommentsChangedEvent } from './comments.events.js';

/** `GET /api/articles/:slug/comments`. */
export function commentsScope(slug: string): string {
  return `comments:${slug}`;
}

/**
 * What the comment list of an article depends on: its comments, the article itself (a deleted or renamed
 * article's comments must not outlive it in the cache), the authors' profiles.
 */
export function commentListScopes(slug: string): string[] {
  return [commentsScope(slug), articleScope(slug), PROFILES_SCOPE];
}

/** Retires the cached comment list of an article when a comment is added or deleted, before the write is answered. */
@Injectable()
export class CommentsCacheInvalidation {
  constructor(private readonly cache: ReadCache) {}

  @OnEvent(COMMENTS_CHANGED, { suppressErrors: false })
  async onCommentsChanged(event: CommentsChangedEvent): Promise<void> {
    await this.cache.invalidate([commentsScope(event.slug)]);
  }
}
