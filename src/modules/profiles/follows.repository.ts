import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, type EntityManager } from 'typeorm';
import { ReadDatabase } from '../../core/database/read-database.js';
import { FollowEntity } from './follow.entity.js';

@Injectable()
export class FollowsRepository {
  constructor(
    @InjectRepository(FollowEntity) private readonly follows: Repository<FollowEntity>,
    private readonly reads: ReadDatabase,
  ) {}

  /**
   * Idempotent: following twice leaves one row. True when this call made the row. In `manager`'s transaction, so
   * the follow and its outbox message commit together.
   */
  async follow(manager: EntityManager, followerId: string, followeeId: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(FollowEntity)
      .values({ followerId, followeeId })
      .orIgnore()
      .returning(['followerId'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.follows.manager.transaction(work);
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.follows.delete({ followerId, followeeId });
  }

  /**
   * Which of `followeeIds` the follower follows, in one query. Profiles and lists read it through
   * ReadDatabase (a replica, or the primary right after the caller's own follow or unfollow).
   */
  async followedAmong(followerId: string, followeeIds: string[]): Promise<Set<string>> {
    if (followeeIds.length === 0) return new Set();
    const rows = await this.reads.query<{ followee_id: string }>(
      'SELECT followee_id FROM follows WHERE follower_id = $1 AND followee_id = ANY($2)',
      [followerId, followeeIds],
    );
    return new Set(rows.map((row) => row.followee_id));
  }

  /** The feed's authors: replica-eligible like the feed itself. */
  async followeeIds(followerId: string): Promise<string[]> {
    const rows = await this.reads.query<{ followee_id: string }>(
      'SELECT followee_id FROM follows WHERE follower_id = $1',
      [followerId],
    );
    return rows.map((row) => row.followee_id);
  }
}
