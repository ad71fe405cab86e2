/** `capstan render --plugins FILE`: the config management plugins of a capstan-config ConfigMap on disk. */
import yaml from 'js-yaml';
import { isRecord } from '../../api/object.js';
import { parsePluginConfig, type PluginSet } from '../../render/plugins/config.js';

export type ReadPlugins =
  | { readonly ok: true; readonly plugins: PluginSet; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
}

/** The ConfigMap's data, or the data map itself; only the plugins keys are looked at (the others are health scripts). */
function dataOf(doc: unknown): Record<string, unknown> | string {
  if (!isRecord(doc)) return 'is not a ConfigMap, nor its data (a mapping of keys to text)';
  if (doc.kind === undefined) return doc;
  if (doc.kind !== 'ConfigMap') return `is a ${typeof doc.kind === 'string' ? doc.kind : JSON.stringify(doc.kind)}, not a ConfigMap (capstan-config) nor its data`;
  if (doc.data === undefined || doc.data === null) return {};
  return isRecord(doc.data) ? doc.data : 'data of the ConfigMap must be a mapping of keys to text';
}

const isPluginKey = (key: string): boolean => key === 'plugins' || key.startsWith('plugins.');

/**
 * The plugins of a capstan-config ConfigMap (YAML or JSON), or of its `data` map alone, parsed
 * as the controller parses them: a key with problems is said in `warnings` (one sentence each)
 * and its plugin not used; the others are. Refused when the text is not one such document.
 */
export function readPluginsFile(text: string): ReadPlugins {
  let docs: unknown[];
  try {
    docs = yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
  } catch (err) {
    return { ok: false, message: `not valid YAML: ${firstLine(err)}` };
  }
  if (docs.length !== 1) return { ok: false, message: docs.length === 0 ? 'holds no ConfigMap' : `holds ${docs.length} documents; give one ConfigMap (capstan-config), or its data` };
  const data = dataOf(docs[0]);
  if (typeof data === 'string') return { ok: false, message: data };
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!isPluginKey(key)) continue;
    if (typeof value !== 'string') return { ok: false, message: `${key} must be text: the plugin's YAML, as a string (a block scalar, ${key}: |)` };
    keys[key] = value;
  }
  const parsed = parsePluginConfig(keys);
  const none = Object.keys(keys).length === 0 ? ['holds no plugins.<name> keys: no source is rendered by a plugin'] : [];
  return { ok: true, plugins: parsed.plugins, warnings: [...none, ...parsed.problems] };
}
