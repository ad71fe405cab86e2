/**
 * Argo CD's own resources, `argoproj.io/v1alpha1` Application and AppProject, as their CRDs store
 * them: the fields Capstan reads (spec, operation, status to resume) or writes (status).
 *
 * Go's `omitempty` means a field at its zero value ('' / false / 0 / empty list) is absent, so
 * every field is optional here unless the CRD requires it. Fields of Argo CD that Capstan neither
 * reads nor writes (the source hydrator, project roles' JWT tokens) are typed loosely as `unknown`.
 */
import type { ObjectMeta } from '../api/object.js';

export const argoGroup = 'argoproj.io';
export const argoVersion = 'v1alpha1';
export const argoApiVersion = `${argoGroup}/${argoVersion}`;
export const argoApplicationKind = 'Application';
export const argoApplicationPlural = 'applications';
export const argoAppProjectKind = 'AppProject';
export const argoAppProjectPlural = 'appprojects';

export interface ArgoJsonnetVar {
  name: string;
  value: string;
  code?: boolean;
}

export interface ArgoSourceDirectory {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  jsonnet?: { extVars?: ArgoJsonnetVar[]; tlas?: ArgoJsonnetVar[]; libs?: string[] };
  /** Read every file, not only .yaml/.yml/.json/.jsonnet ones. */
  disableExtensionFilter?: boolean;
}

export interface ArgoKustomizePatch {
  path?: string;
  patch?: string;
  target?: { group?: string; version?: string; kind?: string; name?: string; namespace?: string; labelSelector?: string; annotationSelector?: string };
  options?: Record<string, boolean>;
}

export interface ArgoSourceKustomize {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  /** The name of a kustomize binary configured in argocd-cm (`kustomize.path.<version>`). */
  version?: string;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  namespace?: string;
  /** commonAnnotations values have `${VAR}` replaced from the build environment. */
  commonAnnotationsEnvsubst?: boolean;
  /** An int-or-string in the CRD. */
  replicas?: { name: string; count: number | string }[];
  patches?: ArgoKustomizePatch[];
  components?: string[];
  ignoreMissingComponents?: boolean;
  labelWithoutSelector?: boolean;
  /** Kubernetes version and API versions given to Helm charts inflated by kustomize. */
  kubeVersion?: string;
  apiVersions?: string[];
  /** With labelWithoutSelector: labels are added to pod templates too. */
  labelIncludeTemplates?: boolean;
}

export interface ArgoSourceHelm {
  valueFiles?: string[];
  parameters?: { name?: string; value?: string; forceString?: boolean }[];
  releaseName?: string;
  values?: string;
  fileParameters?: { name?: string; path?: string }[];
  /** The Helm major version ('v3'); Argo CD 3 renders with Helm 3 only. */
  version?: string;
  /** Send the repository's credentials to hosts other than the chart repository's. */
  passCredentials?: boolean;
  ignoreMissingValueFiles?: boolean;
  skipCrds?: boolean;
  /** `x-kubernetes-preserve-unknown-fields` in the CRD: any YAML. */
  valuesObject?: Record<string, unknown>;
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: string[];
  skipTests?: boolean;
  skipSchemaValidation?: boolean;
}

export interface ArgoSourcePlugin {
  name?: string;
  env?: { name: string; value: string }[];
  parameters?: { name?: string; string?: string; array?: string[]; map?: Record<string, string> }[];
}

/** ApplicationSource: one source of an app (spec.source, an entry of spec.sources, and the copies in status). */
export interface ArgoApplicationSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  helm?: ArgoSourceHelm;
  kustomize?: ArgoSourceKustomize;
  directory?: ArgoSourceDirectory;
  plugin?: ArgoSourcePlugin;
  chart?: string;
  /** In spec.sources: the name other sources' `$ref/…` values files use. Ignored in spec.source. */
  ref?: string;
  /** A display name of a source of spec.sources (also `argocd app sync --source-name`). */
  name?: string;
  /** Only Git tags with this prefix are candidates for a semver targetRevision. */
  tagPrefix?: string;
}

export interface ArgoApplicationDestination {
  server?: string;
  namespace?: string;
  name?: string;
}

