import { reasons } from '../../api/conditions.js';
import { fail, ok } from '../../api/result.js';
import type { GitFailure } from '../../git/types.js';
import type { Step } from '../context.js';

export function gitReason(error: GitFailure): typeof reasons.revisionNotFound | typeof reasons.gitError {
  return error.code === 'RevisionNotFound' ? reasons.revisionNotFound : reasons.gitError;
}

/**
 * Resolves the app's revision (or the pinned sync-revision) to a commit. A new or changed spec,
 * a refresh or a requested sync asks the remote now; otherwise the ref table the repository
 * poller (or a webhook) brought back is used.
 */
export const resolveRevision: Step = {
  name: 'resolve',
  run: async (ctx) => {
    const revision = ctx.requests.syncRevision ?? ctx.app.spec.source.targetRevision;
    const resolved = await ctx.deps.repos.resolve(ctx.app.spec.source.repoURL, revision, { force: ctx.force, maxAgeMs: ctx.force ? 0 : Infinity });
    if (!resolved.ok) return fail(gitReason(resolved.error), resolved.error.message);
    ctx.sha = resolved.sha;
    return ok(undefined);
  },
};
