/** Runs git commands for the cache with one deadline, the transport policy, debug logging and request reporting. */
import { gitCommandSetup, type RepoTrust } from '../credentials/git-setup.js';
import { withPrivateFiles } from '../credentials/private-files.js';
import { remoteHost, type RepoAccess } from './access.js';
import { runGit, type GitRunResult } from './run-git.js';
import type { GitLogger, GitRequestKind, RepoCacheOptions } from './types.js';
import { redactText, redactUrl } from './url.js';

export interface GitClientOptions {
  /** Where commands run; never inside a repository, so no repository is picked up by accident. */
  readonly cwd: string;
  readonly timeoutMs: number;
  /** The `file` transport is allowed (local repositories). */
  readonly allowLocal: boolean;
  readonly logger?: GitLogger;
  readonly onRequest?: RepoCacheOptions['onRequest'];
  /** Where each remote command's private credential files live (a directory of their own, removed after). */
  readonly privateDir?: string;
  /** Host keys and CA bundles (capstan-known-hosts, capstan-tls-certs); absent: ssh and TLS as the machine has them. */
  readonly trust?: () => RepoTrust | undefined;
}

export interface RunExtras {
  /** Added to git's environment (credentials, a private index file). Never logged. */
  readonly env?: Readonly<Record<string, string>>;
  readonly maxStdoutBytes?: number;
}

export class GitClient {
  constructor(private readonly options: GitClientOptions) {}

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  async run(args: readonly string[], extras: RunExtras = {}): Promise<GitRunResult> {
    const started = performance.now();
    const result = await runGit(args, {
      cwd: this.options.cwd, timeoutMs: this.options.timeoutMs, allowLocal: this.options.allowLocal,
      ...(extras.env === undefined ? {} : { env: extras.env }),
      ...(extras.maxStdoutBytes === undefined ? {} : { maxStdoutBytes: extras.maxStdoutBytes }),
    });
    this.options.logger?.debug(
      { args: args.map(redactText), durationMs: Math.round(performance.now() - started), ok: result.ok },
      'git command',
    );
    return result;
  }

  /**
   * Runs a command that talks to the remote of `access`, with its credentials and trust
   * settings in git's environment and in files private to this command, removed after it.
   */
  async runRemote(args: readonly string[], access: RepoAccess, extras: RunExtras = {}): Promise<GitRunResult> {
    const trust = this.options.trust?.();
    const host = remoteHost(access.repo);
    const plain = gitCommandSetup(access.repo.transport, host, access.credential, trust, '');
    const env = (setupEnv: Readonly<Record<string, string>>): RunExtras => ({ ...extras, env: { ...access.env, ...extras.env, ...setupEnv } });
    if (plain.files.size === 0 || this.options.privateDir === undefined) return this.run(args, env(plain.env));
    let setup = plain;
    return withPrivateFiles(this.options.privateDir, (dir) => {
      setup = gitCommandSetup(access.repo.transport, host, access.credential, trust, dir);
      return setup.files;
    }, () => this.run(args, env(setup.env)));
  }

  /** Times `work` (one remote request or one checkout) and reports it through onRequest. */
  async request<T extends { ok: boolean }>(kind: GitRequestKind, repoURL: string, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await work();
    const durationMs = performance.now() - started;
    try {
      this.options.onRequest?.(kind, redactUrl(repoURL), durationMs, result.ok);
    } catch (err) {
      // A metrics callback must not break a reconcile.
      this.options.logger?.warn({ err, kind }, 'git onRequest callback failed');
    }
    return result;
  }
}
