import { getQueueToken } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppModule } from '../../../src/app.module.js';
import { TokenService } from '../../../src/core/auth/token.service.js';
import { TokenSubjects } from '../../../src/core/auth/token-subjects.js';
import { JobProcessor, type JobOf } from '../../../src/core/jobs/job-processor.js';
import { JobRegistry } from '../../../src/core/jobs/job-registry.js';
import { JobsModule } from '../../../src/core/jobs/jobs.module.js';
import { QueueDashboardTokens } from '../../../src/core/jobs/queue-dashboard.js';
import { defineQueue } from '../../../src/core/jobs/queue-definition.js';
import { QueueProcessor } from '../../../src/core/jobs/queue-processor.decorator.js';
import { requestLogLevel } from '../../../src/core/observability/logger.module.js';
import { createTestApp, listenOnSocket, type TestApp, type TestResponse } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { adminToken, registerUser, userIdOf, type RegisteredUser } from '../../factories/users.js';

const DASHBOARD_PROBE = defineQueue({ name: 'dashboard-probe', jobs: ['flaky'] });

/** Job ids the probe ran successfully; `flaky` fails while `failing` is true. */
const succeeded: string[] = [];
let failing = true;

@QueueProcessor(DASHBOARD_PROBE)
class DashboardProbeProcessor extends JobProcessor<'flaky'> {
  readonly queue = DASHBOARD_PROBE;
  protected readonly handlers = {
    flaky: async (job: JobOf) => {
      if (failing) throw new Error('the probe fails for now');
      succeeded.push(String(job.id));
    },
  };
}

@Module({ imports: [JobsModule.forQueue(DASHBOARD_PROBE)], providers: [DashboardProbeProcessor] })
class DashboardProbeModule {}

@Module({ imports: [AppModule, DashboardProbeModule] })
class DashboardAppModule {}

/** The `folio_queue_dashboard=<value>` pair of a Set-Cookie header. */
function cookiePair(response: TestResponse): string {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : String(header);
  return value.split(';')[0]!;
}

