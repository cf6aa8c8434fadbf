import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderError } from './error-renderers.js';
import { toAppError } from './error-mapping.js';

/** The single exit for every error: maps it to an AppError and renders it for the route's audience. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AppErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const { error, unexpected } = toAppError(exception);
    if (unexpected) {
      this.logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
    }
    const rendered = renderError(error, String(request.id), request.url);
    if (reply.sent) return;
    void reply.status(rendered.status).header('content-type', rendered.contentType).send(rendered.body);
  }
}
