import { randomBytes } from 'node:crypto';
import pg from 'pg';

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/folio_test';

/** The server named by DATABASE_URL; its database name must say "test", so no real database is touched. */
export function baseTestUrl(): URL {
  const url = new URL(process.env.DATABASE_URL || DEFAULT_URL);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/test/i.test(name)) {
    throw new Error(
      `Refusing to run tests against database "${name}": DATABASE_URL must name a test database (its name must contain "test").`,
    );
  }
  return url;
}

export function runDatabaseName(base: URL): string {
  const name = decodeURIComponent(base.pathname.slice(1));
  return `${name}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
}

export async function withAdminClient<T>(base: URL, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A new, uniquely named database on the same server (`<name>_<run id>_<label>`), for a suite whose data would disturb
 * others (the contract fuzz writes hundreds of random users, tags and articles). The app migrates it
 * at start (`DATABASE_MIGRATE_ON_START`); `drop` removes it.
 */
export async function createScratchDatabase(
  base: URL,
  label: string,
): Promise<{ url: URL; drop: () => Promise<void> }> {
  const name = `${runDatabaseName(base)}_${label}`.toLowerCase();
  await withAdminClient(base, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  const drop = () =>
    withAdminClient(base, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {});
  return { url, drop };
}
