import type { FastifyInstance } from 'fastify';

/**
 * "No internals in any response": every error answer (status >= 400) an app built by createTestApp sends, over
 * inject or a socket, is recorded here and checked for what only the server should know. A setup file
 * (error-audit.setup.ts) fails each test file that received one. Answers Node's HTTP parser gives before Fastify
 * exists for the request (answerClientError: 400 malformed, 431) are not seen; they are built from fixed texts.
 */
export interface RecordedError {
  method: string;
  url: string;
  status: number;
  body: string;
}

export interface Violation {
  request: string;
  status: number;
  /** What gave the internals away, and where. */
  found: string;
  excerpt: string;
}

/** Table names that are not plain English words (`users`, `articles`... are also resource names). */
const INTERNAL_TABLES = [
  'account_tokens',
  'article_counts',
  'article_tags',
  'audit_log',
  'feature_flags',
  'mail_deliveries',
  'notification_preferences',
  'outbox_messages',
  'refresh_tokens',
];

const INTERNALS: { name: string; pattern: RegExp }[] = [
  { name: 'stack frame', pattern: /\bat (?:[\w$.<>[\] ]+ )?\(?(?:file:\/\/|\/|node:)[^\s)]*:\d+(?::\d+)?\)?/ },
  { name: 'source position', pattern: /\.(?:ts|js|mjs|cjs):\d+/ },
  { name: 'file path', pattern: /(?:\/src\/|\/dist\/|node_modules|\/work\/|\/home\/|\/app\/)/ },
  { name: 'SQL', pattern: /\b(?:SELECT .+ FROM|INSERT INTO|UPDATE "|DELETE FROM|ON CONFLICT|RETURNING ")/ },
  {
    name: 'database error',
    pattern:
      /QueryFailedError|relation "|column "|duplicate key|violates (?:unique|foreign key|not-null|check)|SQLSTATE|syntax error at|canceling statement|pg_sleep/i,
  },
  {
    name: 'driver or framework name',
    pattern:
      /TypeORM|EntityNotFound|EntityMetadata|EntityPropertyNotFound|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ioredis|ReplyError|BullMQ|\bFST_ERR_\w+|HttpException|NestJS|class-validator|class-transformer/,
  },
  { name: 'JavaScript error', pattern: /\b(?:TypeError|ReferenceError|RangeError|SyntaxError)\b|Cannot read propert/ },
  { name: 'internal table', pattern: new RegExp(`\\b(?:${INTERNAL_TABLES.join('|')})\\b`) },
];

const recorded: RecordedError[] = [];
const accepted: ((response: RecordedError) => boolean)[] = [];

/** Every error answer of the apps built so far in this test file. */
export function recordedErrors(): readonly RecordedError[] {
  return recorded;
}

/**
 * For a test that plants or provokes internals on purpose: its matching answers are not violations. Keep the
 * predicate as narrow as one request.
 */
export function acceptInternals(predicate: (response: RecordedError) => boolean): void {
  accepted.push(predicate);
}

/** What gives internals away in one answer. The request's own URL, which problem+json echoes, is left out. */
export function findInternals(response: RecordedError): Violation[] {
  const text = response.body.split(response.url).join('').split(safeDecode(response.url)).join('');
  const violations: Violation[] = [];
  for (const { name, pattern } of INTERNALS) {
    const match = pattern.exec(text);
    if (match) {
      const start = Math.max(0, match.index - 40);
      violations.push({
        request: `${response.method} ${response.url}`,
        status: response.status,
        found: `${name}: ${match[0]}`,
        excerpt: text.slice(start, match.index + match[0].length + 40),
      });
    }
  }
  return violations;
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** The violations among the answers recorded so far, accepted ones aside. */
export function errorAuditViolations(): Violation[] {
  return recorded.filter((response) => !accepted.some((accept) => accept(response))).flatMap(findInternals);
}

function payloadText(payload: unknown): string | undefined {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  return undefined;
}

/** The hook createTestApp adds: records every error answer's body as it is sent (before compression). */
export function recordErrorAnswers(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) {
      recorded.push({
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        body: payloadText(payload) ?? '',
      });
    }
    return payload;
  });
}
