import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../../core/auth/auth.types.js';
import { ProfilesService } from '../profiles/index.js';
import type { ArticleFilter, ArticleRow, FilterKind, Keyset } from './article-queries.js';
import { canEditArticle, canSeeArticle, normaliseTags, slugBase, uniqueSlug } from './article.policy.js';
import {
  ArticleAlreadyHiddenError,
  ArticleNotFoundError,
  ArticleNotHiddenError,
  InvalidCursorError,
  NotArticleAuthorError,
} from './articles.errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  ARTICLE_DELETING,
  ARTICLES_CHANGED,
  type ArticleDeletingEvent,
  type ArticlesChangedEvent,
} from './articles.events.js';
import { toArticle, toArticleSummary } from './articles.mapper.js';
import { ArticlesRepository, isSlugConflict, type ArticleRef } from './articles.repository.js';
import { FavoritesRepository } from './favorites.repository.js';
import { TagsRepository } from './tags.repository.js';
import type { NewArticleDto } from './dto/create-article.dto.js';
import type { UpdateArticleFieldsDto } from './dto/update-article.dto.js';
import type { ListArticlesQuery, PageQuery } from './dto/list-articles.query.js';
import type {
  ArticleDto,
  ArticlePageDto,
  ArticleSummaryDto,
  MultipleArticlesResponseDto,
} from './dto/article-response.dto.js';
import type { CursorPageQuery } from '../../core/http/cursor-page.query.js';
import type { ListArticlesPageQuery } from './dto/cursor-page.query.js';

const SLUG_ATTEMPTS = 3;

/** A moderator's change of an article's visibility (`setHidden`). */
export interface HiddenChange {
  hidden: boolean;
  /** The moderator's user id. */
  by: string;
}

/** Work done in the hiding transaction, after the change (the audit entry): it commits or rolls back with it. */
export type InHidingTransaction = (manager: EntityManager, article: ArticleRef) => Promise<void>;

@Injectable()
export class ArticlesService {
  constructor(
    private readonly articles: ArticlesRepository,
    private readonly tags: TagsRepository,
    private readonly favorites: FavoritesRepository,
    private readonly profiles: ProfilesService,
    private readonly events: EventEmitter2,
  ) {}

  /** `/api/articles`: an offset page and `articlesCount`, the filters' total from maintained counters. */
  async list(query: ListArticlesQuery, viewer?: AuthUser): Promise<MultipleArticlesResponseDto> {
    const resolved = await this.resolveFilter(query);
    if (!resolved) return { articles: [], articlesCount: 0 };
    const { filter, sizes } = resolved;
    const window = { limit: query.limit ?? 20, offset: query.offset ?? 0 };
    const [rows, total] = await Promise.all([
      this.articles.findPage(filter, window, viewer?.id),
      this.total(filter, sizes),
    ]);
    return { articles: await this.summaries(rows, viewer), articlesCount: total };
  }

  /** `/api/articles/feed`: the total is the sum of the followed authors' counters. */
  async feed(query: PageQuery, viewer: AuthUser): Promise<MultipleArticlesResponseDto> {
    const authorIds = await this.profiles.followedUserIds(viewer.id);
    if (authorIds.length === 0) return { articles: [], articlesCount: 0 };
    const window = { limit: query.limit ?? 20, offset: query.offset ?? 0 };
    const [rows, total] = await Promise.all([
      this.articles.findPage({ authorIds }, window, viewer.id),
      this.articles.total('author', authorIds),
    ]);
    return { articles: await this.summaries(rows, viewer), articlesCount: total };
  }

  /** `/api/v1/articles`: a keyset page, same filters as `list`, no total. */
  async listPage(query: ListArticlesPageQuery, viewer?: AuthUser): Promise<ArticlePageDto> {
    const after = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const resolved = await this.resolveFilter(query);
    if (!resolved) return { articles: [], nextCursor: null };
    return this.keysetPage(resolved.filter, query.limit ?? 20, after, viewer);
  }

  /** `/api/v1/articles/feed`: a keyset page of the followed authors' articles. */
  async feedPage(query: CursorPageQuery, viewer: AuthUser): Promise<ArticlePageDto> {
    const after = query.cursor === undefined ? undefined : parseCursor(query.cursor);
    const authorIds = await this.profiles.followedUserIds(viewer.id);
    if (authorIds.length === 0) return { articles: [], nextCursor: null };
    return this.keysetPage({ authorIds }, query.limit ?? 20, after, viewer);
  }

