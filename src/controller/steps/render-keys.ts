import type { Application, ApplicationSource, SourceType } from '../../api/application.js';
import { normalizeRepoUrl } from '../../git/url.js';
import { renderCacheKey } from '../../render/cache.js';
import type { ResolvedSource } from '../context.js';
import type { ReconcileDeps } from '../deps.js';
import type { CapabilitiesPort } from '../ports.js';

/** What a render's cache key is made of: the tools and plugins, the cache's types, and the destination's capabilities. */
export type RenderKeyDeps = Pick<ReconcileDeps, 'settings' | 'renderer' | 'renderCache'> & { readonly capabilities: CapabilitiesPort };

/** The release name and namespace a chart is rendered with: the helm options', else the app's name and destination namespace (as in Argo CD). */
export function helmRelease(app: Application, source: ApplicationSource): { releaseName: string; namespace: string } {
  const { helm } = source;
  const releaseName = helm?.releaseName !== undefined && helm.releaseName !== '' ? helm.releaseName : app.metadata.name ?? '';
  const namespace = helm?.namespace !== undefined && helm.namespace !== '' ? helm.namespace : app.spec.destination.namespace ?? 'default';
  return { releaseName, namespace };
}

/** Argo CD's build environment of an app's source: Jsonnet variables (and plugins) may name it ($ARGOCD_APP_NAME). */
export function buildEnv(app: Application, resolved: ResolvedSource): Record<string, string> {
  const { source, revision } = resolved;
  return {
    ARGOCD_APP_NAME: app.metadata.name ?? '', ARGOCD_APP_NAMESPACE: app.spec.destination.namespace ?? '',
    ARGOCD_APP_REVISION: revision, ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL, ARGOCD_APP_SOURCE_PATH: source.path ?? '.', ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision ?? 'HEAD',
  };
}

/** Does the render use the build environment? Only Jsonnet variables that name a `$` variable do. */
function usesBuildEnv(source: ApplicationSource): boolean {
  const jsonnet = source.directory?.jsonnet;
  return [...(jsonnet?.extVars ?? []), ...(jsonnet?.tlas ?? [])].some((v) => v.value.includes('$'));
}

/** What a render's key names of the source's revision: the commit, or a chart's version and its archive's digest. */
function revisionKey(resolved: ResolvedSource): string {
  return resolved.chartDigest === undefined ? resolved.revision : `${resolved.revision}@${resolved.chartDigest}`;
}

/**
 * The key of the source alone: repository, revision, path, options and tool versions (what every
 * type's output depends on), and the revisions of the sources its `$ref` values files come from.
 */
export function sourceKey(deps: RenderKeyDeps, app: Application, resolved: ResolvedSource, refRevisions: Readonly<Record<string, string>>): string {
  const { source } = resolved;
  return renderCacheKey({
    repository: normalizeRepoUrl(source.repoURL), commit: revisionKey(resolved), path: source.chart !== undefined ? `chart:${source.chart}` : source.path ?? '.',
    directory: source.directory ?? {}, kustomize: source.kustomize, helm: source.helm,
    context: {
      tools: deps.settings.renderTools ?? '',
      ...(usesBuildEnv(source) ? { env: buildEnv(app, resolved) } : {}),
      ...(Object.keys(refRevisions).length > 0 ? { refs: refRevisions } : {}),
      ...pluginsContext(deps, resolved),
    },
  });
}

/**
 * The plugins of capstan-config (whose discover rules decide whether a source is a plugin's at
 * all: the same for every app, so apps still share renders) and the app's source.plugin.
 * Nothing while no plugin is configured and the source names none.
 */
function pluginsContext(deps: RenderKeyDeps, resolved: ResolvedSource): Record<string, unknown> {
  const plugins = deps.renderer.cacheContext?.();
  const { plugin } = resolved.source;
  if (plugins === undefined && plugin === undefined) return {};
  return { plugins: plugins ?? '', plugin: plugin ?? null };
}

/** A plugin's output also depends on the build environment its commands get (the app, its revision, the cluster's version). */
async function pluginKey(deps: RenderKeyDeps, app: Application, resolved: ResolvedSource, base: string): Promise<string> {
  return JSON.stringify([base, buildEnv(app, resolved), await deps.capabilities.get()]);
}

/** The key a render of `type` is kept under: the source key, with what that type's output depends on besides. */
export async function typedKey(deps: RenderKeyDeps, app: Application, resolved: ResolvedSource, base: string, type: SourceType | undefined): Promise<string> {
  if (type === 'Helm') return helmKey(deps, app, resolved.source, base);
  if (type === 'Plugin') return pluginKey(deps, app, resolved, base);
  return base;
}

/** A chart's output also depends on its release name, namespace and the cluster's capabilities: its key adds them. */
export async function helmKey(deps: RenderKeyDeps, app: Application, source: ApplicationSource, base: string): Promise<string> {
  return JSON.stringify([base, helmRelease(app, source), await deps.capabilities.get()]);
}

/** The type a source's options name, if they name one that keys its render apart. */
function namedType(source: ApplicationSource): SourceType | undefined {
  if (source.helm !== undefined || source.chart !== undefined) return 'Helm';
  return source.plugin !== undefined ? 'Plugin' : undefined;
}

/** The cache key of a source's render: its typed key, by the type it rendered as before (or its options name). */
export async function cacheKey(deps: RenderKeyDeps, app: Application, resolved: ResolvedSource, refRevisions: Readonly<Record<string, string>>): Promise<{ base: string; key: string }> {
  const base = sourceKey(deps, app, resolved, refRevisions);
  const type = deps.renderCache.typeOf(base) ?? namedType(resolved.source);
  return { base, key: await typedKey(deps, app, resolved, base, type) };
}
