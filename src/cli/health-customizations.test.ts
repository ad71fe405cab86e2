import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readHealthCustomizations } from './health-customizations.js';

let root: string;
let tree = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'capstan-health-tree-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A new directory holding `files` (relative path → text); returns its path. */
async function layout(files: Readonly<Record<string, string>>): Promise<string> {
  const dir = path.join(root, `tree-${++tree}`);
  await mkdir(dir);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

/** Which health.lua (relative to `dir`, without /health.lua) a kind gets. */
async function chooser(files: Readonly<Record<string, string>>) {
  const dir = await layout(files);
  const customizations = await readHealthCustomizations(dir);
  return {
    customizations,
    dir,
    scriptOf: (group: string, kind: string) => customizations.scriptFor(group, kind)?.origin.slice(dir.length + 1).replace(/\/health\.lua$/, ''),
  };
}

const lua = 'return { status = "Healthy" }';

describe('readHealthCustomizations', () => {
  it('reads <group>/<Kind>/health.lua, with the standard libraries and the file as origin', async () => {
    const { customizations, dir } = await chooser({ 'example.com/Widget/health.lua': lua });
    expect(customizations.size).toBe(1);
    expect(customizations.scriptFor('example.com', 'Widget')).toEqual({ source: lua, openLibs: true, origin: path.join(dir, 'example.com', 'Widget', 'health.lua') });
    expect(customizations.scriptFor('example.com', 'Gadget')).toBeUndefined();
  });

  it('skips what is not a script: kind directories without health.lua, files beside the directories, tests and test data', async () => {
    const { customizations, scriptOf } = await chooser({
      'example.com/Widget/health.lua': lua,
      'example.com/Widget/health_test.yaml': 'tests: []\n',
      'example.com/Widget/testdata/healthy.yaml': 'kind: Widget\n',
      'example.com/Gadget/actions/discovery.lua': 'return {}',
      'example.com/health.lua': lua,
      'README.md': '# checks\n',
    });
    expect(customizations.size).toBe(1);
    expect(scriptOf('example.com', 'Widget')).toBe('example.com/Widget');
    expect(scriptOf('example.com', 'Gadget')).toBeUndefined();
  });

  it('reads _ as * in group and kind directories, after the exact ones', async () => {
    const { scriptOf } = await chooser({
      '_.crossplane.example.com/_/health.lua': lua,
      's3.aws.crossplane.example.com/Bucket/health.lua': lua,
      'example.com/_Set/health.lua': lua,
    });
    expect(scriptOf('ec2.aws.crossplane.example.com', 'VPC')).toBe('_.crossplane.example.com/_');
    expect(scriptOf('s3.aws.crossplane.example.com', 'BucketPolicy')).toBe('_.crossplane.example.com/_');
    expect(scriptOf('s3.aws.crossplane.example.com', 'Bucket')).toBe('s3.aws.crossplane.example.com/Bucket');
    expect(scriptOf('crossplane.example.com', 'Provider')).toBeUndefined();
    expect(scriptOf('example.com', 'WidgetSet')).toBe('example.com/_Set');
    expect(scriptOf('example.com', 'Widget')).toBeUndefined();
  });

  it('reads _/<Kind> as that kind of the core group, and of any group', async () => {
    const { scriptOf } = await chooser({ '_/ConfigMap/health.lua': lua, 'settings.example.com/ConfigMap/health.lua': lua });
    expect(scriptOf('', 'ConfigMap')).toBe('_/ConfigMap');
    expect(scriptOf('other.example.com', 'ConfigMap')).toBe('_/ConfigMap');
    expect(scriptOf('settings.example.com', 'ConfigMap')).toBe('settings.example.com/ConfigMap');
    expect(scriptOf('', 'Secret')).toBeUndefined();
  });

  it('matches _/_ to every kind of a group, and to no core-group kind', async () => {
    const { scriptOf } = await chooser({ '_/_/health.lua': lua });
    expect(scriptOf('apps', 'Deployment')).toBe('_/_');
    expect(scriptOf('', 'Pod')).toBeUndefined();
  });

  it('takes the first matching wildcard directory in path order (byte order, as Argo CD sorts them)', async () => {
    const { scriptOf } = await chooser({
      'example.com/_/health.lua': lua,
      'example.com/Widget_/health.lua': lua,
      '_.example.com/_/health.lua': lua,
      'shop.example.com/_/health.lua': lua,
    });
    // "_" sorts after upper-case letters and before lower-case ones.
    expect(scriptOf('example.com', 'WidgetSet')).toBe('example.com/Widget_');
    expect(scriptOf('example.com', 'Gadget')).toBe('example.com/_');
    expect(scriptOf('shop.example.com', 'Cart')).toBe('_.example.com/_');
  });

  it('is empty for an empty directory', async () => {
    const { customizations } = await chooser({});
    expect(customizations.size).toBe(0);
  });

  it('fails for a directory that does not exist, or that is a file', async () => {
    await expect(readHealthCustomizations(path.join(root, 'missing'))).rejects.toThrow(/ENOENT/);
    const file = path.join(root, 'a-file');
    await writeFile(file, 'not a directory');
    await expect(readHealthCustomizations(file)).rejects.toThrow(/ENOTDIR/);
  });
});
