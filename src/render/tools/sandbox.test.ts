// The sandbox runs /bin/sh as the tool (the key 'plugin'), with scripts that behave as a hostile or broken tool would.
import { toolsDir } from '../../../tools/versions.js';
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TempTrees } from '../testing/tools.js';
import { locateTools } from './locate.js';
import { firstLines, ToolSandbox, type ToolOutput, type ToolSandboxOptions } from './sandbox.js';

const trees = new TempTrees('capstan-sandbox-test');
afterAll(() => trees.remove());

function sandbox(options: Partial<ToolSandboxOptions> = {}): ToolSandbox {
  return new ToolSandbox({ tools: { plugin: '/bin/sh' }, ...options });
}

/** Runs a shell script in the sandbox, in a fresh directory that is also its home. */
async function sh(box: ToolSandbox, script: string, extra: { env?: Record<string, string>; stdin?: string; label?: string; dir?: string } = {}): Promise<ToolOutput> {
  const dir = extra.dir ?? (await trees.make());
  return box.run({
    tool: 'plugin', args: ['-c', script], cwd: dir, home: dir, file: 'app/source',
    ...(extra.env === undefined ? {} : { env: extra.env }),
    ...(extra.stdin === undefined ? {} : { stdin: extra.stdin }),
    ...(extra.label === undefined ? {} : { label: extra.label }),
  });
}

function stdoutOf(result: ToolOutput): string {
  if (!result.ok) throw new Error(`the run failed: ${result.error.code}: ${result.error.message}`);
  return result.stdout;
}

