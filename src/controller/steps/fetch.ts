import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import type { GitFailure } from '../../git/types.js';
import { fail, type ReconcileDeps, type StepResult } from '../deps.js';

export interface FetchedSource {
  readonly sha: string;
  readonly dir: string;
}

function gitReason(error: GitFailure): string {
  return error.code === 'RevisionNotFound' ? reasons.revisionNotFound : reasons.gitError;
}

/** Resolves the revision to a commit and checks that commit out (both cached per repository). */
export async function fetchSource(
  deps: ReconcileDeps, app: Application, revision: string | undefined, options: { force: boolean; maxAgeMs: number },
): Promise<StepResult<FetchedSource>> {
  const { repoURL } = app.spec.source;
  const resolved = await deps.repos.resolve(repoURL, revision, options);
  if (!resolved.ok) return fail(gitReason(resolved.error), resolved.error.message);
  const tree = await deps.repos.checkout(repoURL, resolved.sha);
  if (!tree.ok) return fail(gitReason(tree.error), tree.error.message);
  return { ok: true, value: { sha: resolved.sha, dir: tree.dir } };
}
