import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SourceType } from '../api/application.js';
import type { KubeObject } from '../api/object.js';
import { readDirectorySource, type RenderDirectoryOptions } from './directory.js';
import { parseToolDocuments } from './documents.js';
import { jsonTexts } from './object-size.js';
import type { ToolDocument } from './tools/outputs.js';
import { renderLimits, type DirectoryOptions, type RenderError } from './types.js';

/**
 * A render as the controller keeps and passes it: each object as its JSON text. Text is what
 * crosses from the render worker cheaply (no object graph to rebuild in one go), takes a known
 * amount of memory in the render cache, and cannot be changed by any reader: each reconcile
 * parses objects of its own (parseRenderedObjects).
 */
export type SerializedRender =
  | { readonly ok: true; readonly objects: readonly string[]; readonly files: readonly string[]; readonly sourceType?: SourceType }
  | { readonly ok: false; readonly errors: readonly RenderError[]; readonly sourceType?: SourceType };

/** What to render: a directory source in a checked-out tree. */
export interface DirectoryRequest {
  readonly kind?: 'directory';
  readonly repoRoot: string;
  readonly sourcePath: string;
  readonly directory: DirectoryOptions;
}

/** What render tools wrote, to be read into objects. */
export interface DocumentsRequest {
  readonly kind: 'documents';
  readonly sourcePath: string;
  readonly documents: readonly ToolDocument[];
  /** The manifest files of a directory to read beside them (a directory source with .jsonnet files). */
  readonly directory?: Omit<DirectoryRequest, 'kind'>;
}

export type RenderRequest = DirectoryRequest | DocumentsRequest;

/** Renders sources: in a worker thread (RenderPool), or in this thread (inProcessRenderer). */
export interface SourceRenderer {
  render(request: RenderRequest): Promise<SerializedRender>;
  /** Stops any worker; renders asked for after this fail. */
  close(): Promise<void>;
}

/** renderDirectory, with each object as JSON text; or the objects of tool output. */
export async function renderSerialized(request: RenderRequest, options: Pick<RenderDirectoryOptions, 'limits'> = {}): Promise<SerializedRender> {
  if (request.kind === 'documents') {
    if (request.directory === undefined) return parseToolDocuments(request.documents, request.sourcePath, options.limits ?? {});
    const files = await readDirectorySource(request.directory.repoRoot, request.directory.sourcePath, { ...request.directory.directory, ...options });
    if (!files.ok) return { ok: false, errors: files.errors };
    return parseToolDocuments(request.documents, request.sourcePath, options.limits ?? {}, files.declared);
  }
  const source = await readDirectorySource(request.repoRoot, request.sourcePath, { ...request.directory, ...options });
  if (!source.ok) return { ok: false, errors: source.errors };
  const texts = jsonTexts(source.declared, renderLimits(options.limits ?? {}).maxObjectBytes);
  if (!texts.ok) return texts;
  return { ok: true, objects: texts.texts, files: source.files };
}

/** Renders in the calling thread: for the CLI and unit tests, where nothing else shares the thread. */
export function inProcessRenderer(options: Pick<RenderDirectoryOptions, 'limits'> = {}): SourceRenderer {
  return {
    render: (request) => renderSerialized(request, options),
    close: () => Promise.resolve(),
  };
}

/** Longest stretch spent parsing before other work gets a turn, in milliseconds. */
const SLICE_MS = 10;

/**
 * The objects of a render, each parsed afresh (the caller owns them and may change them).
 * Parsing yields to other work every few milliseconds, so a large render never holds the
 * thread for long.
 */
export async function parseRenderedObjects(objects: readonly string[]): Promise<KubeObject[]> {
  const parsed: KubeObject[] = [];
  let sliceStart = performance.now();
  for (const text of objects) {
    parsed.push(JSON.parse(text) as KubeObject);
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return parsed;
}
