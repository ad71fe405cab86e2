/**
 * The registry of destination clusters: watches the cluster Secrets (either label) of the
 * controller's namespace, finds the cluster an app's destination names, and keeps one client set
 * per cluster in use — made on first use, remade when its Secret changes, closed when no app
 * names it any more. A Secret that cannot be used is logged once per version (its name and why,
 * never its data).
 */
import type { Logger } from 'pino';
import { inClusterName, inClusterServer } from '../api/validate.js';
import { secretTypeLabels } from '../credentials/types.js';
import type { Discovery } from '../cluster/discovery.js';
import type { KubeHttp } from '../cluster/http.js';
import { Informer } from '../cluster/informer.js';
import { ParsedObjects } from '../cluster/parsed-objects.js';
import type { ResourceClient } from '../cluster/resources.js';
import { parseClusterSecret } from './cluster-secret.js';
import { RemoteCluster, type RemoteClusterOptions } from './remote-cluster.js';
import { clusterSecretType, normalizeServer, type ParsedClusterSecret } from './types.js';

/** What an app's spec.destination picks. */
export interface DestinationRef {
  readonly server?: string | undefined;
  readonly name?: string | undefined;
}

export type ClusterLookup =
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'remote'; readonly cluster: RemoteCluster }
  | { readonly kind: 'missing'; readonly message: string };

/** One registered cluster as `capstan cluster list` and logs show it (never a credential). */
export interface ClusterSummary {
  readonly name: string;
  readonly server: string;
  readonly secret: string;
  /** Why the Secret is not used, when it is not. */
  readonly problem?: string;
  /** True while a client set is open to it (some app uses it). */
  readonly connected: boolean;
  readonly reachable?: boolean;
  readonly version?: string;
}

export interface ClusterRegistryOptions {
  readonly http: KubeHttp;
  readonly discovery: Discovery;
  readonly resources: ResourceClient;
  readonly namespace: string;
  readonly logger: Logger;
  readonly remote: RemoteClusterOptions;
  /** A cluster's client set was made (open) or closed (metrics). */
  readonly onConnection?: (cluster: string, open: boolean) => void;
  /** A cluster Secret was added, changed or removed: apps of remote clusters are reconciled again. */
  readonly onChange?: () => void;
  /** How long start() waits for the first lists (default 10 s). */
  readonly syncTimeoutMs?: number;
}

export function isInCluster(dest: DestinationRef): boolean {
  const name = dest.name ?? '';
  const server = dest.server === undefined || dest.server === '' ? '' : normalizeServer(dest.server);
  return name === inClusterName || server === inClusterServer || (name === '' && server === '');
}

export class ClusterRegistry {
  private readonly informers: Informer[] = [];
  private readonly parsed: ParsedObjects<ParsedClusterSecret>;
  private readonly connections = new Map<string, RemoteCluster>();

  constructor(private readonly options: ClusterRegistryOptions) {
    this.parsed = new ParsedObjects(parseClusterSecret, (secret, parsed) => {
      if (!parsed.ok) options.logger.warn({ secret: `${secret.metadata.namespace ?? ''}/${secret.metadata.name ?? ''}` }, `cluster Secret ignored: ${parsed.reason}`);
    });
  }

