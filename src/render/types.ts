import type { JsonnetOptions } from '../api/application.js';
import type { KubeObject } from '../api/object.js';

/** How a directory source is read: `spec.source.directory` of an Application. */
export interface DirectoryOptions {
  /** Read subdirectories too (default false). */
  recurse?: boolean;
  /** Glob of files to read, relative to the source directory ('' = all). */
  include?: string;
  /** Glob of files to skip, relative to the source directory ('' = none). Wins over include. */
  exclude?: string;
  /** Options of the .jsonnet files of the directory. */
  jsonnet?: JsonnetOptions;
}

export type RenderErrorCode =
  | 'PathNotFound'
  | 'PathEscapesRepository'
  | 'ParseError'
  | 'InvalidObject'
  | 'DuplicateObject'
  | 'TooLarge'
  | 'TimedOut'
  /** A render tool (kustomize, helm, jsonnet, a plugin) failed: the message names it, its exit code and what it said. */
  | 'ToolFailed'
  /** The render tool a source needs is not installed. */
  | 'ToolMissing'
  /** The source refers to something Capstan does not fetch (a remote Kustomize base without --kustomize-allow-remote). */
  | 'RemoteRefused'
  /** An option of the source is wrong (a malformed image override, a values file that is not YAML). */
  | 'InvalidOption';

export interface RenderError {
  code: RenderErrorCode;
  /** The file at fault, relative to the repository root with '/' separators (the source path for errors of the whole source). */
  file: string;
  /** What is wrong, for a person. It does not repeat `file` or `line`: show it as `file:line: message`. */
  message: string;
  /** 1-based line, for syntax errors. */
  line?: number;
  /** 1-based index of the document in a multi-document YAML file, or of the element of a JSON array. */
  document?: number;
}

/** Either every object the source declares, or every error found: never a partial list. */
export type RenderResult = { ok: true; objects: KubeObject[]; files: string[] } | { ok: false; errors: RenderError[] };

/** Bounds that keep one source from exhausting the controller's memory or time. */
export interface RenderLimits {
  /** Largest total size of all manifest files of one source, in bytes, as they are on disk. */
  maxManifestBytes: number;
  /** Largest single manifest file, in bytes. */
  maxFileBytes: number;
  /**
   * Most memory the source's objects may take once read, in bytes as cost.ts counts them (64 a
   * mapping or list, 16 plus the length a scalar, 32 plus the length a key), with every YAML
   * alias expanded wherever it is used.
   */
  maxExpandedBytes: number;
  /**
   * Largest single object, in bytes of its JSON text: the API server takes no request larger
   * than 3 MiB, so a larger object could never be applied.
   */
  maxObjectBytes: number;
  /** Most objects one source may declare. */
  maxObjects: number;
  /** Most files and directories one source may hold (every entry the walk meets counts). */
  maxEntries: number;
}

const MiB = 1024 * 1024;

/** The default bound on a source's manifests: 10 MiB, as Argo CD's repo server has it. */
export const DEFAULT_MAX_MANIFEST_BYTES = 10 * MiB;

/**
 * Real manifests take 1 to 5 times their size on disk once read (flow style with many short
 * scalars takes the most); this is how much more the expansion may take than the manifest bound.
 */
export const EXPANSION_FACTOR = 6;

export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze(renderLimits({}));

/**
 * Complete limits from a partial set: what is not given is the default, and the file and
 * expansion bounds follow the manifest bound unless given themselves.
 */
export function renderLimits(partial: Partial<RenderLimits>): RenderLimits {
  const maxManifestBytes = partial.maxManifestBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  return {
    maxManifestBytes,
    maxFileBytes: partial.maxFileBytes ?? maxManifestBytes,
    maxExpandedBytes: partial.maxExpandedBytes ?? EXPANSION_FACTOR * maxManifestBytes,
    maxObjectBytes: partial.maxObjectBytes ?? 3 * MiB,
    maxObjects: partial.maxObjects ?? 10_000,
    maxEntries: partial.maxEntries ?? 20_000,
  };
}

/** Most errors one render reports; it stops looking once it has found this many. */
export const MAX_RENDER_ERRORS = 100;