  /** A hidden article is read only by its author (with `hidden: true`); others get 404. */
  async get(slug: string, viewer?: AuthUser): Promise<ArticleDto> {
    const row = await this.articles.findBySlug(slug, viewer?.id);
    if (!row || !canSeeArticle(row, viewer?.id)) throw new ArticleNotFoundError();
    return this.withAuthor(row, viewer);
  }

  async create(author: AuthUser, input: NewArticleDto): Promise<ArticleDto> {
    const tagList = normaliseTags(input.tagList);
    const base = slugBase(input.title);
    const slug = await this.withFreeSlug(base, undefined, async (candidate) =>
      this.articles.transaction(async (manager) => {
        // Tags are counted before the insert (whose triggers update article_counts): see TagsRepository.count.
        await this.tags.count(manager, tagList);
        const article = await this.articles.insert(manager, {
          slug: candidate,
          title: input.title,
          description: input.description,
          body: input.body,
          authorId: author.id,
        });
        await this.tags.link(manager, article.id, tagList);
        return candidate;
      }),
    );
    await this.changed('created', slug);
    return this.get(slug, author);
  }

  async update(caller: AuthUser, slug: string, input: UpdateArticleFieldsDto): Promise<ArticleDto> {
    const newBase = input.title !== undefined ? slugBase(input.title) : undefined;
    const finalSlug = await this.withFreeSlug(newBase ?? slug, slug, async (candidate) =>
      this.articles.transaction(async (manager) => {
        const article = await this.loadEditable(manager, slug, caller, 'edit');
        const nextSlug = newBase !== undefined && newBase !== slugBase(article.title) ? candidate : article.slug;
        await this.articles.update(manager, article.id, {
          ...(input.title !== undefined && { title: input.title }),
          ...(input.description !== undefined && { description: input.description }),
          ...(input.body !== undefined && { body: input.body }),
          slug: nextSlug,
        });
        if (input.tagList !== undefined) {
          // A hidden article counts in no tag: its links change uncounted.
          const counted = article.hiddenAt === null;
          await this.tags.detachAll(manager, article.id, counted);
          await this.tags.attach(manager, article.id, normaliseTags(input.tagList), counted);
        }
        return nextSlug;
      }),
    );
    await this.changed('updated', slug, finalSlug);
    return this.get(finalSlug, caller);
  }

  /** Deletes the article with its tags links, favorites (FK cascade) and other modules' rows (event). */
  async delete(caller: AuthUser, slug: string): Promise<void> {
    await this.articles.transaction(async (manager) => {
      const article = await this.loadEditable(manager, slug, caller, 'delete');
      await this.tags.detachAll(manager, article.id, article.hiddenAt === null);
      const event: ArticleDeletingEvent = { articleId: article.id, manager };
      await this.events.emitAsync(ARTICLE_DELETING, event);
      await this.articles.delete(manager, article.id);
    });
    await this.changed('deleted', slug);
  }

  /** Not on a hidden article, whoever asks (404): its favorites are out of the counters until it is unhidden. */
  async favorite(caller: AuthUser, slug: string): Promise<ArticleDto> {
    const id = await this.requireId(slug);
    if (!(await this.favorites.add(caller.id, id))) throw new ArticleNotFoundError();
    await this.changed('favorited', slug);
    return this.get(slug, caller);
  }

  async unfavorite(caller: AuthUser, slug: string): Promise<ArticleDto> {
    await this.favorites.remove(caller.id, await this.requireId(slug));
    await this.changed('unfavorited', slug);
    return this.get(slug, caller);
  }

  tagCounts(limit: number): Promise<{ name: string; articlesCount: number }[]> {
    return this.tags.countsInUse(limit);
  }

  tagsInUse(limit: number): Promise<string[]> {
    return this.tags.mostUsed(limit);
  }

  /**
   * The article's id, for modules that read rows attached to articles (comments); undefined when there is
   * none, or when it is hidden and `viewerId` is not its author.
   */
  async findArticleId(slug: string, viewerId?: string): Promise<string | undefined> {
    return (await this.findVisibleArticle(slug, viewerId))?.id;
  }

