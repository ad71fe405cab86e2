import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isWithin } from '../paths.js';
import type { RenderError } from '../types.js';

export type RepoFile = { ok: true; path: string } | { ok: 'missing' } | { ok: false; error: RenderError };

/**
 * A file an option names (a values file, a --set-file parameter), resolved against `baseDir`
 * in the repository checkout `repoRoot`, and refused when it, or a symlink on the way, leads
 * outside the repository (Argo CD's CVE-2022-24348). A name starting with '/' is relative to the
 * repository root, as in Argo CD. Returns its path relative to the root.
 */
export async function resolveRepoFile(repoRoot: string, baseDir: string, name: string, field: string): Promise<RepoFile> {
  const refuse = (why: string): RepoFile => ({ ok: false, error: { code: 'PathEscapesRepository', file: baseDir, message: `${field} "${name}" ${why}` } });
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(name)) return { ok: false, error: { code: 'InvalidOption', file: baseDir, message: `${field} "${name}" is a URL; only files of the repository are read` } };
  const realRoot = await realpath(repoRoot);
  const target = path.isAbsolute(name) ? path.join(realRoot, name) : path.resolve(realRoot, baseDir, name);
  if (!isWithin(realRoot, target)) return refuse('is outside the repository');
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    return { ok: 'missing' };
  }
  if (!isWithin(realRoot, real)) return refuse('leads through a symlink to a place outside the repository');
  if (!(await stat(real)).isFile()) return { ok: false, error: { code: 'InvalidOption', file: path.posix.join(baseDir, name), message: `${field} "${name}" is not a file` } };
  return { ok: true, path: path.relative(realRoot, real).split(path.sep).join('/') };
}
