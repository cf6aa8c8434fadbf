import type { DataSource } from 'typeorm';

/** Records the SQL statements the data source runs while `work` runs (through TypeORM's logger hook). */
export async function captureQueries(dataSource: DataSource, work: () => Promise<unknown>): Promise<string[]> {
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  const queries: string[] = [];
  logger.logQuery = (query, parameters, queryRunner) => {
    queries.push(query.replace(/\s+/g, ' ').trim());
    return original(query, parameters, queryRunner);
  };
  try {
    await work();
  } finally {
    logger.logQuery = original;
  }
  return queries;
}
