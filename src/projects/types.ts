import { applicationApiVersion } from '../api/application.js';
import type { KubeObject } from '../api/object.js';

export const appProjectApiVersion = applicationApiVersion;
export const appProjectKind = 'AppProject';
export const appProjectPlural = 'appprojects';
export const defaultProjectName = 'default';

/** An API group and kind, each a glob (`*`, `?`, `[a-z]`). */
export interface GroupKind {
  group: string;
  kind: string;
}

/** A cluster-scoped resource rule; an empty or absent `name` matches every name. */
export interface ClusterResourceRestriction extends GroupKind {
  name?: string;
}

/** Where a project's apps may deploy: a cluster by `server` or `name`, and a namespace (globs, `!` denies). */
export interface ProjectDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export type SyncWindowKind = 'allow' | 'deny';

export interface SyncWindow {
  kind: SyncWindowKind;
  /** Five-field cron expression: when the window opens. */
  schedule: string;
  /** How long it stays open after each start (Go duration: 1h, 30m, 1h30m). */
  duration: string;
  /** Globs on the app's name. */
  applications?: string[];
  /** Globs on the app's destination namespace. */
  namespaces?: string[];
  /** Globs on the app's destination cluster name or server. */
  clusters?: string[];
  /** A window that blocks syncs lets manual syncs through. */
  manualSync?: boolean;
  /** IANA time zone of the schedule; default UTC. */
  timeZone?: string;
  /** The window applies only when each selector it sets matches (default: when any does). */
  andOperator?: boolean;
  description?: string;
}

export interface OrphanedResourceKey {
  group?: string;
  kind?: string;
  name?: string;
}

export interface OrphanedResourcesMonitor {
  warn?: boolean;
  ignore?: OrphanedResourceKey[];
}

/** A destination (server and namespace globs) whose applies run as a ServiceAccount. */
export interface DestinationServiceAccount {
  server: string;
  namespace?: string;
  /** `name` (in the destination namespace) or `namespace:name`. */
  defaultServiceAccount: string;
}

/** Which of the project's apps require an approved plan before they sync (spec.approval). */
export interface ProjectApproval {
  /** Every app whose destination one of these names requires approval (the rules of spec.destinations, `!` excludes). */
  destinations?: ProjectDestination[];
  /**
   * Default true: self-heal of drift at the revision last synced stays automatic. False: for
   * every app of the project that requires approval (by its own spec or by this), drift is
   * corrected only by an approved plan too.
   */
  selfHeal?: boolean;
}

export interface AppProjectSpec {
  description?: string;
  sourceRepos?: string[];
  destinations?: ProjectDestination[];
  clusterResourceWhitelist?: ClusterResourceRestriction[];
  clusterResourceBlacklist?: ClusterResourceRestriction[];
  namespaceResourceWhitelist?: GroupKind[];
  namespaceResourceBlacklist?: GroupKind[];
  sourceNamespaces?: string[];
  syncWindows?: SyncWindow[];
  orphanedResources?: OrphanedResourcesMonitor;
  destinationServiceAccounts?: DestinationServiceAccount[];
  approval?: ProjectApproval;
}

export interface AppProject extends KubeObject {
  spec: AppProjectSpec;
}
