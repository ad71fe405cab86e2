/**
 * One campaign environment: a namespace of Applications, one destination namespace per app with a
 * bystander ConfigMap no app declares, a Git repository holding the workload, the observer and
 * the controller replicas. `trial` commits the next generation, lets the scenario inject its
 * fault, waits for every app to converge and checks the invariants.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppsV1Api, BatchV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Application } from '../../src/api/application.js';
import { parseTrackingId } from '../../src/api/tracking.js';
import { trackingIdAnnotation } from '../../src/api/annotations.js';
import { repoRoot } from '../cluster/paths.js';
import { Apps } from '../integration/support/capstan.js';
import { TestRepo } from '../integration/support/git-repo.js';
import { eventually, uniqueName } from '../integration/support/kube.js';
import { checkInvariants, type LiveObject, type ObjectRef, type Violation } from './invariants.js';
import { Observer, refOf } from './observer.js';
import { Replicas, type ReplicaOptions } from './replicas.js';
import { appFiles, appName, appPath, declaredObjects, type WorkloadShape } from './workload.js';

export interface EnvOptions {
  /** A prefix for namespaces and process names. */
  readonly name: string;
  /** Admin kubeconfig of the cluster the apps deploy to and the controller runs against. */
  readonly kubeconfig: string;
  readonly shape: WorkloadShape;
  readonly replicas: number;
  /** The repository URL apps use (default: the repository's file:// URL). */
  readonly repoUrl?: (repo: TestRepo) => string;
  readonly extraArgs?: readonly string[];
  readonly placement?: ReplicaOptions['placement'];
  /** How long an app may take to converge after a fault (default 180 s). */
  readonly convergeTimeoutMs?: number;
  /** The last `apps` apps deploy to this second cluster, registered by a cluster Secret as `name`. */
  readonly remote?: { readonly kubeconfig: string; readonly name: string; readonly apps: number };
}

/** Where an app deploys: its namespace and the cluster's admin client. */
export interface Destination {
  readonly namespace: string;
  readonly kc: KubeConfig;
  /** The registered cluster name (destination.name), for an app of the second cluster. */
  readonly cluster?: string;
}

export interface TrialResult {
  readonly faults: number;
  /** What the trial saw happen: syncs completed, hooks created, objects deleted, controller writes. */
  readonly seen: { readonly syncs: number; readonly hooks: number; readonly deletions: number; readonly writes: number };
  /** Fault end → every app Synced and Healthy at the new commit; undefined when it never did. */
  readonly convergeMs: number | undefined;
  readonly violations: readonly Violation[];
}

/** What a scenario's fault gets: the environment and the commit the trial made. */
export interface TrialContext {
  readonly env: ChaosEnv;
  readonly head: string;
  /** Records a violation the fault itself found (what must hold while it lasts). */
  readonly report: (violation: Violation) => void;
}

