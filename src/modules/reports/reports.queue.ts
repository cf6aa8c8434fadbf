import { defineQueue } from '../../core/jobs/queue-definition.js';
import { REPORT_REQUESTED } from './reports.events.js';

/** The reports module's one queue: `generate` per requested report, `purge-expired` on a schedule. */
export const REPORTS_QUEUE = defineQueue({
  name: 'reports',
  jobs: ['generate', 'purge-expired'],
  subscriptions: { [REPORT_REQUESTED]: 'generate' },
});

/** The id of the purge's job scheduler: upserted by every worker at start, so there is always exactly one. */
export const PURGE_SCHEDULER_ID = 'reports-purge';
