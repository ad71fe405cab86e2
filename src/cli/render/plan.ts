/** What `capstan render` renders: PATH or an Application's sources, found on disk (and charts fetched), as render requests. */
import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { SourceRenderRequest } from '../../render/manifest-renderer.js';
import { isMissing } from '../../render/paths.js';
import { readAllText, type CommandIO } from '../output/io.js';
import { readApplication } from './application-file.js';
import type { RenderCommandFlags } from './flags.js';
import { planSources } from './app-sources.js';
import { locatePath, type FileDisplay } from './locate.js';
import { renderRequest, type RenderedApp } from './request.js';

/** The render of one source. */
export interface SourcePlan {
  readonly request: SourceRenderRequest;
  /** How render errors show the files they name (relative to the repository root, or to nothing for a chart). */
  readonly display: FileDisplay;
  /** What its messages start with: `spec.sources[i]: ` in an app of several sources, else nothing. */
  readonly label: string;
  /** Its place in spec.sources (0 for spec.source or PATH). */
  readonly index: number;
}

export interface RenderPlan {
  /** The sources rendered, in order; their objects are printed together. */
  readonly sources: readonly SourcePlan[];
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
  if ((flags.sourceRoot ?? []).length > 0) return { ok: false, message: '--source-root names checkouts of the sources of -f APP; PATH is rendered from --repo-root' };
  const located = await locatePath(given, flags.repoRoot);
  if (!located.ok) return located;
  const app: RenderedApp = { name: path.basename(path.join(located.repoRoot, located.sourcePath)), repoURL: '', revision: located.revision };
  const built = renderRequest({ app, source: { path: located.sourcePath }, flags: await withRealPaths(flags), repoRoot: located.repoRoot });
  if (!built.ok) return built;
  const source: SourcePlan = { request: built.request, display: located.display, label: '', index: 0 };
  return { ok: true, plan: { sources: [source], ...(located.fromGit === true ? { chosenRoot: located.repoRoot } : {}) } };
}

/** A file's text ('-': stdin), or why it cannot be read. */
export async function readText(file: string, io: CommandIO): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    return { ok: true, text: file === '-' ? await readAllText(io.stdin) : await readFile(file, 'utf8') };
  } catch (err) {
    const message = isMissing(err) ? 'no such file' : typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
    return { ok: false, message: `${file}: ${message}` };
  }
}

/** `capstan render -f FILE`: what the controller would render for that Application, source by source. */
export async function planApplication(file: string, flags: RenderCommandFlags, io: CommandIO): Promise<Planned> {
  const text = await readText(file, io);
  if (!text.ok) return text;
  const read = readApplication(text.text);
  if (!read.ok) return { ok: false, message: `${file === '-' ? 'stdin' : file}: ${read.message}` };
  return planSources(read, await withRealPaths(flags));
}
