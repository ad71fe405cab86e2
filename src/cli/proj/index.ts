import type { Command } from 'commander';
import { outputOption, type OutputFormat } from '../output/format.js';
import { processIO, type CommandIO } from '../output/io.js';
import { withClient } from '../with-client.js';
import { ProjectClient } from './client.js';
import { printProject } from './get.js';
import { listProjects } from './list.js';

const withProjectClient = (command: Command, io: CommandIO, fn: (client: ProjectClient, namespace: string) => Promise<void>): Promise<void> =>
  withClient(command, io, (flags) => new ProjectClient(flags), fn);

/** `capstan proj …`: read AppProjects through the API server (kubeconfig-aware). */
export function registerProjectCommands(program: Command, io: CommandIO = processIO()): void {
  const proj = program
    .command('proj')
    .description('list and inspect AppProjects')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', "the controller's namespace, where its AppProjects are", process.env['CAPSTAN_NAMESPACE'] ?? 'capstan');

  proj.command('list').description('list AppProjects (and project default when it is implicit)')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
    .action(async (flags: { output: OutputFormat }, cmd: Command) => {
      await withProjectClient(cmd, io, (client, ns) => listProjects(client, ns, flags, io));
    });

  proj.command('get').argument('<name>').description('every rule of an AppProject: sources, destinations, resources, sync windows, service accounts, and its problems')
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(async (name: string, flags: { output: OutputFormat }, cmd: Command) => {
      await withProjectClient(cmd, io, async (client, ns) => {
        printProject(await client.get(ns, name), flags, io);
      });
    });
}
