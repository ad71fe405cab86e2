import { globMatches } from './glob.js';
import type { AppProject } from './types.js';

/** An object found in an app's destination namespace. */
export interface OrphanCandidate {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/** The project watches for orphaned resources (orphanedResources is set), and warns of them when `warn` is true. */
export function orphanedResourcesMode(project: AppProject): 'off' | 'track' | 'warn' {
  const monitor = project.spec.orphanedResources;
  if (monitor === undefined) return 'off';
  return monitor.warn === true ? 'warn' : 'track';
}

/**
 * Whether an object of the destination namespace that no app manages is left out of the orphaned
 * resources, as in Argo CD: the namespace's `default` ServiceAccount and `kube-root-ca.crt`
 * ConfigMap always; otherwise an ignore entry must match its group, kind (empty: any) and name
 * (empty: any).
 */
export function orphanIgnored(project: AppProject, candidate: OrphanCandidate): boolean {
  if (candidate.group === '' && candidate.kind === 'ServiceAccount' && candidate.name === 'default') return true;
  if (candidate.group === '' && candidate.kind === 'ConfigMap' && candidate.name === 'kube-root-ca.crt') return true;
  return (project.spec.orphanedResources?.ignore ?? []).some((item) =>
    (item.kind === undefined || item.kind === '' || globMatches(item.kind, candidate.kind))
    && globMatches(item.group ?? '', candidate.group)
    && (item.name === undefined || item.name === '' || globMatches(item.name, candidate.name)));
}
