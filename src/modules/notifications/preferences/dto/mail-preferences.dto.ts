import { IsBoolean, ValidateIf } from 'class-validator';

/** Which optional mails the user receives (the welcome mail is always sent). */
export class MailPreferencesDto {
  /** A mail when someone starts following you. */
  newFollower: boolean;
  /** A mail when someone comments on one of your articles. */
  newComment: boolean;
  /** The daily digest of new articles by the authors you follow. */
  digest: boolean;
}

/**
 * The kinds to change (at least one); those left out keep their value. Unknown kinds, and values that are not
 * booleans (null included), are refused (422).
 */
export class UpdateMailPreferencesDto {
  /**
   * A mail when someone starts following you.
   * @example true
   */
  @ValidateIf(present)
  @IsBoolean()
  newFollower?: boolean;

  /**
   * A mail when someone comments on one of your articles.
   * @example true
   */
  @ValidateIf(present)
  @IsBoolean()
  newComment?: boolean;

  /**
   * The daily digest of new articles by the authors you follow.
   * @example false
   */
  @ValidateIf(present)
  @IsBoolean()
  digest?: boolean;
}

/** Not @IsOptional(), which lets null through to the database. */
function present(_object: object, value: unknown): boolean {
  return value !== undefined;
}

export class UnsubscribedDto {
  /** What was turned off: one kind, or `all` optional mails. */
  unsubscribed: string;
  preferences: MailPreferencesDto;
}
