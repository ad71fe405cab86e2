import { recordedSyncToken } from '../../api/annotations.js';
import type {
  ApplicationStatus, Condition, HistoryEntry, OperationResourceResult, OperationState, ResourceStatus,
} from '../../api/application.js';
import { conditionTypes, reasons } from '../../api/conditions.js';
import { boundText } from '../../api/text.js';
import { byImportance } from './resources.js';

/**
 * Bounds on what Capstan writes into an Application's status. The API server refuses bodies
 * over 3 MiB and etcd objects over 1.5 MiB; a status stays far below both, whatever Git, the
 * cluster or an annotation holds, so a status write never fails by size.
 */
export const statusLimits = {
  /** Condition, operation and health messages. */
  messageChars: 1024,
  /** The message of one resource (status.resources, operationState.resources). */
  resourceMessageChars: 256,
  /** Names, kinds, groups, versions and revisions (Kubernetes names have at most 253 characters). */
  nameChars: 253,
  /** A revision: a commit or chart version, or for an app of several sources (at most 8) each one's, comma-separated. */
  revisionChars: 2048,
  reasonChars: 128,
  initiatedByChars: 128,
  refreshReasonChars: 256,
  /** The whole status as JSON. */
  budgetBytes: 256 * 1024,
} as const;

/** Room kept free below the budget for the note that says what was shortened. */
const noteRoomBytes = 1024;

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

const message = (s: string): string => boundText(s, statusLimits.messageChars);
const resourceMessage = (s: string): string => boundText(s, statusLimits.resourceMessageChars);
const name = (s: string): string => boundText(s, statusLimits.nameChars);
const revisionText = (s: string): string => boundText(s, statusLimits.revisionChars);

function boundResource(r: ResourceStatus): ResourceStatus {
  const { health, message: text, ...rest } = r;
  return {
    ...rest,
    group: name(r.group), version: name(r.version), kind: name(r.kind), namespace: name(r.namespace), name: name(r.name),
    ...(health !== undefined ? { health: health.message !== undefined ? { status: health.status, message: resourceMessage(health.message) } : { status: health.status } } : {}),
    ...(text !== undefined ? { message: resourceMessage(text) } : {}),
  };
}

function boundRecord(r: OperationResourceResult): OperationResourceResult {
  const { message: text, ...rest } = r;
  return {
    ...rest, group: name(r.group), kind: name(r.kind), namespace: name(r.namespace), name: name(r.name),
    ...(text !== undefined ? { message: resourceMessage(text) } : {}),
  };
}

function boundOperation(op: OperationState): OperationState {
  const { resources, initiatedBy, syncToken, revision, specHash, ...rest } = op;
  return {
    ...rest,
    message: message(op.message),
    ...(revision !== undefined ? { revision: revisionText(revision) } : {}),
    ...(specHash !== undefined ? { specHash: name(specHash) } : {}),
    ...(syncToken !== undefined ? { syncToken: recordedSyncToken(syncToken) } : {}),
    ...(initiatedBy !== undefined ? { initiatedBy: boundText(initiatedBy, statusLimits.initiatedByChars) } : {}),
    ...(resources !== undefined ? { resources: resources.map(boundRecord) } : {}),
  };
}

const boundHistoryEntry = (h: HistoryEntry): HistoryEntry =>
  ({ ...h, revision: revisionText(h.revision), initiatedBy: boundText(h.initiatedBy, statusLimits.initiatedByChars) });

const boundCondition = (c: Condition): Condition =>
  ({ ...c, type: name(c.type), reason: boundText(c.reason, statusLimits.reasonChars), message: message(c.message) });

function boundSync(sync: NonNullable<ApplicationStatus['sync']>): NonNullable<ApplicationStatus['sync']> {
  return {
    status: sync.status,
    ...(sync.revision !== undefined ? { revision: revisionText(sync.revision) } : {}),
    ...(sync.revisions !== undefined ? { revisions: sync.revisions.map(name) } : {}),
  };
}

/** Every text of the status bounded (idempotent: a bounded status is returned equal). */
export function boundFields(status: ApplicationStatus): ApplicationStatus {
  const { health, conditions, resources, operationState, history, lastRefresh, sync, ...rest } = status;
  return {
    ...rest,
    ...(sync !== undefined ? { sync: boundSync(sync) } : {}),
    ...(health !== undefined ? { health: health.message !== undefined ? { status: health.status, message: message(health.message) } : { status: health.status } } : {}),
    ...(conditions !== undefined ? { conditions: conditions.map(boundCondition) } : {}),
    ...(resources !== undefined ? { resources: resources.map(boundResource) } : {}),
    ...(operationState !== undefined ? { operationState: boundOperation(operationState) } : {}),
    ...(history !== undefined ? { history: history.map(boundHistoryEntry) } : {}),
    ...(lastRefresh !== undefined ? { lastRefresh: { ...lastRefresh, reason: boundText(lastRefresh.reason, statusLimits.refreshReasonChars) } } : {}),
  };
}

/** The longest prefix of `items` whose JSON adds at most `room` bytes to a list. */
function fittingPrefix<T>(items: readonly T[], room: number): T[] {
  const kept: T[] = [];
  let used = 0;
  for (const item of items) {
    used += jsonBytes(item) + 1;
    if (used > room) break;
    kept.push(item);
  }
  return kept;
}

type Shrink = (status: ApplicationStatus, target: number) => { status: ApplicationStatus; note: string } | undefined;

