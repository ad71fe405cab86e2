import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepoCache } from './repo-cache.js';
import { freeLoopbackPort, startGitDaemon, type GitDaemon } from './testing/git-daemon.js';
import { RequestRecorder } from './testing/request-recorder.js';
import { startHttpStatusServer, startSilentServer, type StubServer } from './testing/stub-servers.js';
import { makeTempDir, removeTempDir } from './testing/temp-dir.js';
import { TestRepo } from './testing/test-repo.js';
import type { RepoCacheOptions, Resolved } from './types.js';

let root: string;
let daemon: GitDaemon;
let origin: TestRepo;
const stubs: StubServer[] = [];
let cacheCount = 0;

function newCache(options: Partial<RepoCacheOptions> = {}): { cache: RepoCache; recorder: RequestRecorder } {
  const recorder = new RequestRecorder();
  cacheCount += 1;
  const cache = new RepoCache({ cacheDir: join(root, `cache-${cacheCount}`), onRequest: recorder.onRequest, logger: recorder.logger, allowLocalRepos: true, minRemoteIntervalMs: 0, ...options });
  return { cache, recorder };
}

function codeOf(result: Resolved): string {
  return result.ok ? 'ok' : result.error.code;
}

/** Command lines of live processes that mention `needle` (zombies excluded). */
function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'))) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle)) found.push(`${pid}: ${cmd}`);
    } catch {
      /* exited meanwhile */
    }
  }
  return found;
}

beforeAll(async () => {
  root = makeTempDir('git-network');
  origin = TestRepo.create(join(root, 'served'), 'apps');
  origin.commit({ 'guestbook/cm.yaml': 'color: blue\n' }, 'blue');
  origin.tag('v1', { annotated: true });
  daemon = await startGitDaemon(join(root, 'served'));
});

afterAll(async () => {
  await daemon.stop();
  await Promise.all(stubs.map((s) => s.close()));
  removeTempDir(root);
  // The daemon and everything it forked are gone.
  expect(processesMentioning(`--port=${daemon.port}`)).toEqual([]);
});

describe('RepoCache over git://', () => {
  it('resolves and checks out from a git daemon, fetching once for a new commit', async () => {
    const { cache, recorder } = newCache();
    const url = daemon.url('apps');
    const tag = await cache.resolve(url, 'v1');
    expect(tag).toEqual({ ok: true, sha: origin.git('rev-parse', 'v1^{commit}'), ref: 'refs/tags/v1' });
    const blue = await cache.checkout(url, tag.ok ? tag.sha : '');
    expect(blue.ok && readFileSync(join(blue.dir, 'guestbook/cm.yaml'), 'utf8')).toBe('color: blue\n');

    const green = origin.commit({ 'guestbook/cm.yaml': 'color: green\n' }, 'green');
    expect(await cache.resolve(url, 'main')).toEqual({ ok: true, sha: tag.ok ? tag.sha : '', ref: 'refs/heads/main' });
    cache.invalidate(url);
    expect(await cache.resolve(url, 'main')).toEqual({ ok: true, sha: green, ref: 'refs/heads/main' });
    const checkedOut = await cache.checkout(url, green);
    expect(checkedOut.ok && readFileSync(join(checkedOut.dir, 'guestbook/cm.yaml'), 'utf8')).toBe('color: green\n');
    expect(recorder.requests.map((r) => `${r.kind} ${r.ok}`)).toEqual(['ls-remote true', 'clone true', 'checkout true', 'ls-remote true', 'fetch true', 'checkout true']);
    expect(recorder.requests.every((r) => r.repoURL === url)).toBe(true);

    const short = await cache.resolve(url, green.slice(0, 8));
    expect(short).toEqual({ ok: true, sha: green, ref: green.slice(0, 8) });
  });

  it('reports a repository the daemon does not serve as RepoNotFound', async () => {
    const { cache } = newCache();
    const url = daemon.url('no-such-repo');
    const result = await cache.resolve(url, 'main');
    expect(codeOf(result)).toBe('RepoNotFound');
    expect(result.ok ? '' : result.error.message).toMatch(new RegExp(`^repository ${url} not found or not reachable: .+`));
  });

  it('reports a port nobody listens on as RepoNotFound', async () => {
    const { cache } = newCache();
    const port = await freeLoopbackPort();
    expect(codeOf(await cache.resolve(`git://127.0.0.1:${port}/apps`, 'main'))).toBe('RepoNotFound');
  });

  it('asks a remote that is down once for many apps, until the failure expires or a caller forces a new look', async () => {
    const { cache, recorder } = newCache({ failureTtlMs: 60_000 });
    const port = await freeLoopbackPort();
    const url = `git://127.0.0.1:${port}/apps`;
    for (let i = 0; i < 5; i++) expect(codeOf(await cache.resolve(url, i % 2 === 0 ? 'main' : 'HEAD', { maxAgeMs: Infinity }))).toBe('RepoNotFound');
    expect(recorder.count('ls-remote')).toBe(1);
    expect(codeOf(await cache.resolve(url, 'main', { force: true }))).toBe('RepoNotFound');
    expect(recorder.count('ls-remote')).toBe(2);
    const { cache: brief, recorder: briefRecorder } = newCache({ failureTtlMs: 1 });
    await brief.resolve(url, 'main');
    await new Promise((r) => setTimeout(r, 5));
    await brief.resolve(url, 'main');
    expect(briefRecorder.count('ls-remote')).toBe(2);
  });
});

