import { createTransport, type Transporter } from 'nodemailer';
import { MailTransport, type OutgoingMail } from './mail-transport.js';

const SOCKET_TIMEOUT_MS = 60_000;

/** The server answered, and refused (or did not accept) the mail: retried as a failure, not as an outage. */
export class MailRefusedError extends Error {
  override readonly name = 'MailRefusedError';
}

function addressOf(entry: unknown): string {
  const address = typeof entry === 'string' ? entry : (entry as { address?: unknown } | null)?.address;
  return typeof address === 'string' ? address.toLowerCase() : '';
}

/** SMTP through nodemailer. Pooled connections are not used: a send is one connection, easy to reason about on failure. */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    super();
    // In the options, not the second argument (that one is the messages' default fields): an unreachable server
    // fails a send in seconds, which the breaker counts, instead of nodemailer's 2-minute default.
    // A server that stops answering mid-conversation (after the greeting) is cut after SOCKET_TIMEOUT_MS too.
    this.transporter = createTransport({
      url,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
  }

  /**
   * The server's answer is checked, not trusted: the mail counts as sent only when the server said it accepted
   * this recipient. nodemailer already fails on a refused envelope or a malformed reply; an answer that accepts
   * the message without naming the recipient is a refusal too.
   */
  async send(mail: OutgoingMail & { from: string }): Promise<void> {
    const info = (await this.transporter.sendMail(mail)) as { accepted?: unknown; response?: unknown };
    const accepted = Array.isArray(info.accepted) ? info.accepted.map(addressOf) : [];
    if (!accepted.includes(mail.to.toLowerCase())) {
      throw new MailRefusedError(`the mail server did not accept ${mail.to}: ${String(info.response).slice(0, 200)}`);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
