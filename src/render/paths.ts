import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RenderError } from './types.js';

export type NormalisedPath = { ok: true; path: string } | { ok: false; error: RenderError };

/**
 * A source path as a clean repository-relative posix path ('.' for the root), or
 * PathEscapesRepository when it is absolute or climbs out with '..'.
 */
export function normaliseSourcePath(sourcePath: string): NormalisedPath {
  const slashed = sourcePath.replaceAll('\\', '/');
  if (path.posix.isAbsolute(slashed) || path.win32.isAbsolute(sourcePath)) {
    return { ok: false, error: escapes(sourcePath, 'is absolute; a source path is relative to the repository root') };
  }
  const normalised = path.posix.normalize(slashed === '' ? '.' : slashed).replace(/\/+$/, '');
  if (normalised === '..' || normalised.startsWith('../')) {
    return { ok: false, error: escapes(sourcePath, 'leads outside the repository') };
  }
  return { ok: true, path: normalised === '' ? '.' : normalised };
}

/** True when `candidate` is `root` or lies beneath it (both absolute, resolved). */
export function isWithin(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

export interface SourceDirectory {
  /** The repository root with every symlink resolved. */
  realRoot: string;
  /** The source directory with every symlink resolved; inside realRoot. */
  realDir: string;
  /** The source path, normalised: '.' or 'a/b'. */
  sourcePath: string;
}

export type ResolvedSource = { ok: true; source: SourceDirectory } | { ok: false; error: RenderError };

/** Finds the source directory on disk, following symlinks only as far as they stay inside the repository. */
export async function resolveSourceDirectory(repoRoot: string, sourcePath: string): Promise<ResolvedSource> {
  const normalised = normaliseSourcePath(sourcePath);
  if (!normalised.ok) return normalised;
  const relative = normalised.path;
  const realRoot = await realpathOrUndefined(repoRoot);
  if (realRoot === undefined) {
    return { ok: false, error: notFound(relative, `the repository root ${repoRoot} does not exist`) };
  }
  const realDir = await realpathOrUndefined(path.join(realRoot, relative));
  if (realDir === undefined) return { ok: false, error: notFound(relative, `source path '${relative}' does not exist in the repository`) };
  if (!isWithin(realRoot, realDir)) {
    return { ok: false, error: escapes(relative, 'resolves through a symlink to a place outside the repository') };
  }
  const stats = await stat(realDir);
  if (!stats.isDirectory()) return { ok: false, error: notFound(relative, `source path '${relative}' is not a directory`) };
  return { ok: true, source: { realRoot, realDir, sourcePath: relative } };
}

async function realpathOrUndefined(target: string): Promise<string | undefined> {
  try {
    return await realpath(target);
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** The `code` of a Node.js system error. Duck-typed: errors from another realm fail `instanceof Error`. */
export function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
}

/** ENOENT, or ENOTDIR when a path goes through a file as if it were a directory. */
export function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

const sourcePathPrefix = 'source path ';

function escapes(file: string, why: string): RenderError {
  return { code: 'PathEscapesRepository', file, message: `${sourcePathPrefix}'${file}' ${why}` };
}

/** Is this the error of a source path that does not exist or leads outside the repository (not of a file an option names)? */
export function isSourcePathError(error: RenderError): boolean {
  return error.code === 'PathNotFound' || (error.code === 'PathEscapesRepository' && error.message.startsWith(sourcePathPrefix));
}

function notFound(file: string, message: string): RenderError {
  return { code: 'PathNotFound', file, message };
}