export interface ArgoRetryStrategy {
  /** Attempts after the first failure; 0 retries nothing, a negative limit retries forever. */
  limit?: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
  /** Refresh the app (look at Git again) before each retry. */
  refresh?: boolean;
}

export interface ArgoSyncPolicy {
  /** `enabled: false` keeps the settings but turns automated sync off. */
  automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean; enabled?: boolean };
  syncOptions?: string[];
  retry?: ArgoRetryStrategy;
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface ArgoIgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface ArgoInfo {
  name: string;
  value: string;
}

export interface ArgoApplicationSpec {
  source?: ArgoApplicationSource;
  destination: ArgoApplicationDestination;
  /** Required by the CRD; '' is the project `default`. */
  project: string;
  syncPolicy?: ArgoSyncPolicy;
  ignoreDifferences?: ArgoIgnoreDifference[];
  /** Links and notes shown in Argo CD's UI. */
  info?: ArgoInfo[];
  revisionHistoryLimit?: number;
  /** When non-empty, the app's sources (spec.source is then ignored). */
  sources?: ArgoApplicationSource[];
  /** Rendering "dry" manifests and pushing them to a Git branch before syncing them. */
  sourceHydrator?: unknown;
}

/** Who started an operation: a user's name, or the controller (automated). */
export interface ArgoOperationInitiator {
  username?: string;
  automated?: boolean;
}

export interface ArgoSyncOperationResource {
  group?: string;
  kind: string;
  name: string;
  namespace?: string;
}

export interface ArgoSyncOperation {
  revision?: string;
  prune?: boolean;
  dryRun?: boolean;
  syncStrategy?: { apply?: { force?: boolean }; hook?: { force?: boolean } };
  resources?: ArgoSyncOperationResource[];
  source?: ArgoApplicationSource;
  manifests?: string[];
  syncOptions?: string[];
  sources?: ArgoApplicationSource[];
  revisions?: string[];
  /** Self-heal attempts so far (JSON name of Go's SelfHealAttemptsCount). */
  autoHealAttemptsCount?: number;
}

/** Operation: the top-level `operation` field that requests a sync, and its copy in operationState. */
export interface ArgoOperation {
  sync?: ArgoSyncOperation;
  initiatedBy?: ArgoOperationInitiator;
  info?: ArgoInfo[];
  retry?: ArgoRetryStrategy;
}

/** gitops-engine's OperationPhase. */
export type ArgoOperationPhase = 'Running' | 'Terminating' | 'Failed' | 'Error' | 'Succeeded';
/** gitops-engine's ResultCode of one object of a sync. */
export type ArgoResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
/** gitops-engine's HookType (Skip: the object is not applied). */
export type ArgoHookType = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'Skip' | 'PostDelete';
export type ArgoSyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete';

/** ResourceResult: one object a sync applied, pruned or ran as a hook. The CRD requires the identity fields (empty strings allowed). */
export interface ArgoResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  /** Empty for hooks and for objects not applied yet. */
  status?: ArgoResultCode;
  message?: string;
  hookType?: ArgoHookType;
  hookPhase?: ArgoOperationPhase;
  syncPhase?: ArgoSyncPhase;
  images?: string[];
}

