/**
 * An Argo CD AppProject (`argoproj.io/v1alpha1`) → Capstan's AppProject (src/projects/types.ts).
 * Pure. The rules Capstan carries out (sources, destinations, resource allow and deny lists,
 * source namespaces, sync windows, orphaned resources, destination ServiceAccounts) are copied;
 * Argo CD's zero values are dropped; the rest is named in `unsupported`. Metadata is kept as it is.
 * status.jwtTokensByRole (tokens of project roles) has no counterpart and is not read.
 */
import { appProjectApiVersion, appProjectKind, type AppProject, type AppProjectSpec, type SyncWindow, type SyncWindowKind } from '../projects/types.js';
import { setEntries } from './source.js';
import type { ArgoAppProject, ArgoSyncWindow } from './types.js';
import { UnsupportedFields, type Unsupported } from './unsupported.js';

export interface ConvertedProject {
  readonly project: AppProject;
  readonly unsupported: readonly Unsupported[];
}

function windowOf(w: ArgoSyncWindow, at: string, unsupported: UnsupportedFields): SyncWindow {
  unsupported.ifSet(w.syncOverrun, `${at}.syncOverrun`, 'a sync outlasting its window is not supported');
  return {
    // Read as stored; Capstan's validateProject names a kind that is neither allow nor deny.
    kind: (w.kind ?? '') as SyncWindowKind,
    schedule: w.schedule ?? '',
    duration: w.duration ?? '',
    ...setEntries({
      applications: w.applications, namespaces: w.namespaces, clusters: w.clusters, manualSync: w.manualSync,
      timeZone: w.timeZone, andOperator: w.andOperator, description: w.description,
    }),
  };
}

/** The Capstan AppProject an Argo CD AppProject stands for, and the Argo CD fields Capstan does not carry out. */
export function toCapstanProject(argo: ArgoAppProject): ConvertedProject {
  const unsupported = new UnsupportedFields();
  const s = argo.spec;
  unsupported.ifSet(s.roles, 'spec.roles', 'project roles (Argo CD API server policies, groups and JWT tokens) are not supported');
  unsupported.ifSet(s.signatureKeys, 'spec.signatureKeys', 'GPG signature verification of commits is not supported');
  unsupported.ifSet(s.sourceIntegrity, 'spec.sourceIntegrity', 'signature verification of sources is not supported');
  unsupported.ifSet(s.permitOnlyProjectScopedClusters, 'spec.permitOnlyProjectScopedClusters', 'project-scoped clusters are not supported');
  const spec: AppProjectSpec = {
    ...setEntries({
      description: s.description, sourceRepos: s.sourceRepos, destinations: s.destinations,
      clusterResourceWhitelist: s.clusterResourceWhitelist, clusterResourceBlacklist: s.clusterResourceBlacklist,
      namespaceResourceWhitelist: s.namespaceResourceWhitelist, namespaceResourceBlacklist: s.namespaceResourceBlacklist,
      sourceNamespaces: s.sourceNamespaces, destinationServiceAccounts: s.destinationServiceAccounts,
    }),
    // Present even when empty: `orphanedResources: {}` turns monitoring on without warnings.
    ...(s.orphanedResources !== undefined ? { orphanedResources: { ...s.orphanedResources } } : {}),
    ...(s.syncWindows !== undefined && s.syncWindows.length > 0 ? { syncWindows: s.syncWindows.map((w, i) => windowOf(w, `spec.syncWindows[${i}]`, unsupported)) } : {}),
  };
  return {
    project: { apiVersion: appProjectApiVersion, kind: appProjectKind, metadata: { ...argo.metadata }, spec },
    unsupported: unsupported.list,
  };
}
