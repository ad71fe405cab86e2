/** The ports of ports.ts over the API server (cluster/). */
import type { Application, ApplicationStatus } from '../api/application.js';
import { fieldManager } from '../api/annotations.js';
import type { EventReason } from '../api/conditions.js';
import { apiVersionOf, formatGvk, type GroupVersionKind, type KubeObject, type ObjectRef } from '../api/object.js';
import { formatAppKey, type AppKey } from '../api/tracking.js';
import type { ApplicationSource } from '../cluster/applications.js';
import type { Discovery, ResourceInfo } from '../cluster/discovery.js';
import { isNotFound } from '../cluster/errors.js';
import type { EventRecorder } from '../cluster/events.js';
import type { LiveCache } from '../cluster/live-cache.js';
import { capstanTracking, isTrackedBy, type TrackingScheme } from '../api/tracking-scheme.js';
import { ResourceClient, type FieldValidation } from '../cluster/resources.js';
import type { KubeHttp } from '../cluster/http.js';
import { listableNamespacedKinds } from '../cluster/served-kinds.js';
import type { PropagationPolicy } from '../sync/options.js';
import { ok } from '../api/result.js';
import { inClusterName, inClusterServer } from '../api/validate.js';
import { ListedNamespaces } from './namespace-inventory.js';
import type { Applier, AppStore, DestinationPorts, DestinationResolver, EventSink, KindResolver, LiveState, WriteOptions } from './ports.js';

export function clusterAppStore(store: ApplicationSource): AppStore {
  return {
    get: (key) => store.get(key.namespace, key.name),
    fetch: (key) => store.fetch(key.namespace, key.name),
    list: () => store.list(),
    writeStatus: (app: Application, status: ApplicationStatus) => store.writeStatus(app, status),
    patch: (app, operations) => store.patch(app, operations),
    unsupported: (app) => store.unsupported(app),
  };
}

export function clusterKinds(discovery: Discovery): KindResolver {
  return {
    resolve: (apiVersion, kind) => discovery.resolve(apiVersion, kind),
    forget: (apiVersion) => {
      discovery.forget(apiVersion);
    },
  };
}

export function clusterLiveState(cache: LiveCache, resources: ResourceClient): LiveState {
  return {
    watch: (infos: readonly ResourceInfo[]) => cache.watch(infos),
    isWatched: (gvk: GroupVersionKind) => cache.isWatched(gvk),
    cached: (ref: ObjectRef) => cache.get(ref),
    fetch: (ref: ObjectRef) => resources.get(apiVersionOf(ref), ref.kind, ref.namespace, ref.name),
    trackedBy: (app: AppKey) => cache.trackedBy(formatAppKey(app)),
    tracking: cache.tracking,
  };
}

function validation(options: WriteOptions | undefined): FieldValidation {
  return options?.validate === false ? 'Ignore' : 'Strict';
}

export function clusterApplier(resources: ResourceClient): Applier {
  return {
    dryRun: (obj, options) => resources.apply(obj, { fieldManager, force: true, dryRun: true, fieldValidation: validation(options) }),
    apply: (obj, options) => resources.apply(obj, { fieldManager, force: true, fieldValidation: validation(options) }),
    create: (obj, options) => resources.create(obj, { fieldManager, fieldValidation: validation(options) }),
    replace: async (obj: KubeObject, options) => {
      try {
        return await resources.replace(obj, { fieldManager, fieldValidation: validation(options) });
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return resources.create(obj, { fieldManager, fieldValidation: validation(options) });
      }
    },
    delete: (ref: ObjectRef, options: { propagationPolicy: PropagationPolicy; uid?: string }) =>
      resources.delete(apiVersionOf(ref), ref.kind, ref.namespace, ref.name, {
        propagationPolicy: options.propagationPolicy,
        ...(options.uid !== undefined ? { preconditionUid: options.uid } : {}),
      }),
    patch: async (ref, operations) => {
      const info = await resources.info(apiVersionOf(ref), ref.kind);
      return resources.patch(info, ref.namespace, ref.name, operations, { type: 'json' });
    },
  };
}

