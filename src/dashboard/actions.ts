// What the dashboard's buttons ask of the controller: the same annotations and `operation`
// field the CLI writes, made with the signed-in user's credentials (RBAC decides).
import { appAnnotations } from '../api/annotations.js';
import type { AppClient } from '../cli/app/client.js';
import { newToken } from '../cli/app/sync.js';
import { operationRefusal, syncOperationField, type OperationSyncRequest } from '../cli/app/sync-operation.js';
import { terminateDecision } from '../cli/app/terminate.js';
import type { ActionResult } from './api-types.js';
import { ActionRefusedError } from './errors.js';

/**
 * Sync to the target revision, as one operation (the `operation` field, so the controller
 * records who asked), with prune or dry run if asked. A real sync also removes a rollback's pin
 * (the sync-revision annotation) in the same patch, so auto-sync resumes, as `capstan app sync` does.
 */
export async function syncApp(client: AppClient, namespace: string, name: string, options: { prune: boolean; dryRun: boolean }, user: string): Promise<ActionResult> {
  const token = newToken();
  const request: OperationSyncRequest = { prune: options.prune, dryRun: options.dryRun, wait: false, timeoutMs: 0 };
  const operation = syncOperationField(request, token, user);
  const written = await client.patchGuarded(namespace, name, (app) => {
    const why = operationRefusal(app, request);
    if (why !== undefined) return { refuse: why };
    const pinned = app.metadata.annotations?.[appAnnotations.syncRevision] !== undefined;
    return { patch: { operation, ...(pinned && !options.dryRun ? { metadata: { annotations: { [appAnnotations.syncRevision]: null } } } : {}) } };
  });
  if (!written.ok) throw new ActionRefusedError(written.error);
  const what = [options.dryRun ? 'dry run' : 'sync', options.prune ? 'with prune' : ''].filter((w) => w !== '').join(' ');
  return { message: `${what} of ${namespace}/${name} requested (token ${token})` };
}

/** Sync the revision of history entry `id` and pause auto-sync (as `capstan app rollback`). */
export async function rollbackApp(client: AppClient, namespace: string, name: string, id: number): Promise<ActionResult> {
  const app = await client.get(namespace, name);
  const entry = app.status?.history?.find((h) => h.id === id);
  if (entry === undefined) throw new ActionRefusedError(`Application ${namespace}/${name} has no history entry ${id}`);
  const token = newToken();
  await client.annotate(namespace, name, { [appAnnotations.sync]: token, [appAnnotations.syncRevision]: entry.revision });
  return { message: `rollback of ${namespace}/${name} to entry ${id} (${entry.revision.slice(0, 7)}) requested; auto-sync paused until the next Sync (token ${token})` };
}

export async function refreshApp(client: AppClient, namespace: string, name: string, hard: boolean): Promise<ActionResult> {
  await client.annotate(namespace, name, { [appAnnotations.refresh]: hard ? 'hard' : 'normal' });
  return { message: `${hard ? 'hard refresh' : 'refresh'} of ${namespace}/${name} requested` };
}

export async function terminateApp(client: AppClient, namespace: string, name: string): Promise<ActionResult> {
  const written = await client.patchGuarded(namespace, name, terminateDecision(new Date().toISOString()));
  if (!written.ok) throw new ActionRefusedError(`${namespace}/${name}: ${written.error}`);
  return { message: `termination of the running operation of ${namespace}/${name} requested` };
}
