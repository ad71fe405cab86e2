import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../cluster/paths.js';
import { testKubeconfigPath } from './kube.js';

/** `capstan controller` as a separate process, as an operator runs it. */
export class ControllerProcess {
  private readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<number | null>;

  /**
   * `allowLocalRepos` (default true: test repositories are local directories) passes --allow-local-repos;
   * `wrapper` runs the controller under another command (`ip netns exec NAME`, which execs it: the pid stays the controller's).
   */
  constructor(options: { namespace: string; name: string; interval?: string; cacheDir: string; extraArgs?: string[]; kubeconfig?: string; allowLocalRepos?: boolean; wrapper?: readonly string[] }) {
    const logDir = join(repoRoot, '.capstan', 'test-logs');
    mkdirSync(logDir, { recursive: true });
    this.logFile = join(logDir, `${options.name}.log`);
    writeFileSync(this.logFile, '');
    const log = openSync(this.logFile, 'a');
    try {
      const wrapper = options.wrapper ?? [];
      const command = wrapper[0] ?? process.execPath;
      const prefix = wrapper.length > 0 ? [...wrapper.slice(1), process.execPath] : [];
      this.child = spawn(command, [...prefix,
        '--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'controller',
        '--kubeconfig', options.kubeconfig ?? testKubeconfigPath(), '--namespace', options.namespace, '--interval', options.interval ?? '10m',
        '--cache-dir', options.cacheDir, '--log-level', 'debug',
        // Tests poll every few seconds; a later --min-interval in extraArgs wins.
        '--min-interval', '1s', ...(options.allowLocalRepos === false ? [] : ['--allow-local-repos']), ...(options.extraArgs ?? []),
      ], { cwd: repoRoot, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        resolve(code);
      });
    });
  }

  /** The JSON log lines written so far. */
  logLines(): { msg?: string; time?: number; [key: string]: unknown }[] {
    return readFileSync(this.logFile, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg?: string; time?: number });
  }

  /** Time of the first log line with this message, if any. */
  firstLog(msg: string): number | undefined {
    return this.logLines().find((l) => l.msg === msg)?.time;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /**
   * SIGTERM, then the exit, as an operator stops it; SIGKILL if it has not exited within
   * `graceMs` (a clean stop is not what the caller tests).
   */
  async stop(graceMs = 20_000): Promise<void> {
    this.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((resolve) => { timer = setTimeout(resolve, graceMs); })]);
    clearTimeout(timer);
    await this.ensureStopped();
  }

  /** SIGKILL if still running, and wait for the exit: no process outlives its test. */
  async ensureStopped(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}
