/** Loopback servers that misbehave on purpose, to test failures without a real Git host. */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';

export interface StubServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Answers every HTTP request with `status` (401 asks for Basic credentials). */
export async function startHttpStatusServer(status: 401 | 403 | 404): Promise<StubServer> {
  const server = createHttpServer((_req, res) => {
    if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="capstan-test"');
    res.statusCode = status;
    res.end();
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** Accepts TCP connections and never says a word: a remote that hangs. */
export async function startSilentServer(): Promise<StubServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
