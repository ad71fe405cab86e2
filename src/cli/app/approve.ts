// `capstan app approve NAME --plan HASH`: approves the app's plan (status.plan) by its hash.
// The controller applies it only if it is still the plan; the approver is recorded as the
// annotation's field manager: the user the API server says the caller is.
import { appAnnotations } from '../../api/annotations.js';
import { isCompleted } from '../../api/application.js';
import { whoAmI } from '../../dashboard/identity.js';
import { colours } from '../output/colour.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import type { AppClient } from './client.js';
import { printOperationResult } from './operation-result.js';
import { formatPlan } from './plan.js';

/** A field manager name is at most 128 characters. */
const managerOf = (user: string): string => user.slice(0, 128);

export async function approvePlan(client: AppClient, namespace: string, name: string, hash: string, options: { wait: boolean; timeoutMs: number }, io: CommandIO): Promise<void> {
  const app = await client.get(namespace, name);
  const plan = app.status?.plan;
  if (plan === undefined) {
    io.out.write(terminalSafe(`${namespace}/${name} has no plan to approve (it is ${app.status?.sync?.status ?? 'Unknown'})`) + '\n');
    io.setExitCode(1);
    return;
  }
  if (plan.hash !== hash) {
    io.out.write(terminalSafe(`plan ${hash} is not the plan of ${namespace}/${name} now; nothing approved. The plan now:`) + '\n\n');
    io.out.write(formatPlan(app, plan, colours(false)));
    io.setExitCode(1);
    return;
  }
  const user = await whoAmI(client).catch(() => 'capstan-cli');
  await client.annotate(namespace, name, { [appAnnotations.approve]: hash }, { fieldManager: managerOf(user) });
  io.out.write(terminalSafe(`plan ${hash} of ${namespace}/${name} approved by ${user}; the controller applies it if it is still the plan`) + '\n');
  if (!options.wait) return;
  const [done, op] = await client.waitFor(namespace, name, (a) => {
    const state = a.status?.operationState;
    return state !== undefined && isCompleted(state.phase) && state.initiatedBy?.includes(`(plan ${hash})`) === true ? [a, state] as const : undefined;
  }, options.timeoutMs);
  printOperationResult(done, op, io);
}
