import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../auth/auth.types.js';
import type { AuditActor } from './audit-log.js';

/**
 * The caller as an audit actor: its user id and the request id (`x-request-id`, echoed in the response).
 * For routes behind `@Authenticated()`, where the guard has set the user.
 */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): AuditActor => {
  const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
  if (!request.user) throw new Error('@Actor() needs an authenticated route');
  return { userId: request.user.id, requestId: String(request.id) };
});
