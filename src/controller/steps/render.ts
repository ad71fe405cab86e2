import type { Application } from '../../api/application.js';
import { reasons } from '../../api/conditions.js';
import { fail, ok } from '../../api/result.js';
import { normalizeRepoUrl } from '../../git/url.js';
import { renderCacheKey } from '../../render/cache.js';
import type { HelmContext } from '../../render/helm/build.js';
import { isSourcePathError } from '../../render/paths.js';
import { parseRenderedObjects, type SerializedRender } from '../../render/serialized.js';
import { manifestGeneratePaths, touchesGeneratePaths } from '../generate-paths.js';
import type { RenderError } from '../../render/types.js';
import { required, type Step } from '../context.js';
import type { ReconcileDeps } from '../deps.js';
import { gitReason } from './resolve.js';

const shownErrors = 5;

/** Failures a render may not repeat: they are not cached. */
const transient = new Set<RenderError['code']>(['TimedOut', 'ToolFailed', 'ToolMissing']);

function describe(errors: readonly RenderError[]): string {
  const lines = errors.slice(0, shownErrors).map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
  if (errors.length > shownErrors) lines.push(`… and ${errors.length - shownErrors} more`);
  return lines.join('; ');
}

/** The release name and namespace a chart is rendered with: the helm options', else the app's name and destination namespace (as in Argo CD). */
function helmRelease(app: Application): { releaseName: string; namespace: string } {
  const helm = app.spec.source.helm;
  const releaseName = helm?.releaseName !== undefined && helm.releaseName !== '' ? helm.releaseName : app.metadata.name ?? '';
  const namespace = helm?.namespace !== undefined && helm.namespace !== '' ? helm.namespace : app.spec.destination.namespace ?? 'default';
  return { releaseName, namespace };
}

/** Argo CD's build environment of an app: Jsonnet variables may name it ($ARGOCD_APP_NAME). */
function buildEnv(app: Application, sha: string): Record<string, string> {
  const { source } = app.spec;
  return {
    ARGOCD_APP_NAME: app.metadata.name ?? '', ARGOCD_APP_NAMESPACE: app.spec.destination.namespace ?? '',
    ARGOCD_APP_REVISION: sha, ARGOCD_APP_REVISION_SHORT: sha.slice(0, 7),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL, ARGOCD_APP_SOURCE_PATH: source.path ?? '.', ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision ?? 'HEAD',
  };
}

/** Does the render use the build environment? Only Jsonnet variables that name a `$` variable do. */
function usesBuildEnv(app: Application): boolean {
  const jsonnet = app.spec.source.directory?.jsonnet;
  return [...(jsonnet?.extVars ?? []), ...(jsonnet?.tlas ?? [])].some((v) => v.value.includes('$'));
}

/** The key of the source alone: repository, commit, path, options and tool versions (what every type's output depends on). */
function sourceKey(deps: ReconcileDeps, app: Application, sha: string): string {
  const { source } = app.spec;
  return renderCacheKey({
    repository: normalizeRepoUrl(source.repoURL), commit: sha, path: source.chart !== undefined ? `chart:${source.chart}` : source.path ?? '.', directory: source.directory ?? {},
    kustomize: source.kustomize, helm: source.helm,
    context: { tools: deps.settings.renderTools ?? '', ...(usesBuildEnv(app) ? { env: buildEnv(app, sha) } : {}) },
  });
}

/** A chart's output also depends on its release name, namespace and the cluster's capabilities: its key adds them. */
async function helmKey(deps: ReconcileDeps, app: Application, base: string): Promise<string> {
  return JSON.stringify([base, helmRelease(app), await deps.capabilities.get()]);
}

/** The cache key of the app's render: the source key, or for a Helm source (named, or seen before) the Helm key. */
async function cacheKey(deps: ReconcileDeps, app: Application, sha: string): Promise<{ base: string; key: string }> {
  const base = sourceKey(deps, app, sha);
  const { source } = app.spec;
  const type = deps.renderCache.typeOf(base) ?? (source.helm !== undefined || source.chart !== undefined ? 'Helm' : undefined);
  return { base, key: type === 'Helm' ? await helmKey(deps, app, base) : base };
}

