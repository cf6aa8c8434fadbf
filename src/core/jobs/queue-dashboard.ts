import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import type { Queue } from 'bullmq';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, createSecretKey } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.js';
import { Authenticator } from '../auth/authenticator.js';
import { ROLES, type AuthUser } from '../auth/auth.types.js';
import { authConfig, type AuthConfig } from '../config/app.config.js';
import { ForbiddenError, UnauthorizedError } from '../http/app-error.js';
import { replyWithError } from '../http/error-reply.js';
import { JobRegistry } from './job-registry.js';

/** Where the BullMQ dashboard (bull-board) is served on the api port. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** The HttpOnly cookie holding a dashboard session (set by POST /api/v1/admin/queues/session). */
export const QUEUE_DASHBOARD_COOKIE = 'folio_queue_dashboard';
/** The `aud` of a dashboard session token: what the dashboard accepts, and nothing else does. */
export const QUEUE_DASHBOARD_AUDIENCE = 'folio:queue-dashboard';
/** How long a dashboard session lasts (seconds): the admin opens a new one after that. */
export const QUEUE_DASHBOARD_SESSION_SECONDS = 15 * 60;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Google Fonts in bull-board's page template: a third-party request from an admin page, and outside CSP 'self'. */
const THIRD_PARTY_FONTS = /<link[^>]+href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>\s*/g;

export class QueueDashboardAuthRequiredError extends UnauthorizedError {
  constructor() {
    super(
      'AUTH_REQUIRED',
      'The queue dashboard requires an admin: send "Authorization: Token <jwt>", or open a dashboard session ' +
        'with POST /api/v1/admin/queues/session',
    );
  }
}

export class QueueDashboardSessionInvalidError extends UnauthorizedError {
  constructor(expired: boolean) {
    super(
      expired ? 'DASHBOARD_SESSION_EXPIRED' : 'DASHBOARD_SESSION_INVALID',
      `The queue dashboard session ${expired ? 'has expired' : 'is not valid'}: open a new one with POST /api/v1/admin/queues/session`,
    );
  }
}

export class CrossSiteRequestError extends ForbiddenError {
  constructor() {
    super('CROSS_SITE_REQUEST', 'The queue dashboard accepts changes only from its own pages (same origin)');
  }
}

interface DashboardClaims {
  sub: string;
  username: string;
  role: string;
  sid?: string;
}

/**
 * Dashboard session tokens: short-lived JWTs for the dashboard's cookie. They carry the audience
 * `folio:queue-dashboard` and are signed with a key derived from JWT_SECRET (HMAC), so the API's verifier
 * refuses them (signature) and the dashboard refuses an API token put in its cookie (signature and audience).
 */
@Injectable()
export class QueueDashboardTokens {
  private readonly jwt: JwtService;

  constructor(@Inject(authConfig.KEY) config: AuthConfig) {
    const key = createHmac('sha256', config.jwtSecret).update(QUEUE_DASHBOARD_AUDIENCE).digest();
    this.jwt = new JwtService({
      secret: createSecretKey(key),
      signOptions: { algorithm: 'HS256', audience: QUEUE_DASHBOARD_AUDIENCE },
      verifyOptions: { algorithms: ['HS256'], audience: QUEUE_DASHBOARD_AUDIENCE },
    });
  }

  sign(user: AuthUser): string {
    const claims: DashboardClaims = { sub: user.id, username: user.username, role: user.role };
    if (user.sessionId) claims.sid = user.sessionId;
    return this.jwt.sign(claims, { expiresIn: QUEUE_DASHBOARD_SESSION_SECONDS });
  }

  verify(token: string): AuthUser {
    let claims: Partial<DashboardClaims>;
    try {
      claims = this.jwt.verify<DashboardClaims>(token);
    } catch (error) {
      throw new QueueDashboardSessionInvalidError(error instanceof TokenExpiredError);
    }
    if (
      typeof claims.sub !== 'string' ||
      typeof claims.username !== 'string' ||
      !ROLES.includes(claims.role as AuthUser['role']) ||
      (claims.sid !== undefined && typeof claims.sid !== 'string')
    ) {
      throw new QueueDashboardSessionInvalidError(false);
    }
    const user: AuthUser = { id: claims.sub, username: claims.username, role: claims.role as AuthUser['role'] };
    if (claims.sid) user.sessionId = claims.sid;
    return user;
  }
}

