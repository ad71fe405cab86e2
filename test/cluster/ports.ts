import { createServer } from 'node:net';

/** Asks the kernel for a free TCP port on loopback. */
function freePort(host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

export class PortUnavailableError extends Error {
  readonly code = 'PORT_UNAVAILABLE';
  constructor(host: string, cause: unknown) {
    super(
      `cannot bind a TCP port on ${host}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'The local control plane listens on loopback; make sure the loopback interface is up and ports can be bound.',
      { cause },
    );
  }
}

/** Returns `count` distinct free ports on `host`. */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  try {
    while (ports.size < count) ports.add(await freePort(host));
  } catch (err) {
    throw new PortUnavailableError(host, err);
  }
  return [...ports];
}
