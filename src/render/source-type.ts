import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApplicationSource, SourceType } from '../api/application.js';
import { kustomizationFileNames } from './kustomize/references.js';

export type SourceOptions = Pick<ApplicationSource, 'directory' | 'kustomize' | 'helm' | 'plugin'>;

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}

/**
 * How a source is rendered, as Argo CD decides it: the type its options name (source.plugin
 * names Plugin), else a plugin discovered for the directory (`discoveredPlugin`, see
 * choosePlugin), else what the directory holds (a kustomization → Kustomize, a Chart.yaml →
 * Helm), else Directory. `dir` is the source directory, already resolved inside the repository.
 */
export async function detectSourceType(dir: string, source: SourceOptions, discoveredPlugin?: string): Promise<SourceType> {
  if (source.kustomize !== undefined) return 'Kustomize';
  if (source.helm !== undefined) return 'Helm';
  // An empty directory block names no type (Argo CD reads it the same way).
  if (source.directory !== undefined && Object.keys(source.directory).length > 0) return 'Directory';
  if (source.plugin !== undefined || discoveredPlugin !== undefined) return 'Plugin';
  for (const name of kustomizationFileNames) if (await isFile(path.join(dir, name))) return 'Kustomize';
  if (await isFile(path.join(dir, 'Chart.yaml'))) return 'Helm';
  return 'Directory';
}