/**
 * The BullMQ dashboard (bull-board) under /admin/queues, for admins: every queue declared in this process, on
 * either backend. Mounted on the api's Fastify instance while the app initialises (before Fastify is ready);
 * the worker process, an application context without HTTP, has none. Every request under the prefix (page,
 * assets, JSON api) passes the admin check first: an `Authorization` header, or the dashboard session cookie,
 * each re-checked through the Authenticator (revocation, suspension, role) on every request. Changes (the
 * api's PUT/POST/PATCH) are refused from another site, on top of the cookie's SameSite=Strict.
 */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  private readonly logger = new Logger('QueueDashboard');
  /** The admin each dashboard request was admitted as, for the audit entry of its change. */
  private readonly admitted = new WeakMap<FastifyRequest, AuthUser>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: JobRegistry,
    private readonly moduleRef: ModuleRef,
    private readonly authenticator: Authenticator,
    private readonly tokens: QueueDashboardTokens,
    private readonly audit: AuditLog,
  ) {}

  /** During app.init(): every queue is declared by then, and Fastify loads the plugin when it gets ready. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    const board = new BullBoardFastifyAdapter();
    board.setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: this.registry
        .definitions()
        .map(({ name }) => new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }))),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'Folio queues', hideDocsLink: true } },
    });
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', (request, reply) => this.admitAdmin(request, reply));
        scope.addHook('onResponse', (request, reply) => this.auditChange(request, reply.statusCode));
        scope.addHook('onSend', async (_request, reply, payload) =>
          typeof payload === 'string' && String(reply.getHeader('content-type')).startsWith('text/html')
            ? payload.replace(THIRD_PARTY_FONTS, '')
            : payload,
        );
        await scope.register(board.registerPlugin());
      },
      { prefix: QUEUE_DASHBOARD_PATH },
    );
  }

  /**
   * Every change made through the dashboard (retry, promote, clean, pause, …) goes to the audit log once it
   * succeeded: who, which queue, the dashboard's own route, the request id. Not in a transaction with the change
   * (it happens in the queue's store), so a failure to record is logged rather than undoing it.
   */
  private async auditChange(request: FastifyRequest, status: number): Promise<void> {
    const admin = this.admitted.get(request);
    if (!admin || SAFE_METHODS.has(request.method) || status >= 400) return;
    const path = request.url.slice(QUEUE_DASHBOARD_PATH.length).split('?')[0]!;
    try {
      await this.audit.record(
        { userId: admin.id, requestId: String(request.id) },
        {
          action: 'queue-dashboard.changed',
          targetType: 'queue',
          targetId: queueOf(path),
          details: { method: request.method, path, status },
        },
      );
    } catch (error) {
      this.logger.error(`queue dashboard change not audited (${request.method} ${path}): ${(error as Error).message}`);
    }
  }

  private async admitAdmin(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    try {
      if (!SAFE_METHODS.has(request.method) && isCrossSite(request)) throw new CrossSiteRequestError();
      if (request.headers.authorization !== undefined) {
        this.admitted.set(request, await this.authenticator.authenticate(request, { role: 'admin' }));
        return undefined;
      }
      const session = parseCookie(request.headers.cookie ?? '')[QUEUE_DASHBOARD_COOKIE];
      if (!session) throw new QueueDashboardAuthRequiredError();
      this.admitted.set(
        request,
        await this.authenticator.admit(request, this.tokens.verify(session), { role: 'admin' }),
      );
      return undefined;
    } catch (error) {
      replyWithError(request, reply, error);
      return reply;
    }
  }
}

/**
 * `queues/<name>/…` of the dashboard's api path: the queue a change concerns (`*` for changes to every queue).
 */
function queueOf(url: string): string {
  const match = /\/api\/queues\/([^/?]+)/.exec(url);
  return match ? decodeURIComponent(match[1]!) : '*';
}

/** A browser's request from another site: told by Sec-Fetch-Site, or by an Origin that is not this one. */
function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  return origin !== undefined && origin !== `${request.protocol}://${request.host}`;
}
