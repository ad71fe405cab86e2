import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { Discovery } from '../cluster/discovery.js';
import { KubeHttp } from '../cluster/http.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { ResourceClient } from '../cluster/resources.js';
import { parseDuration } from '../controller/backoff.js';
import { Controller, type RenderToolOptions } from '../controller/controller.js';
import { formatToolVersions, locateTools, toolsDirFromEnv, toolVersions } from '../render/tools/locate.js';
import { LeaderElector } from '../controller/leader-election.js';
import { ControllerMetrics } from '../controller/metrics.js';
import type { SelfHealBackoffOptions } from '../controller/self-heal.js';
import { StandbyWebhookTarget } from '../controller/standby-webhook-target.js';
import { webhookSecretsReader } from '../controller/webhook-secrets.js';
import { startMetricsServer, type Readiness } from '../server/metrics-server.js';
import { WebhookMetrics } from '../server/webhook/metrics.js';
import { startWebhookServer, type WebhookServer, type WebhookServerOptions } from '../server/webhook/server.js';
import type { AsyncWebhookTarget, WebhookTarget } from '../server/webhook/types.js';
import { byteSizeFlag } from './byte-size.js';
import { selfHealBackoffOf, type SelfHealBackoffFlags } from './self-heal-flags.js';

interface ControllerFlags extends SelfHealBackoffFlags {
  kubeconfig?: string;
  namespace: string;
  watchNamespace: string[];
  interval: string;
  minInterval: string;
  concurrency: string;
  metricsAddr?: string;
  webhookAddr?: string;
  webhookAllowUnsigned: boolean;
  webhookBodyTimeout: string;
  cacheDir: string;
  maxManifestBytes: string;
  logLevel: string;
  leaderElect: boolean;
  leaseDuration: string;
  renewDeadline: string;
  retryPeriod: string;
  shutdownTimeout: string;
  allowLocalRepos: boolean;
  argocdCompat: boolean;
  argocdNamespace: string;
  allowOwnNamespace: boolean;
  protectNamespace: string[];
  renderTimeout: string;
  renderConcurrency: string;
  renderMemory: string;
  kustomizeAllowRemote: boolean;
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
    .option('--min-interval <duration>', 'the shortest poll interval of any Application: a shorter spec.interval is raised to it (with a Warning Event)', '10s')
    .option('--concurrency <n>', 'Applications reconciled at the same time', '10')
    .option('--self-heal-backoff-duration <duration>', 'when another writer keeps undoing a self-heal (a field fight), the wait before the next one', '2s')
    .option('--self-heal-backoff-factor <n>', 'the wait is multiplied by this after each self-heal that is undone again', '2')
    .option('--self-heal-backoff-max <duration>', 'the longest wait between self-heals in a field fight', '5m')
    .option('--metrics-addr <addr>', 'serve /metrics, /healthz and /readyz on this address (e.g. :8080)')
    .option('--webhook-addr <addr>', 'receive Git push webhooks on POST /api/webhook at this address (e.g. :8081)')
    .option('--webhook-allow-unsigned', 'accept pushes of providers without a secret in the capstan-webhook Secret, marked unverified (for local use; default: they get 401)', false)
    .option('--webhook-body-timeout <duration>', 'a webhook body not received this long after its headers gets 408', '10s')
    .option('--cache-dir <dir>', 'where Git clones and checked-out trees are kept', join(tmpdir(), 'capstan-cache'))
    .option('--max-manifest-bytes <size>', 'largest total size of the manifests of one app (read with YAML aliases expanded, they may take 6 times that); past it the app gets a render error', '10Mi')
    .option('--log-level <level>', 'trace, debug, info, warn or error', 'info')
    .option('--leader-elect', 'run for leadership on a Lease in --namespace; only the leader reconciles', false)
    .option('--lease-duration <duration>', 'how long a Lease lasts without renewal', '15s')
    .option('--renew-deadline <duration>', 'a leader that cannot renew for this long steps down', '10s')
    .option('--retry-period <duration>', 'how often candidates try to acquire or renew the Lease', '2s')
    .option('--allow-own-namespace', "let Applications deploy into the controller's own namespace, where its ServiceAccount and credentials live (default: refused)", false)
    .option('--protect-namespace <ns>', 'refuse objects in this namespace too, e.g. kube-system (repeatable or comma-separated)', collect, [])
    .option('--shutdown-timeout <duration>', 'on SIGTERM, how long reconciles in flight may finish before they are interrupted', '30s')
    .option('--render-timeout <duration>', 'a render tool (kustomize, helm, jsonnet, a plugin) running longer is stopped, and its app gets a render error', '90s')
    .option('--render-concurrency <n>', 'render tools running at the same time, across all apps', '2')
    .option('--render-memory <size>', 'most memory (address space) one render tool run may take, at least 1Gi (0: no bound); past it the app gets a render error', '2Gi')
    .option('--kustomize-allow-remote', 'let kustomizations refer to remote bases and resources (git or HTTP URLs), fetched without credentials (default: refused)', false)
    .option('--argocd-compat', "reconcile Argo CD's Applications and AppProjects (argoproj.io) of --argocd-namespace and --watch-namespace, with Argo CD's resource tracking, finalizers, settings and status format, instead of Capstan's own", false)
    .option('--argocd-namespace <ns>', "with --argocd-compat: Argo CD's namespace, where its Applications, AppProjects, argocd-cm and Secrets are (and capstan-config is read); protected like the controller's own, but for Applications and AppProjects", 'argocd')
    .option('--allow-local-repos', 'read repositories given as plain paths or file:// URLs (for local use: demo and tests; default: such Applications are refused)', false)
    .addHelpText('after', () => `\nRender tools (from CAPSTAN_TOOLS_DIR, else PATH): ${formatToolVersions(toolVersions(locateTools({ toolsDir: toolsDirFromEnv() })))}\n`)
    .action(async (flags: ControllerFlags) => {
      await runController(flags);
    });
}

