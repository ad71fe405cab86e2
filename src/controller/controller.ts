import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import PQueue from 'p-queue';
import { aggregatedEventReasons } from '../api/conditions.js';
import type { KubeObject } from '../api/object.js';
import { appKeyOf, formatAppKey } from '../api/tracking.js';
import { isApplication, type ApplicationSource } from '../cluster/applications.js';
import { observedGenerationAnnotation } from '../argocd/application-view.js';
import { appSource } from './app-source.js';
import { Discovery } from '../cluster/discovery.js';
import { EventRecorder } from '../cluster/events.js';
import { KubeHttp } from '../cluster/http.js';
import type { WatchEventType } from '../cluster/informer.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { LiveCache } from '../cluster/live-cache.js';
import { ResourceClient } from '../cluster/resources.js';
import { RepoCache } from '../git/repo-cache.js';
import { RenderCache } from '../render/cache.js';
import { ChartFetcher } from '../charts/index.js';
import { ManifestRenderer } from '../render/manifest-renderer.js';
import { RenderPool } from '../render/pool.js';
import { locateTools, toolsDirFromEnv, type ToolPaths } from '../render/tools/locate.js';
import { ToolSandbox } from '../render/tools/sandbox.js';
import { renderLimits } from '../render/types.js';
import { ClusterRegistry, isInCluster } from '../clusters/registry.js';
import { clusterAppStore, clusterDestinationPorts, clusterEvents, inCluster } from './adapters.js';
import { registryDestinations } from './destinations.js';
import { AppVersions, RefreshReasons } from './app-memory.js';
import type { ControllerSettings, ReconcileDeps } from './deps.js';
import { DiffCache } from './diff-cache.js';
import { EnqueueLimiter } from './enqueue-limit.js';
import { defaultMinIntervalMs, RaisedIntervals } from './interval.js';
import { ControllerMetrics } from './metrics.js';
import { WorkQueue } from './queue.js';
import { reconcileApp } from './reconcile.js';
import type { CoalesceOutcome } from './refresh-coalescer.js';
import { RepoPoller } from './repo-poller.js';
import { RepoRetention } from './repo-retention.js';
import { SelfHealBackoff, type SelfHealBackoffOptions } from './self-heal.js';
import { PromotionClock } from './promotion.js';
import { webhookSecretsReader, type WebhookSecretValues } from './webhook-secrets.js';
import { CustomHealthChecks } from '../health/custom/checks.js';
import { HealthConfigWatch } from './health-config.js';
import { RepoCredentialsWatch } from './repo-credentials-watch.js';
import { PluginConfig } from './plugin-config.js';
import { controllerNotifications } from './notifications.js';
import { PromotionFollowers, promotionStateChanged } from './promotion-followers.js';
import { notifiedAnnotation } from '../notifications/record.js';
import type { DeliveryQueue } from '../notifications/delivery-queue.js';
import { ProjectStore } from '../projects/project-store.js';
import { impersonatingDestinations } from './impersonation.js';
import { projectNameOf } from './project-source.js';
import { leaderWebhookTarget, type WebhookTarget } from './webhook-target.js';

export interface ControllerOptions {
  readonly kubeconfig?: string | undefined;
  /** Namespaces whose Applications are reconciled (the controller's own first). */
  readonly namespaces: readonly string[];
  readonly intervalMs: number;
  readonly concurrency: number;
  readonly cacheDir: string;
  /** Bound on the manifests of one app, in bytes (default 10 MiB). */
  readonly maxManifestBytes?: number | undefined;
  readonly logger: Logger;
  readonly settings?: Partial<Omit<ControllerSettings, 'defaultIntervalMs' | 'minIntervalMs'>>;
  /** The floor on every app's poll interval (--min-interval; default 10 s). */
  readonly minIntervalMs?: number;
  /** Prometheus series; a private registry when not given. */
  readonly metrics?: ControllerMetrics;
  /** Local repositories (plain paths, file:// URLs) may be read (--allow-local-repos: the demo and tests). */
  readonly allowLocalRepos?: boolean;
  /** Asked before every write to the API server; false refuses it (a leader that lost its lease). */
  readonly writeGate?: () => boolean;
  /** How self-heal backs off in a field fight (--self-heal-backoff-*; default Argo CD's 2 s, ×2, 5 m). */
  readonly selfHealBackoff?: SelfHealBackoffOptions;
  /** Render tools: where they are, how long and how many may run (--render-timeout, --render-concurrency), remote Kustomize bases. */
  readonly render?: RenderToolOptions;
  /** Reconcile Argo CD's Applications and AppProjects of the namespaces (argoproj.io) instead of Capstan's (--argocd-compat). */
  readonly argocd?: boolean;
}

