import type { Logger } from 'pino';
import { trackingIdAnnotation } from '../api/annotations.js';
import type { KubeObject } from '../api/object.js';
import { formatAppKey, parseTrackingId } from '../api/tracking.js';
import { ApplicationStore } from '../cluster/applications.js';
import { Discovery } from '../cluster/discovery.js';
import { EventRecorder } from '../cluster/events.js';
import { KubeHttp } from '../cluster/http.js';
import type { WatchEventType } from '../cluster/informer.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { LiveCache } from '../cluster/live-cache.js';
import { ResourceClient } from '../cluster/resources.js';
import { RepoCache } from '../git/repo-cache.js';
import { RenderCache } from '../render/cache.js';
import type { ControllerSettings, ReconcileDeps } from './deps.js';
import { DiffCache } from './diff-cache.js';
import { ControllerMetrics } from './metrics.js';
import { WorkQueue } from './queue.js';
import { orderForRefresh } from './refresh-order.js';
import { RepoPoller } from './repo-poller.js';
import { webhookSecretsReader, type WebhookSecretValues } from './webhook-secrets.js';
import type { WebhookTarget } from './webhook-target.js';
import { normalizeRepoUrl } from '../git/url.js';
import { reconcileApp } from './reconcile.js';

export interface ControllerOptions {
  readonly kubeconfig?: string | undefined;
  /** Namespaces whose Applications are reconciled (the controller's own first). */
  readonly namespaces: readonly string[];
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly cacheDir: string;
  readonly logger: Logger;
  readonly settings?: Partial<Omit<ControllerSettings, 'defaultIntervalMs'>>;
  /** Prometheus series; a private registry when not given. */
  readonly metrics?: ControllerMetrics;
  /** Asked before every write to the API server; false refuses it (a leader that lost its lease). */
  readonly writeGate?: () => boolean;
}

/** Did an Application change in a way that needs a reconcile (not just its status)? */
function needsReconcile(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): boolean {
  if (type !== 'MODIFIED' || old === undefined) return true;
  return obj.metadata.generation !== old.metadata.generation
    || JSON.stringify(obj.metadata.annotations ?? {}) !== JSON.stringify(old.metadata.annotations ?? {})
    || JSON.stringify(obj.metadata.finalizers ?? []) !== JSON.stringify(old.metadata.finalizers ?? [])
    || obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp;
}

/**
 * The running controller: Application and managed-object watches feed a keyed work queue;
 * each key is reconciled by reconcileApp. Triggers only enqueue keys (DESIGN.md §2.1).
 */
export class Controller {
  private constructor(
    private readonly deps: ReconcileDeps,
    private readonly queue: WorkQueue,
    private readonly http: KubeHttp,
    private readonly poller: RepoPoller,
    private readonly namespace: string,
  ) {}

