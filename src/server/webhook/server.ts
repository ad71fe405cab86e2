/**
 * The HTTP side of the webhook receiver: `POST /api/webhook` on its own address (it faces the
 * Git host), with a body limit, then the framework-free `handleWebhook`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseListenAddress } from '../metrics-server.js';
import { WebhookServerError } from './errors.js';
import { handleWebhookAsync } from './handler.js';
import { readBody } from './read-body.js';
import type { AsyncWebhookTarget, WebhookLogger, WebhookProvider, WebhookResponse, WebhookSecrets, WebhookTarget } from './types.js';

export const webhookPath = '/api/webhook';

export const webhookServerDefaults = {
  maxBodyBytes: 1024 * 1024,
  /** A Git host sends its push in one go; a slow client must not hold a socket open. */
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

export interface WebhookServerOptions {
  /** host:port or :port */
  readonly address: string;
  /** Read on every request, so that a rotated Secret applies at once. */
  readonly secrets: () => Promise<WebhookSecrets> | WebhookSecrets;
  /** The in-process controller (a leader), or a standby that hands pushes on to the leader. */
  readonly target: WebhookTarget | AsyncWebhookTarget;
  /** Larger bodies are refused with 413 (default 1 MiB). */
  readonly maxBodyBytes?: number;
  readonly logger?: WebhookLogger;
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
  const log = options.logger ?? silentLogger;
  const context: RequestContext = {
    options,
    log,
    maxBodyBytes: options.maxBodyBytes ?? webhookServerDefaults.maxBodyBytes,
    warnedUnsigned: new Set(),
  };
  const server = createServer((req, res) => {
    serve(req, res, context).catch((err: unknown) => {
      // A failing target (the controller's queue) is a server fault, not the sender's.
      log.warn({ err: errorMessage(err) }, 'webhook request failed');
      if (res.headersSent) res.destroy();
      else send(res, { status: 500, body: { message: 'internal error' } });
    });
  });
  server.headersTimeout = webhookServerDefaults.headersTimeoutMs;
  server.requestTimeout = webhookServerDefaults.requestTimeoutMs;
  const { host, port } = listenAddress(options.address);
  await listen(server, host, port);
  const bound = (server.address() as AddressInfo).port;
  log.info({ address: `${host}:${bound}`, path: webhookPath }, 'webhook server listening');
  let closing: Promise<void> | undefined;
  return {
    server,
    port: bound,
    close: () => (closing ??= closeServer(server)),
  };
}

interface RequestContext {
  readonly options: WebhookServerOptions;
  readonly log: WebhookLogger;
  readonly maxBodyBytes: number;
  readonly warnedUnsigned: Set<WebhookProvider>;
}

async function serve(req: IncomingMessage, res: ServerResponse, context: RequestContext): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== webhookPath) {
    send(res, { status: 404, body: { message: 'not found' } });
    return;
  }
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    send(res, { status: 405, body: { message: 'method not allowed' } });
    return;
  }
  const read = await readBody(req, context.maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'too-large') refuseTooLarge(req, res, context);
    else res.destroy();
    return;
  }
  let secrets: WebhookSecrets;
  try {
    secrets = await context.options.secrets();
  } catch (err) {
    // Fail closed: without the secrets no request can be authenticated.
    context.log.warn({ err: errorMessage(err) }, 'webhook secrets unavailable');
    send(res, { status: 503, body: { message: 'webhook secrets unavailable' } });
    return;
  }
  const request = { headers: flattenHeaders(req.headers), body: read.body };
  const handlerOptions = { logger: context.log, warnedUnsigned: context.warnedUnsigned };
  send(res, await handleWebhookAsync(request, secrets, context.options.target, handlerOptions));
}

/** Answers 413 without reading the rest of the body, then drops the connection, which is not reusable. */
function refuseTooLarge(req: IncomingMessage, res: ServerResponse, context: RequestContext): void {
  context.log.warn(
    { contentLength: req.headers['content-length'], maxBodyBytes: context.maxBodyBytes },
    'webhook body too large',
  );
  res.setHeader('Connection', 'close');
  res.once('finish', () => {
    req.socket.destroySoon();
  });
  send(res, { status: 413, body: { message: `body larger than ${context.maxBodyBytes} bytes` } });
}

function send(res: ServerResponse, response: WebhookResponse): void {
  const text = JSON.stringify(response.body);
  res
    .writeHead(response.status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
    .end(text);
}

/** node gives repeated headers as arrays; the providers read single values. */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
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

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
