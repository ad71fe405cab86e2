/**
 * `capstan app confirm-prune NAME`: approves what waits for a confirmation, the prunes of objects
 * marked Prune=confirm in the running sync, or the deletion of objects marked Delete=confirm of an
 * app being deleted. It writes the time now to `capstan.dev/deletion-approved`; the controller
 * takes an approval only for what was asked before it (Argo CD's rule).
 */
import { deletionApprovedAnnotations } from '../../api/annotations.js';
import type { Application } from '../../api/application.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';

/** What the app waits to have confirmed, from its status, if anything. */
export function awaitedConfirmation(app: Application): string | undefined {
  const waiting = app.status?.operationState?.waitingFor;
  if (waiting?.startsWith('confirmation to prune') === true) return waiting;
  const ready = app.status?.conditions?.find((c) => c.type === 'Ready');
  if (app.metadata.deletionTimestamp !== undefined && ready?.message.startsWith('waiting for confirmation to delete') === true) return ready.message;
  return undefined;
}

export async function confirmPrune(client: AppClient, namespace: string, name: string, io: CommandIO): Promise<void> {
  const app = await client.get(namespace, name);
  const awaited = awaitedConfirmation(app);
  // Whole seconds, as Kubernetes times are: an approval in the second of the request still counts.
  const at = new Date(Math.ceil(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  await client.annotate(namespace, name, { [deletionApprovedAnnotations[0]]: at });
  io.out.write(awaited === undefined
    ? `${namespace}/${name}: approved at ${at} (nothing waits for a confirmation now; a sync or deletion that began before ${at} and waits later is approved)\n`
    : `${namespace}/${name}: approved at ${at}: ${terminalSafe(awaited)}\n`);
}
