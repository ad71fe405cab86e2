import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { isMissing, isWithin } from '../paths.js';

/**
 * The imports in `jsonnet-deps` output (one absolute path a line, every symlink resolved) that
 * lie outside `realRoot`, resolved again here. A line that is not an absolute path (a file
 * name holding a line break) counts as outside: what it names cannot be told.
 */
export async function importsOutside(depsOutput: string, realRoot: string): Promise<string[]> {
  const lines = depsOutput.split('\n').filter((line) => line !== '');
  const checked = await Promise.all(lines.map(async (line) => ((await isInside(line, realRoot)) ? undefined : line)));
  return checked.filter((line): line is string => line !== undefined);
}

async function isInside(dependency: string, realRoot: string): Promise<boolean> {
  if (!path.isAbsolute(dependency)) return false;
  return isWithin(realRoot, await realPathOf(dependency, realRoot)) && isWithin(realRoot, path.resolve(dependency));
}

/** The search directories (relative to the repository root) that resolve to a place outside it. */
export async function searchPathsOutside(searchPaths: readonly string[], realRoot: string): Promise<string[]> {
  const checked = await Promise.all(searchPaths.map(async (dir) => {
    const real = await realpath(path.join(realRoot, dir)).catch((err: unknown) => {
      // A library directory that is not there is no error, as in Argo CD: nothing is found in it.
      if (isMissing(err)) return undefined;
      throw err;
    });
    return real === undefined || isWithin(realRoot, real) ? undefined : dir;
  }));
  return checked.filter((dir): dir is string => dir !== undefined);
}

/**
 * Where a failed jsonnet-deps run says its error is, when it is in a file it imported:
 * "RUNTIME ERROR: ../outside/secret:1:1-14 Unknown variable: hunter2" gives
 * ['../outside/secret'] (relative to the working directory). A file name may hold what looks
 * like a location ("a:1:1 b"), so every way to read it is given: the file is one of them.
 * `said` is what it wrote to stderr. undefined for an error of the file checked itself or an
 * import not found (they quote only the file checked and the import's path); [] when the error
 * has no location to tell.
 */
export function importedErrorFiles(said: string): string[] | undefined {
  const runtime = /^RUNTIME ERROR: /.exec(said);
  if (runtime === null) return undefined;
  const rest = said.slice(runtime[0].length);
  if (rest.startsWith("couldn't open import ")) return undefined;
  const files: string[] = [];
  for (let at = rest.indexOf(':', 1); at !== -1; at = rest.indexOf(':', at + 1)) {
    if (/^:(?:\d+:\d+(?:-\d+)?|\(\d+:\d+\)-\(\d+:\d+\)) /.test(rest.slice(at, at + 64))) files.push(rest.slice(0, at));
  }
  return files;
}

/** `file` (relative to `cwd`, or absolute) with every symlink resolved; as it is when it does not exist. */
export async function realPathOf(file: string, cwd: string): Promise<string> {
  const absolute = path.resolve(cwd, file);
  return realpath(absolute).catch((err: unknown) => {
    if (isMissing(err)) return absolute;
    throw err;
  });
}
