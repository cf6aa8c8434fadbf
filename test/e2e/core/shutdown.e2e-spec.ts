import { Controller, Get, Module } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { Public } from '../../../src/core/auth/auth.decorators.js';
import { createTestApp } from '../../setup/test-app.js';

@Controller('api/v1/test-slow')
@Public()
class SlowController {
  @Get()
  async getSlowly(): Promise<{ done: boolean }> {
    await sleep(400);
    return { done: true };
  }
}

@Module({ imports: [AppModule], controllers: [SlowController] })
class ShutdownTestModule {}

describe('graceful shutdown', () => {
  it('finishes in-flight requests, then stops listening and closes the pool', async () => {
    const t = await createTestApp(ShutdownTestModule);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = await t.app.getUrl();

    const inFlight = fetch(`${url}/api/v1/test-slow`);
    await sleep(100);
    const closing = t.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;

    expect(t.dataSource.isInitialized).toBe(false);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });
});
