/**
 * Watches what the campaign's invariants need while faults are injected: each app's completed
 * syncs, the hooks created, the objects deleted, and who held the lease from when. Its watches
 * start again after an error (the API server restarting, a 410 after compaction relists).
 */
import {
  AppsV1Api, BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, makeInformer,
  type Informer, type KubeConfig, type KubernetesListObject, type KubernetesObject, type ObjectCache,
} from '@kubernetes/client-node';
import type { Application } from '../../src/api/application.js';
import { syncIdAnnotation } from '../../src/api/annotations.js';
import type { CompletedSync, Deletion, FailedSync, HookRun, LeaseHolding } from './invariants.js';

type Watched = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

const restartDelayMs = 500;

/** `kind/namespace/name`. */
export function refOf(kind: string, obj: KubernetesObject): string {
  return `${kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

const isHook = (obj: KubernetesObject): boolean => obj.metadata?.annotations?.[syncIdAnnotation] !== undefined;

export class Observer {
  private readonly informers: Watched[] = [];
  private stopped = false;
  private readonly seenSyncs = new Set<string>();
  private readonly latest = new Map<string, Application>();
  completedSyncs: CompletedSync[] = [];
  failedSyncs: FailedSync[] = [];
  hookRuns: HookRun[] = [];
  deletions: Deletion[] = [];
  readonly leases: LeaseHolding[] = [];
  /** Each operation state the trial saw, once per (app, start, sync id, phase): for reports. */
  operations: { app: string; startedAt: string; syncId: string; phase: string; message: string }[] = [];
  private readonly seenOperations = new Set<string>();
  private readonly seenDeletions = new Set<string>();
  /** Called on every change of an app (the harness waits on it). */
  onApp: ((app: Application) => void) | undefined;

  constructor(private readonly kc: KubeConfig, private readonly appNamespace: string, private readonly destinations: readonly { readonly namespace: string; readonly kc: KubeConfig }[]) {}

  async start(): Promise<void> {
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    const leases = this.kc.makeApiClient(CoordinationV1Api);
    const ns = this.appNamespace;
    const list = <T>(fn: () => Promise<T>): (() => Promise<KubernetesListObject<KubernetesObject>>) => fn as unknown as () => Promise<KubernetesListObject<KubernetesObject>>;
    this.watch(this.kc, `/apis/capstan.dev/v1alpha1/namespaces/${ns}/applications`, list(() => custom.listNamespacedCustomObject({ group: 'capstan.dev', version: 'v1alpha1', plural: 'applications', namespace: ns })), {
      change: (obj) => {
        this.app(obj as Application);
      },
    });
    this.watch(this.kc, `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`, list(() => leases.listNamespacedLease({ namespace: ns })), {
      change: (obj) => {
        this.lease(obj);
      },
    });
    for (const { namespace: dest, kc } of this.destinations) {
      const core = kc.makeApiClient(CoreV1Api);
      const batch = kc.makeApiClient(BatchV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      for (const [kind, path, fn] of [
        ['ConfigMap', `/api/v1/namespaces/${dest}/configmaps`, () => core.listNamespacedConfigMap({ namespace: dest })],
        ['Job', `/apis/batch/v1/namespaces/${dest}/jobs`, () => batch.listNamespacedJob({ namespace: dest })],
        ['Deployment', `/apis/apps/v1/namespaces/${dest}/deployments`, () => apps.listNamespacedDeployment({ namespace: dest })],
      ] as const) {
        this.watch(kc, path, list(fn), {
          change: (obj) => {
            if (isHook(obj)) this.hookRuns.push({ ref: refOf(kind, obj), uid: obj.metadata?.uid ?? '', syncId: obj.metadata?.annotations?.[syncIdAnnotation] ?? '' });
            if (obj.metadata?.deletionTimestamp !== undefined) this.deleted(kind, obj);
          },
          delete: (obj) => {
            this.deleted(kind, obj);
          },
        });
      }
    }
    // Every watch has listed once before the campaign starts.
    await Promise.all(this.informers.map((i) => i.start()));
  }

  /** The app as last seen. */
  appNamed(name: string): Application | undefined {
    return this.latest.get(name);
  }

  /** Forgets what the last trial saw; syncs that completed before now are not the next trial's. */
  resetTrial(): void {
    this.completedSyncs = [];
    this.failedSyncs = [];
    this.operations = [];
    this.hookRuns = [];
    this.deletions = [];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private watch(kc: KubeConfig, path: string, listFn: () => Promise<KubernetesListObject<KubernetesObject>>, handlers: { change?: (obj: KubernetesObject) => void; delete?: (obj: KubernetesObject) => void }): void {
    const informer: Watched = makeInformer(kc, path, listFn);
    if (handlers.change !== undefined) {
      informer.on('add', handlers.change);
      informer.on('update', handlers.change);
    }
    if (handlers.delete !== undefined) informer.on('delete', handlers.delete);
    informer.on('error', () => {
      if (this.stopped) return;
      setTimeout(() => {
        if (!this.stopped) informer.start().catch(() => undefined);
      }, restartDelayMs);
    });
    this.informers.push(informer);
  }

  /** A deletion counts in the trial in which it began: when deletionTimestamp was first seen, else when the object went. */
  private deleted(kind: string, obj: KubernetesObject): void {
    const uid = obj.metadata?.uid ?? '';
    if (this.seenDeletions.has(uid)) return;
    this.seenDeletions.add(uid);
    this.deletions.push({ ref: refOf(kind, obj), uid, hook: isHook(obj) });
  }

  private app(app: Application): void {
    const name = app.metadata.name ?? '';
    this.latest.set(name, app);
    const op = app.status?.operationState;
    if (op !== undefined) {
      const key = `${name} ${op.startedAt} ${op.syncId ?? ''} ${op.phase}`;
      if (!this.seenOperations.has(key)) {
        this.seenOperations.add(key);
        this.operations.push({ app: name, startedAt: op.startedAt, syncId: op.syncId ?? '', phase: op.phase, message: op.message });
        if (op.phase === 'Failed' || op.phase === 'Error') this.failedSyncs.push({ app: name, syncId: op.syncId ?? '', message: op.message });
      }
    }
    if (op?.phase === 'Succeeded' && op.finishedAt !== undefined && op.dryRun !== true && op.revision !== undefined) {
      const key = `${name} ${op.startedAt} ${op.revision}`;
      if (!this.seenSyncs.has(key)) {
        this.seenSyncs.add(key);
        this.completedSyncs.push({ app: name, startedAt: op.startedAt, revision: op.revision });
      }
    }
    this.onApp?.(app);
  }

  private lease(obj: KubernetesObject): void {
    const spec = (obj as { spec?: { holderIdentity?: string; acquireTime?: string | Date } }).spec;
    if (spec?.holderIdentity === undefined || spec.acquireTime === undefined) return;
    const since = new Date(spec.acquireTime).getTime();
    const last = this.leases[this.leases.length - 1];
    if (last?.holder === spec.holderIdentity && last.since === since) return;
    this.leases.push({ holder: spec.holderIdentity, since });
  }
}
