/**
 * Runs the git binary. Capstan uses node:child_process here rather than simple-git because it
 * needs (1) a wall-clock deadline that kills git together with its helpers (ssh,
 * git-remote-http) — simple-git only has an inactivity timeout and signals git alone;
 * (2) GIT_ASKPASS and GIT_SSH_COMMAND in the environment, which simple-git refuses unless
 * its "unsafe" switches are turned on; (3) the exit code and stderr to classify failures.
 */
import { spawn } from 'node:child_process';

export interface GitRunOptions {
  /** Working directory; commands that need a repository pass --git-dir instead of relying on it. */
  cwd: string;
  timeoutMs: number;
  /** Added to the non-interactive environment of `gitEnvironment()`. */
  env?: Readonly<Record<string, string>>;
}

export type GitRunResult =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; reason: 'exit'; exitCode: number | null; stderr: string }
  | { ok: false; reason: 'timeout'; stderr: string }
  | { ok: false; reason: 'spawn'; stderr: string };

/** Variables that would point git at another repository than the one a command names. */
const repositoryLocationVariables = new Set([
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_GRAFT_FILE',
]);

/**
 * The environment git runs with: never prompts (a prompt would hang the controller), English
 * messages (they are classified by text), and no repository location inherited from the caller.
 */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(base).filter(([name]) => !repositoryLocationVariables.has(name)));
  const sshCommand = base.GIT_SSH_COMMAND ?? 'ssh';
  return {
    ...env,
    LC_ALL: 'C',
    LANGUAGE: '',
    GIT_TERMINAL_PROMPT: '0',
    // Empty (not unset): git then neither runs an askpass helper nor falls back to SSH_ASKPASS.
    GIT_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GCM_INTERACTIVE: 'never',
    GIT_SSH_COMMAND: `${sshCommand} -o BatchMode=yes`,
  };
}

/** Runs `git <args>`; never rejects. On timeout the whole process group is killed. */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    const settle = (result: GitRunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    // detached: git leads its own process group, so a timeout can kill its helpers too.
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...gitEnvironment(), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => {
      settle({ ok: false, reason: 'spawn', stderr: err.message });
    });
    child.on('close', (exitCode) => {
      const errText = Buffer.concat(stderr).toString('utf8');
      if (timedOut) settle({ ok: false, reason: 'timeout', stderr: errText });
      else if (exitCode === 0) settle({ ok: true, stdout: Buffer.concat(stdout).toString('utf8'), stderr: errText });
      else settle({ ok: false, reason: 'exit', exitCode, stderr: errText });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