describe('RepoCache against hosts that refuse or hang', () => {
  it('fails fast with AuthenticationFailed instead of prompting, and never shows the credentials', async () => {
    const server = await startHttpStatusServer(401);
    stubs.push(server);
    const { cache, recorder } = newCache({ commandTimeoutMs: 10_000 });
    const started = Date.now();
    const anonymous = await cache.resolve(`http://127.0.0.1:${server.port}/org/apps.git`, 'main');
    const withPassword = await cache.resolve(`http://bob:hunter2@127.0.0.1:${server.port}/org/private.git`, 'main');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(codeOf(anonymous)).toBe('AuthenticationFailed');
    expect(codeOf(withPassword)).toBe('AuthenticationFailed');
    const message = withPassword.ok ? '' : withPassword.error.message;
    expect(message).toMatch(new RegExp(`^authentication to repository http://127\\.0\\.0\\.1:${server.port}/org/private\\.git failed: `));
    const everything = [message, ...recorder.warnings, ...recorder.commands.flat(), ...recorder.requests.map((r) => r.repoURL)].join('\n');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('bob');
  });

  it('runs ssh in batch mode, so a missing key fails instead of asking for a passphrase', async () => {
    const bin = join(root, 'fake-ssh');
    mkdirSync(bin, { recursive: true });
    const argsFile = join(bin, 'args');
    // Named `ssh` so git treats it as OpenSSH; it records its arguments and refuses like a server without our key.
    writeFileSync(join(bin, 'ssh'), `#!/bin/sh\necho "$@" > '${argsFile}'\necho 'git@git.example.com: Permission denied (publickey).' >&2\nexit 255\n`, { mode: 0o755 });
    const saved = process.env.GIT_SSH_COMMAND;
    process.env.GIT_SSH_COMMAND = join(bin, 'ssh');
    try {
      const { cache } = newCache();
      const result = await cache.resolve('git@git.example.com:org/apps.git', 'main');
      expect(result).toEqual({
        ok: false,
        error: { code: 'AuthenticationFailed', message: 'authentication to repository git@git.example.com:org/apps.git failed: git@git.example.com: Permission denied (publickey).' },
      });
      expect(readFileSync(argsFile, 'utf8')).toMatch(/^-o BatchMode=yes .*git@git\.example\.com git-upload-pack 'org\/apps\.git'/);
    } finally {
      if (saved === undefined) delete process.env.GIT_SSH_COMMAND;
      else process.env.GIT_SSH_COMMAND = saved;
    }
  });

  it('reports an HTTP 404 as RepoNotFound', async () => {
    const server = await startHttpStatusServer(404);
    stubs.push(server);
    const { cache } = newCache();
    expect(codeOf(await cache.resolve(`http://127.0.0.1:${server.port}/org/apps.git`, 'main'))).toBe('RepoNotFound');
  });

  it('kills git at the deadline and reports Timeout, leaving no process behind', async () => {
    const server = await startSilentServer();
    stubs.push(server);
    const { cache, recorder } = newCache({ commandTimeoutMs: 400 });
    const url = `git://127.0.0.1:${server.port}/apps`;
    const started = Date.now();
    const result = await cache.resolve(url, 'main');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toEqual({ ok: false, error: { code: 'Timeout', message: `git ls-remote of ${url} timed out after 400 ms` } });
    expect(recorder.requests).toEqual([{ kind: 'ls-remote', repoURL: url, ok: false }]);
    expect(processesMentioning(url)).toEqual([]);

    const checkout = await cache.checkout(url, 'a'.repeat(40));
    expect(checkout.ok ? 'ok' : checkout.error.code).toBe('Timeout');
    expect(processesMentioning(url)).toEqual([]);
  });
});
