import { Discovery } from '../cluster/discovery.js';
import { KubeHttp, type RequestObserver } from '../cluster/http.js';
import { LiveCache, type LiveCacheOptions } from '../cluster/live-cache.js';
import { ResourceClient } from '../cluster/resources.js';
import { clusterKubeConfig } from './kubeconfig.js';
import { Reachability } from './reachability.js';
import type { ClusterCredential } from './types.js';

export interface RemoteClusterOptions {
  /** Every request's outcome (metrics). */
  readonly observe?: RequestObserver;
  /** Asked before every write, as for the controller's own cluster (a replica that lost its lease writes nowhere). */
  readonly writeGate?: () => boolean;
  /** Events of the cluster's managed objects, and watch failures. */
  readonly cache: LiveCacheOptions;
}

/**
 * The client set of one destination cluster, made from its Secret: its own connection pool,
 * discovery, label-selected watch cache of managed objects, and whether it answers.
 */
export class RemoteCluster {
  readonly http: KubeHttp;
  readonly discovery: Discovery;
  readonly resources: ResourceClient;
  readonly cache: LiveCache;
  readonly reachability: Reachability;
  private version: string | undefined;
  private closed = false;

  constructor(readonly credential: ClusterCredential, options: RemoteClusterOptions) {
    this.reachability = new Reachability(() => this.probe());
    this.http = new KubeHttp(clusterKubeConfig(credential), (verb, status, durationMs) => {
      this.reachability.observe(status);
      options.observe?.(verb, status, durationMs);
    }, options.writeGate === undefined ? {} : { writeGate: options.writeGate });
    this.discovery = new Discovery(this.http);
    this.resources = new ResourceClient(this.http, this.discovery);
    this.cache = new LiveCache(this.http, this.resources, credential.scope === undefined ? options.cache : { ...options.cache, namespaces: credential.scope.namespaces });
  }

  /** The API server's version, as last read (undefined before it answered once). */
  get serverVersion(): string | undefined {
    return this.version;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private async probe(): Promise<void> {
    const info = await this.http.json<{ gitVersion?: unknown } | undefined>({ method: 'GET', path: '/version', timeoutMs: 10_000 });
    if (typeof info?.gitVersion === 'string') this.version = info.gitVersion;
  }

  /** Stops its watches and closes its connections. */
  async close(): Promise<void> {
    this.closed = true;
    await this.cache.stop();
    this.http.close();
  }
}