/** Is the process gone (no such process, or a zombie no one has reaped yet)? */
async function gone(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw err;
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The state is the field after the command's closing parenthesis.
  return stat === '' || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/** Waits, a bounded number of short turns, for `condition`. */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${what} did not happen`);
}

describe('ToolSandbox.run', () => {
  it('returns what the tool wrote to stdout, with stdin given to it, in the working directory', async () => {
    const dir = await trees.make();
    const result = await sh(sandbox(), 'pwd; cat', { stdin: 'hello', dir });
    expect(stdoutOf(result)).toBe(`${dir}\nhello`);
  });

  it('stops a run past the timeout, with the whole process group it started', async () => {
    const dir = await trees.make();
    const pidFile = path.join(dir, 'sleep.pid');
    // Long enough that sh has written the pid file on a loaded machine; the run itself would last 1000 s.
    const result = await sh(sandbox({ timeoutMs: 5000 }), 'sleep 1000 & echo $! > "$PID_FILE"; wait', { env: { PID_FILE: pidFile }, label: 'slow tool', dir });
    expect(result).toEqual({ ok: false, error: { code: 'TimedOut', file: 'app/source', message: 'slow tool took longer than 5s and was stopped' } });
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    expect(pid).toBeGreaterThan(1);
    await eventually(() => gone(pid), `the end of the background sleep (pid ${pid})`);
  }, 30_000);

  it('stops a run that writes more than maxOutputBytes', async () => {
    const result = await sh(sandbox({ maxOutputBytes: 10_000 }), 'while :; do echo 0123456789abcdef; done');
    expect(result).toEqual({ ok: false, error: { code: 'TooLarge', file: 'app/source', message: 'plugin wrote more than the limit of 10000 bytes and was stopped' } });
  });

  it('takes output of exactly maxOutputBytes', async () => {
    expect(stdoutOf(await sh(sandbox({ maxOutputBytes: 4 }), 'printf abcd'))).toBe('abcd');
  });

  it('says which tool failed, its exit code and the first lines it wrote to stderr', async () => {
    const result = await sh(sandbox(), 'echo "first problem" >&2; echo >&2; echo "  second  " >&2; echo out; exit 3', { label: 'helm template' });
    expect(result).toEqual({ ok: false, error: { code: 'ToolFailed', file: 'app/source', message: 'helm template exited with code 3: first problem | second' } });
  });

  it('shows at most five lines of stderr', async () => {
    const result = await sh(sandbox(), 'for i in 1 2 3 4 5 6 7; do echo "line $i" >&2; done; exit 1');
    expect(result.ok ? '' : result.error.message).toBe('plugin exited with code 1: line 1 | line 2 | line 3 | line 4 | line 5 | …');
  });

  it('says a tool was stopped by a signal', async () => {
    const result = await sh(sandbox(), 'kill -TERM $$');
    expect(result.ok ? '' : result.error.message).toBe('plugin was stopped by SIGTERM');
  });

  it('gives the tool none of the controller\'s variables, a home of its own and a kubeconfig that is not there', async () => {
    process.env.CAPSTAN_TEST_SECRET = 'do-not-pass-on';
    try {
      const dir = await trees.make();
      const home = path.join(dir, 'home');
      await mkdir(home);
      const result = await sandbox().run({ tool: 'plugin', args: ['-c', 'env'], cwd: dir, home, file: 'x', env: { ARGOCD_APP_NAME: 'web' } });
      const env = new Map(stdoutOf(result).trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
      expect(env.has('CAPSTAN_TEST_SECRET')).toBe(false);
      expect(stdoutOf(result)).not.toContain('do-not-pass-on');
      for (const name of ['KUBERNETES_SERVICE_HOST', 'CAPSTAN_TOOLS_DIR', 'HTTPS_PROXY', 'AWS_ACCESS_KEY_ID', 'NODE_OPTIONS']) expect(env.has(name)).toBe(false);
      expect(env.get('HOME')).toBe(home);
      expect(env.get('ARGOCD_APP_NAME')).toBe('web');
      const kubeconfig = env.get('KUBECONFIG') ?? '';
      expect(kubeconfig.startsWith(`${home}/`)).toBe(true);
      expect(existsSync(kubeconfig)).toBe(false);
      // Only what toolEnvironment sets, the shell's own variables, and the run's extra ones.
      const own = new Set(['PWD', 'SHLVL', '_', 'OLDPWD']);
      const expected = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'KUBECONFIG', 'HELM_CACHE_HOME', 'HELM_CONFIG_HOME', 'HELM_DATA_HOME', 'HELM_PLUGINS', 'GIT_TERMINAL_PROMPT', 'GIT_CONFIG_NOSYSTEM', 'ARGOCD_APP_NAME'];
      expect([...env.keys()].filter((k) => !own.has(k)).sort()).toEqual(expected.sort());
    } finally {
      delete process.env.CAPSTAN_TEST_SECRET;
    }
  });

  it('fails with ToolMissing for a tool that was not found', async () => {
    const result = await new ToolSandbox({ tools: {} }).run({ tool: 'helm', args: [], cwd: '/', home: '/', file: 'chart', label: 'helm template' });
    expect(result).toEqual({ ok: false, error: { code: 'ToolMissing', file: 'chart', message: 'helm template: the helm binary was not found (set CAPSTAN_TOOLS_DIR, or put it on PATH)' } });
  });

  it('fails with ToolFailed for a tool that cannot be started', async () => {
    const dir = await trees.make();
    const result = await new ToolSandbox({ tools: { plugin: path.join(dir, 'no-such-binary') } }).run({ tool: 'plugin', args: [], cwd: dir, home: dir, file: 'x' });
    expect(result.ok ? '' : `${result.error.code}: ${result.error.message}`).toMatch(/^ToolFailed: plugin could not be started: .*ENOENT/);
  });
});

describe('ToolSandbox concurrency', () => {
  const script = 'echo "start $ID" >> "$LOG"; [ "$ID" = a ] && sleep 0.2; echo "end $ID" >> "$LOG"';

  it('runs one at a time with concurrency 1, the others waiting their turn', async () => {
    const dir = await trees.make();
    const log = path.join(dir, 'log');
    const box = sandbox({ concurrency: 1 });
    const a = sh(box, script, { env: { ID: 'a', LOG: log }, dir });
    const b = sh(box, script, { env: { ID: 'b', LOG: log }, dir });
    expect(box.pending).toBe(2);
    await Promise.all([a, b]);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(box.pending).toBe(0);
  });

  it('runs two at once with concurrency 2 (each waits to see the other start)', async () => {
    const dir = await trees.make();
    const log = path.join(dir, 'log');
    const handshake = 'echo "start $ID" >> "$LOG"; i=0; until grep -q "start $OTHER" "$LOG" || [ $i -ge 3000 ]; do sleep 0.01; i=$((i+1)); done; echo "end $ID" >> "$LOG"';
    const box = sandbox({ concurrency: 2 });
    await Promise.all([sh(box, handshake, { env: { ID: 'a', OTHER: 'b', LOG: log } }), sh(box, handshake, { env: { ID: 'b', OTHER: 'a', LOG: log } })]);
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    expect(lines.slice(0, 2).sort()).toEqual(['start a', 'start b']);
  });
});

describe('ToolSandbox.withScratch', () => {
  it('gives a private directory with a home inside it, and removes it afterwards', async () => {
    const workDir = path.join(await trees.make(), 'work');
    let seen = '';
    const value = await sandbox({ workDir }).withScratch(async ({ dir, home }) => {
      seen = dir;
      expect(path.dirname(dir)).toBe(workDir);
      expect(home).toBe(path.join(dir, 'home'));
      expect((await stat(home)).mode & 0o777).toBe(0o700);
      return 42;
    });
    expect(value).toBe(42);
    expect(existsSync(seen)).toBe(false);
  });

  it('removes the directory when `use` throws, and passes the error on', async () => {
    const workDir = await trees.make();
    let seen = '';
    await expect(sandbox({ workDir }).withScratch(async ({ dir }) => {
      seen = dir;
      await mkdir(path.join(dir, 'deep', 'er'), { recursive: true });
      throw new Error('render broke');
    })).rejects.toThrow('render broke');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });
});

describe('firstLines', () => {
  it('joins the non-blank lines, trimmed', () => {
    expect(firstLines('\n  a  \n\nb\n')).toBe('a | b');
    expect(firstLines('')).toBe('');
  });

  it('stops a tool that takes more memory than maxMemoryBytes: TooLarge, not a crash of the controller', async () => {
    const jsonnet = locateTools({ toolsDir: toolsDir(), searchPath: '' }).jsonnet;
    if (jsonnet === undefined) throw new Error('jsonnet is missing: build the render tools with tools/build.sh');
    const box = new ToolSandbox({ tools: { jsonnet }, maxMemoryBytes: 1024 * 1024 * 1024 });
    expect(box.maxMemoryBytes).toBe(1024 * 1024 * 1024);
    const dir = await trees.make();
    const fine = await box.run({ tool: 'jsonnet', args: ['-e', '{ a: 1 }'], cwd: dir, home: dir, file: 'small.jsonnet' });
    expect(fine.ok).toBe(true);
    const greedy = await box.run({ tool: 'jsonnet', args: ['-e', 'std.length(std.makeArray(100000000, function(i) { a: i }))'], cwd: dir, home: dir, file: 'greedy.jsonnet', label: 'jsonnet greedy.jsonnet' });
    expect(greedy).toEqual({ ok: false, error: { code: 'TooLarge', file: 'greedy.jsonnet', message: 'jsonnet greedy.jsonnet needed more than the 1024 MiB of memory a render tool may use, and was stopped' } });
  }, 60_000);

  it("keeps the sandbox's own PATH, HOME and KUBECONFIG whatever a run's variables say", async () => {
    const dir = await trees.make();
    const result = await sh(sandbox(), 'echo "$PATH|$HOME|$KUBECONFIG|$EXTRA"', { env: { PATH: '/evil', HOME: '/root', KUBECONFIG: '/root/.kube/config', EXTRA: 'kept' }, dir });
    expect(stdoutOf(result)).toBe(`/bin:/usr/local/bin:/usr/bin:/bin|${dir}|${path.join(dir, 'no-kubeconfig')}|kept\n`);
  });
});
