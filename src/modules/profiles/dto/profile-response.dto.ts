/** A user's public profile, as seen by the caller. */
export class ProfileDto {
  username: string;
  bio: string | null;
  image: string | null;
  /** Whether the caller follows this user (false for anonymous callers). */
  following: boolean;
}

export class ProfileResponseDto {
  profile: ProfileDto;
}
