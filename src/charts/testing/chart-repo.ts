/**
 * A real Helm chart repository for tests: charts made by `helm create` and `helm package`,
 * indexed by `helm repo index`, and served from a directory over loopback HTTP (or HTTPS, and
 * behind Basic authentication).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { helm } from './tools.js';

/** Packages chart `name` once per version into `outDir`; returns each archive's path by version. */
export async function packageChart(options: { home: string; workDir: string; outDir: string; name: string; versions: readonly string[] }): Promise<Map<string, string>> {
  await helm(options.home, ['create', options.name], options.workDir);
  const archives = new Map<string, string>();
  for (const version of options.versions) {
    const out = await helm(options.home, ['package', join(options.workDir, options.name), '--version', version, '--destination', options.outDir]);
    const path = /saved it to: (.*\.tgz)\s*$/m.exec(out)?.[1];
    if (path === undefined) throw new Error(`helm package printed no archive: ${out}`);
    archives.set(version, path.trim());
  }
  return archives;
}

/** Writes `<dir>/index.yaml` for the archives in `dir` (relative URLs, or under `url`). */
export async function indexRepo(home: string, dir: string, url?: string): Promise<void> {
  await helm(home, ['repo', 'index', dir, ...(url === undefined ? [] : ['--url', url])]);
}

export interface ServedDirectory {
  /** `http(s)://127.0.0.1:<port>`: the directory's root. */
  readonly url: string;
  /** Paths asked for, in order. */
  readonly requests: string[];
  /** Answers a path itself instead of the file (return true when it did). */
  intercept: ((req: IncomingMessage, res: ServerResponse) => boolean) | undefined;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: string; readonly key: string };
  /** Every request must carry these Basic credentials, or gets 401. */
  readonly auth?: { readonly username: string; readonly password: string };
}

/** Serves the files under `root` (GET only) on 127.0.0.1 at a free port. */
export async function serveDirectory(root: string, options: ServeOptions = {}): Promise<ServedDirectory> {
  const wanted = options.auth === undefined ? undefined : `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  const served: ServedDirectory = {
    url: '',
    requests: [],
    intercept: undefined,
    close: () => Promise.resolve(),
  };
  const listener: RequestListener = (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    served.requests.push(path);
    if (served.intercept?.(req, res) === true) return;
    if (wanted !== undefined && req.headers.authorization !== wanted) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="charts"' }).end();
      return;
    }
    const file = normalize(join(root, path));
    if (req.method !== 'GET' || !(file + sep).startsWith(root + sep) || file === root) {
      res.writeHead(404).end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-length': String(info.size), 'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/gzip' });
        createReadStream(file).pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  };
  const server = options.tls === undefined ? createServer(listener) : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener);
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(served, {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  });
}
