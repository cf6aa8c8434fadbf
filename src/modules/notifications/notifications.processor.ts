import { Logger } from '@nestjs/common';
import { DelayedError } from 'bullmq';
import type { JobOf } from '../../core/jobs/job-processor.js';
import { JobProcessor } from '../../core/jobs/job-processor.js';
import { QueueProcessor } from '../../core/jobs/queue-processor.decorator.js';
import type { CommentAddedPayload } from '../comments/index.js';
import type {
  EmailChangeRequestedPayload,
  PasswordResetRequestedPayload,
  UserRegisteredPayload,
} from '../identity/index.js';
import type { UserFollowedPayload } from '../profiles/index.js';
import { DigestFanOut } from './mail/digest-fan-out.js';
import { DigestMails } from './mail/digest-mails.js';
import { MailServerUnavailableError } from './mail/mailer.js';
import { NotificationMails } from './mail/notification-mails.js';
import { NOTIFICATIONS_QUEUE, type NotificationJobName, type UserDigestPayload } from './notifications.queue.js';

/**
 * The notifications queue. Handlers only unpack the job and call a use case; what they share is the outage
 * rule: while the mail server is unreachable (or its breaker open), the job goes back to delayed without
 * spending an attempt, so an SMTP outage of any length loses no mail and fills no dead-letter list.
 */
@QueueProcessor(NOTIFICATIONS_QUEUE)
export class NotificationsProcessor extends JobProcessor<NotificationJobName> {
  private readonly logger = new Logger('NotificationsProcessor');
  readonly queue = NOTIFICATIONS_QUEUE;

  constructor(
    private readonly mails: NotificationMails,
    private readonly digests: DigestMails,
    private readonly fanOut: DigestFanOut,
  ) {
    super();
  }

  protected readonly handlers = {
    welcome: (job: JobOf<UserRegisteredPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () => this.mails.welcome(jobId(job), job.data.payload)),
    'new-follower': (job: JobOf<UserFollowedPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () => this.mails.newFollower(jobId(job), job.data.payload)),
    'new-comment': (job: JobOf<CommentAddedPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () => this.mails.newComment(jobId(job), job.data.payload)),
    'password-reset': (job: JobOf<PasswordResetRequestedPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () => this.mails.passwordReset(jobId(job), job.data.payload)),
    'email-change': (job: JobOf<EmailChangeRequestedPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () => this.mails.emailChange(jobId(job), job.data.payload)),
    'daily-digest': async (job: JobOf) => ({ queued: await this.fanOut.fanOut(new Date(job.timestamp)) }),
    'user-digest': (job: JobOf<UserDigestPayload>, token?: string) =>
      this.parkWhileMailDown(job, token, () =>
        this.digests.send(jobId(job), job.data.payload.userId, new Date(job.data.payload.since)),
      ),
  };

  private async parkWhileMailDown(job: JobOf, token: string | undefined, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof MailServerUnavailableError) || !token) throw error;
      this.logger.warn(`job ${job.name} ${job.id} waits ${error.retryInMs} ms: ${error.message}`);
      await job.moveToDelayed(Date.now() + error.retryInMs, token);
      throw new DelayedError();
    }
  }
}

function jobId(job: JobOf): string {
  return String(job.id);
}
