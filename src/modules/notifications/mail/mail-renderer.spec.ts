import { describe, expect, it } from 'vitest';
import { MailRenderer } from './mail-renderer.js';

const footer = {
  publicUrl: 'https://folio.example',
  unsubscribeUrl: 'https://folio.example/u?token=t',
  unsubscribeText: 'Unsubscribe',
};

describe('MailRenderer', () => {
  const renderer = new MailRenderer();

  it('renders subject, text and HTML with the unsubscribe footer', () => {
    const mail = renderer.render('welcome', { ...footer, user: { username: 'ada' } });
    expect(mail.subject).toBe('Welcome to Folio, ada');
    expect(mail.text).toContain('Hi ada,');
    expect(mail.text).toContain('Unsubscribe: https://folio.example/u?token=t');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain('<title>Welcome to Folio, ada</title>');
    expect(mail.html).toContain('<a href="https://folio.example/u?token&#x3D;t">Unsubscribe</a>');
  });

  it('escapes user content in HTML and leaves the text body verbatim', () => {
    const mail = renderer.render('new-comment', {
      ...footer,
      user: { username: 'ada' },
      commenter: { username: 'bob' },
      article: { title: '<script>x</script> & more', url: 'https://folio.example/article/x' },
    });
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt; &amp; more');
    expect(mail.html).not.toContain('<script>');
    expect(mail.text).toContain('"<script>x</script> & more"');
    expect(mail.subject).toBe('New comment on "<script>x</script> & more"');
  });

  it('pluralises the digest subject and lists every article', () => {
    const articles = [
      { title: 'One', url: 'https://folio.example/article/one' },
      { title: 'Two', url: 'https://folio.example/article/two' },
    ];
    const many = renderer.render('digest', { ...footer, user: { username: 'ada' }, articles, single: false });
    expect(many.subject).toBe('Your Folio digest: 2 new articles');
    expect(many.text).toContain('- One: https://folio.example/article/one\n- Two: https://folio.example/article/two');
    const one = renderer.render('digest', {
      ...footer,
      user: { username: 'ada' },
      articles: articles.slice(0, 1),
      single: true,
    });
    expect(one.subject).toBe('Your Folio digest: 1 new article');
  });
});
