import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  BadRequestError,
  HeaderTooLargeError,
  MethodNotAllowedError,
  RequestTimeoutError,
  type AppError,
} from './app-error.js';
import { toAppError } from './error-mapping.js';
import { renderError } from './error-renderers.js';

const logger = new Logger('HttpErrors');

/** Methods a client may be told to use instead (OPTIONS and HEAD are answered for every route). */
const ROUTABLE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Sends any error in the one shape of its route's audience. Used by the Nest exception filter and by
 * Fastify's `frameworkErrors`, which answers router errors (bad URL encoding, over-long path segment)
 * before Nest sees the request.
 */
export function replyWithError(request: FastifyRequest, reply: FastifyReply, exception: unknown): void {
  const mapped = toAppError(exception);
  if (mapped.unexpected) logger.error({ err: exception, requestId: request.id }, 'Unhandled error');
  else if (mapped.error.kind === 'unavailable' && mapped.error.cause !== undefined) {
    // The client sees only the code; the driver's message (host, SQLSTATE) stays in the log.
    logger.warn({ err: mapped.error.cause, requestId: request.id, code: mapped.error.code }, 'Dependency unavailable');
  }
  const error = withAllowedMethods(mapped.error, request);
  const rendered = renderError(error, String(request.id), request.url);
  if (reply.sent) return;
  if (error instanceof MethodNotAllowedError) void reply.header('allow', error.allowed.join(', '));
  if (error.retryAfterSeconds !== undefined) void reply.header('retry-after', String(error.retryAfterSeconds));
  void reply
    .status(rendered.status)
    .header('content-type', rendered.contentType)
    .header('x-request-id', request.id)
    .send(rendered.body);
}

/** A path that exists for other methods answers 405 with `Allow`, not 404. */
function withAllowedMethods(error: AppError, request: FastifyRequest): AppError {
  if (error.code !== 'ROUTE_NOT_FOUND') return error;
  const allowed = ROUTABLE_METHODS.filter(
    (method) => method !== request.method && request.server.findRoute({ method, url: request.url }) !== null,
  );
  return allowed.length > 0 ? new MethodNotAllowedError(request.method, allowed) : error;
}

type ClientError = Error & { code?: string; rawPacket?: unknown };

const CLIENT_ERRORS: Record<string, () => AppError> = {
  HPE_HEADER_OVERFLOW: () => new HeaderTooLargeError('The request headers are larger than the server accepts'),
  ERR_HTTP_REQUEST_TIMEOUT: () => new RequestTimeoutError('The request was not received in time'),
};

/**
 * Node's HTTP parser rejects a request it cannot read (malformed request line or headers, oversized
 * headers, a timeout) before Fastify exists for it; the answer still takes the one error shape, chosen
 * by the path when the request line could be read.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy(error);
    return;
  }
  const appError =
    CLIENT_ERRORS[error.code ?? '']?.() ?? new BadRequestError('MALFORMED_REQUEST', 'The HTTP request is malformed');
  const requestId = randomUUID();
  const path = (Buffer.isBuffer(error.rawPacket) && error.rawPacket.toString('latin1').split(' ', 2)[1]) || '/';
  const { status, contentType, body } = renderError(appError, requestId, path);
  const payload = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      `Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` +
      `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${payload}`,
  );
}
