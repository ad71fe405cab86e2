/**
 * Capstan's ApplicationStatus → Argo CD's (`argoproj.io/v1alpha1` Application .status), so that
 * `kubectl get applications.argoproj.io`, the argocd CLI and other tools read what Capstan did.
 * Pure. status-resume.ts reads it back.
 *
 * Argo CD's Application CRD has no status subresource (`subresources: {}`): the status is written
 * with the object itself, and the API server prunes every field its schema does not name (it
 * keeps unknown fields only under helm.valuesObject). These Capstan status fields have no place in
 * Argo CD's schema:
 *
 * - `observedGeneration` (Argo CD has none; it compares the spec with sync.comparedTo instead);
 * - `resourcesTruncated`, and `resources[].message` (an object owned by another app);
 * - `managedKinds` (read back from `resources`: complete only when resources were not truncated
 *   and every kind still has an object listed);
 * - `plan` (the deploy plan and its approval state);
 * - `lastRefresh`;
 * - conditions' `status`, `reason` and `observedGeneration`, and the conditions that report no
 *   problem (Ready=True, Reconciling while syncing, PromotionPending, and Ready=False for
 *   OutOfSync, Progressing, Degraded, SyncWindowClosed, AwaitingApproval): Argo CD's conditions
 *   are errors and warnings only (conditions.ts maps each reason);
 * - `history[].approvedBy` and `history[].planHash`; and `history[].initiatedBy` only as
 *   {username} or {automated} (initiator.ts);
 * - operationState: `specHash`, the exact `initiatedBy`, `approvedBy`, `planHash`, `nextAttemptAt`,
 *   `syncPhase`, `wave`, `waveStartedAt`, `waitingFor`, `syncId`, `hooks` (their uid and wave),
 *   `failure`, `terminated` and the phase Interrupted: kept as JSON in the info entry
 *   `capstan.dev/operation` of operationState.operation.info (operation-info.ts), which Argo CD's
 *   schema has; a resource result's action only as Argo CD's result code (created, configured and
 *   unchanged are all Synced).
 *
 * Argo CD fields Capstan has no data for: summary (images, external URLs: written empty),
 * health.lastTransitionTime (kept from the previous Argo CD status while the health stays the
 * same, else `now`), history[].deployStartedAt and source(s) of entries written before
 * (kept from the previous status by id), observedAt (deprecated), controllerNamespace.
 * resourceHealthSource stays unset: the health of each object is in the CR (`inline`).
 */
import type {
  ApplicationStatus, HistoryEntry, OperationHook, OperationResourceResult, OperationState, ResourceAction, ResourceStatus,
} from '../api/application.js';
import { toArgoConditions } from './conditions.js';
import { toArgoInitiator } from './initiator.js';
import { operationInfo } from './operation-info.js';
import type {
  ArgoApplicationSource, ArgoApplicationSpec, ArgoApplicationStatus, ArgoOperationPhase, ArgoOperationState, ArgoResourceResult,
  ArgoResourceStatus, ArgoResultCode, ArgoRevisionHistory,
} from './types.js';

export interface ArgoStatusOptions {
  /** The Argo CD status the object has now: what Capstan has no data for is kept from it. */
  readonly previous?: ArgoApplicationStatus | undefined;
  /** When this status is written (health.lastTransitionTime of a new health). */
  readonly now?: string | undefined;
}

/** Whether the Argo CD spec has several sources (spec.sources non-empty, as Argo CD decides). */
export function isArgoMultiSource(spec: ArgoApplicationSpec): boolean {
  return spec.sources !== undefined && spec.sources.length > 0;
}

/** A comma-joined revision of several sources as Argo CD's `revisions`, or the one `revision`. */
function revisionFields(revision: string | undefined, multi: boolean): { revision?: string; revisions?: string[] } {
  if (revision === undefined) return {};
  return multi ? { revisions: revision.split(',') } : { revision };
}

