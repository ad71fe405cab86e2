import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { parseDuration } from '../controller/backoff.js';
import { Controller } from '../controller/controller.js';
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
    .action(async (flags: ControllerFlags) => {
      await runController(flags);
    });
}

async function runController(flags: ControllerFlags): Promise<void> {
  const logger = pino({ level: flags.logLevel, base: { component: 'controller' } });
  const intervalMs = parseDuration(flags.interval);
  const concurrency = Number(flags.concurrency);
  if (intervalMs === undefined || intervalMs <= 0) throw new Error(`--interval "${flags.interval}" is not a duration such as 30s or 3m`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency "${flags.concurrency}" must be a positive integer`);
  const namespaces = [...new Set([flags.namespace, ...flags.watchNamespace])];
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = new ControllerMetrics(registry);
  let started = false;
  const server = flags.metricsAddr === undefined ? undefined
    : await startMetricsServer({ address: flags.metricsAddr, registry, ready: () => started });
  if (server !== undefined) {
    const address = server.address();
    logger.info({ port: typeof address === 'object' && address !== null ? address.port : undefined }, 'metrics server listening');
  }
  const running = await Controller.start({ kubeconfig: flags.kubeconfig, namespaces, intervalMs, concurrency, cacheDir: flags.cacheDir, logger, metrics });
  started = true;
  const webhook = flags.webhookAddr === undefined ? undefined : await startWebhookServer({
    address: flags.webhookAddr, secrets: running.webhookSecrets(), target: running.webhookTarget(), logger: logger.child({ component: 'webhook' }),
  });
  if (webhook !== undefined) logger.info({ port: webhook.port }, 'webhook receiver listening');
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing reconciles in flight');
      running.stop().then((finished) => {
        logger.info({ finished }, 'stopped');
        server?.close();
        void webhook?.close();
        resolve();
      }, (err: unknown) => {
        logger.error({ err }, 'error while stopping');
        resolve();
      });
    };
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
  });
}
