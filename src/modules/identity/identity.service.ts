import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { TokenSubjectGoneError } from '../../core/auth/auth.errors.js';
import { TokenSubjects, type TokenRevocation } from '../../core/auth/token-subjects.js';
import { TokenService } from '../../core/auth/token.service.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import type { AppError } from '../../core/http/app-error.js';
import {
  USER_PROFILE_CHANGED,
  USER_REGISTERED,
  type UserProfileChangedEvent,
  type UserRegisteredPayload,
} from './identity.events.js';
import { Outbox } from '../../core/jobs/outbox.js';
import { EmailTakenError, InvalidCredentialsError, UsernameTakenError } from './identity.errors.js';
import { toUserResponse } from './identity.mapper.js';
import { PasswordHasher } from './password.hasher.js';
import { uniqueViolationField, UsersRepository, type UniqueField } from './users.repository.js';
import type { UserEntity } from './user.entity.js';
import type { PublicUser, UserContact } from './identity.types.js';
import type { NewUserDto } from './dto/register-user.dto.js';
import type { LoginCredentialsDto } from './dto/login-user.dto.js';
import type { UpdateUserFieldsDto } from './dto/update-user.dto.js';
import type { UserResponseDto } from './dto/user-response.dto.js';

const TAKEN_ERROR: Record<UniqueField, () => AppError> = {
  email: () => new EmailTakenError(),
  username: () => new UsernameTakenError(),
};

@Injectable()
export class IdentityService implements TokenSubjects {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly events: EventEmitter2,
    private readonly outbox: Outbox,
  ) {}

  async register(input: NewUserDto): Promise<UserResponseDto> {
    await this.assertAvailable({ email: input.email, username: input.username });
    const passwordHash = await this.hasher.hash(input.password);
    const user = await this.persist(() =>
      this.users.transaction(async (manager) => {
        const created = await this.users.insert(manager, {
          email: input.email,
          username: input.username,
          passwordHash,
        });
        const payload: UserRegisteredPayload = { userId: created.id };
        await this.outbox.publish(manager, { topic: USER_REGISTERED, key: created.id, payload });
        return created;
      }),
    );
    return this.respond(user);
  }

  async login(input: LoginCredentialsDto): Promise<UserResponseDto> {
    const user = await this.users.findByEmail(input.email);
    const valid = await this.hasher.verify(user?.passwordHash, input.password);
    if (!user || !valid) throw new InvalidCredentialsError();
    return this.respond(user);
  }

  async getCurrentUser(caller: AuthUser): Promise<UserResponseDto> {
    return this.respond(await this.load(caller.id));
  }

  /**
   * Applies the given fields. A password change re-hashes and returns a fresh token; tokens issued
   * earlier remain valid until they expire (JWTs are stateless; revocation comes with refresh tokens).
   */
  async updateCurrentUser(caller: AuthUser, input: UpdateUserFieldsDto): Promise<UserResponseDto> {
    const user = await this.load(caller.id);
    const before = { username: user.username, bio: user.bio, image: user.image };
    const email = input.email !== undefined && input.email !== user.email ? input.email : undefined;
    const username = input.username !== undefined && input.username !== user.username ? input.username : undefined;
    await this.assertAvailable({ email, username }, user.id);
    if (email) user.email = email;
    if (username) user.username = username;
    if (input.password !== undefined) user.passwordHash = await this.hasher.hash(input.password);
    if (input.bio !== undefined) user.bio = input.bio;
    if (input.image !== undefined) user.image = input.image === '' ? null : input.image;
    const saved = await this.persist(() => this.users.save(user));
    if (saved.username !== before.username || saved.bio !== before.bio || saved.image !== before.image) {
      const event: UserProfileChangedEvent = {
        userId: saved.id,
        previousUsername: before.username,
        username: saved.username,
      };
      await this.events.emitAsync(USER_PROFILE_CHANGED, event);
    }
    return this.respond(saved);
  }

  exists(userId: string): Promise<boolean> {
    return this.users.exists(userId);
  }

  revocation(_user: AuthUser): Promise<TokenRevocation | undefined> {
    return Promise.resolve(undefined);
  }

  /** Public fields of the given users, in one query; unknown ids are left out. */
  findPublicUsers(ids: string[]): Promise<PublicUser[]> {
    return this.users.findPublicByIds([...new Set(ids)]);
  }

  /** Email addresses of the given users, for mail: unknown ids are left out. */
  findContacts(ids: string[]): Promise<UserContact[]> {
    return this.users.findContacts([...new Set(ids)]);
  }

  findPublicUserByUsername(username: string): Promise<PublicUser | null> {
    return this.users.findPublicByUsername(username);
  }

  private async load(id: string): Promise<UserEntity> {
    const user = await this.users.findById(id);
    if (!user) throw new TokenSubjectGoneError();
    return user;
  }

  private async assertAvailable(values: { email?: string; username?: string }, exceptId?: string): Promise<void> {
    const [taken] = await this.users.takenFields(values, exceptId);
    if (taken) throw TAKEN_ERROR[taken]();
  }

  /** The pre-check above answers the common case; this catches the race two concurrent requests can still hit. */
  private async persist(write: () => Promise<UserEntity>): Promise<UserEntity> {
    try {
      return await write();
    } catch (error) {
      const field = uniqueViolationField(error);
      if (field) throw TAKEN_ERROR[field]();
      throw error;
    }
  }

  private respond(user: UserEntity): UserResponseDto {
    return toUserResponse(user, this.tokens.sign({ id: user.id, username: user.username, role: user.role }));
  }
}
