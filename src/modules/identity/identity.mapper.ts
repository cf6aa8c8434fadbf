import type { UserEntity } from './user.entity.js';
import type { UserResponseDto } from './dto/user-response.dto.js';

/** Whitelists what leaves the module: never the hash, role or timestamps. */
export function toUserResponse(user: UserEntity, token: string): UserResponseDto {
  return {
    user: { email: user.email, token, username: user.username, bio: user.bio, image: user.image },
  };
}
