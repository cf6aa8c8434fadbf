import { describe, expect, it } from 'vitest';
import { canEditArticle, canSeeArticle, normaliseTags, slugBase, uniqueSlug } from './article.policy.js';

describe('slugBase', () => {
  it.each([
    ['How to train your dragon', 'how-to-train-your-dragon'],
    ['  Hello,   World!  ', 'hello-world'],
    ['Ünïcödé Çafé über alles', 'unicode-cafe-uber-alles'],
    ['Привет мир', 'privet-mir'],
    ['C++ & Rust: a story', 'c-and-rust-a-story'],
    ['日本語のタイトル', 'article'],
    ['🔥🔥', 'article'],
  ])('%s -> %s', (title, slug) => {
    expect(slugBase(title)).toBe(slug);
  });

  it('is always URL-safe and bounded', () => {
    const slug = slugBase(`${'word '.repeat(100)}/?#&%`);
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(slug.length).toBeLessThanOrEqual(100);
  });

  it('uniqueSlug appends a random suffix', () => {
    expect(uniqueSlug('a')).toMatch(/^a-[0-9a-f]{8}$/);
    expect(uniqueSlug('a')).not.toBe(uniqueSlug('a'));
  });
});

describe('normaliseTags', () => {
  it('trims, drops blanks and duplicates, keeps order', () => {
    expect(normaliseTags([' dragons ', 'training', 'dragons', '', '  '])).toEqual(['dragons', 'training']);
    expect(normaliseTags(undefined)).toEqual([]);
  });
});

describe('canEditArticle', () => {
  it('lets only the author edit', () => {
    expect(canEditArticle({ authorId: 'u1' }, 'u1')).toBe(true);
    expect(canEditArticle({ authorId: 'u1' }, 'u2')).toBe(false);
  });
});

describe('canSeeArticle', () => {
  it('shows a visible article to everyone, a hidden one only to its author', () => {
    expect(canSeeArticle({ authorId: 'u1', hiddenAt: null }, undefined)).toBe(true);
    expect(canSeeArticle({ authorId: 'u1', hiddenAt: null }, 'u2')).toBe(true);
    const hidden = { authorId: 'u1', hiddenAt: new Date() };
    expect(canSeeArticle(hidden, 'u1')).toBe(true);
    expect(canSeeArticle(hidden, 'u2')).toBe(false);
    expect(canSeeArticle(hidden, undefined)).toBe(false);
  });
});
