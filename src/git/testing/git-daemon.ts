/** A `git daemon` serving a directory over git:// on a free loopback port, for tests. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GitDaemon {
  readonly port: number;
  readonly pid: number;
  /** git://127.0.0.1:<port>/<path under the base directory> */
  url(path: string): string;
  /** Stops the daemon and every connection it forked, and waits until they are gone. */
  stop(): Promise<void>;
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export async function startGitDaemon(baseDir: string): Promise<GitDaemon> {
  const port = await freeLoopbackPort();
  const args = ['daemon', '--reuseaddr', '--export-all', `--base-path=${baseDir}`, '--listen=127.0.0.1', `--port=${port}`, baseDir];
  // Its own process group, so stop() also reaches the processes it forks per connection.
  const child = spawn('git', args, { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start git daemon');
  const exited = once(child, 'exit');
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
    }, 2_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForPort(port, 5_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, pid, url: (path) => `git://127.0.0.1:${port}/${path}`, stop };
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await accepts(port)) return;
    await sleep(25);
  }
  throw new Error(`git daemon did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}
