import type { PromotionClock } from './promotion.js';
import type { Logger } from 'pino';
import type { ObjectHealth } from '../health/custom/checks.js';
import type PQueue from 'p-queue';
import type { RenderCache } from '../render/cache.js';
import type { AppSourceRenderer } from '../render/manifest-renderer.js';
import type { AppVersions, RefreshReasons } from './app-memory.js';
import type { DiffCache } from './diff-cache.js';
import type { RaisedIntervals } from './interval.js';
import type { ControllerMetrics } from './metrics.js';
import type { SelfHealBackoff } from './self-heal.js';
import type { AppStore, ChartSourcePort, DestinationResolver, EventSink, RepoCachePort } from './ports.js';
import type { ProjectSource } from './project-source.js';

/** Everything one reconcile uses; built once by the controller (or by a unit test, from fakes). */
export interface ReconcileDeps {
  readonly apps: AppStore;
  /** Each app's destination cluster: its kinds, live objects, applier and capabilities. */
  readonly destinations: DestinationResolver;
  /** The AppProjects whose rules and sync windows each app obeys. */
  readonly projects: ProjectSource;
  readonly repos: RepoCachePort;
  readonly events: EventSink;
  readonly renderCache: RenderCache;
  /** Renders sources the render cache does not hold (directories in worker threads, tools in the sandbox). */
  readonly renderer: AppSourceRenderer;
  /** Charts of chart repositories and OCI registries. */
  readonly charts: ChartSourcePort;
  readonly diffCache: DiffCache;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics;
  /** The resourceVersion of each app as this controller last wrote it. */
  readonly appVersions: AppVersions;
  /** Why an app was refreshed from outside (a webhook), until its next reconcile records it. */
  readonly refreshReasons: RefreshReasons;
  /** Self-heal backoff per app (field fights). */
  readonly selfHeal: SelfHealBackoff;
  /** Since when each app that others follow (spec.promotion) has been Synced and Healthy. */
  readonly promotionClock: PromotionClock;
  /** Apps already told that --min-interval raises their spec.interval. */
  readonly raisedIntervals: RaisedIntervals;
  /** The health of live objects: the built-in rules, and the Lua scripts of capstan-config. */
  readonly health: ObjectHealth;
  /** Bounded pools shared by all reconciles: server-side dry runs, and GETs of objects not in the cache. */
  readonly pools: { readonly dryRuns: PQueue; readonly reads: PQueue };
  readonly settings: ControllerSettings;
  /** Milliseconds since the epoch (injected so that retry backoff is testable). */
  readonly now: () => number;
}

export interface ControllerSettings {
  /** Git poll interval when an Application sets none. */
  readonly defaultIntervalMs: number;
  /** The floor on every app's poll interval (--min-interval). */
  readonly minIntervalMs: number;
  /** How long a sync waits for one wave to become healthy. */
  readonly waveTimeoutMs: number;
  /** Bound on status.resources entries (the rest is summarised). */
  readonly maxStatusResources: number;
  /**
   * Namespaces no app may put objects in (nor declare as Namespace objects): the controller's own,
   * unless --allow-own-namespace, and every --protect-namespace. None when unset.
   */
  readonly protectedNamespaces?: readonly string[];
  /** The render tools' versions (`kustomize v5.8.1, helm v4.3.2, …`): part of every render's cache key. */
  readonly renderTools?: string;
  /** Kinds an app may place in a protected namespace after all: the controller's own inputs there (Argo CD's Applications and AppProjects in --argocd-compat). */
  readonly ownNamespaceKinds?: readonly { readonly group: string; readonly kind: string }[];
  /** Which finalizers on an app make its deletion delete its objects (default Capstan's, added to every new app). */
  readonly appFinalizers?: AppFinalizers;
}

/** The finalizers that make an app's deletion delete its objects, each with how objects are deleted. */
export interface AppFinalizers {
  readonly names: ReadonlyMap<string, 'Foreground' | 'Background'>;
  /** Added to an app the first time it is seen (before it has a status); none: only apps that carry one delete their objects. */
  readonly addToNew?: string;
}