export interface ArgoSyncOperationResult {
  resources?: ArgoResourceResult[];
  /** Required by the CRD. */
  revision: string;
  source?: ArgoApplicationSource;
  sources?: ArgoApplicationSource[];
  revisions?: string[];
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

export interface ArgoOperationState {
  operation: ArgoOperation;
  phase: ArgoOperationPhase;
  message?: string;
  syncResult?: ArgoSyncOperationResult;
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
}

/** RevisionHistory: one completed sync; `id` counts up, oldest entry first. */
export interface ArgoRevisionHistory {
  revision?: string;
  deployedAt: string;
  id: number;
  source?: ArgoApplicationSource;
  deployStartedAt?: string;
  sources?: ArgoApplicationSource[];
  revisions?: string[];
  initiatedBy?: ArgoOperationInitiator;
}

export type ArgoSyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';
export type ArgoHealthStatusCode = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';

/** Argo CD's application condition types (an Error, a Warning); a condition is present or absent, it has no status. */
export const argoConditionTypes = {
  deletionError: 'DeletionError',
  invalidSpecError: 'InvalidSpecError',
  comparisonError: 'ComparisonError',
  syncError: 'SyncError',
  unknownError: 'UnknownError',
  sharedResourceWarning: 'SharedResourceWarning',
  repeatedResourceWarning: 'RepeatedResourceWarning',
  excludedResourceWarning: 'ExcludedResourceWarning',
  orphanedResourceWarning: 'OrphanedResourceWarning',
} as const;
export type ArgoConditionType = (typeof argoConditionTypes)[keyof typeof argoConditionTypes];

export interface ArgoApplicationCondition {
  type: string;
  message: string;
  lastTransitionTime?: string;
}

export interface ArgoComparedTo {
  source?: ArgoApplicationSource;
  destination: ArgoApplicationDestination;
  sources?: ArgoApplicationSource[];
  ignoreDifferences?: ArgoIgnoreDifference[];
}

export interface ArgoSyncStatus {
  status: ArgoSyncStatusCode;
  comparedTo?: ArgoComparedTo;
  /** Single source only; a multi-source app has `revisions` instead. */
  revision?: string;
  revisions?: string[];
}

export interface ArgoResourceStatus {
  group?: string;
  version?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  status?: ArgoSyncStatusCode;
  /** Absent when status.resourceHealthSource is `appTree` (Argo CD 3's default keeps it outside the CR). */
  health?: { status?: ArgoHealthStatusCode; message?: string };
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
  requiresDeletionConfirmation?: boolean;
}

export interface ArgoApplicationStatus {
  resources?: ArgoResourceStatus[];
  sync?: ArgoSyncStatus;
  health?: { status?: ArgoHealthStatusCode; message?: string; lastTransitionTime?: string };
  history?: ArgoRevisionHistory[];
  conditions?: ArgoApplicationCondition[];
  reconciledAt?: string;
  operationState?: ArgoOperationState;
  /** Deprecated; Argo CD's controller no longer writes it. */
  observedAt?: string;
  sourceType?: string;
  summary?: { externalURLs?: string[]; images?: string[]; isAppOfApps?: boolean };
  /** '' (inline: resources[].health is set) or 'appTree'. */
  resourceHealthSource?: '' | 'appTree';
  sourceTypes?: string[];
  controllerNamespace?: string;
  sourceHydrator?: unknown;
}

export interface ArgoApplication {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: ArgoApplicationSpec;
  status?: ArgoApplicationStatus;
  operation?: ArgoOperation;
}

export interface ArgoSyncWindow {
  kind?: string;
  schedule?: string;
  duration?: string;
  applications?: string[];
  namespaces?: string[];
  clusters?: string[];
  manualSync?: boolean;
  timeZone?: string;
  andOperator?: boolean;
  description?: string;
  /** A sync that started in an allow window may go on after it closes. */
  syncOverrun?: boolean;
}

export interface ArgoAppProjectSpec {
  sourceRepos?: string[];
  destinations?: ArgoApplicationDestination[];
  description?: string;
  /** RBAC roles with policies, groups and JWT tokens (Argo CD's API server). */
  roles?: unknown[];
  clusterResourceWhitelist?: { group: string; kind: string; name?: string }[];
  namespaceResourceBlacklist?: { group: string; kind: string }[];
  orphanedResources?: { warn?: boolean; ignore?: { group?: string; kind?: string; name?: string }[] };
  syncWindows?: ArgoSyncWindow[];
  namespaceResourceWhitelist?: { group: string; kind: string }[];
  /** Deprecated GPG keys commits must be signed with. */
  signatureKeys?: { keyID: string }[];
  clusterResourceBlacklist?: { group: string; kind: string; name?: string }[];
  sourceNamespaces?: string[];
  /** Only clusters registered with this project are destinations. */
  permitOnlyProjectScopedClusters?: boolean;
  destinationServiceAccounts?: { server: string; namespace?: string; defaultServiceAccount: string }[];
  /** Signature verification of sources. */
  sourceIntegrity?: unknown;
}

export interface ArgoAppProject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec: ArgoAppProjectSpec;
  /** jwtTokensByRole: tokens issued for the project's roles. */
  status?: { jwtTokensByRole?: Record<string, unknown> };
}
