import { afterAll, describe, expect, it } from '@jest/globals';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { TempTrees, writeTree } from '../testing/tools.js';
import { resolveRepoFile } from './value-files.js';

const trees = new TempTrees('capstan-value-files-test');
afterAll(() => trees.remove());

/** `repo/` with a chart in `repo/chart`, and `outside/secret.yaml` beside it. */
async function repo(): Promise<string> {
  const dir = await trees.make({ 'outside/secret.yaml': 'password: x' });
  const root = path.join(dir, 'repo');
  await writeTree(root, {
    'chart/Chart.yaml': 'name: c',
    'chart/values-prod.yaml': 'a: 1',
    'chart/env/dev.yaml': 'a: 2',
    'common/values.yaml': 'b: 1',
    'chart/inside-link.yaml': { symlink: '../common/values.yaml' },
    'chart/outside-link.yaml': { symlink: '../../outside/secret.yaml' },
    'chart/dir-link': { symlink: '../../outside' },
  });
  return root;
}

describe('resolveRepoFile', () => {
  it('resolves a file relative to the chart, as a path relative to the root', async () => {
    const root = await repo();
    expect(await resolveRepoFile(root, 'chart', 'values-prod.yaml', 'valueFiles')).toEqual({ ok: true, path: 'chart/values-prod.yaml' });
    expect(await resolveRepoFile(root, 'chart', './env/../env/dev.yaml', 'valueFiles')).toEqual({ ok: true, path: 'chart/env/dev.yaml' });
    expect(await resolveRepoFile(root, 'chart', '../common/values.yaml', 'valueFiles')).toEqual({ ok: true, path: 'common/values.yaml' });
  });

  it('resolves a name starting with / from the repository root, as Argo CD does', async () => {
    const root = await repo();
    expect(await resolveRepoFile(root, 'chart', '/common/values.yaml', 'valueFiles')).toEqual({ ok: true, path: 'common/values.yaml' });
    expect(await resolveRepoFile(root, 'chart', '/../outside/secret.yaml', 'valueFiles')).toMatchObject({ ok: false, error: { code: 'PathEscapesRepository' } });
  });

  it('follows a symlink that stays in the repository to the file it names', async () => {
    expect(await resolveRepoFile(await repo(), 'chart', 'inside-link.yaml', 'valueFiles')).toEqual({ ok: true, path: 'common/values.yaml' });
  });

  it.each(['https://example.com/values.yaml', 'http://x/v.yaml', 's3://bucket/v.yaml', 'file:///etc/passwd'])('refuses the URL %s', async (name) => {
    expect(await resolveRepoFile(await repo(), 'chart', name, 'valueFiles')).toEqual({
      ok: false, error: { code: 'InvalidOption', file: 'chart', message: `valueFiles "${name}" is a URL; only files of the repository are read` },
    });
  });

  it('says a file that is not there is missing', async () => {
    expect(await resolveRepoFile(await repo(), 'chart', 'values-nope.yaml', 'valueFiles')).toEqual({ ok: 'missing' });
  });

  it.each(['../../outside/secret.yaml', '../../../etc/passwd', '/../../etc/passwd'])('refuses %s, a path out of the repository, before looking at it', async (name) => {
    expect(await resolveRepoFile(await repo(), 'chart', name, 'fileParameters cfg')).toEqual({
      ok: false, error: { code: 'PathEscapesRepository', file: 'chart', message: `fileParameters cfg "${name}" is outside the repository` },
    });
  });

  it.each(['outside-link.yaml', 'dir-link/secret.yaml'])('refuses %s, which leads through a symlink out of the repository', async (name) => {
    expect(await resolveRepoFile(await repo(), 'chart', name, 'valueFiles')).toEqual({
      ok: false, error: { code: 'PathEscapesRepository', file: 'chart', message: `valueFiles "${name}" leads through a symlink to a place outside the repository` },
    });
  });

  it('refuses a directory', async () => {
    expect(await resolveRepoFile(await repo(), 'chart', 'env', 'valueFiles')).toEqual({
      ok: false, error: { code: 'InvalidOption', file: 'chart/env', message: 'valueFiles "env" is not a file' },
    });
  });

  it('judges by the real root when the root is reached through a symlink', async () => {
    const root = await repo();
    const linked = path.join(path.dirname(root), 'linked');
    await symlink(root, linked);
    expect(await resolveRepoFile(linked, 'chart', 'values-prod.yaml', 'valueFiles')).toEqual({ ok: true, path: 'chart/values-prod.yaml' });
    expect(await resolveRepoFile(linked, 'chart', 'outside-link.yaml', 'valueFiles')).toMatchObject({ ok: false, error: { code: 'PathEscapesRepository' } });
  });
});
