import type { Command } from 'commander';
import { isRecord, type KubeObject } from '../../api/object.js';
import { Discovery } from '../../cluster/discovery.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';
import { secretTypeLabels } from '../../credentials/types.js';
import { outputOption, printStructured, type OutputFormat } from '../output/format.js';
import { processIO, type CommandIO } from '../output/io.js';
import { emptyCell, renderTable } from '../output/table.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import { withClient, type ClientFlags } from '../with-client.js';
import { repoColumns, repoRows } from './view.js';

/** Reads the repository Secrets of the controller's namespace (both labels). */
class RepoSecretClient {
  private readonly http: KubeHttp;
  private readonly resources: ResourceClient;

  constructor(flags: Pick<ClientFlags, 'kubeconfig' | 'context'>) {
    this.http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }));
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  async list(namespace: string): Promise<KubeObject[]> {
    const info = await this.resources.discovery.resolve('v1', 'Secret');
    if (info === undefined) return [];
    const found = new Map<string, KubeObject>();
    for (const label of secretTypeLabels) {
      const listed = await this.resources.list(info, { namespace, labelSelector: `${label} in (repository,repo-creds)` });
      for (const item of listed.items) if (isRecord(item)) found.set(item.metadata.name ?? '', item);
    }
    return [...found.values()];
  }

  close(): void {
    this.http.close();
  }
}

/** `capstan repo list`: the repository Secrets, without their values. */
export function registerRepoCommands(program: Command, io: CommandIO = processIO()): void {
  const repo = program
    .command('repo')
    .description('list repository credentials (Secrets labelled repository or repo-creds)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', "the controller's namespace, where its repository Secrets are", process.env['CAPSTAN_NAMESPACE'] ?? 'capstan');

  repo.command('list').description('URL, type, kind, whether a username is set, the kind of authentication and the Secret of each; never a secret value')
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(async (flags: { output: OutputFormat }, cmd: Command) => {
      await withClient(cmd, io, (f) => new RepoSecretClient(f), async (client, ns) => {
        const rows = terminalSafeDeep(repoRows(await client.list(ns)));
        if (flags.output === 'json' || flags.output === 'yaml') {
          printStructured({ repositories: rows }, flags.output, io.out);
          return;
        }
        if (rows.length === 0) {
          io.err.write(`No repository Secrets found in namespace ${ns}.\n`);
          return;
        }
        io.out.write(renderTable(repoColumns, rows.map((r) => repoColumns.map((col) => r[col] ?? emptyCell))));
      });
    });
}
