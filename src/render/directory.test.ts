import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeObject } from '../api/object.js';
import { renderDirectory, type RenderDirectoryOptions } from './directory.js';
import type { RenderError } from './types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

async function render(sourcePath: string, options?: RenderDirectoryOptions, root = fixtures) {
  const result = await renderDirectory(root, sourcePath, options);
  if (!result.ok) throw new Error(`expected objects, got ${JSON.stringify(result.errors, null, 2)}`);
  return result;
}

async function renderErrors(sourcePath: string, options?: RenderDirectoryOptions, root = fixtures): Promise<RenderError[]> {
  const result = await renderDirectory(root, sourcePath, options);
  if (result.ok) throw new Error(`expected errors, got files ${result.files.join(', ')}`);
  return result.errors;
}

const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name ?? ''}`);

const topLevelFiles = ['app/account.json', 'app/app.yaml', 'app/list.yaml', 'app/roles.JSON', 'app/secret.yaml', 'app/service.yml'];

describe('renderDirectory: reading a directory', () => {
  it('reads .yaml, .yml and .json files (any case) in sorted path order, documents in file order', async () => {
    const result = await render('app');
    expect(result.files).toEqual(topLevelFiles);
    expect(names(result.objects)).toEqual([
      'ServiceAccount/web',
      'Deployment/web',
      'ConfigMap/web-config',
      'Secret/listed-secret',
      'ConfigMap/listed-a',
      'ConfigMap/listed-b',
      'Role/reader',
      'RoleBinding/reader',
      'Secret/top-secret',
      'Service/web',
    ]);
  });

  it('returns objects exactly as declared', async () => {
    const result = await render('app', { include: 'app.yaml' });
    expect(result.objects[0]).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } });
  });

  it('reads subdirectories only with recurse, never hidden files or directories', async () => {
    const flat = await render('app', { recurse: false });
    expect(flat.files).toEqual(topLevelFiles);
    const deep = await render('app', { recurse: true });
    expect(deep.files).toEqual([
      'app/account.json',
      'app/app.yaml',
      'app/list.yaml',
      'app/nested/child.yaml',
      'app/nested/deeper/config.json',
      'app/nested/secret.yaml',
      'app/roles.JSON',
      'app/secret.yaml',
      'app/service.yml',
    ]);
    expect(names(deep.objects)).not.toContain('ConfigMap/hidden-file');
    expect(names(deep.objects)).not.toContain('ConfigMap/hidden-dir');
    expect(names(deep.objects)).not.toContain('ConfigMap/not-a-manifest-file');
  });

  it('treats the root as ., an empty path, and normalises the source path', async () => {
    const expected = (await render('app')).files;
    expect((await render('./app/')).files).toEqual(expected);
    expect((await render('app/nested/..')).files).toEqual(expected);
    const fromRoot = await render('', undefined, path.join(fixtures, 'app'));
    expect(fromRoot.files).toEqual(expected.map((f) => f.replace('app/', '')));
    expect((await render('.', undefined, path.join(fixtures, 'app'))).files).toEqual(fromRoot.files);
  });

  it('reads scalars as kubectl does (YAML 1.1): yes/on/off are booleans, keys become strings, dates stay text', async () => {
    const [object] = (await render('values')).objects;
    expect(object?.data).toEqual({ date: '2024-01-01', enabled: true, switch: true, false: false, octal: 15, time: '2024-01-01T10:00:00Z' });
    expect(object?.['annotations-like']).toEqual({ truth: true, nothing: null, count: 3, ratio: 0.5 });
  });
});

describe('renderDirectory: include and exclude', () => {
  const files = async (options: RenderDirectoryOptions) => (await render('app', { recurse: true, ...options })).files;

  it('includes by a brace pattern, matching base names in subdirectories', async () => {
    expect(await files({ include: '{*.yaml,config.json}' })).toEqual([
      'app/app.yaml',
      'app/list.yaml',
      'app/nested/child.yaml',
      'app/nested/deeper/config.json',
      'app/nested/secret.yaml',
      'app/secret.yaml',
    ]);
  });

  it('excludes a base name in every subdirectory', async () => {
    const kept = await files({ exclude: 'secret.yaml' });
    expect(kept).not.toContain('app/secret.yaml');
    expect(kept).not.toContain('app/nested/secret.yaml');
    expect(kept).toContain('app/nested/child.yaml');
  });

  it('matches a pattern with a slash against the path relative to the source directory only', async () => {
    expect(await files({ include: 'nested/**' })).toEqual(['app/nested/child.yaml', 'app/nested/deeper/config.json', 'app/nested/secret.yaml']);
    expect(await files({ include: 'deeper/config.json' })).toEqual([]);
    expect(await files({ include: 'nested/deeper/config.json' })).toEqual(['app/nested/deeper/config.json']);
  });

  it('lets exclude win over include, and treats empty patterns as no filter', async () => {
    expect(await files({ include: 'nested/*', exclude: '*secret*' })).toEqual(['app/nested/child.yaml']);
    expect(await files({ include: '', exclude: '' })).toHaveLength(9);
  });

  it('never reads files that are not manifests, even when a pattern names them', async () => {
    expect(await files({ include: '*.md' })).toEqual([]);
  });
});

describe('renderDirectory: errors', () => {
  it('collects every error across files and returns no objects', async () => {
    const errors = await renderErrors('invalid');
    expect(errors.map((e) => [e.code, e.file, e.line ?? e.document])).toEqual([
      ['ParseError', 'invalid/bad.json', 4],
      ['ParseError', 'invalid/broken.yaml', 10],
      ['InvalidObject', 'invalid/incomplete.yaml', 1],
      ['InvalidObject', 'invalid/incomplete.yaml', 2],
      ['InvalidObject', 'invalid/incomplete.yaml', 3],
      ['InvalidObject', 'invalid/incomplete.yaml', 4],
    ]);
    expect(errors[1]?.message).toMatch(/mapping|indentation/);
    expect(errors[2]?.message).toBe('document 1: apiVersion is missing');
  });

  it('reports objects declared twice, naming both files', async () => {
    const errors = await renderErrors('duplicates');
    expect(errors).toEqual([
      { code: 'DuplicateObject', file: 'duplicates/b.yaml', message: 'apps/v1beta2 Deployment web is declared in both duplicates/a.yaml and duplicates/b.yaml' },
      { code: 'DuplicateObject', file: 'duplicates/c.yaml', message: 'v1 Secret twin is declared twice in duplicates/c.yaml' },
    ]);
  });

  it('reports a missing source path, or one that is not a directory, as PathNotFound', async () => {
    expect(await renderErrors('no/such/dir')).toEqual([
      { code: 'PathNotFound', file: 'no/such/dir', message: "source path 'no/such/dir' does not exist in the repository" },
    ]);
    expect(await renderErrors('app/app.yaml')).toEqual([
      { code: 'PathNotFound', file: 'app/app.yaml', message: "source path 'app/app.yaml' is not a directory" },
    ]);
  });

  it.each(['..', '../render', 'app/../../render', '/etc', '/'])('refuses %s as leaving the repository', async (sourcePath) => {
    const errors = await renderErrors(sourcePath, undefined, path.join(fixtures, 'app'));
    expect(errors.map((e) => e.code)).toEqual(['PathEscapesRepository']);
  });

  it('fails with TooLarge past the file, total and object limits', async () => {
    const bigFile = await renderErrors('app', { limits: { maxFileBytes: 300 } });
    expect(bigFile.map((e) => [e.code, e.file])).toEqual([
      ['TooLarge', 'app/list.yaml'],
      ['TooLarge', 'app/roles.JSON'],
    ]);
    const bigTotal = await renderErrors('app', { limits: { maxManifestBytes: 1000 } });
    expect(bigTotal.map((e) => [e.code, e.file])).toEqual([['TooLarge', 'app']]);
    const tooMany = await renderErrors('app', { limits: { maxObjects: 9 } });
    expect(tooMany).toEqual([{ code: 'TooLarge', file: 'app', message: 'the source declares more than the limit of 9 objects' }]);
    expect((await render('app', { limits: { maxObjects: 10 } })).objects).toHaveLength(10);
  });
});

describe('renderDirectory: symlinks', () => {
  let work: string;
  let repo: string;

  const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'capstan-render-'));
    repo = path.join(work, 'repo');
    const outside = path.join(work, 'outside');
    await mkdir(path.join(outside, 'dir'), { recursive: true });
    await writeFile(path.join(outside, 'secret.yaml'), cm('outside'));
    await writeFile(path.join(outside, 'dir', 'x.yaml'), cm('outside-dir'));
    await mkdir(path.join(repo, 'shared'), { recursive: true });
    await mkdir(path.join(repo, 'shared', 'extra'), { recursive: true });
    await writeFile(path.join(repo, 'shared', 'common.yaml'), cm('common'));
    await writeFile(path.join(repo, 'shared', 'extra', 'extra.yaml'), cm('extra'));
    for (const dir of ['inside', 'mixed', 'file-out', 'dir-out', 'loop', 'dangling', 'fifo']) await mkdir(path.join(repo, dir));
    await writeFile(path.join(repo, 'inside', 'own.yaml'), cm('own'));
    await symlink('../shared/common.yaml', path.join(repo, 'inside', 'linked.yaml'));
    await symlink('../shared/extra', path.join(repo, 'inside', 'linked-dir'));
    await symlink(path.join(outside, 'secret.yaml'), path.join(repo, 'file-out', 'stolen.yaml'));
    await symlink(path.join(outside, 'dir'), path.join(repo, 'dir-out', 'elsewhere'));
    await symlink(path.join(outside, 'secret.yaml'), path.join(repo, 'mixed', 'a-stolen.yaml'));
    await writeFile(path.join(repo, 'mixed', 'b-broken.yaml'), 'kind: [\n');
    await writeFile(path.join(repo, 'mixed', 'c-fine.yaml'), cm('fine'));
    await writeFile(path.join(repo, 'dir-out', 'own.yaml'), cm('dir-out-own'));
    await symlink(outside, path.join(repo, 'source-out'));
    await mkdir(path.join(repo, 'loop', 'sub'));
    await writeFile(path.join(repo, 'loop', 'own.yaml'), cm('loop-own'));
    await writeFile(path.join(repo, 'loop', 'sub', 'child.yaml'), cm('loop-child'));
    await symlink('..', path.join(repo, 'loop', 'sub', 'up'));
    await symlink('.', path.join(repo, 'loop', 'self'));
    await symlink('missing.yaml', path.join(repo, 'dangling', 'gone.yaml'));
    await writeFile(path.join(repo, 'fifo', 'own.yaml'), cm('fifo-own'));
    execFileSync('mkfifo', [path.join(repo, 'fifo', 'pipe.yaml')]);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('follows symlinked files and directories that stay inside the repository', async () => {
    const result = await render('inside', { recurse: true }, repo);
    expect(result.files).toEqual(['inside/linked-dir/extra.yaml', 'inside/linked.yaml', 'inside/own.yaml']);
    expect(result.objects).toHaveLength(3);
  });

  it('refuses a source path that is a symlink out of the repository', async () => {
    const errors = await renderErrors('source-out', undefined, repo);
    expect(errors.map((e) => [e.code, e.file])).toEqual([['PathEscapesRepository', 'source-out']]);
  });

  it('refuses a manifest symlinked from outside the repository', async () => {
    expect(await renderErrors('file-out', undefined, repo)).toEqual([
      { code: 'PathEscapesRepository', file: 'file-out/stolen.yaml', message: 'a symlink to a place outside the repository; it is not followed' },
    ]);
  });

  it('reports escaping symlinks together with the errors of the files it could read', async () => {
    const errors = await renderErrors('mixed', undefined, repo);
    expect(errors.map((e) => [e.code, e.file])).toEqual([
      ['PathEscapesRepository', 'mixed/a-stolen.yaml'],
      ['ParseError', 'mixed/b-broken.yaml'],
    ]);
  });

  it('refuses a directory symlinked from outside when recursing, and ignores it otherwise', async () => {
    const errors = await renderErrors('dir-out', { recurse: true }, repo);
    expect(errors.map((e) => [e.code, e.file])).toEqual([['PathEscapesRepository', 'dir-out/elsewhere']]);
    expect(names((await render('dir-out', { recurse: false }, repo)).objects)).toEqual(['ConfigMap/dir-out-own']);
  });

  it('does not loop through a symlink to a directory being walked', async () => {
    const result = await render('loop', { recurse: true }, repo);
    expect(result.files).toEqual(['loop/own.yaml', 'loop/sub/child.yaml']);
  });

  it('reports a dangling symlink to a manifest as PathNotFound', async () => {
    const errors = await renderErrors('dangling', undefined, repo);
    expect(errors.map((e) => [e.code, e.file])).toEqual([['PathNotFound', 'dangling/gone.yaml']]);
  });

  it('skips special files such as FIFOs', async () => {
    expect((await render('fifo', undefined, repo)).files).toEqual(['fifo/own.yaml']);
  });
});
