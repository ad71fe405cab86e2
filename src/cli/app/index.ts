import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command} from 'commander';
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../../controller/backoff.js';
import { colourOption, coloursFor, type ColourMode } from '../output/colour.js';
import { outputOption, type OutputFormat } from '../output/format.js';
import { processIO, type CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { AppClient } from './client.js';
import { diffApp } from './diff.js';
import { printPlan } from './plan.js';
import { approvePlan } from './approve.js';
import { printApp, printHistory } from './get.js';
import { listApps } from './list.js';
import { parseResourceArgs, resourceArgSyntax } from './resource-arg.js';
import { refresh, requestSync, rollback } from './sync.js';
import { needsOperation, requestOperationSync } from './sync-operation.js';
import { confirmPrune } from './confirm-prune.js';
import { terminate } from './terminate.js';
import { withClient as withConnection } from '../with-client.js';

const durationArg = (value: string): number => {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`"${value}" is not a duration such as 90s or 5m`);
  return ms;
};

/** Commander's reducer for a repeatable option. */
const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Runs `fn` with a client built from the app command's connection flags; errors become exit code 2. */
const withClient = (command: Command, io: CommandIO, fn: (client: AppClient, namespace: string) => Promise<void>): Promise<void> =>
  withConnection(command, io, (flags) => new AppClient(flags), fn);

