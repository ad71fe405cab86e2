import { homedir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { Discovery } from '../../cluster/discovery.js';
import { KubeHttp } from '../../cluster/http.js';
import { loadKubeConfig } from '../../cluster/kubeconfig.js';
import { ResourceClient } from '../../cluster/resources.js';
import { outputOption, printStructured, type OutputFormat } from '../output/format.js';
import { processIO, type CommandIO } from '../output/io.js';
import { terminalSafeLines } from '../output/terminal-safe.js';
import { withClient } from '../with-client.js';
import { inspectArgoCd } from './inspect-argocd.js';
import { exitCodeOf, formatReport, reportJson, summaryOf } from './report.js';

export const migrationSources = ['argocd'] as const;

interface MigrateFlags {
  from: (typeof migrationSources)[number];
  dryRun: boolean;
  output: OutputFormat;
  cacheDir: string;
  allowLocalRepos: boolean;
}

/** The command's connection to the API server (reads only). */
class MigrateClient {
  readonly resources: ResourceClient;
  private readonly http: KubeHttp;

  constructor(flags: { kubeconfig?: string | undefined; context?: string | undefined }) {
    this.http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context }));
    this.resources = new ResourceClient(this.http, new Discovery(this.http));
  }

  close(): void {
    this.http.close();
  }
}

export const notDryRunMessage = 'migrate only reports (--dry-run): the take-over is done by starting the controller with --argocd-compat in Argo CD\'s namespace (see "Taking over from Argo CD" in the README)';

/** `capstan migrate --from argocd --dry-run`: what taking over Argo CD's Applications would do, written nowhere. */
export function registerMigrateCommand(program: Command, io: CommandIO = processIO()): void {
  program.command('migrate')
    .description("report what taking over Argo CD's Applications and AppProjects (capstan controller --argocd-compat) would do; writes nothing")
    .addOption(new Option('--from <tool>', 'what to take over from').choices(migrationSources).makeOptionMandatory())
    .option('--dry-run', 'report only (required: nothing is ever written)', false)
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('-n, --namespace <ns>', "Argo CD's namespace: its argocd-cm, Applications and AppProjects", 'argocd')
    .option('--cache-dir <dir>', 'where Git clones are kept', join(homedir(), '.cache', 'capstan', 'cli'))
    .option('--allow-local-repos', 'read apps whose repository is a plain path or file:// URL on this machine (for local use: demo and tests)', false)
    .addOption(outputOption(['table', 'json']))
    .addHelpText('after', `
For each Argo CD Application of the namespace: the Argo CD fields Capstan does not carry out
(the controller would refuse the app: InvalidSpec), or what its first reconcile under
--argocd-compat would do: the controller's own comparison (render, server-side dry run) with
Argo CD's resource tracking from argocd-cm and Argo CD's AppProjects. Objects to create and
update are applied by the first reconcile only with automated sync; objects Git no longer
declares are pruned only with automated prune. Then the unsupported fields of each AppProject
and the keys of argocd-cm Capstan does not carry out. Nothing is written to the cluster.

Exit code: 0 when nothing would change and nothing is unsupported; 1 when an app would
change, a field of an Application or AppProject or a key of argocd-cm is not carried out,
or an app could not be compared; 2 on an error (the cluster could not be read).`)
    .action(async (flags: MigrateFlags, cmd: Command) => {
      if (!flags.dryRun) {
        io.err.write(`capstan: ${notDryRunMessage}\n`);
        io.setExitCode(2);
        return;
      }
      await withClient(cmd, io, (connection) => new MigrateClient(connection), async (client, namespace) => {
        const report = await inspectArgoCd(client.resources, namespace, { cacheDir: flags.cacheDir, allowLocalRepos: flags.allowLocalRepos }, io);
        if (flags.output === 'json') printStructured(reportJson(report), 'json', io.out);
        else io.out.write(terminalSafeLines(formatReport(report)));
        io.setExitCode(exitCodeOf(summaryOf(report)));
      });
    });
}
