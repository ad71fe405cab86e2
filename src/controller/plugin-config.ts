import { parsePluginConfig, PluginSet } from '../render/plugins/config.js';

/**
 * The config management plugins of capstan-config as they are now: read by the ConfigMap's
 * watch (HealthConfigWatch) at every change, asked by the renderer at every render.
 */
export class PluginConfig {
  private current: PluginSet = PluginSet.none;

  /** The plugins now (none until the ConfigMap is read, and once it is deleted). */
  get plugins(): PluginSet {
    return this.current;
  }

  /** Takes the `plugins.<name>` keys of the ConfigMap's data; returns what is wrong with them. */
  read(data: Readonly<Record<string, string>>): string[] {
    const parsed = parsePluginConfig(data);
    this.current = parsed.plugins;
    return parsed.problems;
  }

  clear(): void {
    this.current = PluginSet.none;
  }
}
