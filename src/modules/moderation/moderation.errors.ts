import { ConflictError, NotFoundError, ValidationFailedError } from '../../core/http/app-error.js';

/** Also what another user's report answers: its existence is not the caller's business (404, not 403). */
export class AbuseReportNotFoundError extends NotFoundError {
  constructor() {
    super('ABUSE_REPORT_NOT_FOUND', 'abuse report not found');
  }
}

/** The reported article, comment or user does not exist (or is not visible to the reporter). */
export class AbuseTargetNotFoundError extends NotFoundError {
  constructor() {
    super('ABUSE_TARGET_NOT_FOUND', 'nothing to report has this type and id');
  }
}

/** Reporting your own article or comment, or yourself (422, field `targetId`). */
export class OwnContentReportError extends ValidationFailedError {
  override readonly code: string = 'CANNOT_REPORT_OWN_CONTENT';
  constructor() {
    super([{ field: 'targetId', message: 'you cannot report your own content' }], 'You cannot report your own content');
  }
}

/** The reporter has an open report on this target already (409); a closed one does not count. */
export class DuplicateAbuseReportError extends ConflictError {
  constructor() {
    super('ABUSE_REPORT_EXISTS', 'you have an open report on this already');
  }
}

/** Resolving or dismissing a report that is closed already (409). */
export class AbuseReportClosedError extends ConflictError {
  constructor() {
    super('ABUSE_REPORT_CLOSED', 'the report is resolved or dismissed already');
  }
}
