import { open } from 'node:fs/promises';
import { duplicateObjectErrors, type ObjectFromFile } from './duplicates.js';
import { jsonTexts } from './object-size.js';
import { listManifestFiles, type ManifestFile } from './files.js';
import { parseManifests } from './parse.js';
import { resolveSourceDirectory } from './paths.js';
import { decodeManifest } from './text.js';
import { MAX_RENDER_ERRORS, renderLimits, type DirectoryOptions, type RenderError, type RenderLimits, type RenderResult } from './types.js';

export interface RenderDirectoryOptions extends DirectoryOptions {
  /** Overrides of DEFAULT_RENDER_LIMITS. */
  limits?: Partial<RenderLimits>;
}

/**
 * Every object a directory source declares, in file order (files sorted by path), exactly as
 * written: no namespace defaulting, no labels. Any error fails the whole render, and the errors
 * found are reported at once (up to MAX_RENDER_ERRORS).
 */
export async function renderDirectory(repoRoot: string, sourcePath: string, options: RenderDirectoryOptions = {}): Promise<RenderResult> {
  const source = await readDirectorySource(repoRoot, sourcePath, options);
  if (!source.ok) return source;
  const texts = jsonTexts(source.declared, renderLimits(options.limits ?? {}).maxObjectBytes);
  if (!texts.ok) return texts;
  return { ok: true, objects: source.declared.map((d) => d.object), files: source.files };
}

/** The objects of a directory source with the file that declares each, or the errors found. */
export type DirectorySource = { ok: true; declared: ObjectFromFile[]; files: string[] } | { ok: false; errors: RenderError[] };

/** renderDirectory, before each object's size as JSON is checked. */
export async function readDirectorySource(repoRoot: string, sourcePath: string, options: RenderDirectoryOptions = {}): Promise<DirectorySource> {
  const limits = renderLimits(options.limits ?? {});
  const resolved = await resolveSourceDirectory(repoRoot, sourcePath);
  if (!resolved.ok) return { ok: false, errors: [resolved.error] };
  const source = resolved.source.sourcePath;
  const listing = await listManifestFiles(resolved.source, { ...options, maxEntries: limits.maxEntries });
  const tooBig = totalSizeError(listing.files, source, limits);
  // Nothing is read from a source that is too big as a whole.
  if (tooBig !== undefined) return { ok: false, errors: [...listing.errors, tooBig] };
  const parsed = await parseFiles(listing.files, limits);
  const errors = [...listing.errors, ...parsed.errors, ...duplicateObjectErrors(parsed.declared)];
  if (parsed.declared.length > limits.maxObjects) {
    const message = `the source declares more than the limit of ${limits.maxObjects} objects`;
    errors.push({ code: 'TooLarge', file: source, message });
  }
  if (errors.length > 0) return { ok: false, errors: errors.slice(0, MAX_RENDER_ERRORS) };
  return { ok: true, declared: parsed.declared, files: listing.files.map((f) => f.path) };
}

function totalSizeError(files: readonly ManifestFile[], sourcePath: string, limits: RenderLimits): RenderError | undefined {
  const total = files.reduce((sum, f) => sum + f.size, 0);
  if (total <= limits.maxManifestBytes) return undefined;
  const message = `the source's manifests add up to ${total} bytes, more than the limit of ${limits.maxManifestBytes}`;
  return { code: 'TooLarge', file: sourcePath, message };
}

interface ParsedFiles {
  declared: ObjectFromFile[];
  errors: RenderError[];
}

/** Reads and parses the files in order, stopping early once a limit is passed. */
async function parseFiles(files: readonly ManifestFile[], limits: RenderLimits): Promise<ParsedFiles> {
  const result: ParsedFiles = { declared: [], errors: [] };
  let expandedBytes = 0;
  for (const file of files) {
    if (result.errors.length >= MAX_RENDER_ERRORS) break;
    const bytes = await readBounded(file.realPath, limits.maxFileBytes);
    if (bytes === undefined) {
      const message = `the file is ${file.size} bytes or more, more than the limit of ${limits.maxFileBytes}`;
      result.errors.push({ code: 'TooLarge', file: file.path, message });
      continue;
    }
    const text = decodeManifest(bytes);
    if (!text.ok) {
      result.errors.push({ code: 'ParseError', file: file.path, message: text.message, ...(text.line === undefined ? {} : { line: text.line }) });
      continue;
    }
    const parsed = parseManifests(text.text, file.path, file.format, {
      maxExpandedBytes: limits.maxExpandedBytes - expandedBytes,
      maxObjects: limits.maxObjects - result.declared.length,
    });
    if (!parsed.ok) {
      result.errors.push(...parsed.errors);
      // An expansion past the total budget leaves none for the files after it.
      if (parsed.budgetSpent === true) break;
      continue;
    }
    expandedBytes += parsed.bytes;
    result.declared.push(...parsed.objects.map((object) => ({ object, file: file.path })));
    if (result.declared.length > limits.maxObjects) break;
  }
  return result;
}

/** The file's bytes, or undefined when it holds more than `max` (it may have grown since it was listed). */
async function readBounded(path: string, max: number): Promise<Uint8Array | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > max) return undefined;
    // One byte more than allowed tells a file that grew past the limit from one that is exactly at it.
    const buffer = Buffer.alloc(Math.min(size, max) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return length > max ? undefined : buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
