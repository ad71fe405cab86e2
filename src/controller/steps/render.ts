import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import type { KubeObject } from '../../api/object.js';
import { renderCacheKey } from '../../render/cache.js';
import { renderDirectory } from '../../render/directory.js';
import type { RenderError } from '../../render/types.js';
import { fail, type ReconcileDeps, type StepResult } from '../deps.js';
import type { FetchedSource } from './fetch.js';

const shownErrors = 5;

function describe(errors: readonly RenderError[]): string {
  const lines = errors.slice(0, shownErrors).map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
  if (errors.length > shownErrors) lines.push(`… and ${errors.length - shownErrors} more`);
  return lines.join('; ');
}

/** Renders the source directory at the fetched commit (cached by commit, path and options). */
export async function renderSource(deps: ReconcileDeps, app: Application, source: FetchedSource): Promise<StepResult<readonly KubeObject[]>> {
  const path = app.spec.source.path ?? '.';
  const options = app.spec.source.directory ?? {};
  const key = renderCacheKey(source.sha, path, options);
  let result = deps.renderCache.get(key);
  if (result === undefined) {
    result = await renderDirectory(source.dir, path, options);
    deps.renderCache.set(key, result);
  }
  if (!result.ok) {
    const reason = result.errors.every((e) => e.code === 'PathNotFound' || e.code === 'PathEscapesRepository') ? reasons.pathNotFound : reasons.renderError;
    return fail(reason, describe(result.errors));
  }
  return { ok: true, value: result.objects };
}

/** Forgets the cached render of an app's current source (a hard refresh). */
export function forgetRender(deps: ReconcileDeps, app: Application, sha: string | undefined): void {
  if (sha !== undefined) deps.renderCache.delete(renderCacheKey(sha, app.spec.source.path ?? '.', app.spec.source.directory ?? {}));
}
