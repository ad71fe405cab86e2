/** Where the tree `capstan render` renders is: the repository root, the source path in it, and how to show its files. */
import { execFile } from 'node:child_process';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseRepoUrl } from '../../git/repo-url.js';

const run = promisify(execFile);

export interface LocatedTree {
  /** The repository root, real and absolute. */
  readonly repoRoot: string;
  /** The source directory, relative to the repository root ('.' or 'a/b'); for -f, the app's own path. */
  readonly sourcePath: string;
  /** How render errors show a file of the repository: as the person running the command would write it. */
  readonly display: FileDisplay;
  /** The commit checked out there ('' when it is not a git work tree). */
  readonly revision: string;
  /** The root is the git work tree PATH is in (not given, not PATH itself). */
  readonly fromGit?: boolean;
}

/** A repository file `f` is shown as `base` joined with `f` relative to `from` (PATH as given, and its path in the repository). */
export interface FileDisplay {
  readonly base: string;
  readonly from: string;
}

/** A file of the repository (a '/' path from its root) as `display` shows it. */
export function displayPath(display: FileDisplay, file: string): string {
  return path.join(display.base, path.posix.relative(display.from, file));
}

export type Located = ({ readonly ok: true } & LocatedTree) | { readonly ok: false; readonly message: string };

/** git's answer in `cwd`, trimmed; undefined when git fails (not a work tree, not installed). */
async function git(cwd: string, args: readonly string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', [...args], { cwd, timeout: 10_000, encoding: 'utf8' });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

async function directory(given: string, what: string): Promise<{ ok: true; real: string } | { ok: false; message: string }> {
  const real = await realpath(given).catch(() => undefined);
  if (real === undefined) return { ok: false, message: `${given}: ${what} does not exist` };
  if (!(await stat(real)).isDirectory()) return { ok: false, message: `${given}: ${what} is not a directory` };
  return { ok: true, real };
}

function inside(root: string, dir: string): string | undefined {
  const relative = path.relative(root, dir);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return undefined;
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

async function revisionOf(root: string): Promise<string> {
  return (await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD'])) ?? '';
}

/**
 * `capstan render PATH`: with --repo-root, PATH is relative to it (or absolute inside it);
 * without, the repository root is the git work tree PATH is in, else PATH itself.
 */
export async function locatePath(given: string, repoRootFlag: string | undefined): Promise<Located> {
  if (repoRootFlag !== undefined) {
    const root = await directory(repoRootFlag, 'the repository root');
    if (!root.ok) return root;
    let sourcePath = given;
    if (path.isAbsolute(given)) {
      const dir = await directory(given, 'the directory');
      if (!dir.ok) return dir;
      const relative = inside(root.real, dir.real);
      if (relative === undefined) return { ok: false, message: `${given}: not inside the repository root ${repoRootFlag}` };
      sourcePath = relative;
    }
    return { ok: true, repoRoot: root.real, sourcePath, display: { base: repoRootFlag, from: '.' }, revision: await revisionOf(root.real) };
  }
  const dir = await directory(given, 'the directory');
  if (!dir.ok) return dir;
  const top = await git(dir.real, ['rev-parse', '--show-toplevel']);
  const realTop = top === undefined || top === '' ? undefined : await realpath(top).catch(() => undefined);
  const sourcePath = realTop === undefined ? undefined : inside(realTop, dir.real);
  if (realTop === undefined || sourcePath === undefined) return { ok: true, repoRoot: dir.real, sourcePath: '.', display: { base: given, from: '.' }, revision: '' };
  // Files are shown from PATH as given, so they read as from where the command ran.
  return { ok: true, repoRoot: realTop, sourcePath, display: { base: given, from: sourcePath }, revision: await revisionOf(realTop), fromGit: true };
}

/** The directory of a local repoURL (a path or file:// URL), or undefined for a remote one. */
export function localRepoDir(repoURL: string): string | undefined {
  const parsed = parseRepoUrl(repoURL, { allowLocal: true });
  if (!parsed.ok || parsed.repo.transport !== 'local') return undefined;
  const { remote } = parsed.repo;
  if (!remote.startsWith('file://')) return remote;
  try {
    return fileURLToPath(remote);
  } catch {
    return remote.slice('file://'.length);
  }
}

/** How messages name a source of the Application file, and the flag that gives a checkout of its repository. */
export interface SourceNames {
  /** spec.source, or spec.sources[i]. */
  readonly at: string;
  /** --repo-root DIR, or --source-root i=DIR. */
  readonly flag: string;
}

/**
 * `capstan render -f`: the checkout of a source's repository, the one given (--repo-root,
 * --source-root) or the repoURL when it is a local work tree (never cloned: the tree is
 * rendered as it is, at whatever it has checked out).
 */
export async function locateRepository(repoURL: string, sourcePath: string, given: string | undefined, names: SourceNames = { at: 'spec.source', flag: '--repo-root DIR' }): Promise<Located> {
  const local = given ?? localRepoDir(repoURL);
  if (local === undefined) return { ok: false, message: `${names.at}.repoURL ${repoURL} is not a local repository: pass ${names.flag}, a checkout of it (capstan render does not clone)` };
  const root = await directory(local, 'the repository');
  if (!root.ok) return root;
  if ((await git(root.real, ['rev-parse', '--is-bare-repository'])) === 'true') {
    return { ok: false, message: `${local}: a bare repository has no files to render; pass ${names.flag}, a checkout of it` };
  }
  return { ok: true, repoRoot: root.real, sourcePath, display: { base: local, from: '.' }, revision: await revisionOf(root.real) };
}
