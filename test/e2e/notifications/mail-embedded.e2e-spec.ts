import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageIdFor } from '../../../src/modules/notifications/index.js';
import { registerUser, userIdOf } from '../../factories/users.js';
import { createTestApp, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { headerValue } from '../../support/smtp.js';
import { waitForCompleted } from './mail-helpers.js';

describe('mail in embedded mode: .eml files, BullMQ on PostgreSQL', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'folio-mail-'));
    ({ drop } = await useOwnJobsEnvironment('mail_pg', { backend: 'postgres' }));
    applyEnvironment({ EMBEDDED_DATA_DIR: dataDir, PUBLIC_URL: 'http://folio.test' }, ['SMTP_URL']);
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('writes the welcome mail to <EMBEDDED_DATA_DIR>/mail as an .eml file', async () => {
    const user = await registerUser(t);
    const jobId = `identity.user-registered.${userIdOf(user)}`;
    await waitForCompleted(t, jobId);
    const mailDir = join(dataDir, 'mail');
    let files: string[] = [];
    await vi.waitFor(async () => {
      files = (await readdir(mailDir)).filter((name) => name.endsWith('.eml'));
      expect(files).toHaveLength(1);
    });
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{3}Z-.+\.eml$/);
    const mail = await simpleParser(await readFile(join(mailDir, files[0]!)));
    expect(mail.messageId).toBe(messageIdFor(jobId, userIdOf(user)));
    expect((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address).toBe(user.email);
    expect(mail.subject).toBe(`Welcome to Folio, ${user.username}`);
    expect(mail.text).toContain('Welcome to Folio!');
    expect(mail.text).toContain('http://folio.test/api/v1/unsubscribe/');
    expect(mail.html).toContain('<strong>Folio</strong>');
    expect(headerValue(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerValue(mail, 'List-Unsubscribe')).toMatch(/^<http:\/\/folio\.test\/api\/v1\/unsubscribe\/[\w.%-]+>$/);
    const [row] = await t.dataSource.query('SELECT kind, recipient_id FROM mail_deliveries WHERE key = $1', [
      `${jobId}:${userIdOf(user)}`,
    ]);
    expect(row).toEqual({ kind: 'welcome', recipient_id: userIdOf(user) });
  });
});
