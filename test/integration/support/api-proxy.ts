import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, request, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** A request the proxy passed on to the API server. */
export interface ForwardedRequest {
  /** When the proxy received it (Date.now of this process, the clock the controllers log with). */
  readonly at: number;
  readonly method: string;
  /** Path and query, as the client sent them. */
  readonly path: string;
}

const leasePath = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/[^/?]+\/leases(?:[/?]|$)/;

/** True for a request on coordination.k8s.io Leases (what leader election reads and writes). */
export function isLeaseRequest(path: string): boolean {
  return leasePath.test(path);
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host', 'authorization']);

function forwardable(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !hopByHop.has(name)) out[name] = value;
  return out;
}

/**
 * A plain-HTTP listener on 127.0.0.1 in front of the real API server: a controller whose
 * kubeconfig points here talks to the cluster as the kubeconfig given to `start` (its token or
 * client certificate), and the test can make its lease requests hang. Every non-GET request
 * it forwards is recorded, so a test can tell when that controller last wrote.
 */
export class ApiProxy {
  private holding = false;
  private readonly held = new Set<ServerResponse>();
  private readonly forwarded: ForwardedRequest[] = [];
  private heldCount = 0;

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    private readonly agent: Agent,
    private readonly authHeaders: Record<string, string>,
    private readonly host: string,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res);
    });
  }

  /** Listens on a free port of `host` (default 127.0.0.1) and forwards to the cluster of `kubeconfigPath`. */
  static async start(kubeconfigPath: string, host = '127.0.0.1'): Promise<ApiProxy> {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error(`${kubeconfigPath} has no current cluster`);
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const authHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(opts.headers ?? {})) if (typeof value === 'string') authHeaders[name.toLowerCase()] = value;
    const agent = new Agent({
      keepAlive: true,
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
    });
    const server = createServer();
    const proxy = new ApiProxy(server, new URL(cluster.server), agent, authHeaders, host);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => {
        resolve();
      });
    });
    return proxy;
  }

  get url(): string {
    return `http://${this.host}:${(this.server.address() as AddressInfo).port}`;
  }

  /** Writes a kubeconfig that points at the proxy (no credentials: the proxy adds them). */
  writeKubeconfig(file: string): string {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      // client-node takes an http:// server only with skipTLSVerify set: there is no TLS to verify.
      clusters: [{ name: 'proxy', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'proxy' }],
      contexts: [{ name: 'proxy', cluster: 'proxy', user: 'proxy' }],
      currentContext: 'proxy',
    });
    writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
    return file;
  }

  /** From now on, lease requests are accepted and never answered (nor passed on). */
  holdLeaseRequests(): void {
    this.holding = true;
  }

  /** How many lease requests were held so far. */
  get heldLeaseRequests(): number {
    return this.heldCount;
  }

  /** The non-GET requests forwarded so far, in order. */
  writes(): ForwardedRequest[] {
    return [...this.forwarded];
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
      this.server.closeAllConnections();
    });
    this.agent.destroy();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    if (this.holding && isLeaseRequest(path)) {
      this.heldCount++;
      this.held.add(res);
      res.once('close', () => this.held.delete(res));
      req.resume();
      return;
    }
    if (method !== 'GET') this.forwarded.push({ at: Date.now(), method, path });
    const out = request(new URL(path, this.upstream), {
      method, agent: this.agent, headers: { ...forwardable(req.headers), ...this.authHeaders },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, forwardable(answer.headers));
      // An upstream that goes away mid-answer (the API server killed) cuts the client off too, as a
      // direct connection would: pipe alone would leave the client's watch open and silent.
      answer.once('error', () => res.destroy());
      answer.once('close', () => {
        if (!answer.complete) res.destroy();
      });
      answer.pipe(res);
    });
    out.on('error', () => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502).end();
    });
    // A client that goes away (a watch it closed) ends the upstream request too.
    res.once('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  }
}