/** Each step gives up detail in this order: resource messages, resources, sync results, history. */
const shrinks: readonly Shrink[] = [
  (status) => {
    const { resources, operationState } = status;
    const detailed = (resources ?? []).some((r) => r.message !== undefined || r.health?.message !== undefined)
      || (operationState?.resources ?? []).some((r) => r.message !== undefined);
    if (!detailed) return undefined;
    return {
      note: 'resource messages left out',
      status: {
        ...status,
        ...(resources !== undefined ? { resources: resources.map(({ message: _m, health, ...r }) => ({ ...r, ...(health !== undefined ? { health: { status: health.status } } : {}) })) } : {}),
        ...(operationState?.resources !== undefined ? { operationState: { ...operationState, resources: operationState.resources.map(({ message: _m, ...r }) => r) } } : {}),
      },
    };
  },
  (status, target) => {
    const resources = status.resources ?? [];
    if (resources.length === 0) return undefined;
    const kept = fittingPrefix(byImportance(resources), target - jsonBytes({ ...status, resources: [], resourcesTruncated: 0 }));
    const dropped = resources.length - kept.length;
    return { note: `${dropped} more resources not listed`, status: { ...status, resources: kept, resourcesTruncated: (status.resourcesTruncated ?? 0) + dropped } };
  },
  (status, target) => {
    const op = status.operationState;
    if (op?.resources === undefined || op.resources.length === 0) return undefined;
    const kept = fittingPrefix(op.resources, target - jsonBytes({ ...status, operationState: { ...op, resources: [] } }));
    return { note: `sync results of ${op.resources.length - kept.length} objects left out`, status: { ...status, operationState: { ...op, resources: kept } } };
  },
  (status, target) => {
    const history = status.history ?? [];
    if (history.length <= 1) return undefined;
    const kept = fittingPrefix([...history].reverse(), target - jsonBytes({ ...status, history: [] })).reverse();
    return { note: `${history.length - kept.length} older history entries left out`, status: { ...status, history: kept } };
  },
];

/**
 * The status as it may be written: every text bounded (boundFields) and, when the whole would
 * still exceed `budgetBytes`, detail given up step by step until it fits; the Ready condition
 * then says what was left out. Pure and idempotent, so a status that reads the same is never
 * written twice.
 */
export function fitStatus(status: ApplicationStatus, budgetBytes: number = statusLimits.budgetBytes): ApplicationStatus {
  let fitted = boundFields(status);
  if (jsonBytes(fitted) <= budgetBytes) return fitted;
  const target = budgetBytes - noteRoomBytes;
  const notes: string[] = [];
  for (const shrink of shrinks) {
    const step = shrink(fitted, target);
    if (step === undefined) continue;
    fitted = step.status;
    notes.push(step.note);
    if (jsonBytes(fitted) <= target) break;
  }
  const note = `status shortened to stay within ${Math.round(budgetBytes / 1024)} KiB: ${notes.join(', ')}`;
  // The note fits within the message bound, so that fitting the result again changes nothing.
  const noted = (text: string): string => `${boundText(text, statusLimits.messageChars - note.length - 3)} (${note})`;
  const conditions = fitted.conditions?.map((c) => (c.type === conditionTypes.ready ? { ...c, message: noted(c.message) } : c));
  return { ...fitted, ...(conditions !== undefined ? { conditions } : {}) };
}

/** An API server answer that refuses a body or object by its size (HTTP 413, or etcd's limit passed on). */
export function isTooLarge(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const status = (err as { status?: unknown }).status;
  return status === 413 || /request is too large|request entity too large|object is too large/i.test(err.message);
}

const smallChars = 256;

function withoutResults(op: OperationState): OperationState {
  const { resources: _resources, ...rest } = op;
  return rest;
}

/**
 * The status written when the API server refused the full one by its size: conditions (the
 * current result, shortened), sync and health, managedKinds (complete: prune and deletion need
 * them), the operation without its results, the newest history entry, and Stalled=True saying
 * what was left out.
 */
export function minimalStatus(status: ApplicationStatus, refusal: { message: string; bytes: number; now: string; previous?: ApplicationStatus | undefined }): ApplicationStatus {
  const small = (s: string): string => boundText(s, smallChars);
  const { bytes, now } = refusal;
  const kept = (status.conditions ?? []).filter((c) => c.type !== conditionTypes.stalled).map((c) => ({ ...c, message: small(c.message) }));
  const stalledBefore = refusal.previous?.conditions?.find((c) => c.type === conditionTypes.stalled && c.status === 'True');
  const stalled: Condition = {
    type: conditionTypes.stalled, status: 'True', reason: reasons.statusTooLarge, lastTransitionTime: stalledBefore?.lastTransitionTime ?? now,
    message: `the API server refused this app's status of ${bytes} bytes (${small(refusal.message)}); resources, sync results and older history are left out`,
  };
  const op = status.operationState;
  const newest = status.history?.[status.history.length - 1];
  const listed = (status.resources?.length ?? 0) + (status.resourcesTruncated ?? 0);
  return boundFields({
    ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
    ...(status.sync !== undefined ? { sync: status.sync } : {}),
    ...(status.health !== undefined ? { health: status.health.message !== undefined ? { status: status.health.status, message: small(status.health.message) } : { status: status.health.status } } : {}),
    conditions: [...kept, stalled],
    resources: [],
    ...(listed > 0 ? { resourcesTruncated: listed } : {}),
    ...(status.managedKinds !== undefined ? { managedKinds: status.managedKinds } : {}),
    ...(op !== undefined ? { operationState: { ...withoutResults(op), message: small(op.message) } } : {}),
    ...(newest !== undefined ? { history: [newest] } : {}),
  });
}
