/** The authenticated user, as the RealWorld spec returns it. */
export class AuthenticatedUserDto {
  email: string;
  /** JWT access token: send it as `Authorization: Token <jwt>`. */
  token: string;
  username: string;
  bio: string | null;
  image: string | null;
}

export class UserResponseDto {
  user: AuthenticatedUserDto;
}
