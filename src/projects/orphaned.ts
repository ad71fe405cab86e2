import { globMatches } from './glob.js';
import { resourcePermitted, type ClusterRef } from './resource-rules.js';
import type { AppProject } from './types.js';

/** An object found in an app's destination namespace. */
export interface OrphanCandidate {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  /** The namespace it is in (the app's destination namespace). */
  readonly namespace?: string;
}

/** An object of a namespace as a listing found it: what tells whether some app manages it. */
export interface NamespaceObject extends OrphanCandidate {
  readonly namespace: string;
  /** The app its tracking names (`namespace/name`), if any. */
  readonly trackedBy?: string;
  /** It has ownerReferences: a child of another object (a ReplicaSet's Pod), never an orphan itself. */
  readonly owned: boolean;
}

/** The project watches for orphaned resources (orphanedResources is set), and warns of them when `warn` is true. */
export function orphanedResourcesMode(project: AppProject): 'off' | 'track' | 'warn' {
  const monitor = project.spec.orphanedResources;
  if (monitor === undefined) return 'off';
  return monitor.warn === true ? 'warn' : 'track';
}

/**
 * Whether an object of the destination namespace that no app manages is left out of the orphaned
 * resources, as in Argo CD: what Kubernetes itself creates (the namespace's `default`
 * ServiceAccount and `kube-root-ca.crt` ConfigMap, the `kubernetes` Service of namespace
 * `default`) always; otherwise an ignore entry must match its group, kind (empty: any) and name
 * (empty: any).
 */
export function orphanIgnored(project: AppProject, candidate: OrphanCandidate): boolean {
  if (candidate.group === '' && candidate.kind === 'ServiceAccount' && candidate.name === 'default') return true;
  if (candidate.group === '' && candidate.kind === 'ConfigMap' && candidate.name === 'kube-root-ca.crt') return true;
  if (candidate.group === '' && candidate.kind === 'Service' && candidate.name === 'kubernetes' && candidate.namespace === 'default') return true;
  return (project.spec.orphanedResources?.ignore ?? []).some((item) =>
    (item.kind === undefined || item.kind === '' || globMatches(item.kind, candidate.kind))
    && globMatches(item.group ?? '', candidate.group)
    && (item.name === undefined || item.name === '' || globMatches(item.name, candidate.name)));
}

/**
 * Kinds never looked at for orphans, as Argo CD excludes them by default: high-churn records
 * Kubernetes itself keeps (Events, Leases, Endpoints, EndpointSlices, metrics).
 */
export function orphanKindExcluded(group: string, kind: string): boolean {
  if (group === 'events.k8s.io' || group === 'metrics.k8s.io') return true;
  if (group === '' && (kind === 'Event' || kind === 'Endpoints')) return true;
  return (group === 'coordination.k8s.io' && kind === 'Lease') || (group === 'discovery.k8s.io' && kind === 'EndpointSlice');
}

export interface OrphanContext {
  /** The destination's cluster, for the project's rules. */
  readonly cluster: ClusterRef;
  /** Whether the Application (`namespace/name`) an object's tracking names manages it (it exists, or it is this app). */
  readonly managed: (app: string) => boolean;
  /** Objects the app declares (desired or hooks), as `group/kind/namespace/name`: not orphans even before they are tracked. */
  readonly declared: ReadonlySet<string>;
}

export const namespaceObjectKey = (o: { group: string; kind: string; namespace: string; name: string }): string => `${o.group}/${o.kind}/${o.namespace}/${o.name}`;

/**
 * The orphaned resources among a namespace's objects, as Argo CD finds them: top-level (no owner),
 * managed by no existing app, not declared by this one, of a kind the project permits and not
 * ignored (orphanIgnored). Sorted by kind, then name.
 */
export function orphanedObjects(project: AppProject, objects: readonly NamespaceObject[], context: OrphanContext): NamespaceObject[] {
  return objects
    .filter((o) => !o.owned && !orphanKindExcluded(o.group, o.kind))
    .filter((o) => o.trackedBy === undefined || !context.managed(o.trackedBy))
    .filter((o) => !context.declared.has(namespaceObjectKey(o)))
    .filter((o) => resourcePermitted(project, { group: o.group, kind: o.kind, name: o.name, namespaced: true, namespace: o.namespace }, context.cluster) === undefined)
    .filter((o) => !orphanIgnored(project, o))
    .sort((a, b) => namespaceObjectKey(a) < namespaceObjectKey(b) ? -1 : namespaceObjectKey(a) > namespaceObjectKey(b) ? 1 : 0);
}
