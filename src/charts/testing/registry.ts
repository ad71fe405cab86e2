/**
 * A real OCI registry for tests (go-containerregistry's in-memory `registry`) on a free
 * loopback port, with `helm push` into it; and a proxy in front of a registry that asks for
 * anonymous Bearer tokens and pages tag lists, as public registries do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { helm, testTool } from './tools.js';

export interface TestRegistry {
  /** `localhost:<port>`. */
  readonly host: string;
  stop(): Promise<void>;
}

/** Starts `registry -port 0` and waits until it says where it serves. */
export async function startRegistry(): Promise<TestRegistry> {
  const child = spawn(testTool('registry'), ['-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const m = /serving on port (\d+)/.exec(seen);
      if (m !== null) {
        child.stderr.off('data', onData);
        child.stderr.resume();
        resolve(Number(m[1]));
      }
    };
    child.stderr.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`registry exited (${code ?? 'signal'}) before serving: ${seen}`));
    });
  });
  return { host: `localhost:${port}`, stop: () => stopChild(child) };
}

/** `helm push <archive> oci://<host>/<path> --plain-http`. */
export async function helmPush(home: string, archive: string, ociRepo: string): Promise<void> {
  await helm(home, ['push', archive, ociRepo, '--plain-http']);
}

export interface RegistryProxy {
  /** `127.0.0.1:<port>`. */
  readonly host: string;
  /** Requests as `METHOD path` (token requests included), in order. */
  readonly requests: string[];
  /** Authorization headers of requests to /v2/ that carried one. */
  readonly tokensSeen: string[];
  close(): Promise<void>;
}

/**
 * A proxy to `target` that answers /v2/ without a token with 401 and a Bearer challenge whose
 * realm is its own /token (which gives anyone a token, or only who sends `tokenCredentials` as
 * Basic auth), and cuts tag lists into pages of `pageSize` with Link headers. With
 * `basicCredentials` it takes those as Basic auth on /v2/ instead, with a Basic challenge.
 */
export async function startRegistryProxy(target: string, options: { pageSize: number; tokenCredentials?: Credentials; basicCredentials?: Credentials }): Promise<RegistryProxy> {
  const wanted = basicHeader(options.tokenCredentials);
  const basic = basicHeader(options.basicCredentials);
  const token = `anon-${Math.random().toString(36).slice(2)}`;
  const requests: string[] = [];
  const tokensSeen: string[] = [];
  let self = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method ?? 'GET'} ${url.pathname}${url.search}`);
    if (url.pathname === '/token') {
      if (wanted !== undefined && req.headers.authorization !== wanted) {
        json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'wrong credentials' }] }, { 'www-authenticate': 'Basic realm="test-registry"' });
        return;
      }
      json(res, 200, { token, expires_in: 300 });
      return;
    }
    const auth = req.headers.authorization;
    if (auth !== undefined) tokensSeen.push(auth);
    if (basic !== undefined && auth !== basic) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="test-registry"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    if (basic === undefined && auth !== `Bearer ${token}`) {
      const scope = /^\/v2\/(.+)\/(?:tags|manifests|blobs)\//.exec(url.pathname)?.[1];
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="http://${self}/token",service="test-registry"${scope === undefined ? '' : `,scope="repository:${scope}:pull"`}`,
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      return;
    }
    void forward(target, req, res, url, options.pageSize);
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  self = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host: self,
    requests,
    tokensSeen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

interface Credentials {
  readonly username: string;
  readonly password: string;
}

function basicHeader(credentials: Credentials | undefined): string | undefined {
  return credentials === undefined ? undefined : `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

async function forward(target: string, req: IncomingMessage, res: ServerResponse, url: URL, pageSize: number): Promise<void> {
  const headers: Record<string, string> = {};
  if (typeof req.headers.accept === 'string') headers.accept = req.headers.accept;
  try {
    if (url.pathname.endsWith('/tags/list')) {
      const upstream = await fetch(`http://${target}${url.pathname}`, { headers });
      const body = (await upstream.json()) as { name: string; tags: string[] | null };
      const all = [...(body.tags ?? [])].sort();
      const last = url.searchParams.get('last');
      const from = last === null ? 0 : all.findIndex((t) => t > last);
      const page = from < 0 ? [] : all.slice(from, from + pageSize);
      const more = from >= 0 && from + pageSize < all.length;
      const link = more ? { link: `<${url.pathname}?n=${pageSize}&last=${encodeURIComponent(page[page.length - 1] ?? '')}>; rel="next"` } : undefined;
      json(res, upstream.status, { name: body.name, tags: page }, link);
      return;
    }
    const upstream = await fetch(`http://${target}${url.pathname}`, { headers });
    const out: Record<string, string> = {};
    for (const name of ['content-type', 'docker-content-digest']) {
      const value = upstream.headers.get(name);
      if (value !== null) out[name] = value;
    }
    const body = Buffer.from(await upstream.arrayBuffer());
    res.writeHead(upstream.status, { ...out, 'content-length': String(body.length) });
    res.end(body);
  } catch (err) {
    json(res, 502, { errors: [{ code: 'UPSTREAM', message: String(err) }] });
  }
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...extra });
  res.end(text);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
