import { createTransport, type Transporter } from 'nodemailer';
import { MailTransport, type OutgoingMail } from './mail-transport.js';

/** SMTP through nodemailer. Pooled connections are not used: a send is one connection, easy to reason about on failure. */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    super();
    // In the options, not the second argument (that one is the messages' default fields): an unreachable server
    // fails a send in seconds, which the breaker counts, instead of nodemailer's 2-minute default.
    this.transporter = createTransport({ url, connectionTimeout: 5_000, greetingTimeout: 5_000 });
  }

  async send(mail: OutgoingMail & { from: string }): Promise<void> {
    await this.transporter.sendMail(mail);
  }

  close(): void {
    this.transporter.close();
  }
}