function sourceFields(spec: ArgoApplicationSpec): { source?: ArgoApplicationSource; sources?: ArgoApplicationSource[] } {
  if (isArgoMultiSource(spec)) return { sources: spec.sources ?? [] };
  return spec.source !== undefined ? { source: spec.source } : {};
}

function toArgoResource(r: ResourceStatus): ArgoResourceStatus {
  return {
    group: r.group, version: r.version, kind: r.kind, namespace: r.namespace, name: r.name, status: r.status,
    ...(r.health !== undefined ? { health: { status: r.health.status, ...(r.health.message !== undefined ? { message: r.health.message } : {}) } } : {}),
    ...(r.requiresPruning === true ? { requiresPruning: true } : {}),
    // Written at 0 too (Argo CD leaves 0 out), so that it reads back as Capstan wrote it.
    ...(r.syncWave !== undefined ? { syncWave: r.syncWave } : {}),
  };
}

const resultCodeOfAction: Readonly<Record<ResourceAction, ArgoResultCode | undefined>> = {
  created: 'Synced', configured: 'Synced', unchanged: 'Synced', pruned: 'Pruned', failed: 'SyncFailed',
  // A prune left out (Prune=false) is PruneSkipped; an apply left out has no result code.
  skipped: undefined,
};

function versionOf(key: { group: string; kind: string; namespace: string; name: string }, resources: readonly ResourceStatus[]): string {
  return resources.find((r) => r.group === key.group && r.kind === key.kind && r.namespace === key.namespace && r.name === key.name)?.version ?? '';
}

function toArgoResult(result: OperationResourceResult, resources: readonly ResourceStatus[]): ArgoResourceResult {
  const code = result.action === 'skipped' && /prun/i.test(result.message ?? '') ? 'PruneSkipped' : resultCodeOfAction[result.action];
  return {
    group: result.group, version: versionOf(result, resources), kind: result.kind, namespace: result.namespace, name: result.name,
    ...(code !== undefined ? { status: code } : {}),
    ...(result.message !== undefined ? { message: result.message } : {}),
    syncPhase: 'Sync',
  };
}

function toArgoHookResult(hook: OperationHook): ArgoResourceResult {
  return {
    group: hook.group, version: hook.version, kind: hook.kind, namespace: hook.namespace, name: hook.name,
    ...(hook.message !== undefined ? { message: hook.message } : {}),
    hookType: hook.phase, hookPhase: hook.status, syncPhase: hook.phase,
  };
}

/** Argo CD's phase of Capstan's: Interrupted (a sync the controller resumes) shows as Running. */
export function toArgoPhase(phase: OperationState['phase']): ArgoOperationPhase {
  return phase === 'Interrupted' ? 'Running' : phase;
}

export function toArgoOperationState(op: OperationState, spec: ArgoApplicationSpec, resources: readonly ResourceStatus[]): ArgoOperationState {
  const multi = isArgoMultiSource(spec);
  const phase = toArgoPhase(op.phase);
  const info = operationInfo(op, phase);
  const results = [...(op.resources ?? []).map((r) => toArgoResult(r, resources)), ...(op.hooks ?? []).map(toArgoHookResult)];
  const sync = {
    ...revisionFields(op.revision, multi),
    ...(op.prune === true ? { prune: true } : {}),
    ...(op.dryRun === true ? { dryRun: true } : {}),
    ...(op.selected !== undefined ? { resources: op.selected.map((s) => ({ ...s })) } : {}),
    ...(op.syncOptions !== undefined ? { syncOptions: [...op.syncOptions] } : {}),
  };
  return {
    operation: {
      sync,
      initiatedBy: toArgoInitiator(op.initiatedBy),
      ...(info.length > 0 ? { info } : {}),
      ...(op.retry !== undefined ? { retry: { ...op.retry } } : {}),
    },
    phase,
    message: op.message,
    ...(op.revision !== undefined || results.length > 0
      ? { syncResult: { revision: multi ? '' : op.revision ?? '', ...(multi && op.revision !== undefined ? { revisions: op.revision.split(',') } : {}), ...(results.length > 0 ? { resources: results } : {}), ...sourceFields(spec) } }
      : {}),
    startedAt: op.startedAt,
    ...(op.finishedAt !== undefined ? { finishedAt: op.finishedAt } : {}),
    ...(op.retryCount !== undefined && op.retryCount > 0 ? { retryCount: op.retryCount } : {}),
  };
}

