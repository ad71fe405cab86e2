import type { Command } from 'commander';
import { applicationApiVersion, applicationKind, type Application } from '../../api/application.js';
import type { KubeObject } from '../../api/object.js';
import { Discovery } from '../../cluster/discovery.js';
import { isForbidden } from '../../cluster/errors.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';
import { parseClusterSecret } from '../../clusters/cluster-secret.js';
import { clusterKubeConfig } from '../../clusters/kubeconfig.js';
import { clusterSecretType } from '../../clusters/types.js';
import { secretTypeLabels } from '../../credentials/types.js';
import { outputOption, printStructured, type OutputFormat } from '../output/format.js';
import { processIO, type CommandIO } from '../output/io.js';
import { emptyCell, renderTable } from '../output/table.js';
import { terminalSafeDeep } from '../output/terminal-safe.js';
import { withClient, type ClientFlags } from '../with-client.js';
import { clusterColumns, clusterRows, type ProbeResult } from './view.js';

const probeTimeoutMs = 5_000;

async function probe(http: KubeHttp): Promise<ProbeResult> {
  try {
    const info = await http.json<{ gitVersion?: unknown } | undefined>({ method: 'GET', path: '/version', timeoutMs: probeTimeoutMs });
    return { version: typeof info?.gitVersion === 'string' ? info.gitVersion : emptyCell };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Reads the cluster Secrets and Applications, and asks each cluster for its version with its Secret's credentials. */
class ClusterClient {
  private readonly http: KubeHttp;
  private readonly resources: ResourceClient;

  constructor(flags: Pick<ClientFlags, 'kubeconfig' | 'context'>) {
    this.http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }));
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  async secrets(namespace: string): Promise<KubeObject[]> {
    const info = await this.resources.discovery.resolve('v1', 'Secret');
    if (info === undefined) return [];
    const found = new Map<string, KubeObject>();
    for (const label of secretTypeLabels) {
      for (const item of (await this.resources.list(info, { namespace, labelSelector: `${label}=${clusterSecretType}` })).items) found.set(item.metadata.name ?? '', item);
    }
    return [...found.values()];
  }

  /** Applications of every namespace the caller may list, else of the controller's namespace. */
  async apps(namespace: string): Promise<Application[]> {
    const info = await this.resources.discovery.resolve(applicationApiVersion, applicationKind);
    if (info === undefined) return [];
    const listed = await this.resources.list(info, {}).catch(async (err: unknown) => {
      if (!isForbidden(err)) throw err;
      return this.resources.list(info, { namespace });
    });
    return listed.items as unknown as Application[];
  }

  async probes(secrets: readonly KubeObject[]): Promise<{ remote: Map<string, ProbeResult>; own: ProbeResult }> {
    const remote = new Map<string, ProbeResult>();
    await Promise.all(secrets.map(async (secret) => {
      const parsed = parseClusterSecret(secret);
      if (!parsed.ok) return;
      // A command a Secret names runs in the controller, never on the machine of whoever lists clusters.
      if (parsed.cluster.exec !== undefined) {
        remote.set(secret.metadata.name ?? '', { notAsked: `not asked: its credentials come from a command (${parsed.cluster.exec.command}), which only the controller runs` });
        return;
      }
      const http = new KubeHttp(clusterKubeConfig(parsed.cluster));
      try {
        remote.set(secret.metadata.name ?? '', await probe(http));
      } finally {
        http.close();
      }
    }));
    return { remote, own: await probe(this.http) };
  }

  close(): void {
    this.http.close();
  }
}

/** `capstan cluster list`: the destination clusters, without their credentials. */
export function registerClusterCommands(program: Command, io: CommandIO = processIO()): void {
  const cluster = program
    .command('cluster')
    .description('list destination clusters (the controller\'s own, and Secrets labelled cluster)')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', "the controller's namespace, where its cluster Secrets are", process.env['CAPSTAN_NAMESPACE'] ?? 'capstan');

  cluster.command('list').description('name, server, version, reachability and number of Applications of each cluster; never a credential')
    .addOption(outputOption(['table', 'json', 'yaml']))
    .action(async (flags: { output: OutputFormat }, cmd: Command) => {
      await withClient(cmd, io, (f) => new ClusterClient(f), async (client, ns) => {
        const [secrets, apps] = await Promise.all([client.secrets(ns), client.apps(ns)]);
        const { remote, own } = await client.probes(secrets);
        const rows = terminalSafeDeep(clusterRows(secrets, apps, remote, own));
        if (flags.output === 'json' || flags.output === 'yaml') {
          printStructured({ clusters: rows }, flags.output, io.out);
          return;
        }
        io.out.write(renderTable(clusterColumns, rows.map((r) => clusterColumns.map((col) => String(r[col] ?? emptyCell)))));
      });
    });
}
