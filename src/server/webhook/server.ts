/**
 * The HTTP side of the webhook receiver: `POST /api/webhook` on its own address (it faces the
 * Git host), with every resource an unauthenticated client can hold bounded: connections,
 * header and body time, bodies read at once and their bytes (serve.ts).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseListenAddress } from '../metrics-server.js';
import { BodyGate } from './body-gate.js';
import { DeliveryLog } from './deliveries.js';
import { LogThrottle } from './log-throttle.js';
import { WebhookServerError } from './errors.js';
import type { WebhookMetrics } from './metrics.js';
import { errorMessage, send, serve, webhookPath, type ServeContext } from './serve.js';
import type { AsyncWebhookTarget, WebhookLogger, WebhookSecrets, WebhookTarget } from './types.js';

export { webhookPath };

const MiB = 1024 * 1024;

export const webhookServerDefaults = {
  maxBodyBytes: MiB,
  /** A Git host sends its headers at once and its push in one go: a slow client must not hold a socket. */
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 10_000,
  /**
   * Connections beyond this are closed as soon as they are accepted, before a byte is read: every
   * connection read costs its first 64 KiB read buffer, so this bounds what a flood costs at once.
   */
  maxConnections: 64,
  /** Bodies read at once, and the bytes they may take together. */
  maxBodyReaders: 8,
  maxBufferedBytes: 16 * MiB,
  keepAliveTimeoutMs: 5_000,
  /** How often node enforces the header and request deadlines (its default, 30 s, lets them run long). */
  connectionsCheckingIntervalMs: 1_000,
} as const;

export interface WebhookServerOptions {
  /** host:port or :port */
  readonly address: string;
  /** Read on every request (the controller's reader caches briefly), so that a rotated Secret applies at once. */
  readonly secrets: () => Promise<WebhookSecrets> | WebhookSecrets;
  /** The in-process controller (a leader), or a standby that hands pushes on to the leader. */
  readonly target: WebhookTarget | AsyncWebhookTarget;
  /** Accept pushes of providers without a secret, marked unverified (default false: 401). */
  readonly allowUnsigned?: boolean;
  /** Larger bodies are refused with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** A body that has not fully arrived this long after its headers gets 408 and the connection is closed (default 10 s). */
  readonly bodyTimeoutMs?: number;
  readonly headersTimeoutMs?: number;
  readonly maxConnections?: number;
  readonly maxBodyReaders?: number;
  /** At least maxBodyBytes. */
  readonly maxBufferedBytes?: number;
  readonly logger?: WebhookLogger;
  readonly metrics?: WebhookMetrics;
}

export interface WebhookServer {
  readonly server: Server;
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Stops accepting, lets requests in flight finish, and drops idle keep-alive connections. */
  close(): Promise<void>;
}

const silentLogger: WebhookLogger = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export async function startWebhookServer(options: WebhookServerOptions): Promise<WebhookServer> {
  const d = webhookServerDefaults;
  const log = options.logger ?? silentLogger;
  const maxBodyBytes = positive('maxBodyBytes', options.maxBodyBytes ?? d.maxBodyBytes);
  const maxBufferedBytes = positive('maxBufferedBytes', options.maxBufferedBytes ?? d.maxBufferedBytes);
  if (maxBufferedBytes < maxBodyBytes) throw new WebhookServerError('InvalidOptions', `maxBufferedBytes (${maxBufferedBytes}) is smaller than maxBodyBytes (${maxBodyBytes})`);
  const bodyTimeoutMs = positive('bodyTimeoutMs', options.bodyTimeoutMs ?? d.bodyTimeoutMs);
  const headersTimeoutMs = positive('headersTimeoutMs', options.headersTimeoutMs ?? d.headersTimeoutMs);
  const context: ServeContext = {
    target: options.target,
    secrets: options.secrets,
    log,
    metrics: options.metrics,
    maxBodyBytes,
    bodyTimeoutMs,
    gate: new BodyGate({ maxReaders: positive('maxBodyReaders', options.maxBodyReaders ?? d.maxBodyReaders), maxBytes: maxBufferedBytes }),
    handler: { allowUnsigned: options.allowUnsigned ?? false, deliveries: new DeliveryLog(), warned: new Set(), throttle: new LogThrottle(), logger: log },
  };
  const server = createServer({
    headersTimeout: headersTimeoutMs,
    // The backstop of the body deadline serve.ts keeps itself.
    requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1_000,
    keepAliveTimeout: d.keepAliveTimeoutMs,
    connectionsCheckingInterval: d.connectionsCheckingIntervalMs,
  });
  server.maxConnections = positive('maxConnections', options.maxConnections ?? d.maxConnections);
  server.on('drop', () => {
    options.metrics?.connectionDropped();
  });
  const onRequest = (expectsContinue: boolean) => (req: Parameters<typeof serve>[0], res: Parameters<typeof serve>[1]): void => {
    serve(req, res, context, expectsContinue).catch((err: unknown) => {
      // A failing target (the controller's queue) is a server fault, not the sender's.
      log.warn({ err: errorMessage(err) }, 'webhook request failed');
      if (res.headersSent) res.destroy();
      else send(res, { status: 500, body: { message: 'internal error' } });
    });
  };
  server.on('request', onRequest(false));
  // Expect: 100-continue: the client sends its body only once the headers are admitted.
  server.on('checkContinue', onRequest(true));
  const { host, port } = listenAddress(options.address);
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  log.info({ address: `${host}:${bound}`, path: webhookPath, allowUnsigned: context.handler.allowUnsigned }, 'webhook server listening');
  if (context.handler.allowUnsigned) log.warn({}, 'webhook pushes of providers without a secret are accepted unsigned (--webhook-allow-unsigned)');
  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    close: () => (closing ??= closeServer(server)),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new WebhookServerError('InvalidOptions', `${name} must be a positive number, got ${value}`);
  return value;
}

function listenAddress(address: string): { host: string; port: number } {
  try {
    return parseListenAddress(address);
  } catch (err) {
    throw new WebhookServerError('InvalidAddress', `invalid webhook address "${address}"`, { cause: err });
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      const message = `webhook server cannot listen on ${host}:${port}: ${err.message}`;
      reject(new WebhookServerError('ListenFailed', message, { cause: err }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => {
      if (err === undefined) resolve();
      else reject(err);
    });
    server.closeIdleConnections();
  });
}
