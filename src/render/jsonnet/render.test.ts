// Runs the real jsonnet and jsonnet-deps (CAPSTAN_TOOLS_DIR, or PATH): without them these tests fail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsonnetOptions } from '../../api/application.js';
import { parseManifests } from '../parse.js';
import { toolsDir } from '../../../tools/versions.js';
import { locateTools } from '../tools/locate.js';
import { ToolSandbox } from '../tools/sandbox.js';
import { renderJsonnetFiles, type JsonnetRender, type JsonnetRenderInput } from './render.js';

let sandbox: ToolSandbox;
let base: string;

beforeAll(async () => {
  const tools = locateTools({ toolsDir: toolsDir(), searchPath: '' });
  for (const tool of ['jsonnet', 'jsonnet-deps'] as const) {
    if (tools[tool] === undefined) throw new Error(`${tool} was not found: build the tools (tools/build.sh) and set CAPSTAN_TOOLS_DIR`);
  }
  sandbox = new ToolSandbox({ tools });
  base = await mkdtemp(path.join(tmpdir(), 'capstan-jsonnet-test-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

let trees = 0;

/** A repository tree `repo/` (and beside it `outside/`, which no source may read) in a fresh directory. */
async function tree(files: Record<string, string>, outside: Record<string, string> = {}): Promise<{ root: string; outside: string }> {
  const dir = path.join(base, `t${++trees}`);
  const write = async (root: string, entries: Record<string, string>): Promise<void> => {
    for (const [name, text] of Object.entries(entries)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), text);
    }
  };
  await mkdir(path.join(dir, 'repo'), { recursive: true });
  await mkdir(path.join(dir, 'outside'), { recursive: true });
  await write(path.join(dir, 'repo'), files);
  await write(path.join(dir, 'outside'), outside);
  return { root: path.join(dir, 'repo'), outside: path.join(dir, 'outside') };
}

type Input = Omit<JsonnetRenderInput, 'copyRoot' | 'home' | 'options' | 'sourcePath'> & { sourcePath?: string; options?: JsonnetOptions };

function render(root: string, input: Input): Promise<JsonnetRender> {
  return sandbox.withScratch(({ home }) => renderJsonnetFiles(sandbox, { sourcePath: '.', options: undefined, ...input, copyRoot: root, home }));
}

function outputs(result: JsonnetRender): Record<string, unknown> {
  if (!result.ok) throw new Error(`render failed: ${JSON.stringify(result.errors)}`);
  return Object.fromEntries(result.outputs.map((o) => [o.file, JSON.parse(o.text) as unknown]));
}

function errorsOf(result: JsonnetRender): Array<{ code: string; file: string; message: string }> {
  if (result.ok) throw new Error(`render succeeded: ${JSON.stringify(result.outputs)}`);
  return result.errors;
}

const cm = (name: string): string => `{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ${name} } }`;

describe('renderJsonnetFiles', () => {
  it('passes top-level arguments and external variables as strings and as code', async () => {
    const { root } = await tree({
      'main.jsonnet': `function(name, size) ${cm('name')} + { data: { size: std.toString(size), env: std.extVar('env'), n: std.toString(std.extVar('n') * 2) } }`,
    });
    const result = await render(root, {
      files: ['main.jsonnet'],
      options: {
        tlas: [{ name: 'name', value: "it's $ARGOCD_APP_NAME; $(id)" }, { name: 'size', value: '{ a: [1, 2] }', code: true }],
        extVars: [{ name: 'env', value: 'prod\nline 2' }, { name: 'n', value: '20 + 1', code: true }],
      },
      env: { ARGOCD_APP_NAME: 'web' },
    });
    expect(outputs(result)['main.jsonnet']).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: "it's web; $(id)" },
      data: { size: '{"a": [1, 2]}', env: 'prod\nline 2', n: '42' },
    });
  });

  it('imports .libsonnet files beside the file, from the source directory and from libs relative to the repository root', async () => {
    const { root } = await tree({
      'apps/web/main.jsonnet': "local near = import 'near.libsonnet'; local app = import 'app.libsonnet'; local k = import 'k.libsonnet'; [near, app, k.cm('from-lib'), importstr 'data.txt']",
      'apps/web/sub/deep.jsonnet': "import 'app.libsonnet'",
      'apps/web/near.libsonnet': cm("'near'"),
      'apps/web/app.libsonnet': cm("'app'"),
      'apps/web/data.txt': 'text',
      'vendor/k8s/k.libsonnet': `{ cm(name):: ${cm('name')} }`,
    });
    const result = await render(root, { sourcePath: 'apps/web', files: ['apps/web/main.jsonnet', 'apps/web/sub/deep.jsonnet'], options: { libs: ['/vendor/k8s'] } });
    const out = outputs(result);
    expect(Object.keys(out)).toEqual(['apps/web/main.jsonnet', 'apps/web/sub/deep.jsonnet']);
    expect((out['apps/web/main.jsonnet'] as Array<{ metadata?: { name: string } } | string>).map((o) => (typeof o === 'string' ? o : o.metadata?.name))).toEqual(['near', 'app', 'from-lib', 'text']);
    expect(out['apps/web/sub/deep.jsonnet']).toMatchObject({ metadata: { name: 'app' } });
  });

  it('lets a later library win over an earlier one and over the source directory, as in Argo CD', async () => {
    const { root } = await tree({
      'apps/main.jsonnet': "import 'which.libsonnet'",
      'apps/sub/x.jsonnet': "import 'which.libsonnet'",
      'apps/which.libsonnet': "'source'",
      'a/which.libsonnet': "'a'",
      'b/which.libsonnet': "'b'",
    });
    const result = await render(root, { sourcePath: 'apps', files: ['apps/sub/x.jsonnet'], options: { libs: ['a', 'b'] } });
    expect(outputs(result)['apps/sub/x.jsonnet']).toBe('b');
  });

  it('gives output that parseManifests reads as Argo CD does: an object, an array, a List, null', async () => {
    const { root } = await tree({
      'object.jsonnet': cm("'one'"),
      'array.jsonnet': `[${cm("'a'")}, null, ${cm("'b'")}]`,
      'list.jsonnet': `{ apiVersion: 'v1', kind: 'List', items: [${cm("'c'")}, { apiVersion: 'v1', kind: 'List', items: [${cm("'d'")}] }] }`,
      'null.jsonnet': 'null',
      'nested.jsonnet': `[[${cm("'e'")}]]`,
    });
    const files = ['object.jsonnet', 'array.jsonnet', 'list.jsonnet', 'null.jsonnet', 'nested.jsonnet'];
    const result = await render(root, { files });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const names = Object.fromEntries(result.outputs.map((o) => {
      const parsed = parseManifests(o.text, o.file, 'json');
      return [o.file, parsed.ok ? parsed.objects.map((obj) => obj.metadata.name) : parsed.errors.map((e) => e.code)];
    }));
    // Argo CD fails on an array of arrays too: its elements are not objects.
    expect(names).toEqual({ 'object.jsonnet': ['one'], 'array.jsonnet': ['a', 'b'], 'list.jsonnet': ['c', 'd'], 'null.jsonnet': [], 'nested.jsonnet': ['InvalidObject'] });
  });

  it('refuses a file that imports /etc/passwd, ../outside or importbin of a file outside', async () => {
    const { root } = await tree({
      'passwd.jsonnet': "importstr '/etc/passwd'",
      'climb.jsonnet': "import '../outside/secret.libsonnet'",
      'bin.jsonnet': "importbin '../outside/secret.libsonnet'",
      'deep.jsonnet': "import 'lib/ok.libsonnet'",
      'lib/ok.libsonnet': "{ x: import '../../outside/secret.libsonnet' }",
      'fine.jsonnet': cm("'fine'"),
    }, { 'secret.libsonnet': "{ password: 'hunter2' }" });
    const errors = errorsOf(await render(root, { files: ['bin.jsonnet', 'climb.jsonnet', 'deep.jsonnet', 'fine.jsonnet', 'passwd.jsonnet'] }));
    expect(errors.map((e) => [e.code, e.file])).toEqual([
      ['PathEscapesRepository', 'bin.jsonnet'],
      ['PathEscapesRepository', 'climb.jsonnet'],
      ['PathEscapesRepository', 'deep.jsonnet'],
      ['PathEscapesRepository', 'passwd.jsonnet'],
    ]);
    expect(errors[3]?.message).toBe('imports "/etc/passwd", which is outside the repository');
    expect(errors[1]?.message).toMatch(/^imports ".*\/outside\/secret\.libsonnet", which is outside the repository$/);
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });

  it('refuses an import through a symlink that leads outside the repository, a file or a directory', async () => {
    const { root, outside } = await tree({
      'file.jsonnet': "import 'link.libsonnet'",
      'dir.jsonnet': "import 'dirlink/secret.libsonnet'",
    }, { 'secret.libsonnet': "{ password: 'hunter2' }" });
    await symlink(path.join(outside, 'secret.libsonnet'), path.join(root, 'link.libsonnet'));
    await symlink('../outside', path.join(root, 'dirlink'));
    const errors = errorsOf(await render(root, { files: ['dir.jsonnet', 'file.jsonnet'] }));
    expect(errors.map((e) => [e.code, e.file])).toEqual([['PathEscapesRepository', 'dir.jsonnet'], ['PathEscapesRepository', 'file.jsonnet']]);
  });

  it('follows a symlink that stays inside the repository', async () => {
    const { root } = await tree({ 'main.jsonnet': "import 'link.libsonnet'", 'real/k.libsonnet': cm("'linked'") });
    await symlink('real/k.libsonnet', path.join(root, 'link.libsonnet'));
    expect(outputs(await render(root, { files: ['main.jsonnet'] }))['main.jsonnet']).toMatchObject({ metadata: { name: 'linked' } });
  });

  it('refuses code in a variable that imports outside the repository, and leaves no file behind', async () => {
    const { root } = await tree({ 'main.jsonnet': "std.extVar('x')", 'ok.libsonnet': "'ok'" }, { 'secret.libsonnet': "'hunter2'" });
    const errors = errorsOf(await render(root, {
      files: ['main.jsonnet'],
      options: { extVars: [{ name: 'x', value: "importstr '/etc/passwd'", code: true }], tlas: [{ name: 'y', value: "import '../outside/secret.libsonnet'", code: true }] },
    }));
    expect(errors).toEqual([
      { code: 'PathEscapesRepository', file: '.', message: expect.stringMatching(/^Jsonnet top-level argument "y" imports ".*\/outside\/secret\.libsonnet", which is outside the repository$/) },
      { code: 'PathEscapesRepository', file: '.', message: 'Jsonnet external variable "x" imports "/etc/passwd", which is outside the repository' },
    ]);
    expect(await readdir(root)).toEqual(['main.jsonnet', 'ok.libsonnet']);
    const fine = await render(root, { files: ['main.jsonnet'], options: { extVars: [{ name: 'x', value: "import 'ok.libsonnet'", code: true }] } });
    expect(outputs(fine)['main.jsonnet']).toBe('ok');
  });

  it('never shows what a file outside says, though it is no Jsonnet and jsonnet-deps fails to parse it', async () => {
    const { root, outside } = await tree({
      'plain.jsonnet': "import '../outside/password'",
      'absolute.jsonnet': 'import "ABS"',
      'through-lib.jsonnet': "import 'lib/ok.libsonnet'",
      'lib/ok.libsonnet': "{ a: import '../../outside/password' }",
      'linked.jsonnet': "import 'link'",
      'tricky.jsonnet': "import 'x:1:1 /password'",
      'code.jsonnet': "std.extVar('c')",
    }, { password: 'hunter2secret' });
    await writeFile(path.join(root, 'absolute.jsonnet'), `import ${JSON.stringify(path.join(outside, 'password'))}`);
    await symlink(path.join(outside, 'password'), path.join(root, 'link'));
    // A directory whose name reads as a location in jsonnet's message: "x:1:1 /password:1:1-14 Unknown variable".
    await symlink(outside, path.join(root, 'x:1:1 '));
    const files = ['absolute.jsonnet', 'linked.jsonnet', 'plain.jsonnet', 'through-lib.jsonnet', 'tricky.jsonnet'];
    const errors = errorsOf(await render(root, { files }));
    expect(JSON.stringify(errors)).not.toContain('hunter2');
    expect(errors).toEqual(files.map((file) => ({ code: 'PathEscapesRepository', file, message: expect.stringMatching(/^imports ".*\/outside\/password", which is outside the repository$/) })));
    const code = errorsOf(await render(root, { files: ['code.jsonnet'], options: { extVars: [{ name: 'c', value: "import '../outside/password'", code: true }] } }));
    expect(code).toEqual([{ code: 'PathEscapesRepository', file: '.', message: expect.stringMatching(/^Jsonnet external variable "c" imports ".*\/outside\/password", which is outside the repository$/) }]);
  });

  it('shows what jsonnet-deps says of a file inside the repository that does not parse, or an import not found', async () => {
    const { root } = await tree({
      'main.jsonnet': "import 'lib/broken.libsonnet'",
      'lib/broken.libsonnet': '{ a: nosuchvariable }',
      'missing.jsonnet': "import 'nowhere.libsonnet'",
    });
    const errors = errorsOf(await render(root, { files: ['main.jsonnet', 'missing.jsonnet'] }));
    expect(errors).toEqual([
      { code: 'ToolFailed', file: 'main.jsonnet', message: expect.stringContaining('RUNTIME ERROR: lib/broken.libsonnet:1:6-20 Unknown variable: nosuchvariable') },
      { code: 'ToolFailed', file: 'missing.jsonnet', message: expect.stringContaining(`couldn't open import "nowhere.libsonnet"`) },
    ]);
  });

  it('refuses code in a variable whose jsonnet does not parse, naming the variable as jsonnet does', async () => {
    const { root } = await tree({ 'main.jsonnet': "std.extVar('c')" });
    const errors = errorsOf(await render(root, { files: ['main.jsonnet'], options: { extVars: [{ name: 'c', value: '{ a: ', code: true }] } }));
    expect(errors).toEqual([{ code: 'ToolFailed', file: '.', message: expect.stringMatching(/^jsonnet external variable "c" \(reading its imports\) exited with code 1: <extvar:c>:1:\d+ /) }]);
  });

  it('refuses a library directory that is a symlink to outside the repository', async () => {
    const { root, outside } = await tree({ 'main.jsonnet': "import 'secret.libsonnet'" }, { 'secret.libsonnet': "'hunter2'" });
    await symlink(outside, path.join(root, 'lib'));
    const errors = errorsOf(await render(root, { files: ['main.jsonnet'], options: { libs: ['lib', 'missing'] } }));
    expect(errors).toEqual([{ code: 'PathEscapesRepository', file: '.', message: 'Jsonnet library path "lib" resolves to a place outside the repository' }]);
  });

  it('refuses a library path that climbs out of the repository before running anything', async () => {
    const { root } = await tree({ 'main.jsonnet': '{}' });
    const errors = errorsOf(await render(root, { sourcePath: 'apps', files: ['main.jsonnet'], options: { libs: ['../..'] } }));
    expect(errors).toEqual([{ code: 'PathEscapesRepository', file: 'apps', message: 'Jsonnet library "../.." leads outside the repository' }]);
  });

  it('reports a syntax error as ToolFailed naming the file, with what jsonnet said', async () => {
    const { root } = await tree({ 'apps/bad.jsonnet': '{ a: ', 'apps/good.jsonnet': '{}' });
    const errors = errorsOf(await render(root, { sourcePath: 'apps', files: ['apps/bad.jsonnet', 'apps/good.jsonnet'] }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ToolFailed', file: 'apps/bad.jsonnet' });
    expect(errors[0]?.message).toMatch(/^jsonnet apps\/bad\.jsonnet .*exited with code 1: apps\/bad\.jsonnet:\d+:\d+/);
  });

  it('reports an evaluation error (an external variable not given) as ToolFailed naming the file', async () => {
    const { root } = await tree({ 'main.jsonnet': "std.extVar('missing')" });
    const errors = errorsOf(await render(root, { files: ['main.jsonnet'] }));
    expect(errors).toEqual([{ code: 'ToolFailed', file: 'main.jsonnet', message: expect.stringMatching(/^jsonnet main\.jsonnet exited with code 1: RUNTIME ERROR: Undefined external variable: missing/) }]);
  });

  it('refuses a file path outside the repository and names a missing file', async () => {
    const { root } = await tree({});
    const errors = errorsOf(await render(root, { files: ['../x.jsonnet', 'gone.jsonnet'] }));
    expect(errors.map((e) => [e.code, e.file])).toEqual([['PathEscapesRepository', '../x.jsonnet'], ['PathNotFound', 'gone.jsonnet']]);
  });
});
