import { describe, expect, it } from 'vitest';
import { defaultCacheControl, matchingTag, mergeVary, strongEtag } from './http-caching.js';

describe('strongEtag', () => {
  it('is a quoted hash of the exact bytes, equal for a string and its UTF-8 buffer', () => {
    const etag = strongEtag('{"a":"é"}');
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(strongEtag(Buffer.from('{"a":"é"}', 'utf8'))).toBe(etag);
    expect(strongEtag('{"a":"e"}')).not.toBe(etag);
  });
});

describe('matchingTag', () => {
  const etag = '"abc"';
  it.each([
    ['"abc"', '"abc"'],
    ['W/"abc"', '"abc"'],
    ['"x", "abc"', '"abc"'],
    ['"x",W/"abc" ', '"abc"'],
    ['"abc-gzip"', '"abc-gzip"'],
    ['*', '"abc"'],
  ])('If-None-Match %s matches as %s', (header, expected) => {
    expect(matchingTag(header, etag)).toBe(expected);
  });

  it.each(['"abcd"', '"ab"', 'abc', '"abc-unknown"', ''])('If-None-Match %s does not match', (header) => {
    expect(matchingTag(header, etag)).toBeUndefined();
  });
});

describe('defaultCacheControl', () => {
  it('never lets a write or an error be stored', () => {
    expect(defaultCacheControl('POST', 200, true)).toBe('no-store');
    expect(defaultCacheControl('DELETE', 200, false)).toBe('no-store');
    expect(defaultCacheControl('GET', 404, false)).toBe('no-store');
    expect(defaultCacheControl('GET', 503, true)).toBe('no-store');
  });

  it('makes reads revalidate, privately when a token was sent', () => {
    expect(defaultCacheControl('GET', 200, true)).toBe('private, no-cache');
    expect(defaultCacheControl('HEAD', 200, false)).toBe('no-cache');
    expect(defaultCacheControl('GET', 304, false)).toBe('no-cache');
  });
});

describe('mergeVary', () => {
  it('adds the missing names once, case-insensitively, after the existing ones', () => {
    expect(mergeVary(undefined, ['authorization', 'accept-encoding'])).toBe('authorization, accept-encoding');
    expect(mergeVary('Origin', ['authorization'])).toBe('Origin, authorization');
    expect(mergeVary('Origin, Authorization', ['authorization', 'accept-encoding'])).toBe(
      'Origin, Authorization, accept-encoding',
    );
    expect(mergeVary(['Origin', 'accept-encoding'], ['accept-encoding'])).toBe('Origin, accept-encoding');
  });

  it('keeps *', () => {
    expect(mergeVary('*', ['authorization'])).toBe('*');
  });
});
