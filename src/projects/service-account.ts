import { globMatches } from './glob.js';
import type { AppProject } from './types.js';

/** Where an app's objects are applied: the cluster's server URL and the destination namespace. */
export interface ImpersonationTarget {
  readonly server: string;
  /** The app's destination namespace ('' when it sets none). */
  readonly namespace: string;
  /** The Application's own namespace: where a ServiceAccount named without one lives when the destination sets no namespace. */
  readonly appNamespace: string;
}

/**
 * The user the app's applies, dry-runs and deletes impersonate, `system:serviceaccount:<ns>:<name>`,
 * from the first destinationServiceAccounts entry whose server and namespace globs match (as in
 * Argo CD); undefined when none matches. A defaultServiceAccount written `ns:name` names its
 * namespace; a bare name lives in the destination namespace (the app's own when that is empty).
 */
export function serviceAccountFor(project: AppProject, target: ImpersonationTarget): string | undefined {
  for (const entry of project.spec.destinationServiceAccounts ?? []) {
    if (!globMatches(entry.server, target.server) || !globMatches(entry.namespace ?? '', target.namespace)) continue;
    const account = entry.defaultServiceAccount.trim();
    if (account.includes(':')) return `system:serviceaccount:${account}`;
    return `system:serviceaccount:${target.namespace === '' ? target.appNamespace : target.namespace}:${account}`;
  }
  return undefined;
}
