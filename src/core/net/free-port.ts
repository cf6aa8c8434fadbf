import { createServer } from 'node:net';

/**
 * A TCP port of 127.0.0.1 that is free now (the OS picks it for a listener that closes at once), for a server
 * started by another process that must be told its port: embedded PostgreSQL, test clusters, benchmarks.
 */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port')),
      );
    });
  });
}