describe.each(['redis', 'postgres'] as const)('queue dashboard on %s', (backend) => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let admin: string;
  let user: RegisteredUser;
  let moderator: string;
  let queueNames: string[];

  beforeAll(async () => {
    ({ drop } = await useOwnJobsEnvironment(`dashboard_${backend}`, { backend }));
    applyEnvironment({ JOB_ATTEMPTS: '1' });
    t = await createTestApp(DashboardAppModule);
    admin = adminToken(t, await registerUser(t));
    user = await registerUser(t);
    const promoted = await registerUser(t);
    moderator = t.app
      .get(TokenService)
      .sign({ id: userIdOf(promoted), username: promoted.username, role: 'moderator' });
    queueNames = t.app
      .get(JobRegistry)
      .definitions()
      .map((queue) => queue.name);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('serves the page to admins only, in the one error shape otherwise', async () => {
    const anonymous = await t.request({ method: 'GET', url: '/admin/queues' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    expect(anonymous.body).toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });

    for (const token of [user.token, moderator]) {
      const forbidden = await t.request({ method: 'GET', url: '/admin/queues', token });
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toMatchObject({ status: 403, code: 'ROLE_REQUIRED' });
    }

    const page = await t.request({ method: 'GET', url: '/admin/queues', token: admin });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<base href="/admin/queues/"');
    expect(page.text).toContain('<title>Folio queues</title>');
    // No third-party request from an admin page (bull-board's template links Google Fonts).
    expect(page.text).not.toContain('fonts.googleapis.com');

    const bogus = await t.request({ method: 'GET', url: '/admin/queues', token: 'not-a-jwt' });
    expect(bogus.status).toBe(401);
    expect(bogus.body.code).toBe('TOKEN_INVALID');
  });

  it('guards its assets too', async () => {
    const script = /src="(static\/js\/main\.[\w.]+\.js)"/.exec(
      (await t.request({ method: 'GET', url: '/admin/queues', token: admin })).text,
    )?.[1];
    expect(script).toBeDefined();
    const anonymous = await t.request({ method: 'GET', url: `/admin/queues/${script}` });
    expect(anonymous.status).toBe(401);
    const asset = await t.request({ method: 'GET', url: `/admin/queues/${script}`, token: admin });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('lists every Folio queue with its job counts', async () => {
    expect(queueNames).toEqual(expect.arrayContaining(['notifications', 'reports', 'dashboard-probe']));
    const user403 = await t.request({ method: 'GET', url: '/admin/queues/api/queues', token: user.token });
    expect(user403.status).toBe(403);
    const response = await t.request({ method: 'GET', url: '/admin/queues/api/queues', token: admin });
    expect(response.status).toBe(200);
    const listed = response.body.queues as Array<{
      name: string;
      counts: Record<string, number>;
      readOnlyMode: boolean;
    }>;
    expect(listed.map((queue) => queue.name).sort()).toEqual([...queueNames].sort());
    for (const queue of listed) {
      expect(queue.counts).toMatchObject({
        active: expect.any(Number),
        completed: expect.any(Number),
        delayed: expect.any(Number),
        failed: expect.any(Number),
        waiting: expect.any(Number),
      });
    }
  });

  it('answers the datastore, workers and metrics panels on this backend', async () => {
    const stats = await t.request({ method: 'GET', url: '/admin/queues/api/redis/stats', token: admin });
    expect(stats.status).toBe(200);
    expect(stats.body).toMatchObject({ backend, version: expect.any(String) });
    for (const panel of ['workers', 'metrics', 'rate-limit', 'default-job-options']) {
      const response = await t.request({
        method: 'GET',
        url: `/admin/queues/api/queues/dashboard-probe/${panel}`,
        token: admin,
      });
      expect(response.status, panel).toBe(200);
    }
    const schedulers = await t.request({ method: 'GET', url: '/admin/queues/api/job-schedulers', token: admin });
    expect(schedulers.status).toBe(200);
  });

  it('lets an admin, not a user, retry a failed job, which then runs', async () => {
    const queue = t.app.get<Queue>(getQueueToken(DASHBOARD_PROBE.name));
    const id = `flaky-${backend}`;
    failing = true;
    await queue.add('flaky', { payload: {} } as never, { jobId: id, attempts: 1 });
    await vi.waitFor(async () => expect(await (await queue.getJob(id))?.getState()).toBe('failed'), {
      timeout: 15_000,
      interval: 100,
    });
    const failed = await t.request({
      method: 'GET',
      url: '/admin/queues/api/queues?activeQueue=dashboard-probe&status=failed&page=1&jobsPerPage=10',
      token: admin,
    });
    const probe = failed.body.queues.find((q: { name: string }) => q.name === 'dashboard-probe');
    expect(probe.counts.failed).toBeGreaterThanOrEqual(1);
    expect(probe.jobs.map((job: { id: string }) => job.id)).toContain(id);

    const url = `/admin/queues/api/queues/dashboard-probe/${id}/retry`;
    const refused = await t.request({ method: 'PUT', url, token: user.token });
    expect(refused.status).toBe(403);
    expect(await (await queue.getJob(id))?.getState()).toBe('failed');

    failing = false;
    const retried = await t.request({ method: 'PUT', url, token: admin });
    expect(retried.status).toBe(204);
    await vi.waitFor(() => expect(succeeded).toContain(id), { timeout: 15_000, interval: 100 });
    expect(await (await queue.getJob(id))?.getState()).toBe('completed');
    // The change is in the audit log, the refused attempt is not.
    await vi.waitFor(async () => {
      const entries = await t.dataSource.query(
        `SELECT action, target_type, target_id, details, request_id FROM audit_log WHERE action = 'queue-dashboard.changed' AND details->>'path' = $1`,
        [`/api/queues/dashboard-probe/${id}/retry`],
      );
      expect(entries).toEqual([
        {
          action: 'queue-dashboard.changed',
          target_type: 'queue',
          target_id: 'dashboard-probe',
          details: { method: 'PUT', path: `/api/queues/dashboard-probe/${id}/retry`, status: 204 },
          request_id: retried.headers['x-request-id'],
        },
      ]);
    });
  });

  it('refuses changes sent from another site, even with an admin token', async () => {
    const url = '/admin/queues/api/queues/dashboard-probe/promote';
    const byOrigin = await t.request({
      method: 'PUT',
      url,
      token: admin,
      headers: { origin: 'https://evil.example' },
    });
    expect(byOrigin.status).toBe(403);
    expect(byOrigin.body.code).toBe('CROSS_SITE_REQUEST');
    const byFetchMetadata = await t.request({
      method: 'PUT',
      url,
      token: admin,
      headers: { 'sec-fetch-site': 'same-site' },
    });
    expect(byFetchMetadata.status).toBe(403);
    const sameOrigin = await t.request({
      method: 'PUT',
      url,
      token: admin,
      headers: { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' },
    });
    expect(sameOrigin.status).toBe(200);
    // Reads are not changes: a cross-site GET is still only a matter of the credential.
    const read = await t.request({
      method: 'GET',
      url: '/admin/queues/api/queues',
      token: admin,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(read.status).toBe(200);
  });

  it('opens a dashboard session as an HttpOnly cookie only for admins, usable nowhere else', async () => {
    const refused = await t.request({ method: 'POST', url: '/api/v1/admin/queues/session', token: user.token });
    expect(refused.status).toBe(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    const anonymous = await t.request({ method: 'POST', url: '/api/v1/admin/queues/session' });
    expect(anonymous.status).toBe(401);

    const opened = await t.request({ method: 'POST', url: '/api/v1/admin/queues/session', token: admin });
    expect(opened.status).toBe(204);
    const setCookie = String(opened.headers['set-cookie']);
    expect(setCookie).toMatch(/^folio_queue_dashboard=[\w-]+\.[\w-]+\.[\w-]+; /);
    expect(setCookie).toContain('Path=/admin/queues');
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Max-Age=900');
    expect(setCookie).not.toContain('Secure');
    const cookie = cookiePair(opened);
    const claims = JSON.parse(Buffer.from(cookie.split('=')[1]!.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: userIdOf({ token: admin }), role: 'admin', aud: 'folio:queue-dashboard' });
    expect(claims.exp - claims.iat).toBe(900);

    const page = await t.request({ method: 'GET', url: '/admin/queues', headers: { cookie } });
    expect(page.status).toBe(200);
    const api = await t.request({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(api.status).toBe(200);

    // The dashboard token is not an access token: the API refuses it.
    const asApiToken = await t.request({
      method: 'GET',
      url: '/api/v1/admin/jobs/dead-letters',
      token: cookie.split('=')[1]!,
    });
    expect(asApiToken.status).toBe(401);
    expect(asApiToken.body.code).toBe('TOKEN_INVALID');
    // Nor does the dashboard take an access token in its cookie.
    const apiTokenAsCookie = await t.request({
      method: 'GET',
      url: '/admin/queues',
      headers: { cookie: `folio_queue_dashboard=${admin}` },
    });
    expect(apiTokenAsCookie.status).toBe(401);
    expect(apiTokenAsCookie.body.code).toBe('DASHBOARD_SESSION_INVALID');

    const closed = await t.request({
      method: 'DELETE',
      url: '/api/v1/admin/queues/session',
      token: admin,
      headers: { cookie },
    });
    expect(closed.status).toBe(204);
    expect(String(closed.headers['set-cookie'])).toMatch(/^folio_queue_dashboard=; Max-Age=0; Path=\/admin\/queues/);
  });

  it('re-checks the role and revocation of a cookie on every request', async () => {
    const tokens = t.app.get(QueueDashboardTokens);
    const moderatorSession = tokens.sign({ id: userIdOf(user), username: user.username, role: 'moderator' });
    const demoted = await t.request({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { cookie: `folio_queue_dashboard=${moderatorSession}` },
    });
    expect(demoted.status).toBe(403);
    expect(demoted.body.code).toBe('ROLE_REQUIRED');

    const opened = await t.request({ method: 'POST', url: '/api/v1/admin/queues/session', token: admin });
    const cookie = cookiePair(opened);
    const subjects = t.app.get(TokenSubjects, { strict: false });
    const revocation = vi.spyOn(subjects, 'revocation');
    try {
      revocation.mockResolvedValue('session-revoked');
      const loggedOut = await t.request({ method: 'GET', url: '/admin/queues', headers: { cookie } });
      expect(loggedOut.status).toBe(401);
      expect(loggedOut.body.code).toBe('TOKEN_REVOKED');
      revocation.mockResolvedValue('account-suspended');
      const suspended = await t.request({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
      expect(suspended.status).toBe(403);
      expect(suspended.body.code).toBe('ACCOUNT_SUSPENDED');
      expect(revocation).toHaveBeenCalledWith(expect.objectContaining({ id: userIdOf({ token: admin }) }));
    } finally {
      revocation.mockRestore();
    }
    expect((await t.request({ method: 'GET', url: '/admin/queues', headers: { cookie } })).status).toBe(200);
  });

  it('works over a real socket with a browser-like cookie flow', async () => {
    const send = await listenOnSocket(t);
    const opened = await send({ method: 'POST', url: '/api/v1/admin/queues/session', token: admin });
    expect(opened.status).toBe(204);
    const cookie = cookiePair(opened);
    const page = await send({ method: 'GET', url: '/admin/queues/', headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('__UI_CONFIG__');
    const anonymous = await send({ method: 'GET', url: '/admin/queues/', headers: { accept: 'text/html' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('AUTH_REQUIRED');
    const listed = await send({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(listed.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([...queueNames].sort());
    const pause = await send({
      method: 'PUT',
      url: '/admin/queues/api/queues/dashboard-probe/pause',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(pause.status).toBe(403);
    const queue = t.app.get<Queue>(getQueueToken(DASHBOARD_PROBE.name));
    expect(await queue.isPaused()).toBe(false);
  });
});

describe('queue dashboard request log lines', () => {
  const level = (method: string, url: string, statusCode: number) =>
    requestLogLevel({ method, url } as Parameters<typeof requestLogLevel>[0], { statusCode } as ServerResponse);

  it('logs the page, assets and polling at debug, and changes and refusals as usual', () => {
    expect(level('GET', '/admin/queues', 200)).toBe('debug');
    expect(level('GET', '/admin/queues/static/js/main.js', 200)).toBe('debug');
    expect(level('GET', '/admin/queues/api/queues?activeQueue=reports', 200)).toBe('debug');
    expect(level('PUT', '/admin/queues/api/queues/reports/abc/retry', 204)).toBe('info');
    expect(level('GET', '/admin/queues/api/queues', 401)).toBe('warn');
    expect(level('GET', '/admin/queuesx', 200)).toBe('info');
    expect(level('GET', '/api/articles', 200)).toBe('info');
  });
});
