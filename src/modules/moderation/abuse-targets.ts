import { Injectable } from '@nestjs/common';
import { MAX_INT_ID } from '../../core/http/id-param.pipe.js';
import { ArticlesService } from '../articles/index.js';
import { CommentsService } from '../comments/index.js';
import { ProfilesService } from '../profiles/index.js';
import type { AbuseTargetType } from './abuse-report.entity.js';
import { AbuseTargetNotFoundError } from './moderation.errors.js';

/** A target resolved from how the API names it: its stored id and whose it is. */
export interface ResolvedTarget {
  type: AbuseTargetType;
  id: string;
  /** The author of an article or comment, the user themself. */
  ownerId: string;
}

const COMMENT_ID = /^[1-9][0-9]{0,9}$/;
/** A comment id is a PostgreSQL `integer`: a larger number names nothing (and must not reach the query). */
const isCommentId = (name: string) => COMMENT_ID.test(name) && Number(name) <= MAX_INT_ID;

/**
 * Finds report targets through the owning modules' services: articles by slug, comments by id, users by
 * username; what the reporter may not read (a hidden article or comment of someone else) does not exist.
 */
@Injectable()
export class AbuseTargets {
  constructor(
    private readonly articles: ArticlesService,
    private readonly comments: CommentsService,
    private readonly profiles: ProfilesService,
  ) {}

  async resolve(type: AbuseTargetType, name: string, reporterId: string): Promise<ResolvedTarget> {
    if (type === 'article') {
      const article = await this.articles.findVisibleArticle(name, reporterId);
      if (article) return { type, id: article.id, ownerId: article.authorId };
    } else if (type === 'comment') {
      const comment = isCommentId(name) ? await this.comments.findVisibleComment(Number(name), reporterId) : undefined;
      if (comment) return { type, id: String(comment.id), ownerId: comment.authorId };
    } else {
      const userId = await this.profiles.findUserId(name);
      if (userId) return { type, id: userId, ownerId: userId };
    }
    throw new AbuseTargetNotFoundError();
  }

  /**
   * How the API names each target now (slug, comment id, username), keyed `<type>:<id>`; gone ones are missing.
   * Three queries at most, whatever the number of targets.
   */
  async refs(targets: Array<{ targetType: AbuseTargetType; targetId: string }>): Promise<Map<string, string>> {
    const ids = (type: AbuseTargetType) => targets.filter((t) => t.targetType === type).map((t) => t.targetId);
    const [slugs, comments, users] = await Promise.all([
      this.articles.findSlugs(ids('article')),
      this.comments.existing(ids('comment').map(Number)),
      this.profiles.getProfilesByIds(ids('user')),
    ]);
    const refs = new Map<string, string>();
    for (const [id, slug] of slugs) refs.set(`article:${id}`, slug);
    for (const id of comments) refs.set(`comment:${id}`, String(id));
    for (const [id, profile] of users) refs.set(`user:${id}`, profile.username);
    return refs;
  }
}
