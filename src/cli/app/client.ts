import { setTimeout as sleep } from 'node:timers/promises';
import { applicationApiVersion, applicationKind, type Application } from '../../api/application.js';
import { ApplicationCrdMissingError, isApplication } from '../../cluster/applications.js';
import { Discovery, type ResourceInfo } from '../../cluster/discovery.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';

/** Flags every `capstan app` command takes to find the cluster and the Application. */
export interface ConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
}

/** Reads and annotates Applications for the CLI (the controller does the work). */
export class AppClient {
  readonly resources: ResourceClient;
  private readonly http: KubeHttp;
  private info: ResourceInfo | undefined;

  constructor(flags: Pick<ConnectionFlags, 'kubeconfig' | 'context'>) {
    const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
    this.http = new KubeHttp(kc);
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  private async applications(): Promise<ResourceInfo> {
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
  async annotate(namespace: string, name: string, annotations: Record<string, string | null>): Promise<Application> {
    const info = await this.applications();
    const result = await this.resources.patch(info, namespace, name, { metadata: { annotations } }, { type: 'merge' });
    if (!isApplication(result)) throw new Error(`unexpected answer patching Application ${namespace}/${name}`);
    return result;
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
