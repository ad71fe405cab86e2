/** The config management plugins the controller renders with: those of the ConfigMap capstan-config in its namespace, read live. */
import { isRecord, type KubeObject } from '../../api/object.js';
import { isForbidden } from '../../cluster/errors.js';
import { capstanConfigName } from '../../health/custom/config-map.js';
import { parsePluginConfig, PluginSet } from '../../render/plugins/config.js';
import type { CommandIO } from '../output/io.js';
import { terminalSafe } from '../output/terminal-safe.js';

/** What is read of the cluster: a ConfigMap by name (undefined when there is none). */
export interface ConfigMapReader {
  get(apiVersion: string, kind: string, namespace: string, name: string): Promise<KubeObject | undefined>;
}

function textData(configMap: KubeObject): Record<string, string> {
  const data = configMap['data'];
  if (!isRecord(data)) return {};
  return Object.fromEntries(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function note(io: CommandIO, text: string): void {
  io.err.write(`${terminalSafe(`capstan: ${text}`)}\n`);
}

/**
 * The plugins of `namespace`/capstan-config, parsed as the controller parses them (a key with
 * problems is said on stderr, and its plugin not used). No ConfigMap, or no right to read it,
 * means no plugins, said in one line on stderr; other failures are thrown.
 */
export async function livePlugins(resources: ConfigMapReader, namespace: string, io: CommandIO): Promise<PluginSet> {
  const where = `ConfigMap ${namespace}/${capstanConfigName}`;
  let configMap: KubeObject | undefined;
  try {
    configMap = await resources.get('v1', 'ConfigMap', namespace, capstanConfigName);
  } catch (err) {
    if (!isForbidden(err)) throw err;
    note(io, `cannot read ${where} (forbidden): rendering without config management plugins`);
    return PluginSet.none;
  }
  if (configMap === undefined) {
    note(io, `no ${where}: rendering without config management plugins`);
    return PluginSet.none;
  }
  const parsed = parsePluginConfig(textData(configMap));
  for (const problem of parsed.problems) note(io, `warning: ${where}: ${problem}`);
  return parsed.plugins;
}
