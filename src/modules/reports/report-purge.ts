import { Injectable, Logger } from '@nestjs/common';
import { FileStorage } from '../../core/storage/file-storage.js';
import { ReportsRepository } from './reports.repository.js';

const BATCH = 500;

/**
 * The `purge-expired` job's use case: removes the files of ready reports past `expires_at` and marks them
 * `expired`. The file goes first: a crash in between leaves a ready row without a file, which the next run
 * finishes (removing a missing file is not an error), never a file nobody will remove.
 */
@Injectable()
export class ReportPurge {
  private readonly logger = new Logger('ReportPurge');

  constructor(
    private readonly reports: ReportsRepository,
    private readonly storage: FileStorage,
  ) {}

  async purgeExpired(): Promise<number> {
    let purged = 0;
    for (;;) {
      const due = await this.reports.dueForPurge(BATCH);
      for (const report of due) {
        if (report.fileKey) await this.storage.remove(report.fileKey);
        await this.reports.markExpired(report.id);
      }
      purged += due.length;
      if (due.length < BATCH) break;
    }
    if (purged > 0) this.logger.log(`purged ${purged} expired reports`);
    return purged;
  }
}
