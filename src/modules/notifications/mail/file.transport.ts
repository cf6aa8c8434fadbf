import { Logger } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import { MailTransport, type OutgoingMail } from './mail-transport.js';

/**
 * Embedded mode (no SMTP_URL): each mail becomes `<dir>/<iso-time>-<message-id>.eml`, readable by any mail client,
 * and its path is logged. Written to a temporary name first, so a reader never sees half a file.
 */
export class FileTransport extends MailTransport {
  private readonly logger = new Logger('Mail');
  private readonly builder: Transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    super();
  }

  async send(mail: OutgoingMail & { from: string }): Promise<void> {
    const info = (await this.builder.sendMail(mail)) as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${mail.messageId.replace(/[^\w.@-]/g, '')}.eml`;
    const path = join(this.dir, name);
    await writeFile(`${path}.tmp`, info.message);
    await rename(`${path}.tmp`, path);
    this.logger.log(`mail "${mail.subject}" to ${mail.to} written to ${path}`);
  }

  close(): void {}
}
