import { QueryFailedError } from 'typeorm';

const SQLSTATE = { unique: '23505', foreignKey: '23503' } as const;

/**
 * The name of the constraint a failed query violated, when it failed on that kind of constraint
 * (a unique key lost to a concurrent writer, a parent row deleted meanwhile); undefined otherwise.
 */
export function violatedConstraint(error: unknown, kind: keyof typeof SQLSTATE): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === SQLSTATE[kind] ? (driverError.constraint ?? '') : undefined;
}
