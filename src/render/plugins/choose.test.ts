import { afterAll, describe, expect, it } from '@jest/globals';
import { TempTrees } from '../testing/tools.js';
import { detectSourceType } from '../source-type.js';
import { choosePlugin } from './choose.js';
import { parsePluginConfig, type PluginDiscovery } from './config.js';
import { discoveryMatches } from './discover.js';

const trees = new TempTrees('capstan-plugin-choice-test');
afterAll(() => trees.remove());

const limit = { maxEntries: 1000 };
const matches = async (discovery: PluginDiscovery, entries: Record<string, string>): Promise<boolean> => discoveryMatches(discovery, await trees.make(entries), limit);

describe('discoveryMatches', () => {
  it('matches fileName as Go filepath.Glob does: within a segment, as deep as the pattern, dot files too', async () => {
    expect(await matches({ fileName: '*.sops.yaml' }, { 'a.sops.yaml': '' })).toBe(true);
    expect(await matches({ fileName: '*.sops.yaml' }, { 'sub/a.sops.yaml': '' })).toBe(false);
    expect(await matches({ fileName: 'sub/s*.yaml' }, { 'sub/settings.yaml': '' })).toBe(true);
    expect(await matches({ fileName: '*/s*.yaml' }, { 'a/b/settings.yaml': '' })).toBe(false);
    expect(await matches({ fileName: '*.env' }, { '.env': '' })).toBe(true);
    expect(await matches({ fileName: 'helmfile.yaml' }, { 'helmfile.yaml.gotmpl': '' })).toBe(false);
    expect(await matches({ fileName: 'file?.[ab]' }, { 'file1.b': '' })).toBe(true);
    // ** is two stars of one segment, as in Go.
    expect(await matches({ fileName: '**/x.yaml' }, { 'a/b/x.yaml': '' })).toBe(false);
    expect(await matches({ fileName: '**/x.yaml' }, { 'a/x.yaml': '' })).toBe(true);
    // A directory matches as a file does.
    expect(await matches({ fileName: 'charts' }, { 'charts/a/Chart.yaml': '' })).toBe(true);
  });

  it('matches find.glob with ** at any depth, the top level included', async () => {
    expect(await matches({ glob: '**/Chart.yaml' }, { 'a/b/c/Chart.yaml': '' })).toBe(true);
    expect(await matches({ glob: '**/Chart.yaml' }, { 'Chart.yaml': '' })).toBe(true);
    expect(await matches({ glob: '**/Chart.yaml' }, { 'a/values.yaml': '' })).toBe(false);
  });

  it('does not look in .git, nor past maxEntries', async () => {
    expect(await matches({ glob: '**/HEAD' }, { '.git/HEAD': '' })).toBe(false);
    const dir = await trees.make({ 'a.yaml': '', 'b.yaml': '', 'c.yaml': '', 'sub/z.enc': '' });
    expect(await discoveryMatches({ glob: '**/*.enc' }, dir, { maxEntries: 3 })).toBe(false);
    expect(await discoveryMatches({ glob: '**/*.enc' }, dir, { maxEntries: 10 })).toBe(true);
  });
});

