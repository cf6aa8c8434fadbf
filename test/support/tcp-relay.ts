import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a real Redis (or any TCP server) that a test can cut: `hang` keeps the connections open but drops
 * everything (a Redis that stopped answering), `refuse` closes them and refuses new ones (a dead Redis).
 */
export async function startRelay(
  target: URL,
): Promise<{ url: string; mode: (m: 'pass' | 'hang' | 'refuse') => void; close: () => Promise<void> }> {
  let mode: 'pass' | 'hang' | 'refuse' = 'pass';
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', (chunk) => mode === 'pass' && upstream.write(chunk));
    upstream.on('data', (chunk) => mode === 'pass' && client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    mode: (next) => {
      mode = next;
      if (next === 'refuse') for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
