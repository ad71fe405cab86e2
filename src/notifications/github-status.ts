/** What a GitHub-compatible commit status says about an app: the repository, the commit and the state. */

import type { Application } from '../api/application.js';
import { primarySource } from '../api/application.js';
import { characters } from './fields.js';

export type CommitState = 'success' | 'failure' | 'pending' | 'error';

export const maxDescriptionLength = 140;

/** owner and repo of an https, ssh:// or scp-like (git@host:owner/repo) repository URL; undefined for any other. */
export function ownerAndRepo(repoURL: string): { owner: string; repo: string } | undefined {
  let path: string | undefined;
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/)(.+)$/.exec(repoURL);
  if (scp !== null) path = scp[1];
  else {
    try {
      const url = new URL(repoURL);
      if (['https:', 'http:', 'ssh:'].includes(url.protocol)) path = url.pathname;
    } catch {
      return undefined;
    }
  }
  const parts = (path ?? '').replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  const [owner, repo] = parts;
  if (parts.length !== 2 || owner === undefined || repo === undefined || owner === '' || repo === '') return undefined;
  return { owner, repo };
}

/** The commit the status is about: the operation's revision, else the synced one (the first source's). */
export function commitOf(app: Application): string | undefined {
  const revision = app.status?.operationState?.revision ?? app.status?.sync?.revisions?.[0] ?? app.status?.sync?.revision;
  const first = revision?.split(',')[0];
  return first !== undefined && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(first) ? first : undefined;
}

/** The state for the app's last operation: a Succeeded sync whose app is Degraded is a failure. */
export function commitState(app: Application): CommitState | undefined {
  const phase = app.status?.operationState?.phase;
  switch (phase) {
    case 'Succeeded': return app.status?.health?.status === 'Degraded' ? 'failure' : 'success';
    case 'Failed': return 'failure';
    case 'Error':
    case 'Interrupted': return 'error';
    case 'Running':
    case 'Terminating': return 'pending';
    case undefined: return app.status?.health?.status === 'Degraded' ? 'failure' : undefined;
  }
}

/** The repository of the app's (first) source. */
export function appRepository(app: Application): { owner: string; repo: string } | undefined {
  return ownerAndRepo(primarySource(app.spec).repoURL);
}

/** The description GitHub accepts: at most 140 characters, cut with an ellipsis. */
export function statusDescription(message: string): string {
  const chars = characters(message.replace(/\s+/g, ' ').trim());
  return chars.length <= maxDescriptionLength ? chars.join('') : `${chars.slice(0, maxDescriptionLength - 1).join('')}…`;
}