function durationFlag(name: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new Error(`--${name} "${value}" is not a duration such as 30s or 3m`);
  return ms;
}

/** After losing the lease, how long aborting reconciles and closing servers may take before the process exits anyway. */
const leaseLostCleanupMs = 5_000;

/** The elector, with a client of its own: lease requests never wait behind the controller's. */
function electorFor(flags: ControllerFlags, logger: Logger): { elector: LeaderElector; http: KubeHttp } {
  const http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig }));
  const elector = new LeaderElector({
    http, namespace: flags.namespace, leaseName: 'capstan-controller', logger,
    leaseDurationMs: durationFlag('lease-duration', flags.leaseDuration),
    renewDeadlineMs: durationFlag('renew-deadline', flags.renewDeadline),
    retryPeriodMs: durationFlag('retry-period', flags.retryPeriod),
  });
  return { elector, http };
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

/** `promise`'s value, or undefined when it takes longer than `ms` (or fails). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      resolve(undefined);
    }, ms);
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What both ways of running share: flags read once, the servers, the phase /readyz reports. */
interface Run {
  readonly flags: ControllerFlags;
  readonly logger: Logger;
  readonly namespaces: string[];
  readonly intervalMs: number;
  readonly minIntervalMs: number;
  readonly concurrency: number;
  readonly shutdownTimeoutMs: number;
  readonly maxManifestBytes: number;
  readonly render: RenderToolOptions;
  readonly selfHealBackoff: SelfHealBackoffOptions;
  readonly metrics: ControllerMetrics;
  readonly webhookMetrics: WebhookMetrics;
  readonly webhookBodyTimeoutMs: number;
  readonly termination: ReturnType<typeof terminationSignal>;
  metricsServer: Server | undefined;
  phase: Readiness;
}

