import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type MailTemplate = 'welcome' | 'new-follower' | 'new-comment' | 'digest' | 'password-reset' | 'email-change';

/** Subjects are templates too, short enough to live here; bodies are files under `templates/`. */
const SUBJECTS: Record<MailTemplate, string> = {
  welcome: 'Welcome to Folio, {{user.username}}',
  'new-follower': '{{follower.username}} now follows you on Folio',
  'new-comment': 'New comment on "{{article.title}}"',
  digest: 'Your Folio digest: {{articles.length}} new article{{#unless single}}s{{/unless}}',
  'password-reset': 'Reset your Folio password',
  'email-change': 'Confirm your new email address for Folio',
};

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Compiled = (context: object) => string;

/**
 * Renders each mail as plain text and HTML with Handlebars (HTML-escaped by default; the text bodies are
 * compiled with `noEscape`). Templates are read once, at construction: `templates/` sits next to this folder
 * in src/ and in dist/ (the build copies it).
 */
@Injectable()
export class MailRenderer {
  private readonly text = Handlebars.create();
  private readonly html = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();

  constructor() {
    const dir = new URL('../templates/', import.meta.url);
    const read = (name: string) => readFileSync(fileURLToPath(new URL(name, dir)), 'utf8');
    this.text.registerPartial('footer.text', read('footer.text.hbs'));
    this.html.registerPartial('footer.html', read('footer.html.hbs'));
    this.compiled.set('layout.html', this.html.compile(read('layout.html.hbs')));
    for (const name of Object.keys(SUBJECTS) as MailTemplate[]) {
      this.compiled.set(`${name}.text`, this.text.compile(read(`${name}.text.hbs`), { noEscape: true }));
      this.compiled.set(`${name}.html`, this.html.compile(read(`${name}.html.hbs`)));
      this.compiled.set(`${name}.subject`, this.text.compile(SUBJECTS[name], { noEscape: true }));
    }
  }

  /** `context` must carry `publicUrl`, and `unsubscribeUrl` with `unsubscribeText` unless the mail is transactional. */
  render(template: MailTemplate, context: Record<string, unknown>): RenderedMail {
    const get = (key: string) => this.compiled.get(key)!;
    const subject = get(`${template}.subject`)(context).replace(/\s+/g, ' ').trim();
    return {
      subject,
      text: get(`${template}.text`)(context),
      html: get('layout.html')({ ...context, subject, body: get(`${template}.html`)(context) }),
    };
  }
}
