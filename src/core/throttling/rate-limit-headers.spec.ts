import { describe, expect, it } from 'vitest';
import { rateLimitHeaders, type RateLimitOutcome } from './rate-limit-headers.js';
import { ipTracker } from './throttlers.js';

const outcome = (overrides: Partial<RateLimitOutcome>): RateLimitOutcome => ({
  name: 'default',
  limit: 300,
  windowSeconds: 60,
  remaining: 299,
  resetSeconds: 60,
  blocked: false,
  ...overrides,
});

describe('rateLimitHeaders', () => {
  it('sends nothing when no limit applied', () => {
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('describes the limit closest to refusing and lists every policy', () => {
    const headers = rateLimitHeaders([
      outcome({ remaining: 120, resetSeconds: 42 }),
      outcome({ name: 'auth', limit: 10, remaining: 3, resetSeconds: 17 }),
    ]);
    expect(headers).toEqual({
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '3',
      'RateLimit-Reset': '17',
      'RateLimit-Policy': '300;w=60, 10;w=60',
    });
  });

  it('on a refusal describes the blocking limit and adds Retry-After', () => {
    const headers = rateLimitHeaders([
      outcome({ remaining: 0, resetSeconds: 5 }),
      outcome({ name: 'auth', limit: 10, remaining: 0, resetSeconds: 60, blocked: true }),
    ]);
    expect(headers).toMatchObject({ 'RateLimit-Limit': '10', 'RateLimit-Remaining': '0', 'Retry-After': '60' });
  });

  it('between equally tight limits reports the one that frees up last', () => {
    const headers = rateLimitHeaders([
      outcome({ remaining: 0, resetSeconds: 5 }),
      outcome({ remaining: 0, resetSeconds: 9 }),
    ]);
    expect(headers['RateLimit-Reset']).toBe('9');
  });

  it('never asks to retry after less than a second', () => {
    expect(rateLimitHeaders([outcome({ remaining: 0, resetSeconds: 0, blocked: true })])['Retry-After']).toBe('1');
  });
});

describe('ipTracker', () => {
  it('keys an IPv4 client by its address', () => {
    expect(ipTracker({ ip: '198.51.100.7' })).toBe('ip:198.51.100.7');
  });

  it('keys an IPv6 client by its /64, which one subscriber usually holds whole', () => {
    expect(ipTracker({ ip: '2001:db8:1:2:aaaa::1' })).toBe(ipTracker({ ip: '2001:db8:1:2:bbbb::9' }));
    expect(ipTracker({ ip: '2001:db8:1:2::1' })).not.toBe(ipTracker({ ip: '2001:db8:1:3::1' }));
  });
});
