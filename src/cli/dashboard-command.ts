// `capstan dashboard`: the web dashboard, on loopback with the user's kubeconfig (a one-time
// sign-in URL is printed), or for many users with their own bearer tokens (--auth token).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Option, type Command } from 'commander';
import pino from 'pino';
import { AppClient } from './app/client.js';
import { loadKubeConfig } from '../cluster/kubeconfig.js';
import { parseListenAddress } from '../server/metrics-server.js';
import { createDashboard, type DashboardAuth } from '../dashboard/app.js';
import { checkAssets, defaultAssetsDir } from '../dashboard/assets.js';
import { whoAmI } from '../dashboard/identity.js';
import { randomToken } from '../dashboard/sessions.js';
import { processIO, type CommandIO } from './output/io.js';
import { terminalSafe } from './output/terminal-safe.js';

interface DashboardFlags {
  kubeconfig?: string;
  context?: string;
  addr: string;
  auth: 'local' | 'token';
  namespace?: string;
  allowLocalRepos: boolean;
  cacheDir: string;
  assetsDir?: string;
  logLevel: string;
}

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === 'localhost' || host === '::1';

async function localUser(client: AppClient, fallback: string): Promise<string> {
  try {
    return await whoAmI(client);
  } catch {
    return fallback;
  }
}

export async function runDashboard(flags: DashboardFlags, io: CommandIO, signal?: AbortSignal): Promise<void> {
  const { host, port } = parseListenAddress(flags.addr);
  if (flags.auth === 'local' && !isLoopback(host)) {
    throw new Error(`--addr ${flags.addr}: with --auth local (your own kubeconfig's rights) the dashboard binds only to loopback; use --auth token to serve other users`);
  }
  const assetsDir = flags.assetsDir ?? defaultAssetsDir();
  checkAssets(assetsDir);
  const logger = pino({ level: flags.logLevel, base: { component: 'dashboard' } }, pino.destination(2));
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  let auth: DashboardAuth;
  let local: AppClient | undefined;
  if (flags.auth === 'local') {
    local = new AppClient(kc);
    auth = { mode: 'local', client: local, user: await localUser(local, kc.getCurrentUser()?.name ?? 'kubeconfig'), loginToken: randomToken() };
  } else {
    auth = { mode: 'token', base: kc };
  }
  const dashboard = createDashboard({
    auth, assetsDir, logger, loopbackOnly: isLoopback(host), allowLocalRepos: flags.allowLocalRepos, cacheDir: flags.cacheDir,
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
  });
  const server = serve({ fetch: dashboard.app.fetch, hostname: host, port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${shown}:${address.port}/`;
  io.out.write(auth.mode === 'local'
    ? `capstan dashboard: open ${base}login?token=${auth.loginToken} (signed in as ${terminalSafe(auth.user)}; Ctrl-C stops it)\n`
    : `capstan dashboard: serving ${base} (users sign in with a Kubernetes bearer token)\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => { resolve(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  dashboard.close();
  local?.close();
  server.close();
  if ('closeAllConnections' in server) server.closeAllConnections();
}

export function registerDashboardCommand(program: Command, io: CommandIO = processIO()): void {
  program.command('dashboard')
    .description('the web dashboard: Applications, their resource trees, diffs and history, with Sync, Refresh, Rollback and Terminate')
    .option('--kubeconfig <path>', 'kubeconfig file (default: KUBECONFIG or ~/.kube/config, or the in-cluster config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--addr <host:port>', 'where to listen', '127.0.0.1:8090')
    .addOption(new Option('--auth <mode>', "local: your kubeconfig's rights, loopback only, sign in with the printed URL; token: users sign in with their own Kubernetes bearer token").choices(['local', 'token']).default('local'))
    .option('-n, --namespace <ns>', 'only the Applications of this namespace (default: all namespaces)')
    .option('--allow-local-repos', 'diff apps whose repository is a plain path or file:// URL on this machine (local use: demo and tests)', false)
    .option('--cache-dir <dir>', 'where Git clones for diffs are kept', join(homedir(), '.cache', 'capstan', 'dashboard'))
    .option('--assets-dir <dir>', 'the built front end (default: the one of this installation)')
    .option('--log-level <level>', 'log level (logs go to stderr)', 'info')
    .action(async (flags: DashboardFlags) => {
      try {
        await runDashboard(flags, io);
      } catch (err) {
        io.err.write(`capstan: ${terminalSafe(err instanceof Error ? err.message : String(err))}\n`);
        io.setExitCode(2);
      }
    });
}
