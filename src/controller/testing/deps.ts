import { pino } from 'pino';
import type { ChartSourcePort, DestinationPorts, DestinationResolver } from '../ports.js';
import { fixedDestination, inCluster } from '../adapters.js';
import PQueue from 'p-queue';
import { FakeRepoCache } from '../../git/testing/fake-repo-cache.js';
import { builtInHealth } from '../../health/custom/checks.js';
import { RenderCache } from '../../render/cache.js';
import { localManifestRenderer } from '../../render/manifest-renderer.js';
import { AppVersions, RefreshReasons } from '../app-memory.js';
import type { ReconcileDeps } from '../deps.js';
import { DiffCache } from '../diff-cache.js';
import { RaisedIntervals } from '../interval.js';
import { ControllerMetrics } from '../metrics.js';
import { SelfHealBackoff } from '../self-heal.js';
import { PromotionClock } from '../promotion.js';
import { FakeAppStore, FakeEvents } from './fake-app-store.js';
import { FakeCluster } from './fake-cluster.js';
import { fixedProjects } from '../project-source.js';

export interface FakeWorld {
  readonly deps: ReconcileDeps;
  readonly apps: FakeAppStore;
  readonly cluster: FakeCluster;
  readonly repos: FakeRepoCache;
  readonly events: FakeEvents;
  /** The clock the reconcile reads; tests move it. */
  readonly clock: { now: number };
}

const noChartRepo = { ok: false, code: 'ChartRepoError', message: 'no chart repositories in unit tests' } as const;

/** Unit tests read no chart repository. */
const noCharts: ChartSourcePort = {
  resolve: () => Promise.resolve(noChartRepo),
  fetch: () => Promise.resolve(noChartRepo),
  invalidate: () => undefined,
};

/** The fake cluster as an app's destination. */
export function fakeDestinationPorts(cluster: FakeCluster): DestinationPorts {
  return {
    ...inCluster, kinds: cluster.kindResolver, live: cluster.live, applier: cluster.applier,
    // The fake cluster authorizes every user alike.
    applierAs: () => cluster.applier,
    capabilities: { get: () => Promise.resolve({ kubeVersion: 'v1.35.0', apiVersions: ['v1', 'apps/v1', 'batch/v1'] }) },
  };
}

/** Every app deploys to the fake cluster. */
export function fakeDestination(cluster: FakeCluster): DestinationResolver {
  return fixedDestination(fakeDestinationPorts(cluster));
}

/** ReconcileDeps over in-memory fakes, for unit tests of the reconcile pipeline. */
export function fakeWorld(overrides: Partial<ReconcileDeps> = {}): FakeWorld {
  const apps = new FakeAppStore();
  const cluster = new FakeCluster();
  const repos = new FakeRepoCache();
  const events = new FakeEvents();
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const deps: ReconcileDeps = {
    apps, destinations: fakeDestination(cluster), projects: fixedProjects([]), repos, events,
    renderCache: new RenderCache(), renderer: localManifestRenderer(),
    charts: noCharts, diffCache: new DiffCache(), logger: pino({ level: 'silent' }), metrics: new ControllerMetrics(),
    appVersions: new AppVersions(), refreshReasons: new RefreshReasons(), selfHeal: new SelfHealBackoff(), promotionClock: new PromotionClock(), raisedIntervals: new RaisedIntervals(), health: builtInHealth,
    pools: { dryRuns: new PQueue({ concurrency: 4 }), reads: new PQueue({ concurrency: 4 }) },
    settings: { defaultIntervalMs: 180_000, minIntervalMs: 10_000, waveTimeoutMs: 2_000, maxStatusResources: 500 },
    now: () => clock.now,
    ...overrides,
  };
  return { deps, apps, cluster, repos, events, clock };
}
