/**
 * Argo CD's Application status → the Capstan status fields the controller reads back on its next
 * reconcile: sync (its revision, comma-joined for several sources, as Capstan keeps it), health,
 * resources, managedKinds (from resources), sourceType(s), reconciledAt, history and
 * operationState (with what operation-info.ts kept). Pure.
 *
 * Not read back (status.ts lists what has no place in Argo CD's schema): conditions — Capstan
 * builds them anew, so the transition times of Ready, Reconciling and Stalled restart —,
 * observedGeneration, plan, lastRefresh, resourcesTruncated, resources[].message,
 * history[].approvedBy/planHash, and the exact action of each resource result. A status Argo CD
 * wrote (no `capstan.dev/operation` info) reads as a finished or running sync with no hooks.
 */
import type {
  ApplicationStatus, HistoryEntry, ManagedKind, OperationHook, OperationResourceResult, OperationState, ResourceAction,
  ResourceStatus, SourceType,
} from '../api/application.js';
import { isHealthStatus, type HealthStatus } from '../api/health.js';
import { fromArgoInitiator } from './initiator.js';
import { readOperationInfo } from './operation-info.js';
import { isArgoMultiSource } from './status.js';
import type {
  ArgoApplicationSpec, ArgoApplicationStatus, ArgoOperationState, ArgoResourceResult, ArgoResourceStatus, ArgoResultCode, ArgoRevisionHistory,
} from './types.js';

const sourceTypes: readonly string[] = ['Directory', 'Kustomize', 'Helm', 'Plugin'];

function healthOf(value: { status?: string; message?: string } | undefined): { status: HealthStatus; message?: string } | undefined {
  if (value?.status === undefined || !isHealthStatus(value.status)) return undefined;
  return { status: value.status, ...(value.message !== undefined && value.message !== '' ? { message: value.message } : {}) };
}

function revisionOf(revision: string | undefined, revisions: readonly string[] | undefined, multi: boolean): string | undefined {
  if (multi && revisions !== undefined && revisions.length > 0) return revisions.join(',');
  return revision !== undefined && revision !== '' ? revision : undefined;
}

function resourceOf(r: ArgoResourceStatus): ResourceStatus {
  const health = healthOf(r.health);
  return {
    group: r.group ?? '', version: r.version ?? '', kind: r.kind ?? '', namespace: r.namespace ?? '', name: r.name ?? '', status: r.status ?? 'Unknown',
    ...(health !== undefined ? { health } : {}),
    ...(r.requiresPruning === true ? { requiresPruning: true } : {}),
    ...(r.syncWave !== undefined ? { syncWave: r.syncWave } : {}),
  };
}

/** Every kind at a version that `resources` lists, each once, in order. */
export function managedKindsOf(resources: readonly ResourceStatus[]): ManagedKind[] {
  const kinds = new Map<string, ManagedKind>();
  for (const r of resources) {
    if (r.version === '' || r.kind === '') continue;
    const id = `${r.group}/${r.version}/${r.kind}`;
    if (!kinds.has(id)) kinds.set(id, { group: r.group, version: r.version, kind: r.kind });
  }
  return [...kinds.values()];
}

const actionOfCode: Readonly<Record<ArgoResultCode, ResourceAction>> = { Synced: 'configured', SyncFailed: 'failed', Pruned: 'pruned', PruneSkipped: 'skipped' };

function resultOf(r: ArgoResourceResult): OperationResourceResult {
  return {
    group: r.group, kind: r.kind, namespace: r.namespace, name: r.name, action: r.status !== undefined ? actionOfCode[r.status] : 'skipped',
    ...(r.message !== undefined ? { message: r.message } : {}),
  };
}

/** A hook result as Capstan's hook, when Argo CD's result has what one needs (its uid and wave are not there). */
function hookOf(r: ArgoResourceResult): OperationHook | undefined {
  const phase = r.syncPhase ?? r.hookType;
  if (phase === undefined || phase === 'Skip' || r.hookType === 'Skip') return undefined;
  const status = r.hookPhase === 'Succeeded' || r.hookPhase === 'Running' ? r.hookPhase : r.hookPhase === undefined ? 'Running' : 'Failed';
  return { group: r.group, version: r.version, kind: r.kind, namespace: r.namespace, name: r.name, phase, wave: 0, status, ...(r.message !== undefined ? { message: r.message } : {}) };
}

