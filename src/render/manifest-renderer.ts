import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationSource, SourceType } from '../api/application.js';
import { extractChartArchive } from './helm/archive.js';
import { buildHelmChart, type HelmContext } from './helm/build.js';
import { buildKustomize } from './kustomize/build.js';
import { listManifestFiles } from './files.js';
import { renderJsonnetFiles } from './jsonnet/render.js';
import { resolveSourceDirectory, type SourceDirectory } from './paths.js';
import { choosePlugin, type ChosenPlugin } from './plugins/choose.js';
import { PluginSet } from './plugins/config.js';
import { pluginEnvironment } from './plugins/env.js';
import { runPlugin, sourceDirInCopy } from './plugins/run.js';
import { inProcessRenderer, type SerializedRender, type SourceRenderer } from './serialized.js';
import { detectSourceType } from './source-type.js';
import type { ToolOutputs } from './tools/outputs.js';
import { locateTools, toolsDirFromEnv } from './tools/locate.js';
import { ToolSandbox } from './tools/sandbox.js';
import { makeWorkingCopy } from './tools/working-copy.js';
import { renderLimits, type RenderLimits } from './types.js';

/** One source of an app to render, at a checked-out commit. */
export interface SourceRenderRequest {
  /** The checked-out tree (read-only, shared); unused for a chart from a chart repository. */
  readonly repoRoot: string;
  /** A chart from a chart repository or an OCI registry: its archive, rendered with the source's helm options. */
  readonly chartArchive?: string;
  readonly source: Pick<ApplicationSource, 'path' | 'directory' | 'kustomize' | 'helm' | 'plugin'>;
  /** The release name, namespace and cluster capabilities a Helm chart is rendered for. */
  readonly helm: HelmContext;
  /** The checked-out trees of the app's other sources, by their `ref`: Helm values files `$<ref>/path` are read from them. */
  readonly refs?: Readonly<Record<string, string>>;
  /** Argo CD's build environment (ARGOCD_APP_NAME, …): `$NAME` in Jsonnet variables is expanded from it. */
  readonly buildEnv?: Readonly<Record<string, string>>;
}

/** Renders one source of an app (ManifestRenderer; tests may give their own). */
export interface AppSourceRenderer {
  render(request: SourceRenderRequest): Promise<SerializedRender>;
  /**
   * What renders depend on besides the request (the plugins of capstan-config, which decide a
   * source's type too): part of the render cache key; undefined when there is nothing.
   */
  cacheContext?(): string | undefined;
  close(): Promise<void>;
}

export interface ManifestRendererOptions {
  /** Reads directories and tool output into objects (the render pool, or in-process). */
  readonly parser: SourceRenderer;
  readonly sandbox: ToolSandbox;
  readonly limits?: Partial<RenderLimits>;
  /** Remote Kustomize bases may be fetched (--kustomize-allow-remote). */
  readonly kustomizeAllowRemote?: boolean;
  /** The config management plugins of capstan-config as they are now (default none). */
  readonly plugins?: () => PluginSet;
}

/**
 * Renders an app's source the way its type says: a directory is read by the parser; Kustomize,
 * Helm and config management plugins run in the tool sandbox on a private working copy of the
 * tree, and what they write is read by the parser with the same bounds as manifest files.
 */
export class ManifestRenderer implements AppSourceRenderer {
  private readonly limits: RenderLimits;

  constructor(private readonly options: ManifestRendererOptions) {
    this.limits = renderLimits(options.limits ?? {});
  }

  async render(request: SourceRenderRequest): Promise<SerializedRender> {
    if (request.chartArchive !== undefined) return { ...(await this.renderChartArchive(request, request.chartArchive)), sourceType: 'Helm' };
    const sourcePath = request.source.path ?? '.';
    const resolved = await resolveSourceDirectory(request.repoRoot, sourcePath);
    if (!resolved.ok) return { ok: false, errors: [resolved.error] };
    const chosen = await choosePlugin(this.plugins(), resolved.source.realDir, request.source, this.limits.maxEntries);
    if (!chosen.ok) return { ok: false, errors: [{ code: 'InvalidOption', file: resolved.source.sourcePath, message: chosen.message }], sourceType: 'Plugin' };
    const sourceType = await detectSourceType(resolved.source.realDir, request.source, chosen.plugin?.name);
    const typed = (result: SerializedRender): SerializedRender => ({ ...result, sourceType });
    if (sourceType === 'Directory') return typed(await this.renderDirectory(request, resolved.source));
    const outputs = await this.runTools(sourceType, request, resolved.source, chosen.plugin);
    if (!outputs.ok) return typed({ ok: false, errors: outputs.errors });
    return typed(await this.options.parser.render({ kind: 'documents', sourcePath: resolved.source.sourcePath, documents: outputs.outputs }));
  }

  cacheContext(): string | undefined {
    const { key } = this.plugins();
    return key === '' ? undefined : key;
  }

  close(): Promise<void> {
    return this.options.parser.close();
  }

  private plugins(): PluginSet {
    return this.options.plugins?.() ?? PluginSet.none;
  }

