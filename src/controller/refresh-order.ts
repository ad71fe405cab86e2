import { isMultiSource, primarySource, type Application } from '../api/application.js';
import type { RepoCachePort } from '../git/types.js';

export interface RefreshOrder {
  /** Apps whose source path the push changed (or that cannot be told): reconcile these first. */
  readonly first: string[];
  /** Apps the push did not touch: they only move to the new revision. */
  readonly rest: string[];
}

/** True when one of the repo-relative `files` lies under the app's source path. */
export function touchesPath(files: readonly string[], sourcePath: string | undefined): boolean {
  const path = (sourcePath ?? '.').replace(/^\.\/?/, '').replace(/\/+$/, '');
  if (path === '') return files.length > 0;
  return files.some((f) => f === path || f.startsWith(`${path}/`));
}

/**
 * Orders the apps a push refreshes so that those whose files changed are reconciled before
 * the many a monorepo push does not touch. One `git diff` per distinct (old, new) revision pair.
 */
export async function orderForRefresh(repos: RepoCachePort, apps: readonly { key: string; app: Application }[]): Promise<RefreshOrder> {
  const first: string[] = [];
  const rest: string[] = [];
  const diffs = new Map<string, Promise<string[] | undefined>>();
  for (const { key, app } of apps) {
    const { repoURL, targetRevision, path } = primarySource(app.spec);
    const previous = app.status?.sync?.revision;
    if (isMultiSource(app.spec)) {
      first.push(key);
      continue;
    }
    const resolved = await repos.resolve(repoURL, targetRevision, { maxAgeMs: Infinity });
    if (!resolved.ok || previous === undefined) {
      first.push(key);
      continue;
    }
    if (resolved.sha === previous) {
      rest.push(key);
      continue;
    }
    const pair = `${repoURL}\n${previous}\n${resolved.sha}`;
    let changed = diffs.get(pair);
    if (changed === undefined) {
      changed = repos.changedFiles(repoURL, previous, resolved.sha);
      diffs.set(pair, changed);
    }
    const files = await changed;
    (files === undefined || touchesPath(files, path) ? first : rest).push(key);
  }
  return { first, rest };
}
