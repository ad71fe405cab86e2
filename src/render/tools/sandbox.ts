import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import PQueue from 'p-queue';
import type { RenderError } from '../types.js';
import { toolEnvironment } from './environment.js';
import { findCommand } from './command.js';
import type { ToolName, ToolPaths } from './locate.js';

export interface ToolSandboxOptions {
  readonly tools: ToolPaths;
  /** A run taking longer is killed, with its whole process group (default 90 s: --render-timeout). */
  readonly timeoutMs?: number;
  /** Most bytes a run may write to stdout; a run writing more is killed (default 10 MiB, the manifest bound). */
  readonly maxOutputBytes?: number;
  /** Runs at the same time, across all apps (default 2); the others wait their turn. */
  readonly concurrency?: number;
  /** Where private working directories are made (default the system's temporary directory). */
  readonly workDir?: string;
  /**
   * Most address space one run may take (default 2 GiB; 0 for no bound): set with prlimit, when the
   * system has it (util-linux), so that a render that would exhaust the controller's memory fails
   * its own app (TooLarge) instead.
   */
  readonly maxMemoryBytes?: number;
  /** The prlimit binary (default: /usr/bin/prlimit or /bin/prlimit if there). */
  readonly prlimit?: string | undefined;
}

const prlimitPaths = ['/usr/bin/prlimit', '/bin/prlimit'];