  static async start(options: ControllerOptions): Promise<Controller> {
    const log = options.logger;
    const kc = loadKubeConfig({ kubeconfig: options.kubeconfig });
    const metrics = options.metrics ?? new ControllerMetrics();
    const http = new KubeHttp(kc, metrics.apiRequest, options.writeGate === undefined ? {} : { writeGate: options.writeGate });
    const resources = new ResourceClient(http, new Discovery(http));
    // The queue runs reconciles only after keys are added, by which time `deps` exists.
    const queue: WorkQueue = new WorkQueue((key, signal) => reconcileApp(deps, key, signal), {
      concurrency: options.concurrency,
      backoff: { baseMs: 1_000, maxMs: 120_000 },
      onError: (key, err, retryInMs) => { log.error({ app: key, err, retryInMs }, 'reconcile failed'); },
      metrics: metrics.queue,
    });
    const apps = new ApplicationStore(http, resources, options.namespaces);
    const enqueueOwner = (_type: WatchEventType, obj: KubeObject): void => {
      const owner = parseTrackingId(obj.metadata.annotations?.[trackingIdAnnotation] ?? '');
      if (owner !== undefined && apps.get(owner.app.namespace, owner.app.name) !== undefined) queue.add(formatAppKey(owner.app));
    };
    const live = new LiveCache(http, resources, {
      onChange: enqueueOwner,
      onError: (info, err) => { log.warn({ err, kind: info.kind }, 'watch of managed objects failed; retrying'); },
    });
    const deps: ReconcileDeps = {
      apps, resources, live,
      repos: new RepoCache({
        cacheDir: options.cacheDir, resolveTtlMs: Math.min(options.intervalMs, 60_000),
        logger: log.child({ component: 'git' }),
        onRequest: metrics.gitRequest,
      }),
      renderCache: new RenderCache(),
      diffCache: new DiffCache(),
      events: new EventRecorder(http, 'capstan-controller', (err) => { log.warn({ err }, 'could not record an Event'); }),
      logger: log,
      metrics,
      refreshReasons: new Map(),
      lastWritten: new Map(),
      settings: { defaultIntervalMs: options.intervalMs, waveTimeoutMs: 300_000, maxStatusResources: 500, ...options.settings },
    };
    const poller = new RepoPoller({
      repos: deps.repos, apps: () => apps.list(), defaultIntervalMs: options.intervalMs, logger: log,
      enqueue: (key) => {
        queue.add(key);
      },
    });
    await apps.start((type, obj, old) => {
      const key = `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
      if (type === 'DELETED') {
        queue.forget(key);
        deps.diffCache.forgetApp(key);
        deps.lastWritten.delete(key);
        metrics.appDeleted(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
      } else if (needsReconcile(type, obj, old)) {
        queue.add(key);
      }
      if (type !== 'MODIFIED' || needsReconcile(type, obj, old)) poller.update();
    }, (err) => { log.warn({ err }, 'watch of Applications failed; retrying'); });
    poller.update();
    log.info({ namespaces: options.namespaces, applications: apps.list().length, repositories: poller.repositories }, 'controller started');
    return new Controller(deps, queue, http, poller, options.namespaces[0] ?? 'capstan');
  }

  /** The webhook secrets of the controller's namespace (the first watched one). */
  webhookSecrets(): () => Promise<WebhookSecretValues> {
    return webhookSecretsReader(this.deps.resources, this.namespace);
  }

  /** What the webhook receiver drives: find the apps of a repository and refresh them. */
  webhookTarget(): WebhookTarget {
    return {
      applicationsFor: (normalizedUrls) => {
        const wanted = new Set(normalizedUrls);
        return this.deps.apps.list()
          .filter((a) => wanted.has(normalizeRepoUrl(a.spec.source.repoURL)))
          .map((a) => `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`);
      },
      refresh: (appKeys, repoUrls, reason) => {
        for (const url of repoUrls) this.deps.repos.invalidate(url);
        for (const key of appKeys) this.deps.refreshReasons.set(key, reason);
        const apps = appKeys.flatMap((key) => {
          const [namespace = '', name = ''] = key.split('/');
          const app = this.deps.apps.get(namespace, name);
          return app === undefined ? [] : [{ key, app }];
        });
        // Apps the push changed are queued before the ones it did not touch; on any error, all at once.
        orderForRefresh(this.deps.repos, apps).then(
          (order) => {
            for (const key of [...order.first, ...order.rest]) this.queue.add(key);
          },
          (err: unknown) => {
            this.deps.logger.warn({ err }, 'could not order a webhook refresh');
            for (const key of appKeys) this.queue.add(key);
          },
        );
      },
    };
  }

  /** Stops taking work, lets running reconciles finish (up to `timeoutMs`, then interrupts them), and closes watches. */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    this.poller.stop();
    let finished = await this.queue.shutdown({ timeoutMs });
    // Reconciles still running (a sync waiting for health) are interrupted; their status says so.
    if (!finished) finished = await this.queue.shutdown({ timeoutMs: 5_000, abortRunning: true });
    await Promise.all([this.deps.apps.stop(), this.deps.live.stop()]);
    this.http.close();
    return finished;
  }

  /**
   * Stops at once: no new work, running reconciles aborted (their writes are refused by the
   * write gate from now on), watches closed. For a leader that lost its lease.
   */
  async abort(): Promise<void> {
    this.poller.stop();
    await this.queue.shutdown({ timeoutMs: 5_000, abortRunning: true });
    await Promise.all([this.deps.apps.stop(), this.deps.live.stop()]);
    this.http.close();
  }

  get queueDepth(): number {
    return this.queue.depth;
  }
}
