import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { lstat, readFile, readlink, realpath, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TempTrees } from '../testing/tools.js';
import { makeWorkingCopy } from './working-copy.js';

const trees = new TempTrees('capstan-working-copy-test');
afterAll(() => trees.remove());

/** `repo/` (with a .git) and `outside/` beside it; the copy goes to `copy/`. */
async function setup(): Promise<{ root: string; dest: string }> {
  const dir = await trees.make({
    'outside/secret.txt': 'secret',
    'repo/.git/HEAD': 'ref: refs/heads/main',
    'repo/.git/config': '[core]',
    'repo/app/deploy.yaml': 'kind: Deployment',
    'repo/app/.gitignore': 'x',
    'repo/app/.git/not-the-repository': 'kept: only the root .git is the repository',
    'repo/common/values.yaml': 'a: 1',
    'repo/app/values.yaml': { symlink: '../common/values.yaml' },
    'repo/app/common': { symlink: '../common' },
    'repo/app/secret.txt': { symlink: '../../outside/secret.txt' },
    'repo/app/outside': { symlink: '../../outside' },
    'repo/app/absolute': { symlink: '/etc' },
    'repo/app/dangling': { symlink: 'no-such-file' },
  });
  return { root: path.join(dir, 'repo'), dest: path.join(dir, 'copy') };
}

describe('makeWorkingCopy', () => {
  it('copies the tree without .git, keeping symlinks that stay inside and dropping those that lead out', async () => {
    const { root, dest } = await setup();
    const copy = await makeWorkingCopy(root, dest, { maxEntries: 100 });
    expect(copy.ok).toBe(true);
    if (!copy.ok) return;
    expect(copy.root).toBe(dest);
    expect(copy.skippedLinks.sort()).toEqual(['app/absolute', 'app/dangling', 'app/outside', 'app/secret.txt']);
    expect(existsSync(path.join(dest, '.git'))).toBe(false);
    expect(await readFile(path.join(dest, 'app/deploy.yaml'), 'utf8')).toBe('kind: Deployment');
    expect(await readFile(path.join(dest, 'app/.gitignore'), 'utf8')).toBe('x');
    expect(existsSync(path.join(dest, 'app/.git/not-the-repository'))).toBe(true);
    // In-repository links stay links, relative as they were, and lead into the copy.
    expect((await lstat(path.join(dest, 'app/values.yaml'))).isSymbolicLink()).toBe(true);
    expect(await readlink(path.join(dest, 'app/values.yaml'))).toBe('../common/values.yaml');
    expect(await realpath(path.join(dest, 'app/common'))).toBe(await realpath(path.join(dest, 'common')));
    for (const name of ['secret.txt', 'outside', 'absolute', 'dangling']) expect(existsSync(path.join(dest, 'app', name))).toBe(false);
  });

  it('leaves the tree it copied as it was', async () => {
    const { root, dest } = await setup();
    const copy = await makeWorkingCopy(root, dest, { maxEntries: 100 });
    if (!copy.ok) throw new Error(copy.message);
    await writeFile(path.join(dest, 'app/deploy.yaml'), 'changed');
    expect(await readFile(path.join(root, 'app/deploy.yaml'), 'utf8')).toBe('kind: Deployment');
  });

  it('refuses a tree of more than maxEntries files and directories', async () => {
    const { root, dest } = await setup();
    expect(await makeWorkingCopy(root, dest, { maxEntries: 3 })).toEqual({ ok: false, message: 'the repository holds more than the limit of 3 files and directories' });
  });

  it('copies a root reached through a symlink', async () => {
    const { root, dest } = await setup();
    const linked = path.join(path.dirname(root), 'linked');
    await symlink(root, linked);
    const copy = await makeWorkingCopy(linked, dest, { maxEntries: 100 });
    expect(copy).toMatchObject({ ok: true, root: dest });
    expect(await readFile(path.join(dest, 'app/deploy.yaml'), 'utf8')).toBe('kind: Deployment');
  });
});
