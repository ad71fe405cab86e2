// The transport to the API server under load and under faults: many watches at once, the write
// gate, the whole-request deadline, cached credentials, and watch streams that stall or end at
// once (a local proxy in front of the real API server injects those transport faults).
import { setMaxListeners } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../../src/api/object.js';
import { Discovery, type ResourceInfo } from '../../../src/cluster/discovery.js';
import { KubeTimeoutError, NotLeaderError } from '../../../src/cluster/errors.js';
import { KubeHttp, maxPooledSockets } from '../../../src/cluster/http.js';
import { Informer } from '../../../src/cluster/informer.js';
import { ResourceClient } from '../../../src/cluster/resources.js';
import { kubectl, kubectlApply } from '../support/capstan.js';
import { createNamespace, deleteNamespace, eventually, testKubeConfig, uniqueName } from '../support/kube.js';

/** Fails with `what` when `promise` has not settled within `ms` (a request that waits forever). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not complete within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function configMap(namespace: string, name: string, labels: Record<string, string>, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

function kubectlJson(...args: string[]): KubeObject {
  return JSON.parse(kubectl(...args, '-o', 'json')) as KubeObject;
}

/** A kubeconfig without credentials for a plain-HTTP server on loopback (client-node wants skipTLSVerify for http). */
function plainKubeConfig(port: number): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'local', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'local' }],
    contexts: [{ name: 'local', cluster: 'local', user: 'local' }],
    currentContext: 'local',
  });
  return kc;
}

interface SeenRequest {
  readonly method: string;
  readonly url: URL;
  readonly at: number;
}

/**
 * A plain-HTTP proxy to the test API server with the admin's credentials. It can stall the watch
 * streams open at one moment (their bytes are dropped, their connections stay open: a half-open
 * connection) and cut every watch right after its response headers.
 */
class ApiProxy {
  readonly seen: SeenRequest[] = [];
  cutWatches = false;
  private readonly openWatches = new Set<IncomingMessage>();
  private readonly stalled = new WeakSet<IncomingMessage>();

  private constructor(
    private readonly server: Server,
    private readonly upstream: URL,
    private readonly agent: HttpsAgent,
    private readonly authHeaders: Record<string, string>,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.forward(req, res);
    });
  }

  static async start(): Promise<ApiProxy> {
    const kc = testKubeConfig();
    const opts: RequestOptions = {};
    await kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    const agent = new HttpsAgent({
      keepAlive: true,
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
      ...(opts.cert !== undefined ? { cert: opts.cert } : {}),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
    });
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cluster = kc.getCurrentCluster();
    if (cluster === null) throw new Error('the test kubeconfig has no cluster');
    return new ApiProxy(server, new URL(cluster.server), agent, headers);
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy not listening');
    return address.port;
  }

  watches(): SeenRequest[] {
    return this.seen.filter((r) => r.url.searchParams.get('watch') === 'true');
  }

  lists(): SeenRequest[] {
    return this.seen.filter((r) => r.method === 'GET' && r.url.searchParams.get('watch') !== 'true');
  }

  /** From now on, the watch streams open at this moment deliver nothing more. */
  stallOpenWatches(): number {
    for (const watch of this.openWatches) this.stalled.add(watch);
    return this.openWatches.size;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => { resolve(); }));
    this.agent.destroy();
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://proxy');
    this.seen.push({ method: req.method ?? 'GET', url, at: performance.now() });
    const isWatch = url.searchParams.get('watch') === 'true';
    const headers: Record<string, string> = { ...this.authHeaders };
    for (const name of ['accept', 'content-type', 'content-length']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const up = httpsRequest(new URL(`${url.pathname}${url.search}`, this.upstream), { method: req.method, headers, agent: this.agent }, (upRes) => {
      const responseHeaders = { ...upRes.headers };
      delete responseHeaders.connection;
      res.writeHead(upRes.statusCode ?? 502, responseHeaders);
      if (isWatch && this.cutWatches) {
        res.end();
        upRes.destroy();
        return;
      }
      if (isWatch) this.openWatches.add(upRes);
      upRes.on('data', (chunk: Buffer) => {
        if (!this.stalled.has(upRes)) res.write(chunk);
      });
      upRes.on('end', () => {
        this.openWatches.delete(upRes);
        if (!this.stalled.has(upRes)) res.end();
      });
      upRes.on('error', () => {
        res.destroy();
      });
      upRes.on('close', () => {
        this.openWatches.delete(upRes);
      });
    });
    up.on('error', () => {
      res.destroy();
    });
    res.on('close', () => {
      up.destroy();
    });
    req.pipe(up);
  }
}

