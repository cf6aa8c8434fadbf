/**
 * Whether the user a token was issued to still exists. The kernel's guard asks it before a write, so a
 * token that outlived its account (deleted, or signed for an id that never existed) cannot create rows
 * that belong to nobody. Implemented by the module that owns users (identity).
 */
export abstract class TokenSubjects {
  abstract exists(userId: string): Promise<boolean>;
}
