import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { randomUUID } from 'node:crypto';
import { AccountSuspendedError, TokenSubjectGoneError } from '../../core/auth/auth.errors.js';
import { TokenSubjects, type TokenRevocation } from '../../core/auth/token-subjects.js';
import type { AuthUser } from '../../core/auth/auth.types.js';
import type { AppError } from '../../core/http/app-error.js';
import { Outbox } from '../../core/jobs/outbox.js';
import {
  EMAIL_CHANGE_REQUESTED,
  PASSWORD_RESET_REQUESTED,
  USER_PROFILE_CHANGED,
  USER_REGISTERED,
  type EmailChangeRequestedPayload,
  type PasswordResetRequestedPayload,
  type UserProfileChangedEvent,
  type UserRegisteredPayload,
} from './identity.events.js';
import {
  AccountTokenInvalidError,
  EmailTakenError,
  InvalidCredentialsError,
  UsernameTakenError,
} from './identity.errors.js';
import { toUserResponse } from './identity.mapper.js';
import { AccountTokens } from './account-tokens.js';
import type { ClientInfo } from './client-info.decorator.js';
import { PasswordHasher } from './password.hasher.js';
import { RevocationList } from './revocation-list.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { uniqueViolationField, UsersRepository, type UniqueField } from './users.repository.js';
import type { UserEntity } from './user.entity.js';
import type { PublicUser, UserContact } from './identity.types.js';
import type { NewUserDto } from './dto/register-user.dto.js';
import type { LoginCredentialsDto } from './dto/login-user.dto.js';
import type { UpdateUserFieldsDto } from './dto/update-user.dto.js';
import type { UserResponseDto } from './dto/user-response.dto.js';
import type { TokenPairDto } from './dto/auth.dto.js';

const TAKEN_ERROR: Record<UniqueField, () => AppError> = {
  email: () => new EmailTakenError(),
  username: () => new UsernameTakenError(),
};

/** A secret to mail, and where to. */
export interface MailedAccountToken {
  recipient: UserContact;
  token: string;
}

