// Runs `capstan dashboard` as the user does (a process of the CLI), against the test control plane.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../cluster/paths.js';
import { testKubeconfigPath } from './kube.js';

export interface RunningDashboard {
  /** What the command printed first: the sign-in URL (local mode) or the served URL. */
  readonly printed: string;
  /** The URL it prints (with the one-time token in local mode). */
  readonly url: string;
  /** http://127.0.0.1:PORT/ */
  readonly base: string;
  stop(): Promise<void>;
}

export const dashboardAssets = join(repoRoot, 'dist', 'dashboard-ui');

export async function startDashboard(args: readonly string[]): Promise<RunningDashboard> {
  if (!existsSync(join(dashboardAssets, 'index.html'))) throw new Error('the dashboard front end is not built: npm run build:dashboard (npm test builds it)');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'dashboard',
    '--kubeconfig', testKubeconfigPath(), '--addr', '127.0.0.1:0', '--log-level', 'warn', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const printed = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
    });
    child.once('exit', (code) => { reject(new Error(`capstan dashboard exited (${code ?? 'signal'}) before it printed its URL: ${stderr}`)); });
  });
  const url = /(http:\/\/\S+)/.exec(printed)?.[1];
  if (url === undefined) throw new Error(`capstan dashboard printed no URL: ${printed}`);
  const base = `${new URL(url).origin}/`;
  return {
    printed, url, base,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) { resolve(); return; }
      child.once('exit', () => { resolve(); });
      child.kill('SIGTERM');
    }),
  };
}
