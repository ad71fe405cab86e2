/** What `capstan render` renders: PATH or an Application's source, found on disk (and a chart fetched), as one render request. */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ChartFetcher } from '../../charts/index.js';
import type { SourceRenderRequest } from '../../render/manifest-renderer.js';
import { isMissing } from '../../render/paths.js';
import { readAllText, type CommandIO } from '../output/io.js';
import { readApplication } from './application-file.js';
import type { RenderCommandFlags } from './flags.js';
import { locatePath, locateRepository, type FileDisplay } from './locate.js';
import { renderRequest, type RenderedApp } from './request.js';

export interface RenderPlan {
  readonly request: SourceRenderRequest;
  /** How render errors show the files they name (relative to the repository root, or to nothing for a chart). */
  readonly display: FileDisplay;
  /** Where the repository root came from, when the command chose it (for a hint when it is too large). */
  readonly chosenRoot?: string;
}

export type Planned = { readonly ok: true; readonly plan: RenderPlan } | { readonly ok: false; readonly message: string };

async function real(file: string): Promise<string> {
  return path.isAbsolute(file) ? realpath(file).catch(() => file) : file;
}

/** The flags with their absolute paths resolved, so those inside the repository are found in it. */
async function withRealPaths(flags: RenderCommandFlags): Promise<RenderCommandFlags> {
  return {
    ...flags,
    helmValues: await Promise.all((flags.helmValues ?? []).map(real)),
    jsonnetLib: await Promise.all((flags.jsonnetLib ?? []).map(real)),
  };
}

/** `capstan render PATH`: the directory as the source of an app named after it. */
export async function planDirectory(given: string, flags: RenderCommandFlags): Promise<Planned> {
  const located = await locatePath(given, flags.repoRoot);
  if (!located.ok) return located;
  const app: RenderedApp = { name: path.basename(path.join(located.repoRoot, located.sourcePath)), repoURL: '', revision: located.revision };
  const built = renderRequest({ app, source: { path: located.sourcePath }, flags: await withRealPaths(flags), repoRoot: located.repoRoot });
  if (!built.ok) return built;
  return { ok: true, plan: { request: built.request, display: located.display, ...(located.fromGit === true ? { chosenRoot: located.repoRoot } : {}) } };
}

async function readText(file: string, io: CommandIO): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    return { ok: true, text: file === '-' ? await readAllText(io.stdin) : await readFile(file, 'utf8') };
  } catch (err) {
    const message = isMissing(err) ? 'no such file' : typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    return { ok: false, message: `${file}: ${message}` };
  }
}

/** A chart of a chart repository, resolved at targetRevision and fetched into the cache directory. */
async function fetchChart(ref: { repoURL: string; chart: string; targetRevision?: string | undefined }, cacheDir: string): Promise<{ ok: true; archive: string; version: string } | { ok: false; message: string }> {
  const fetcher = new ChartFetcher({ cacheDir });
  const resolved = await fetcher.resolve(ref);
  if (!resolved.ok) return { ok: false, message: `${resolved.code}: ${resolved.message}` };
  const fetched = await fetcher.fetch({ ...ref, version: resolved.version, digest: resolved.digest });
  if (!fetched.ok) return { ok: false, message: `${fetched.code}: ${fetched.message}` };
  return { ok: true, archive: fetched.archive, version: resolved.version };
}

/** `capstan render -f FILE`: what the controller would render for that Application. */
export async function planApplication(file: string, flags: RenderCommandFlags, io: CommandIO): Promise<Planned> {
  const text = await readText(file, io);
  if (!text.ok) return text;
  const read = readApplication(text.text);
  if (!read.ok) return { ok: false, message: `${file === '-' ? 'stdin' : file}: ${read.message}` };
  const { metadata, spec } = read.app;
  const { source } = read;
  const app = { name: metadata.name ?? '', namespace: spec.destination.namespace, repoURL: source.repoURL, targetRevision: source.targetRevision };
  const real = await withRealPaths(flags);
  if (source.chart !== undefined) {
    const chart = await fetchChart({ repoURL: source.repoURL, chart: source.chart, targetRevision: source.targetRevision }, flags.cacheDir);
    if (!chart.ok) return chart;
    const built = renderRequest({ app: { ...app, revision: chart.version }, source, flags: real, repoRoot: '', chartArchive: chart.archive });
    return built.ok ? { ok: true, plan: { request: built.request, display: { base: '', from: '.' } } } : built;
  }
  const located = await locateRepository(source.repoURL, source.path ?? '.', flags.repoRoot);
  if (!located.ok) return located;
  const built = renderRequest({ app: { ...app, revision: located.revision }, source, flags: real, repoRoot: located.repoRoot });
  return built.ok ? { ok: true, plan: { request: built.request, display: located.display } } : built;
}
