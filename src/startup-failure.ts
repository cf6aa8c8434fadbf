import { environment } from './core/config/app.config.js';
import { InvalidEnvironmentError, type Environment } from './core/config/env.schema.js';

/** The validated environment; a bad one exits 1 listing every bad key (no stack), for the entry points. */
export function environmentOrExit(): Environment {
  try {
    return environment();
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * One line that says why the process could not start and what to do, instead of a framework stack
 * dump: what a newcomer running `npm start` (or an operator reading a crash-looping pod's log) needs.
 */
export function describeStartupFailure(error: unknown): string {
  const cause = rootCause(error);
  const code = typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  const where = addressOf(cause);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${where ?? 'a required service'} (connection refused): is it running? Check DATABASE_URL and REDIS_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the host of ${where ?? 'a required service'}: check DATABASE_URL and REDIS_URL.`;
    case 'ETIMEDOUT':
      return `timed out connecting to ${where ?? 'a required service'}: check DATABASE_URL, REDIS_URL and the network.`;
    case 'EADDRINUSE':
      return `${where ?? 'the port'} is already in use: stop the other process or set PORT.`;
    case 'EACCES':
      return `permission denied${where ? ` for ${where}` : ''}: ${messageOf(cause)}`;
    case '28P01':
    case '28000':
      return `PostgreSQL refused the credentials in DATABASE_URL: ${messageOf(cause)}`;
    case '3D000':
      return `${messageOf(cause)}: create it, or point DATABASE_URL at an existing database.`;
    default:
      return messageOf(cause);
  }
}

/** The innermost error: Node wraps a refused connection to several addresses in an AggregateError. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else if (current instanceof Error && current.cause !== undefined && !(current as { code?: unknown }).code) {
      current = current.cause;
    } else break;
  }
  return current;
}

function addressOf(error: unknown): string | undefined {
  const { address, port, hostname } = (error ?? {}) as { address?: string; port?: number; hostname?: string };
  const host = address ?? hostname;
  if (!host) return undefined;
  return port ? `${host}:${port}` : host;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return (error.message || error.name).split('\n')[0];
  return String(error);
}
