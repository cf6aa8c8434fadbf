import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, Repository } from 'typeorm';
import { FollowEntity } from './follow.entity.js';

@Injectable()
export class FollowsRepository {
  constructor(@InjectRepository(FollowEntity) private readonly follows: Repository<FollowEntity>) {}

  /** Idempotent: following twice leaves one row. */
  async follow(followerId: string, followeeId: string): Promise<void> {
    await this.follows.createQueryBuilder().insert().values({ followerId, followeeId }).orIgnore().execute();
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.follows.delete({ followerId, followeeId });
  }

  /** Which of `followeeIds` the follower follows, in one query. */
  async followedAmong(followerId: string, followeeIds: string[]): Promise<Set<string>> {
    if (followeeIds.length === 0) return new Set();
    const rows = await this.follows.find({
      select: { followeeId: true },
      where: { followerId, followeeId: Raw((column) => `${column} = ANY(:ids)`, { ids: followeeIds }) },
    });
    return new Set(rows.map((row) => row.followeeId));
  }

  async followeeIds(followerId: string): Promise<string[]> {
    const rows = await this.follows.find({ select: { followeeId: true }, where: { followerId } });
    return rows.map((row) => row.followeeId);
  }
}
