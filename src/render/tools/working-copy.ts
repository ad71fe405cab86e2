import { cp, lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isWithin } from '../paths.js';

export interface WorkingCopyOptions {
  /** Most files and directories copied; a larger tree is refused (the render limit maxEntries). */
  readonly maxEntries: number;
}

export type WorkingCopy = { ok: true; root: string; skippedLinks: string[] } | { ok: false; message: string };

class TooManyEntries extends Error {}

/**
 * Copies a checked-out tree into `dest` for one render, so that a tool can write (kustomize
 * edit, helm dependency build) without touching the tree other apps share. `.git` is left out.
 * A symlink that leads outside the repository is not copied: whatever refers to it finds
 * nothing there, so no tool can read a file of the controller's through the repository.
 */
export async function makeWorkingCopy(repoRoot: string, dest: string, options: WorkingCopyOptions): Promise<WorkingCopy> {
  const realRoot = await realpath(repoRoot);
  const skippedLinks: string[] = [];
  let entries = 0;
  try {
    await cp(realRoot, dest, {
      recursive: true,
      verbatimSymlinks: true,
      errorOnExist: true,
      filter: async (source) => {
        if (source === realRoot) return true;
        if (path.basename(source) === '.git' && path.dirname(source) === realRoot) return false;
        entries += 1;
        if (entries > options.maxEntries) throw new TooManyEntries();
        const stats = await lstat(source);
        if (!stats.isSymbolicLink()) return stats.isFile() || stats.isDirectory();
        const target = await realpath(source).catch(() => undefined);
        if (target !== undefined && isWithin(realRoot, target)) return true;
        skippedLinks.push(path.relative(realRoot, source).split(path.sep).join('/'));
        return false;
      },
    });
  } catch (err) {
    if (err instanceof TooManyEntries) return { ok: false, message: `the repository holds more than the limit of ${options.maxEntries} files and directories` };
    throw err;
  }
  return { ok: true, root: dest, skippedLinks };
}
