import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Mailer, messageIdFor } from '../../../src/modules/notifications/index.js';
import { createArticle } from '../../factories/articles.js';
import { registerUser, userIdOf } from '../../factories/users.js';
import { createTestApp, listenOnSocket, type TestApp } from '../../setup/test-app.js';
import { applyEnvironment, useOwnJobsEnvironment } from '../../support/jobs.js';
import { byMessageId, headerValue, startSmtpServer, to, type TestSmtpServer } from '../../support/smtp.js';
import { notificationsQueue, unsubscribePath, waitForCompleted } from './mail-helpers.js';

const PUBLIC_URL = 'http://folio.test';

describe('mail notifications over SMTP (BullMQ on Redis)', () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let drop: () => Promise<void>;

  const mailsTo = (email: string) => smtp.messages.filter((message) => to(message).includes(email));
  const waitForMail = async (email: string, subject: string) => {
    await vi.waitFor(() => expect(mailsTo(email).map((m) => m.subject)).toContain(subject), { timeout: 15_000 });
    return mailsTo(email).find((m) => m.subject === subject)!;
  };

  beforeAll(async () => {
    smtp = await startSmtpServer();
    ({ drop } = await useOwnJobsEnvironment('mail_redis', { backend: 'redis' }));
    applyEnvironment({ SMTP_URL: smtp.url, PUBLIC_URL, MAIL_BREAKER_RESET_MS: '500' });
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
    await drop?.();
  });

  it('welcomes a new user, with a working unsubscribe link and RFC 8058 headers', async () => {
    const user = await registerUser(t);
    const mail = await waitForMail(user.email, `Welcome to Folio, ${user.username}`);
    expect(mail.from?.value).toEqual([{ name: 'Folio', address: 'no-reply@folio.local' }]);
    expect(mail.messageId).toBe(messageIdFor(`identity.user-registered.${userIdOf(user)}`, userIdOf(user)));
    expect(mail.text).toContain(`Hi ${user.username},`);
    expect(mail.text).toContain('Welcome to Folio!');
    expect(mail.html).toContain('<strong>Folio</strong>');
    expect(mail.html).toContain('Unsubscribe from all Folio notifications');
    const path = unsubscribePath(mail.text);
    expect(mail.html).toContain(`${PUBLIC_URL}${path}`.replaceAll('=', '&#x3D;'));
    expect(headerValue(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerValue(mail, 'List-Unsubscribe')).toBe(`<${PUBLIC_URL}${path}>`);

    const before = await t.request({ method: 'GET', url: '/api/v1/notifications/preferences', token: user.token });
    expect(before.body).toEqual({ newFollower: true, newComment: true, digest: true });
    const unsubscribed = await t.request({ method: 'GET', url: path });
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.body).toEqual({
      unsubscribed: 'all',
      preferences: { newFollower: false, newComment: false, digest: false },
    });
    const after = await t.request({ method: 'GET', url: '/api/v1/notifications/preferences', token: user.token });
    expect(after.body).toEqual({ newFollower: false, newComment: false, digest: false });

    const forged = await t.request({ method: 'GET', url: `${path.slice(0, -3)}abc` });
    expect(forged.status).toBe(404);
    expect(forged.body.code).toBe('UNSUBSCRIBE_LINK_NOT_FOUND');
    const missing = await t.request({ method: 'GET', url: '/api/v1/unsubscribe' });
    expect(missing.status).toBe(404);
  });

  it("honours a mail client's RFC 8058 one-click unsubscribe, posted as a form over a real socket", async () => {
    const send = await listenOnSocket(t);
    const user = await registerUser(t);
    const mail = await waitForMail(user.email, `Welcome to Folio, ${user.username}`);
    const unsubscribed = await send({
      method: 'POST',
      url: unsubscribePath(mail.text),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.status).toBe(200);
    expect(unsubscribed.body.preferences).toEqual({ newFollower: false, newComment: false, digest: false });
    // Any other form body is still refused: the exception is the RFC's fixed body only.
    const other = await send({
      method: 'POST',
      url: unsubscribePath(mail.text),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'token=x',
    });
    expect(other.status).toBe(415);
  });

  it('tells a user about a new follower, once', async () => {
    const [followee, follower] = await Promise.all([registerUser(t), registerUser(t)]);
    const follow = await t.request({
      method: 'POST',
      url: `/api/profiles/${follower.username}/follow`,
      token: followee.token,
    });
    expect(follow.status).toBe(200);
    await t.request({ method: 'POST', url: `/api/profiles/${followee.username}/follow`, token: follower.token });
    const mail = await waitForMail(followee.email, `${follower.username} now follows you on Folio`);
    expect(mail.text).toContain(
      `${follower.username} now follows you on Folio: ${PUBLIC_URL}/profile/${follower.username}`,
    );
    expect(mail.html).toContain(`<a href="${PUBLIC_URL}/profile/${follower.username}">${follower.username}</a>`);
    expect(mail.text).toContain('Unsubscribe from these mails');
    // A second follow of the same pair publishes nothing new.
    await t.request({ method: 'POST', url: `/api/profiles/${followee.username}/follow`, token: follower.token });
    await sleep(500);
    expect(mailsTo(followee.email).filter((m) => m.subject === mail.subject)).toHaveLength(1);
  });

  it("mails an article's author about a comment, but not about their own comment", async () => {
    const [author, reader] = await Promise.all([registerUser(t), registerUser(t)]);
    const article = await createArticle(t, author.token);
    const own = await t.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token: author.token,
      body: { comment: { body: 'a note to myself' } },
    });
    expect(own.status).toBe(200);
    await waitForCompleted(t, `comments.comment-added.${own.body.comment.id}`);

    const comment = await t.request({
      method: 'POST',
      url: `/api/articles/${article.slug}/comments`,
      token: reader.token,
      body: { comment: { body: 'Great read' } },
    });
    expect(comment.status).toBe(200);
    const mail = await waitForMail(author.email, `New comment on "${article.title}"`);
    expect(mail.text).toContain(`${reader.username} commented on your article "${article.title}"`);
    expect(mail.text).toContain(`${PUBLIC_URL}/article/${article.slug}`);
    expect(mail.html).toContain(`<a href="${PUBLIC_URL}/article/${article.slug}">`);
    expect(mailsTo(author.email).filter((m) => m.subject?.startsWith('New comment'))).toHaveLength(1);
    expect(mailsTo(reader.email).filter((m) => m.subject?.startsWith('New comment'))).toHaveLength(0);
  });

  it('reads and changes preferences: authenticated, booleans only, known kinds only', async () => {
    const user = await registerUser(t);
    const url = '/api/v1/notifications/preferences';
    expect((await t.request({ method: 'GET', url })).status).toBe(401);
    expect((await t.request({ method: 'PUT', url, body: { digest: false } })).status).toBe(401);
    const changed = await t.request({ method: 'PUT', url, token: user.token, body: { newFollower: false } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ newFollower: false, newComment: true, digest: true });
    const again = await t.request({ method: 'PUT', url, token: user.token, body: { digest: false } });
    expect(again.body).toEqual({ newFollower: false, newComment: true, digest: false });

    const unknown = await t.request({ method: 'PUT', url, token: user.token, body: { weeklyNews: false } });
    expect(unknown.status).toBe(422);
    const notBoolean = await t.request({ method: 'PUT', url, token: user.token, body: { newComment: 'no' } });
    expect(notBoolean.status).toBe(422);
    const read = await t.request({ method: 'GET', url, token: user.token });
    expect(read.body).toEqual({ newFollower: false, newComment: true, digest: false });
  });

  it('sends no mail of a kind the user turned off', async () => {
    const [quiet, follower] = await Promise.all([registerUser(t), registerUser(t)]);
    await waitForMail(quiet.email, `Welcome to Folio, ${quiet.username}`);
    await t.request({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      token: quiet.token,
      body: { newFollower: false },
    });
    await t.request({ method: 'POST', url: `/api/profiles/${quiet.username}/follow`, token: follower.token });
    await waitForCompleted(t, `profiles.user-followed.${userIdOf(follower)}.${userIdOf(quiet)}`);
    expect(mailsTo(quiet.email).map((m) => m.subject)).toEqual([`Welcome to Folio, ${quiet.username}`]);
  });

  it("sends a daily digest of the followed authors' new articles, once per user and day", async () => {
    const [author, reader, optedOut] = await Promise.all([registerUser(t), registerUser(t), registerUser(t)]);
    const first = await createArticle(t, author.token);
    const second = await createArticle(t, author.token);
    for (const user of [reader, optedOut]) {
      await t.request({ method: 'POST', url: `/api/profiles/${author.username}/follow`, token: user.token });
    }
    await t.request({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      token: optedOut.token,
      body: { digest: false },
    });

    const timestamp = Date.now();
    const day = new Date(timestamp).toISOString().slice(0, 10);
    await notificationsQueue(t).add('daily-digest', { payload: {} }, {
      jobId: `test-digest-${timestamp}`,
      timestamp,
    } as never);
    const mail = await waitForMail(reader.email, 'Your Folio digest: 2 new articles');
    expect(mail.text).toContain(`- ${first.title}: ${PUBLIC_URL}/article/${first.slug}`);
    expect(mail.text).toContain(`- ${second.title}: ${PUBLIC_URL}/article/${second.slug}`);
    expect(mail.html).toContain(`<a href="${PUBLIC_URL}/article/${second.slug}">`);
    expect(mail.messageId).toBe(messageIdFor(`digest.${day}.${userIdOf(reader)}`, userIdOf(reader)));

    // A second run the same day adds the same per-user job ids: no second digest.
    await notificationsQueue(t).add('daily-digest', { payload: {} }, { jobId: `test-digest-${timestamp}-again` });
    await waitForCompleted(t, `test-digest-${timestamp}-again`);
    await waitForCompleted(t, `digest.${day}.${userIdOf(optedOut)}`);
    await sleep(300);
    expect(mailsTo(reader.email).filter((m) => m.subject?.startsWith('Your Folio digest'))).toHaveLength(1);
    expect(mailsTo(optedOut.email).filter((m) => m.subject?.startsWith('Your Folio digest'))).toHaveLength(0);
  });

  it('keeps mail jobs delayed while SMTP is down (breaker open) and delivers once it is back', async () => {
    const mailer = t.app.get(Mailer, { strict: false });
    await smtp.stop();
    const user = await registerUser(t);
    const jobId = `identity.user-registered.${userIdOf(user)}`;
    await vi.waitFor(() => expect(mailer.breakerState()).toBe('open'), { timeout: 15_000, interval: 20 });
    await vi.waitFor(
      async () => expect(await (await notificationsQueue(t).getJob(jobId))?.getState()).toBe('delayed'),
      {
        timeout: 10_000,
        interval: 50,
      },
    );
    await sleep(1_500);
    const job = await notificationsQueue(t).getJob(jobId);
    expect(await job?.getState()).not.toBe('failed');
    expect(job?.attemptsMade).toBe(0);
    expect(await notificationsQueue(t).getFailedCount()).toBe(0);
    expect(mailsTo(user.email)).toHaveLength(0);

    await smtp.start();
    await waitForCompleted(t, jobId);
    await sleep(500);
    expect(byMessageId(smtp, messageIdFor(jobId, userIdOf(user)))).toHaveLength(1);
    expect(mailer.breakerState()).toBe('closed');
  });
});
