import type { AppError } from './app-error.js';
import { STATUS_BY_KIND, TITLE_BY_KIND } from './error-mapping.js';

/** RFC 9457 problem details, extended with a stable code, field errors and the request id. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  errors: { field: string; message: string }[];
  requestId: string;
}

/** The RealWorld spec's error body, plus the same stable code and request id (additive fields). */
export interface RealWorldErrorBody {
  errors: { body: string[] };
  code: string;
  requestId: string;
}

export interface RenderedError {
  status: number;
  contentType: string;
  body: ProblemDetails | RealWorldErrorBody;
}

export type ErrorFormat = 'problem' | 'realworld';

export const PROBLEM_TYPE_BASE = 'https://folio.dev/problems/';

export function renderProblem(error: AppError, requestId: string): RenderedError {
  const status = STATUS_BY_KIND[error.kind];
  return {
    status,
    contentType: 'application/problem+json; charset=utf-8',
    body: {
      type: `${PROBLEM_TYPE_BASE}${error.code.toLowerCase().replaceAll('_', '-')}`,
      title: TITLE_BY_KIND[error.kind],
      status,
      code: error.code,
      detail: error.message,
      errors: error.errors.map(({ field, message }) => ({ field, message })),
      requestId,
    },
  };
}

export function renderRealWorld(error: AppError, requestId: string): RenderedError {
  const messages = error.errors.length > 0 ? error.errors.map((e) => e.message) : [error.message];
  return {
    status: STATUS_BY_KIND[error.kind],
    contentType: 'application/json; charset=utf-8',
    body: { errors: { body: messages }, code: error.code, requestId },
  };
}

/**
 * RealWorld ("Conduit") routes live under /api; versioned routes (/api/v1/...) and everything else
 * speak problem+json. Chosen by path so that errors raised before routing (bad JSON, 404) agree.
 */
export function errorFormatFor(url: string): ErrorFormat {
  const path = url.split('?')[0] ?? '';
  if (!/^\/api(\/|$)/.test(path)) return 'problem';
  return /^\/api\/v\d+(\/|$)/.test(path) ? 'problem' : 'realworld';
}

export function renderError(error: AppError, requestId: string, url: string): RenderedError {
  return errorFormatFor(url) === 'realworld' ? renderRealWorld(error, requestId) : renderProblem(error, requestId);
}
