import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * The port for reads that may be served by a read replica (lists, feeds, profiles). Modules run such
 * reads through `query` instead of their DataSource; writes, and reads inside a transaction, never do.
 */
@Injectable()
export class ReadDatabase {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.dataSource.query(sql, params);
  }
}
