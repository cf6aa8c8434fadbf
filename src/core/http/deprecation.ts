import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';

const DEPRECATION_KEY = 'folio:deprecation';

export interface DeprecationOptions {
  /** When the route was deprecated (sent as `Deprecation: @<unix seconds>`, RFC 9745). */
  since: Date;
  /** When it stops answering (sent as `Sunset: <HTTP date>`, RFC 8594); at least six months after `since`. */
  sunset: Date;
  /** Where the replacement is described (sent as `Link: <…>; rel="deprecation"`). */
  link?: string;
}

/**
 * Marks a route (or a whole controller, e.g. all of a future `/api/v1` once `/api/v2` exists) deprecated:
 * every answer carries `Deprecation`, `Sunset` and `Link`, and the OpenAPI operation gets `x-sunset`.
 * Also write `@deprecated <why, and what replaces it>` in the method's JSDoc: the Swagger CLI plugin turns it
 * into the operation's `deprecated: true` (setting it here would hide the plugin's summary). See "Versioning"
 * in the README.
 */
export function Deprecated(options: DeprecationOptions): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(DEPRECATION_KEY, options),
    UseInterceptors(DeprecationInterceptor),
    ApiExtension('x-sunset', options.sunset.toISOString()),
  );
}

@Injectable()
export class DeprecationInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.getAllAndOverride<DeprecationOptions | undefined>(DEPRECATION_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (options) {
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      void reply.header('deprecation', `@${Math.floor(options.since.getTime() / 1000)}`);
      void reply.header('sunset', options.sunset.toUTCString());
      if (options.link) void reply.header('link', `<${options.link}>; rel="deprecation"`);
    }
    return next.handle();
  }
}
