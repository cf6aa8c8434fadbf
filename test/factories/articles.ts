import { randomBytes } from 'node:crypto';
import type { TestApp } from '../setup/test-app.js';

export interface NewArticle {
  title: string;
  description: string;
  body: string;
  tagList?: string[];
}

export function buildArticle(overrides: Partial<NewArticle> = {}): NewArticle {
  const suffix = randomBytes(4).toString('hex');
  return {
    title: `Article ${suffix}`,
    description: `About ${suffix}`,
    body: `The body of ${suffix}`,
    tagList: [],
    ...overrides,
  };
}

/** A tag name no other test file uses, so list assertions are not disturbed by parallel files. */
export function uniqueTag(prefix = 'tag'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createArticle(t: TestApp, token: string, overrides: Partial<NewArticle> = {}) {
  const response = await t.request({
    method: 'POST',
    url: '/api/articles',
    token,
    body: { article: buildArticle(overrides) },
  });
  if (response.status !== 201) throw new Error(`create article failed: ${response.status} ${response.text}`);
  return response.body.article as { slug: string; title: string; tagList: string[]; createdAt: string };
}
