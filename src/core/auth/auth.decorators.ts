import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiSecurity,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponseDto, RealWorldErrorResponseDto } from '../http/error-response.dto.js';
import type { AuthUser, Role } from './auth.types.js';

export const PUBLIC_KEY = 'folio:auth:public';
export const AUTH_KEY = 'folio:auth:required';
/** The RealWorld `Token <jwt>` header as an OpenAPI scheme; named to sort after `bearer` in Swagger UI's dialog. */
export const TOKEN_SCHEME = 'realworldToken';

export interface PublicOptions {
  /** Read the caller from a valid token when one is sent (RealWorld "optional auth"); ignore it otherwise. */
  optionalAuth?: boolean;
}

export interface AuthenticatedOptions {
  role?: Role;
}

// /api routes answer in the RealWorld shape, all others in problem+json (see error-renderers.ts).
const errorSchema = {
  oneOf: [{ $ref: getSchemaPath(RealWorldErrorResponseDto) }, { $ref: getSchemaPath(ErrorResponseDto) }],
};

/** Opts a route out of the deny-by-default guard. */
export function Public(options: PublicOptions = {}): MethodDecorator & ClassDecorator {
  const decorators: Array<ClassDecorator | MethodDecorator> = [SetMetadata(PUBLIC_KEY, options)];
  if (options.optionalAuth) {
    // An empty requirement documents that anonymous calls are allowed too.
    decorators.push(ApiBearerAuth(), ApiSecurity(TOKEN_SCHEME), ApiSecurity({} as never));
  }
  return applyDecorators(...decorators);
}

/** Requires a valid access token (and a role, when given); documents the security and the 401/403. */
export function Authenticated(options: AuthenticatedOptions = {}): MethodDecorator & ClassDecorator {
  const decorators: Array<ClassDecorator | MethodDecorator> = [
    SetMetadata(AUTH_KEY, options),
    ApiBearerAuth(),
    ApiSecurity(TOKEN_SCHEME),
    ApiExtraModels(ErrorResponseDto, RealWorldErrorResponseDto),
    ApiUnauthorizedResponse({ description: 'Missing, malformed or expired access token', schema: errorSchema }),
  ];
  if (options.role) {
    decorators.push(
      ApiForbiddenResponse({ description: `Requires the ${options.role} role`, schema: errorSchema }),
      // Machine-readable for clients and the contract suites: which role the token must carry.
      ApiExtension('x-required-role', options.role),
    );
  }
  return applyDecorators(...decorators);
}

type RequestWithUser = FastifyRequest & { user?: AuthUser };

/** The authenticated caller; undefined on public routes called anonymously. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthUser | undefined =>
    context.switchToHttp().getRequest<RequestWithUser>().user,
);
