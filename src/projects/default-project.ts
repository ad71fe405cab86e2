import { appProjectApiVersion, appProjectKind, defaultProjectName, type AppProject } from './types.js';

/**
 * The project `default` as it stands while no AppProject of that name exists: Argo CD's permissive
 * defaults (every repository, every destination, every kind, cluster-scoped ones included).
 */
export function implicitDefaultProject(namespace: string): AppProject {
  return {
    apiVersion: appProjectApiVersion,
    kind: appProjectKind,
    metadata: { name: defaultProjectName, namespace },
    spec: {
      sourceRepos: ['*'],
      destinations: [{ server: '*', namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  };
}

/** The project named `name` among `projects`, with `default` implied when it does not exist. */
export function findProject(projects: readonly AppProject[], name: string, namespace: string): AppProject | undefined {
  const found = projects.find((project) => project.metadata.name === name);
  if (found !== undefined) return found;
  return name === defaultProjectName ? implicitDefaultProject(namespace) : undefined;
}
