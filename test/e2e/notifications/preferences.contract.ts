// The mail preference and unsubscribe operations in the contract suites (docs/testing-contract.md).
//
// Unsubscribe links are signed by the deployment (a key derived from JWT_SECRET) and only ever reach users by
// mail; the fixture signs one the way the mail does, with the suites' test secret.
import { expect } from 'vitest';
import type { MailConfig } from '../../../src/core/config/app.config.js';
import { UnsubscribeTokens } from '../../../src/modules/notifications/index.js';
import { registerAccount, type Account } from '../../support/contract/fixtures.js';
import type { ModuleContract } from '../../support/contract/modules.js';
import { TEST_JWT_SECRET } from '../../support/contract/tokens.js';
import { userIdOf } from '../../factories/users.js';

const ALL_OFF = { newFollower: false, newComment: false, digest: false };

/** The token of the "unsubscribe from all" link of `account`'s welcome mail. */
function unsubscribeToken(account: Account): string {
  const signer = new UnsubscribeTokens({ secret: process.env.JWT_SECRET ?? TEST_JWT_SECRET } as MailConfig);
  return signer.sign({ userId: userIdOf(account), scope: 'all' });
}

export const contract: ModuleContract = {
  scenarios: {
    'GET /api/v1/notifications/preferences': async ({ reader }) => ({
      as: reader,
      verify: (json) => expect(Object.values(json).every((value) => typeof value === 'boolean')).toBe(true),
    }),
    'PUT /api/v1/notifications/preferences': async ({ client }) => {
      const user = await registerAccount(client, 'prefs');
      return {
        as: user,
        body: { digest: false },
        verify: (json) => expect(json).toEqual({ newFollower: true, newComment: true, digest: false }),
      };
    },
    'GET /api/v1/unsubscribe/{token}': async ({ client }) => {
      const user = await registerAccount(client, 'unsub');
      return {
        params: { token: unsubscribeToken(user) },
        verify: (json) => expect(json).toEqual({ unsubscribed: 'all', preferences: ALL_OFF }),
      };
    },
    'POST /api/v1/unsubscribe/{token}': async ({ client }) => {
      const user = await registerAccount(client, 'unsub');
      return {
        params: { token: unsubscribeToken(user) },
        verify: (json) => expect(json).toEqual({ unsubscribed: 'all', preferences: ALL_OFF }),
      };
    },
  },
  pathParameters: {
    'unsubscribe/{token}': async ({ owner }) => unsubscribeToken(owner),
  },
};
