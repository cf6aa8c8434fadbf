import type { AuthUser } from './auth.types.js';

/** Why a token that verifies is no longer honoured. */
export type TokenRevocation = 'session-revoked' | 'account-suspended';

/**
 * What the kernel asks the module that owns users (identity) about a verified token's subject:
 * - `exists`, before a write, so a token that outlived its account cannot create rows that belong to nobody;
 * - `revocation`, on every authenticated request, so a revoked session or a suspended account stops at once
 *   rather than at expiry. It must answer without a database read (a revocation list in Redis or in process).
 */
export abstract class TokenSubjects {
  abstract exists(userId: string): Promise<boolean>;
  abstract revocation(user: AuthUser): Promise<TokenRevocation | undefined>;
}