describe('choosePlugin', () => {
  const { plugins } = parsePluginConfig({
    'plugins.sops': 'generate: [sh, -c, "sops -d x"]\ndiscover: { fileName: "*.sops.yaml" }',
    'plugins.any-yaml': 'generate: [cat]\ndiscover: { fileName: "*.yaml" }',
    'plugins.named-only': 'generate: [cat]',
    'plugins.broken': 'generate: []',
  });

  it('discovers the first plugin by name whose rule matches, before a kustomization is looked for', async () => {
    const dir = await trees.make({ 'kustomization.yaml': '', 'secret.sops.yaml': '' });
    const chosen = await choosePlugin(plugins, dir, {}, 1000);
    expect(chosen).toEqual({ ok: true, plugin: { name: 'any-yaml', spec: plugins.get('any-yaml') } });
    expect(await detectSourceType(dir, {}, 'any-yaml')).toBe('Plugin');
  });

  it('chooses none when nothing matches, or when the options name a built-in type', async () => {
    const dir = await trees.make({ 'Chart.yaml': '' });
    expect(await choosePlugin(plugins, await trees.make({ 'a.json': '' }), {}, 1000)).toEqual({ ok: true });
    expect(await choosePlugin(plugins, dir, { helm: {} }, 1000)).toEqual({ ok: true });
    expect(await choosePlugin(plugins, dir, { kustomize: {} }, 1000)).toEqual({ ok: true });
    expect(await choosePlugin(plugins, dir, { directory: { recurse: true } }, 1000)).toEqual({ ok: true });
    // An empty directory block names no type.
    expect((await choosePlugin(plugins, dir, { directory: {} }, 1000)).ok).toBe(true);
    expect(await detectSourceType(dir, {}, undefined)).toBe('Helm');
  });

  it('uses the plugin source.plugin names, one without a rule too', async () => {
    const dir = await trees.make({ 'a.json': '' });
    expect(await choosePlugin(plugins, dir, { plugin: { name: 'named-only' } }, 1000)).toEqual({ ok: true, plugin: { name: 'named-only', spec: plugins.get('named-only') } });
    expect(await detectSourceType(dir, { plugin: { name: 'named-only' } })).toBe('Plugin');
  });

  it('refuses a named plugin whose rule does not match the source, as Argo CD does', async () => {
    const chosen = await choosePlugin(plugins, await trees.make({ 'a.json': '' }), { plugin: { name: 'sops' } }, 1000);
    expect(chosen).toEqual({ ok: false, message: 'plugin "sops" does not match the source directory: nothing in it matches discover.fileName "*.sops.yaml"' });
  });

  it('names the plugins there are when the named one is unknown, and says why a broken one cannot be used', async () => {
    const dir = await trees.make({ 'a.json': '' });
    expect(await choosePlugin(plugins, dir, { plugin: { name: 'helmfile' } }, 1000)).toEqual({
      ok: false,
      message: 'source.plugin.name "helmfile" is not a plugin of capstan-config (plugins: any-yaml (discover.fileName "*.yaml"), named-only (used only by name), sops (discover.fileName "*.sops.yaml"))',
    });
    expect(await choosePlugin(plugins, dir, { plugin: { name: 'broken' } }, 1000)).toEqual({ ok: false, message: 'plugin "broken" of capstan-config cannot be used: generate has no command' });
    expect(await choosePlugin(parsePluginConfig({}).plugins, dir, { plugin: { name: 'x' } }, 1000)).toEqual({
      ok: false, message: 'source.plugin.name "x" is not a plugin of capstan-config (it has none: add a plugins.<name> key to the ConfigMap capstan-config)',
    });
  });

  it('needs a discovered plugin when source.plugin is set without a name', async () => {
    const dir = await trees.make({ 'a.json': '' });
    const chosen = await choosePlugin(plugins, dir, { plugin: { env: [{ name: 'A', value: 'b' }] } }, 1000);
    expect(chosen.ok).toBe(false);
    expect(!chosen.ok && chosen.message).toMatch(/^source\.plugin names no plugin, and no plugin of capstan-config matches the source directory \(plugins: any-yaml/);
    // sops sorts after any-yaml, whose *.yaml matches x.sops.yaml too: the first by name wins.
    expect(await choosePlugin(plugins, await trees.make({ 'x.sops.yaml': '' }), { plugin: {} }, 1000)).toEqual({ ok: true, plugin: { name: 'any-yaml', spec: plugins.get('any-yaml') } });
    expect(await choosePlugin(plugins, await trees.make({ 'x.sops.yml': '', 'y.sops.yaml': '' }), { plugin: {} }, 1000)).toMatchObject({ ok: true, plugin: { name: 'any-yaml' } });
    const { plugins: sopsFirst } = parsePluginConfig({ 'plugins.a-sops': 'generate: [sops]\ndiscover: { fileName: "*.sops.yaml" }', 'plugins.b-yaml': 'generate: [cat]\ndiscover: { fileName: "*.yaml" }' });
    expect(await choosePlugin(sopsFirst, await trees.make({ 'x.sops.yaml': '' }), { plugin: {} }, 1000)).toMatchObject({ ok: true, plugin: { name: 'a-sops' } });
    expect(await choosePlugin(sopsFirst, await trees.make({ 'plain.yaml': '' }), {}, 1000)).toMatchObject({ ok: true, plugin: { name: 'b-yaml' } });
  });
});
