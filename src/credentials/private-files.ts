/**
 * Runs `work` with files in a directory only this process's user can read (0700, files 0600),
 * removed afterwards however `work` ends (a git command killed at its deadline included).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function withPrivateFiles<T>(root: string, files: ReadonlyMap<string, string> | ((dir: string) => ReadonlyMap<string, string>), work: (dir: string) => Promise<T>): Promise<T> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(root, 'c-'));
  try {
    const contents = typeof files === 'function' ? files(dir) : files;
    for (const [name, content] of contents) await writeFile(join(dir, name), content, { mode: 0o600, flag: 'wx' });
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