  /** Id, author and hidden state of the article, when `viewerId` may read it (abuse reports check targets). */
  async findVisibleArticle(slug: string, viewerId?: string): Promise<ArticleRef | undefined> {
    const article = await this.articles.findRefBySlug(slug);
    return article && canSeeArticle(article, viewerId) ? article : undefined;
  }

  /** Whether the article exists and `viewerId` may read it. */
  async canRead(articleId: string, viewerId?: string): Promise<boolean> {
    const article = await this.articles.findRefById(articleId);
    return article !== undefined && canSeeArticle(article, viewerId);
  }

  /** The article's current slug, for modules that hold its id (cache scopes are named by slug). */
  findSlug(articleId: string): Promise<string | undefined> {
    return this.articles.findSlugById(articleId);
  }

  /** Current slugs of the given articles, in one query; deleted ones are missing from the map. */
  findSlugs(articleIds: string[]): Promise<Map<string, string>> {
    return this.articles.findSlugsByIds(articleIds);
  }

  /**
   * Runs `write` in a transaction holding a share lock on the article, for modules that attach rows to
   * it: a concurrent deletion waits for the write, then removes its rows too, so nothing is orphaned (a
   * concurrent hiding waits as well). `articleId` is undefined when there is no article, or when it is hidden
   * and `viewerId` is not its author.
   */
  withArticle<T>(
    slug: string,
    write: (articleId: string | undefined, manager: EntityManager) => Promise<T>,
    viewerId?: string,
  ): Promise<T> {
    return this.articles.transaction(async (manager) => {
      const article = await this.articles.findRefBySlug(slug, manager, true);
      return write(article && canSeeArticle(article, viewerId) ? article.id : undefined, manager);
    });
  }

  /**
   * A moderator hides or unhides the article (docs/moderation.md). In one transaction: the row locked, the
   * change (whose trigger moves the counters), then `inTransaction` (the audit entry). Hiding a hidden
   * article, or unhiding a visible one, is 409 and changes nothing. The read cache is retired as for an edit.
   * Returns the article as its author sees it, with `hidden`.
   */
  async setHidden(slug: string, change: HiddenChange, inTransaction: InHidingTransaction): Promise<ArticleDto> {
    await this.articles.transaction(async (manager) => {
      const article = await this.articles.findForUpdate(manager, slug);
      if (!article) throw new ArticleNotFoundError();
      if (change.hidden && article.hiddenAt) throw new ArticleAlreadyHiddenError();
      if (!change.hidden && !article.hiddenAt) throw new ArticleNotHiddenError();
      const hiddenAt = change.hidden ? new Date() : null;
      await this.articles.setHidden(manager, article.id, hiddenAt, change.hidden ? change.by : null);
      const ref = { id: article.id, slug: article.slug, authorId: article.authorId, hiddenAt };
      await inTransaction(manager, ref);
    });
    await this.changed(change.hidden ? 'hidden' : 'unhidden', slug);
    const row = await this.articles.findBySlug(slug, undefined);
    if (!row) throw new ArticleNotFoundError();
    return this.withAuthor(row);
  }

  /**
   * The filter with ids for names, and the size of each filter's set from its maintained counter (the tag's
   * comes with its row); undefined when a name is unknown: unknown tags and usernames match nothing rather
   * than being ignored. With several filters the smallest set drives the page and the count.
   */
  private async resolveFilter(
    query: Pick<ListArticlesQuery, 'tag' | 'author' | 'favorited'>,
  ): Promise<{ filter: ArticleFilter; sizes: Partial<Record<FilterKind, number>> } | undefined> {
    // The filters' names resolve independently: one round trip for all of them.
    const [tag, authorId, favoritedById] = await Promise.all([
      query.tag === undefined ? undefined : this.tags.findByName(query.tag),
      query.author === undefined ? undefined : this.profiles.findUserId(query.author),
      query.favorited === undefined ? undefined : this.profiles.findUserId(query.favorited),
    ]);
    const unknown =
      (query.tag !== undefined && !tag) ||
      (query.author !== undefined && !authorId) ||
      (query.favorited !== undefined && !favoritedById);
    if (unknown) return undefined;
    const filter: ArticleFilter = { tagId: tag?.id, authorId, favoritedById };
    const sizes: Partial<Record<FilterKind, number>> = { ...(tag && { tag: tag.articlesCount }) };
    const kinds = [tag, authorId, favoritedById].filter((value) => value !== undefined).length;
    if (kinds > 1) {
      const [authorSize, favoritedSize] = await Promise.all([
        authorId === undefined ? undefined : this.articles.total('author', [authorId]),
        favoritedById === undefined ? undefined : this.articles.total('favorited', [favoritedById]),
      ]);
      if (authorSize !== undefined) sizes.author = authorSize;
      if (favoritedSize !== undefined) sizes.favorited = favoritedSize;
      const entries = Object.entries(sizes) as [FilterKind, number][];
      filter.driveBy = entries.reduce((smallest, entry) => (entry[1] < smallest[1] ? entry : smallest))[0];
    }
    return { filter, sizes };
  }

