import { describe, expect, it } from 'vitest';
import type { MailConfig } from '../../../core/config/app.config.js';
import { UnsubscribeTokens } from './unsubscribe-token.js';

const tokens = (secret: string) => new UnsubscribeTokens({ secret } as MailConfig);
const USER = '7d0c7a1e-3c55-4b8e-9a55-0f4a3c1c2b1d';

describe('UnsubscribeTokens', () => {
  it('verifies what it signed', () => {
    const signer = tokens('a-secret-of-sixteen-chars');
    expect(signer.verify(signer.sign({ userId: USER, scope: 'digest' }))).toEqual({ userId: USER, scope: 'digest' });
    expect(signer.verify(signer.sign({ userId: USER, scope: 'all' }))).toEqual({ userId: USER, scope: 'all' });
  });

  it('refuses altered claims, other secrets and malformed tokens', () => {
    const signer = tokens('a-secret-of-sixteen-chars');
    const [, mac] = signer.sign({ userId: USER, scope: 'digest' }).split('.');
    const forged = `${Buffer.from(JSON.stringify({ u: 'someone-else', s: 'digest' })).toString('base64url')}.${mac}`;
    expect(signer.verify(forged)).toBeUndefined();
    expect(tokens('another-secret-value').verify(signer.sign({ userId: USER, scope: 'digest' }))).toBeUndefined();
    for (const bad of ['', 'abc', 'a.b.c', 'a.b', '.']) expect(signer.verify(bad)).toBeUndefined();
  });

  it('refuses a signed claim naming an unknown kind', () => {
    const signer = tokens('a-secret-of-sixteen-chars');
    expect(signer.verify(signer.sign({ userId: USER, scope: 'welcome' as never }))).toBeUndefined();
  });
});
