/**
 * `work`'s outcome, or a rejection ("no answer within <ms> ms") once `ms` have passed, for calls to a dependency
 * that must not hold a request (Redis on the hot path, readiness probes). The timer is cleared either way, and a
 * late rejection of `work` is dropped rather than left unhandled.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
