import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ArticleSummaries } from '../../articles/index.js';
import { FollowerQueries } from '../../profiles/index.js';
import { NOTIFICATIONS_QUEUE, type UserDigestPayload } from '../notifications.queue.js';

const BATCH_SIZE = 500;
const DAY_MS = 24 * 3600 * 1000;

/**
 * The scheduled `daily-digest` job: finds everyone who follows an author who published in the 24 h before the
 * run, by keyset batches of follower ids, and adds one `user-digest` job each with id `digest.<day>.<user id>`.
 * A run that is retried or repeated the same day adds the same ids, which BullMQ ignores, so each user gets
 * at most one digest a day.
 */
@Injectable()
export class DigestFanOut {
  constructor(
    private readonly articles: ArticleSummaries,
    private readonly followers: FollowerQueries,
    @InjectQueue(NOTIFICATIONS_QUEUE.name) private readonly queue: Queue,
  ) {}

  /** `runAt`: the run's own time (the job's timestamp), not now: a late or retried run covers the same day. */
  async fanOut(runAt: Date): Promise<number> {
    const since = new Date(runAt.getTime() - DAY_MS);
    const day = runAt.toISOString().slice(0, 10);
    const authors = await this.articles.authorsWithArticlesSince(since);
    let after: string | undefined;
    let total = 0;
    for (;;) {
      const batch = await this.followers.followersOf(authors, after, BATCH_SIZE);
      if (batch.length === 0) return total;
      await this.queue.addBulk(
        batch.map((userId) => ({
          name: 'user-digest',
          data: { payload: { userId, since: since.toISOString() } satisfies UserDigestPayload },
          opts: { jobId: `digest.${day}.${userId}` },
        })),
      );
      total += batch.length;
      after = batch.at(-1);
    }
  }
}
