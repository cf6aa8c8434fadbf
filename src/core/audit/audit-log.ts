import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** What a privileged action did. */
export interface AuditEntry {
  /** Dotted, past tense: `user.suspended`, `user.role-changed`, `article.hidden`, `abuse-report.resolved`. */
  action: string;
  /** `user`, `article`, `comment`, `abuse-report`, `job`, `feature-flag`, … */
  targetType: string;
  targetId: string;
  reason?: string | null;
  /** Action-specific facts, e.g. `{ from: 'user', to: 'moderator' }`. */
  details?: Record<string, unknown>;
}

/** Who did it, and in which request (`x-request-id`): see `@Actor()`. */
export interface AuditActor {
  userId: string;
  requestId: string;
}

/**
 * The audit trail of privileged actions (table `audit_log`, append-only in the database). Record an action in
 * the transaction that performs it: the entry then commits or rolls back with the action, so the log never
 * names an action that did not happen, nor misses one that did.
 */
@Injectable()
export class AuditLog {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Appends one entry; given the transaction's manager, the entry commits or rolls back with the action. */
  async record(actor: AuditActor, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, action, target_type, target_id, reason, details, request_id)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
      [
        actor.userId,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.reason ?? null,
        JSON.stringify(entry.details ?? {}),
        actor.requestId,
      ],
    );
  }
}