/**
 * Renders the source at the resolved commit. The render cache (by repository, commit, path,
 * options, and what the tools see) is asked first; the commit is checked out and rendered (a
 * directory in a worker thread, Kustomize and Helm in the tool sandbox) only when the render is
 * not cached. Each reconcile gets objects of its own.
 */
export const render: Step = {
  name: 'render',
  run: async (ctx) => {
    const { app, deps } = ctx;
    const sha = required(ctx.sha, 'the commit');
    const { chart } = app.spec.source;
    // A chart's version names what its repository says today; its archive's digest is what is rendered.
    const revision = chart === undefined ? sha : `${sha}@${required(ctx.chartDigest, "the chart's digest")}`;
    const { base, key } = await cacheKey(deps, app, revision);
    let result = deps.renderCache.get(key) ?? (chart === undefined ? await unchangedRender(ctx.deps, app, sha) : undefined);
    if (result === undefined) {
      const helm: HelmContext = { ...helmRelease(app), capabilities: () => deps.capabilities.get() };
      const request = { source: app.spec.source, helm, buildEnv: buildEnv(app, sha) };
      if (chart !== undefined) {
        const fetched = await deps.charts.fetch({ repoURL: app.spec.source.repoURL, chart, version: sha, digest: required(ctx.chartDigest, "the chart's digest") });
        if (!fetched.ok) return fail(fetched.code === 'InvalidChartRef' ? reasons.invalidSpec : reasons.chartRepoError, fetched.message);
        result = await deps.renderer.render({ ...request, repoRoot: '', chartArchive: fetched.archive, source: { ...app.spec.source, path: chart } });
      } else {
        const tree = await deps.repos.checkout(app.spec.source.repoURL, sha);
        if (!tree.ok) return fail(gitReason(tree.error), tree.error.message);
        result = await deps.renderer.render({ ...request, repoRoot: tree.dir });
      }
      deps.metrics.rendered(result.sourceType ?? 'Directory', result.ok);
      // A render that may go otherwise next time (a tool timed out, failed or is missing) is not kept.
      const type = result.sourceType ?? 'Directory';
      deps.renderCache.rememberType(base, type);
      const keptAs = type === 'Helm' && key === base ? await helmKey(deps, app, base) : key;
      if (result.ok || !result.errors.some((e) => transient.has(e.code))) deps.renderCache.set(keptAs, result);
    }
    if (result.sourceType !== undefined) ctx.sourceType = result.sourceType;
    if (!result.ok) {
      const reason = result.errors.every(isSourcePathError) ? reasons.pathNotFound : reasons.renderError;
      return fail(reason, describe(result.errors));
    }
    ctx.rendered = await parseRenderedObjects(result.objects);
    return ok(undefined);
  },
};

/**
 * The render of the app's last synced commit, when the app names the paths its manifests come
 * from (manifest-generate-paths) and the commits between that one and `sha` change none of them:
 * a monorepo commit re-renders only the apps it touches. Kept under `sha`'s key too.
 */
async function unchangedRender(deps: ReconcileDeps, app: Application, sha: string): Promise<SerializedRender | undefined> {
  const paths = manifestGeneratePaths(app);
  const previous = app.status?.sync?.revision;
  if (paths === undefined || previous === undefined || previous === sha) return undefined;
  const before = await cacheKey(deps, app, previous);
  const last = deps.renderCache.get(before.key);
  if (last === undefined) return undefined;
  const changed = await deps.repos.changedFiles(app.spec.source.repoURL, previous, sha);
  if (changed === undefined || touchesGeneratePaths(changed, paths)) return undefined;
  const now = await cacheKey(deps, app, sha);
  if (last.sourceType !== undefined) deps.renderCache.rememberType(now.base, last.sourceType);
  deps.renderCache.set(last.sourceType === 'Helm' ? await helmKey(deps, app, now.base) : now.base, last);
  deps.metrics.renderReused();
  return last;
}

/** Forgets the cached render of an app's current source (a hard refresh). */
export async function forgetRender(deps: ReconcileDeps, app: Application, sha: string | undefined): Promise<void> {
  // A chart's render is named by its archive's digest: the same digest renders the same.
  if (app.spec.source.chart !== undefined) deps.charts.invalidate(app.spec.source.repoURL);
  if (sha === undefined || app.spec.source.chart !== undefined) return;
  const { base, key } = await cacheKey(deps, app, sha);
  deps.renderCache.delete(key);
  deps.renderCache.delete(base);
}
