import type { AppProjectSpec } from '../../../src/projects/index.js';
import { kubectlApply } from '../support/capstan.js';

/** Creates or replaces an AppProject in the controller's namespace. */
export function applyProject(namespace: string, name: string, spec: AppProjectSpec): void {
  kubectlApply({ apiVersion: 'capstan.dev/v1alpha1', kind: 'AppProject', metadata: { name, namespace }, spec });
}

/** A project permitting everything (as the implicit default does). */
export const permissive: AppProjectSpec = {
  sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }],
};
