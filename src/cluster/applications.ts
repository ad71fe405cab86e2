import { applicationApiVersion, applicationKind, type Application, type ApplicationStatus } from '../api/application.js';
import { fieldManager } from '../api/annotations.js';
import { isRecord, type KubeObject } from '../api/object.js';
import type { ResourceInfo } from './discovery.js';
import { SyncTimeoutError } from './errors.js';
import type { KubeHttp } from './http.js';
import { Informer, type InformerHandler } from './informer.js';
import type { ResourceClient } from './resources.js';

/** The Application CRD is not installed: nothing can work until it is. */
export class ApplicationCrdMissingError extends Error {
  readonly code = 'APPLICATION_CRD_MISSING';
  constructor() {
    super('the Application CRD (applications.capstan.dev) is not installed: kubectl apply -f crds/application.yaml');
    this.name = 'ApplicationCrdMissingError';
  }
}

export function isApplication(obj: KubeObject): obj is Application {
  return obj.kind === applicationKind && isRecord(obj['spec']);
}

export interface ApplicationStoreOptions {
  /**
   * How long `start` waits for the Applications to list before it gives up; default 60 s. A
   * controller that cannot read its Applications exits (and its pod restarts) instead of hanging.
   */
  readonly syncTimeoutMs?: number;
}

/**
 * Where the controller's Applications come from and their status goes: Capstan's own
 * (ApplicationStore), or Argo CD's seen as Capstan's (ArgoApplicationStore).
 */
export interface ApplicationSource {
  start(onChange: InformerHandler, onError: (err: unknown) => void): Promise<void>;
  get(namespace: string, name: string): Application | undefined;
  list(): Application[];
  fetch(namespace: string, name: string): Promise<Application | undefined>;
  writeStatus(app: Application, status: ApplicationStatus): Promise<Application>;
  annotate(app: Application, key: string, value: string | undefined): Promise<Application>;
  patch(app: Application, operations: readonly object[]): Promise<Application>;
  /** What of the app's spec, as written, the controller does not carry out (refused as InvalidSpec): none for Capstan's own. */
  unsupported(app: Application): readonly { readonly path: string; readonly reason: string }[];
  stop(): Promise<void>;
}

/** Reads Applications from the watched namespaces (an informer each) and writes their status and metadata. */
export class ApplicationStore implements ApplicationSource {
  private readonly informers: Informer[] = [];
  private info: ResourceInfo | undefined;

  constructor(
    private readonly http: KubeHttp,
    private readonly resources: ResourceClient,
    private readonly namespaces: readonly string[],
    private readonly options: ApplicationStoreOptions = {},
  ) {}

  /**
   * Starts the informers and waits until each has listed. Rejects when the API server refuses
   * a list (403), or with a SyncTimeoutError naming the last failure when the lists have not
   * succeeded within `syncTimeoutMs`; the informers are then stopped.
   */
  async start(onChange: InformerHandler, onError: (err: unknown) => void): Promise<void> {
    const info = await this.resources.discovery.resolve(applicationApiVersion, applicationKind);
    if (info === undefined) throw new ApplicationCrdMissingError();
    this.info = info;
    const lastFailure = new Map<string, unknown>();
    for (const namespace of this.namespaces) {
      const informer = new Informer(this.http, this.resources, info, {
        namespace,
        onError: (err) => {
          lastFailure.set(namespace, err);
          onError(err);
        },
      });
      informer.onChange(onChange);
      informer.start();
      this.informers.push(informer);
    }
    const timeoutMs = this.options.syncTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const pending = this.namespaces.filter((_ns, i) => this.informers[i]?.hasSynced !== true);
        const cause = pending.map((ns) => lastFailure.get(ns)).find((err) => err !== undefined);
        const why = cause === undefined ? 'no answer' : `last failure: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}`;
        reject(new SyncTimeoutError(`the Applications of ${pending.join(', ')} did not list within ${timeoutMs} ms (${why})`, { cause }));
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all(this.informers.map((i) => i.synced)), timeout]);
    } catch (err) {
      await this.stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  get(namespace: string, name: string): Application | undefined {
    for (const informer of this.informers) {
      const obj = informer.get(namespace, name);
      if (obj !== undefined && isApplication(obj)) return obj;
    }
    return undefined;
  }

  /**
   * The app as the API server has it now. The informer's copy can lag behind the status this
   * controller just wrote; a reconcile must start from the latest status, or it would drop
   * what the previous one recorded (history, handled tokens).
   */
  async fetch(namespace: string, name: string): Promise<Application | undefined> {
    const obj = await this.resources.get(applicationApiVersion, applicationKind, namespace, name);
    return obj !== undefined && isApplication(obj) ? obj : undefined;
  }

  list(): Application[] {
    return this.informers.flatMap((i) => i.list()).filter(isApplication);
  }

  /** Capstan's own spec is validated as it is: nothing is left out by a conversion. */
  unsupported(): readonly { readonly path: string; readonly reason: string }[] {
    return [];
  }

  private resourceInfo(): ResourceInfo {
    if (this.info === undefined) throw new Error('ApplicationStore used before start()');
    return this.info;
  }

  /** Replaces the status (server-side apply of the status subresource; fields no longer set are removed). */
  async writeStatus(app: Application, status: ApplicationStatus): Promise<Application> {
    const body = { apiVersion: applicationApiVersion, kind: applicationKind, metadata: { name: app.metadata.name, namespace: app.metadata.namespace }, status };
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', body, {
      type: 'apply', subresource: 'status', fieldManager, force: true,
    });
    return result as Application;
  }

  /** Sets one annotation of the Application (undefined removes it) by a merge patch: nothing else changes. */
  async annotate(app: Application, key: string, value: string | undefined): Promise<Application> {
    const body = { metadata: { annotations: { [key]: value ?? null } } };
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', body, { type: 'merge', fieldManager: 'capstan' });
    return result as Application;
  }

  /** A JSON patch of the Application itself (finalizers, handled annotations). */
  async patch(app: Application, operations: readonly object[]): Promise<Application> {
    const result = await this.resources.patch(this.resourceInfo(), app.metadata.namespace ?? '', app.metadata.name ?? '', operations, { type: 'json' });
    return result as Application;
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.stop()));
  }
}
