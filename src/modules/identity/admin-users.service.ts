import { Injectable } from '@nestjs/common';
import type { Role } from '../../core/auth/auth.types.js';
import { AuditLog, type AuditActor } from '../../core/audit/audit-log.js';
import { SelfAdministrationError, UserNotFoundError } from './identity.errors.js';
import { RevocationList } from './revocation-list.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import type { UserEntity } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import type { AdminUserDto } from './dto/auth.dto.js';

/**
 * What admins do to accounts: change roles, suspend, unsuspend. Each action, its audit entry and the end of
 * the account's sessions commit together; the revocation list is told after the commit, so the account's
 * tokens stop on their next request (a role lives in the token, so a new role needs a new login).
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessionRows: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly revocations: RevocationList,
    private readonly audit: AuditLog,
  ) {}

  async get(username: string): Promise<AdminUserDto> {
    return toAdminUser(await this.find(username));
  }

  async changeRole(actor: AuditActor, username: string, role: Role, reason: string): Promise<AdminUserDto> {
    const user = await this.find(username);
    if (user.id === actor.userId) throw new SelfAdministrationError();
    if (user.role === role) return toAdminUser(user);
    const from = user.role;
    const ended = await this.users.transaction(async (manager) => {
      await manager.query(`UPDATE users SET role = $2, updated_at = now() WHERE id = $1`, [user.id, role]);
      await this.audit.record(
        actor,
        { action: 'user.role-changed', targetType: 'user', targetId: user.id, reason, details: { from, to: role } },
        manager,
      );
      return this.sessionRows.end({ userId: user.id }, 'role-changed', manager);
    });
    await this.sessions.sessionsEnded(ended);
    return toAdminUser({ ...user, role });
  }

  async suspend(actor: AuditActor, username: string, reason: string): Promise<AdminUserDto> {
    const user = await this.find(username);
    if (user.id === actor.userId) throw new SelfAdministrationError();
    const suspendedAt = user.suspendedAt ?? new Date();
    const ended = await this.users.transaction(async (manager) => {
      await manager.query(
        `UPDATE users SET suspended_at = $2, suspension_reason = $3, updated_at = now() WHERE id = $1`,
        [user.id, suspendedAt, reason],
      );
      await this.audit.record(
        actor,
        { action: 'user.suspended', targetType: 'user', targetId: user.id, reason },
        manager,
      );
      return this.sessionRows.end({ userId: user.id }, 'suspended', manager);
    });
    await this.revocations.suspensionChanged(user.id, true);
    await this.sessions.sessionsEnded(ended);
    return toAdminUser({ ...user, suspendedAt, suspensionReason: reason });
  }

  async unsuspend(actor: AuditActor, username: string, reason: string): Promise<AdminUserDto> {
    const user = await this.find(username);
    if (!user.suspendedAt) return toAdminUser(user);
    await this.users.transaction(async (manager) => {
      await manager.query(
        `UPDATE users SET suspended_at = NULL, suspension_reason = NULL, updated_at = now() WHERE id = $1`,
        [user.id],
      );
      await this.audit.record(
        actor,
        { action: 'user.unsuspended', targetType: 'user', targetId: user.id, reason },
        manager,
      );
    });
    await this.revocations.suspensionChanged(user.id, false);
    return toAdminUser({ ...user, suspendedAt: null, suspensionReason: null });
  }

  private async find(username: string): Promise<UserEntity> {
    const user = await this.users.findByUsername(username);
    if (!user) throw new UserNotFoundError();
    return user;
  }
}

function toAdminUser(user: UserEntity): AdminUserDto {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    suspendedAt: user.suspendedAt?.toISOString() ?? null,
    suspensionReason: user.suspensionReason,
    createdAt: user.createdAt.toISOString(),
  };
}
