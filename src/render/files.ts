import { compareCodeUnits } from '../api/text.js';
import type { Dirent } from 'node:fs';
import { opendir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileFilter, isHidden, manifestFormatOf, type FileFilter } from './filters.js';
import type { ManifestFormat } from './parse.js';
import { errorCode, isMissing, isWithin, type SourceDirectory } from './paths.js';
import { DEFAULT_RENDER_LIMITS, type DirectoryOptions, type RenderError } from './types.js';

export interface ManifestFile {
  /** Relative to the repository root, '/' separators: how the file is named to a person. */
  path: string;
  /** Where to read it, every symlink resolved. */
  realPath: string;
  format: ManifestFormat;
  /** Size in bytes when listed. */
  size: number;
}

export interface ListingOptions extends DirectoryOptions {
  /** Most entries (files and directories) the walk may meet; past it the listing fails. */
  maxEntries?: number;
}

/** The files found, and the symlinks that could not be followed. */
export interface FileListing {
  files: ManifestFile[];
  errors: RenderError[];
  /** The .jsonnet files that pass the same filters (repository-relative, sorted): evaluated, not read. */
  jsonnetFiles: string[];
}

/**
 * The manifest files of a source directory, sorted by path: .yaml, .yml and .json files that pass
 * include/exclude, skipping hidden entries, descending only with `recurse`, and following a
 * symlink only when it stays inside the repository. A source with more than `maxEntries`
 * entries fails as a whole (TooLarge), without walking the rest.
 */
export async function listManifestFiles(source: SourceDirectory, options: ListingOptions = {}): Promise<FileListing> {
  const walk: Walk = {
    source,
    recurse: options.recurse ?? false,
    accepts: fileFilter(options),
    files: [],
    errors: [],
    jsonnet: [],
    entries: 0,
    maxEntries: options.maxEntries ?? DEFAULT_RENDER_LIMITS.maxEntries,
  };
  await walkDirectory(walk, source.realDir, '', new Set([source.realDir]));
  if (walk.entries > walk.maxEntries) {
    const message = `the source holds more than the limit of ${walk.maxEntries} files and directories`;
    return { files: [], errors: [{ code: 'TooLarge', file: source.sourcePath, message }], jsonnetFiles: [] };
  }
  return {
    files: walk.files.sort((a, b) => compareText(a.path, b.path)),
    errors: walk.errors.sort((a, b) => compareText(a.file, b.file)),
    jsonnetFiles: walk.jsonnet.sort(compareText),
  };
}

interface Walk {
  readonly source: SourceDirectory;
  readonly recurse: boolean;
  readonly accepts: FileFilter;
  readonly files: ManifestFile[];
  readonly errors: RenderError[];
  readonly jsonnet: string[];
  /** Entries met so far; once past maxEntries the walk stops. */
  entries: number;
  readonly maxEntries: number;
}

/** `ancestors` holds the real paths of the directories being walked, so a symlink loop ends. */
async function walkDirectory(walk: Walk, realDir: string, prefix: string, ancestors: ReadonlySet<string>): Promise<void> {
  // Read entry by entry: a directory of a million files is never held in memory at once.
  for await (const entry of await opendir(realDir)) {
    if (++walk.entries > walk.maxEntries) return;
    if (isHidden(entry.name)) continue;
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const entryPath = path.join(realDir, entry.name);
    if (entry.isSymbolicLink()) {
      await visitSymlink(walk, entryPath, relative, ancestors);
    } else {
      await visitEntry(walk, entry, entryPath, relative, ancestors);
    }
  }
}

async function visitEntry(walk: Walk, entry: Dirent, entryPath: string, relative: string, ancestors: ReadonlySet<string>): Promise<void> {
  if (entry.isDirectory()) {
    if (walk.recurse && walk.entries <= walk.maxEntries) await walkDirectory(walk, entryPath, relative, new Set([...ancestors, entryPath]));
    return;
  }
  // Sockets, FIFOs and devices are never read: a FIFO named *.yaml would block the render.
  if (!entry.isFile()) return;
  if (isWantedJsonnet(walk, relative)) walk.jsonnet.push(repoPath(walk, relative));
  const format = wantedFormat(walk, relative);
  if (format === undefined) return;
  const { size } = await stat(entryPath);
  walk.files.push({ path: repoPath(walk, relative), realPath: entryPath, format, size });
}

async function visitSymlink(walk: Walk, linkPath: string, relative: string, ancestors: ReadonlySet<string>): Promise<void> {
  const target = await resolveLink(linkPath);
  if (target === undefined) {
    await visitDanglingSymlink(walk, linkPath, relative);
    return;
  }
  const stats = await stat(target);
  const wanted = stats.isDirectory() ? walk.recurse : stats.isFile() && (wantedFormat(walk, relative) !== undefined || isWantedJsonnet(walk, relative));
  if (!wanted) return;
  if (!isWithin(walk.source.realRoot, target)) {
    walk.errors.push(escapes(walk, relative));
    return;
  }
  if (stats.isDirectory()) {
    // A link back to a directory being walked would loop forever and adds nothing new.
    if (!ancestors.has(target)) await walkDirectory(walk, target, relative, new Set([...ancestors, target]));
    return;
  }
  if (isWantedJsonnet(walk, relative)) walk.jsonnet.push(repoPath(walk, relative));
  const format = wantedFormat(walk, relative);
  if (format !== undefined) walk.files.push({ path: repoPath(walk, relative), realPath: target, format, size: stats.size });
}

async function visitDanglingSymlink(walk: Walk, linkPath: string, relative: string): Promise<void> {
  if (wantedFormat(walk, relative) === undefined) return;
  const pointsTo = path.resolve(path.dirname(linkPath), await readlink(linkPath));
  if (!isWithin(walk.source.realRoot, pointsTo)) {
    walk.errors.push(escapes(walk, relative));
    return;
  }
  const file = repoPath(walk, relative);
  walk.errors.push({ code: 'PathNotFound', file, message: 'a symlink to a file that does not exist' });
}

/** A .jsonnet file (not a .libsonnet library) that passes include/exclude. */
function isWantedJsonnet(walk: Walk, relative: string): boolean {
  return relative.toLowerCase().endsWith('.jsonnet') && walk.accepts(relative);
}

function wantedFormat(walk: Walk, relative: string): ManifestFormat | undefined {
  const format = manifestFormatOf(relative);
  return format !== undefined && walk.accepts(relative) ? format : undefined;
}

async function resolveLink(linkPath: string): Promise<string | undefined> {
  try {
    return await realpath(linkPath);
  } catch (err) {
    if (isMissing(err) || errorCode(err) === 'ELOOP') return undefined;
    throw err;
  }
}

function repoPath(walk: Walk, relative: string): string {
  return walk.source.sourcePath === '.' ? relative : `${walk.source.sourcePath}/${relative}`;
}

function escapes(walk: Walk, relative: string): RenderError {
  const message = 'a symlink to a place outside the repository; it is not followed';
  return { code: 'PathEscapesRepository', file: repoPath(walk, relative), message };
}

/** Plain code-unit order: the same on every machine, whatever its locale. */
export const compareText = compareCodeUnits;
