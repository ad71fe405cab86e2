import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  /** host:port or :port */
  readonly address: string;
  readonly registry: Registry;
  /**
   * Asked on every /readyz: 200 when 'ready', else 503 with the phase. With leader election a
   * standby is ready too (it receives webhooks and hands them to the leader), so a rolling
   * update of the replicas can proceed.
   */
  readonly readiness: () => Readiness;
}

export type Readiness = 'starting' | 'ready' | 'stopping';

export function parseListenAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const host = i <= 0 ? '0.0.0.0' : address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid listen address "${address}": expected host:port or :port`);
  return { host, port };
}

/** Serves /metrics (Prometheus text format), /healthz and /readyz. */
export async function startMetricsServer(options: MetricsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const readiness = options.readiness();
      res.writeHead(readiness === 'ready' ? 200 : 503, { 'Content-Type': 'text/plain' }).end(readiness === 'ready' ? 'ok\n' : `${readiness}\n`);
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': options.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  const { host, port } = parseListenAddress(options.address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve();
    });
  });
  return server;
}
