/**
 * `capstan app sync NAME --prune | --dry-run | --resource …`: a sync with options is asked for
 * through Argo CD's kubectl interface, the top-level `operation` field, which the controller
 * takes (and clears) and runs as one operation, recording the CLI's token so it can be waited for.
 */
import { userInfo } from 'node:os';
import { isCompleted, type Application, type SelectedResource, primarySource } from '../../api/application.js';
import { operationField } from '../../controller/annotations.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
import { printOperationResult } from './operation-result.js';
import { formatSelected, unknownSelection } from './resource-arg.js';
import { finishedOperation, newToken } from './sync.js';

export interface OperationSyncRequest {
  /** For this operation only: unlike the annotation path, it neither pins the app nor pauses auto-sync. */
  readonly revision?: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  /** A partial sync: only these objects, and no hooks. */
  readonly resources?: readonly SelectedResource[];
  readonly wait: boolean;
  readonly timeoutMs: number;
}

/** The `operation` field (Argo CD's Operation) that asks for this sync. */
export interface SyncOperationField {
  initiatedBy: { username: string };
  info: { name: string; value: string }[];
  sync: { revision?: string; prune?: boolean; dryRun?: boolean; resources?: SelectedResource[] };
}

/** A sync request with options refused before anything was written; exit code 2. */
export class SyncRequestRefusedError extends Error {
  readonly code = 'SYNC_REQUEST_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'SyncRequestRefusedError';
  }
}

/** Whether the sync needs the `operation` field: any option the annotation cannot carry. */
export function needsOperation(flags: { prune: boolean; dryRun: boolean; resources: readonly string[] }): boolean {
  return flags.prune || flags.dryRun || flags.resources.length > 0;
}

/** Who the controller records as having started it (`user (<name>)` in status and history). */
export function cliUsername(): string {
  try {
    const name = userInfo().username;
    return name === '' ? 'capstan-cli' : name;
  } catch {
    // No passwd entry for the uid (a container started with an arbitrary one).
    return 'capstan-cli';
  }
}

export function syncOperationField(request: OperationSyncRequest, token: string, username: string): SyncOperationField {
  return {
    initiatedBy: { username },
    info: [{ name: 'token', value: token }],
    sync: {
      ...(request.revision !== undefined ? { revision: request.revision } : {}),
      ...(request.prune ? { prune: true } : {}),
      ...(request.dryRun ? { dryRun: true } : {}),
      ...(request.resources !== undefined && request.resources.length > 0 ? { resources: [...request.resources] } : {}),
    },
  };
}

/** Why the request cannot be made of the app as it is now, or undefined. */
export function operationRefusal(app: Application, request: OperationSyncRequest): string | undefined {
  const key = `${app.metadata.namespace ?? ''}/${app.metadata.name ?? ''}`;
  if (operationField(app) !== undefined) {
    return `Application ${key} already has an operation field the controller has not taken yet (another request); wait for it, or remove it with \`kubectl patch capp ${app.metadata.name ?? ''} --type json -p '[{"op":"remove","path":"/operation"}]'\``;
  }
  // As Argo CD refuses: auto-sync would put the target revision back right after.
  const target = primarySource(app.spec).targetRevision ?? 'HEAD';
  if (request.revision !== undefined && !request.dryRun && app.spec.syncPolicy?.automated !== undefined && request.revision !== target) {
    return `cannot sync ${key} to ${request.revision} with these options: auto-sync is on and targets ${target}; \`capstan app sync ${app.metadata.name ?? ''} --revision ${request.revision}\` syncs it and pauses auto-sync`;
  }
  const resources = app.status?.resources;
  if (request.resources !== undefined && request.resources.length > 0 && resources !== undefined && app.status?.resourcesTruncated === undefined) {
    const unknown = unknownSelection(request.resources, resources);
    if (unknown !== undefined) return `--resource ${unknown} (as of the app's last comparison; \`capstan app refresh ${app.metadata.name ?? ''}\` after adding it to Git)`;
  }
  return undefined;
}

function describeRequest(namespace: string, name: string, request: OperationSyncRequest): string {
  const options = [
    request.prune ? 'with prune' : '',
    request.resources !== undefined && request.resources.length > 0 ? `only ${request.resources.map(formatSelected).join(', ')}` : '',
  ].filter((o) => o !== '');
  const revision = request.revision !== undefined ? ` at ${request.revision}` : '';
  return terminalSafe(`${request.dryRun ? 'dry run' : 'sync'} of ${namespace}/${name}${revision}${options.length > 0 ? ` (${options.join(', ')})` : ''}`);
}

/** Asks for the sync through the `operation` field and, with `wait`, waits for it and prints the result. */
export async function requestOperationSync(client: AppClient, namespace: string, name: string, request: OperationSyncRequest, io: CommandIO): Promise<void> {
  const token = newToken();
  const written = await client.requestOperation(namespace, name, syncOperationField(request, token, cliUsername()), (app) => operationRefusal(app, request));
  if (!written.ok) throw new SyncRequestRefusedError(written.error);
  const running = written.value.status?.operationState;
  const queued = running !== undefined && !isCompleted(running.phase) ? '; it starts when the running operation ends' : '';
  io.out.write(`${describeRequest(namespace, name, request)} requested (token ${token})${queued}\n`);
  if (!request.wait) return;
  const [app, op] = await client.waitFor(namespace, name, finishedOperation(token), request.timeoutMs);
  printOperationResult(app, op, io);
}
