import { randomBytes } from 'node:crypto';
import { appAnnotations, recordedSyncToken } from '../../api/annotations.js';
import { isCompleted, type Application, type OperationState } from '../../api/application.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
import { printOperationResult } from './operation-result.js';

export interface SyncRequest {
  /** Sync this revision and pause auto-sync (a rollback); undefined syncs the target and resumes it. */
  readonly revision?: string;
  readonly wait: boolean;
  readonly timeoutMs: number;
}

/** A token no other request carries: the controller records it in operationState.syncToken. */
export function newToken(): string {
  return `cli-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** For AppClient.waitFor: the app and its operation once the operation carrying `token` is completed. */
export function finishedOperation(token: string): (app: Application) => [Application, OperationState] | undefined {
  return (app) => {
    const op = app.status?.operationState;
    return op?.syncToken === recordedSyncToken(token) && isCompleted(op.phase) ? [app, op] : undefined;
  };
}

/**
 * Asks the controller to sync (`capstan.dev/sync` with a fresh token) and, with `wait`, waits
 * for the operation carrying that token. A revision pins the app to it (`capstan.dev/sync-revision`),
 * which pauses auto-sync; a sync without one removes the pin.
 */
export async function requestSync(client: AppClient, namespace: string, name: string, request: SyncRequest, io: CommandIO): Promise<void> {
  const token = newToken();
  await client.annotate(namespace, name, { [appAnnotations.sync]: token, [appAnnotations.syncRevision]: request.revision ?? null });
  const target = request.revision === undefined ? 'its target revision (auto-sync resumed)' : `${request.revision} (auto-sync paused until \`capstan app sync ${name}\`)`;
  io.out.write(`sync of ${namespace}/${name} to ${target} requested (token ${token})\n`);
  if (!request.wait) return;
  const [app, op] = await client.waitFor(namespace, name, finishedOperation(token), request.timeoutMs);
  printOperationResult(app, op, io);
}

/** `capstan app rollback NAME ID`: sync the revision of a history entry and pause auto-sync. */
export async function rollback(client: AppClient, namespace: string, name: string, id: number, request: Omit<SyncRequest, 'revision'>, io: CommandIO): Promise<void> {
  const app = await client.get(namespace, name);
  const entry = app.status?.history?.find((h) => h.id === id);
  if (entry === undefined) {
    const ids = (app.status?.history ?? []).map((h) => h.id).join(', ');
    throw new Error(`Application ${namespace}/${name} has no history entry ${id}${ids === '' ? '' : ` (it has ${ids})`}`);
  }
  await requestSync(client, namespace, name, { ...request, revision: entry.revision }, io);
}

/** `capstan app refresh NAME [--hard]`: re-resolve and compare now; waits until the controller handled it. */
export async function refresh(client: AppClient, namespace: string, name: string, options: { hard: boolean; timeoutMs: number }, io: CommandIO): Promise<void> {
  const before = (await client.get(namespace, name)).status?.reconciledAt;
  await client.annotate(namespace, name, { [appAnnotations.refresh]: options.hard ? 'hard' : 'normal' });
  const app = await client.waitFor(namespace, name, (a) =>
    a.metadata.annotations?.[appAnnotations.refresh] === undefined && a.status?.reconciledAt !== before ? a : undefined, options.timeoutMs);
  const s = terminalSafeDeep(app.status);
  io.out.write(`${namespace}/${name}: ${s?.sync?.status ?? 'Unknown'} at ${s?.sync?.revision?.slice(0, 7) ?? '?'}, ${s?.health?.status ?? 'Unknown'}\n`);
}
