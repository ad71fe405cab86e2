import { describe, expect, it } from '@jest/globals';
import { tmpdir } from 'node:os';
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

  it('passes extra environment to git', async () => {
    const run = await runGit(['var', 'GIT_COMMITTER_IDENT'], { cwd: tmpdir(), timeoutMs: 10_000, env: { GIT_COMMITTER_NAME: 'Capstan Probe', GIT_COMMITTER_EMAIL: 'p@capstan.dev' } });
    expect(run.ok && run.stdout).toMatch(/^Capstan Probe <p@capstan\.dev>/);
  });
});
