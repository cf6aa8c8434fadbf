export { ReportsModule } from './reports.module.js';
export { ReportsWorkerModule } from './reports-worker.module.js';
export { REPORT_REQUESTED, type ReportRequestedPayload } from './reports.events.js';
export { REPORTS_QUEUE } from './reports.queue.js';
