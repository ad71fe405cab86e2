/** What `capstan render` asks the manifest renderer for: the controller's request, built from an app (or a directory) and the flags (pure). */
import type { HelmContext } from '../../render/helm/build.js';
import type { SourceRenderRequest } from '../../render/manifest-renderer.js';
import { defaultApiVersions, defaultKubeVersion } from './capabilities.js';
import { sourceTypeConflict, sourceWithFlags, type RenderSource, type SourceFlags } from './source-flags.js';

/** The app a source belongs to, as far as the render sees it (a directory rendered alone is an app named after it). */
export interface RenderedApp {
  readonly name: string;
  /** spec.destination.namespace. */
  readonly namespace?: string | undefined;
  readonly repoURL: string;
  readonly targetRevision?: string | undefined;
  /** The commit of the tree rendered ('' when it is not a git work tree). */
  readonly revision: string;
}

/** The flags that are not source options: who the chart is released as, and the cluster it is rendered for. */
export interface ContextFlags {
  readonly helmRelease?: string | undefined;
  readonly namespace?: string | undefined;
}

export interface RequestInput {
  readonly app: RenderedApp;
  readonly source: RenderSource;
  readonly flags: SourceFlags & ContextFlags;
  /** The repository root, real and absolute ('' for a chart of a chart repository). */
  readonly repoRoot: string;
  /** The fetched archive of a chart of a chart repository. */
  readonly chartArchive?: string | undefined;
  /** The trees of the app's other sources by their ref, for Helm values files `$<ref>/path`. */
  readonly refs?: Readonly<Record<string, string>> | undefined;
  /** Where the source is in the Application file (spec.source, spec.sources[i]), for messages. */
  readonly at?: string | undefined;
}

export type BuiltRequest = { readonly ok: true; readonly request: SourceRenderRequest } | { readonly ok: false; readonly message: string };

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** The release name and namespace, as the controller picks them (helm options, else the app's), the flags first. */
export function helmRelease(app: RenderedApp, source: RenderSource, flags: ContextFlags): { releaseName: string; namespace: string } {
  const releaseName = nonEmpty(flags.helmRelease) ?? nonEmpty(source.helm?.releaseName) ?? app.name;
  const namespace = nonEmpty(flags.namespace) ?? nonEmpty(source.helm?.namespace) ?? nonEmpty(app.namespace) ?? 'default';
  return { releaseName, namespace };
}

/** The cluster templates see: --kube-version and --api-versions, else the defaults (capabilities.ts). */
export function offlineCapabilities(flags: Pick<SourceFlags, 'kubeVersion' | 'apiVersions'>): { kubeVersion: string; apiVersions: readonly string[] } {
  const apiVersions = flags.apiVersions ?? [];
  return { kubeVersion: flags.kubeVersion ?? defaultKubeVersion, apiVersions: apiVersions.length > 0 ? [...apiVersions] : defaultApiVersions };
}

/** Argo CD's build environment of the app, as the controller gives it (Jsonnet variables may name it as $ARGOCD_APP_NAME). */
export function buildEnv(app: RenderedApp, source: RenderSource, flags: ContextFlags): Record<string, string> {
  return {
    ARGOCD_APP_NAME: app.name, ARGOCD_APP_NAMESPACE: nonEmpty(flags.namespace) ?? app.namespace ?? '',
    ARGOCD_APP_REVISION: app.revision, ARGOCD_APP_REVISION_SHORT: app.revision.slice(0, 7),
    ARGOCD_APP_SOURCE_REPO_URL: app.repoURL, ARGOCD_APP_SOURCE_PATH: source.path ?? '.', ARGOCD_APP_SOURCE_TARGET_REVISION: app.targetRevision ?? 'HEAD',
  };
}

/**
 * The render request of a source with the flags laid over its options: the same request the
 * controller makes for the app (a chart of a chart repository is rendered from its archive,
 * under the chart's name); refused when the options name more than one source type.
 */
export function renderRequest(input: RequestInput): BuiltRequest {
  const { app, flags } = input;
  const conflict = sourceTypeConflict(input.source, flags, input.at);
  if (conflict !== undefined) return { ok: false, message: conflict };
  const source = sourceWithFlags(input.source, flags, input.repoRoot);
  const capabilities = offlineCapabilities(flags);
  const helm: HelmContext = { ...helmRelease(app, source, flags), capabilities: () => Promise.resolve(capabilities) };
  const env = buildEnv(app, source, flags);
  const refs = input.refs === undefined || Object.keys(input.refs).length === 0 ? {} : { refs: input.refs };
  const { chart, ...options } = source;
  if (chart !== undefined) {
    if (input.chartArchive === undefined) return { ok: false, message: `chart ${chart} was not fetched` };
    return { ok: true, request: { repoRoot: '', chartArchive: input.chartArchive, source: { ...options, path: chart }, helm, buildEnv: env, ...refs } };
  }
  return { ok: true, request: { repoRoot: input.repoRoot, source: options, helm, buildEnv: env, ...refs } };
}
