// HS256 verification with node:crypto only: what the baseline pays per authenticated request, against which
// Folio's guard (@nestjs/jwt) is compared.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Caller {
  id: string;
  username: string;
}

const HEADER = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

/** The caller of a `Token <jwt>` / `Bearer <jwt>` header, or undefined when it is missing or invalid. */
export function verifyToken(header: string | undefined, secret: string): Caller | undefined {
  const token = header ? HEADER.exec(header)?.[1] : undefined;
  if (!token) return undefined;
  const [head, payload, signature] = token.split('.');
  if (!head || !payload || !signature) return undefined;
  const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const { alg } = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
      sub?: unknown;
      username?: unknown;
      exp?: unknown;
    };
    if (alg !== 'HS256' || typeof claims.sub !== 'string' || typeof claims.username !== 'string') return undefined;
    if (typeof claims.exp === 'number' && claims.exp * 1000 <= Date.now()) return undefined;
    return { id: claims.sub, username: claims.username };
  } catch {
    return undefined;
  }
}