export function clusterEvents(recorder: EventRecorder): EventSink {
  return {
    record: (app: Application, type: 'Normal' | 'Warning', reason: EventReason, message: string) => {
      void recorder.record(app, type, reason, message);
    },
  };
}

/**
 * A LiveState without watches, for one-shot comparisons (`capstan app diff`): `watch` lists
 * each kind's managed objects once, and the listing answers as the watch cache would.
 */
export function listedLiveState(resources: ResourceClient, tracking: TrackingScheme = capstanTracking): LiveState {
  const listed = new Map<string, Map<string, KubeObject>>();
  const byGvk = (gvk: GroupVersionKind): Map<string, KubeObject> | undefined => listed.get(formatGvk(gvk));
  return {
    watch: async (infos: readonly ResourceInfo[]) => {
      await Promise.all(infos.filter((info) => !listed.has(formatGvk(info))).map(async (info) => {
        const { items } = await resources.list(info, tracking.selector === '' ? {} : { labelSelector: tracking.selector });
        listed.set(formatGvk(info), new Map(items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o])));
      }));
    },
    isWatched: (gvk) => byGvk(gvk) !== undefined,
    cached: (ref) => byGvk(ref)?.get(`${ref.namespace}/${ref.name}`),
    fetch: (ref) => resources.get(apiVersionOf(ref), ref.kind, ref.namespace, ref.name),
    trackedBy: (app) => {
      const seen = new Set<string>();
      return [...listed.values()].flatMap((m) => [...m.values()]).filter((o) => {
        if (!isTrackedBy(tracking, o, app) || seen.has(o.metadata.uid ?? '')) return false;
        seen.add(o.metadata.uid ?? '');
        return true;
      });
    },
    tracking,
  };
}

/** An Applier for comparisons only: dry runs go to the API server, every write is refused. */
export function dryRunOnlyApplier(resources: ResourceClient): Applier {
  const refuse = (): Promise<never> => Promise.reject(new Error('this comparison does not write to the cluster'));
  return {
    dryRun: (obj, options) => resources.apply(obj, { fieldManager, force: true, dryRun: true, fieldValidation: validation(options) }),
    apply: refuse, create: refuse, replace: refuse, delete: refuse, patch: refuse,
  };
}

/** The cluster the controller runs in, as Applications name it by default. */
export const inCluster = { cluster: inClusterName, server: inClusterServer } as const;

/** The parts of one cluster the controller talks to. */
export interface ClusterConnection {
  readonly http: KubeHttp;
  readonly discovery: Discovery;
  readonly resources: ResourceClient;
  readonly cache: LiveCache;
}

/** The ports of one cluster: reads with the controller's credentials, writes as the controller or as an impersonated user. */
export function clusterDestinationPorts(cluster: { cluster: string; server: string }, connection: ClusterConnection): DestinationPorts {
  const { http, discovery, resources, cache } = connection;
  const impersonated = new Map<string, Applier>();
  return {
    ...cluster,
    kinds: clusterKinds(discovery),
    live: clusterLiveState(cache, resources),
    applier: clusterApplier(resources),
    capabilities: resources.capabilities,
    namespaces: new ListedNamespaces({
      kinds: () => listableNamespacedKinds(http, discovery),
      list: async (info, namespace) => (await resources.list(info, { namespace })).items,
      tracking: cache.tracking,
    }),
    applierAs: (user) => {
      let applier = impersonated.get(user);
      if (applier === undefined) {
        applier = clusterApplier(new ResourceClient(http.impersonating(user), discovery));
        impersonated.set(user, applier);
      }
      return applier;
    },
  };
}

/** Every app deploys to these ports (`capstan app diff`, unit tests). */
export function fixedDestination(ports: DestinationPorts): DestinationResolver {
  return { resolve: () => Promise.resolve(ok(ports)) };
}
