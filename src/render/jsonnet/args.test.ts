import { describe, expect, it } from '@jest/globals';
import { jsonnetArgs, jsonnetDepsArgs, libraryPath, planJsonnet, type JsonnetPlan } from './args.js';
import { expandBuildEnv } from './envsubst.js';

function plan(input: Parameters<typeof planJsonnet>[0]): JsonnetPlan {
  const planned = planJsonnet(input);
  if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
  return planned.plan;
}

describe('jsonnetArgs', () => {
  it('gives each variable as a flag and name=value in two arguments, then the search paths, -- and the file', () => {
    const p = plan({
      sourcePath: 'apps/web',
      options: {
        extVars: [{ name: 'env', value: 'prod' }, { name: 'replicas', value: '1 + 2', code: true }],
        tlas: [{ name: 'name', value: 'web app; rm -rf /' }, { name: 'config', value: '{ a: 1 }', code: true }],
        libs: ['vendor', '/lib/k8s'],
      },
    });
    expect(jsonnetArgs(p, 'apps/web/main.jsonnet')).toEqual([
      '--tla-str', 'name=web app; rm -rf /',
      '--tla-code', 'config={ a: 1 }',
      '--ext-str', 'env=prod',
      '--ext-code', 'replicas=1 + 2',
      '-J', './apps/web',
      '-J', './vendor',
      '-J', './lib/k8s',
      '--', 'apps/web/main.jsonnet',
    ]);
  });

  it('keeps the order of repeated names (the last given wins in jsonnet) and values with = and newlines whole', () => {
    const p = plan({ sourcePath: '.', options: { extVars: [{ name: 'a', value: 'x=y\nz' }, { name: 'a', value: '' }] } });
    expect(jsonnetArgs(p, 'main.jsonnet')).toEqual(['--ext-str', 'a=x=y\nz', '--ext-str', 'a=', '-J', '.', '--', 'main.jsonnet']);
  });

  it('puts the file after --, so a name starting with - is not read as an option', () => {
    const p = plan({ sourcePath: '-dir', options: { libs: ['-lib'] } });
    expect(jsonnetArgs(p, '-dir/-x.jsonnet')).toEqual(['-J', './-dir', '-J', './-lib', '--', '-dir/-x.jsonnet']);
  });

  it('gives jsonnet-deps the same search paths, without the variables', () => {
    const p = plan({ sourcePath: 'apps', options: { extVars: [{ name: 'a', value: 'b' }], libs: ['lib'] } });
    expect(jsonnetDepsArgs(p, ['apps/a.jsonnet'])).toEqual(['-J', './apps', '-J', './lib', '--', 'apps/a.jsonnet']);
  });

  it('takes no options as none', () => {
    expect(jsonnetArgs(plan({ sourcePath: '.', options: undefined }), 'a.jsonnet')).toEqual(['-J', '.', '--', 'a.jsonnet']);
    expect(jsonnetArgs(plan({ sourcePath: '.', options: {} }), 'a.jsonnet')).toEqual(['-J', '.', '--', 'a.jsonnet']);
  });
});

describe('planJsonnet', () => {
  it('replaces $NAME and ${NAME} in string and code values from the build environment', () => {
    const p = plan({
      sourcePath: '.',
      options: { extVars: [{ name: 'app', value: '$ARGOCD_APP_NAME-${ARGOCD_APP_NAMESPACE}' }], tlas: [{ name: 'c', value: '"$UNSET"', code: true }] },
      env: { ARGOCD_APP_NAME: 'web', ARGOCD_APP_NAMESPACE: 'prod' },
    });
    expect(p.variables).toEqual([
      { kind: 'tla', name: 'c', value: '""', code: true },
      { kind: 'ext', name: 'app', value: 'web-prod', code: false },
    ]);
  });

  it('refuses a library outside the repository, naming the source path', () => {
    const result = planJsonnet({ sourcePath: 'apps', options: { libs: ['ok', '../outside', 'a/../../b'] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      { code: 'PathEscapesRepository', file: 'apps', message: 'Jsonnet library "../outside" leads outside the repository' },
      { code: 'PathEscapesRepository', file: 'apps', message: 'Jsonnet library "a/../../b" leads outside the repository' },
    ]);
  });

  it.each([
    ['a=b', false, "a name cannot hold '='"],
    ['-x', false, "a name cannot start with '-'"],
    ['a\0b', false, 'holds a NUL character'],
    ['a/b', true, "the name of a variable given as code cannot hold '/'"],
  ])('refuses the name %j (code %p) the command line cannot carry', (name, code, why) => {
    const result = planJsonnet({ sourcePath: '.', options: { extVars: [{ name, value: 'v', code }], tlas: [{ name, value: 'v', code }] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatchObject({ code: 'InvalidOption', file: '.', message: expect.stringContaining(`Jsonnet top-level argument`) });
    expect(result.errors[1]).toMatchObject({ code: 'InvalidOption', file: '.', message: expect.stringContaining(why) });
  });

  it('accepts a string variable whose name holds / (only code can import)', () => {
    expect(plan({ sourcePath: '.', options: { extVars: [{ name: 'a/b', value: 'x' }] } }).variables).toHaveLength(1);
  });

  it('refuses a NUL character in a value', () => {
    const result = planJsonnet({ sourcePath: '.', options: { extVars: [{ name: 'a', value: 'x\0y' }] } });
    expect(result).toMatchObject({ ok: false, errors: [{ code: 'InvalidOption', message: 'Jsonnet external variable "a": holds a NUL character' }] });
  });
});

describe('libraryPath', () => {
  it.each([
    ['vendor', 'vendor'],
    ['/vendor', 'vendor'],
    ['//vendor/', 'vendor'],
    ['./a//b/', 'a/b'],
    ['a/../b', 'b'],
    ['', '.'],
    ['/', '.'],
    ['.', '.'],
    ['..lib', '..lib'],
  ])('reads %j relative to the repository root as %j', (lib, expected) => {
    expect(libraryPath(lib)).toBe(expected);
  });

  it.each(['..', '../x', '/../x', 'a/../../x'])('refuses %j', (lib) => {
    expect(libraryPath(lib)).toBeUndefined();
  });
});

describe('expandBuildEnv', () => {
  const env = { A: 'a', LONG_NAME_1: 'long', EMPTY: '' };
  it.each([
    ['no dollar', 'no dollar'],
    ['$A', 'a'],
    ['${A}', 'a'],
    ['x$A-y', 'xa-y'],
    ['$LONG_NAME_1.', 'long.'],
    ['$UNSET', ''],
    ['${UNSET}', ''],
    ['$EMPTY|', '|'],
    ['$$A', '$A'],
    ['$$', '$'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$ a', '$ a'],
    ['$-a', 'a'],
    ['$1x', 'x'],
    ['${', ''],
    ['${}x', 'x'],
    ['${A', 'A'],
    ['${$}', '$'],
    ['${A B}', ''],
    ['é$A€', 'éa€'],
    ['$toString', ''],
  ])('expands %j to %j as Go os.Expand does', (text, expected) => {
    expect(expandBuildEnv(text, env)).toBe(expected);
  });
});
