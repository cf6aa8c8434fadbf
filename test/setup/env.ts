import { inject } from 'vitest';

// Every e2e file runs in its own worker: point the app at this run's database and at Redis.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = inject('databaseUrl');
process.env.REDIS_URL = inject('redisUrl');
process.env.REDIS_KEY_PREFIX = inject('redisKeyPrefix');
process.env.LOG_LEVEL ??= 'silent';
process.env.JWT_SECRET = 'folio-test-secret-0123456789abcdef';
