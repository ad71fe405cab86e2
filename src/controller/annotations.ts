import { appAnnotations, recordedSyncToken } from '../api/annotations.js';
import type { Application } from '../api/application.js';

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
}

export function readRequests(app: Application): AppRequests {
  const a = app.metadata.annotations ?? {};
  const refreshValue = a[appAnnotations.refresh];
  const refresh = refreshValue === undefined ? undefined : refreshValue === 'hard' ? 'hard' : 'normal';
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
  };
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
