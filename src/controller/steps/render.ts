import { isMultiSource, type Application, type SourceType } from '../../api/application.js';
import { reasons, type Reason } from '../../api/conditions.js';
import { formatResourceKey, resourceKeyOf, type KubeObject } from '../../api/object.js';
import { fail, ok, type Result } from '../../api/result.js';
import { refsOf } from '../../api/value-refs.js';
import { isSourcePathError } from '../../render/paths.js';
import { parseRenderedObjects, type SerializedRender } from '../../render/serialized.js';
import type { RenderError } from '../../render/types.js';
import { required, targetOf, type ReconcileContext, type ResolvedSource, type Step } from '../context.js';
import type { ReconcileDeps } from '../deps.js';
import { manifestGeneratePaths, touchesGeneratePaths } from '../generate-paths.js';
import { buildEnv, cacheKey, helmRelease, typedKey, type RenderKeyDeps } from './render-keys.js';
import { gitReason } from './resolve.js';

const shownErrors = 5;

/** Failures a render may not repeat: they are not cached. */
const transient = new Set<RenderError['code']>(['TimedOut', 'ToolFailed', 'ToolMissing']);

function describe(errors: readonly RenderError[]): string {
  const lines = errors.slice(0, shownErrors).map((e) => `${e.file}${e.line !== undefined ? `:${e.line}` : ''}: ${e.message}`);
  if (errors.length > shownErrors) lines.push(`… and ${errors.length - shownErrors} more`);
  return lines.join('; ');
}

/** Sources that only lend files to others (a `ref` with no path and no chart) are not rendered. */
function isRendered(resolved: ResolvedSource): boolean {
  const { source } = resolved;
  return !(source.ref !== undefined && source.chart === undefined && (source.path === undefined || source.path === ''));
}

/**
 * Renders every source at its resolved revision and puts their objects together. The render
 * cache (by repository, revision, path, options, and what the tools see) is asked first; a
 * source is checked out (or its chart fetched) and rendered (a directory in a worker thread,
 * tools in the sandbox) only when its render is not cached. An object declared by two sources
 * is an error. Each reconcile gets objects of its own.
 */
export const render: Step = {
  name: 'render',
  run: async (ctx) => {
    const sources = required(ctx.sources, 'the resolved sources');
    const multi = isMultiSource(ctx.app.spec);
    const objects: KubeObject[] = [];
    const types: SourceType[] = [];
    const declaredBy = new Map<string, number>();
    for (const [index, resolved] of sources.entries()) {
      if (!isRendered(resolved)) continue;
      const rendered = await renderSource(ctx, resolved);
      const at = multi ? `spec.sources[${index}]: ` : '';
      if (rendered.sourceType !== undefined) types.push(rendered.sourceType);
      if (!rendered.result.ok) {
        const reason = 'reason' in rendered.result ? rendered.result.reason : rendered.result.errors.every(isSourcePathError) ? reasons.pathNotFound : reasons.renderError;
        ctx.sourceType = types[0] ?? rendered.sourceType;
        return fail(reason, `${at}${describe(rendered.result.errors)}`);
      }
      for (const object of await parseRenderedObjects(rendered.result.objects)) {
        const key = formatResourceKey(resourceKeyOf(object));
        const other = declaredBy.get(key);
        if (other !== undefined) return fail(reasons.renderError, `${object.kind} ${object.metadata.name ?? ''} is declared by both spec.sources[${other}] and spec.sources[${index}]`);
        declaredBy.set(key, index);
        objects.push(object);
      }
    }
    ctx.rendered = objects;
    if (types[0] !== undefined) ctx.sourceType = types[0];
    if (multi) ctx.sourceTypes = types;
    return ok(undefined);
  },
};

type SourceRender = { sourceType?: SourceType | undefined; result: SerializedRender | RefusedRender };

/** A source that could not even be rendered (a chart not fetched, a tree not checked out), with the reason to report. */
interface RefusedRender { readonly ok: false; readonly errors: RenderError[]; readonly reason: Reason }

/** The revisions of the sources a source's `$ref` values files name. */
function refRevisions(ctx: ReconcileContext, resolved: ResolvedSource): Result<Record<string, string>> {
  const revisions: Record<string, string> = {};
  for (const ref of refsOf(resolved.source)) {
    const target = ctx.sources?.find((s) => s.source.ref === ref);
    if (target === undefined) return fail(reasons.invalidSpec, `helm valueFiles name $${ref}, but no source has ref: ${ref}`);
    revisions[ref] = target.revision;
  }
  return ok(revisions);
}

