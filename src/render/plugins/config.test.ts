import { describe, expect, it } from '@jest/globals';
import { parsePluginConfig, PluginSet } from './config.js';

describe('parsePluginConfig', () => {
  it("reads Capstan's shape: generate and init as lists, discover.fileName", () => {
    const { plugins, problems } = parsePluginConfig({
      'plugins.sops': 'generate: [sh, -c, "sops -d secrets.yaml"]\ninit: [sops, --version]\ndiscover:\n  fileName: "./*.sops.yaml"\n',
      'resource.customizations.health.apps_Deployment': 'return {}',
    });
    expect(problems).toEqual([]);
    expect(plugins.names).toEqual(['sops']);
    expect(plugins.get('sops')).toEqual({ generate: ['sh', '-c', 'sops -d secrets.yaml'], init: ['sops', '--version'], discover: { fileName: '*.sops.yaml' } });
  });

  it("reads Argo CD's shape: command and args, discover.find.glob, parameter announcements with no effect", () => {
    const { plugins, problems } = parsePluginConfig({
      'plugins.helmfile': [
        'init:', '  command: [helmfile]', '  args: [deps]',
        'generate:', '  command: [sh, -c]', '  args: ["helmfile template --quiet"]',
        'discover:', '  find:', '    glob: "**/helmfile.yaml"',
        'parameters:', '  static:', '    - name: env', '      string: dev',
        'preserveFileMode: true',
      ].join('\n'),
    });
    expect(problems).toEqual([]);
    expect(plugins.get('helmfile')).toEqual({ generate: ['sh', '-c', 'helmfile template --quiet'], init: ['helmfile', 'deps'], discover: { glob: '**/helmfile.yaml' } });
  });

  it('reads a whole ConfigManagementPlugin, taking its spec', () => {
    const { plugins, problems } = parsePluginConfig({
      'plugins.cmp': 'apiVersion: argoproj.io/v1alpha1\nkind: ConfigManagementPlugin\nmetadata:\n  name: cmp\nspec:\n  generate:\n    command: [cat, all.yaml]\n',
    });
    expect(problems).toEqual([]);
    expect(plugins.get('cmp')).toEqual({ generate: ['cat', 'all.yaml'] });
  });

  it('takes an empty init and an empty discover block as none', () => {
    const { plugins } = parsePluginConfig({ 'plugins.a': 'generate: [cat, a.yaml]\ninit: []\ndiscover: {}\n', 'plugins.b': 'generate: [cat]\ninit: { command: [] }\n' });
    expect(plugins.get('a')).toEqual({ generate: ['cat', 'a.yaml'] });
    expect(plugins.get('b')).toEqual({ generate: ['cat'] });
  });

  it.each([
    ['not YAML', 'generate: [sh', /^plugins\.x: not YAML \(/],
    ['not a mapping', '- sh', /expected a mapping with generate/],
    ['without generate', 'init: [make]', /generate is required/],
    ['with an empty generate', 'generate: []', /generate has no command/],
    ['with an empty Argo CD command', 'generate: { command: [], args: [a] }', /generate\.command is empty: args need a command/],
    ['with an empty command string', 'generate: ["", a]', /generate: the command is an empty string/],
    ['with generate as one string', 'generate: sh -c make', /generate must be a list of strings/],
    ['with a number among the arguments', 'generate: [kubectl, scale, 3]', /generate must be a list of strings/],
    ['with an unknown field', 'generate: [cat]\nlockRepo: true', /lockRepo is not a field of a plugin/],
    ['with an unknown field of a command', 'generate: { command: [cat], env: [] }', /generate\.env is not a field of a command/],
    ['with version', 'generate: [cat]\nversion: v1.0', /version is not a field of a plugin/],
    ['with Git credentials asked for', 'generate: [cat]\nprovideGitCreds: true', /Capstan gives plugins no Git credentials/],
    ['with a discovery command', 'generate: [cat]\ndiscover: { find: { command: [sh, -c, "find ."] } }', /does not run commands to discover plugins/],
    ['with two discovery rules', 'generate: [cat]\ndiscover: { fileName: a, find: { glob: b } }', /set one of them/],
    ['with a discovery glob out of the source directory', 'generate: [cat]\ndiscover: { fileName: ../*.yaml }', /must stay inside the source directory/],
    ['with an absolute discovery glob', 'generate: [cat]\ndiscover: { find: { glob: /etc/* } }', /must stay inside the source directory/],
    ['with an empty discovery glob', 'generate: [cat]\ndiscover: { fileName: "" }', /discover\.fileName must be a glob/],
    ['of another apiVersion', 'apiVersion: v1\nkind: ConfigManagementPlugin\nspec: { generate: [cat] }', /apiVersion argoproj\.io\/v1alpha1/],
  ])('refuses a plugin %s, saying why, and keeps it aside', (_case, text, why) => {
    const { plugins, problems } = parsePluginConfig({ 'plugins.x': text, 'plugins.ok': 'generate: [cat]' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(why);
    expect(problems[0]?.startsWith('plugins.x: ')).toBe(true);
    expect(plugins.get('x')).toBeUndefined();
    expect(plugins.refusal('x')).toBe(problems[0]?.slice('plugins.x: '.length));
    expect(plugins.names).toEqual(['ok']);
  });

  it('lists every problem of one plugin', () => {
    const { problems } = parsePluginConfig({ 'plugins.x': 'generate: []\ninit: sh\nextra: 1' });
    expect(problems).toEqual(['plugins.x: extra is not a field of a plugin (generate, init, discover); generate has no command; init must be a list of strings (the command, then its arguments)']);
  });

  it('says a key plugins without a name is wrong, and ignores other keys', () => {
    const { plugins, problems } = parsePluginConfig({ plugins: 'generate: [cat]', 'plugins.': 'generate: [cat]', pluginsx: 'x', 'health.x': 'y' });
    expect(problems).toEqual(['plugins: expected plugins.<name>, one key for each plugin', 'plugins.: expected plugins.<name>, one key for each plugin']);
    expect(plugins.size).toBe(0);
  });

  it('gives the same key for the same plugins, another when one changes, and none for no plugins', () => {
    const a = parsePluginConfig({ 'plugins.a': 'generate: [cat, a.yaml]', 'plugins.b': 'generate: [cat]' }).plugins;
    const same = parsePluginConfig({ 'plugins.b': 'generate:\n  - cat\n', 'plugins.a': 'generate: { command: [cat], args: [a.yaml] }' }).plugins;
    const other = parsePluginConfig({ 'plugins.a': 'generate: [cat, b.yaml]', 'plugins.b': 'generate: [cat]' }).plugins;
    expect(same.key).toBe(a.key);
    expect(other.key).not.toBe(a.key);
    expect(parsePluginConfig({}).plugins.key).toBe('');
    expect(PluginSet.none.key).toBe('');
    expect(parsePluginConfig({ 'plugins.x': 'generate: []' }).plugins.key).not.toBe('');
  });
});
