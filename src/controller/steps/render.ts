import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import { fail, ok } from '../../api/result.js';
import { normalizeRepoUrl } from '../../git/url.js';
import { renderCacheKey } from '../../render/cache.js';
import { parseRenderedObjects } from '../../render/serialized.js';
import type { RenderError } from '../../render/types.js';
import { required, type Step } from '../context.js';
import type { ReconcileDeps } from '../deps.js';
import { gitReason } from './resolve.js';

const shownErrors = 5;

function describe(errors: readonly RenderError[]): string {
  const lines = errors.slice(0, shownErrors).map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
  if (errors.length > shownErrors) lines.push(`… and ${errors.length - shownErrors} more`);
  return lines.join('; ');
}

function cacheKey(app: Application, sha: string): string {
  const { source } = app.spec;
  return renderCacheKey({ repository: normalizeRepoUrl(source.repoURL), commit: sha, path: source.path ?? '.', directory: source.directory ?? {} });
}

/**
 * Renders the source at the resolved commit. The render cache (by repository, commit, path and
 * options) is asked first; the commit is checked out and rendered (in a worker thread) only
 * when the render is not cached. Each reconcile gets objects of its own.
 */
export const render: Step = {
  name: 'render',
  run: async (ctx) => {
    const { app, deps } = ctx;
    const sha = required(ctx.sha, 'the commit');
    const key = cacheKey(app, sha);
    let result = deps.renderCache.get(key);
    if (result === undefined) {
      const tree = await deps.repos.checkout(app.spec.source.repoURL, sha);
      if (!tree.ok) return fail(gitReason(tree.error), tree.error.message);
      result = await deps.renderer.render({ repoRoot: tree.dir, sourcePath: app.spec.source.path ?? '.', directory: app.spec.source.directory ?? {} });
      deps.renderCache.set(key, result);
    }
    if (!result.ok) {
      const reason = result.errors.every((e) => e.code === 'PathNotFound' || e.code === 'PathEscapesRepository') ? reasons.pathNotFound : reasons.renderError;
      return fail(reason, describe(result.errors));
    }
    ctx.rendered = await parseRenderedObjects(result.objects);
    return ok(undefined);
  },
};

/** Forgets the cached render of an app's current source (a hard refresh). */
export function forgetRender(deps: ReconcileDeps, app: Application, sha: string | undefined): void {
  if (sha !== undefined) deps.renderCache.delete(cacheKey(app, sha));
}
