import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  API_CSP,
  inlineHashes,
  PAGE_CSP,
  pagePolicyFor,
  serializeCsp,
  swaggerUiScriptedStyles,
  withInlineHashes,
} from './security-headers.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

describe('per-route Content-Security-Policy', () => {
  it('serializes directives in order', () => {
    expect(serializeCsp(API_CSP)).toBe(
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });

  it('picks the page policy by path prefix, the longest prefix winning, and nothing for the API', () => {
    expect(pagePolicyFor('/docs')).toBe(PAGE_CSP['/docs']);
    expect(pagePolicyFor('/docs/swagger-ui-init.js')).toBe(PAGE_CSP['/docs']);
    expect(pagePolicyFor('/docs-json')).toBeUndefined();
    expect(pagePolicyFor('/admin/queues/api/queues')).toBe(PAGE_CSP['/admin/queues']);
    expect(pagePolicyFor('/api/articles')).toBeUndefined();
    const pages = { '/a': { directives: { x: ['1'] } }, '/a/b': { directives: { x: ['2'] } } };
    expect(pagePolicyFor('/a/b/c', pages)).toBe(pages['/a/b']);
    expect(pagePolicyFor('/a/c', pages)).toBe(pages['/a']);
  });

  it('hashes inline styles, executable inline scripts and style attributes, not external or data scripts', () => {
    const html =
      '<style>body{margin:0}</style><script src="/x.js"> </script><script>init()</script>' +
      '<script type="application/json">{}</script><svg style="position:absolute;width:0"></svg>' +
      "<div style='color:&quot;red&quot;'></div><style>body{margin:0}</style>";
    const hashes = inlineHashes(html);
    expect(hashes.styles).toEqual([hash('body{margin:0}')]);
    expect(hashes.scripts).toEqual([hash('init()'), hash('{}')]);
    expect(hashes.styleAttributes).toEqual([hash('position:absolute;width:0'), hash('color:"red"')]);
    const policy = withInlineHashes({ 'style-src': ["'self'"] }, html, ['.logo{fill:#fff}']);
    expect(policy['style-src']).toEqual([
      "'self'",
      "'unsafe-hashes'",
      hash('body{margin:0}'),
      hash('.logo{fill:#fff}'),
      hash('position:absolute;width:0'),
      hash('color:"red"'),
    ]);
    expect(policy['script-src']).toEqual([hash('init()'), hash('{}')]);
  });

  it("finds the <style> Swagger UI's scripts add (its logo) in the installed bundles", () => {
    expect(swaggerUiScriptedStyles()).toEqual([expect.stringContaining('.logo_small_svg__cls-2{fill:#fff}')]);
  });

  it('never allows inline code wholesale on the Swagger UI page', () => {
    expect(serializeCsp(PAGE_CSP['/docs']!.directives)).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});
