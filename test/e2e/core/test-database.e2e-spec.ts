import { afterEach, describe, expect, it } from 'vitest';
import { baseTestUrl, runDatabaseName } from '../../setup/test-database.js';

// The guard that keeps `npm test` off real databases (global setup creates and drops databases).
describe('test database guard', () => {
  const saved = process.env.DATABASE_URL;
  afterEach(() => {
    process.env.DATABASE_URL = saved;
  });

  it('refuses a DATABASE_URL whose database name is not a test name', () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/folio';
    expect(() => baseTestUrl()).toThrow(/Refusing to run tests against database "folio"/);
  });

  it('accepts a test database and derives a unique per-run name from it', () => {
    process.env.DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/folio_test';
    const base = baseTestUrl();
    const [a, b] = [runDatabaseName(base), runDatabaseName(base)];
    expect(a).toMatch(/^folio_test_[a-z0-9]+_[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  it('runs this file against a per-run database, not the base one', () => {
    expect(new URL(saved as string).pathname).toMatch(/^\/\w*test\w*_[a-z0-9]+_[0-9a-f]{6}$/);
  });
});
