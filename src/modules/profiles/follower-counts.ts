import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** How many users follow a user (report exports), on `IDX_follows_followee`. */
@Injectable()
export class FollowerCounts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async count(userId: string): Promise<number> {
    const [row] = await this.dataSource.query('SELECT count(*)::int AS n FROM follows WHERE followee_id = $1', [
      userId,
    ]);
    return row.n;
  }
}
