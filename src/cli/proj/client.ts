import { isRecord, type KubeObject } from '../../api/object.js';
import { Discovery } from '../../cluster/discovery.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';
import { findProject } from '../../projects/default-project.js';
import { appProjectApiVersion, appProjectKind, type AppProject } from '../../projects/types.js';

export interface ProjectConnectionFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
}

/** What the CLI found: the AppProjects of a namespace, and whether the CRD is installed at all. */
export interface ProjectListing {
  readonly projects: AppProject[];
  readonly crdInstalled: boolean;
}

/** An AppProject as read; one without spec permits nothing, as the controller reads it. */
const toProject = (obj: KubeObject): AppProject[] => (obj.kind === appProjectKind ? [{ ...obj, spec: isRecord(obj['spec']) ? obj['spec'] : {} }] : []);

/** Reads AppProjects for `capstan proj`. */
export class ProjectClient {
  private readonly http: KubeHttp;
  private readonly resources: ResourceClient;

  constructor(flags: Pick<ProjectConnectionFlags, 'kubeconfig' | 'context'>) {
    this.http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }));
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  /** The AppProjects of `namespace`, sorted by name (none when the CRD is not installed). */
  async list(namespace: string): Promise<ProjectListing> {
    const info = await this.resources.discovery.resolve(appProjectApiVersion, appProjectKind);
    if (info === undefined) return { projects: [], crdInstalled: false };
    const listed = await this.resources.list(info, { namespace });
    const projects = listed.items.flatMap(toProject);
    return { projects: projects.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')), crdInstalled: true };
  }

  /** The project as the controller sees it: the AppProject, or the implicit `default`. */
  async get(namespace: string, name: string): Promise<AppProject> {
    const info = await this.resources.discovery.resolve(appProjectApiVersion, appProjectKind);
    const obj = info === undefined ? undefined : await this.resources.get(appProjectApiVersion, appProjectKind, namespace, name);
    const found = findProject(obj === undefined ? [] : toProject(obj), name, namespace);
    if (found === undefined) throw new ProjectNotFoundError(namespace, name);
    return found;
  }

  close(): void {
    this.http.close();
  }
}

export class ProjectNotFoundError extends Error {
  readonly code = 'PROJECT_NOT_FOUND';
  constructor(namespace: string, name: string) {
    super(`AppProject ${namespace}/${name} not found`);
    this.name = 'ProjectNotFoundError';
  }
}
