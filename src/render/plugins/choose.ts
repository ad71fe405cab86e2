import type { PluginSource } from '../../api/plugin-source.js';
import type { PluginDiscovery, PluginSet, PluginSpec } from './config.js';
import { discoveryMatches } from './discover.js';

/** The options of a source that decide whether a plugin renders it. */
export interface PluginChoiceSource {
  readonly directory?: object | undefined;
  readonly kustomize?: object | undefined;
  readonly helm?: object | undefined;
  readonly plugin?: PluginSource | undefined;
}

export interface ChosenPlugin {
  readonly name: string;
  readonly spec: PluginSpec;
}

/** The plugin that renders the source (none: a built-in type does), or why none can. */
export type PluginChoice = { ok: true; plugin?: ChosenPlugin } | { ok: false; message: string };

/**
 * Which plugin of capstan-config renders a source, as Argo CD chooses: none when the source
 * names a built-in type by its options; the named one when `source.plugin.name` is set (if it
 * has a discovery rule, the source directory must match it); otherwise the first plugin, by
 * name, whose discovery rule matches the source directory `dir` (and with `source.plugin` set
 * but no name, one must). Discovery comes before a kustomization or Chart.yaml is looked for,
 * so a plugin may take over such directories (Kustomize with SOPS, say).
 */
export async function choosePlugin(plugins: PluginSet, dir: string, source: PluginChoiceSource, maxEntries: number): Promise<PluginChoice> {
  if (source.kustomize !== undefined || source.helm !== undefined) return { ok: true };
  if (source.directory !== undefined && Object.keys(source.directory).length > 0) return { ok: true };
  const named = source.plugin?.name;
  if (named !== undefined && named !== '') return chooseNamed(plugins, named, dir, maxEntries);
  for (const name of plugins.names) {
    const spec = plugins.get(name);
    if (spec?.discover !== undefined && (await discoveryMatches(spec.discover, dir, { maxEntries }))) return { ok: true, plugin: { name, spec } };
  }
  if (source.plugin === undefined) return { ok: true };
  return { ok: false, message: `source.plugin names no plugin, and no plugin of capstan-config matches the source directory (${described(plugins)})` };
}

async function chooseNamed(plugins: PluginSet, name: string, dir: string, maxEntries: number): Promise<PluginChoice> {
  const spec = plugins.get(name);
  if (spec === undefined) {
    const refusal = plugins.refusal(name);
    if (refusal !== undefined) return { ok: false, message: `plugin ${JSON.stringify(name)} of capstan-config cannot be used: ${refusal}` };
    return { ok: false, message: `source.plugin.name ${JSON.stringify(name)} is not a plugin of capstan-config (${described(plugins)})` };
  }
  if (spec.discover !== undefined && !(await discoveryMatches(spec.discover, dir, { maxEntries }))) {
    return { ok: false, message: `plugin ${JSON.stringify(name)} does not match the source directory: nothing in it matches ${discoveryText(spec.discover)}` };
  }
  return { ok: true, plugin: { name, spec } };
}

function discoveryText(discovery: PluginDiscovery): string {
  return 'fileName' in discovery ? `discover.fileName ${JSON.stringify(discovery.fileName)}` : `discover.find.glob ${JSON.stringify(discovery.glob)}`;
}

/** The plugins there are, with how each is discovered, for messages. */
function described(plugins: PluginSet): string {
  if (plugins.size === 0) return 'it has none: add a plugins.<name> key to the ConfigMap capstan-config';
  const list = plugins.names.map((name) => {
    const discover = plugins.get(name)?.discover;
    return `${name}${discover === undefined ? ' (used only by name)' : ` (${discoveryText(discover)})`}`;
  });
  return `plugins: ${list.join(', ')}`;
}