export function fromArgoOperationState(op: ArgoOperationState, spec: ArgoApplicationSpec): OperationState {
  const multi = isArgoMultiSource(spec);
  const { token, kept } = readOperationInfo(op.operation.info);
  const sync = op.operation.sync;
  const results = op.syncResult?.resources ?? [];
  const revision = revisionOf(op.syncResult?.revision ?? sync?.revision, op.syncResult?.revisions ?? sync?.revisions, multi);
  const hooks = kept.hooks ?? results.filter((r) => r.hookType !== undefined).map(hookOf).filter((h) => h !== undefined);
  const { phase, ...rest } = kept;
  return {
    phase: phase ?? op.phase,
    message: op.message ?? '',
    startedAt: op.startedAt,
    ...(op.finishedAt !== undefined ? { finishedAt: op.finishedAt } : {}),
    ...(revision !== undefined ? { revision } : {}),
    ...(token !== undefined ? { syncToken: token } : {}),
    initiatedBy: fromArgoInitiator(op.operation.initiatedBy),
    // Argo CD leaves a count of 0 out.
    retryCount: op.retryCount ?? 0,
    ...(results.some((r) => r.hookType === undefined) ? { resources: results.filter((r) => r.hookType === undefined).map(resultOf) } : {}),
    ...(sync?.prune === true ? { prune: true } : {}),
    ...(sync?.dryRun === true ? { dryRun: true } : {}),
    ...(sync?.resources !== undefined ? { selected: sync.resources.map((r) => ({ group: r.group ?? '', kind: r.kind, name: r.name, ...(r.namespace !== undefined && r.namespace !== '' ? { namespace: r.namespace } : {}) })) } : {}),
    ...(sync?.syncOptions !== undefined ? { syncOptions: [...sync.syncOptions] } : {}),
    ...(op.operation.retry !== undefined ? { retry: { ...(op.operation.retry.limit !== undefined ? { limit: op.operation.retry.limit } : {}), ...(op.operation.retry.backoff !== undefined ? { backoff: { ...op.operation.retry.backoff } } : {}) } } : {}),
    ...(hooks.length > 0 || kept.hooks !== undefined ? { hooks } : {}),
    // The Capstan-only fields, the exact initiatedBy among them, override what was read from Argo CD's.
    ...rest,
  };
}

function historyOf(h: ArgoRevisionHistory, multi: boolean): HistoryEntry {
  return { id: h.id, revision: revisionOf(h.revision, h.revisions, multi) ?? '', deployedAt: h.deployedAt, initiatedBy: fromArgoInitiator(h.initiatedBy) };
}

/** The Capstan status an Argo CD status stands for (see the file comment for what it leaves out). */
export function fromArgoStatus(status: ArgoApplicationStatus, spec: ArgoApplicationSpec): ApplicationStatus {
  const multi = isArgoMultiSource(spec);
  const resources = (status.resources ?? []).map(resourceOf);
  const health = healthOf(status.health);
  const syncRevision = revisionOf(status.sync?.revision, status.sync?.revisions, multi);
  return {
    ...(status.sync !== undefined
      ? { sync: { status: status.sync.status, ...(syncRevision !== undefined ? { revision: syncRevision } : {}), ...(multi && status.sync.revisions !== undefined ? { revisions: [...status.sync.revisions] } : {}) } }
      : {}),
    ...(health !== undefined ? { health } : {}),
    ...(status.resources !== undefined ? { resources, managedKinds: managedKindsOf(resources) } : {}),
    ...(status.sourceType !== undefined && sourceTypes.includes(status.sourceType) ? { sourceType: status.sourceType as SourceType } : {}),
    ...(status.sourceTypes !== undefined ? { sourceTypes: status.sourceTypes.filter((t) => sourceTypes.includes(t)) as SourceType[] } : {}),
    ...(status.operationState !== undefined ? { operationState: fromArgoOperationState(status.operationState, spec) } : {}),
    ...(status.history !== undefined ? { history: status.history.map((h) => historyOf(h, multi)) } : {}),
    ...(status.reconciledAt !== undefined ? { reconciledAt: status.reconciledAt } : {}),
  };
}