/** History entries; each new one (not in `previous`) records the current source(s) if it is the newest, and when its sync started. */
export function toArgoHistory(history: readonly HistoryEntry[], spec: ArgoApplicationSpec, options: ArgoStatusOptions & { operation?: OperationState | undefined }): ArgoRevisionHistory[] {
  const multi = isArgoMultiSource(spec);
  const last = history[history.length - 1];
  return history.map((h) => {
    const before = options.previous?.history?.find((p) => p.id === h.id);
    const justDeployed = h === last && before === undefined;
    const startedAt = justDeployed && options.operation?.revision === h.revision ? options.operation.startedAt : undefined;
    const sources = before !== undefined ? { ...(before.source !== undefined ? { source: before.source } : {}), ...(before.sources !== undefined ? { sources: before.sources } : {}) } : justDeployed ? sourceFields(spec) : {};
    const deployStartedAt = before?.deployStartedAt ?? startedAt;
    return {
      id: h.id, deployedAt: h.deployedAt, ...revisionFields(h.revision, multi), ...sources,
      ...(deployStartedAt !== undefined ? { deployStartedAt } : {}),
      initiatedBy: toArgoInitiator(h.initiatedBy),
    };
  });
}

function healthOf(status: ApplicationStatus, options: ArgoStatusOptions): ArgoApplicationStatus['health'] {
  const health = status.health;
  if (health === undefined) return undefined;
  const before = options.previous?.health;
  const since = before?.status === health.status ? before.lastTransitionTime : options.now;
  return { status: health.status, ...(health.message !== undefined ? { message: health.message } : {}), ...(since !== undefined ? { lastTransitionTime: since } : {}) };
}

/** Argo CD's status of an app whose Argo CD spec is `spec`, from Capstan's status. */
export function toArgoStatus(status: ApplicationStatus, spec: ArgoApplicationSpec, options: ArgoStatusOptions = {}): ArgoApplicationStatus {
  const multi = isArgoMultiSource(spec);
  const resources = status.resources ?? [];
  const conditions = toArgoConditions(status.conditions);
  const health = healthOf(status, options);
  const op = status.operationState;
  return {
    ...(status.sync !== undefined
      ? {
          sync: {
            status: status.sync.status,
            comparedTo: { ...sourceFields(spec), destination: spec.destination, ...(spec.ignoreDifferences !== undefined && spec.ignoreDifferences.length > 0 ? { ignoreDifferences: spec.ignoreDifferences } : {}) },
            ...(multi ? (status.sync.revisions !== undefined ? { revisions: [...status.sync.revisions] } : revisionFields(status.sync.revision, true)) : revisionFields(status.sync.revision, false)),
          },
        }
      : {}),
    ...(health !== undefined ? { health } : {}),
    ...(resources.length > 0 ? { resources: resources.map(toArgoResource) } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(op !== undefined ? { operationState: toArgoOperationState(op, spec, resources) } : {}),
    ...(status.history !== undefined && status.history.length > 0 ? { history: toArgoHistory(status.history, spec, { ...options, operation: op }) } : {}),
    ...(status.reconciledAt !== undefined ? { reconciledAt: status.reconciledAt } : {}),
    ...(status.sourceType !== undefined ? { sourceType: status.sourceType } : {}),
    ...(status.sourceTypes !== undefined ? { sourceTypes: [...status.sourceTypes] } : {}),
    summary: {},
  };
}
