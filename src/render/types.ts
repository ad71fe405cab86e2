import type { KubeObject } from '../api/object.js';

/** How a directory source is read: `spec.source.directory` of an Application. */
export interface DirectoryOptions {
  /** Read subdirectories too (default false). */
  recurse?: boolean;
  /** Glob of files to read, relative to the source directory ('' = all). */
  include?: string;
  /** Glob of files to skip, relative to the source directory ('' = none). Wins over include. */
  exclude?: string;
}

export type RenderErrorCode =
  | 'PathNotFound'
  | 'PathEscapesRepository'
  | 'ParseError'
  | 'InvalidObject'
  | 'DuplicateObject'
  | 'TooLarge';

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

/** Bounds that keep one source from exhausting the controller's memory. */
export interface RenderLimits {
  /** Largest single manifest file, in bytes. */
  maxFileBytes: number;
  /** Most objects one source may declare. */
  maxObjects: number;
  /** Largest total size of all manifest files of one source, in bytes; also bounds YAML alias expansion. */
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({
  maxFileBytes: 8 * MiB,
  maxObjects: 10_000,
  maxTotalBytes: 64 * MiB,
});
