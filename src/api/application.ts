import type { PluginSource } from './plugin-source.js';
import type { HealthStatus } from './health.js';
import type { KubeObject } from './object.js';

export const applicationGroup = 'capstan.dev';
export const applicationVersion = 'v1alpha1';
export const applicationApiVersion = `${applicationGroup}/${applicationVersion}`;
export const applicationKind = 'Application';
export const applicationPlural = 'applications';

/** A Jsonnet variable or top-level argument: a string `value`, or Jsonnet `code` when `code` is true. */
export interface JsonnetVar {
  name: string;
  value: string;
  code?: boolean;
}

export interface JsonnetOptions {
  extVars?: JsonnetVar[];
  tlas?: JsonnetVar[];
  /** Library directories, relative to the repository root. */
  libs?: string[];
}

export interface DirectorySource {
  recurse?: boolean;
  include?: string;
  exclude?: string;
  jsonnet?: JsonnetOptions;
}

export interface KustomizeReplica {
  name: string;
  count: number | string;
}

export interface KustomizePatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface KustomizePatch {
  path?: string;
  patch?: string;
  target?: KustomizePatchTarget;
  options?: Record<string, boolean>;
}

/** Argo CD's kustomize options; each is written into the kustomization before the build. */
export interface KustomizeSource {
  namePrefix?: string;
  nameSuffix?: string;
  /** Image overrides: `name=newName:tag`, `name:tag`, `name@digest`, `name=newName`. */
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  forceCommonLabels?: boolean;
  forceCommonAnnotations?: boolean;
  /** commonLabels are not added to selectors (kustomize `labels` with includeSelectors false). */
  labelWithoutSelector?: boolean;
  namespace?: string;
  replicas?: KustomizeReplica[];
  patches?: KustomizePatch[];
  /** Component directories, relative to the kustomization. */
  components?: string[];
  ignoreMissingComponents?: boolean;
}

export interface HelmParameter {
  name: string;
  value: string;
  /** --set-string rather than --set: the value stays a string. */
  forceString?: boolean;
}

export interface HelmFileParameter {
  name: string;
  /** A file of the repository, whose contents become the value (--set-file). */
  path: string;
}

/** Argo CD's helm options. */
export interface HelmSource {
  releaseName?: string;
  /** Values files, relative to the chart (inside the repository only). */
  valueFiles?: string[];
  ignoreMissingValueFiles?: boolean;
  /** Values as YAML text; valuesObject, when set, replaces them (as in Argo CD). */
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters?: HelmParameter[];
  fileParameters?: HelmFileParameter[];
  namespace?: string;
  skipCrds?: boolean;
  skipTests?: boolean;
  skipSchemaValidation?: boolean;
  /** The Kubernetes version templates see (default: the destination's). */
  kubeVersion?: string;
  /** API versions templates see (default: the destination's, from discovery). */
  apiVersions?: string[];
}

export interface ApplicationSource {
  repoURL: string;
  targetRevision?: string;
  path?: string;
  directory?: DirectorySource;
  kustomize?: KustomizeSource;
  helm?: HelmSource;
  /** A chart of the Helm chart repository (or OCI registry) repoURL names; targetRevision is its version or a range. */
  chart?: string;
  /** In spec.sources: a name other sources' helm valueFiles refer to as `$<ref>/path`. */
  ref?: string;
  /** A config management plugin of capstan-config renders the source: its name (else discovered), env entries and parameters. */
  plugin?: PluginSource;
}

/** The app's sources: `spec.sources`, or the one `spec.source`. */
export function appSources(spec: ApplicationSpec): ApplicationSource[] {
  if (spec.sources !== undefined && spec.sources.length > 0) return spec.sources;
  return spec.source === undefined ? [] : [spec.source];
}

/** The app's first source (its only one, unless it has several): what single-source views show. */
export function primarySource(spec: ApplicationSpec): ApplicationSource {
  return appSources(spec)[0] ?? { repoURL: '' };
}

