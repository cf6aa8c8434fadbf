/** A mail ready to leave: rendered bodies and every header Folio sets. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Deterministic (`<job-id@folio>`): a mail sent twice carries the same id, so the two can be told apart. */
  messageId: string;
  headers: Record<string, string>;
}

/**
 * Where mails go: SMTP (SMTP_URL) or .eml files (embedded mode). Resolves once the server accepted the mail
 * (or the file is written); rejects with nodemailer's error otherwise.
 */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail & { from: string }): Promise<void>;
  abstract close(): void;
}