export interface RenderToolOptions {
  readonly tools?: ToolPaths;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly kustomizeAllowRemote?: boolean;
  /** Most address space one tool run may take (--render-memory; 0 for no bound). */
  readonly maxMemoryBytes?: number;
  /** The tools' versions, for the render cache key. */
  readonly versions?: string;
}

/** Did an Application change in a way that needs a reconcile (not just its status)? */
function needsReconcile(type: WatchEventType, obj: KubeObject, old: KubeObject | undefined): boolean {
  if (type !== 'MODIFIED' || old === undefined) return true;
  return obj.metadata.generation !== old.metadata.generation
    || JSON.stringify(requestAnnotations(obj)) !== JSON.stringify(requestAnnotations(old))
    || JSON.stringify(obj.metadata.finalizers ?? []) !== JSON.stringify(old.metadata.finalizers ?? [])
    || obj.metadata.deletionTimestamp !== old.metadata.deletionTimestamp;
}

/** The annotations whose change is a request to the controller: all but the record of what notifications were sent. */
function requestAnnotations(obj: KubeObject): Record<string, string> {
  const { [notifiedAnnotation]: _notified, [observedGenerationAnnotation]: _observed, ...rest } = obj.metadata.annotations ?? {};
  return rest;
}

/** Directories in worker threads; Kustomize, Helm and the plugins of capstan-config in the tool sandbox; all bounded by --max-manifest-bytes. */
function manifestRenderer(options: ControllerOptions, log: Logger, plugins: PluginConfig): ManifestRenderer {
  const limits = options.maxManifestBytes === undefined ? {} : { maxManifestBytes: options.maxManifestBytes };
  const render = options.render ?? {};
  const timeoutMs = render.timeoutMs ?? 90_000;
  const workDir = join(options.cacheDir, 'render');
  // Working copies a stopped controller left behind.
  rmSync(workDir, { recursive: true, force: true });
  const sandbox = new ToolSandbox({
    tools: render.tools ?? locateTools({ toolsDir: toolsDirFromEnv() }), timeoutMs, maxOutputBytes: renderLimits(limits).maxManifestBytes,
    ...(render.concurrency === undefined ? {} : { concurrency: render.concurrency }),
    ...(render.maxMemoryBytes === undefined ? {} : { maxMemoryBytes: render.maxMemoryBytes }),
    workDir,
  });
  if (render.maxMemoryBytes !== 0 && sandbox.maxMemoryBytes === undefined) log.warn('prlimit (util-linux) was not found: render tools run without a memory bound');
  return new ManifestRenderer({
    parser: new RenderPool({ limits, logger: log.child({ component: 'render' }) }),
    sandbox, limits, kustomizeAllowRemote: render.kustomizeAllowRemote ?? false,
    plugins: () => plugins.plugins,
  });
}

/** Server-side dry runs, and GETs of desired objects the cache does not hold, in flight at once (all apps together). */
const dryRunParallelism = 32;
const readParallelism = 32;

/**
 * The running controller: Application and managed-object watches feed a keyed work queue;
 * each key is reconciled by reconcileApp. Triggers only enqueue keys (DESIGN.md §2.1).
 */
export class Controller {
  private leaderTarget: WebhookTarget | undefined;

