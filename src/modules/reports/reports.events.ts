/**
 * Integration event (published through the outbox in the transaction that inserts the report row): a user
 * asked for a report. The reports queue subscribes to it with its `generate` job.
 */
export const REPORT_REQUESTED = 'reports.report-requested';

export interface ReportRequestedPayload {
  reportId: string;
}
