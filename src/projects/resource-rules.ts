import { denied, notPermitted, ruleList } from './describe.js';
import { destinationPermitted } from './destination-rules.js';
import { globMatches } from './glob.js';
import type { AppProject, ClusterResourceRestriction, GroupKind } from './types.js';

/** An object an app would apply (or prune). */
export interface ResourceRef {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  /** Whether the kind is namespaced (from discovery). */
  readonly namespaced: boolean;
  /** The namespace of a namespaced object. */
  readonly namespace?: string;
}

/** The cluster the app deploys to, by server URL and/or name. */
export interface ClusterRef {
  readonly server?: string;
  readonly name?: string;
}

// Group, kind and name globs are path globs, as in Argo CD: `*` does not cross a `/`.
const pathGlob = (pattern: string, text: string): boolean => globMatches(pattern, text, '/');

function inList(resource: ResourceRef, list: readonly ClusterResourceRestriction[]): ClusterResourceRestriction | undefined {
  return list.find((item) => pathGlob(item.kind, resource.kind) && pathGlob(item.group, resource.group)
    && (item.name === undefined || item.name === '' || pathGlob(item.name, resource.name ?? '')));
}

const describeGroupKind = (item: GroupKind): string => `${item.group === '' ? '""' : item.group}/${item.kind}`;

const describeRestriction = (item: ClusterResourceRestriction): string =>
  item.name === undefined || item.name === '' ? describeGroupKind(item) : `${describeGroupKind(item)}/${item.name}`;

const describeResource = (resource: ResourceRef, scope: string): string =>
  `${scope} resource ${resource.group === '' ? '' : `${resource.group}/`}${resource.kind}${resource.name === undefined ? '' : ` ${JSON.stringify(resource.name)}`}`;

/**
 * Whether the project lets its apps manage `resource`, as Argo CD decides. A namespaced kind is
 * permitted when namespaceResourceWhitelist is absent or lists it, and namespaceResourceBlacklist
 * does not; its namespace must also be a permitted destination on `cluster`. A cluster-scoped kind
 * must be in clusterResourceWhitelist (absent or empty permits none) and not in
 * clusterResourceBlacklist. Undefined when permitted, else the problem naming the rule.
 */
export function resourcePermitted(project: AppProject, resource: ResourceRef, cluster: ClusterRef): string | undefined {
  const { spec } = project;
  if (resource.namespaced) {
    const what = describeResource(resource, 'namespaced');
    const whitelist = spec.namespaceResourceWhitelist;
    if (whitelist !== undefined && inList(resource, whitelist) === undefined) {
      return notPermitted(project, what, ruleList('namespaceResourceWhitelist', whitelist.map(describeGroupKind)));
    }
    const blacklisted = inList(resource, spec.namespaceResourceBlacklist ?? []);
    if (blacklisted !== undefined) return denied(project, what, `namespaceResourceBlacklist: ${describeGroupKind(blacklisted)}`);
    return destinationPermitted(project, { ...cluster, namespace: resource.namespace ?? '' });
  }
  const what = describeResource(resource, 'cluster-scoped');
  const whitelist = spec.clusterResourceWhitelist ?? [];
  if (inList(resource, whitelist) === undefined) return notPermitted(project, what, ruleList('clusterResourceWhitelist', whitelist.map(describeRestriction)));
  const blacklisted = inList(resource, spec.clusterResourceBlacklist ?? []);
  if (blacklisted !== undefined) return denied(project, what, `clusterResourceBlacklist: ${describeRestriction(blacklisted)}`);
  return undefined;
}
