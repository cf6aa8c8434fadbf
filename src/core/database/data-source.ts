// Entry for the TypeORM CLI (npm run migration:*), run against the build in dist/.
import { DataSource } from 'typeorm';
import { parseEnvironment } from '../config/env.schema.js';
import { dataSourceOptions } from './data-source.options.js';
import { entitiesGlob } from './paths.js';

const env = parseEnvironment(process.env);
if (!env.DATABASE_URL) {
  throw new Error('DATABASE_URL is required for migration commands (the embedded database migrates itself at start)');
}

export default new DataSource({
  ...dataSourceOptions({ url: env.DATABASE_URL, poolSize: 2 }),
  entities: [entitiesGlob],
});
