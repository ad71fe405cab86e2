import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitEnvironment, runGit } from './run-git.js';

describe('gitEnvironment', () => {
  it('never lets git prompt, and keeps a caller-supplied ssh command', () => {
    const env = gitEnvironment({ PATH: '/usr/bin', GIT_SSH_COMMAND: 'ssh -i /keys/deploy', GIT_ASKPASS: '/usr/bin/ksshaskpass' });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      LC_ALL: 'C',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      GCM_INTERACTIVE: 'never',
      GIT_SSH_COMMAND: 'ssh -i /keys/deploy -o BatchMode=yes',
    });
    expect(gitEnvironment({}).GIT_SSH_COMMAND).toBe('ssh -o BatchMode=yes');
  });

  it('ignores system and user configuration and allows only https, ssh, http and git (file only for local repos)', () => {
    const env = gitEnvironment({ GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'url.file:///.insteadOf', GIT_CONFIG_VALUE_0: 'https://', GIT_CONFIG_PARAMETERS: "'core.hookspath'='/tmp'", GIT_TRACE_CURL: '1', GIT_ALLOW_PROTOCOL: 'ext:fd:file' });
    expect(env).toMatchObject({ GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_ALLOW_PROTOCOL: 'https:ssh:http:git' });
    for (const name of ['GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_PARAMETERS', 'GIT_TRACE_CURL']) expect(env[name]).toBeUndefined();
    expect(gitEnvironment({}, { allowLocal: true }).GIT_ALLOW_PROTOCOL).toBe('https:ssh:http:git:file');
  });

  it('drops variables that would point git at another repository', () => {
    const env = gitEnvironment({ GIT_DIR: '/elsewhere/.git', GIT_WORK_TREE: '/elsewhere', GIT_INDEX_FILE: '/elsewhere/index', HOME: '/home/capstan' });
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_WORK_TREE).toBeUndefined();
    expect(env.GIT_INDEX_FILE).toBeUndefined();
    expect(env.HOME).toBe('/home/capstan');
  });
});

describe('runGit', () => {
  it('returns stdout on success and exit code with stderr on failure', async () => {
    const version = await runGit(['--version'], { cwd: tmpdir(), timeoutMs: 10_000 });
    expect(version.ok && version.stdout).toMatch(/^git version \d+\.\d+/);
    const failed = await runGit(['rev-parse', '--git-dir'], { cwd: '/', timeoutMs: 10_000 });
    expect(failed).toMatchObject({ ok: false, reason: 'exit', exitCode: 128 });
    expect(failed.ok ? '' : failed.stderr).toMatch(/not a git repository/);
  });

  it('refuses fd::, ext:: and local repositories (unless allowed) inside git itself', async () => {
    for (const url of ['fd::17', 'ext::sh -c id', tmpdir(), `file://${tmpdir()}`]) {
      const run = await runGit(['ls-remote', '--', url], { cwd: tmpdir(), timeoutMs: 10_000 });
      expect(run.ok ? '' : run.stderr).toMatch(/transport '(fd|ext|file)' not allowed/);
    }
    const local = await runGit(['ls-remote', '--', tmpdir()], { cwd: tmpdir(), timeoutMs: 10_000, allowLocal: true });
    expect(local.ok ? '' : local.stderr).not.toMatch(/not allowed/);
  });

  it('reads no user configuration: an insteadOf in $HOME/.gitconfig is not followed', async () => {
    const home = mkdtempSync(join(tmpdir(), 'capstan-home-'));
    writeFileSync(join(home, '.gitconfig'), '[url "fd::17/"]\n\tinsteadOf = https://rewritten.invalid/\n[capstan]\n\tprobe = seen\n');
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      const probe = await runGit(['config', '--get', 'capstan.probe'], { cwd: tmpdir(), timeoutMs: 10_000 });
      expect(probe).toMatchObject({ ok: false, reason: 'exit', exitCode: 1 });
    } finally {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('kills git when it prints more than the stdout bound, and says so', async () => {
    const run = await runGit(['-c', 'core.pager=cat', 'help', '-a'], { cwd: tmpdir(), timeoutMs: 10_000, maxStdoutBytes: 100 });
    expect(run).toMatchObject({ ok: false, reason: 'overflow', limitBytes: 100 });
    const whole = await runGit(['help', '-a'], { cwd: tmpdir(), timeoutMs: 10_000 });
    expect(whole.ok && whole.stdout.length).toBeGreaterThan(100);
  });

  it('passes extra environment to git', async () => {
    const run = await runGit(['var', 'GIT_COMMITTER_IDENT'], { cwd: tmpdir(), timeoutMs: 10_000, env: { GIT_COMMITTER_NAME: 'Capstan Probe', GIT_COMMITTER_EMAIL: 'p@capstan.dev' } });
    expect(run.ok && run.stdout).toMatch(/^Capstan Probe <p@capstan\.dev>/);
  });
});
