import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Reads of the follow graph for background work (digests), on the primary. */
@Injectable()
export class FollowerQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One keyset page of the distinct users following any of `followeeIds`, by user id, strictly after `after`:
   * a batch job walks every follower without an offset that would grow with the page number.
   */
  async followersOf(followeeIds: string[], after: string | undefined, limit: number): Promise<string[]> {
    if (followeeIds.length === 0) return [];
    const rows: Array<{ follower_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT follower_id FROM follows
        WHERE followee_id = ANY($1) AND ($2::uuid IS NULL OR follower_id > $2::uuid)
        ORDER BY follower_id LIMIT $3`,
      [followeeIds, after ?? null, limit],
    );
    return rows.map((row) => row.follower_id);
  }
}
