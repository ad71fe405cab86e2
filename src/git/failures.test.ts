import { describe, expect, it } from '@jest/globals';
import { failureReason, remoteFailure } from './failures.js';

const context = { operation: 'ls-remote', repoURL: 'https://bob:hunter2@git.example.com/org/apps.git', timeoutMs: 1000 };
const exit = (stderr: string) => ({ ok: false as const, reason: 'exit' as const, exitCode: 128, stderr });

describe('remoteFailure', () => {
  it('recognises authentication failures of https and ssh', () => {
    for (const stderr of [
      "fatal: could not read Username for 'https://git.example.com': terminal prompts disabled",
      "remote: Invalid username or password.\nfatal: Authentication failed for 'https://bob:hunter2@git.example.com/org/apps.git/'",
      'git@git.example.com: Permission denied (publickey).\nfatal: Could not read from remote repository.',
      "fatal: unable to access 'https://git.example.com/org/apps.git/': The requested URL returned error: 403",
    ]) {
      expect(remoteFailure(exit(stderr), context).code).toBe('AuthenticationFailed');
    }
  });

  it('says which host key is unknown or changed, as an authentication failure', () => {
    const ssh = { ...context, repoURL: 'ssh://git@127.0.0.1:2222/apps.git' };
    const unknown = remoteFailure(exit('No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\nfatal: Could not read from remote repository.'), ssh);
    expect(unknown).toEqual({ code: 'AuthenticationFailed', message: 'ssh to repository ssh://git@127.0.0.1:2222/apps.git refused: the host key of 127.0.0.1:2222 is not in the ConfigMap capstan-known-hosts' });
    const changed = remoteFailure(exit('@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key for git.example.com has changed and you have requested strict checking.\nHost key verification failed.'), ssh);
    expect(changed.message).toContain('the host key of git.example.com does not match the one in the ConfigMap capstan-known-hosts');
  });

  it('recognises missing and unreachable repositories', () => {
    for (const stderr of [
      "fatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.",
      "remote: Repository not found.\nfatal: repository 'https://git.example.com/org/apps.git/' not found",
      'fatal: remote error: access denied or repository not exported: /x',
      "fatal: unable to access 'https://nope.example/': Could not resolve host: nope.example",
      'ssh: connect to host git.example.com port 22: Connection refused',
    ]) {
      expect(remoteFailure(exit(stderr), context).code).toBe('RepoNotFound');
    }
  });

  it('writes one line naming the repository without credentials', () => {
    const failure = remoteFailure(exit("fatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure"), context);
    expect(failure.message).toBe("repository https://git.example.com/org/apps.git not found or not reachable: '/x' does not appear to be a git repository");
    const auth = remoteFailure(exit("fatal: Authentication failed for 'https://bob:hunter2@git.example.com/org/apps.git/'"), context);
    expect(auth.message).not.toContain('hunter2');
    expect(auth.message).not.toContain('bob');
    expect(auth.message).not.toContain('\n');
  });

  it('reports timeouts, and anything else as GitError with git\'s reason', () => {
    expect(remoteFailure({ ok: false, reason: 'timeout', stderr: '' }, context)).toEqual({
      code: 'Timeout',
      message: 'git ls-remote of https://git.example.com/org/apps.git timed out after 1000 ms',
    });
    const other = remoteFailure(exit('hint: something\nerror: object file is empty\nfatal: bad object'), context);
    expect(other).toEqual({ code: 'GitError', message: 'git ls-remote of https://git.example.com/org/apps.git failed: object file is empty' });
  });
});

describe('failureReason', () => {
  it('falls back to the exit code when git said nothing', () => {
    expect(failureReason({ ok: false, reason: 'exit', exitCode: 3, stderr: '\n' })).toBe('git exited with code 3');
  });
});
