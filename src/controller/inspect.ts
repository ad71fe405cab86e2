import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtInHealth } from '../health/custom/checks.js';
import { pino } from 'pino';
import PQueue from 'p-queue';
import type { Application } from '../api/application.js';
import { appKeyOf } from '../api/tracking.js';
import type { TrackingScheme } from '../api/tracking-scheme.js';
import type { ResourceClient } from '../cluster/resources.js';
import { RenderCache } from '../render/cache.js';
import { ChartFetcher } from '../charts/index.js';
import { localManifestRenderer } from '../render/manifest-renderer.js';
import type { PluginSet } from '../render/plugins/config.js';
import type { RepoCachePort } from '../git/types.js';
import { readRequests } from './annotations.js';
import { defaultMinIntervalMs, RaisedIntervals } from './interval.js';
import { SelfHealBackoff } from './self-heal.js';
import { PromotionClock } from './promotion.js';
import { clusterKinds, dryRunOnlyApplier, fixedDestination, inCluster, listedLiveState } from './adapters.js';
import { AppVersions, RefreshReasons } from './app-memory.js';
import type { ReconcileContext } from './context.js';
import type { ReconcileDeps } from './deps.js';
import { DiffCache } from './diff-cache.js';
import { ControllerMetrics } from './metrics.js';
import { runPipeline, type PipelineResult } from './pipeline.js';
import { fixedProjects, projectNameOf, type ProjectSource } from './project-source.js';
import { isRecord } from '../api/object.js';
import { appProjectApiVersion, appProjectKind } from '../projects/index.js';

const refuse = (): Promise<never> => Promise.reject(new Error('an inspection does not write to the cluster'));

/** The app's AppProject (of `apiVersion`: Capstan's or Argo CD's, whose spec has the same shape) as the API server has it now (the implicit default when none is named default). */
async function readProject(resources: ResourceClient, namespace: string, name: string, apiVersion: string): Promise<ProjectSource> {
  const info = await resources.discovery.resolve(apiVersion, appProjectKind);
  const obj = info === undefined ? undefined : await resources.get(apiVersion, appProjectKind, namespace, name);
  return fixedProjects(obj === undefined ? [] : [{ ...obj, spec: isRecord(obj['spec']) ? obj['spec'] : {} }], namespace);
}

/**
 * Runs the controller's comparison (validate, resolve, render, prepare, live, compare) for one
 * app without writing anything: what `capstan app diff` shows is what the controller would
 * find. `revision` overrides the revision compared; `plugins` are the config management
 * plugins of capstan-config the controller renders with (default none). `tracking` is how managed
 * objects are marked as an app's (default Capstan's); `projectApiVersion` the AppProjects read
 * (default Capstan's): with Argo CD's tracking and AppProjects, the comparison is the one the
 * controller makes under --argocd-compat.
 */
export async function inspectApp(
  resources: ResourceClient, repos: RepoCachePort, app: Application,
  options: { revision?: string; cacheDir?: string; plugins?: PluginSet; controllerNamespace?: string; tracking?: TrackingScheme; projectApiVersion?: string } = {},
): Promise<{ result: PipelineResult; ctx: ReconcileContext }> {
  const { plugins } = options;
  const projects = await readProject(resources, options.controllerNamespace ?? app.metadata.namespace ?? 'capstan', projectNameOf(app), options.projectApiVersion ?? appProjectApiVersion);
  const deps: ReconcileDeps = {
    apps: { get: () => undefined, fetch: () => Promise.resolve(undefined), list: () => [], writeStatus: refuse, patch: refuse },
    destinations: fixedDestination({
      ...inCluster, kinds: clusterKinds(resources.discovery), live: listedLiveState(resources, options.tracking), applier: dryRunOnlyApplier(resources), capabilities: resources.capabilities,
      // Comparisons only: dry runs as the controller, never a write as anyone.
      applierAs: () => dryRunOnlyApplier(resources),
    }),
    projects,
    repos,
    events: { record: () => undefined },
    renderCache: new RenderCache({ maxEntries: 1 }),
    renderer: localManifestRenderer(plugins === undefined ? {} : { plugins: () => plugins }),
    charts: new ChartFetcher({ cacheDir: options.cacheDir ?? join(tmpdir(), 'capstan-cache') }),
    diffCache: new DiffCache(),
    logger: pino({ level: 'silent' }),
    metrics: new ControllerMetrics(),
    appVersions: new AppVersions(),
    refreshReasons: new RefreshReasons(),
    selfHeal: new SelfHealBackoff(),
    promotionClock: new PromotionClock(),
    raisedIntervals: new RaisedIntervals(),
    health: builtInHealth,
    pools: { dryRuns: new PQueue({ concurrency: 8 }), reads: new PQueue({ concurrency: 8 }) },
    settings: { defaultIntervalMs: 180_000, minIntervalMs: defaultMinIntervalMs, waveTimeoutMs: 0, maxStatusResources: 500 },
    now: Date.now,
  };
  const requests = readRequests(app);
  const ctx: ReconcileContext = {
    deps, key: appKeyOf(app), app, log: deps.logger, signal: new AbortController().signal, force: true,
    requests: options.revision === undefined ? requests : { ...requests, syncRevision: options.revision },
  };
  return { result: await runPipeline(ctx), ctx };
}
