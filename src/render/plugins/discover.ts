import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import type { PluginDiscovery } from './config.js';

export interface DiscoverOptions {
  /** Most directory entries looked at (the render limit maxEntries); past it the walk stops, unmatched. */
  readonly maxEntries: number;
}

/**
 * Does the plugin's discovery rule match the source directory `dir`? fileName is matched as Go's
 * filepath.Glob matches it (Argo CD's discover.fileName): `*`, `?` and classes within one
 * segment, as deep as the pattern has segments; find.glob also takes `**` for any depth.
 * Entries are matched by name, files and directories alike, a leading dot like any other
 * character; symlinked directories are not entered, nor `.git`.
 */
export async function discoveryMatches(discovery: PluginDiscovery, dir: string, options: DiscoverOptions): Promise<boolean> {
  const glob = 'fileName' in discovery ? discovery.fileName : discovery.glob;
  const deep = !('fileName' in discovery) && glob.includes('**');
  const matches = picomatch(glob, { dot: true, nobrace: true, noextglob: true, ...('fileName' in discovery ? { noglobstar: true } : {}) });
  const depth = deep ? Infinity : glob.split('/').filter((s) => s !== '').length;
  let budget = options.maxEntries;
  let level: string[] = [''];
  for (let d = 1; d <= depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const relative of level) {
      const entries: Dirent[] = await readdir(path.join(dir, relative), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (--budget < 0) return false;
        if (entry.name === '.git') continue;
        const name = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (matches(name)) return true;
        if (entry.isDirectory()) next.push(name);
      }
    }
    level = next;
  }
  return false;
}
