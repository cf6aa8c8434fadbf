import { randomBytes } from 'node:crypto';
import slugify from 'slugify';

const MAX_BASE_LENGTH = 100;

/**
 * URL-safe slug base for any title: transliterated to ASCII (ü → u, Ж → zh), lower-cased, with
 * dashes. A title with nothing transliterable (e.g. only CJK or emoji) falls back to "article".
 */
export function slugBase(title: string): string {
  const slug = slugify(title.normalize('NFKC'), { lower: true, strict: true, trim: true })
    .slice(0, MAX_BASE_LENGTH)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** A slug that cannot collide in practice: the base plus 8 random hex characters. */
export function uniqueSlug(base: string): string {
  return `${base}-${randomBytes(4).toString('hex')}`;
}

/** Trimmed, non-empty, first occurrence kept, order preserved. */
export function normaliseTags(tags: readonly string[] | undefined): string[] {
  const seen = new Set<string>();
  for (const tag of tags ?? []) {
    const name = tag.trim();
    if (name) seen.add(name);
  }
  return [...seen];
}

export function canEditArticle(article: { authorId: string }, userId: string): boolean {
  return article.authorId === userId;
}

/**
 * Whether the viewer may read the article: everyone while it is visible; only its author while a moderator
 * hides it (moderators read it through the admin routes). Others are told it does not exist.
 */
export function canSeeArticle(
  article: { authorId: string; hiddenAt?: Date | null },
  viewerId: string | undefined,
): boolean {
  return !article.hiddenAt || article.authorId === viewerId;
}