async function renderSource(ctx: ReconcileContext, resolved: ResolvedSource): Promise<SourceRender> {
  const { app, deps } = ctx;
  const refs = refRevisions(ctx, resolved);
  if (!refs.ok) return { result: { ok: false, errors: [{ code: 'InvalidOption', file: resolved.source.path ?? '.', message: refs.error.message }], reason: refs.error.reason } };
  const keys = { ...deps, capabilities: targetOf(ctx).capabilities };
  const { base, key } = await cacheKey(keys, app, resolved, refs.value);
  const cached = deps.renderCache.get(key) ?? await unchangedRender(keys, app, resolved);
  if (cached !== undefined) return { sourceType: cached.sourceType, result: cached };
  const fresh = await renderAnew(ctx, resolved);
  if ('reason' in fresh) return { result: fresh };
  const type = fresh.sourceType ?? 'Directory';
  deps.metrics.rendered(type, fresh.ok);
  deps.renderCache.rememberType(base, type);
  const keptAs = key === base ? await typedKey(keys, app, resolved, base, type) : key;
  // A render that may go otherwise next time (a tool timed out, failed or is missing) is not kept.
  if (fresh.ok || !fresh.errors.some((e) => transient.has(e.code))) deps.renderCache.set(keptAs, fresh);
  return { sourceType: type, result: fresh };
}

/** Checks out the source (or fetches its chart), and the trees of the sources it takes values files from, and renders it. */
async function renderAnew(ctx: ReconcileContext, resolved: ResolvedSource): Promise<SerializedRender | RefusedRender> {
  const { app, deps } = ctx;
  const { source, revision } = resolved;
  const failed = (reason: Reason, message: string): RefusedRender => ({ ok: false, errors: [{ code: 'InvalidOption', file: source.path ?? '.', message }], reason });
  const refTrees: Record<string, string> = {};
  for (const ref of refsOf(source)) {
    const target = ctx.sources?.find((s) => s.source.ref === ref);
    if (target === undefined || target.source.chart !== undefined) return failed(reasons.invalidSpec, `helm valueFiles name $${ref}, which is not a Git source with ref: ${ref}`);
    const tree = await deps.repos.checkout(target.source.repoURL, target.revision);
    if (!tree.ok) return failed(gitReason(tree.error), tree.error.message);
    refTrees[ref] = tree.dir;
  }
  const request = { source, helm: { ...helmRelease(app, source), capabilities: () => targetOf(ctx).capabilities.get() }, buildEnv: buildEnv(app, resolved), refs: refTrees };
  if (source.chart !== undefined) {
    const digest = required(resolved.chartDigest, "the chart's digest");
    const fetched = await deps.charts.fetch({ repoURL: source.repoURL, chart: source.chart, version: revision, digest });
    if (!fetched.ok) return failed(fetched.code === 'InvalidChartRef' ? reasons.invalidSpec : reasons.chartRepoError, fetched.message);
    return deps.renderer.render({ ...request, repoRoot: '', chartArchive: fetched.archive, source: { ...source, path: source.chart } });
  }
  const tree = await deps.repos.checkout(source.repoURL, revision);
  if (!tree.ok) return failed(gitReason(tree.error), tree.error.message);
  return deps.renderer.render({ ...request, repoRoot: tree.dir });
}

/**
 * The render of the app's last synced commit, when the app names the paths its manifests come
 * from (manifest-generate-paths) and the commits between that one and this change none of them:
 * a monorepo commit re-renders only the apps it touches. Kept under this commit's key too.
 */
async function unchangedRender(deps: ReconcileDeps & RenderKeyDeps, app: Application, resolved: ResolvedSource): Promise<SerializedRender | undefined> {
  const paths = manifestGeneratePaths(app);
  const previous = app.status?.sync?.revision;
  const { source, revision } = resolved;
  if (paths === undefined || source.chart !== undefined || previous === undefined || previous === revision) return undefined;
  const before = await cacheKey(deps, app, { source, revision: previous }, {});
  const last = deps.renderCache.get(before.key);
  if (last === undefined) return undefined;
  const changed = await deps.repos.changedFiles(source.repoURL, previous, revision);
  if (changed === undefined || touchesGeneratePaths(changed, paths)) return undefined;
  const now = await cacheKey(deps, app, resolved, {});
  if (last.sourceType !== undefined) deps.renderCache.rememberType(now.base, last.sourceType);
  deps.renderCache.set(await typedKey(deps, app, resolved, now.base, last.sourceType), last);
  deps.metrics.renderReused();
  return last;
}

/** Forgets the cached renders of an app's sources at their last synced revisions (a hard refresh), and its charts' repository reads. */
export async function forgetRender(deps: ReconcileDeps & RenderKeyDeps, app: Application): Promise<void> {
  const sources = app.spec.sources ?? (app.spec.source === undefined ? [] : [app.spec.source]);
  const revisions = isMultiSource(app.spec) ? app.status?.sync?.revisions ?? [] : [app.status?.sync?.revision];
  for (const [index, source] of sources.entries()) {
    // A chart's render is named by its archive's digest: the same digest renders the same.
    if (source.chart !== undefined) {
      deps.charts.invalidate(source.repoURL);
      continue;
    }
    const revision = revisions[index];
    if (revision === undefined) continue;
    const { base, key } = await cacheKey(deps, app, { source, revision }, {});
    deps.renderCache.delete(key);
    deps.renderCache.delete(base);
  }
}
