import type { Logger } from 'pino';
import { isRecord, type KubeObject } from '../api/object.js';
import type { KubeHttp } from '../cluster/http.js';
import { Informer } from '../cluster/informer.js';
import type { ResourceClient } from '../cluster/resources.js';
import { findProject, implicitDefaultProject } from './default-project.js';
import { appProjectApiVersion, appProjectKind, defaultProjectName, type AppProject } from './types.js';

export interface ProjectStoreOptions {
  readonly http: KubeHttp;
  readonly resources: ResourceClient;
  /** The controller's namespace: the only one AppProjects are read from. */
  readonly namespace: string;
  readonly logger: Logger;
  /** How long start() waits for the first list before it goes on (the store fills in later); default 10 s. */
  readonly syncTimeoutMs?: number;
  /** While the CRD is not installed, or AppProjects may not be read, how often that is checked again; default 30 s. */
  readonly retryMs?: number;
  /** The AppProjects read: Capstan's (default) or Argo CD's (`argoproj.io/v1alpha1`, whose spec has the same shape). */
  readonly apiVersion?: string;
}

/**
 * `watching`: AppProjects are listed and watched; `listing`: the first list has not succeeded yet;
 * `crd-missing`: the CRD is not installed; `forbidden`: the controller may not list AppProjects.
 */
export type ProjectStoreState = 'watching' | 'listing' | 'crd-missing' | 'forbidden';

export type ProjectChangeHandler = (name: string) => void;

function toProject(obj: KubeObject): AppProject | undefined {
  if (obj.kind !== appProjectKind) return undefined;
  // An AppProject without spec permits nothing (every list empty), as in Argo CD.
  return { ...obj, spec: isRecord(obj['spec']) ? obj['spec'] : {} };
}

/**
 * The AppProjects of the controller's namespace, watched (a change applies without restart), and
 * project `default` implied while no AppProject of that name exists. Without the AppProject CRD
 * only the implicit `default` exists (and the CRD is looked for again every `retryMs`). When the
 * API server refuses to list AppProjects (403), no project exists, `default` included, so that
 * an AppProject that restricts it is never bypassed; that too is retried.
 */
export class ProjectStore {
  private informer: Informer | undefined;
  private readonly handlers: ProjectChangeHandler[] = [];
  private currentState: ProjectStoreState = 'crd-missing';
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: ProjectStoreOptions) {}

  /** Called with a project's name whenever it is created, changed or deleted (and for every project when the store starts or stops reading). */
  onChange(handler: ProjectChangeHandler): void {
    this.handlers.push(handler);
  }

  /** The namespace AppProjects are read from (the controller's). */
  get namespace(): string {
    return this.options.namespace;
  }

  get state(): ProjectStoreState {
    return this.currentState;
  }

  /** Why projects cannot be read, for a condition; undefined while they are watched. */
  get problem(): string | undefined {
    switch (this.currentState) {
      case 'watching':
        return undefined;
      case 'listing':
        return `the AppProjects of namespace ${this.options.namespace} have not been read yet`;
      case 'crd-missing':
        return 'the AppProject CRD (appprojects.capstan.dev) is not installed: only project default exists';
      case 'forbidden':
        return `the controller may not list AppProjects in namespace ${this.options.namespace}: no project can be used`;
    }
  }

  /** Starts watching and waits (bounded by syncTimeoutMs) for the first list. */
  async start(): Promise<void> {
    await this.attempt();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.informer?.stop();
    this.informer = undefined;
  }

  /**
   * The project of that name; `default` is implied while no AppProject named default exists.
   * Undefined for every name while AppProjects cannot be read or have not been listed yet (see
   * `problem`), so that a project is never taken for absent when it is only unknown.
   */
  get(name: string): AppProject | undefined {
    if (!this.readable()) return undefined;
    return findProject(this.read(), name, this.options.namespace);
  }

  /** Every project, the implicit `default` included when it applies. */
  list(): AppProject[] {
    if (!this.readable()) return [];
    const projects = this.read();
    if (projects.some((p) => p.metadata.name === defaultProjectName)) return projects;
    return [...projects, implicitDefaultProject(this.options.namespace)];
  }

  private readable(): boolean {
    return this.currentState === 'watching' || this.currentState === 'crd-missing';
  }

  private read(): AppProject[] {
    return (this.informer?.list() ?? []).flatMap((obj) => toProject(obj) ?? []);
  }

  private emit(name: string): void {
    for (const handler of this.handlers) handler(name);
  }

  private emitAll(): void {
    for (const project of this.list()) this.emit(project.metadata.name ?? '');
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.attempt().catch((err: unknown) => {
        this.options.logger.warn({ err }, 'cannot start watching AppProjects; retrying');
        this.scheduleRetry();
      });
    }, this.options.retryMs ?? 30_000);
    this.retryTimer.unref();
  }

  private async attempt(): Promise<void> {
    const { resources, http, namespace, logger } = this.options;
    const apiVersion = this.options.apiVersion ?? appProjectApiVersion;
    const info = await resources.discovery.resolve(apiVersion, appProjectKind);
    if (this.stopped) return;
    if (info === undefined) {
      if (this.currentState !== 'crd-missing') this.emitAll();
      this.currentState = 'crd-missing';
      logger.warn(apiVersion === appProjectApiVersion
        ? 'the AppProject CRD (appprojects.capstan.dev) is not installed: only project default exists (kubectl apply -f crds/appproject.yaml)'
        : `the AppProject CRD of ${apiVersion} is not installed: only project default exists`);
      this.scheduleRetry();
      return;
    }
    const informer = new Informer(http, resources, info, {
      namespace,
      onError: (err) => { logger.warn({ err, namespace }, 'watch of AppProjects failed; retrying'); },
    });
    informer.onChange((_type, obj) => { this.emit(obj.metadata.name ?? ''); });
    informer.start();
    this.informer = informer;
    this.currentState = 'listing';
    // Settles once the first list succeeded or was refused, never rejects (it may outlast start()).
    const listed = informer.synced.then(() => {
      if (this.informer !== informer) return;
      this.currentState = 'watching';
      logger.info({ namespace, projects: this.read().length }, 'AppProjects read');
      this.emitAll();
    }, async (err: unknown) => {
      if (this.informer === informer) this.informer = undefined;
      await informer.stop();
      this.currentState = 'forbidden';
      logger.error({ err, namespace }, 'the controller may not list AppProjects: no project can be used until it may');
      this.emit(defaultProjectName);
      this.scheduleRetry();
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => { resolve('timeout'); }, this.options.syncTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([listed.then(() => 'listed' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') logger.warn({ namespace }, 'AppProjects have not listed yet: no project can be used until they do');
  }
}
