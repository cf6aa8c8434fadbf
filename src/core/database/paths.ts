import { fileURLToPath } from 'node:url';

// Source runs from <repo>/src/core/database, the build from <repo>/dist/src/core/database:
// both keep migrations/ beside src/, so one relative path serves Nest, the CLI and tests.
const root = fileURLToPath(new URL('../../../', import.meta.url));

export const migrationsGlob = `${root}migrations/*.{js,ts}`;
export const entitiesGlob = `${root}src/{core,modules}/**/*.entity.{js,ts}`;
