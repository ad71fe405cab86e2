import { afterAll, describe, expect, it } from '@jest/globals';
import { symlink } from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { TempTrees, writeTree, type TreeEntry } from '../testing/tools.js';
import { checkKustomizeReferences, findKustomization, isRemoteReference, referencedPaths } from './references.js';

const trees = new TempTrees('capstan-references-test');
afterAll(() => trees.remove());

const cm = yaml.dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
const k = (body: Record<string, unknown>): string => yaml.dump(body);

/** A tree with `repo/` (the repository) and `outside/` beside it; returns the repository root. */
async function repo(files: Record<string, TreeEntry>): Promise<string> {
  const dir = await trees.make({ 'outside/kustomization.yaml': k({ resources: ['secret.yaml'] }), 'outside/secret.yaml': cm, 'outside/file.txt': 'secret' });
  const root = path.join(dir, 'repo');
  await writeTree(root, files);
  return root;
}

const check = (root: string, source: string, allowRemote = false): ReturnType<typeof checkKustomizeReferences> =>
  checkKustomizeReferences(root, path.join(root, source), { allowRemote });

describe('isRemoteReference', () => {
  it.each([
    'https://github.com/x/y//base?ref=v1',
    'http://example.com/base',
    'HTTPS://example.com/x.yaml',
    // kustomize strips git:: and clones what follows.
    'git::https://github.com/x/y',
    'ssh://git@github.com/x/y.git',
    'file:///srv/repo',
    'github.com/x/y/base',
    'GitHub.com/x/y',
    // scp-like, with the colon or (kustomize takes this too) a slash after the host.
    'github.com:x/y',
    'git@github.com:x/y.git',
    'git@example.com/x/y.git',
    'gitlab.com/x/y',
    'bitbucket.org/x/y',
    'base?ref=v1',
    'repo.git//base',
  ])('takes %s for remote', (ref) => {
    expect(isRemoteReference(ref)).toBe(true);
  });

  it.each(['../base', 'base', 'deploy.yaml', './a/b', '/abs/path', 'github.com.yaml', 'github.company/x', 'user@host', 'a@b.yaml'])('takes %s for local', (ref) => {
    expect(isRemoteReference(ref)).toBe(false);
  });
});

describe('referencedPaths', () => {
  it('lists directories or files, and files, from every field that names one', () => {
    const refs = referencedPaths({
      resources: ['a', 'b.yaml', 7], bases: ['base'], components: ['../c'],
      crds: ['crd.yaml'], configurations: ['conf.yaml'],
      patchesStrategicMerge: ['psm.yaml', 'apiVersion: v1\nkind: ConfigMap\n'],
      patches: [{ path: 'p.yaml' }, { patch: 'inline' }], patchesJson6902: [{ path: 'j.yaml' }], replacements: [{ path: 'r.yaml' }],
      configMapGenerator: [{ files: ['key=cm/file.txt', 'plain.txt'], envs: ['cm.env'], env: 'old.env' }],
      secretGenerator: [{ files: ['k=../../secret'] }],
      generators: ['gen.yaml', 'kind: X\napiVersion: v1\n'], transformers: ['t.yaml'], validators: ['v.yaml'],
      openapi: { path: 'schema.json' }, helmGlobals: { chartHome: 'charts' },
    });
    expect(refs.dirsOrFiles).toEqual(['a', 'b.yaml', 'base', '../c']);
    expect(refs.files.sort()).toEqual(['../../secret', 'charts', 'cm.env', 'cm/file.txt', 'conf.yaml', 'crd.yaml', 'gen.yaml', 'j.yaml', 'old.env', 'p.yaml', 'plain.txt', 'psm.yaml', 'r.yaml', 'schema.json', 't.yaml', 'v.yaml']);
  });

  it('finds nothing in a kustomization without references', () => {
    expect(referencedPaths({ namePrefix: 'x-' })).toEqual({ dirsOrFiles: [], files: [] });
  });
});

describe('findKustomization', () => {
  it.each(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])('finds %s', async (name) => {
    const dir = await trees.make({ [name]: k({}) });
    expect(await findKustomization(dir)).toBe(path.join(dir, name));
  });

  it('finds nothing in a directory without one, or where the name is a directory', async () => {
    expect(await findKustomization(await trees.make({ 'a.yaml': cm }))).toBeUndefined();
    expect(await findKustomization(await trees.make({ 'kustomization.yaml/x': cm }))).toBeUndefined();
  });
});

