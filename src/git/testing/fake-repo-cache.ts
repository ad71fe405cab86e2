/**
 * An in-memory RepoCachePort for unit tests of the parts above git/ (DESIGN.md §6.3).
 * Tests declare which revision resolves to which SHA and which directory holds each SHA's tree.
 */
import type { CheckedOut, GitFailure, RepoCachePort, Resolved, ResolveOptions } from '../types.js';
import { isFullSha } from '../types.js';
import { normalizeRepoUrl, redactUrl } from '../url.js';

export interface FakeRepoCacheCall {
  readonly method: 'resolve' | 'checkout' | 'invalidate';
  readonly repoURL: string;
  /** The revision (resolve) or SHA (checkout). */
  readonly argument?: string;
  readonly force?: boolean;
}

export class FakeRepoCache implements RepoCachePort {
  /** Every call, in order, so tests can assert what was asked. */
  readonly calls: FakeRepoCacheCall[] = [];
  private readonly refs = new Map<string, Map<string, string>>();
  private readonly trees = new Map<string, string>();
  private readonly failures = new Map<string, GitFailure>();

  /** `revision` ('main', 'v1', 'HEAD') of `repoURL` resolves to `sha`; '' and 'HEAD' are the same. */
  setRevision(repoURL: string, revision: string, sha: string): this {
    const key = normalizeRepoUrl(repoURL);
    const table = this.refs.get(key) ?? new Map<string, string>();
    table.set(revision === '' ? 'HEAD' : revision, sha);
    this.refs.set(key, table);
    return this;
  }

  /** checkout of `sha` returns `dir`. */
  setTree(sha: string, dir: string): this {
    this.trees.set(sha.toLowerCase(), dir);
    return this;
  }

  /** Every resolve and checkout of `repoURL` fails with `error`, until cleared with undefined. */
  setFailure(repoURL: string, error: GitFailure | undefined): this {
    const key = normalizeRepoUrl(repoURL);
    if (error === undefined) this.failures.delete(key);
    else this.failures.set(key, error);
    return this;
  }

  resolve(repoURL: string, targetRevision: string | undefined, options: ResolveOptions = {}): Promise<Resolved> {
    const revision = (targetRevision ?? '').trim() || 'HEAD';
    this.calls.push({ method: 'resolve', repoURL, argument: revision, force: options.force === true });
    const key = normalizeRepoUrl(repoURL);
    const failure = this.failures.get(key);
    if (failure !== undefined) return Promise.resolve({ ok: false, error: failure });
    const sha = this.refs.get(key)?.get(revision);
    if (sha !== undefined) return Promise.resolve({ ok: true, sha, ref: revision });
    if (isFullSha(revision)) return Promise.resolve({ ok: true, sha: revision.toLowerCase(), ref: revision });
    return Promise.resolve({ ok: false, error: notFound(revision, repoURL) });
  }

  checkout(repoURL: string, sha: string): Promise<CheckedOut> {
    this.calls.push({ method: 'checkout', repoURL, argument: sha });
    const failure = this.failures.get(normalizeRepoUrl(repoURL));
    if (failure !== undefined) return Promise.resolve({ ok: false, error: failure });
    const dir = this.trees.get(sha.toLowerCase());
    if (dir !== undefined) return Promise.resolve({ ok: true, dir, sha: sha.toLowerCase() });
    return Promise.resolve({ ok: false, error: notFound(sha, repoURL) });
  }

  invalidate(repoURL: string): void {
    this.calls.push({ method: 'invalidate', repoURL });
  }

  /** The URLs of the latest retain(). */
  retained: string[] | undefined;

  retain(repoURLs: Iterable<string>): Promise<void> {
    this.retained = [...repoURLs];
    return Promise.resolve();
  }

  /** The fake keeps no file history: it cannot tell what changed. */
  changedFiles(): Promise<string[] | undefined> {
    return Promise.resolve(undefined);
  }
}

function notFound(revision: string, repoURL: string): GitFailure {
  return { code: 'RevisionNotFound', message: `revision "${revision}" not found in repository ${redactUrl(repoURL)}` };
}