/** prlimit, where util-linux puts it; undefined when the system has none. */
export function findPrlimit(): string | undefined {
  return prlimitPaths.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export interface ToolRun {
  /** The tool run (its binary is looked up in the sandbox's tools), or what a `command` run is counted as. */
  readonly tool: ToolName;
  /**
   * The binary to run instead of the tool's (a plugin's command): found on the sandbox's PATH,
   * or, holding a '/', relative to `cwd`. The run's argv[0] is the command as given.
   */
  readonly command?: string;
  readonly args: readonly string[];
  /** Working directory of the run; it should be the private copy it may read. */
  readonly cwd: string;
  /** A home of the run's own (HOME, and the tool's cache and config directories inside it). */
  readonly home: string;
  /** Extra variables (a plugin's ARGOCD_APP_* and parameters); never credentials of the controller. */
  readonly env?: Readonly<Record<string, string>>;
  /** Text written to the run's stdin (none: stdin is closed). */
  readonly stdin?: string;
  /** Names the run in errors: the file or source it renders. */
  readonly file: string;
  /** What the run is called in messages ("kustomize build", "helm template"); the tool's name when absent. */
  readonly label?: string;
}

export type ToolOutput = { ok: true; stdout: string } | { ok: false; error: RenderError };

const MiB = 1024 * 1024;
/** Most of stderr kept for the message of a failed run. */
const STDERR_BYTES = 8 * 1024;
/** Lines of stderr a failure message shows. */
const STDERR_LINES = 5;

/**
 * Runs render tools (kustomize, helm, jsonnet, plugins) as child processes, each with a time
 * limit, a bound on its output, an environment that holds none of the controller's variables,
 * and a home of its own; at most `concurrency` at once. A run that fails says which tool, its
 * exit code and the first lines of what it wrote to stderr.
 */
export class ToolSandbox {
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  /** The bound on a run's address space, when it is enforced (prlimit found); undefined otherwise. */
  readonly maxMemoryBytes: number | undefined;
  private readonly queue: PQueue;
  private readonly workDir: string;
  private readonly prlimit: string | undefined;

  constructor(private readonly options: ToolSandboxOptions) {
    this.timeoutMs = options.timeoutMs ?? 90_000;
    this.maxOutputBytes = options.maxOutputBytes ?? 10 * MiB;
    this.queue = new PQueue({ concurrency: Math.max(1, Math.floor(options.concurrency ?? 2)) });
    this.workDir = options.workDir ?? tmpdir();
    const memory = options.maxMemoryBytes ?? 2 * 1024 * MiB;
    this.prlimit = memory > 0 ? ('prlimit' in options ? options.prlimit : findPrlimit()) : undefined;
    this.maxMemoryBytes = this.prlimit === undefined ? undefined : memory;
  }

  /** Runs waiting for their turn, and running now. */
  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  /**
   * A private directory for one render (removed after `use` returns, whatever happens), with a
   * `home` inside it for the tools it runs.
   */
  async withScratch<T>(use: (scratch: { dir: string; home: string }) => Promise<T>): Promise<T> {
    await mkdir(this.workDir, { recursive: true });
    const dir = await mkdtemp(path.join(this.workDir, 'capstan-render-'));
    try {
      const home = path.join(dir, 'home');
      await mkdir(home, { mode: 0o700 });
      return await use({ dir, home });
    } finally {
      await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }

  async run(run: ToolRun): Promise<ToolOutput> {
    return this.queue.add<ToolOutput>(() => this.runNow(run));
  }

  private runNow(run: ToolRun): Promise<ToolOutput> {
    const label = run.label ?? run.tool;
    // The sandbox's own variables win: a run adds variables, it never moves PATH, HOME or KUBECONFIG.
    const env = { ...run.env, ...toolEnvironment(run.home, this.options.tools) };
    const binary = run.command === undefined ? this.options.tools[run.tool] : findCommand(run.command, env.PATH ?? '', run.cwd);
    if (binary === undefined) {
      return Promise.resolve(failure(run, 'ToolMissing', run.command === undefined
        ? `${label}: the ${run.tool} binary was not found (set CAPSTAN_TOOLS_DIR, or put it on PATH)`
        : run.command.includes('/')
          ? `${label}: the command ${JSON.stringify(run.command)} is not an executable file`
          : `${label}: the command ${JSON.stringify(run.command)} was not found on the render tools' PATH (${env.PATH ?? ''})`));
    }
    try {
      // Checked here: under prlimit a binary that cannot be started would only show as prlimit's exit code.
      accessSync(binary, constants.X_OK);
    } catch (err) {
      return Promise.resolve(failure(run, 'ToolFailed', `${label} could not be started: ${err instanceof Error ? err.message : String(err)}`));
    }
    return new Promise((resolve) => {
      const { prlimit, maxMemoryBytes } = this;
      const bounded = prlimit !== undefined && maxMemoryBytes !== undefined;
      const [file, args] = bounded ? [prlimit, [`--as=${maxMemoryBytes}`, '--', binary, ...run.args]] : [binary, [...run.args]];
      const child = spawn(file, args, {
        cwd: run.cwd,
        env,
        ...(run.command === undefined || bounded ? {} : { argv0: run.command }),
        stdio: [run.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // Its own process group, so that the timeout stops whatever the tool started too.
        detached: true,
      });
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = '';
      let settled = false;
      const settle = (outcome: ToolOutput): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      };
      const kill = (): void => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      };
      const timer = setTimeout(() => {
        kill();
        settle(failure(run, 'TimedOut', `${label} took longer than ${formatMs(this.timeoutMs)} and was stopped`));
      }, this.timeoutMs);
      child.stdout?.on('data', (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > this.maxOutputBytes) {
          kill();
          settle(failure(run, 'TooLarge', `${label} wrote more than the limit of ${this.maxOutputBytes} bytes and was stopped`));
          return;
        }
        stdout.push(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        if (stderr.length < STDERR_BYTES) stderr += chunk.toString('utf8').slice(0, STDERR_BYTES - stderr.length);
      });
      child.on('error', (err) => {
        settle(failure(run, 'ToolFailed', `${label} could not be started: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        if (code === 0) {
          settle({ ok: true, stdout: Buffer.concat(stdout).toString('utf8') });
          return;
        }
        if (this.maxMemoryBytes !== undefined && /out of memory|cannot allocate memory|std::bad_alloc/i.test(stderr)) {
          settle(failure(run, 'TooLarge', `${label} needed more than the ${Math.round(this.maxMemoryBytes / MiB)} MiB of memory a render tool may use, and was stopped`));
          return;
        }
        const how = code === null ? `was stopped by ${signal ?? 'a signal'}` : `exited with code ${code}`;
        const said = firstLines(stderr);
        settle(failure(run, 'ToolFailed', `${label} ${how}${said === '' ? '' : `: ${said}`}`));
      });
      if (run.stdin !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(run.stdin);
      }
    });
  }
}

function failure(run: ToolRun, code: RenderError['code'], message: string): ToolOutput {
  return { ok: false, error: { code, file: run.file, message } };
}

/** The first lines of a tool's stderr, trimmed, as one line. */
export function firstLines(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const shown = lines.slice(0, STDERR_LINES).join(' | ');
  return lines.length > STDERR_LINES ? `${shown} | …` : shown;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Math.round(ms / 100) / 10}s`;
}
