import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on a loopback port in front of another loopback port that holds each new
 * connection until `hold()` resolves, then forwards both ways. While held, the client process
 * waits for the server's first bytes, so a test can observe it (its command line) before it ends.
 */
export interface HoldingProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startHoldingProxy(options: { targetPort: number; hold: () => Promise<void> }): Promise<HoldingProxy> {
  const open = new Set<Socket>();
  let connections = 0;
  const track = (socket: Socket): void => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const server = createServer({ pauseOnConnect: true }, (client) => {
    connections += 1;
    track(client);
    client.on('error', () => client.destroy());
    options.hold().then(() => {
      if (client.destroyed) return;
      const upstream = connect({ host: '127.0.0.1', port: options.targetPort });
      track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    }, () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      server.close(() => {
        resolve();
      });
    }),
  };
}
