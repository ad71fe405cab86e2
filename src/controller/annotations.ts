import { appAnnotations, argoRefreshAnnotation, recordedSyncToken } from '../api/annotations.js';
import type { Application } from '../api/application.js';
import { isRecord } from '../api/object.js';
import { parseOperation, type RequestedOperation } from '../api/operation.js';
import type { Result } from '../api/result.js';

/** The kubectl-facing requests an Application carries (DESIGN.md §1.2). */
export interface AppRequests {
  readonly refresh: 'normal' | 'hard' | undefined;
  /** A sync token not handled yet, in its recorded form (recordedSyncToken: long tokens hashed). */
  readonly syncToken: string | undefined;
  /** Revision pinned by a rollback (`capstan.dev/sync-revision`). */
  readonly syncRevision: string | undefined;
  readonly skip: boolean;
  /** `capstan.dev/terminate-operation` is set: end the running sync. */
  readonly terminate: boolean;
  /** Argo CD's top-level `operation` field, parsed (or why it cannot run). */
  readonly operation: Result<RequestedOperation> | undefined;
}

export function readRequests(app: Application): AppRequests {
  const a = app.metadata.annotations ?? {};
  const refreshValues = [a[appAnnotations.refresh], a[argoRefreshAnnotation]].filter((v) => v !== undefined);
  const refresh = refreshValues.length === 0 ? undefined : refreshValues.includes('hard') ? 'hard' : 'normal';
  const value = a[appAnnotations.sync];
  const token = value === undefined || value === '' ? undefined : recordedSyncToken(value);
  const handled = app.status?.operationState?.syncToken;
  const revision = a[appAnnotations.syncRevision];
  return {
    refresh,
    syncToken: token !== undefined && token !== handled ? token : undefined,
    syncRevision: revision !== undefined && revision !== '' ? revision : undefined,
    skip: a[appAnnotations.skipReconcile] === 'true',
    terminate: (a[appAnnotations.terminateOperation] ?? '') !== '',
    operation: operationField(app) === undefined ? undefined : parseOperation(operationField(app)),
  };
}

/** The raw top-level `operation` field, if set. */
export function operationField(app: Application): unknown {
  const raw: unknown = app;
  return isRecord(raw) && raw['operation'] !== undefined && raw['operation'] !== null ? raw['operation'] : undefined;
}

/** A JSON patch that clears the `operation` field taken, guarded so that a newer one is kept. */
export function clearOperation(app: Application): object[] {
  const value = operationField(app);
  return value === undefined ? [] : [{ op: 'test', path: '/operation', value }, { op: 'remove', path: '/operation' }];
}

/** JSON-pointer form of an annotation key ('/' is escaped as '~1'). */
function annotationPointer(key: string): string {
  return `/metadata/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/**
 * JSON patch operations that remove handled annotations, each guarded by a `test` of the value
 * that was handled, so a newer value written meanwhile is kept (and handled next time).
 */
export function removeHandledAnnotations(app: Application, keys: readonly string[]): object[] {
  const ops: object[] = [];
  for (const key of keys) {
    const value = app.metadata.annotations?.[key];
    if (value === undefined) continue;
    ops.push({ op: 'test', path: annotationPointer(key), value }, { op: 'remove', path: annotationPointer(key) });
  }
  return ops;
}
