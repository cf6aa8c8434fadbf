import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

/** Which optional mails the user receives (the welcome mail is always sent). */
export class MailPreferencesDto {
  /** A mail when someone starts following you. */
  newFollower: boolean;
  /** A mail when someone comments on one of your articles. */
  newComment: boolean;
  /** The daily digest of new articles by the authors you follow. */
  digest: boolean;
}

/** The kinds to change; those left out keep their value. Unknown kinds are refused (422). */
export class UpdateMailPreferencesDto {
  /** A mail when someone starts following you. */
  @IsOptional()
  @IsBoolean()
  newFollower?: boolean;

  /** A mail when someone comments on one of your articles. */
  @IsOptional()
  @IsBoolean()
  newComment?: boolean;

  /** The daily digest of new articles by the authors you follow. */
  @IsOptional()
  @IsBoolean()
  digest?: boolean;
}

export class UnsubscribeQuery {
  /** The signed token of an unsubscribe link (from a mail's footer or its List-Unsubscribe header). */
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  token?: string;
}

export class UnsubscribedDto {
  /** What was turned off: one kind, or `all` optional mails. */
  unsubscribed: string;
  preferences: MailPreferencesDto;
}
