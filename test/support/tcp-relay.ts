import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * How the relay treats traffic: `pass` relays it; `hang` keeps the connections open but drops everything (a
 * server that stopped answering); `pause` holds everything in both directions and delivers it in order on the
 * next `pass` (a server that stalls, then answers); `refuse` closes every connection and refuses new ones (a
 * dead server).
 */
export type RelayMode = 'pass' | 'hang' | 'pause' | 'refuse';

export interface TcpRelay {
  /** `redis://` URL of the relay (the scheme is Redis's; any TCP client may use host and port). */
  url: string;
  mode: (mode: RelayMode) => void;
  close: () => Promise<void>;
}

/** A TCP relay on a free port of 127.0.0.1 in front of a real Redis (or any TCP server) that a test can cut. */
export async function startRelay(target: URL): Promise<TcpRelay> {
  let mode: RelayMode = 'pass';
  const sockets = new Set<Socket>();
  let held: Array<() => void> = [];
  const relayed = (to: Socket) => (chunk: Buffer) => {
    if (mode === 'pass') to.write(chunk);
    else if (mode === 'pause') held.push(() => to.write(chunk));
  };
  const server: Server = createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.on('data', relayed(upstream));
    upstream.on('data', relayed(client));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `redis://127.0.0.1:${port}`,
    mode: (next) => {
      mode = next;
      if (next === 'refuse') {
        held = [];
        for (const socket of sockets) socket.destroy();
      }
      if (next === 'pass') {
        const flush = held;
        held = [];
        for (const write of flush) write();
      }
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