describe('checkKustomizeReferences', () => {
  it('accepts an overlay whose bases, components, patches and generator files are in the repository', async () => {
    const root = await repo({
      'base/kustomization.yaml': k({ resources: ['cm.yaml'] }), 'base/cm.yaml': cm,
      'components/c/kustomization.yaml': k({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component' }),
      'overlays/prod/kustomization.yaml': k({ resources: ['../../base'], components: ['../../components/c'], patches: [{ path: 'p.yaml' }], configMapGenerator: [{ name: 'g', files: ['key=data.txt'] }] }),
      'overlays/prod/p.yaml': cm, 'overlays/prod/data.txt': 'x',
    });
    expect(await check(root, 'overlays/prod')).toEqual([]);
  });

  it('refuses a resource outside the repository, naming the kustomization', async () => {
    const root = await repo({ 'app/a/b/kustomization.yaml': k({ resources: ['../../../../outside'] }) });
    expect(await check(root, 'app/a/b')).toEqual([{ code: 'PathEscapesRepository', file: 'app/a/b/kustomization.yaml', message: 'refers to "../../../../outside", which is outside the repository' }]);
  });

  it('refuses a reference out of the repository found in a base it follows', async () => {
    const root = await repo({
      'base/kustomization.yaml': k({ resources: ['../../outside/secret.yaml'] }),
      'overlay/kustomization.yaml': k({ resources: ['../base'] }),
    });
    expect(await check(root, 'overlay')).toEqual([expect.objectContaining({ code: 'PathEscapesRepository', file: 'base/kustomization.yaml' })]);
  });

  it('refuses a base that is a symlink leading out of the repository', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ resources: ['base'] }), 'app/base': { symlink: '../../outside' } });
    expect(await check(root, 'app')).toEqual([expect.objectContaining({ code: 'PathEscapesRepository', message: 'refers to "base", which is outside the repository' })]);
  });

  it('refuses a generator file given as key=path outside the repository', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ secretGenerator: [{ name: 's', files: ['token=../../outside/file.txt'] }] }) });
    expect(await check(root, 'app')).toEqual([expect.objectContaining({ code: 'PathEscapesRepository', message: 'refers to "../../outside/file.txt", which is outside the repository' })]);
  });

  it('refuses a generator file that is an in-repository symlink leading out', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ configMapGenerator: [{ name: 'c', files: ['key=data.txt'] }] }), 'app/data.txt': { symlink: '../../outside/file.txt' } });
    expect(await check(root, 'app')).toEqual([expect.objectContaining({ code: 'PathEscapesRepository' })]);
  });

  it('refuses an absolute path', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ resources: ['/etc/hostname'] }) });
    expect(await check(root, 'app')).toEqual([expect.objectContaining({ code: 'PathEscapesRepository' })]);
  });

  it.each(['https://github.com/x/y//base?ref=v1', 'github.com/x/y/base', 'git@github.com:x/y.git'])('refuses the remote %s unless remote bases are allowed', async (ref) => {
    const root = await repo({ 'app/kustomization.yaml': k({ resources: [ref] }) });
    expect(await check(root, 'app')).toEqual([{ code: 'RemoteRefused', file: 'app/kustomization.yaml', message: `refers to the remote "${ref}"; remote bases are fetched only when the controller runs with --kustomize-allow-remote` }]);
    expect(await check(root, 'app', true)).toEqual([]);
  });

  it.each(['file:///srv/other-repo//base', 'git::FILE:///srv/other-repo'])('refuses the local repository %s even when remote bases are allowed', async (ref) => {
    const root = await repo({ 'app/kustomization.yaml': k({ components: [ref] }) });
    expect(await check(root, 'app', true)).toEqual([{ code: 'PathEscapesRepository', file: 'app/kustomization.yaml', message: `refers to "${ref}", a git repository outside the repository` }]);
  });

  it('refuses a remote patch file as it does a remote base', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ patches: [{ path: 'https://example.com/p.yaml' }] }) });
    expect(await check(root, 'app')).toEqual([expect.objectContaining({ code: 'RemoteRefused' })]);
  });

  it('still refuses a path out of the repository when remote bases are allowed', async () => {
    const root = await repo({ 'app/kustomization.yaml': k({ resources: ['https://example.com/x.yaml', '../../outside'] }) });
    expect(await check(root, 'app', true)).toEqual([expect.objectContaining({ code: 'PathEscapesRepository' })]);
  });

  it('lets kustomize report a missing file, a kustomization that is not YAML, or a directory without one', async () => {
    const root = await repo({
      'app/kustomization.yaml': k({ resources: ['missing.yaml', 'plain', 'broken'] }),
      'app/plain/cm.yaml': cm,
      'app/broken/kustomization.yaml': 'resources: [',
    });
    expect(await check(root, 'app')).toEqual([]);
  });

  it('judges a missing file by where it would be when the repository root is reached through a symlink', async () => {
    const real = await repo({ 'app/kustomization.yaml': k({ resources: ['missing.yaml'], patches: [{ path: 'gone.yaml' }] }) });
    const linked = path.join(path.dirname(real), 'linked-repo');
    await symlink(real, linked);
    expect(await check(linked, 'app')).toEqual([]);
  });

  it('follows each kustomization once, so a cycle ends', async () => {
    const root = await repo({ 'a/kustomization.yaml': k({ resources: ['../b'] }), 'b/kustomization.yaml': k({ resources: ['../a'] }) });
    expect(await check(root, 'a')).toEqual([]);
  });

  it('stops after maxKustomizations', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5; i++) files[`k${i}/kustomization.yaml`] = k({ resources: [`../k${i + 1}`] });
    files['k5/kustomization.yaml'] = k({});
    const root = await repo(files);
    const errors = await checkKustomizeReferences(root, path.join(root, 'k0'), { allowRemote: false, maxKustomizations: 3 });
    expect(errors).toEqual([{ code: 'TooLarge', file: 'k0', message: 'the kustomization refers to more than 3 kustomizations' }]);
  });
});
