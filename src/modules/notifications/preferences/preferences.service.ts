import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DEFAULT_PREFERENCES, OPTIONAL_MAIL_KINDS, type MailPreferences, type UnsubscribeScope } from './mail-kinds.js';
import { NotificationPreferenceEntity } from './notification-preference.entity.js';

/** Reads and changes users' mail choices; a user without a row has every kind on. */
@Injectable()
export class NotificationPreferences {
  constructor(
    @InjectRepository(NotificationPreferenceEntity)
    private readonly preferences: Repository<NotificationPreferenceEntity>,
  ) {}

  async get(userId: string): Promise<MailPreferences> {
    const row = await this.preferences.findOneBy({ userId });
    return row ? pick(row) : { ...DEFAULT_PREFERENCES };
  }

  /** Fields left out keep their value. One upsert: two concurrent changes cannot lose each other's other fields. */
  async update(userId: string, changes: Partial<MailPreferences>): Promise<MailPreferences> {
    const set = OPTIONAL_MAIL_KINDS.filter((kind) => changes[kind] !== undefined);
    if (set.length > 0) {
      const values = { ...DEFAULT_PREFERENCES, ...changes, userId };
      await this.preferences
        .createQueryBuilder()
        .insert()
        .values(values)
        .orUpdate([...set.map(column), 'updated_at'], ['user_id'])
        .execute();
    }
    return this.get(userId);
  }

  unsubscribe(userId: string, scope: UnsubscribeScope): Promise<MailPreferences> {
    const kinds = scope === 'all' ? OPTIONAL_MAIL_KINDS : [scope];
    return this.update(userId, Object.fromEntries(kinds.map((kind) => [kind, false])));
  }
}

function pick(row: NotificationPreferenceEntity): MailPreferences {
  return { newFollower: row.newFollower, newComment: row.newComment, digest: row.digest };
}

function column(kind: keyof MailPreferences): string {
  return kind.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