/** Does the app set spec.sources (each rendered, the objects of all together)? */
export function isMultiSource(spec: ApplicationSpec): boolean {
  return spec.sources !== undefined && spec.sources.length > 0;
}

/** The revision the app last synced source `index` at. */
export function syncedRevisionOf(app: { spec: ApplicationSpec; status?: ApplicationStatus }, index: number): string | undefined {
  const sync = app.status?.sync;
  return isMultiSource(app.spec) ? sync?.revisions?.[index] : sync?.revision;
}

/** Sources rendered into objects: all but those that only hold files for others (a `ref` with no path and no chart). */
export function renderedSources(spec: ApplicationSpec): ApplicationSource[] {
  return appSources(spec).filter((s) => !(s.ref !== undefined && s.chart === undefined && (s.path === undefined || s.path === '')));
}

/** How a source is rendered (status.sourceType), as Argo CD names them. */
export type SourceType = 'Directory' | 'Kustomize' | 'Helm' | 'Plugin';

export interface ApplicationDestination {
  server?: string;
  name?: string;
  namespace?: string;
}

export interface RetryPolicy {
  limit?: number;
  backoff?: { duration?: string; factor?: number; maxDuration?: string };
}

export interface SyncPolicy {
  automated?: { prune?: boolean; selfHeal?: boolean; allowEmpty?: boolean };
  syncOptions?: string[];
  retry?: RetryPolicy;
  /** How long a sync waits for one wave (its hooks to complete, its objects to be healthy); default 10m. */
  hookTimeout?: string;
  /** Labels and annotations of the destination namespace CreateNamespace=true manages. */
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Required: the app never syncs a new plan by itself; `capstan.dev/approve: <plan hash>` applies that plan. */
  approval?: { required?: boolean };
}

export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  /** jq path expressions, as Argo CD's: each selects fields of an object (`.spec.template.spec.initContainers[] | select(.name == "istio-init")`). */
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

export interface ApplicationSpec {
  project?: string;
  /** The source; an app with several sets `sources` instead (validateSpec refuses both, and neither). */
  source?: ApplicationSource;
  sources?: ApplicationSource[];
  destination: ApplicationDestination;
  syncPolicy?: SyncPolicy;
  interval?: string;
  ignoreDifferences?: IgnoreDifference[];
  revisionHistoryLimit?: number;
  /** Sync only revisions another app of this namespace has had Synced and Healthy for `healthyFor`. */
  promotion?: { after: { application: string; healthyFor?: string } };
}

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

export const operationPhases = ['Running', 'Terminating', 'Succeeded', 'Failed', 'Error', 'Interrupted'] as const;
export type OperationPhase = (typeof operationPhases)[number];

export function isCompleted(phase: OperationPhase): boolean {
  return phase !== 'Running' && phase !== 'Terminating';
}

/** The phases of a sync, in order; SyncFail runs only after a failure. */
/** PostDelete: while an app being deleted runs its PostDelete hooks. */
export type SyncPhaseName = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete';

export type HookStatusCode = 'Running' | 'Succeeded' | 'Failed';

/** One object a partial sync is limited to (Argo CD's SyncOperationResource). */
export interface SelectedResource {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** A hook this operation created (or found created by it before a restart). */
export interface OperationHook {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  uid?: string;
  phase: SyncPhaseName;
  wave: number;
  status: HookStatusCode;
  message?: string;
}

export type ResourceAction = 'created' | 'configured' | 'unchanged' | 'pruned' | 'skipped' | 'failed';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: SyncStatusCode;
  health?: { status: HealthStatus; message?: string };
  requiresPruning?: boolean;
  syncWave?: number;
  message?: string;
}

export interface OperationResourceResult {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  action: ResourceAction;
  message?: string;
}

