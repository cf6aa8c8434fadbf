// The whole application in-process, listening on a real port: the contract suites speak TCP to it.
import type { AddressInfo } from 'node:net';
import { createScratchDatabase } from '../../setup/test-database.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';

export interface LiveApp {
  baseUrl: string;
  testApp: TestApp;
  close: () => Promise<void>;
}

/**
 * With `ownDatabase`, the app runs on a fresh database of its own (migrated at start), so what a suite
 * writes (the fuzz: hundreds of random users, tags, articles) cannot disturb other files' assertions.
 */
export async function startLiveApp(options: { ownDatabase?: boolean } = {}): Promise<LiveApp> {
  let dropDatabase = async () => {};
  if (options.ownDatabase) {
    const scratch = await createScratchDatabase(new URL(process.env.DATABASE_URL ?? ''), 'fuzz');
    process.env.DATABASE_URL = scratch.url.toString();
    process.env.DATABASE_MIGRATE_ON_START = 'true';
    dropDatabase = scratch.drop;
  }
  const testApp = await createTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = testApp.app.getHttpServer().address() as AddressInfo;
  const close = async () => {
    try {
      await testApp.close();
    } finally {
      await dropDatabase();
    }
  };
  return { baseUrl: `http://127.0.0.1:${port}`, testApp, close };
}
