import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

type RawRequest = IncomingMessage & { id?: unknown; routeTemplate?: string };

/** Fastify with a body limit and a request id taken from (or returned in) `x-request-id`. */
export function createFastifyAdapter(options: { bodyLimit: number }): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    trustProxy: true,
    requestIdHeader: false,
    genReqId: (raw: IncomingMessage) => {
      const sent = raw.headers['x-request-id'];
      const id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
      // Mirrored on the raw request so pino-http (a raw-request middleware) logs the same id.
      (raw as RawRequest).id = id;
      return id;
    },
    return503OnClosing: true,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', async (request, reply) => {
    (request.raw as RawRequest).routeTemplate = request.routeOptions.url;
    void reply.header('x-request-id', request.id);
  });
  // While closing, answers carry `Connection: close` so keep-alive clients let go once their request is
  // served; otherwise close() would wait for their idle sockets to time out.
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
  return adapter;
}
