/** The mails a user may turn off (the welcome mail is always sent), as the API and unsubscribe links name them. */
export const OPTIONAL_MAIL_KINDS = ['newFollower', 'newComment', 'digest'] as const;
export type OptionalMailKind = (typeof OPTIONAL_MAIL_KINDS)[number];

/** What an unsubscribe link turns off: one kind, or every optional kind (the welcome mail's link). */
export type UnsubscribeScope = OptionalMailKind | 'all';

export type MailPreferences = Record<OptionalMailKind, boolean>;

export const DEFAULT_PREFERENCES: MailPreferences = { newFollower: true, newComment: true, digest: true };
