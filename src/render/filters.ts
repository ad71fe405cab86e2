import picomatch from 'picomatch';
import type { ManifestFormat } from './parse.js';

/** The format of a manifest file by its extension (any case), or undefined for files that are not read. */
export function manifestFormatOf(fileName: string): ManifestFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

export function isHidden(name: string): boolean {
  return name.startsWith('.');
}

export interface FileFilterOptions {
  include?: string;
  exclude?: string;
}

/** Tests a path relative to the source directory ('/' separators). */
export type FileFilter = (relativePath: string) => boolean;

/** Include and exclude globs; an empty pattern filters nothing, and exclude wins over include. */
export function fileFilter(options: FileFilterOptions): FileFilter {
  const include = globMatcher(options.include);
  const exclude = globMatcher(options.exclude);
  return (relativePath) => (include === undefined || include(relativePath)) && !(exclude?.(relativePath) ?? false);
}

function globMatcher(pattern: string | undefined): FileFilter | undefined {
  if (pattern === undefined || pattern === '') return undefined;
  const matches = picomatch(pattern, { dot: true });
  // A pattern without '/' also names files in subdirectories: 'secret.yaml' matches every secret.yaml.
  const alsoBaseName = !pattern.includes('/');
  return (relativePath) => {
    if (matches(relativePath)) return true;
    if (!alsoBaseName) return false;
    const slash = relativePath.lastIndexOf('/');
    return slash >= 0 && matches(relativePath.slice(slash + 1));
  };
}
