// toolVersions runs the real pinned tools: without them these tests fail.
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmod } from 'node:fs/promises';
import path from 'node:path';
import { readToolVersions, toolsDir } from '../../../tools/versions.js';
import { TempTrees, realTools } from '../testing/tools.js';
import { formatToolVersions, locateTools, toolsDirFromEnv, toolVersions, versionOf } from './locate.js';

const trees = new TempTrees('capstan-locate-test');
afterAll(() => trees.remove());

describe('versionOf', () => {
  it.each([
    ['v5.8.2\n', 'v5.8.2'],
    ['v4.3.2+gabc123\n', 'v4.3.2+gabc123'],
    ['version.BuildInfo{Version:"v4.3.2", GitCommit:"", GitTreeState:"clean"}', 'v4.3.2'],
    ['Jsonnet commandline interpreter (Go implementation) v0.22.0\n', 'v0.22.0'],
    ['{Version:kustomize/v4.5.7 GitCommit:56d82a8 BuildDate:2022-08-02T16:35:54Z}', 'v4.5.7'],
    ['helm 3.14.0', 'v3.14.0'],
    ['v1.2.3-rc.1 more', 'v1.2.3-rc.1'],
    ['no version here', 'unknown'],
    ['', 'unknown'],
  ])('finds the version in %j', (output, version) => {
    expect(versionOf(output)).toBe(version);
  });
});

describe('toolVersions', () => {
  it('names the pinned versions of the real tools', () => {
    const pinned = readToolVersions();
    expect(toolVersions(realTools('kustomize', 'helm', 'jsonnet'))).toEqual({ kustomize: pinned.kustomize, helm: pinned.helm, jsonnet: pinned.jsonnet });
  });

  it('says "not found" for a tool that is absent and "unknown" for one that will not say', async () => {
    const dir = await trees.make({ 'kustomize': '#!/bin/sh\nexit 1\n', 'jsonnet': '#!/bin/sh\necho nothing useful\n' });
    await chmod(path.join(dir, 'kustomize'), 0o755);
    await chmod(path.join(dir, 'jsonnet'), 0o755);
    const versions = toolVersions({ kustomize: path.join(dir, 'kustomize'), jsonnet: path.join(dir, 'jsonnet') });
    expect(versions).toEqual({ kustomize: 'unknown', helm: 'not found', jsonnet: 'unknown' });
    expect(formatToolVersions(versions)).toBe('kustomize unknown, helm not found, jsonnet unknown');
  });
});

describe('locateTools', () => {
  it('finds the tools and jsonnet-deps in the tools directory', () => {
    const dir = toolsDir();
    expect(locateTools({ toolsDir: dir, searchPath: '' })).toEqual({
      kustomize: path.join(dir, 'kustomize'), helm: path.join(dir, 'helm'), jsonnet: path.join(dir, 'jsonnet'), 'jsonnet-deps': path.join(dir, 'jsonnet-deps'),
    });
  });

  it('looks in the tools directory first, then along the search path, and only at executables', async () => {
    const first = await trees.make({ helm: '#!/bin/sh\n', kustomize: 'not executable' });
    const second = await trees.make({ kustomize: '#!/bin/sh\n', helm: '#!/bin/sh\n' });
    for (const f of [path.join(first, 'helm'), path.join(second, 'kustomize'), path.join(second, 'helm')]) await chmod(f, 0o755);
    expect(locateTools({ toolsDir: first, searchPath: ['', '/nonexistent', second].join(path.delimiter) })).toEqual({ helm: path.join(first, 'helm'), kustomize: path.join(second, 'kustomize') });
  });

  it('finds nothing where there is nothing', () => {
    expect(locateTools({ toolsDir: undefined, searchPath: '' })).toEqual({});
  });
});

describe('toolsDirFromEnv', () => {
  it('is CAPSTAN_TOOLS_DIR when it is set and not empty', () => {
    expect(toolsDirFromEnv({ CAPSTAN_TOOLS_DIR: '/opt/tools' })).toBe('/opt/tools');
    expect(toolsDirFromEnv({ CAPSTAN_TOOLS_DIR: '' })).toBeUndefined();
    expect(toolsDirFromEnv({})).toBeUndefined();
  });
});
