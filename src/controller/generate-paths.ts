import path from 'node:path';
import picomatch from 'picomatch';
import { isMultiSource, primarySource, type Application } from '../api/application.js';
import { manifestGeneratePathsAnnotations } from '../api/annotations.js';

/**
 * The repository paths an app's manifests are generated from, by its manifest-generate-paths
 * annotation (as Argo CD reads it): `;`-separated, each relative to the source path ('.' is the
 * source path itself), or to the repository root when it starts with '/'; a glob matches too.
 * Undefined when the app has no such annotation (every commit renders anew).
 */
export function manifestGeneratePaths(app: Application): string[] | undefined {
  const annotations = app.metadata.annotations ?? {};
  const value = manifestGeneratePathsAnnotations.map((k) => annotations[k]).find((v) => v !== undefined);
  // Several sources: a commit to any of them may change the render; each render is kept by its own key instead.
  if (value === undefined || isMultiSource(app.spec)) return undefined;
  const sourcePath = primarySource(app.spec).path ?? '.';
  const paths = value.split(';').map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    const joined = p.startsWith('/') ? p.slice(1) : path.posix.join(sourcePath, p);
    return path.posix.normalize(joined === '' ? '.' : joined).replace(/\/+$/, '');
  });
  return paths.length === 0 ? undefined : paths;
}

/** Does any changed file (repository-relative) lie under, or match, one of `paths`? */
export function touchesGeneratePaths(changed: readonly string[], paths: readonly string[]): boolean {
  return paths.some((p) => {
    if (p === '.' || p === '') return changed.length > 0;
    const glob = picomatch.scan(p).isGlob ? picomatch(p, { dot: true }) : undefined;
    return changed.some((file) => file === p || file.startsWith(`${p}/`) || (glob?.(file) ?? false));
  });
}
