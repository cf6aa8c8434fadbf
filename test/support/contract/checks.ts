// The properties every response must have, whatever was sent. Shared by the client replay and the fuzz.
import type { WireResponse } from './http.js';
import { documentedResponse, errorFormatFor, isDocumented, type JsonSchema, type Operation } from './openapi.js';
import { PROBLEM_SHAPE, REALWORLD_ERROR_SHAPE, type SchemaValidator } from './schemas.js';

export type Rule =
  | 'server-error'
  | 'undocumented-status'
  | 'error-shape'
  | 'leak'
  | 'response-schema'
  | 'expected-status'
  | 'field-message'
  | 'tag-list'
  | 'transport';

export interface Problem {
  rule: Rule;
  /** Stable across requests (no ids, no echoed input): failures with the same key are one defect. */
  key: string;
  detail: string;
}

/** What the right answer is, where the case determines it (see docs/testing-contract.md). */
export interface Expectation {
  statuses: number[];
  why: string;
  /** The answer must name this field (NUL bytes and lone surrogates are refused with a field message). */
  field?: string;
}

export interface CheckContext {
  operation: Operation;
  /** The path and query as sent: which error shape applies depends on it. */
  sentPath: string;
  /** The path was made not to match the route (hostile segments): a 404 needs no documentation then. */
  hostilePath?: boolean;
  expect?: Expectation;
}

const LEAKS: [string, RegExp][] = [
  ['stack frame', /\bat [\w$.<>[\] ]+ \(|\n\s+at \S/],
  ['SQL', /\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|relation "|violates \w+ (key )?constraint|at or near "/],
  ['source path', /\/src\/|\.ts:\d|\.js:\d|node_modules/],
  ['class name', /QueryFailedError|EntityNotFound|TypeORMError|\b(Type|Range|Reference|Syntax)Error\b|\w+Exception\b/],
  ['framework code', /\bFST_ERR_\w+|\bERR_[A-Z_]{4,}/],
];

export function checkResponse(validator: SchemaValidator, context: CheckContext, response: WireResponse): Problem[] {
  const { operation, expect } = context;
  const problems: Problem[] = [];
  const { status } = response;
  const code = errorCode(response.json);
  const tag = `${status}${code ? ` ${code}` : ''}`;
  const add = (rule: Rule, key: string, detail: string) => problems.push({ rule, key, detail });

  if (status >= 500) add('server-error', `answered ${tag}`, `a ${status} answer: the server failed on this input`);
  if (!isDocumented(operation, status) && !(context.hostilePath && status === 404)) {
    const documented = Object.keys(operation.responses).join(', ');
    add('undocumented-status', `answered ${tag}`, `status ${status} is not in the document (${documented})`);
  }
  if (expect && !expect.statuses.includes(status)) {
    const wanted = expect.statuses.join(' or ');
    add('expected-status', `expected ${wanted}, answered ${tag}`, `expected ${wanted} (${expect.why}), got ${status}`);
  }
  if (status >= 200 && status < 300) problems.push(...checkSuccess(validator, operation, response));
  else
    problems.push(...checkError(validator, context.sentPath, response, documentedResponse(operation, status)?.schema));
  if (expect?.field && expect.statuses.includes(status) && !mentions(response.json, expect.field)) {
    add('field-message', `${status} without naming the field`, `the answer does not name "${expect.field}"`);
  }
  return problems;
}

function checkSuccess(validator: SchemaValidator, operation: Operation, response: WireResponse): Problem[] {
  const documented = documentedResponse(operation, response.status);
  if (!documented) return [];
  const problems: Problem[] = [];
  if (documented.contentTypes.includes('text/event-stream')) {
    const type = String(response.headers['content-type'] ?? '');
    if (!/^text\/event-stream\b/.test(type)) {
      problems.push({
        rule: 'response-schema',
        key: `content-type ${type || 'missing'} for an event stream`,
        detail: type,
      });
    } else if (!response.eventStream?.startsWith('retry: ')) {
      problems.push({
        rule: 'response-schema',
        key: 'event stream without its retry prelude',
        detail: response.eventStream ?? '',
      });
    }
    return problems;
  }
  const files = documented.contentTypes.filter((type) => !/json/.test(type));
  if (!documented.schema && files.length > 0) {
    // A file (a report's CSV or PDF): one of the documented types, and not empty.
    const type = String(response.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (!files.includes(type)) {
      problems.push({ rule: 'response-schema', key: `content-type ${type || 'missing'}`, detail: files.join(', ') });
    }
    if (response.text.length === 0) problems.push({ rule: 'response-schema', key: 'empty file', detail: type });
    return problems;
  }
  if (!documented.schema) {
    if (response.text.length > 0) {
      problems.push({ rule: 'response-schema', key: 'body where none is documented', detail: response.text });
    }
    return problems;
  }
  const type = String(response.headers['content-type'] ?? '');
  if (!/^application\/json\b/.test(type)) {
    problems.push({ rule: 'response-schema', key: `content-type ${type || 'missing'}`, detail: type });
  }
  const { valid, errors } = validator.check(documented.schema, response.json);
  if (!valid) {
    const key = `body not as documented: ${errors.slice(0, 3).map(withoutIndexes).join('; ')}`;
    problems.push({ rule: 'response-schema', key, detail: errors.join('; ') });
  }
  return [...problems, ...tagListProblems(response.json)];
}

/** The README: every `tagList` is sorted by code point (UTF-8 byte order is code point order), without duplicates. */
function tagListProblems(json: unknown): Problem[] {
  const lists: unknown[][] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (key === 'tagList' && Array.isArray(item)) lists.push(item);
        else walk(item);
      }
    }
  };
  walk(json);
  const problems: Problem[] = [];
  for (const list of lists) {
    const utf8 = (tag: unknown) => Buffer.from(String(tag), 'utf8');
    if (list.some((tag, i) => i > 0 && Buffer.compare(utf8(list[i - 1]), utf8(tag)) > 0)) {
      problems.push({ rule: 'tag-list', key: 'tagList not in code point order', detail: JSON.stringify(list) });
    }
    if (new Set(list).size !== list.length) {
      problems.push({ rule: 'tag-list', key: 'tagList with duplicates', detail: JSON.stringify(list) });
    }
  }
  return problems;
}

