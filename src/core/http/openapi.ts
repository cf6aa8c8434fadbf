import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { TOKEN_SCHEME } from '../auth/auth.decorators.js';
import { API_TAGS } from './api-tags.js';
import { errorFormatFor } from './error-renderers.js';
import { documentErrorResponses } from './openapi-errors.js';
import { documentIdempotency } from '../idempotency/idempotency.openapi.js';
import { authorizeFromAuthResponse } from './swagger-ui-auth.js';
import { ErrorResponseDto, RealWorldErrorResponseDto } from './error-response.dto.js';

export const OPENAPI_PATH = 'docs';

/** Builds the OpenAPI document from the controllers and the swagger plugin's metadata (src/metadata.ts). */
export async function buildOpenApiDocument(app: INestApplication): Promise<OpenAPIObject> {
  const { default: metadata } = await import('../../metadata.js');
  await SwaggerModule.loadPluginMetadata(metadata);
  const config = new DocumentBuilder()
    .setTitle('Folio API')
    .setDescription(
      'Publishing platform API. Routes under `/api` follow the RealWorld ("Conduit") spec; their errors use ' +
        '`{"errors":{"body":[...]}}` plus a stable `code`. All other routes answer errors as RFC 9457 problem+json. ' +
        'Authenticate with `Authorization: Token <jwt>` (or `Bearer <jwt>`).',
    )
    .setVersion('1.0.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Listed first in Swagger UI's Authorize dialog: the box takes the bare token, as people paste it.
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'Paste the token alone (from register or login); it is sent as `Authorization: Bearer <token>`.',
    })
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'The RealWorld form: the whole header value, `Token <jwt>`, prefix included.',
      },
      TOKEN_SCHEME,
    )
    .build();
  config.tags = Object.entries(API_TAGS).map(([name, description]) => ({ name, description }));
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (_controller: string, method: string) => method,
    extraModels: [ErrorResponseDto, RealWorldErrorResponseDto],
  });
  return sortKeys(documentIdempotency(documentErrorResponses(declarePublicOperations(document))));
}

/** An operation with no security requirement says so (`security: []`): public by decision, not by omission. */
function declarePublicOperations(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) operation.security ??= [];
    }
  }
  return document;
}

/** The two API surfaces, each also served as a document of its own (a group in Swagger UI's selector). */
const API_GROUPS = [
  { slug: 'realworld', name: 'RealWorld API (/api)', matches: (path: string) => errorFormatFor(path) === 'realworld' },
  { slug: 'v1', name: 'Folio API v1 (/api/v1)', matches: (path: string) => /^\/api\/v1(\/|$)/.test(path) },
] as const;

/** The document restricted to the paths of one group (schemas kept whole: unused ones do no harm). */
function groupDocument(document: OpenAPIObject, matches: (path: string) => boolean): OpenAPIObject {
  return { ...document, paths: Object.fromEntries(Object.entries(document.paths).filter(([path]) => matches(path))) };
}

export async function setupOpenApi(app: INestApplication): Promise<void> {
  const document = await buildOpenApiDocument(app);
  for (const group of API_GROUPS) {
    SwaggerModule.setup(`${OPENAPI_PATH}/${group.slug}`, app, groupDocument(document, group.matches), {
      ui: false,
      raw: ['json'],
      jsonDocumentUrl: `${OPENAPI_PATH}/${group.slug}-json`,
    });
  }
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    customSiteTitle: 'Folio API',
    explorer: true,
    swaggerOptions: {
      urls: [
        { url: `/${OPENAPI_PATH}-json`, name: 'All of Folio' },
        ...API_GROUPS.map((group) => ({ url: `/${OPENAPI_PATH}/${group.slug}-json`, name: group.name })),
      ],
      persistAuthorization: true,
      displayRequestDuration: true,
      responseInterceptor: authorizeFromAuthResponse,
    },
  });
}

/** Deterministic key order, so the committed openapi.json diffs cleanly. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    ) as T;
  }
  return value;
}