export function kubectlAt(kubeconfig: string, ...args: string[]): string {
  return execFileSync('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const group = 'capstan.dev';
const version = 'v1alpha1';

export class ChaosEnv {
  readonly kc = new KubeConfig();
  readonly namespace: string;
  readonly repo = new TestRepo('capstan-chaos-repo-');
  readonly apps: Apps;
  readonly destinations: Destination[];
  readonly observer: Observer;
  readonly replicas: Replicas;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'capstan-chaos-'));
  private generation = 0;
  private readonly bystanders = new Set<ObjectRef>();
  /** What the last trials saw that is worth a look though it breaks no invariant; the runner prints and empties it. */
  readonly notes: string[] = [];

  constructor(readonly options: EnvOptions) {
    this.kc.loadFromFile(options.kubeconfig);
    this.namespace = uniqueName(options.name);
    this.apps = new Apps(this.kc, this.namespace);
    const remote = options.remote;
    const remoteKc = new KubeConfig();
    if (remote !== undefined) remoteKc.loadFromFile(remote.kubeconfig);
    this.destinations = Array.from({ length: options.shape.apps }, (_, i): Destination => {
      const namespace = `${this.namespace}-d${i}`;
      return remote !== undefined && i >= options.shape.apps - remote.apps ? { namespace, kc: remoteKc, cluster: remote.name } : { namespace, kc: this.kc };
    });
    this.observer = new Observer(this.kc, this.namespace, this.destinations);
    this.replicas = new Replicas({
      namespace: this.namespace, adminKubeconfig: options.kubeconfig, workDir: this.workDir, replicas: options.replicas,
      ...(options.extraArgs !== undefined ? { extraArgs: options.extraArgs } : {}),
      ...(options.placement !== undefined ? { placement: options.placement } : {}),
    });
  }

  get head(): number {
    return this.generation;
  }

  async setUp(): Promise<void> {
    kubectlAt(this.options.kubeconfig, 'apply', '--server-side', '--force-conflicts', '-f', join(repoRoot, 'crds', 'application.yaml'), '-f', join(repoRoot, 'crds', 'appproject.yaml'));
    await eventually('the Application kind to be served', () => Promise.resolve(kubectlAt(this.options.kubeconfig, 'api-resources', '--api-group=capstan.dev').includes('Application') ? true : undefined));
    await this.kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: this.namespace } } });
    for (const dest of this.destinations) {
      const core = dest.kc.makeApiClient(CoreV1Api);
      await core.createNamespace({ body: { metadata: { name: dest.namespace } } });
      await core.createNamespacedConfigMap({ namespace: dest.namespace, body: { metadata: { name: 'bystander' }, data: { declaredBy: 'nobody' } } });
      this.bystanders.add(`ConfigMap/${dest.namespace}/bystander`);
    }
    if (this.options.remote !== undefined) this.registerRemote(this.options.remote);
    const sha = this.commitNext();
    const repoURL = this.options.repoUrl?.(this.repo) ?? this.repo.url;
    for (const [i, dest] of this.destinations.entries()) {
      await this.apps.create(appName(i), {
        repoURL, path: appPath(i), destinationNamespace: dest.namespace, interval: '2s',
        ...(dest.cluster !== undefined ? { extraSpec: { destination: { name: dest.cluster, namespace: dest.namespace } } } : {}),
      });
    }
    await this.observer.start();
    await this.replicas.start();
    if (await this.waitConverged(sha, this.options.convergeTimeoutMs ?? 180_000) === undefined) throw new Error(`the apps did not converge at ${sha} after set-up`);
  }

  /** Writes and commits the next generation of every app; returns the commit. */
  commitNext(): string {
    this.generation++;
    for (let i = 0; i < this.options.shape.apps; i++) {
      this.repo.remove(appPath(i));
      for (const [path, content] of appFiles(this.options.shape, i, this.generation)) this.repo.write(path, content);
    }
    return this.repo.commit(`generation ${this.generation}`);
  }

  /** One trial: a new commit, the scenario's fault (it returns how many faults it injected), convergence, the invariants. */
  async trial(fault: (ctx: TrialContext) => Promise<number>): Promise<TrialResult> {
    const started = Date.now();
    this.observer.resetTrial();
    const historyBefore = new Map(this.appNames().map((name) => [name, Math.max(0, ...(this.observer.appNamed(name)?.status?.history ?? []).map((h) => h.id))]));
    const declaredBefore = this.declared(this.generation);
    const head = this.commitNext();
    const found: Violation[] = [];
    const faults = await fault({ env: this, head, report: (v) => found.push(v) });
    const faultEnd = Date.now();
    const convergedAt = await this.waitConverged(head, this.options.convergeTimeoutMs ?? 180_000);
    const apps = await Promise.all(this.appNames().map(async (name) => this.apps.get(name)));
    const violations = checkInvariants({
      declared: this.appNames().map((name, i) => ({ name, revision: head, objects: declaredObjects(this.options.shape, this.destinations[i]?.namespace ?? '', this.generation) })),
      live: await this.liveObjects(),
      bystanders: this.bystanders,
      declaredBefore,
      apps: apps.flatMap((a) => (a === undefined ? [] : [{
        name: a.metadata.name ?? '', history: a.status?.history ?? [],
        ...(a.status?.sync?.status !== undefined ? { syncStatus: a.status.sync.status } : {}),
        ...(a.status?.sync?.revision !== undefined ? { revision: a.status.sync.revision } : {}),
      }])),
      historyBefore,
      completedSyncs: this.observer.completedSyncs,
      failedSyncs: this.observer.failedSyncs,
      hookRuns: this.observer.hookRuns,
      deletions: this.observer.deletions,
      writes: this.replicas.writesSince(started),
      leases: this.observer.leases,
      identities: this.replicas.identities(),
    });
    const restarts = this.replicas.failures.splice(0).map((detail) => ({ invariant: 'converged' as const, detail }));
    this.explainExtraHooks();
    const seen = { syncs: this.observer.completedSyncs.length, hooks: new Set(this.observer.hookRuns.map((h) => h.uid)).size, deletions: this.observer.deletions.length, writes: this.replicas.writesSince(started).length };
    return { faults, seen, convergeMs: convergedAt === undefined ? undefined : convergedAt - faultEnd, violations: [...found, ...violations, ...restarts] };
  }

  /** Waits until some app runs a sync of `head` (the moment to strike mid-sync). */
  async syncRunning(head: string): Promise<void> {
    await eventually(`a sync of ${head.slice(0, 7)} to run`, () => Promise.resolve(this.appNames().some((name) => {
      const op = this.observer.appNamed(name)?.status?.operationState;
      return op?.revision === head && (op.phase === 'Running' || op.phase === 'Succeeded');
    }) ? true : undefined), 120_000, 50);
  }

  /** When every app was Synced and Healthy at `head` with its sync finished, or undefined at the timeout. */
  async waitConverged(head: string, timeoutMs: number): Promise<number | undefined> {
    const converged = (app: Application | undefined): boolean => {
      const op = app?.status?.operationState;
      return app?.status?.sync?.status === 'Synced' && app.status.sync.revision === head && app.status.health?.status === 'Healthy'
        && (op === undefined || (op.phase !== 'Running' && op.phase !== 'Terminating'));
    };
    try {
      return await eventually(`every app Synced at ${head.slice(0, 7)}`, async () => {
        const apps = await Promise.all(this.appNames().map(async (name) => this.apps.get(name)));
        return apps.every(converged) ? Date.now() : undefined;
      }, timeoutMs, 200);
    } catch {
      return undefined;
    }
  }

  /** Hooks created more often than syncs completed: what ran, for the campaign's log (not a violation by itself). */
  private explainExtraHooks(): void {
    for (const name of this.appNames()) {
      const i = this.appNames().indexOf(name);
      const dest = this.destinations[i]?.namespace ?? '';
      const hooks = [...new Map(this.observer.hookRuns.filter((h) => h.ref.split('/')[1] === dest).map((h) => [h.uid, h])).values()];
      const syncs = this.observer.completedSyncs.filter((c) => c.app === name).length;
      if (hooks.length <= syncs) continue;
      this.notes.push(`${name}: ${hooks.length} hook runs (${hooks.map((h) => h.syncId).join(', ')}) for ${syncs} completed syncs; operations seen: ${this.observer.operations.filter((o) => o.app === name).map((o) => `${o.syncId} ${o.phase} "${o.message.slice(0, 120)}"`).join('; ')}`);
    }
  }

  appNames(): string[] {
    return Array.from({ length: this.options.shape.apps }, (_, i) => appName(i));
  }

  private declared(generation: number): Map<string, Set<ObjectRef>> {
    return new Map(this.appNames().map((name, i) => [name, declaredObjects(this.options.shape, this.destinations[i]?.namespace ?? '', generation)]));
  }

  private async liveObjects(): Promise<LiveObject[]> {
    const out: LiveObject[] = [];
    const add = (kind: string, items: readonly KubernetesObject[]): void => {
      for (const obj of items) {
        const tracking = obj.metadata?.annotations?.[trackingIdAnnotation];
        const parsed = tracking === undefined ? undefined : parseTrackingId(tracking);
        const trackedBy = parsed?.app.namespace === this.namespace ? parsed.app.name : undefined;
        out.push({
          ref: refOf(kind, obj), uid: obj.metadata?.uid ?? '', hook: obj.metadata?.annotations?.['capstan.dev/sync-id'] !== undefined,
          deleting: obj.metadata?.deletionTimestamp !== undefined, ...(trackedBy !== undefined ? { trackedBy } : {}),
        });
      }
    };
    for (const { namespace, kc } of this.destinations) {
      add('ConfigMap', (await kc.makeApiClient(CoreV1Api).listNamespacedConfigMap({ namespace })).items);
      add('Job', (await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace })).items);
      add('Deployment', (await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace })).items);
    }
    return out;
  }

  /** The second cluster as Argo CD would register it: a cluster Secret with its server, CA and a client certificate. */
  private registerRemote(remote: NonNullable<EnvOptions['remote']>): void {
    const kc = new KubeConfig();
    kc.loadFromFile(remote.kubeconfig);
    const cluster = kc.getCurrentCluster();
    const user = kc.getCurrentUser();
    if (cluster === null || user === null) throw new Error(`${remote.kubeconfig} has no current cluster or user`);
    const secret = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: `cluster-${remote.name}`, namespace: this.namespace, labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: remote.name, server: cluster.server, config: JSON.stringify({ tlsClientConfig: { caData: cluster.caData, certData: user.certData, keyData: user.keyData } }) },
    };
    execFileSync('kubectl', ['--kubeconfig', this.options.kubeconfig, 'apply', '--server-side', '-f', '-'], { input: JSON.stringify(secret), stdio: ['pipe', 'pipe', 'pipe'] });
  }

  async tearDown(): Promise<void> {
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    for (const name of this.appNames()) await this.apps.delete(name).catch(() => undefined);
    const gone = await eventually('the apps to be deleted', async () => ((await this.apps.list().catch(() => ['?'])).length === 0 ? true : undefined), 60_000).catch(() => false);
    if (!gone) {
      for (const name of await this.apps.list().catch(() => [])) {
        await custom.patchNamespacedCustomObject({ group, version, plural: 'applications', namespace: this.namespace, name, body: [{ op: 'remove', path: '/metadata/finalizers' }] }).catch(() => undefined);
      }
    }
    await this.replicas.stop();
    await this.observer.stop();
    await this.kc.makeApiClient(CoreV1Api).deleteNamespace({ name: this.namespace }).catch(() => undefined);
    for (const dest of this.destinations) await dest.kc.makeApiClient(CoreV1Api).deleteNamespace({ name: dest.namespace }).catch(() => undefined);
    this.repo.destroy();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
