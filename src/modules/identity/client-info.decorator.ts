import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** The device a session is opened from, as the sessions list shows it. */
export interface ClientInfo {
  device: string | null;
  ip: string;
}

/** The caller's User-Agent (shortened) and address (`request.ip`, which follows TRUST_PROXY). */
export const Client = createParamDecorator((_data: unknown, context: ExecutionContext): ClientInfo => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const agent = request.headers['user-agent'];
  return {
    device: typeof agent === 'string' && agent !== '' ? agent.slice(0, 200) : null,
    ip: request.ip.slice(0, 64),
  };
});
