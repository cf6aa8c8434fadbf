import { afterAll, expect } from 'vitest';
import { errorAuditViolations } from './error-audit.js';

// Each e2e file: no error answer its apps sent may show internals (test/setup/error-audit.ts).
afterAll(() => {
  expect(errorAuditViolations(), 'error answers that show internals (test/setup/error-audit.ts)').toEqual([]);
});
