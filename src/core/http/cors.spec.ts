import { describe, expect, it } from 'vitest';
import { isOrigin } from '../config/env.schema.js';
import { corsOriginAllowed } from './cors.js';

describe('CORS origins', () => {
  it('allows the loopback origins on any port, http or https, outside production by default', () => {
    const allowed = corsOriginAllowed({ origins: undefined, production: false });
    for (const origin of ['http://localhost:4200', 'https://localhost', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      expect(allowed(origin), origin).toBe(true);
    }
    for (const origin of ['http://localhost.evil.example', 'http://127.0.0.2:80', 'null', 'http://evil.example']) {
      expect(allowed(origin), origin).toBe(false);
    }
  });

  it('allows nothing in production unless listed', () => {
    expect(corsOriginAllowed({ origins: undefined, production: true })('http://localhost:4200')).toBe(false);
    const listed = corsOriginAllowed({ origins: ['https://app.example.com'], production: true });
    expect(listed('https://app.example.com')).toBe(true);
    expect(listed('https://APP.example.com')).toBe(true);
    expect(listed('http://app.example.com')).toBe(false);
    expect(listed('https://app.example.com:8443')).toBe(false);
  });

  it('allows any origin with *', () => {
    expect(corsOriginAllowed({ origins: ['*'], production: false })('https://anything.example')).toBe(true);
  });

  it('recognizes origins: scheme://host[:port] and nothing more', () => {
    for (const good of ['https://a.example', 'http://localhost:4200', 'http://[::1]:3000']) {
      expect(isOrigin(good), good).toBe(true);
    }
    // The default port is never part of the origin a browser sends.
    const bad = ['https://a.example/', 'https://a.example/x', 'a.example', 'ftp://a.example', 'https://a.example:443'];
    for (const entry of [...bad, 'https://u@a.example']) {
      expect(isOrigin(entry), entry).toBe(false);
    }
  });
});