async function runController(flags: ControllerFlags): Promise<void> {
  const logger = pino({ level: flags.logLevel, base: { component: 'controller' } });
  const intervalMs = durationFlag('interval', flags.interval);
  const minIntervalMs = durationFlag('min-interval', flags.minInterval);
  if (intervalMs < minIntervalMs) throw new Error(`--interval "${flags.interval}" is below --min-interval "${flags.minInterval}"`);
  const shutdownTimeoutMs = durationFlag('shutdown-timeout', flags.shutdownTimeout);
  const concurrency = Number(flags.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency "${flags.concurrency}" must be a positive integer`);
  const renderConcurrency = Number(flags.renderConcurrency);
  if (!Number.isInteger(renderConcurrency) || renderConcurrency < 1) throw new Error(`--render-concurrency "${flags.renderConcurrency}" must be a positive integer`);
  const tools = locateTools({ toolsDir: toolsDirFromEnv() });
  const versions = formatToolVersions(toolVersions(tools));
  logger.info({ tools: versions }, 'render tools');
  const renderMemory = flags.renderMemory.trim() === '0' ? 0 : byteSizeFlag('render-memory', flags.renderMemory);
  // Go's runtime alone reserves close to 1 GiB of address space: less and no tool could start.
  if (renderMemory !== 0 && renderMemory < 1024 ** 3) throw new Error(`--render-memory "${flags.renderMemory}" is below 1Gi, the least a render tool needs to start (0 turns the bound off)`);
  const render: RenderToolOptions = {
    tools, versions, timeoutMs: durationFlag('render-timeout', flags.renderTimeout), concurrency: renderConcurrency,
    kustomizeAllowRemote: flags.kustomizeAllowRemote, maxMemoryBytes: renderMemory,
  };
  const election = flags.leaderElect ? electorFor(flags, logger) : undefined;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const run: Run = {
    flags, logger, intervalMs, minIntervalMs, concurrency, shutdownTimeoutMs, render,
    maxManifestBytes: byteSizeFlag('max-manifest-bytes', flags.maxManifestBytes),
    selfHealBackoff: selfHealBackoffOf(flags),
    // The first is where the configuration is read: Argo CD's namespace in --argocd-compat.
    namespaces: [...new Set([flags.argocdCompat ? flags.argocdNamespace : flags.namespace, ...flags.watchNamespace])],
    metrics: new ControllerMetrics(registry),
    webhookMetrics: new WebhookMetrics(registry),
    webhookBodyTimeoutMs: durationFlag('webhook-body-timeout', flags.webhookBodyTimeout),
    termination: terminationSignal(),
    metricsServer: undefined,
    phase: 'starting',
  };
  run.metricsServer = flags.metricsAddr === undefined ? undefined
    : await startMetricsServer({ address: flags.metricsAddr, registry, readiness: () => run.phase });
  if (election === undefined) await runAlone(run);
  else await runElected(run, election);
}

function closeMetricsServer(run: Run): void {
  run.metricsServer?.close();
  run.metricsServer?.closeAllConnections();
}

/** The controller's own namespace (unless --allow-own-namespace) and every --protect-namespace. */
function protectedNamespaces(flags: ControllerFlags): string[] {
  const own = flags.allowOwnNamespace ? [] : [flags.namespace, ...(flags.argocdCompat ? [flags.argocdNamespace] : [])];
  return [...new Set([...own, ...flags.protectNamespace])];
}

function startController(run: Run, writeGate?: () => boolean): Promise<Controller> {
  const { flags, logger, namespaces, intervalMs, minIntervalMs, concurrency, metrics, maxManifestBytes, selfHealBackoff, render } = run;
  return Controller.start({
    kubeconfig: flags.kubeconfig, namespaces, intervalMs, minIntervalMs, concurrency, cacheDir: flags.cacheDir, maxManifestBytes, logger, metrics, selfHealBackoff, render,
    settings: { protectedNamespaces: protectedNamespaces(flags) },
    allowLocalRepos: flags.allowLocalRepos,
    argocd: flags.argocdCompat,
    ...(writeGate === undefined ? {} : { writeGate }),
  });
}

async function startWebhook(run: Run, secrets: WebhookServerOptions['secrets'], target: WebhookServerOptions['target']): Promise<WebhookServer | undefined> {
  if (run.flags.webhookAddr === undefined) return undefined;
  const webhook = await startWebhookServer({
    address: run.flags.webhookAddr, secrets, target, logger: run.logger.child({ component: 'webhook' }),
    allowUnsigned: run.flags.webhookAllowUnsigned, bodyTimeoutMs: run.webhookBodyTimeoutMs, metrics: run.webhookMetrics,
  });
  run.logger.info({ port: webhook.port }, 'webhook receiver listening');
  return webhook;
}

/** Without leader election: ready once the controller runs; SIGTERM lets reconciles in flight finish. */
async function runAlone(run: Run): Promise<void> {
  const running = await startController(run);
  const webhook = await startWebhook(run, running.webhookSecrets(), running.webhookTarget({ onOutcome: run.webhookMetrics.refreshOutcome }));
  run.phase = 'ready';
  const reason = await run.termination.received;
  run.phase = 'stopping';
  run.logger.info({ reason }, 'stopping: finishing reconciles in flight');
  const finished = await running.stop(run.shutdownTimeoutMs);
  await webhook?.close();
  closeMetricsServer(run);
  run.logger.info({ finished }, 'stopped');
}

/**
 * With leader election. Ready as soon as it takes part: a standby receives webhooks too and
 * hands them to the leader (StandbyWebhookTarget). The leader renews from the moment it has
 * the lease, and its controller writes only while the lease is surely its own (the write gate);
 * when the lease is lost, reconciles are aborted at once and the process exits non-zero.
 */
async function runElected(run: Run, election: { elector: LeaderElector; http: KubeHttp }): Promise<void> {
  const { flags, logger } = run;
  const { elector } = election;
  const http = new KubeHttp(loadKubeConfig({ kubeconfig: flags.kubeconfig }));
  const secrets = webhookSecretsReader(new ResourceClient(http, new Discovery(http)), run.namespaces[0] ?? flags.namespace);
  let target: WebhookTarget | AsyncWebhookTarget = new StandbyWebhookTarget({
    http, namespaces: run.namespaces, logger: logger.child({ component: 'webhook' }), onOutcome: run.webhookMetrics.refreshOutcome,
  });
  // Pushes go to whichever target this replica has now: the standby's, then the leader's.
  const webhook = await startWebhook(run, secrets, {
    applicationsFor: async (urls) => target.applicationsFor(urls),
    refresh: async (keys, urls, reason, hint) => {
      await target.refresh(keys, urls, reason, hint);
    },
  });
  run.phase = 'ready';
  const closeAll = async (): Promise<void> => {
    await webhook?.close();
    closeMetricsServer(run);
    http.close();
    election.http.close();
  };

  logger.info({ identity: elector.identity }, 'waiting for leadership');
  const won = await elector.acquire(run.termination.aborted).then(() => true, () => false);
  if (!won) {
    run.phase = 'stopping';
    await closeAll();
    return;
  }
  const lease = { lost: false };
  const lost = new Promise<'lease lost'>((resolve) => {
    elector.keepRenewing(() => {
      lease.lost = true;
      resolve('lease lost');
    });
  });
  const starting = startController(run, () => elector.isLeader);
  const first = await Promise.race([
    starting.then((running) => ({ running }), (err: unknown) => ({ failed: err })),
    lost.then((reason) => ({ reason })),
    run.termination.received.then((reason) => ({ reason })),
  ]);
  if ('failed' in first) {
    run.phase = 'stopping';
    await elector.release();
    await closeAll();
    throw first.failed;
  }
  const running = 'running' in first ? first.running : undefined;
  if (running !== undefined) target = running.webhookTarget({ onOutcome: run.webhookMetrics.refreshOutcome });
  const reason = 'reason' in first ? first.reason : await Promise.race([lost, run.termination.received]);
  run.phase = 'stopping';

  if (reason === 'lease lost') {
    // Not ours any more: abort everything now, release nothing, and exit.
    await within(leaseLostCleanupMs, Promise.all([
      running?.abort() ?? starting.then((late) => late.abort()),
      closeAll(),
    ]));
    logger.error({ identity: elector.identity }, 'stopped after losing the lease');
    process.exit(1);
  }

  logger.info({ reason }, 'stopping: finishing reconciles in flight');
  const controller = running ?? await within(run.shutdownTimeoutMs, starting);
  const finished = await controller?.stop(run.shutdownTimeoutMs) ?? false;
  await elector.release();
  await closeAll();
  logger.info({ finished }, 'stopped');
  // Lost while finishing: the write gate refused what came after, but this was no clean stop.
  if (lease.lost) process.exitCode = 1;
}
