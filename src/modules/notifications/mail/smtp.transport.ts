import { createTransport, type Transporter } from 'nodemailer';
import { MailTransport, type OutgoingMail } from './mail-transport.js';

/** SMTP through nodemailer. Pooled connections are not used: a send is one connection, easy to reason about on failure. */
export class SmtpTransport extends MailTransport {
  private readonly transporter: Transporter;

  constructor(url: string) {
    super();
    this.transporter = createTransport(url, { connectionTimeout: 5_000, greetingTimeout: 5_000 } as never);
  }

  async send(mail: OutgoingMail & { from: string }): Promise<void> {
    await this.transporter.sendMail(mail);
  }

  close(): void {
    this.transporter.close();
  }
}