  async start(): Promise<void> {
    const { discovery, http, resources, namespace, logger } = this.options;
    const secrets = await discovery.resolve('v1', 'Secret');
    if (secrets === undefined) return;
    for (const label of secretTypeLabels) {
      const informer = new Informer(http, resources, secrets, {
        namespace, labelSelector: `${label}=${clusterSecretType}`,
        onError: (err) => { logger.warn({ err, namespace }, 'watch of cluster Secrets failed; retrying'); },
      });
      informer.onChange(() => { this.secretsChanged(); });
      this.informers.push(informer);
      informer.start();
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.syncTimeoutMs ?? 10_000);
    });
    try {
      await Promise.race([Promise.all(this.informers.map((i) => i.synced)), timeout]);
    } catch (err) {
      logger.warn({ err }, 'cannot read the cluster Secrets; apps of other clusters wait until the watch recovers');
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map((c) => this.close(c)));
  }

  /** The cluster `dest` names, with its client set (made now if no app used it yet). */
  lookup(dest: DestinationRef): ClusterLookup {
    if (isInCluster(dest)) return { kind: 'in-cluster' };
    const found = this.find(dest);
    if (found.kind !== 'found') return found;
    const credential = found.secret.cluster;
    const uid = credential.secret.namespace + '/' + credential.secret.name;
    let cluster = this.connections.get(uid);
    if (cluster?.credential.secret.resourceVersion !== credential.secret.resourceVersion) {
      if (cluster !== undefined) this.closeLater(cluster);
      cluster = new RemoteCluster(credential, this.options.remote);
      this.connections.set(uid, cluster);
      this.options.onConnection?.(credential.name, true);
    }
    return { kind: 'remote', cluster };
  }

  /** Closes the client sets of clusters that none of `inUse` names. */
  async release(inUse: Iterable<DestinationRef>): Promise<void> {
    const used = new Set<string>();
    const secrets = this.current();
    for (const dest of inUse) {
      if (isInCluster(dest)) continue;
      const found = this.find(dest, secrets);
      if (found.kind === 'found') used.add(found.secret.cluster.secret.namespace + '/' + found.secret.cluster.secret.name);
    }
    const unused = [...this.connections].filter(([uid]) => !used.has(uid));
    for (const [uid] of unused) this.connections.delete(uid);
    await Promise.all(unused.map(([, cluster]) => this.close(cluster)));
  }

  /** Every cluster Secret, usable or not, in name order. */
  summaries(): ClusterSummary[] {
    return this.current().map((parsed): ClusterSummary => {
      if (!parsed.ok) {
        return { name: parsed.name ?? '', server: parsed.server ?? '', secret: parsed.identity, problem: parsed.reason, connected: false };
      }
      const { cluster } = parsed;
      const open = this.connections.get(cluster.secret.namespace + '/' + cluster.secret.name);
      const state = open?.reachability.state;
      return {
        name: cluster.name, server: cluster.server, secret: cluster.identity, connected: open !== undefined,
        ...(state?.reachable === undefined ? {} : { reachable: state.reachable }),
        ...(open?.serverVersion === undefined ? {} : { version: open.serverVersion }),
      };
    }).sort((a, b) => a.name.localeCompare(b.name));
  }

  private find(dest: DestinationRef, secrets: readonly ParsedClusterSecret[] = this.current()): { readonly kind: 'found'; readonly secret: Extract<ParsedClusterSecret, { ok: true }> } | { readonly kind: 'missing'; readonly message: string } {
    const { namespace } = this.options;
    const byName = dest.name !== undefined && dest.name !== '';
    const wanted = byName ? dest.name ?? '' : normalizeServer(dest.server ?? '');
    const what = byName ? `name "${wanted}"` : `server ${wanted}`;
    const matches = secrets.filter((s) => (byName ? (s.ok ? s.cluster.name : s.name) : (s.ok ? s.cluster.server : s.server)) === wanted);
    const [first, ...others] = matches;
    if (first === undefined) {
      return { kind: 'missing', message: `spec.destination ${what} names no cluster: no Secret labelled capstan.dev/secret-type=cluster in namespace ${namespace} has that ${byName ? 'name' : 'server'}` };
    }
    if (others.length > 0) {
      const names = matches.map((s) => (s.ok ? s.cluster.identity : s.identity)).sort().join(', ');
      return { kind: 'missing', message: `spec.destination ${what} is ambiguous: ${matches.length} cluster Secrets have it (${names})` };
    }
    if (!first.ok) return { kind: 'missing', message: `spec.destination ${what}: the ${first.identity} Secret cannot be used: ${first.reason}` };
    return { kind: 'found', secret: first };
  }

  private current(): ParsedClusterSecret[] {
    return this.parsed.current(this.informers);
  }

  /** A Secret changed: client sets whose Secret is gone or changed are closed; apps look again. */
  private secretsChanged(): void {
    const versions = new Map(this.current().filter((s) => s.ok).map((s) => [s.cluster.secret.namespace + '/' + s.cluster.secret.name, s.cluster.secret.resourceVersion]));
    for (const [uid, cluster] of [...this.connections]) {
      if (versions.get(uid) === cluster.credential.secret.resourceVersion) continue;
      this.connections.delete(uid);
      this.closeLater(cluster);
    }
    this.options.onChange?.();
  }

  private async close(cluster: RemoteCluster): Promise<void> {
    // A Secret renamed in place keeps the name's series only while a client set of that name is open.
    if (![...this.connections.values()].some((c) => c.credential.name === cluster.credential.name)) this.options.onConnection?.(cluster.credential.name, false);
    await cluster.close();
  }

  private closeLater(cluster: RemoteCluster): void {
    this.close(cluster).catch((err: unknown) => { this.options.logger.warn({ err, cluster: cluster.credential.name }, 'could not close the connections of a cluster'); });
  }
}