  /** A chart archive: unpacked into a private directory, then rendered like a chart of a repository. */
  private async renderChartArchive(request: SourceRenderRequest, archive: string): Promise<SerializedRender> {
    const { sandbox } = this.options;
    const name = request.source.path ?? 'chart';
    const outputs = await sandbox.withScratch(async ({ dir, home }): Promise<ToolOutputs> => {
      const root = path.join(dir, 'chart');
      await mkdir(root);
      const unpacked = await extractChartArchive(archive, root, { maxEntries: this.limits.maxEntries, maxBytes: 4 * this.limits.maxManifestBytes });
      if (!unpacked.ok) return { ok: false, errors: [{ code: 'TooLarge', file: name, message: unpacked.message }] };
      return buildHelmChart({ ...request.helm, refs: request.refs ?? {}, repoRoot: root, copyRoot: root, sourcePath: unpacked.chartDir, options: request.source.helm ?? {}, scratch: dir, home, run: sandbox.run.bind(sandbox) });
    });
    if (!outputs.ok) return { ok: false, errors: outputs.errors };
    return this.options.parser.render({ kind: 'documents', sourcePath: name, documents: outputs.outputs });
  }

  /** A directory: its manifest files read by the parser; its .jsonnet files, if any, evaluated in the sandbox first. */
  private async renderDirectory(request: SourceRenderRequest, source: SourceDirectory): Promise<SerializedRender> {
    const directory = request.source.directory ?? {};
    const plain = { repoRoot: request.repoRoot, sourcePath: source.sourcePath, directory };
    const listing = await listManifestFiles(source, { ...directory, maxEntries: this.limits.maxEntries });
    if (listing.jsonnetFiles.length === 0) return this.options.parser.render(plain);
    const { sandbox } = this.options;
    const evaluated = await sandbox.withScratch(async ({ dir, home }) => {
      const copy = await makeWorkingCopy(request.repoRoot, path.join(dir, 'repo'), { maxEntries: this.limits.maxEntries });
      if (!copy.ok) return { ok: false as const, errors: [{ code: 'TooLarge' as const, file: source.sourcePath, message: copy.message }] };
      return renderJsonnetFiles(sandbox, { copyRoot: copy.root, sourcePath: source.sourcePath, files: listing.jsonnetFiles, options: directory.jsonnet, home, env: request.buildEnv ?? {} });
    });
    if (!evaluated.ok) return { ok: false, errors: evaluated.errors };
    const documents = evaluated.outputs.map((o) => ({ text: o.text, file: o.file, format: 'json' as const }));
    return this.options.parser.render({ kind: 'documents', sourcePath: source.sourcePath, documents, directory: plain });
  }

  private runTools(type: Exclude<SourceType, 'Directory'>, request: SourceRenderRequest, source: SourceDirectory, plugin: ChosenPlugin | undefined): Promise<ToolOutputs> {
    const { sandbox } = this.options;
    const { sourcePath } = source;
    return sandbox.withScratch(async ({ dir, home }) => {
      const copy = await makeWorkingCopy(request.repoRoot, path.join(dir, 'repo'), { maxEntries: this.limits.maxEntries });
      if (!copy.ok) return { ok: false, errors: [{ code: 'TooLarge', file: sourcePath, message: copy.message }] };
      const run = sandbox.run.bind(sandbox);
      switch (type) {
        case 'Kustomize':
          return buildKustomize({ copyRoot: copy.root, sourcePath, options: request.source.kustomize ?? {}, allowRemote: this.options.kustomizeAllowRemote ?? false, home, run });
        case 'Helm':
          return buildHelmChart({ ...request.helm, refs: request.refs ?? {}, repoRoot: request.repoRoot, copyRoot: copy.root, sourcePath, options: request.source.helm ?? {}, scratch: dir, home, run });
        case 'Plugin': {
          if (plugin === undefined) return { ok: false, errors: [{ code: 'InvalidOption', file: sourcePath, message: 'no plugin of capstan-config renders this source' }] };
          const { kubeVersion, apiVersions } = await request.helm.capabilities();
          const env = pluginEnvironment({ buildEnv: request.buildEnv ?? {}, plugin: request.source.plugin, kubeVersion, apiVersions });
          const dir = sourceDirInCopy(copy.root, source.realRoot, source.realDir);
          return runPlugin({ name: plugin.name, spec: plugin.spec, dir, sourcePath, home, env, run });
        }
      }
    });
  }
}

/**
 * A renderer for one process that renders little (the CLI, tests): directories are read in
 * this thread, and the tools found in CAPSTAN_TOOLS_DIR or on PATH run in a sandbox.
 */
export function localManifestRenderer(options: { limits?: Partial<RenderLimits>; timeoutMs?: number; kustomizeAllowRemote?: boolean; plugins?: () => PluginSet } = {}): ManifestRenderer {
  const limits = options.limits ?? {};
  const sandbox = new ToolSandbox({ tools: locateTools({ toolsDir: toolsDirFromEnv() }), maxOutputBytes: renderLimits(limits).maxManifestBytes, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
  return new ManifestRenderer({ parser: inProcessRenderer({ limits }), sandbox, limits, kustomizeAllowRemote: options.kustomizeAllowRemote ?? false, ...(options.plugins === undefined ? {} : { plugins: options.plugins }) });
}
