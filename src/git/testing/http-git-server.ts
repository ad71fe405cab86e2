/**
 * Real git over HTTP for tests: a loopback HTTP server that runs `git http-backend` as a CGI
 * program for the repositories under one directory, optionally behind TLS and Basic
 * authentication, and optionally slow (so a test can watch the git processes of a fetch while it runs).
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface HttpGitServerOptions {
  /** The directory whose repositories are served: `http://127.0.0.1:<port>/<name>`. */
  readonly root: string;
  /** Every request must carry these Basic credentials, or gets 401. */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Each request is answered only after this long. */
  readonly delayMs?: number;
  /** Serve HTTPS with this certificate and key (PEM): `https://127.0.0.1:<port>/<name>`. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface HttpGitServer {
  readonly port: number;
  /** `http(s)://127.0.0.1:<port>/<path>`, with `userInfo@` when given. */
  url(path: string, userInfo?: string): string;
  /** Requests by outcome: served (authorised), refused (401). */
  readonly counts: { served: number; refused: number };
  close(): Promise<void>;
}

export async function startHttpGitServer(options: HttpGitServerOptions): Promise<HttpGitServer> {
  const counts = { served: 0, refused: 0 };
  const expected = options.auth === undefined ? undefined : `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  const listener: RequestListener = (req, res) => {
    const answer = (): void => {
      if (expected !== undefined && req.headers.authorization !== expected) {
        counts.refused += 1;
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="capstan-test"', 'Content-Length': '0' });
        res.end();
        req.resume();
        return;
      }
      counts.served += 1;
      runBackend(options.root, req, res, options.auth?.username);
    };
    if (options.delayMs === undefined) answer();
    else setTimeout(answer, options.delayMs);
  };
  const server = options.tls === undefined ? createServer(listener) : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener);
  server.keepAliveTimeout = 1;
  const scheme = options.tls === undefined ? 'http' : 'https';
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    counts,
    url: (path, userInfo) => `${scheme}://${userInfo === undefined ? '' : `${userInfo}@`}127.0.0.1:${port}/${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** One CGI request: the request body to git http-backend's stdin, its output (headers, then body) to the response. */
function runBackend(root: string, req: IncomingMessage, res: ServerResponse, user: string | undefined): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    ...(user === undefined ? {} : { REMOTE_USER: user }),
    ...(typeof req.headers['content-encoding'] === 'string' ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
    ...(typeof req.headers['git-protocol'] === 'string' ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
  };
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => {
    if (!headersDone) res.statusCode = 500;
    res.end();
  });
  child.on('error', () => {
    res.statusCode = 500;
    res.end();
  });
}