describe('the transport to the API server', () => {
  const namespace = uniqueName('transport');
  const kc = testKubeConfig();
  let configMaps: ResourceInfo;

  beforeAll(async () => {
    await createNamespace(kc, namespace);
    const http = new KubeHttp(kc);
    configMaps = await new ResourceClient(http, new Discovery(http)).info('v1', 'ConfigMap');
    http.close();
  });

  afterAll(async () => {
    await deleteNamespace(kc, namespace);
  });

  it('completes a GET and a PATCH while 40 watches are open through the same client', async () => {
    const http = new KubeHttp(kc);
    const resources = new ResourceClient(http, new Discovery(http));
    const watchCount = 40;
    const informers = Array.from({ length: watchCount }, (_, i) =>
      new Informer(http, resources, configMaps, { namespace, labelSelector: `capstan.dev/test-watch=w${i}` }));
    try {
      for (const informer of informers) informer.start();
      await within(30_000, 'the first lists of 40 informers', Promise.all(informers.map((i) => i.synced)));
      // Each informer sees an object created after its list: all 40 watches are open and deliver.
      kubectlApply({
        apiVersion: 'v1', kind: 'List',
        items: informers.map((_, i) => configMap(namespace, `watched-${i}`, { 'capstan.dev/test-watch': `w${i}` }, { n: String(i) })),
      });
      // At least as many watches as the pool of ordinary requests has connections are open.
      const delivered = (): number => informers.filter((inf, i) => inf.get(namespace, `watched-${i}`) !== undefined).length;
      await eventually(`${maxPooledSockets} watches to deliver their ConfigMap`, () =>
        Promise.resolve(delivered() >= maxPooledSockets ? true : undefined), 30_000);

      const path = `/api/v1/namespaces/${namespace}/configmaps/watched-0`;
      const got = await within(15_000, 'a GET with 40 watches open', http.json<KubeObject>({ method: 'GET', path, timeoutMs: 10_000 }));
      expect(got.metadata.name).toBe('watched-0');
      const patched = await within(15_000, 'a PATCH with 40 watches open', http.json<KubeObject>({
        method: 'PATCH', path, body: { data: { n: 'patched' } }, contentType: 'application/merge-patch+json', timeoutMs: 10_000,
      }));
      expect(patched['data']).toEqual({ n: 'patched' });
      await eventually('all 40 watches to deliver their ConfigMap', () => Promise.resolve(delivered() === watchCount ? true : undefined), 30_000);
      const dataOf = (obj: KubeObject | undefined): unknown => obj?.['data'];
      await eventually('the watch to deliver the patch', () =>
        Promise.resolve(JSON.stringify(dataOf(informers[0]?.get(namespace, 'watched-0'))) === '{"n":"patched"}' ? true : undefined));
    } finally {
      await Promise.all(informers.map((i) => i.stop()));
      http.close();
    }
  });

  it('refuses writes while the write gate is closed, sending nothing, and still reads', async () => {
    kubectlApply(configMap(namespace, 'gated', {}, { v: 'original' }));
    const before = kubectlJson('get', 'configmap', 'gated', '-n', namespace);
    let open = false;
    const http = new KubeHttp(kc, undefined, { writeGate: () => open });
    const path = `/api/v1/namespaces/${namespace}/configmaps/gated`;
    const patch = { method: 'PATCH', path, body: { data: { v: 'changed' } }, contentType: 'application/merge-patch+json' } as const;
    try {
      const read = await http.json<KubeObject>({ method: 'GET', path });
      expect(read['data']).toEqual({ v: 'original' });
      await expect(http.json(patch)).rejects.toBeInstanceOf(NotLeaderError);
      const after = kubectlJson('get', 'configmap', 'gated', '-n', namespace);
      expect(after.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
      expect(after['data']).toEqual({ v: 'original' });

      open = true;
      const written = await http.json<KubeObject>(patch);
      expect(written['data']).toEqual({ v: 'changed' });
    } finally {
      http.close();
    }
  });

  it('reads the kubeconfig credentials once per TTL, not on every request', async () => {
    const counted = testKubeConfig();
    let reads = 0;
    const apply = counted.applyToHTTPSOptions.bind(counted);
    counted.applyToHTTPSOptions = async (opts) => {
      reads++;
      await apply(opts);
    };
    let now = 1_000_000;
    const http = new KubeHttp(counted, undefined, { credentialsTtlMs: 30_000, now: () => now });
    try {
      await Promise.all(Array.from({ length: 5 }, () => http.json({ method: 'GET', path: `/api/v1/namespaces/${namespace}` })));
      for (let i = 0; i < 5; i++) await http.json({ method: 'GET', path: `/api/v1/namespaces/${namespace}` });
      expect(reads).toBe(1);
      now += 30_000;
      await http.json({ method: 'GET', path: `/api/v1/namespaces/${namespace}` });
      expect(reads).toBe(2);
    } finally {
      http.close();
    }
  });

  it('re-watches from the last resourceVersion when a watch stalls, and sees what changed meanwhile', async () => {
    const proxy = await ApiProxy.start();
    const http = new KubeHttp(plainKubeConfig(proxy.port));
    const resources = new ResourceClient(http, new Discovery(http));
    const errors: unknown[] = [];
    const informer = new Informer(http, resources, configMaps, {
      namespace, labelSelector: 'capstan.dev/test=stall', idleTimeoutMs: 5_000, onError: (err) => errors.push(err),
    });
    const labels = { 'capstan.dev/test': 'stall' };
    try {
      informer.start();
      await within(30_000, 'the first list through the proxy', informer.synced);
      kubectlApply(configMap(namespace, 'stall-a', labels, { v: '1' }));
      await eventually('the watch to deliver stall-a', () => Promise.resolve(informer.get(namespace, 'stall-a')));

      const stalled = proxy.stallOpenWatches();
      expect(stalled).toBe(1);
      const watchesBefore = proxy.watches().length;
      kubectlApply(configMap(namespace, 'stall-b', labels, { v: '1' }));
      await eventually('the informer to see stall-b after the stalled watch', () => Promise.resolve(informer.get(namespace, 'stall-b')), 30_000);

      expect(proxy.watches().length).toBeGreaterThan(watchesBefore);
      // Resumed from a resourceVersion: the one list of the start, no relist.
      expect(proxy.lists()).toHaveLength(1);
      expect(proxy.watches().every((w) => (w.url.searchParams.get('resourceVersion') ?? '') !== '')).toBe(true);
      expect(errors.some((e) => e instanceof Error && e.name === 'WatchIdleError')).toBe(true);
    } finally {
      await informer.stop();
      http.close();
      await proxy.close();
    }
  });

  it('reopens a watch that ends at once only after a growing delay, without relisting', async () => {
    const proxy = await ApiProxy.start();
    proxy.cutWatches = true;
    const http = new KubeHttp(plainKubeConfig(proxy.port));
    const resources = new ResourceClient(http, new Discovery(http));
    const informer = new Informer(http, resources, configMaps, { namespace, labelSelector: 'capstan.dev/test=cut' });
    try {
      informer.start();
      await within(30_000, 'the first list through the proxy', informer.synced);
      await eventually('four watch attempts', () => Promise.resolve(proxy.watches().length >= 4 ? true : undefined), 30_000, 50);
      const at = proxy.watches().slice(0, 4).map((w) => w.at);
      const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
      // 1 s, then 2 s, then 4 s of backoff (a timer never fires early; 5 % slack for rounding).
      expect(gaps[0]).toBeGreaterThanOrEqual(950);
      expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
      expect(gaps[2]).toBeGreaterThanOrEqual(3_800);
      expect(proxy.lists()).toHaveLength(1);
    } finally {
      await informer.stop();
      http.close();
      await proxy.close();
    }
  });

  it('bounds the whole request, including the wait for a free connection', async () => {
    // A server that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const silent: NetServer = createNetServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    const http = new KubeHttp(plainKubeConfig(address.port));
    const hang = new AbortController();
    setMaxListeners(maxPooledSockets + 1, hang.signal);
    try {
      // Every pooled connection is taken by a request without a deadline.
      const holding = Array.from({ length: maxPooledSockets }, (_, i) =>
        http.json({ method: 'GET', path: `/hold/${i}`, timeoutMs: 0, signal: hang.signal }).catch(() => undefined));
      await eventually('every pooled connection to be open', () => Promise.resolve(sockets.size >= maxPooledSockets ? true : undefined), 10_000, 20);
      const queued = http.json({ method: 'GET', path: '/queued', timeoutMs: 300 });
      await expect(within(10_000, 'a request waiting for a connection', queued)).rejects.toBeInstanceOf(KubeTimeoutError);
      hang.abort();
      await Promise.all(holding);
    } finally {
      hang.abort();
      http.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => { resolve(); }));
    }
  });
});
