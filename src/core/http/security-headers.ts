import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { OPENAPI_PATH } from './openapi.js';

/** CSP directives by name, each with its source list (`'self'`, `data:`, hashes...). */
export type CspDirectives = Record<string, string[]>;

export interface CspPolicy {
  directives: CspDirectives;
  /**
   * The page's own inline `<style>`/`<script>` blocks and `style="..."` attributes are allowed by their SHA-256
   * hash, computed from each HTML answer as sent: no `'unsafe-inline'`, and nothing a request could inject.
   */
  hashInlineContent?: boolean;
  /** Texts of `<style>` elements the page's own scripts add (allowed by hash too); read once, when first needed. */
  scriptedStyles?: () => string[];
}

/** Every JSON answer: it loads nothing, runs nothing, and is framed nowhere. */
export const API_CSP: CspDirectives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The HTML pages Folio serves, by path prefix (the prefix itself and everything under `<prefix>/`), each with
 * the policy it needs to work; everything else gets API_CSP.
 */
export const PAGE_CSP: Record<string, CspPolicy> = {
  // Swagger UI: its bundle, stylesheet and init script from 'self', its two inline <style> blocks and one SVG
  // style attribute by hash, data: icons from its CSS, and "Try it out" calls to this origin.
  [`/${OPENAPI_PATH}`]: {
    directives: {
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    },
    hashInlineContent: true,
    scriptedStyles: () => swaggerUiScriptedStyles(),
  },
  // The queue dashboard (bull-board, src/core/jobs/queue-dashboard.ts): its scripts, styles, fonts and API calls
  // from 'self', data: images. Its React app adds <style> elements at run time, which no hash can name: styles
  // need 'unsafe-inline' (a hash in the list would switch it off), scripts do not.
  '/admin/queues': {
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
};

/**
 * Swagger UI renders its logo as an inline SVG holding a `<style>` element (React's `createElement("style", null,
 * "...")` in its bundles): the texts, read from the installed swagger-ui-dist, so an upgrade keeps them in step.
 */
export function swaggerUiScriptedStyles(): string[] {
  const require = createRequire(import.meta.url);
  const texts = new Set<string>();
  for (const file of ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui-standalone-preset.js']) {
    const source = readFileSync(require.resolve(file), 'utf8');
    for (const match of source.matchAll(/createElement\("style",null,("(?:[^"\\]|\\.)*")\)/g)) {
      texts.add(JSON.parse(match[1] ?? '""') as string);
    }
  }
  return [...texts];
}

export function serializeCsp(directives: CspDirectives): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** The policy of the longest prefix `path` falls under, or undefined for API_CSP. */
export function pagePolicyFor(path: string, pages: Record<string, CspPolicy> = PAGE_CSP): CspPolicy | undefined {
  let best: string | undefined;
  for (const prefix of Object.keys(pages)) {
    if ((path === prefix || path.startsWith(`${prefix}/`)) && (best === undefined || prefix.length > best.length)) {
      best = prefix;
    }
  }
  return best === undefined ? undefined : pages[best];
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&quot;': '"', '&#39;': "'", '&lt;': '<', '&gt;': '>' };

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * Hash sources for the inline content of an HTML page: `<style>` and (executable) `<script>` blocks, and
 * `style` attributes (which CSP allows by hash only with `'unsafe-hashes'`).
 */
export function inlineHashes(html: string): { scripts: string[]; styles: string[]; styleAttributes: string[] } {
  const unique = (values: Iterable<string>) => [...new Set(values)];
  const styles = unique([...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => sha256(m[1] ?? '')));
  const scripts = unique(
    [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
      .filter((m) => !/\bsrc\s*=/i.test(m[1] ?? '') && (m[2] ?? '').trim() !== '')
      .map((m) => sha256(m[2] ?? '')),
  );
  const styleAttributes = unique(
    [...html.matchAll(/\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)].map((m) =>
      sha256((m[1] ?? m[2] ?? '').replace(/&(amp|quot|#39|lt|gt);/g, (entity) => ENTITIES[entity] ?? entity)),
    ),
  );
  return { scripts, styles, styleAttributes };
}

/** The page policy with the hashes of this page's inline content (and of the styles its scripts add) added. */
export function withInlineHashes(
  directives: CspDirectives,
  html: string,
  scriptedStyles: string[] = [],
): CspDirectives {
  const inline = inlineHashes(html);
  const { scripts, styleAttributes } = inline;
  const styles = [...new Set([...inline.styles, ...scriptedStyles.map((text) => sha256(text))])];
  const result = { ...directives };
  if (scripts.length > 0) result['script-src'] = [...(result['script-src'] ?? []), ...scripts];
  const styleSources = [...styles, ...styleAttributes];
  if (styleSources.length > 0) {
    result['style-src'] = [
      ...(result['style-src'] ?? []),
      ...(styleAttributes.length > 0 ? ["'unsafe-hashes'"] : []),
      ...styleSources,
    ];
  }
  return result;
}

function pathOf(request: FastifyRequest): string {
  const query = request.url.indexOf('?');
  return query === -1 ? request.url : request.url.slice(0, query);
}

function isHtml(reply: FastifyReply): boolean {
  return String(reply.getHeader('content-type') ?? '').startsWith('text/html');
}

export interface SecurityHeadersOptions {
  /** HSTS is sent only in production, where Folio is reached over TLS (terminated in front of it or not). */
  production: boolean;
  /** Page policies by path prefix; PAGE_CSP unless given. */
  pages?: Record<string, CspPolicy>;
}

/**
 * Security headers on every answer (Helmet), and a Content-Security-Policy per route: API_CSP for the JSON API,
 * a page's own policy (PAGE_CSP) for the HTML pages. Registered before any route.
 */
export async function registerSecurityHeaders(
  fastify: FastifyInstance,
  options: SecurityHeadersOptions,
): Promise<void> {
  const pages = options.pages ?? PAGE_CSP;
  await fastify.register(helmet, {
    // Set below, per route.
    contentSecurityPolicy: false,
    // The API is called cross-origin by RealWorld frontends, always in CORS mode (fetch/XHR), which CORP does not
    // govern: `same-origin` only stops other sites from embedding answers as images, scripts or media (no-cors).
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  const apiPolicy = serializeCsp(API_CSP);
  fastify.addHook('onRequest', async (request, reply) => {
    const page = pagePolicyFor(pathOf(request), pages);
    void reply.header('content-security-policy', page ? serializeCsp(page.directives) : apiPolicy);
  });
  const lastPage = new WeakMap<CspPolicy, { html: string; policy: string }>();
  const scripted = new WeakMap<CspPolicy, string[]>();
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' || !isHtml(reply)) return payload;
    const page = pagePolicyFor(pathOf(request), pages);
    if (!page?.hashInlineContent) return payload;
    // Pages are the same from one request to the next: the hashes of the last one are reused while it is.
    let last = lastPage.get(page);
    if (last?.html !== payload) {
      scripted.set(page, scripted.get(page) ?? page.scriptedStyles?.() ?? []);
      last = { html: payload, policy: serializeCsp(withInlineHashes(page.directives, payload, scripted.get(page))) };
      lastPage.set(page, last);
    }
    void reply.header('content-security-policy', last.policy);
    return payload;
  });
}
