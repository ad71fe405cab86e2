/**
 * `capstan app terminate NAME`: ends the running sync (`capstan.dev/terminate-operation`, which
 * the controller removes once handled). Its running hooks are deleted; the operation ends Failed
 * and marked terminated, and is not retried by itself.
 */
import { appAnnotations } from '../../api/annotations.js';
import { isCompleted, type Application, type OperationState } from '../../api/application.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import type { AppClient, PatchDecision } from './client.js';

export interface TerminateRequest {
  readonly wait: boolean;
  readonly timeoutMs: number;
}

/** The running operation (Running or Terminating), if any. */
export function runningOperation(app: Application): OperationState | undefined {
  const op = app.status?.operationState;
  return op !== undefined && !isCompleted(op.phase) ? op : undefined;
}

/** Annotates the app only while an operation runs (checked on the version patched). */
export function terminateDecision(at: string): (app: Application) => PatchDecision {
  return (app) => runningOperation(app) === undefined
    ? { refuse: 'no operation is running' }
    : { patch: { metadata: { annotations: { [appAnnotations.terminateOperation]: at } } } };
}

/** For AppClient.waitFor: the operation once the one that ran has ended (or another has taken its place). */
export function endedOperation(started: OperationState): (app: Application) => OperationState | undefined {
  return (app) => {
    const op = app.status?.operationState;
    if (op === undefined) return undefined;
    return isCompleted(op.phase) || op.startedAt !== started.startedAt ? op : undefined;
  };
}

/**
 * Exit code 1 when no operation runs (nothing is annotated), or when, with `wait`, it ended
 * without being terminated (it finished first).
 */
export async function terminate(client: AppClient, namespace: string, name: string, request: TerminateRequest, io: CommandIO): Promise<void> {
  let seen = undefined as Application | undefined;
  const written = await client.patchGuarded(namespace, name, (app) => {
    seen = app;
    return terminateDecision(new Date().toISOString())(app);
  });
  const running = seen === undefined ? undefined : runningOperation(seen);
  if (!written.ok || running === undefined) {
    const last = seen?.status?.operationState;
    const shown = last === undefined ? undefined : terminalSafeDeep(last);
    io.out.write(`${namespace}/${name}: no operation is running${shown !== undefined ? ` (the last one: ${shown.phase}: ${shown.message})` : ''}\n`);
    io.setExitCode(1);
    return;
  }
  io.out.write(`termination of the running operation of ${namespace}/${name} requested\n`);
  if (!request.wait) return;
  const ended = await client.waitFor(namespace, name, endedOperation(running), request.timeoutMs);
  const shown = terminalSafeDeep(ended);
  if (ended.startedAt !== running.startedAt) {
    io.out.write(`the operation ended; another is ${shown.phase} now: ${shown.message}\n`);
    return;
  }
  io.out.write(`${shown.phase}${ended.terminated === true ? ' (terminated)' : ''}: ${shown.message}\n`);
  if (ended.terminated !== true) io.setExitCode(1);
}