/** The error body properties: the shape of the path's audience, the request id, no internals; `documented` too. */
export function checkError(
  validator: SchemaValidator,
  sentPath: string,
  response: WireResponse,
  documented?: JsonSchema,
): Problem[] {
  const problems: Problem[] = [];
  const code = errorCode(response.json);
  const tag = `${response.status}${code ? ` ${code}` : ''}`;
  const add = (rule: Rule, key: string, detail: string) => problems.push({ rule, key: `${tag}: ${key}`, detail });
  const format = errorFormatFor(sentPath);
  const type = String(response.headers['content-type'] ?? '');
  const wantedType = format === 'realworld' ? /^application\/json\b/ : /^application\/problem\+json\b/;
  if (!wantedType.test(type)) add('error-shape', `content-type ${type || 'missing'} for a ${format} route`, type);
  const shape = format === 'realworld' ? REALWORLD_ERROR_SHAPE : PROBLEM_SHAPE;
  const { valid, errors } = validator.check(shape, response.json);
  if (!valid) {
    const body = response.text.slice(0, 300) || '(empty)';
    add('error-shape', `not the ${format} error shape (${errors.slice(0, 2).join('; ')})`, body);
  } else {
    const body = response.json as { requestId: string; status?: number };
    if (body.requestId !== response.headers['x-request-id']) {
      add(
        'error-shape',
        'requestId differs from the x-request-id header',
        `${body.requestId} vs ${String(response.headers['x-request-id'])}`,
      );
    }
    if (format === 'problem' && body.status !== response.status)
      add('error-shape', 'problem status differs', `${body.status}`);
  }
  if (valid && documented) {
    const check = validator.check(documented, response.json);
    if (!check.valid) add('error-shape', `not the documented schema (${check.errors[0]})`, check.errors.join('; '));
  }
  for (const [what, pattern] of LEAKS) {
    const match = pattern.exec(response.text);
    if (match)
      add('leak', `${what} in the body`, `matched ${JSON.stringify(match[0])} in ${response.text.slice(0, 300)}`);
  }
  return problems;
}

export function errorCode(json: unknown): string | undefined {
  const code = (json as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Whether an error answer names a field, in its messages (RealWorld) or its `errors[]`/`detail` (problem). */
function mentions(json: unknown, field: string): boolean {
  const leaf = (field.split('.').pop() ?? field).replace(/\[\d+\]$/, '').toLowerCase();
  const body = json as { errors?: unknown; detail?: unknown } | undefined;
  const errors = body?.errors;
  const texts: unknown[] = Array.isArray(errors)
    ? errors.flatMap((e: { field?: unknown; message?: unknown }) => [e.field, e.message])
    : ((errors as { body?: unknown[] } | undefined)?.body ?? []);
  texts.push(body?.detail);
  return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(leaf));
}

const withoutIndexes = (error: string) => error.replace(/\/\d+(?=\/|\s)/g, '/*');