  /** One filter (or none): its maintained counter. Several: a count over the smallest set, bounded by it. */
  private total(filter: ArticleFilter, sizes: Partial<Record<FilterKind, number>>): Promise<number> {
    if (filter.driveBy) return this.articles.count(filter);
    if (filter.tagId !== undefined) return Promise.resolve(sizes.tag ?? 0);
    if (filter.authorId !== undefined) return this.articles.total('author', [filter.authorId]);
    if (filter.favoritedById !== undefined) return this.articles.total('favorited', [filter.favoritedById]);
    return this.articles.total('all');
  }

  /** Reads one row more than the page to know whether another page follows. */
  private async keysetPage(
    filter: ArticleFilter,
    limit: number,
    after: Keyset | undefined,
    viewer?: AuthUser,
  ): Promise<ArticlePageDto> {
    const rows = await this.articles.findPage(filter, { limit: limit + 1, after }, viewer?.id);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const nextCursor =
      rows.length > limit && last?.cursorAt ? encodeCursor({ createdAt: last.cursorAt, id: last.id }) : null;
    return { articles: await this.summaries(page, viewer), nextCursor };
  }

  private async summaries(rows: ArticleRow[], viewer?: AuthUser): Promise<ArticleSummaryDto[]> {
    const authors = await this.profiles.getProfilesByIds(
      rows.map((row) => row.authorId),
      viewer?.id,
    );
    return rows.map((row) => toArticleSummary(row, authors.get(row.authorId)));
  }

  private async withAuthor(row: ArticleRow, viewer?: AuthUser): Promise<ArticleDto> {
    const authors = await this.profiles.getProfilesByIds([row.authorId], viewer?.id);
    return toArticle(row, authors.get(row.authorId));
  }

  private async loadEditable(manager: EntityManager, slug: string, caller: AuthUser, action: 'edit' | 'delete') {
    const article = await this.articles.findForUpdate(manager, slug);
    if (!article || !canSeeArticle(article, caller.id)) throw new ArticleNotFoundError();
    if (!canEditArticle(article, caller.id)) throw new NotArticleAuthorError(action);
    return article;
  }

  /** After the commit, before the answer: the read cache must not serve the old article to anyone. */
  private async changed(change: ArticlesChangedEvent['change'], ...slugs: string[]): Promise<void> {
    const event: ArticlesChangedEvent = { change, slugs: [...new Set(slugs)] };
    await this.events.emitAsync(ARTICLES_CHANGED, event);
  }

  /** A visible article's id (favorites): a hidden one is 404 for everyone, its author included. */
  private async requireId(slug: string): Promise<string> {
    const article = await this.articles.findRefBySlug(slug);
    if (!article || article.hiddenAt) throw new ArticleNotFoundError();
    return article.id;
  }

  /**
   * Runs `write` with the base slug when it is free (or is `current`), else with a suffixed one; retries
   * with a new suffix when a concurrent writer took the same slug first.
   */
  private async withFreeSlug(base: string, current: string | undefined, write: (slug: string) => Promise<string>) {
    let candidate = base === current || !(await this.articles.slugExists(base)) ? base : uniqueSlug(base);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await write(candidate);
      } catch (error) {
        if (!isSlugConflict(error) || attempt >= SLUG_ATTEMPTS) throw error;
        candidate = uniqueSlug(base);
      }
    }
  }
}

function parseCursor(cursor: string): Keyset {
  const position = decodeCursor(cursor);
  if (!position) throw new InvalidCursorError();
  return position;
}
