import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { applicationApiVersion, applicationKind, type Application } from '../../api/application.js';
import type { Result } from '../../api/result.js';
import { ApplicationCrdMissingError, isApplication } from '../../cluster/applications.js';
import { Discovery, type ResourceInfo } from '../../cluster/discovery.js';
import { isConflict } from '../../cluster/errors.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';

/** Flags every `capstan app` command takes to find the cluster and the Application. */
export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
}

/** What a guarded patch does with the Application as read: patch it (merge patch), or refuse, saying why. */
export type PatchDecision = { readonly patch: { readonly metadata?: Record<string, unknown>; readonly [field: string]: unknown } } | { readonly refuse: string };

/** Times a guarded patch reads again when the Application changed under it. */
const guardedPatchAttempts = 8;

/** Reads and annotates Applications for the CLI (the controller does the work). */
export class AppClient {
  readonly resources: ResourceClient;
  readonly http: KubeHttp;
  private info: ResourceInfo | undefined;

  /** From the kubeconfig the flags name, or from a kubeconfig already built (the dashboard's per-user one). */
  constructor(source: Pick<ConnectionFlags, 'kubeconfig' | 'context'> | KubeConfig) {
    const kc = source instanceof KubeConfig ? source : loadKubeConfig({ kubeconfig: source.kubeconfig, context: source.context });
    this.http = new KubeHttp(kc);
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  /** The Application resource as the API server serves it (throws when the CRD is not installed). */
  async applications(): Promise<ResourceInfo> {
    this.info ??= await this.resources.discovery.resolve(applicationApiVersion, applicationKind);
    if (this.info === undefined) throw new ApplicationCrdMissingError();
    return this.info;
  }

  async get(namespace: string, name: string): Promise<Application> {
    await this.applications();
    const obj = await this.resources.get(applicationApiVersion, applicationKind, namespace, name);
    if (obj === undefined || !isApplication(obj)) throw new AppNotFoundError(namespace, name);
    return obj;
  }

  /** Applications of one namespace, or of all (namespace undefined), sorted by namespace and name. */
  async list(namespace: string | undefined): Promise<Application[]> {
    const info = await this.applications();
    const listed = await this.resources.list(info, namespace === undefined ? {} : { namespace });
    return listed.items.filter(isApplication).sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`.localeCompare(`${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`));
  }

  /** Sets (string) or removes (null) annotations with one merge patch. */
  async annotate(namespace: string, name: string, annotations: Record<string, string | null>, options: { fieldManager?: string } = {}): Promise<Application> {
    const info = await this.applications();
    const result = await this.resources.patch(info, namespace, name, { metadata: { annotations } }, { type: 'merge', ...(options.fieldManager !== undefined ? { fieldManager: options.fieldManager } : {}) });
    if (!isApplication(result)) throw new Error(`unexpected answer patching Application ${namespace}/${name}`);
    return result;
  }

  /**
   * Merge-patches what `decide` makes of the Application as read now, on condition that it is
   * still that version when the patch arrives (its resourceVersion). When it changed meanwhile
   * (the controller writes status often), it is read and decided again, so a check made in
   * `decide` holds for the object patched.
   */
  async patchGuarded(namespace: string, name: string, decide: (app: Application) => PatchDecision): Promise<Result<Application, string>> {
    const info = await this.applications();
    for (let attempt = 1; ; attempt++) {
      const app = await this.get(namespace, name);
      const decision = decide(app);
      if ('refuse' in decision) return { ok: false, error: decision.refuse };
      const patch = { ...decision.patch, metadata: { ...(decision.patch.metadata ?? {}), resourceVersion: app.metadata.resourceVersion } };
      try {
        const result = await this.resources.patch(info, namespace, name, patch, { type: 'merge' });
        if (!isApplication(result)) throw new Error(`unexpected answer patching Application ${namespace}/${name}`);
        return { ok: true, value: result };
      } catch (err) {
        if (!isConflict(err) || attempt >= guardedPatchAttempts) throw err;
      }
    }
  }

  /**
   * Sets the top-level `operation` field (Argo CD's kubectl sync interface) unless `refuse`
   * says why not, judged on the Application as patched (see patchGuarded).
   */
  async requestOperation(namespace: string, name: string, operation: object, refuse: (app: Application) => string | undefined): Promise<Result<Application, string>> {
    return this.patchGuarded(namespace, name, (app) => {
      const why = refuse(app);
      return why === undefined ? { patch: { operation } } : { refuse: why };
    });
  }

  /** Polls until `done` returns a value; throws after `timeoutMs`. */
  async waitFor<T>(namespace: string, name: string, done: (app: Application) => T | undefined, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = done(await this.get(namespace, name));
      if (result !== undefined) return result;
      if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)}s waiting for Application ${namespace}/${name}`);
      await sleep(500);
    }
  }

  close(): void {
    this.http.close();
  }
}

export class AppNotFoundError extends Error {
  readonly code = 'APP_NOT_FOUND';
  constructor(namespace: string, name: string) {
    super(`Application ${namespace}/${name} not found`);
    this.name = 'AppNotFoundError';
  }
}
