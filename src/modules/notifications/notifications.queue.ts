import { defineQueue } from '../../core/jobs/queue-definition.js';
import { COMMENT_ADDED } from '../comments/index.js';
import { EMAIL_CHANGE_REQUESTED, PASSWORD_RESET_REQUESTED, USER_REGISTERED } from '../identity/index.js';
import { USER_FOLLOWED } from '../profiles/index.js';

/** The notifications module's one queue: its jobs, and the integration events that start them. */
export const NOTIFICATIONS_QUEUE = defineQueue({
  name: 'notifications',
  // daily-digest (scheduled) fans out one user-digest job per recipient, id `digest.<day>.<user id>`.
  jobs: ['welcome', 'new-follower', 'new-comment', 'daily-digest', 'user-digest', 'password-reset', 'email-change'],
  subscriptions: {
    [USER_REGISTERED]: 'welcome',
    [USER_FOLLOWED]: 'new-follower',
    [COMMENT_ADDED]: 'new-comment',
    [PASSWORD_RESET_REQUESTED]: 'password-reset',
    [EMAIL_CHANGE_REQUESTED]: 'email-change',
  },
});

export type NotificationJobName = (typeof NOTIFICATIONS_QUEUE.jobs)[number];

export interface UserDigestPayload {
  userId: string;
  /** ISO time: articles published since then. */
  since: string;
}