export interface OperationState {
  phase: OperationPhase;
  message: string;
  startedAt: string;
  finishedAt?: string;
  revision?: string;
  /**
   * Hash of the spec fields that decide what a sync applies (source, destination, sync
   * options): a change of them at an already-synced revision is a new sync to run.
   */
  specHash?: string;
  syncToken?: string;
  initiatedBy?: string;
  /** A sync of an approved plan: who approved it (the field manager of capstan.dev/approve). */
  approvedBy?: string;
  /** A sync of an approved plan: the plan's hash (status.plan.hash when it was approved). */
  planHash?: string;
  retryCount?: number;
  /** When a failed sync is tried again (retry.backoff). */
  nextAttemptAt?: string;
  resources?: OperationResourceResult[];
  /**
   * Where a running sync is: the phase and wave it applied last, when, and what it waits for.
   * Each reconcile advances it; a restart or another leader resumes from here.
   */
  syncPhase?: SyncPhaseName;
  wave?: number;
  waveStartedAt?: string;
  waitingFor?: string;
  /** Stamped on the hooks this operation creates (annotation capstan.dev/sync-id), so a resumed sync knows them. */
  syncId?: string;
  /** Whether this sync prunes (fixed when it starts). */
  prune?: boolean;
  hooks?: OperationHook[];
  /** Why the sync failed, kept while its SyncFail hooks run. */
  failure?: string;
  /** It was ended on request (terminate): not retried by itself. */
  terminated?: boolean;
  /** From an `operation` field: a dry run (nothing written), a partial sync, extra sync options, its own retry. */
  dryRun?: boolean;
  selected?: SelectedResource[];
  syncOptions?: string[];
  retry?: RetryPolicy;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  initiatedBy: string;
  /** A sync of an approved plan: who approved it (the field manager of capstan.dev/approve). */
  approvedBy?: string;
  /** A sync of an approved plan: the hash of that plan. */
  planHash?: string;
}

/** A kind at one version that the app has objects of (status.managedKinds). */
export interface ManagedKind {
  group: string;
  version: string;
  kind: string;
}

/** What a sync of the app's current render would do to one object. */
export interface DeployPlanItem {
  action: 'create' | 'update' | 'prune' | 'hook';
  group: string;
  kind: string;
  namespace: string;
  name: string;
  /** Of an update: the fields that change (display paths, bounded). */
  paths?: string[];
  /** Of a hook: the sync phases it runs in. */
  phases?: string[];
}

/**
 * The deploy plan of an OutOfSync app (status.plan): each object with its action, at one
 * revision, and a hash of all of it (what would be applied, and the live values it changes), so
 * that what was approved is exactly what gets applied.
 */
export interface DeployPlan {
  revision: string;
  hash: string;
  counts: { create: number; update: number; prune: number; hook: number };
  /** Bounded; `itemsTruncated` says how many more the counts include. */
  items: DeployPlanItem[];
  itemsTruncated?: number;
  /** The app requires approval and this plan waits for it. */
  state?: 'AwaitingApproval';
}

export interface ApplicationStatus {
  observedGeneration?: number;
  /** `revision` is the commit (or chart version); with several sources, `revisions` has each source's and `revision` them all, comma-separated. */
  sync?: { status: SyncStatusCode; revision?: string; revisions?: string[] };
  /** With several sources: how each was rendered. */
  sourceTypes?: SourceType[];
  health?: { status: HealthStatus; message?: string };
  conditions?: Condition[];
  resources?: ResourceStatus[];
  resourcesTruncated?: number;
  /**
   * Every kind the app has (or may still have) objects of, complete even when `resources` is
   * summarised: what prune and deletion watch after a restart.
   */
  managedKinds?: ManagedKind[];
  /** How the source was rendered: Directory, Kustomize, Helm or Plugin. */
  sourceType?: SourceType;
  operationState?: OperationState;
  history?: HistoryEntry[];
  /** What a sync would do, while the app is OutOfSync and no sync runs. */
  plan?: DeployPlan;
  /** When the status last changed (a reconcile that changes nothing writes nothing). */
  reconciledAt?: string;
  /** The last refresh asked from outside (a webhook), and why. */
  lastRefresh?: { reason: string; at: string };
}

export interface Application extends KubeObject {
  spec: ApplicationSpec;
  status?: ApplicationStatus;
}
