import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HealthCustomizations, type HealthCustomization } from '../health/custom/customizations.js';
import { isMissing } from '../render/paths.js';

const scriptFile = 'health.lua';

/**
 * The health scripts of a directory laid out as Argo CD's resource_customizations tree:
 * `<group>/<Kind>/health.lua`. As there, `_` in a directory name stands for `*` (checked only
 * when no script names the kind exactly; the first match in path order wins), and the scripts
 * get the standard libraries (useOpenLibs). `_/<Kind>` also names `<Kind>` of the core group,
 * which Argo CD's tree cannot express.
 */
export async function readHealthCustomizations(dir: string): Promise<HealthCustomizations> {
  const entries: HealthCustomization[] = [];
  const wildcards: HealthCustomization[] = [];
  for (const group of await subdirectories(dir)) {
    for (const kind of await subdirectories(join(dir, group))) {
      const path = join(dir, group, kind, scriptFile);
      let source: string;
      try {
        source = await readFile(path, 'utf8');
      } catch (err) {
        if (isMissing(err)) continue;
        throw err;
      }
      const script = { source, openLibs: true, origin: path };
      if (group === '_' && !kind.includes('_')) entries.push({ pattern: kind, script });
      const pattern = `${group}/${kind}`;
      if (pattern.includes('_')) wildcards.push({ pattern: pattern.replaceAll('_', '*'), script });
      else entries.push({ pattern, script });
    }
  }
  // Byte order, as Argo CD sorts its wildcard directories (localeCompare would put `_` before `W`).
  wildcards.sort((a, b) => (a.script.origin < b.script.origin ? -1 : a.script.origin > b.script.origin ? 1 : 0));
  return new HealthCustomizations([...entries, ...wildcards], { wildcardCrossesSlash: false });
}

async function subdirectories(dir: string): Promise<string[]> {
  const found = await readdir(dir, { withFileTypes: true });
  return found.filter((d) => d.isDirectory()).map((d) => d.name).sort();
}