  private constructor(
    private readonly deps: ReconcileDeps,
    private readonly store: ApplicationSource,
    private readonly cache: LiveCache,
    private readonly resources: ResourceClient,
    private readonly queue: WorkQueue,
    private readonly http: KubeHttp,
    private readonly poller: RepoPoller,
    private readonly namespace: string,
    private readonly healthConfig: HealthConfigWatch,
    private readonly healthChecks: CustomHealthChecks,
    private readonly repoCredentials: RepoCredentialsWatch,
    private readonly projects: ProjectStore,
    private readonly clusters: ClusterRegistry,
    private readonly deliveries: DeliveryQueue,
  ) {}

  static async start(options: ControllerOptions): Promise<Controller> {
    const log = options.logger;
    const kc = loadKubeConfig({ kubeconfig: options.kubeconfig });
    const metrics = options.metrics ?? new ControllerMetrics();
    const http = new KubeHttp(kc, metrics.apiRequest, options.writeGate === undefined ? {} : { writeGate: options.writeGate });
    const discovery = new Discovery(http);
    const resources = new ResourceClient(http, discovery);
    const recorder = new EventRecorder(http, 'capstan-controller', (err) => { log.warn({ err }, 'could not record an Event'); }, { aggregateReasons: aggregatedEventReasons });
    // Capstan's own Applications, or Argo CD's (--argocd-compat) with Argo CD's tracking, projects and finalizers.
    const source = await appSource({ http, resources, namespaces: options.namespaces, argocd: options.argocd === true, events: recorder, logger: log });
    const store = source.store;
    const holder: { deps?: ReconcileDeps } = {};
    const queue = new WorkQueue((key, signal) => {
      if (holder.deps === undefined) throw new Error('reconcile before the controller was built');
      return reconcileApp(holder.deps, key, signal);
    }, {
      concurrency: options.concurrency,
      backoff: { baseMs: 1_000, maxMs: 120_000 },
      onError: (key, err, retryInMs) => { log.error({ app: key, err, retryInMs }, 'reconcile failed'); },
      metrics: metrics.queue,
    });
    const minIntervalMs = options.minIntervalMs ?? defaultMinIntervalMs;
    if (options.intervalMs < minIntervalMs) throw new Error(`the default interval (${options.intervalMs} ms) is below the minimum interval (${minIntervalMs} ms)`);
    // Watch events of managed objects enqueue their app at most once a second, coalesced.
    const watched = new EnqueueLimiter((key) => {
      queue.add(key);
    });
    // How managed objects are marked as an app's, in every cluster.
    const tracking = source.tracking;
    const enqueueOwner = (_type: WatchEventType, obj: KubeObject): void => {
      const owner = tracking.trackedAs(obj);
      if (owner !== undefined && store.get(owner.app.namespace, owner.app.name) !== undefined) watched.add(formatAppKey(owner.app));
    };
    const cache = new LiveCache(http, resources, {
      tracking,
      onChange: enqueueOwner,
      onError: (info, err) => { log.warn({ err, kind: info.kind }, 'watch of managed objects failed; retrying'); },
    });
    const healthChecks = new CustomHealthChecks();
    const plugins = new PluginConfig();
    const namespace = options.namespaces[0] ?? 'capstan';
    const projects = new ProjectStore({
      http, resources, namespace, logger: log.child({ component: 'projects' }),
      ...(source.projectApiVersion === undefined ? {} : { apiVersion: source.projectApiVersion }),
    });
    const notifications = controllerNotifications({
      store, projects, resources, namespace, events: clusterEvents(recorder), metrics: metrics.notifications, logger: log.child({ component: 'notifications' }),
      ...(options.writeGate === undefined ? {} : { writeGate: options.writeGate }),
      ...(source.notifications === undefined ? {} : { base: source.notifications }),
    });
    const healthConfig = new HealthConfigWatch({
      http, discovery, resources, events: recorder, checks: healthChecks, plugins, notifications: notifications.settings, namespace, logger: log.child({ component: 'health' }),
      ...(source.health === undefined ? {} : { fallback: source.health }),
      // New scripts or plugins: every app is assessed (and, with other plugins, rendered) again now, not at its next interval.
      onChange: () => { for (const app of store.list()) queue.add(formatAppKey(appKeyOf(app))); },
    });
    const clusters = new ClusterRegistry({
      http, discovery, resources, namespace, logger: log.child({ component: 'clusters' }),
      remote: {
        observe: metrics.apiRequest,
        ...(options.writeGate === undefined ? {} : { writeGate: options.writeGate }),
        cache: { tracking, onChange: enqueueOwner, onError: (info, err) => { log.warn({ err, kind: info.kind }, 'watch of managed objects in another cluster failed; retrying'); } },
      },
      onConnection: (cluster, open) => { metrics.clusterConnection(cluster, open); },
      // A cluster Secret changed: the apps of other clusters look again now.
      onChange: () => { for (const app of store.list()) if (!isInCluster(app.spec.destination)) queue.add(formatAppKey(appKeyOf(app))); },
    });
    const repoCredentials = new RepoCredentialsWatch({ http, discovery, resources, namespace, logger: log.child({ component: 'repo-credentials' }) });
    // A project created, changed or deleted: its apps are checked against it again now.
    projects.onChange((name) => {
      for (const app of store.list()) if (projectNameOf(app) === name) queue.add(formatAppKey(appKeyOf(app)));
    });
    const deps: ReconcileDeps = {
      apps: clusterAppStore(store),
      destinations: impersonatingDestinations(registryDestinations(clusters, clusterDestinationPorts(inCluster, { http, discovery, resources, cache })), projects),
      projects,
      repos: new RepoCache({
        cacheDir: options.cacheDir, resolveTtlMs: Math.min(options.intervalMs, 60_000),
        allowLocalRepos: options.allowLocalRepos ?? false,
        logger: log.child({ component: 'git' }),
        onRequest: metrics.gitRequest,
        credentials: (url) => repoCredentials.lookup(url),
        trust: () => repoCredentials.trust(),
      }),
      events: clusterEvents(recorder),
      renderCache: new RenderCache(),
      renderer: manifestRenderer(options, log, plugins),
      charts: new ChartFetcher({
        cacheDir: options.cacheDir, indexTtlMs: Math.min(options.intervalMs, 60_000), logger: log.child({ component: 'charts' }),
        credentials: (url) => repoCredentials.lookup(url), trust: () => repoCredentials.trust(),
      }),
      diffCache: new DiffCache(),
      logger: log,
      metrics,
      appVersions: new AppVersions(),
      refreshReasons: new RefreshReasons(),
      selfHeal: new SelfHealBackoff(options.selfHealBackoff),
      promotionClock: new PromotionClock(),
      raisedIntervals: new RaisedIntervals(),
      health: healthChecks,
      pools: { dryRuns: new PQueue({ concurrency: dryRunParallelism }), reads: new PQueue({ concurrency: readParallelism }) },
      settings: {
        defaultIntervalMs: source.intervalMs ?? options.intervalMs, minIntervalMs,
        ...(source.finalizers === undefined ? {} : { appFinalizers: source.finalizers }),
        ...(source.ownNamespaceKinds === undefined ? {} : { ownNamespaceKinds: source.ownNamespaceKinds }), waveTimeoutMs: 300_000, maxStatusResources: 500,
        ...(options.render?.versions === undefined ? {} : { renderTools: options.render.versions }), ...options.settings,
      },
      now: Date.now,
    };
    holder.deps = deps;
    const poller = new RepoPoller({
      repos: deps.repos, apps: () => store.list(), defaultIntervalMs: options.intervalMs, minIntervalMs, logger: log,
      enqueue: (key) => {
        queue.add(key);
      },
    });
    const retention = new RepoRetention(deps.repos, () => store.list());
    const followers = new PromotionFollowers();
    await healthConfig.start();
    await repoCredentials.start();
    await clusters.start();
    await projects.start();
    await store.start((type, obj, old) => {
      const key = appKeyOf(obj);
      // Each change of an app (its status written after a reconcile) is evaluated for notifications.
      const stored = type === 'DELETED' ? undefined : store.get(key.namespace, key.name);
      if (stored === undefined) notifications.notifier.forget(formatAppKey(key));
      else notifications.notifier.observe(stored);
      // The apps that follow this one (spec.promotion.after) look again when its sync or health changed.
      followers.update(formatAppKey(key), stored);
      if (promotionStateChanged(stored, old !== undefined && isApplication(old) ? old : undefined)) {
        for (const follower of followers.followersOf(formatAppKey(key))) queue.add(follower);
      }
      if (type === 'DELETED') {
        queue.forget(formatAppKey(key));
        deps.diffCache.forgetApp(formatAppKey(key));
        deps.appVersions.forget(key);
        deps.selfHeal.forget(formatAppKey(key));
        deps.raisedIntervals.forget(formatAppKey(key));
        watched.forget(formatAppKey(key));
        metrics.appDeleted(key.namespace, key.name);
      } else if (needsReconcile(type, obj, old)) {
        queue.add(formatAppKey(key));
      }
      if (type !== 'MODIFIED' || needsReconcile(type, obj, old)) {
        poller.update();
        retention.update();
        // Clusters no app names any more are let go.
        clusters.release(store.list().map((a) => a.spec.destination)).catch((err: unknown) => { log.warn({ err }, 'could not close the connections of an unused cluster'); });
      }
    }, (err) => { log.warn({ err }, 'watch of Applications failed; retrying'); });
    poller.update();
    retention.start();
    log.info({ namespaces: options.namespaces, applications: store.list().length, repositories: poller.repositories }, 'controller started');
    return new Controller(deps, store, cache, resources, queue, http, poller, namespace, healthConfig, healthChecks, repoCredentials, projects, clusters, notifications.deliveries);
  }

