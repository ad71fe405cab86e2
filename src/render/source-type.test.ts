import { afterAll, describe, expect, it } from '@jest/globals';
import { TempTrees } from './testing/tools.js';
import { detectSourceType } from './source-type.js';

const trees = new TempTrees('capstan-source-type-test');
afterAll(() => trees.remove());

describe('detectSourceType', () => {
  it('takes the type the options name, whatever the directory holds', async () => {
    const both = await trees.make({ 'kustomization.yaml': '', 'Chart.yaml': '' });
    expect(await detectSourceType(both, { helm: {} })).toBe('Helm');
    expect(await detectSourceType(both, { kustomize: {} })).toBe('Kustomize');
    expect(await detectSourceType(both, { directory: { recurse: true } })).toBe('Directory');
    expect(await detectSourceType(await trees.make({ 'a.yaml': '' }), { kustomize: { namePrefix: 'x-' } })).toBe('Kustomize');
    expect(await detectSourceType(await trees.make({ 'a.yaml': '' }), { helm: { releaseName: 'x' } })).toBe('Helm');
  });

  it('reads an empty directory block as naming no type', async () => {
    expect(await detectSourceType(await trees.make({ 'kustomization.yaml': '' }), { directory: {} })).toBe('Kustomize');
    expect(await detectSourceType(await trees.make({ 'Chart.yaml': '' }), { directory: {} })).toBe('Helm');
  });

  it.each(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])('takes a directory with %s for Kustomize', async (name) => {
    expect(await detectSourceType(await trees.make({ [name]: 'resources: []' }), {})).toBe('Kustomize');
  });

  it('takes a kustomization over a Chart.yaml beside it', async () => {
    expect(await detectSourceType(await trees.make({ 'kustomization.yaml': '', 'Chart.yaml': '' }), {})).toBe('Kustomize');
  });

  it('takes a directory with Chart.yaml for Helm', async () => {
    expect(await detectSourceType(await trees.make({ 'Chart.yaml': 'name: x', 'templates/a.yaml': '' }), {})).toBe('Helm');
  });

  it('takes anything else for Directory, including a kustomization.yaml that is a directory', async () => {
    expect(await detectSourceType(await trees.make({ 'a.yaml': '', 'sub/kustomization.yaml': '', 'sub/Chart.yaml': '' }), {})).toBe('Directory');
    expect(await detectSourceType(await trees.make({ 'kustomization.yaml/a.yaml': '', 'Chart.yaml/b': '' }), {})).toBe('Directory');
    expect(await detectSourceType(await trees.make(), {})).toBe('Directory');
  });
});