/** `capstan app …`: read and operate Applications through the API server (kubeconfig-aware). */
export function registerAppCommands(program: Command, io: CommandIO = processIO()): void {
  const app = program
    .command('app')
    .description('list, inspect and operate Applications')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', 'namespace of the Applications', process.env['CAPSTAN_NAMESPACE'] ?? 'capstan');

  app.command('list').description('list Applications').option('-A, --all-namespaces', 'in every namespace')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml'])).addOption(colourOption())
    .action(async (flags: { output: OutputFormat; color: ColourMode; allNamespaces?: boolean }, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => listApps(client, ns, flags, io));
    });

  app.command('get').argument('<name>').description('status, conditions, the running operation and its hooks, and resources of an Application')
    .addOption(outputOption(['table', 'json', 'yaml'])).addOption(colourOption())
    .action(async (name: string, flags: { output: OutputFormat; color: ColourMode }, cmd: Command) => {
      await withClient(cmd, io, async (client, ns) => {
        printApp(await client.get(ns, name), flags, io);
      });
    });

  app.command('history').argument('<name>').description('revisions deployed, newest first')
    .addOption(outputOption(['table', 'json', 'yaml'])).addOption(colourOption())
    .action(async (name: string, flags: { output: OutputFormat; color: ColourMode }, cmd: Command) => {
      await withClient(cmd, io, async (client, ns) => {
        printHistory(await client.get(ns, name), flags, io);
      });
    });

  app.command('plan').argument('<name>').description('what a sync would do (status.plan): each object to create, update (with the fields), prune, and the hooks; exit code 1 when there is no plan')
    .addOption(outputOption(['table', 'json', 'yaml'])).addOption(colourOption())
    .action(async (name: string, flags: { output: OutputFormat; color: ColourMode }, cmd: Command) => {
      await withClient(cmd, io, async (client, ns) => {
        if (!printPlan(await client.get(ns, name), flags, coloursFor(flags.color, { stream: io.out, env: io.env }), io)) io.setExitCode(1);
      });
    });

  app.command('diff').argument('<name>').description('unified diff of the cluster (-) against Git (+); exit code 1 when they differ')
    .option('--revision <rev>', 'compare with this revision instead of the synced one')
    .option('--cache-dir <dir>', 'where Git clones are kept', join(homedir(), '.cache', 'capstan', 'cli'))
    .option('--allow-local-repos', 'read an app whose repository is a plain path or file:// URL on this machine (for local use: demo and tests)', false)
    .option('--controller-namespace <ns>', "the controller's namespace, whose ConfigMap capstan-config has the plugins sources are rendered with (default: the app's)")
    .addOption(colourOption())
    .action(async (name: string, flags: { revision?: string; cacheDir: string; allowLocalRepos: boolean; controllerNamespace?: string; color: ColourMode }, cmd: Command) => {
      await withClient(cmd, io, async (client, ns) => {
        const differs = await diffApp(client, await client.get(ns, name), {
          cacheDir: flags.cacheDir, allowLocalRepos: flags.allowLocalRepos, ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
          ...(flags.controllerNamespace !== undefined ? { controllerNamespace: flags.controllerNamespace } : {}),
        },
          io, coloursFor(flags.color, { stream: io.out, env: io.env }));
        if (differs) io.setExitCode(1);
      });
    });

  app.command('sync').argument('<name>').description('sync now; with --revision, sync that revision and pause auto-sync (without it, resume)')
    .option('--revision <sha>', 'revision to sync (a rollback); with --prune, --dry-run or --resource: for this sync only (no pause)')
    .option('--prune', 'also delete objects removed from Git, even if the app does not prune', false)
    .option('--dry-run', 'show what the sync would change; nothing is written', false)
    .option('--resource <resource>', `sync only this object, no hooks (repeatable): ${resourceArgSyntax}, e.g. apps:Deployment:web, :ConfigMap:guestbook/settings, ConfigMap/settings`, collect, [])
    .option('--wait', 'wait until the operation finished; exit code 1 if it failed', false)
    .option('--timeout <duration>', 'how long --wait waits', durationArg, 300_000)
    .addHelpText('after', `
--prune, --dry-run and --resource ask for the sync through the Application's operation field
(Argo CD's kubectl interface), which the controller takes and runs as one operation. Without
them the sync is asked for with the capstan.dev/sync annotation. With them, --revision is for
that sync only, so it is refused on an app with auto-sync on (which would return it to its
target) unless --dry-run; without them, --revision pins the app and pauses auto-sync.`)
    .action(async (name: string, flags: { revision?: string; prune: boolean; dryRun: boolean; resource: string[]; wait: boolean; timeout: number }, cmd: Command) => {
      const revision = flags.revision !== undefined ? { revision: flags.revision } : {};
      if (!needsOperation({ ...flags, resources: flags.resource })) {
        await withClient(cmd, io, (client, ns) => requestSync(client, ns, name, { wait: flags.wait, timeoutMs: flags.timeout, ...revision }, io));
        return;
      }
      const resources = parseResourceArgs(flags.resource);
      if (!resources.ok) {
        for (const error of resources.errors) io.err.write(`capstan: ${terminalSafe(error)}\n`);
        io.setExitCode(2);
        return;
      }
      await withClient(cmd, io, (client, ns) => requestOperationSync(client, ns, name, {
        prune: flags.prune, dryRun: flags.dryRun, resources: resources.value, wait: flags.wait, timeoutMs: flags.timeout, ...revision,
      }, io));
    });

  app.command('confirm-prune').argument('<name>').description('approve the prunes (Prune=confirm) of the running sync, or the deletion (Delete=confirm) of an app being deleted')
    .action(async (name: string, _flags: unknown, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => confirmPrune(client, ns, name, io));
    });

  app.command('terminate').argument('<name>').description('end the running sync: its running hooks are deleted, it ends Failed and is not retried; waits until it ended unless --no-wait')
    .option('--no-wait', 'return once asked, without waiting for the operation to end')
    .option('--timeout <duration>', 'how long to wait for it to end', durationArg, 60_000)
    .action(async (name: string, flags: { wait: boolean; timeout: number }, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => terminate(client, ns, name, { wait: flags.wait, timeoutMs: flags.timeout }, io));
    });

  app.command('rollback').argument('<name>').argument('<history-id>', 'ID from `capstan app history`', (v) => {
    const id = Number(v);
    if (!Number.isInteger(id) || id < 1) throw new InvalidArgumentError(`"${v}" is not a history ID`);
    return id;
  }).description('sync the revision of an earlier history entry and pause auto-sync until `app sync NAME`')
    .option('--wait', 'wait until the operation finished; exit code 1 if it failed', false)
    .option('--timeout <duration>', 'how long --wait waits', durationArg, 300_000)
    .action(async (name: string, id: number, flags: { wait: boolean; timeout: number }, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => rollback(client, ns, name, id, { wait: flags.wait, timeoutMs: flags.timeout }, io));
    });

  app.command('approve').argument('<name>').description('approve the plan of an app that requires approval (its syncPolicy.approval.required, or the approval.destinations of its project): the controller applies it only if it is still the plan')
    .requiredOption('--plan <hash>', 'the hash of the plan approved (`capstan app plan NAME`)')
    .option('--wait', 'wait until the sync of the plan finished; exit code 1 if it failed', false)
    .option('--timeout <duration>', 'how long --wait waits', durationArg, 300_000)
    .action(async (name: string, flags: { plan: string; wait: boolean; timeout: number }, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => approvePlan(client, ns, name, flags.plan, { wait: flags.wait, timeoutMs: flags.timeout }, io));
    });

  app.command('refresh').argument('<name>').description('re-resolve the revision and compare now')
    .option('--hard', 'also drop cached manifests', false)
    .option('--timeout <duration>', 'how long to wait for the controller', durationArg, 60_000)
    .action(async (name: string, flags: { hard: boolean; timeout: number }, cmd: Command) => {
      await withClient(cmd, io, (client, ns) => refresh(client, ns, name, { hard: flags.hard, timeoutMs: flags.timeout }, io));
    });
}
