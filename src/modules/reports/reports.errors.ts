import { ConflictError, GoneError, NotFoundError } from '../../core/http/app-error.js';

/** Unknown id, or a report of another user: the same answer, so ids of others' reports cannot be probed. */
export class ReportNotFoundError extends NotFoundError {
  constructor() {
    super('REPORT_NOT_FOUND', 'report not found');
  }
}

export class ReportNotReadyError extends ConflictError {
  constructor(status: string) {
    super('REPORT_NOT_READY', `the report is ${status}: its file can be downloaded once it is ready`);
  }
}

export class ReportExpiredError extends GoneError {
  constructor() {
    super('REPORT_EXPIRED', 'the report expired and its file was removed; ask for a new one');
  }
}

export class ReportLimitReachedError extends ConflictError {
  constructor(limit: number) {
    super('REPORT_LIMIT_REACHED', `at most ${limit} reports may be queued or running at once; wait for one to finish`);
  }
}
