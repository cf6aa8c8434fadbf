import { Inject, Injectable } from '@nestjs/common';
import { mailConfig, type MailConfig } from '../../../core/config/app.config.js';
import { ArticleSummaries } from '../../articles/index.js';
import { IdentityService } from '../../identity/index.js';
import { ProfilesService } from '../../profiles/index.js';
import { NotificationPreferences } from '../preferences/preferences.service.js';
import { MailDeliveries } from './mail-deliveries.js';

const MAX_ARTICLES = 20;

/** One user's daily digest (the `user-digest` job): the newest articles of the authors they follow. */
@Injectable()
export class DigestMails {
  constructor(
    private readonly identity: IdentityService,
    private readonly profiles: ProfilesService,
    private readonly articles: ArticleSummaries,
    private readonly preferences: NotificationPreferences,
    private readonly deliveries: MailDeliveries,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  /** Sends nothing when the user turned the digest off or their authors published nothing since `since`. */
  async send(jobId: string, userId: string, since: Date): Promise<void> {
    if (!(await this.preferences.get(userId)).digest) return;
    const authors = await this.profiles.followedUserIds(userId);
    const articles = await this.articles.newByAuthorsSince(authors, since, MAX_ARTICLES);
    const [user] = await this.identity.findContacts([userId]);
    if (!user || articles.length === 0) return;
    await this.deliveries.deliver({
      jobId,
      template: 'digest',
      recipient: user,
      unsubscribe: 'digest',
      context: {
        single: articles.length === 1,
        articles: articles.map((article) => ({
          title: article.title,
          url: `${this.config.publicUrl}/article/${encodeURIComponent(article.slug)}`,
        })),
      },
    });
  }
}
