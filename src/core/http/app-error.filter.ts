import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { replyWithError } from './error-reply.js';

/** The single exit for every error Nest sees: mapped to an AppError, rendered for the route's audience. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    replyWithError(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }
}
