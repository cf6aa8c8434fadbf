import { Controller, Delete, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentUser } from '../auth/auth.decorators.js';
import type { AuthUser } from '../auth/auth.types.js';
import {
  QUEUE_DASHBOARD_COOKIE,
  QUEUE_DASHBOARD_PATH,
  QUEUE_DASHBOARD_SESSION_SECONDS,
  QueueDashboardTokens,
} from './queue-dashboard.js';

/** The dashboard cookie's attributes: sent only to the dashboard, never readable by scripts nor sent cross-site. */
function dashboardCookie(request: FastifyRequest, value: string, maxAge: number): string {
  return stringifySetCookie({
    name: QUEUE_DASHBOARD_COOKIE,
    value,
    path: QUEUE_DASHBOARD_PATH,
    maxAge,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

@ApiTags('admin')
@Controller('api/v1/admin/queues')
@Authenticated({ role: 'admin' })
export class QueueDashboardController {
  constructor(private readonly tokens: QueueDashboardTokens) {}

  /**
   * Open a queue dashboard session for this browser: sets an HttpOnly cookie (`folio_queue_dashboard`,
   * `Path=/admin/queues`, `SameSite=Strict`, 15 minutes) with which the browser can open `/admin/queues`.
   * The cookie is not an access token: the API refuses it.
   */
  @Post('session')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Session opened: the `Set-Cookie` header carries it',
    headers: { 'Set-Cookie': { description: 'The dashboard session cookie', schema: { type: 'string' } } },
  })
  openDashboardSession(
    @CurrentUser() user: AuthUser,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): void {
    void reply.header('set-cookie', dashboardCookie(request, this.tokens.sign(user), QUEUE_DASHBOARD_SESSION_SECONDS));
  }

  /** Close this browser's queue dashboard session (the cookie is cleared). */
  @Delete('session')
  @HttpCode(204)
  @ApiNoContentResponse({
    description: 'Session closed: the `Set-Cookie` header clears the cookie',
    headers: { 'Set-Cookie': { description: 'The expired dashboard cookie', schema: { type: 'string' } } },
  })
  closeDashboardSession(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): void {
    void reply.header('set-cookie', dashboardCookie(request, '', 0));
  }
}
