// The queue dashboard's session operations (admin) in the contract suites (docs/testing-contract.md). Their
// cookie and what it opens are tested in queue-dashboard.e2e-spec.ts; here, the documented answers.
import { expect } from 'vitest';
import type { ModuleContract } from '../../support/contract/modules.js';

export const contract: ModuleContract = {
  scenarios: {
    'POST /api/v1/admin/queues/session': async ({ admin }) => ({
      as: admin,
      verify: (json) => expect(json).toBeUndefined(),
    }),
    'DELETE /api/v1/admin/queues/session': async ({ admin }) => ({
      as: admin,
      verify: (json) => expect(json).toBeUndefined(),
    }),
  },
  pathParameters: {},
};