  /** The webhook secrets of the controller's namespace (the first watched one). */
  webhookSecrets(): () => Promise<WebhookSecretValues> {
    return webhookSecretsReader(this.resources, this.namespace);
  }

  /**
   * What the webhook receiver drives: find the apps of a repository and refresh them, pushes of
   * one repository coalesced. One target per controller (it holds the coalescing state).
   */
  webhookTarget(options: { onOutcome?: (outcome: CoalesceOutcome) => void } = {}): WebhookTarget {
    this.leaderTarget ??= leaderWebhookTarget({
      apps: () => this.store.list(),
      app: (key) => this.deps.apps.get(key),
      repos: this.deps.repos,
      refreshReasons: this.deps.refreshReasons,
      enqueue: (key) => {
        this.queue.add(key);
      },
      logger: this.deps.logger,
      ...options,
    });
    return this.leaderTarget;
  }

  /** Stops taking work, lets running reconciles finish (up to `timeoutMs`, then interrupts them), and closes watches. */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    this.poller.stop();
    this.deliveries.stop();
    let finished = await this.queue.shutdown({ timeoutMs });
    // Reconciles still running (a sync waiting for health) are interrupted; their status says so.
    if (!finished) finished = await this.queue.shutdown({ timeoutMs: 5_000, abortRunning: true });
    await Promise.all([this.store.stop(), this.cache.stop(), this.deps.renderer.close(), this.healthConfig.stop(), this.healthChecks.close(), this.repoCredentials.stop(), this.projects.stop(), this.clusters.stop()]);
    this.http.close();
    return finished;
  }

  /**
   * Stops at once: no new work, running reconciles aborted (their writes are refused by the
   * write gate from now on), watches closed. For a leader that lost its lease.
   */
  async abort(): Promise<void> {
    this.poller.stop();
    this.deliveries.stop();
    await this.queue.shutdown({ timeoutMs: 5_000, abortRunning: true });
    await Promise.all([this.store.stop(), this.cache.stop(), this.deps.renderer.close(), this.healthConfig.stop(), this.healthChecks.close(), this.repoCredentials.stop(), this.projects.stop(), this.clusters.stop()]);
    this.http.close();
  }

  get queueDepth(): number {
    return this.queue.depth;
  }
}