@Injectable()
export class IdentityService implements TokenSubjects {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly sessionRows: SessionsRepository,
    private readonly accountTokens: AccountTokens,
    private readonly revocations: RevocationList,
    private readonly events: EventEmitter2,
    private readonly outbox: Outbox,
  ) {}

  async register(input: NewUserDto, client: ClientInfo): Promise<UserResponseDto> {
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
    return toUserResponse(user, await this.sessions.openRealWorldSession(user, client));
  }

  /** RealWorld login: one token, living JWT_TTL. */
  async login(input: LoginCredentialsDto, client: ClientInfo): Promise<UserResponseDto> {
    const user = await this.checkCredentials(input);
    return toUserResponse(user, await this.sessions.openRealWorldSession(user, client));
  }

  /** v1 login: a short-lived access token and a refresh token. */
  async loginWithRefresh(input: LoginCredentialsDto, client: ClientInfo): Promise<TokenPairDto> {
    return this.sessions.openRefreshSession(await this.checkCredentials(input), client);
  }

  refresh(refreshToken: string, client: ClientInfo): Promise<TokenPairDto> {
    return this.sessions.refresh(refreshToken, client, (id) => this.users.findById(id));
  }

  async getCurrentUser(caller: AuthUser, client: ClientInfo): Promise<UserResponseDto> {
    const user = await this.load(caller.id);
    return toUserResponse(user, await this.sessions.renew(user, caller, client));
  }

  /**
   * Applies the given fields. A new password ends every other session of the user (this one gets a fresh
   * token). A new email is not applied here: a confirmation link goes to the new address, and the change
   * happens when it is opened (`POST /api/v1/auth/email-change/confirm`).
   */
  async updateCurrentUser(caller: AuthUser, input: UpdateUserFieldsDto, client: ClientInfo): Promise<UserResponseDto> {
    const user = await this.load(caller.id);
    const before = { username: user.username, bio: user.bio, image: user.image };
    const email = input.email !== undefined && input.email !== user.email ? input.email : undefined;
    const username = input.username !== undefined && input.username !== user.username ? input.username : undefined;
    // Not the email: whether an address is taken is told only to whoever opens the link mailed to it (no
    // enumeration through this route); the worker sends nothing for a taken address.
    await this.assertAvailable({ username }, user.id);
    if (username) user.username = username;
    const passwordChanged = input.password !== undefined;
    if (passwordChanged) user.passwordHash = await this.hasher.hash(input.password!);
    if (input.bio !== undefined) user.bio = input.bio;
    if (input.image !== undefined) user.image = input.image === '' ? null : input.image;
    const saved = await this.persist(() =>
      this.users.transaction(async (manager) => {
        const written = await manager.save(user);
        if (email) {
          const payload: EmailChangeRequestedPayload = { userId: user.id, newEmail: email };
          if (caller.sessionId) payload.sessionId = caller.sessionId;
          await this.outbox.publish(manager, { topic: EMAIL_CHANGE_REQUESTED, key: randomUUID(), payload });
        }
        return written;
      }),
    );
    if (passwordChanged) await this.sessions.endAll(saved.id, 'password-changed', caller.sessionId);
    if (saved.username !== before.username || saved.bio !== before.bio || saved.image !== before.image) {
      const event: UserProfileChangedEvent = {
        userId: saved.id,
        previousUsername: before.username,
        username: saved.username,
      };
      await this.events.emitAsync(USER_PROFILE_CHANGED, event);
    }
    return toUserResponse(saved, await this.sessions.renew(saved, caller, client));
  }

  /**
   * Asks for a password-reset mail. The same work (one outbox row) and the same answer whether or not the
   * address has an account: the lookup happens in the worker, so neither the answer nor its timing tells.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const payload: PasswordResetRequestedPayload = { email };
    await this.users.transaction((manager) =>
      this.outbox.publish(manager, { topic: PASSWORD_RESET_REQUESTED, key: randomUUID(), payload }),
    );
  }

  /** Sets the new password from a mailed link (once), and ends every session of the account. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const passwordHash = await this.hasher.hash(password);
    const ended = await this.users.transaction(async (manager) => {
      const redeemed = await this.accountTokens.redeem(manager, token, 'password-reset');
      if (!redeemed) throw new AccountTokenInvalidError();
      await manager.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [
        redeemed.userId,
        passwordHash,
      ]);
      // A pending email change (perhaps an intruder's) dies with the sessions.
      await this.accountTokens.retire(manager, redeemed.userId, 'email-change');
      return this.sessionRows.end({ userId: redeemed.userId }, 'password-reset', manager);
    });
    await this.sessions.sessionsEnded(ended);
  }

  /** Moves the account to the address a mailed link was sent to (once), if no one took it meanwhile. */
  async confirmEmailChange(token: string): Promise<void> {
    await this.persist(() =>
      this.users.transaction(async (manager) => {
        const redeemed = await this.accountTokens.redeem(manager, token, 'email-change');
        if (!redeemed?.newEmail) throw new AccountTokenInvalidError();
        const [taken] = await this.users.takenFields({ email: redeemed.newEmail }, redeemed.userId);
        if (taken) throw TAKEN_ERROR[taken]();
        await manager.query(`UPDATE users SET email = $2, updated_at = now() WHERE id = $1`, [
          redeemed.userId,
          redeemed.newEmail,
        ]);
        return (await this.users.findById(redeemed.userId))!;
      }),
    );
  }

  /** For the worker: a reset secret for the account with this address, or undefined (unknown or suspended). */
  async issuePasswordReset(email: string): Promise<MailedAccountToken | undefined> {
    const user = await this.users.findByEmail(email);
    if (!user || user.suspendedAt) return undefined;
    const token = await this.accountTokens.issue(user.id, 'password-reset');
    return { recipient: { id: user.id, username: user.username, email: user.email }, token };
  }

  /** For the worker: a confirmation secret, addressed to the new email; undefined when it no longer applies. */
  async issueEmailChange(
    userId: string,
    newEmail: string,
    sessionId?: string,
  ): Promise<MailedAccountToken | undefined> {
    const user = await this.users.findById(userId);
    if (!user || user.suspendedAt || user.email === newEmail) return undefined;
    if ((await this.users.takenFields({ email: newEmail }, userId)).length > 0) return undefined;
    const token = await this.accountTokens.issue(user.id, 'email-change', { newEmail, sessionId });
    return { recipient: { id: user.id, username: user.username, email: newEmail }, token };
  }

  exists(userId: string): Promise<boolean> {
    return this.users.exists(userId);
  }

  revocation(user: AuthUser): Promise<TokenRevocation | undefined> {
    return this.revocations.check(user);
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

  /**
   * The account for these credentials. Unknown email and wrong password fail alike, in the same time (the
   * hasher verifies against a dummy hash); a suspended account is told so only once the password was right.
   */
  private async checkCredentials(input: LoginCredentialsDto): Promise<UserEntity> {
    const user = await this.users.findByEmail(input.email);
    const valid = await this.hasher.verify(user?.passwordHash, input.password);
    if (!user || !valid) throw new InvalidCredentialsError();
    if (user.suspendedAt) throw new AccountSuspendedError();
    return user;
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
}
