import { Logger } from '@nestjs/common';
import pg from 'pg';

/**
 * The replica URLs that accept a connection now. TypeORM opens every replica's pool at start and fails the
 * whole start when one is down; a replica outage must not keep the API from starting (it serves every
 * read from the primary meanwhile), so the unreachable ones are left out, with a warning, until the next start.
 */
export async function reachableReplicas(urls: string[], timeoutMs: number): Promise<string[]> {
  const logger = new Logger('ReadReplicas');
  const results = await Promise.all(
    urls.map(async (url, index) => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return url;
      } catch (error) {
        // The URL may hold a password: the log names the replica by position only.
        logger.warn(
          `read replica ${index + 1} is unreachable at start (${error instanceof Error ? error.message : String(error)}); ` +
            'it is left out until the next start',
        );
        return undefined;
      } finally {
        await client.end().catch(() => undefined);
      }
    }),
  );
  return results.filter((url): url is string => url !== undefined);
}
