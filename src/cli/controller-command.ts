import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Discovery } from '../cluster/discovery.js';
import { KubeHttp } from '../cluster/http.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { ResourceClient } from '../cluster/resources.js';
import { parseDuration } from '../controller/backoff.js';
import { Controller } from '../controller/controller.js';
import { LeaderElector } from '../controller/leader-election.js';
import { ControllerMetrics } from '../controller/metrics.js';
import { startMetricsServer } from '../server/metrics-server.js';
import { startWebhookServer } from '../server/webhook/server.js';

interface ControllerFlags {
  kubeconfig?: string;
  namespace: string;
  watchNamespace: string[];
  interval: string;
  concurrency: string;
  metricsAddr?: string;
  webhookAddr?: string;
  cacheDir: string;
  logLevel: string;
  leaderElect: boolean;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  shutdownTimeout: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter((s) => s !== '')];

export function registerControllerCommand(program: Command): void {
  program
    .command('controller')
    .description('run the Capstan controller: keep clusters equal to what Git says')
    .option('--kubeconfig <path>', 'kubeconfig file (default: in-cluster config in a pod, else KUBECONFIG or ~/.kube/config)')
    .option('--namespace <ns>', "the controller's own namespace; its Applications are always reconciled", 'capstan')
    .option('--watch-namespace <ns>', 'also reconcile Applications in this namespace (repeatable or comma-separated)', collect, [])
    .option('--interval <duration>', 'default Git poll interval', '3m')
    .option('--concurrency <n>', 'Applications reconciled at the same time', '10')
    .option('--metrics-addr <addr>', 'serve /metrics, /healthz and /readyz on this address (e.g. :8080)')
    .option('--webhook-addr <addr>', 'receive Git push webhooks on POST /api/webhook at this address (e.g. :8081)')
    .option('--cache-dir <dir>', 'where Git clones and checked-out trees are kept', join(tmpdir(), 'capstan-cache'))
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--leader-elect', 'run for leadership on a Lease in --namespace; only the leader reconciles', false)
    .option('--lease-duration <duration>', 'how long a Lease lasts without renewal', '15s')
    .option('--renew-deadline <duration>', 'a leader that cannot renew for this long steps down', '10s')
    .option('--retry-period <duration>', 'how often candidates try to acquire or renew the Lease', '2s')
    .option('--shutdown-timeout <duration>', 'on SIGTERM, how long reconciles in flight may finish before they are interrupted', '30s')
    .action(async (flags: ControllerFlags) => {
      await runController(flags);
    });
}

function durationFlag(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new Error(`--${name} "${value}" is not a duration such as 30s or 3m`);
  return ms;
}

function electorFor(flags: ControllerFlags, logger: Logger): LeaderElector {
  const http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig }));
  return new LeaderElector({
    resources: new ResourceClient(http, new Discovery(http)), namespace: flags.namespace, leaseName: 'capstan-controller', logger,
    leaseDurationMs: durationFlag('lease-duration', flags.leaseDuration),
    renewDeadlineMs: durationFlag('renew-deadline', flags.renewDeadline),
    retryPeriodMs: durationFlag('retry-period', flags.retryPeriod),
  });
}

/** Resolves with the name of the first SIGTERM or SIGINT. */
function terminationSignal(): { received: Promise<string>; aborted: AbortSignal } {
  const abort = new AbortController();
  const received = new Promise<string>((resolve) => {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) {
      process.once(sig, () => {
        abort.abort();
        resolve(sig);
      });
    }
  });
  return { received, aborted: abort.signal };
}

async function runController(flags: ControllerFlags): Promise<void> {
  const logger = pino({ level: flags.logLevel, base: { component: 'controller' } });
  const intervalMs = durationFlag('interval', flags.interval);
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency "${flags.concurrency}" must be a positive integer`);
  const namespaces = [...new Set([flags.namespace, ...flags.watchNamespace])];
  const termination = terminationSignal();
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new ControllerMetrics(registry);
  let serving = false;
  // Ready once this replica reconciles: with leader election only the leader is ready, so the
  // webhook Service sends pushes to the replica that acts on them.
  const server = flags.metricsAddr === undefined ? undefined
    : await startMetricsServer({ address: flags.metricsAddr, registry, ready: () => serving });
  const elector = flags.leaderElect ? electorFor(flags, logger) : undefined;
  if (elector !== undefined) {
    logger.info({ identity: elector.identity }, 'waiting for leadership');
    const won = await elector.acquire(termination.aborted).then(() => true, () => false);
    if (!won) {
      server?.close();
      return;
    }
  }
  const running = await Controller.start({ kubeconfig: flags.kubeconfig, namespaces, intervalMs, concurrency, cacheDir: flags.cacheDir, logger, metrics });
  const webhook = flags.webhookAddr === undefined ? undefined : await startWebhookServer({
    address: flags.webhookAddr, secrets: running.webhookSecrets(), target: running.webhookTarget(), logger: logger.child({ component: 'webhook' }),
  });
  if (webhook !== undefined) logger.info({ port: webhook.port }, 'webhook receiver listening');
  serving = true;
  const lost = new Promise<string>((resolve) => {
    elector?.keepRenewing(() => {
      resolve('lease lost');
    });
  });
  const reason = await Promise.race([termination.received, lost]);
  serving = false;
  logger.info({ reason }, 'stopping: finishing reconciles in flight');
  const finished = await running.stop(reason === 'lease lost' ? 5_000 : durationFlag('shutdown-timeout', flags.shutdownTimeout));
  await webhook?.close();
  server?.close();
  server?.closeAllConnections();
  await elector?.release();
  logger.info({ finished }, 'stopped');
  if (reason === 'lease lost') process.exitCode = 1;
}
