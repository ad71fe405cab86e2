/**
 * Runs the git binary. Capstan uses node:child_process here rather than simple-git because it
 * needs (1) a wall-clock deadline that kills git together with its helpers (ssh,
 * git-remote-http) — simple-git only has an inactivity timeout and signals git alone;
 * (2) its own environment (credentials, the allowed transports, no user or system config),
 * which simple-git refuses unless its "unsafe" switches are turned on; (3) the exit code and
 * stderr to classify failures; (4) a bound on what git prints.
 */
import { spawn } from 'node:child_process';

export interface GitRunOptions {
  /** Working directory; commands that need a repository pass --git-dir instead of relying on it. */
  cwd: string;
  timeoutMs: number;
  /** Added to the locked-down environment of `gitEnvironment()`. */
  env?: Readonly<Record<string, string>>;
  /** Local repositories (the `file` transport) may be read. */
  allowLocal?: boolean;
  /** git is killed once it prints more than this on stdout (default 64 MiB). */
  maxStdoutBytes?: number;
}

export type GitRunResult =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; reason: 'exit'; exitCode: number | null; stderr: string }
  | { ok: false; reason: 'timeout'; stderr: string }
  | { ok: false; reason: 'overflow'; limitBytes: number; stderr: string }
  | { ok: false; reason: 'spawn'; stderr: string };

export const defaultMaxStdoutBytes = 64 * 1024 * 1024;
/** stderr keeps its beginning and its end (where fatal: lines are), this much of each. */
const stderrHeadBytes = 64 * 1024;
const stderrTailBytes = 16 * 1024;

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
 * Inherited variables that would configure git behind Capstan's back (GIT_CONFIG_COUNT,
 * GIT_CONFIG_PARAMETERS, ...) or make it print its traffic (traces would reach messages).
 */
const inheritedConfig = /^(GIT_CONFIG|GIT_TRACE|GIT_CURL_VERBOSE$|GIT_REDACT_COOKIES$|GIT_ALLOW_PROTOCOL$|GIT_PROTOCOL_FROM_USER$|GIT_EXEC_PATH$|GIT_TEMPLATE_DIR$)/;

/**
 * The environment git runs with: never prompts (a prompt would hang the controller), English
 * messages (they are classified by text), no repository location inherited from the caller,
 * no system or user configuration (no `insteadOf`, credential helpers or hooks from $HOME),
 * and only the transports Capstan reads: https, ssh, http and git (plus file for local repos).
 */
export function gitEnvironment(base: NodeJS.ProcessEnv = process.env, options: { allowLocal?: boolean } = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(base).filter(([name]) => !repositoryLocationVariables.has(name) && !inheritedConfig.test(name)));
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
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: options.allowLocal === true ? 'https:ssh:http:git:file' : 'https:ssh:http:git',
  };
}

/** Runs `git <args>`; never rejects. On timeout (or too much output) the whole process group is killed. */
export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitRunResult> {
  return new Promise((resolve) => {
    const maxStdout = options.maxStdoutBytes ?? defaultMaxStdoutBytes;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const stderr = new BoundedText(stderrHeadBytes, stderrTailBytes);
    let stopped: 'timeout' | 'overflow' | undefined;
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
      env: { ...gitEnvironment(process.env, { allowLocal: options.allowLocal ?? false }), ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const timer = setTimeout(() => {
      stopped ??= 'timeout';
      killGroup(child.pid);
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped !== undefined) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        stopped = 'overflow';
        stdout.length = 0;
        killGroup(child.pid);
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.add(chunk);
    });
    child.on('error', (err) => {
      settle({ ok: false, reason: 'spawn', stderr: err.message });
    });
    child.on('close', (exitCode) => {
      const errText = stderr.text();
      if (stopped === 'timeout') settle({ ok: false, reason: 'timeout', stderr: errText });
      else if (stopped === 'overflow') settle({ ok: false, reason: 'overflow', limitBytes: maxStdout, stderr: errText });
      else if (exitCode === 0) settle({ ok: true, stdout: Buffer.concat(stdout).toString('utf8'), stderr: errText });
      else settle({ ok: false, reason: 'exit', exitCode, stderr: errText });
    });
  });
}

/** The first `headBytes` and the last `tailBytes` of a stream, with a marker where the middle was dropped. */
class BoundedText {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = false;

  constructor(
    private readonly headLimit: number,
    private readonly tailLimit: number,
  ) {}

  add(chunk: Buffer): void {
    if (this.headBytes < this.headLimit) {
      const take = chunk.subarray(0, this.headLimit - this.headBytes);
      this.head.push(take);
      this.headBytes += take.length;
      chunk = chunk.subarray(take.length);
      if (chunk.length === 0) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > this.tailLimit && this.tail.length > 0) {
      const first = this.tail[0] ?? Buffer.alloc(0);
      const excess = this.tailBytes - this.tailLimit;
      this.dropped = true;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
      }
    }
  }

  text(): string {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    return this.dropped ? `${head}\n[…]\n${tail}` : head + tail;
  }
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
