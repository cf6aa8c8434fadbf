import { Inject, Injectable } from '@nestjs/common';
import { mailConfig, type MailConfig } from '../../../core/config/app.config.js';
import type { CommentAddedPayload } from '../../comments/index.js';
import {
  IdentityService,
  type EmailChangeRequestedPayload,
  type PasswordResetRequestedPayload,
  type UserContact,
  type UserRegisteredPayload,
} from '../../identity/index.js';
import { ArticleSummaries } from '../../articles/index.js';
import type { UserFollowedPayload } from '../../profiles/index.js';
import { InAppNotifications } from '../in-app/in-app-notifications.service.js';
import { NotificationPreferences } from '../preferences/preferences.service.js';
import { MailDeliveries } from './mail-deliveries.js';

/**
 * The mail use cases, one per job. Each is idempotent (MailDeliveries sends once per job and recipient, and
 * in-app notifications are recorded once per key), so a job that runs twice notifies once. Optional kinds are
 * checked against the recipient's preferences at send time; the welcome mail is always sent.
 */
@Injectable()
export class NotificationMails {
  constructor(
    private readonly identity: IdentityService,
    private readonly articles: ArticleSummaries,
    private readonly preferences: NotificationPreferences,
    private readonly deliveries: MailDeliveries,
    private readonly inApp: InAppNotifications,
    @Inject(mailConfig.KEY) private readonly config: MailConfig,
  ) {}

  async welcome(jobId: string, { userId }: UserRegisteredPayload): Promise<void> {
    const [user] = await this.identity.findContacts([userId]);
    if (!user) return; // the account is gone: nobody to welcome
    await this.deliveries.deliver({ jobId, template: 'welcome', recipient: user, unsubscribe: 'all', context: {} });
  }

  async newFollower(jobId: string, { followerId, followeeId }: UserFollowedPayload): Promise<void> {
    const contacts = await this.contacts([followerId, followeeId]);
    const follower = contacts.get(followerId);
    const followee = contacts.get(followeeId);
    if (!follower || !followee) return;
    // In-app first: it never waits for the mail server (a job parked while SMTP is down has recorded it already).
    await this.inApp.record({
      userId: followeeId,
      kind: 'new-follower',
      key: jobId,
      data: { follower: { username: follower.username } },
    });
    if ((await this.preferences.get(followeeId)).newFollower) {
      await this.deliveries.deliver({
        jobId,
        template: 'new-follower',
        recipient: followee,
        unsubscribe: 'newFollower',
        context: { follower: { username: follower.username, url: this.link(`profile/${follower.username}`) } },
      });
    }
  }

  async newComment(jobId: string, { commentId, articleId, commenterId }: CommentAddedPayload): Promise<void> {
    const [article] = await this.articles.findSummaries([articleId]);
    // A deleted article has no one to tell; an author commenting on their own article needs no news of it.
    if (!article || article.authorId === commenterId) return;
    const contacts = await this.contacts([article.authorId, commenterId]);
    const author = contacts.get(article.authorId);
    const commenter = contacts.get(commenterId);
    if (!author || !commenter) return;
    await this.inApp.record({
      userId: author.id,
      kind: 'new-comment',
      key: jobId,
      data: {
        article: { slug: article.slug, title: article.title },
        comment: { id: commentId, author: { username: commenter.username } },
      },
    });
    if ((await this.preferences.get(author.id)).newComment) {
      await this.deliveries.deliver({
        jobId,
        template: 'new-comment',
        recipient: author,
        unsubscribe: 'newComment',
        context: {
          commenter: { username: commenter.username },
          article: { title: article.title, url: this.link(`article/${article.slug}`) },
        },
      });
    }
  }

  /**
   * The reset link, to the account's own address, when there is an account (nothing otherwise: the request's
   * answer did not say either way). Sent whatever the preferences: it is not a notification.
   */
  async passwordReset(jobId: string, { email }: PasswordResetRequestedPayload): Promise<void> {
    if (await this.deliveries.sent(jobId)) return; // a retry after the send must not mint a second link
    const issued = await this.identity.issuePasswordReset(email);
    if (!issued) return;
    await this.deliveries.deliver({
      jobId,
      template: 'password-reset',
      recipient: issued.recipient,
      unsubscribe: null,
      context: {
        token: issued.token,
        resetUrl: `${this.config.publicUrl}/reset-password?token=${encodeURIComponent(issued.token)}`,
        validFor: this.config.passwordResetTtl,
      },
    });
  }

  /** The confirmation link, to the NEW address (proving it is the user's). */
  async emailChange(jobId: string, { userId, newEmail, sessionId }: EmailChangeRequestedPayload): Promise<void> {
    if (await this.deliveries.sent(jobId)) return;
    const issued = await this.identity.issueEmailChange(userId, newEmail, sessionId);
    if (!issued) return;
    await this.deliveries.deliver({
      jobId,
      template: 'email-change',
      recipient: issued.recipient,
      unsubscribe: null,
      context: {
        token: issued.token,
        confirmUrl: `${this.config.publicUrl}/confirm-email?token=${encodeURIComponent(issued.token)}`,
        validFor: this.config.emailChangeTtl,
      },
    });
  }

  private async contacts(ids: string[]): Promise<Map<string, UserContact>> {
    return new Map((await this.identity.findContacts(ids)).map((contact) => [contact.id, contact]));
  }

  private link(path: string): string {
    return `${this.config.publicUrl}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }
}
