import type { Application, ApplicationStatus } from '../api/application.js';
import { fieldManager } from '../api/annotations.js';
import { isRecord, type KubeObject } from '../api/object.js';
import { statusApplyBody, viewOf } from '../argocd/application-view.js';
import type { Unsupported } from '../argocd/unsupported.js';
import { argoApiVersion, argoApplicationKind, type ArgoApplication } from '../argocd/types.js';
import type { ApplicationSource } from './applications.js';
import type { ResourceInfo } from './discovery.js';
import type { KubeHttp } from './http.js';
import { Informer, type InformerHandler } from './informer.js';
import type { ResourceClient } from './resources.js';

/** The field manager of the status Capstan writes onto Argo CD Applications. */
export const statusFieldManager = `${fieldManager}-status`;

function isArgoApplication(obj: KubeObject): obj is KubeObject & ArgoApplication {
  return obj.kind === argoApplicationKind && isRecord(obj['spec']);
}

interface Viewed {
  readonly resourceVersion: string | undefined;
  readonly argo: ArgoApplication;
  readonly app: Application;
  readonly unsupported: readonly Unsupported[];
}

/**
 * Argo CD's Applications (argoproj.io/v1alpha1) of the watched namespaces, seen as the Capstan
 * Applications the controller reconciles (application-view.ts), and their status written back in
 * Argo CD's format, on the object itself (the CRD has no status subresource). Each view is made
 * once per resourceVersion.
 */
export class ArgoApplicationStore implements ApplicationSource {
  private readonly informers: Informer[] = [];
  private readonly views = new Map<string, Viewed>();
  private info: ResourceInfo | undefined;

  constructor(
    private readonly http: KubeHttp,
    private readonly resources: ResourceClient,
    private readonly namespaces: readonly string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts a watch per namespace and waits until each has listed; `onChange` is given the views. */
  async start(onChange: InformerHandler, onError: (err: unknown) => void): Promise<void> {
    const info = await this.resources.discovery.resolve(argoApiVersion, argoApplicationKind);
    if (info === undefined) throw new Error(`the Argo CD Application CRD (applications.argoproj.io) is not installed`);
    this.info = info;
    for (const namespace of this.namespaces) {
      const informer = new Informer(this.http, this.resources, info, { namespace, onError });
      informer.onChange((type, obj, old) => {
        const view = isArgoApplication(obj) ? this.view(obj) : undefined;
        if (type === 'DELETED') this.views.delete(keyOf(obj));
        if (view === undefined) return;
        const before = old !== undefined && isArgoApplication(old) ? viewOf(old).app : undefined;
        onChange(type, view.app, before);
      });
      informer.start();
      this.informers.push(informer);
    }
    await Promise.all(this.informers.map((i) => i.synced));
  }

  get(namespace: string, name: string): Application | undefined {
    for (const informer of this.informers) {
      const obj = informer.get(namespace, name);
      if (obj !== undefined && isArgoApplication(obj)) return this.view(obj).app;
    }
    return undefined;
  }

  list(): Application[] {
    return this.informers.flatMap((i) => i.list()).filter(isArgoApplication).map((o) => this.view(o).app);
  }

  /** The Argo CD fields of the app Capstan does not carry out (the app is refused while there are any). */
  unsupported(app: Application): readonly Unsupported[] {
    return this.views.get(keyOf(app))?.unsupported ?? [];
  }

  /** The app as the API server has it now. */
  async fetch(namespace: string, name: string): Promise<Application | undefined> {
    const obj = await this.resources.get(argoApiVersion, argoApplicationKind, namespace, name);
    return obj !== undefined && isArgoApplication(obj) ? this.view(obj).app : undefined;
  }

  /**
   * Writes Capstan's status in Argo CD's format: a server-side apply of the object's status under a
   * field manager of its own, since the object's spec may be applied as `capstan` too (a parent
   * app's child), and an apply drops the fields its manager set before and sets no more.
   */
  async writeStatus(app: Application, status: ApplicationStatus): Promise<Application> {
    const argo = this.views.get(keyOf(app))?.argo ?? await this.fetchArgo(app);
    const body = statusApplyBody(argo, status, new Date(this.now()).toISOString());
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', body, { type: 'apply', fieldManager: statusFieldManager, force: true });
    return this.viewOfResult(result);
  }

  /** Sets one annotation (undefined removes it) by a merge patch: nothing else changes. */
  async annotate(app: Application, key: string, value: string | undefined): Promise<Application> {
    const body = { metadata: { annotations: { [key]: value ?? null } } };
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', body, { type: 'merge', fieldManager });
    return this.viewOfResult(result);
  }

  /** A JSON patch of the object's metadata or operation field (finalizers, handled annotations, the operation taken). */
  async patch(app: Application, operations: readonly object[]): Promise<Application> {
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', operations, { type: 'json' });
    return this.viewOfResult(result);
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }

  private view(obj: ArgoApplication): Viewed {
    const key = keyOf(obj);
    const cached = this.views.get(key);
    if (cached !== undefined && cached.resourceVersion !== undefined && cached.resourceVersion === obj.metadata.resourceVersion) return cached;
    const { app, unsupported } = viewOf(obj);
    const viewed: Viewed = { resourceVersion: obj.metadata.resourceVersion, argo: obj, app, unsupported };
    this.views.set(key, viewed);
    return viewed;
  }

  private viewOfResult(result: KubeObject): Application {
    if (!isArgoApplication(result)) throw new Error('the API server answered with something that is not an Argo CD Application');
    return this.view(result).app;
  }

  private async fetchArgo(app: Application): Promise<ArgoApplication> {
    const obj = await this.resources.get(argoApiVersion, argoApplicationKind, app.metadata.namespace ?? '', app.metadata.name ?? '');
    if (obj === undefined || !isArgoApplication(obj)) throw new Error(`Application ${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''} (argoproj.io) does not exist`);
    return obj;
  }

  private resourceInfo(): ResourceInfo {
    if (this.info === undefined) throw new Error('ArgoApplicationStore used before start()');
    return this.info;
  }
}

function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}
